"""``tf.tpu`` on the one replica a CPU is: ``cross_replica_sum`` (TF's ``CrossReplicaSum`` op,
the sum over one replica: its input), ``outside_compilation``, ``core``, and ``replicate``,
``rewrite``, ``shard``, ``batch_parallel`` (``tpu_replication.py``); the functions that need a
TPU system raise ``NotImplementedError`` saying what to use instead.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     s = tf.tpu.cross_replica_sum(tf.constant([1.0, 2.0]))
...     print(s.op.type, tf.Session().run(s))
CrossReplicaSum [1. 2.]
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, errors
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import get_default_graph, name_scope
from scopeflow.framework.registry import register_op
from scopeflow.ops.control.tpu_replication import (
    PaddingSpec,
    XLAOptions,
    batch_parallel,
    replicate,
    replicate_context,
    rewrite,
    shard,
)
from scopeflow.ops.core.infer import apply_op, check_dtype_in

__all__ = [
    "PaddingSpec",
    "XLAOptions",
    "batch_parallel",
    "core",
    "cross_replica_sum",
    "initialize_system",
    "outside_compilation",
    "replicate",
    "rewrite",
    "shard",
    "shutdown_system",
]

_SUMMABLE = (dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64)
_SUMMABLE += (dtypes.int32, dtypes.uint32)


def _cross_replica_sum_infer(inputs, attrs):
    x, groups = inputs
    check_dtype_in("CrossReplicaSum", "input", x, _SUMMABLE)
    if groups.dtype.base_dtype != dtypes.int32:
        raise TypeError(
            "Input 'group_assignment' of 'CrossReplicaSum' Op has type "
            f"{groups.dtype.base_dtype.name} that does not match expected type of int32."
        )
    return [(x.dtype.base_dtype, x.shape)]


def _cross_replica_sum_kernel(ctx, op, x, groups):
    groups = np.asarray(groups)
    if groups.ndim != 2 or sorted(groups.ravel().tolist()) != [0]:
        raise errors.InvalidArgumentError(
            None,
            op,
            f"CrossReplicaSum: group_assignment {groups.tolist()} names replicas a CPU does "
            "not have: scopeflow runs one replica (replica 0), so the only assignment is "
            "[[0]]",
        )
    return x


def _cross_replica_sum_grad(op, grad):
    return [apply_op("CrossReplicaSum", [grad, op.inputs[1]]), None]


# TF's op is stateful (a collective); with the one replica scopeflow runs, the sum is the input.
register_op(
    "CrossReplicaSum",
    _cross_replica_sum_infer,
    kernel=_cross_replica_sum_kernel,
    grad=_cross_replica_sum_grad,
    stateful=True,
)


def cross_replica_sum(x, group_assignment=None, name=None):
    """The sum of ``x`` over the TPU replicas in each group of ``group_assignment`` (default:
    one group of all replicas): one ``CrossReplicaSum`` op fed ``<name>/group_assignment``, as
    TF's. scopeflow runs one replica, so the sum is ``x`` itself; an assignment naming other
    replicas fails at run with ``InvalidArgumentError``.

    Raises:
        TypeError: ``x`` is not float16, bfloat16, float32, float64, int32 or uint32.
    """
    if group_assignment is None:
        group_assignment = [[0]]
    with name_scope(name, "CrossReplicaSum") as scope:
        x = convert_to_tensor(x, name="input")
        groups = constant(group_assignment, dtypes.int32, name="group_assignment")
        return apply_op("CrossReplicaSum", [x, groups], name=scope)


def outside_compilation(computation, *args, **kwargs):
    """``computation(*args, **kwargs)``. Inside a ``tf.tpu.replicate`` computation its ops are
    marked ``_xla_outside_compilation`` (``"0"``, ``"1"``... per call), as TF marks the ops it
    runs on the host (the one replica here runs them all on the CPU); outside one it is simply
    called, as TF's."""
    context = replicate_context()
    if context is None:
        return computation(*args, **kwargs)
    graph = get_default_graph()
    first = graph.version
    result = computation(*args, **kwargs)
    cluster = str(context.outside_clusters)
    context.outside_clusters += 1
    for op in graph.get_operations()[first:]:
        op._attrs.setdefault("_xla_outside_compilation", cluster)
    return result


def core(num: int) -> str:
    """The device name of core ``num`` of a replicated TPU computation, as TF's."""
    return f"device:TPU_REPLICATED_CORE:{num}"


def _no_tpu(name: str, instead: str):
    raise NotImplementedError(
        f"tf.tpu.{name} needs a TPU system, which scopeflow (one process on a CPU) does not "
        f"have; {instead}"
    )


def initialize_system(
    embedding_config=None, job=None, compilation_failure_closes_chips=True,
    tpu_cancellation_closes_chips=None,
):  # fmt: skip
    """TF's ``ConfigureDistributedTPU`` op, which cannot run without a TPU (TF's fails at run
    on a CPU): ``NotImplementedError``."""
    _no_tpu("initialize_system", "drop the call and run the model on the CPU with tf.Session")


def initialize_tpu_system(cluster_resolver=None):
    """TF's TPU system start-up (it finds the TPU through a ``TPUClusterResolver``; without one
    TF fails with "Please provide a TPU Name to connect to."): ``NotImplementedError``."""
    _no_tpu("experimental.initialize_tpu_system", "drop the call and run on the CPU")


def shutdown_tpu_system(cluster_resolver=None):
    """TF's TPU system shut-down: ``NotImplementedError``, as ``initialize_tpu_system``."""
    _no_tpu("experimental.shutdown_tpu_system", "drop the call")


def shutdown_system(job=None):
    """TF's ``ShutdownDistributedTPU`` op, which cannot run without a TPU:
    ``NotImplementedError``."""
    _no_tpu("shutdown_system", "drop the call and run the model on the CPU with tf.Session")
