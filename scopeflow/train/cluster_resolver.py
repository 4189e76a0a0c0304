"""``tf.distribute.cluster_resolver``: where a cluster's tasks are, as TF's resolvers find them:
given (``SimpleClusterResolver``), from the ``TF_CONFIG`` environment variable
(``TFConfigClusterResolver``), from a Slurm step's ``SLURM_*`` variables
(``SlurmClusterResolver``), or merged (``UnionResolver``). They describe a cluster; scopeflow
itself runs a graph in one process (see ``tf.train.Server``). The resolvers that ask a cloud
service (``TPUClusterResolver``, ``GCEClusterResolver``, ``KubernetesClusterResolver``) raise
``NotImplementedError``.

>>> import scopeflow as tf
>>> spec = tf.train.ClusterSpec({"worker": ["w0:2222", "w1:2222"]})
>>> r = tf.distribute.cluster_resolver.SimpleClusterResolver(spec, rpc_layer="grpc")
>>> r.master("worker", 1)
'grpc://w1:2222'
"""

from __future__ import annotations

import abc
import json
import os

from scopeflow.train.server_lib import ClusterSpec

__all__ = [
    "ClusterResolver",
    "SimpleClusterResolver",
    "TFConfigClusterResolver",
    "UnionResolver",
]


def _url(address: str, rpc_layer) -> str:
    return f"{rpc_layer}://{address}" if rpc_layer else address


class ClusterResolver(abc.ABC):
    """The resolvers' base: ``cluster_spec()`` and ``master()`` to define; ``task_type``,
    ``task_id``, ``environment`` (``""``) and ``num_accelerators`` (none: scopeflow runs on the
    CPU)."""

    @abc.abstractmethod
    def cluster_spec(self) -> ClusterSpec:
        """The cluster, a ``tf.train.ClusterSpec``."""

    @abc.abstractmethod
    def master(self, task_type=None, task_id=None, rpc_layer=None) -> str:
        """The session target of a task (``<rpc_layer>://<address>``)."""

    def num_accelerators(self, task_type=None, task_id=None, config_proto=None) -> dict:
        """Accelerators by device type (``{"GPU": 2}``); TF counts the local ones when not
        told, and scopeflow's kernels use none: ``{}``."""
        return {}

    @property
    def environment(self) -> str:
        return ""

    @property
    def task_type(self):
        return getattr(self, "_task_type", None)

    @task_type.setter
    def task_type(self, task_type):
        self._task_type = task_type

    @property
    def task_id(self):
        return getattr(self, "_task_id", None)

    @task_id.setter
    def task_id(self, task_id):
        self._task_id = task_id


class SimpleClusterResolver(ClusterResolver):
    """A resolver of a given ``ClusterSpec`` and master.

    Raises:
        TypeError: ``cluster_spec`` is not a ``tf.train.ClusterSpec``, or ``master`` not a str.
    """

    def __init__(
        self, cluster_spec, master="", task_type=None, task_id=None, environment="",
        num_accelerators=None, rpc_layer=None,
    ):  # fmt: skip
        if not isinstance(cluster_spec, ClusterSpec):
            raise TypeError("cluster_spec must be a `tf.train.ClusterSpec`.")
        if not isinstance(master, str):
            raise TypeError("master must be a string.")
        self._cluster_spec = cluster_spec
        self._master = master
        self._task_type, self._task_id = task_type, task_id
        self._environment = environment
        self._num_accelerators = num_accelerators
        self.rpc_layer = rpc_layer

    def cluster_spec(self) -> ClusterSpec:
        return self._cluster_spec

    def master(self, task_type=None, task_id=None, rpc_layer=None) -> str:
        """The address of ``task_type``/``task_id`` when both are given, else the ``master``
        given; prefixed ``<rpc_layer>://`` (even a master that already has one, as TF's)."""
        if task_type is not None and task_id is not None:
            address = self._cluster_spec.task_address(task_type, task_id)
        else:
            address = self._master
        return _url(address, rpc_layer or self.rpc_layer)

    @property
    def environment(self) -> str:
        return self._environment

    def num_accelerators(self, task_type=None, task_id=None, config_proto=None) -> dict:
        return {} if self._num_accelerators is None else self._num_accelerators


def _tf_config() -> dict:
    text = os.environ.get("TF_CONFIG")
    return json.loads(text) if text else {}


