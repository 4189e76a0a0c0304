"""``tf.distribute.cluster_resolver.SlurmClusterResolver`` (a Slurm step's tasks as a cluster,
from its ``SLURM_*`` variables) and the resolvers that need a cloud service, which raise
``NotImplementedError``.

>>> expand_hostlist("node[01-03,07],gpu5")
['node01', 'node02', 'node03', 'node07', 'gpu5']
>>> expand_tasks_per_node("2(x3),1")
[2, 2, 2, 1]
"""

from __future__ import annotations

import enum
import os
import re
import subprocess

from scopeflow.train.cluster_resolver import ClusterResolver, _url
from scopeflow.train.server_lib import ClusterSpec

__all__ = [
    "GCEClusterResolver",
    "KubernetesClusterResolver",
    "KubernetesExecutableLocation",
    "SlurmClusterResolver",
    "TPUClusterResolver",
    "expand_hostlist",
    "expand_tasks_per_node",
]

_HOST = re.compile(r"([^,\[\]]*)(?:\[([^\]]+)\])?$")


def _host_parts(hostlist: str):
    """The comma-separated parts of ``hostlist``, commas inside brackets kept."""
    depth, start = 0, 0
    for i, c in enumerate(hostlist):
        depth += {"[": 1, "]": -1}.get(c, 0)
        if c == "," and depth == 0:
            yield hostlist[start:i]
            start = i + 1
    if start < len(hostlist):
        yield hostlist[start:]


def expand_hostlist(hostlist: str) -> list[str]:
    """Slurm's compressed host list (``node[01-03,07]``) as host names, zero padding kept.

    Raises:
        ValueError: ``hostlist`` is not in Slurm's format.
    """
    hosts = []
    for part in _host_parts(hostlist):
        m = _HOST.match(part)
        if not part or m is None:
            raise ValueError(f'Invalid hostlist format "{hostlist}": Invalid part: {part}')
        prefix, ranges = m.group(1), m.group(2)
        if ranges is None:
            hosts.append(prefix)
            continue
        for item in ranges.split(","):
            first, _, last = item.partition("-")
            if not first.isdigit() or not (last or first).isdigit():
                raise ValueError(f'Invalid hostlist format "{hostlist}": bad range {item}')
            width = len(first)
            hosts += [
                prefix + str(i).zfill(width) for i in range(int(first), int(last or first) + 1)
            ]
    return hosts


def expand_tasks_per_node(tasks_per_node: str) -> list[int]:
    """Slurm's ``SLURM_STEP_TASKS_PER_NODE`` (``2(x3),1``) as one count per node.

    Raises:
        ValueError: the text is not in Slurm's format.
    """
    counts = []
    for part in tasks_per_node.split(","):
        m = re.match(r"(\d+)(?:\(x(\d+)\))?$", part)
        if m is None:
            raise ValueError(f'Invalid tasks-per-node list format "{tasks_per_node}": {part}')
        counts += [int(m.group(1))] * int(m.group(2) or 1)
    return counts


def _slurm(name: str) -> str:
    key = "SLURM_" + name
    if key not in os.environ:
        raise RuntimeError(f"{key} not found in environment. Not running inside a SLURM step?")
    return os.environ[key]


