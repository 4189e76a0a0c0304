"""``tf.train.ClusterSpec`` and ``tf.train.Server``: TF1's cluster description, accepted.

scopeflow runs a graph in the process that builds it: a ``Server`` serves no network
requests, and ``join()`` returns at once with a log line instead of serving a parameter
server. Its ``target`` (``grpc://<address>``, a free port for ``create_local_server``) names
the server's state, as TF's: the sessions of this process on the targets of one cluster's
servers (``tf.Session(server.target)``, ``MonitoredTrainingSession(master=server.target)``)
share their variables, and queues or tables with a ``shared_name``, whatever their graphs
(``scopeflow/session/shared_state.py``); ``tf.Session.reset(target)`` frees them. Clusters
and servers convert to and from TF's messages (``ClusterSpec.as_cluster_def``,
``Server.server_def``, a ``ClusterDef`` or ``ServerDef`` given). For one model over many hosts, see
``scopeflow.distribute.initialize``.
"""

from __future__ import annotations

import logging
import socket
import threading

from scopeflow.framework import errors
from scopeflow.session import shared_state
from scopeflow.train.server_protos import ClusterDef, JobDef, ServerDef

_log = logging.getLogger("tensorflow")


class ClusterSpec:
    """Job names mapped to their tasks' network addresses, as TF1's.

    >>> import scopeflow as tf
    >>> cluster = tf.train.ClusterSpec({"ps": ["ps0:2222"], "worker": ["w0:2222", "w1:2222"]})
    >>> cluster.jobs, cluster.num_tasks("worker"), cluster.task_address("worker", 1)
    (['ps', 'worker'], 2, 'w1:2222')
    """

    def __init__(self, cluster):
        if isinstance(cluster, ClusterSpec):
            cluster = cluster.as_dict()
        elif not isinstance(cluster, dict) and isinstance(cluster, ClusterDef):
            cluster = {job.name: dict(job.tasks) for job in cluster.job}
        if not isinstance(cluster, dict):
            raise TypeError(
                "`cluster` must be a dictionary mapping one or more job names to lists of "
                "network addresses, or a `ClusterDef` protocol buffer"
            )
        self._jobs: dict[str, dict[int, str]] = {}
        for job, tasks in cluster.items():
            if isinstance(tasks, (list, tuple)):
                tasks = dict(enumerate(tasks))
            elif not isinstance(tasks, dict):
                raise TypeError(
                    f"The tasks for job {job!r} must be a list or a dictionary from integers "
                    "to strings."
                )
            for address in tasks.values():
                if not isinstance(address, str):
                    raise TypeError(f"Task address {address!r} must be bytes or unicode")
            self._jobs[job] = {int(i): tasks[i] for i in sorted(tasks)}

    def __bool__(self) -> bool:
        return bool(self._jobs)

    def __eq__(self, other) -> bool:
        return isinstance(other, ClusterSpec) and self._jobs == other._jobs

    def __ne__(self, other) -> bool:
        return not self == other

    __hash__ = None

    def __repr__(self) -> str:
        return f"ClusterSpec({self.as_dict()!r})"

    def as_dict(self) -> dict:
        """``{job: [addresses]}``, or ``{job: {index: address}}`` for sparse task indices."""
        out = {}
        for job, tasks in self._jobs.items():
            dense = list(tasks) == list(range(len(tasks)))
            out[job] = list(tasks.values()) if dense else dict(tasks)
        return out

    @property
    def jobs(self) -> list:
        return list(self._jobs)

    def _tasks(self, job_name: str) -> dict:
        if job_name not in self._jobs:
            raise ValueError(f"No such job in cluster: {job_name!r}")
        return self._jobs[job_name]

    def num_tasks(self, job_name: str) -> int:
        return len(self._tasks(job_name))

    def task_indices(self, job_name: str) -> list:
        return list(self._tasks(job_name))

    def task_address(self, job_name: str, task_index: int) -> str:
        tasks = self._tasks(job_name)
        if task_index not in tasks:
            raise ValueError(f"No task with index {task_index} in job {job_name!r}")
        return tasks[task_index]

    def as_cluster_def(self):
        """This cluster as a ``tf.train.ClusterDef`` (jobs in the order of their names)."""
        return ClusterDef(
            job=[JobDef(name=job, tasks=self._jobs[job]) for job in sorted(self._jobs)]
        )

    def job_tasks(self, job_name: str) -> list:
        """The addresses of ``job_name``'s tasks by index, ``None`` where an index is unused."""
        tasks = self._tasks(job_name)
        return [tasks.get(i) for i in range(max(tasks, default=-1) + 1)]