class TFConfigClusterResolver(ClusterResolver):
    """The cluster, task and RPC layer of the ``TF_CONFIG`` environment variable (JSON with
    ``cluster``, ``task: {type, index}``, ``rpc_layer``, ``session_master``), read each time
    they are asked for; the arguments given override it.

    Raises:
        json.JSONDecodeError: (when read) ``TF_CONFIG`` is not JSON, as TF's.
    """

    def __init__(self, task_type=None, task_id=None, rpc_layer=None, environment=None):
        self._task_type, self._task_id = task_type, task_id
        self._rpc_layer = rpc_layer
        self._environment = environment

    @property
    def task_type(self):
        if self._task_type is not None:
            return str(self._task_type)
        task = _tf_config().get("task", {})
        return str(task["type"]) if "type" in task else None

    @task_type.setter
    def task_type(self, task_type):
        self._task_type = task_type

    @property
    def task_id(self):
        if self._task_id is not None:
            return int(self._task_id)
        task = _tf_config().get("task", {})
        return int(task["index"]) if "index" in task else None

    @task_id.setter
    def task_id(self, task_id):
        self._task_id = task_id

    @property
    def rpc_layer(self):
        return self._rpc_layer if self._rpc_layer is not None else _tf_config().get("rpc_layer")

    @rpc_layer.setter
    def rpc_layer(self, rpc_layer):
        self._rpc_layer = rpc_layer

    @property
    def environment(self):
        return self._environment

    def cluster_spec(self) -> ClusterSpec:
        return ClusterSpec(_tf_config().get("cluster", {}))

    def master(self, task_type=None, task_id=None, rpc_layer=None) -> str:
        """``TF_CONFIG``'s ``session_master`` if set; ``""`` for a cluster of at most one
        task (TF's local session); else the task's address with the RPC layer."""
        session_master = _tf_config().get("session_master")
        if session_master is not None:
            return session_master
        spec = self.cluster_spec()
        jobs = spec.jobs
        if not jobs or (len(jobs) == 1 and len(spec.job_tasks(jobs[0])) == 1):
            return ""
        task_type = task_type if task_type is not None else self.task_type
        task_id = task_id if task_id is not None else self.task_id
        rpc_layer = rpc_layer if rpc_layer is not None else self.rpc_layer
        return _url(spec.task_address(task_type, task_id), rpc_layer)


def _merge_jobs(specs) -> dict:
    """The jobs of ``specs`` merged as TF's ``UnionResolver``: a job listed by index in its
    first resolver keeps a list (later lists appended), else a dict of task indices."""
    merged: dict = {}
    for spec in specs:
        for job, tasks in spec.as_dict().items():
            if job not in merged:
                merged[job] = [] if isinstance(tasks, list) else {}
            elif isinstance(tasks, dict):
                merged[job] = {}
    for spec in specs:
        for job, tasks in spec.as_dict().items():
            if isinstance(merged[job], list):
                merged[job].extend(tasks)
                continue
            tasks = dict(enumerate(tasks)) if isinstance(tasks, list) else dict(tasks)
            clash = set(tasks) & set(merged[job])
            if clash:
                raise KeyError(f"Duplicate keys detected when merging two ClusterSpecs: {clash!r}")
            merged[job].update(tasks)
    return merged


class UnionResolver(ClusterResolver):
    """The union of the clusters of several resolvers; the first one answers for the master,
    task, environment and accelerators, unless ``task_type``, ``task_id`` or ``rpc_layer`` are
    given as keywords.

    Raises:
        ValueError: no resolver, or an unknown keyword.
        TypeError: an argument is not a ``ClusterResolver``.
        KeyError: (``cluster_spec``) two resolvers give the same task index of a job.
    """

    def __init__(self, *args, **kwargs):
        self._rpc_layer = kwargs.pop("rpc_layer", None)
        self._task_type = kwargs.pop("task_type", None)
        self._task_id = kwargs.pop("task_id", None)
        if kwargs:
            raise ValueError(f"Unexpected kwargs provided {kwargs!r}")
        if not args:
            raise ValueError("At least one ClusterResolver is required.")
        if not all(isinstance(r, ClusterResolver) for r in args):
            raise TypeError("All arguments must be a sub-class of `ClusterResolver.`")
        self._resolvers = args

    def cluster_spec(self) -> ClusterSpec:
        return ClusterSpec(_merge_jobs([r.cluster_spec() for r in self._resolvers]))

    def master(self, task_type=None, task_id=None, rpc_layer=None) -> str:
        if task_type is not None and task_id is not None:
            address = self.cluster_spec().task_address(task_type, task_id)
            return _url(address, rpc_layer or self._rpc_layer)
        return self._resolvers[0].master(rpc_layer=rpc_layer)

    @property
    def task_type(self):
        return self._task_type or self._resolvers[0].task_type

    @task_type.setter
    def task_type(self, task_type):
        self._task_type = task_type

    @property
    def task_id(self):
        return self._task_id or self._resolvers[0].task_id

    @task_id.setter
    def task_id(self, task_id):
        self._task_id = task_id

    @property
    def rpc_layer(self):
        return self._rpc_layer or self._resolvers[0].rpc_layer

    @rpc_layer.setter
    def rpc_layer(self, rpc_layer):
        self._rpc_layer = rpc_layer

    @property
    def environment(self):
        return self._resolvers[0].environment

    def num_accelerators(self, task_type=None, task_id=None, config_proto=None) -> dict:
        return self._resolvers[0].num_accelerators(task_type, task_id, config_proto)