def _gpus_on_this_node() -> int:
    if "CUDA_VISIBLE_DEVICES" in os.environ:
        return len(os.environ["CUDA_VISIBLE_DEVICES"].split(","))
    try:
        listing = subprocess.run(
            ["nvidia-smi", "--list-gpus"], capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        raise RuntimeError(
            "Could not get number of GPUs from nvidia-smi. Maybe it is missing? Pass "
            f"gpus_per_node (and gpus_per_task) to SlurmClusterResolver. ({e})"
        ) from None
    return sum(line.startswith("GPU ") for line in listing.strip().split("\n"))


class SlurmClusterResolver(ClusterResolver):
    """The tasks of the Slurm step this process runs in, as TF's: ``jobs`` (default: every task
    a ``worker``) take the step's tasks in order of host name, each task a port from
    ``port_base`` up on its host and ``gpus_per_task`` GPUs of its host (exported as
    ``CUDA_VISIBLE_DEVICES`` when ``cluster_spec()`` runs, with ``auto_set_gpu``). This
    process's task is the one of rank ``SLURM_PROCID``.

    Raises:
        RuntimeError: a ``SLURM_*`` variable is missing (not in a Slurm step); more GPUs per
            node requested than there are; ``jobs`` does not account for every task; the GPUs
            cannot be counted (no ``nvidia-smi``: pass ``gpus_per_node``).
        ValueError: no GPU for each task (TF's resolver gives every task at least one).
    """

    def __init__(
        self, jobs=None, port_base=8888, gpus_per_node=None, gpus_per_task=None,
        tasks_per_node=None, auto_set_gpu=True, rpc_layer="grpc",
    ):  # fmt: skip
        self._rank = int(_slurm("PROCID"))
        self._jobs = {"worker": int(_slurm("STEP_NUM_TASKS"))} if jobs is None else jobs
        self._port_base = port_base
        if tasks_per_node is None:
            counts = expand_tasks_per_node(_slurm("STEP_TASKS_PER_NODE"))
            hosts = expand_hostlist(_slurm("STEP_NODELIST"))
            self._tasks = dict(zip(hosts, counts, strict=False))  # as TF: the shorter list
        elif isinstance(tasks_per_node, dict):
            self._tasks = tasks_per_node
        else:
            hosts = expand_hostlist(_slurm("STEP_NODELIST"))
            self._tasks = {host: int(tasks_per_node) for host in hosts}
        most = max(self._tasks.values())
        if gpus_per_node is None:
            gpus_per_node = _gpus_on_this_node()
        if gpus_per_task is None:
            gpus_per_task = gpus_per_node // most
        if gpus_per_task < 1:
            raise ValueError(
                f"SlurmClusterResolver gives each task its own GPUs: {gpus_per_node} GPUs per "
                f"node for {most} tasks per node leaves none; pass gpus_per_task >= 1"
            )
        self._gpus_per_node, self._gpus_per_task = gpus_per_node, gpus_per_task
        self._auto_set_gpu = auto_set_gpu
        self.task_type = None
        self.task_id = None
        self.rpc_layer = rpc_layer
        if most * gpus_per_task > gpus_per_node:
            raise RuntimeError("Requested more GPUs per node than available.")
        total = sum(self._tasks.values())
        if sum(self._jobs.values()) != total:
            raise RuntimeError(
                f"Requested {sum(self._jobs.values())} tasks but only {total} were assigned."
            )

    def cluster_spec(self) -> ClusterSpec:
        """The cluster; sets this process's ``task_type``/``task_id`` and, with
        ``auto_set_gpu``, its ``CUDA_VISIBLE_DEVICES``."""
        addresses, gpus = [], []
        step = self._gpus_per_task
        for host, count in sorted(self._tasks.items()):
            firsts = range(0, self._gpus_per_node, step)
            for offset, first in zip(range(count), firsts, strict=False):
                addresses.append(f"{host}:{self._port_base + offset}")
                gpus.append(",".join(str(g) for g in range(first, first + step)))
        jobs, start = {}, 0
        for job, count in sorted(self._jobs.items()):
            jobs[job] = addresses[start : start + count]
            if start <= self._rank < start + count:
                self.task_type, self.task_id = job, self._rank - start
            start += count
        if self._auto_set_gpu:
            os.environ["CUDA_VISIBLE_DEVICES"] = gpus[self._rank]
        return ClusterSpec(jobs)

    def get_task_info(self):
        """``(task_type, task_id)`` of this process (set by ``cluster_spec()``)."""
        return self.task_type, self.task_id

    def master(self, task_type=None, task_id=None, rpc_layer=None) -> str:
        task_type = task_type if task_type is not None else self.task_type
        task_id = task_id if task_id is not None else self.task_id
        if task_type is None or task_id is None:
            return ""
        address = self.cluster_spec().task_address(task_type, task_id)
        return _url(address, rpc_layer or self.rpc_layer)

    def num_accelerators(self, task_type=None, task_id=None, config_proto=None) -> dict:
        return {"GPU": self._gpus_per_task}


class _NeedsService(ClusterResolver):
    _SERVICE = ""

    def __init__(self, *args, **kwargs):
        raise NotImplementedError(
            f"tf.distribute.cluster_resolver.{type(self).__name__} asks {self._SERVICE} where "
            "the cluster's tasks are, which scopeflow does not do; describe the cluster with "
            "SimpleClusterResolver(tf.train.ClusterSpec({...})) or TF_CONFIG "
            "(TFConfigClusterResolver), or run in one process"
        )

    def cluster_spec(self):
        raise NotImplementedError

    def master(self, task_type=None, task_id=None, rpc_layer=None):
        raise NotImplementedError


class TPUClusterResolver(_NeedsService):
    _SERVICE = "the Cloud TPU service for its TPUs"


class GCEClusterResolver(_NeedsService):
    _SERVICE = "the Compute Engine API"


class KubernetesClusterResolver(_NeedsService):
    _SERVICE = "the Kubernetes API"


class KubernetesExecutableLocation(enum.Enum):
    """Where a ``KubernetesClusterResolver`` would run, as TF's enum."""

    WITHIN_CLUSTER = 0
    OFF_CLUSTER = 1
