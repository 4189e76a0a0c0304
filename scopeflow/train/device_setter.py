"""``tf.train.replica_device_setter``: TF1's device function for parameter servers.

The devices it chooses are recorded on the ops (``op.device``: variables on ``/job:ps``
tasks in turn, other ops on ``/job:worker``) and place nothing: scopeflow keeps variables in
the session (see ``Graph.device``).
"""

from __future__ import annotations

import logging

from scopeflow.framework.device import merge_device, parse_device
from scopeflow.train.server_lib import ClusterSpec

# The op types TF1 places on parameter servers.
STANDARD_PS_OPS = (
    "Variable",
    "VariableV2",
    "AutoReloadVariable",
    "MutableHashTable",
    "MutableHashTableV2",
    "MutableHashTableOfTensors",
    "MutableHashTableOfTensorsV2",
    "MutableDenseHashTable",
    "MutableDenseHashTableV2",
    "VarHandleOp",
)


def replica_device_setter(
    ps_tasks: int = 0,
    ps_device: str = "/job:ps",
    worker_device: str = "/job:worker",
    merge_devices: bool = True,
    cluster=None,
    ps_ops=None,
    ps_strategy=None,
):
    """A device function for ``tf.device``: variables round-robin over the ``ps`` tasks, other
    ops on the worker; ``None`` when there are no ``ps`` tasks.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     with tf.device(tf.train.replica_device_setter(ps_tasks=2)):
    ...         v = tf.get_variable("v", [2])
    ...         w = tf.get_variable("w", [2])
    ...         s = v + w
    >>> v.op.device, w.op.device, s.op.device
    ('/job:ps/task:0', '/job:ps/task:1', '/job:worker')
    """
    if cluster is not None:
        jobs = ClusterSpec(cluster).as_dict()
        ps_job = parse_device(ps_device).get("job")
        if ps_job not in jobs or jobs[ps_job] is None:
            return None
        ps_tasks = len(jobs[ps_job])
    if ps_tasks == 0:
        return None
    if not merge_devices:
        logging.getLogger("tensorflow").warning(
            "DEPRECATION: It is recommended to set merge_devices=true in replica_device_setter"
        )
    if ps_strategy is None:
        ps_strategy = _RoundRobin(ps_tasks)
    if not callable(ps_strategy):
        raise TypeError("ps_strategy must be callable")
    ps_ops = tuple(STANDARD_PS_OPS if ps_ops is None else ps_ops)

    def device_function(op) -> str:
        current = op.device
        if not merge_devices and current:
            return current
        if ps_device and op.type in ps_ops:
            device = ps_device
            ps_job, job = parse_device(ps_device).get("job"), parse_device(current).get("job")
            if ps_job and (not job or job == ps_job):
                device = merge_device(ps_device, f"/task:{ps_strategy(op)}")
            return merge_device(device, current)
        return merge_device(worker_device or "", current)

    return device_function


class _RoundRobin:
    """TF1's default ``ps_strategy``: tasks 0, 1, ..., ``num_tasks - 1``, 0, ..."""

    def __init__(self, num_tasks: int):
        self._num_tasks = num_tasks
        self._next = 0

    def __call__(self, op) -> int:
        task = self._next
        self._next = (task + 1) % self._num_tasks
        return task