class Server:
    """TF1's in-process server, accepted and not started: see the module's docstring."""

    def __init__(
        self,
        server_or_cluster_def,
        job_name: str | None = None,
        task_index: int | None = None,
        protocol: str | None = None,
        config=None,
        start: bool = True,
    ):
        if isinstance(server_or_cluster_def, (dict, ClusterSpec)):
            cluster = ClusterSpec(server_or_cluster_def)
        elif isinstance(server_or_cluster_def, ServerDef):
            server_def = server_or_cluster_def
            cluster = ClusterSpec(server_def.cluster)
            job_name = server_def.job_name if job_name is None else job_name
            task_index = server_def.task_index if task_index is None else task_index
            protocol = protocol or server_def.protocol or None
        else:
            cluster = ClusterSpec(server_or_cluster_def)
        jobs = cluster.jobs
        if job_name is None:
            if len(jobs) != 1:
                raise ValueError("Must specify an explicit `job_name`.")
            job_name = jobs[0]
        if job_name not in jobs:
            raise errors.InternalError(None, None, f'Job "{job_name}" was not defined in cluster')
        if task_index is None:
            if cluster.num_tasks(job_name) != 1:
                raise ValueError("Must specify an explicit `task_index`.")
            task_index = cluster.task_indices(job_name)[0]
        if task_index not in cluster.task_indices(job_name):
            raise errors.InternalError(
                None, None, f'Task {task_index} was not defined in job "{job_name}"'
            )
        address = cluster.task_address(job_name, task_index)
        host, _, port = address.rpartition(":")
        if port == "0":  # as TF's: a free port, which the target names
            address = f"{host}:{unused_port()}"
            cluster = _with_address(cluster, job_name, task_index, address)
        self.cluster_spec = cluster
        self.job_name, self.task_index = job_name, task_index
        self._protocol = protocol or "grpc"
        addresses = [a for job in cluster.jobs for a in cluster.job_tasks(job) if a]
        self._target = shared_state.register_server(addresses, address, (job_name, task_index))
        _log.info(
            "tf.train.Server(job_name=%r, task_index=%d): scopeflow runs graphs in this "
            "process and starts no server; sessions on its target run locally and share its "
            "cluster's variables (for many hosts, use scopeflow.distribute.initialize)",
            job_name,
            task_index,
        )

    @staticmethod
    def create_local_server(config=None, start: bool = True) -> Server:
        return Server({"localhost": ["localhost:0"]}, protocol="grpc", config=config, start=start)

    @property
    def server_def(self):
        """The ``tf.train.ServerDef`` this server was made from (its cluster, job, task and
        protocol)."""
        return ServerDef(
            cluster=self.cluster_spec.as_cluster_def(),
            job_name=self.job_name,
            task_index=self.task_index,
            protocol=self._protocol,
        )

    @property
    def target(self) -> str:
        """The session target of this server, ``grpc://<address>``: sessions on it share
        their variables with the sessions on its cluster's servers (see the module's
        docstring)."""
        return self._target

    def start(self) -> None:
        """Nothing to start."""

    def join(self) -> None:
        """Returns at once (TF1 blocks, serving): there is no parameter server to serve."""
        _log.info(
            "tf.train.Server.join(): scopeflow serves no requests from other processes; "
            "job %r task %d has nothing to serve and returns",
            self.job_name,
            self.task_index,
        )


_ASSIGNED: set[int] = set()  # ports handed out in this process, as TF's ASSIGNED_PORTS
_PORT_LOCK = threading.Lock()


def unused_port() -> int:
    """A free local port above 10000 not handed out before in this process."""
    with _PORT_LOCK:
        while True:
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
                s.bind(("localhost", 0))
                port = s.getsockname()[1]
            if port > 10000 and port not in _ASSIGNED:
                _ASSIGNED.add(port)
                return port


def _with_address(cluster: ClusterSpec, job: str, task: int, address: str) -> ClusterSpec:
    jobs = {name: dict(enumerate(cluster.job_tasks(name))) for name in cluster.jobs}
    jobs[job][task] = address
    return ClusterSpec({name: {i: a for i, a in t.items() if a} for name, t in jobs.items()})
