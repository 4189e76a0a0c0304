"""``tf.train.replica_device_setter``: TF1's device function for parameter servers.

The devices it chooses are recorded on the ops (``op.device``: variables on ``/job:ps``
tasks in turn, other ops on ``/job:worker``) and place nothing: scopeflow keeps variables in
the session (see ``Graph.device``).
"""

from __future__ import annotations

import logging

from scopeflow.framework import tensor_shape
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


class GreedyLoadBalancingStrategy:
    """A ``ps_strategy`` putting each op on the least loaded ``ps`` task so far (the first of
    equals), then adding ``load_fn(op)`` to that task's load (``tf.contrib.training``'s, TF
    1.x: TF 2.21 has none).

    >>> import scopeflow as tf
    >>> strategy = tf.contrib.training.GreedyLoadBalancingStrategy(
    ...     2, tf.contrib.training.byte_size_load_fn)
    >>> with tf.Graph().as_default():
    ...     with tf.device(tf.train.replica_device_setter(ps_tasks=2, ps_strategy=strategy)):
    ...         big, small, other = (tf.get_variable(n, s) for n, s in
    ...                              [("big", [100]), ("small", [10]), ("other", [20])])
    >>> big.device, small.device, other.device
    ('/job:ps/task:0', '/job:ps/task:1', '/job:ps/task:1')
    """

    def __init__(self, num_tasks: int, load_fn):
        self._num_tasks = num_tasks
        self._load_fn = load_fn
        self._ps_loads = [0] * num_tasks

    def __call__(self, op) -> int:
        task = min(range(self._num_tasks), key=self._ps_loads.__getitem__)
        self._ps_loads[task] += self._load_fn(op)
        return task


def byte_size_load_fn(op) -> int:
    """The bytes of ``op``'s one output (a variable's value), for
    ``GreedyLoadBalancingStrategy``; the op's ``shape`` attr where the output's is not known.

    Raises:
        ValueError: ``op`` has not one output, or its shape is not fully defined.
    """
    if len(op.outputs) != 1:
        raise ValueError(f"Op {op} must have a single output")
    output = op.outputs[0]
    shape = output.get_shape()
    if not shape.is_fully_defined():
        shape = tensor_shape.TensorShape(op.get_attr("shape"))
    shape.assert_is_fully_defined()
    return shape.num_elements() * output.dtype.size
