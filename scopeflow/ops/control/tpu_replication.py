"""``tf.tpu.replicate``, ``rewrite``, ``shard`` and ``batch_parallel`` with one replica (one
shard), building TF 2.21's graph: ``TPUReplicatedInput`` ``input<i>`` per input, a
``cluster/pivot`` NoOp, ``TPUReplicateMetadata``, the computation's ops marked
``_tpu_replicate``, ``TPUCompilationResult``, ``TPUReplicatedOutput`` ``output<i>`` and
``output_<i>_shard_0`` Identities. TF's own graph has no CPU kernels; scopeflow runs it as the
one replica a CPU is: each replicated input and output is its value, the metadata does
nothing and the compilation result is an empty (OK) ``CompilationResultProto``. Several
replicas raise ``NotImplementedError``.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     (y,) = tf.tpu.rewrite(lambda a: a * 2.0, [tf.constant([1.0, 2.0])])
...     print(y.name, tf.Session().run(y))
output_0_shard_0:0 [2. 4.]
"""

from __future__ import annotations

import collections
import enum
import inspect

import numpy as np

from scopeflow.framework import dtypes, errors, nest, tensor_shape
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import control_dependencies, device, get_default_graph
from scopeflow.framework.operation import Operation
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.array.basic import identity, stack
from scopeflow.ops.array.join import concat, split
from scopeflow.ops.control.grouping import group, no_op
from scopeflow.ops.control.xla import ClusterContext, _is_flat
from scopeflow.ops.core.infer import apply_op, no_gradient

__all__ = ["PaddingSpec", "XLAOptions", "batch_parallel", "replicate", "rewrite", "shard"]


class PaddingSpec(enum.IntEnum):
    """How ``replicate`` pads dynamic shapes (``maximum_shapes``, which scopeflow refuses)."""

    AUTO = 0
    POWER_OF_TWO = 1


class XLAOptions(
    collections.namedtuple(
        "XLAOptions",
        ["use_spmd_for_xla_partitioning", "enable_xla_dynamic_padder", "use_shardy_partitioner"],
    )
):
    """XLA options of a TPU computation; the partitioner choices are recorded in its
    ``TPUReplicateMetadata`` as TF records them."""

    def __new__(
        cls, use_spmd_for_xla_partitioning=True, enable_xla_dynamic_padder=True,
        use_shardy_partitioner=False,
    ):  # fmt: skip
        return super().__new__(
            cls, use_spmd_for_xla_partitioning, enable_xla_dynamic_padder, use_shardy_partitioner
        )


_CORE_0 = "device:TPU_REPLICATED_CORE:0"


def _one_replica(op, count: int, what: str) -> None:
    if count != 1:
        raise errors.InvalidArgumentError(
            None, op, f"{op.type} of {count} {what}: scopeflow runs one replica"
        )


def _replicated_input_kernel(ctx, op, *inputs):
    _one_replica(op, len(inputs), "inputs")
    return inputs[0]


def _replicated_input_infer(inputs, attrs):
    return [(inputs[0].dtype.base_dtype, inputs[0].shape)]


def _replicated_output_kernel(ctx, op, x):
    _one_replica(op, op._attrs["num_replicas"], "replicas")
    return x  # one output


def _replicated_output_infer(inputs, attrs):
    return [(inputs[0].dtype.base_dtype, inputs[0].shape)] * attrs["num_replicas"]


register_op("TPUReplicatedInput", _replicated_input_infer, kernel=_replicated_input_kernel,
            grad=NOT_DIFFERENTIABLE, forwards_input=True)  # fmt: skip
register_op("TPUReplicatedOutput", _replicated_output_infer, kernel=_replicated_output_kernel,
            grad=no_gradient)  # fmt: skip
register_op("TPUReplicateMetadata", lambda inputs, attrs: [], kernel=lambda ctx, op: (),
            grad=NOT_DIFFERENTIABLE)  # fmt: skip
register_op(
    "TPUCompilationResult",
    lambda inputs, attrs: [(dtypes.string, tensor_shape.TensorShape([]))],
    kernel=lambda ctx, op: np.array(b"", dtype=object),  # an OK CompilationResultProto
    grad=NOT_DIFFERENTIABLE,
)


class _ReplicateContext(ClusterContext):
    attr = "_tpu_replicate"
    what = "TPU computations"

    def __init__(self, name, pivot, outer):
        super().__init__(name, pivot, outer)
        self.outside_clusters = 0  # tf.tpu.outside_compilation calls so far

    def nested_error(self, op):
        return ValueError(f"TPU computations cannot be nested on op ({op})")


def replicate_context():
    """The ``tf.tpu.replicate`` computation being built, or None."""
    context = get_default_graph()._local.control_flow_context
    while context is not None and not isinstance(context, _ReplicateContext):
        context = context.outer
    return context


def _check_arity(computation, inputs: list) -> None:
    """TF's check that ``computation`` takes ``len(inputs)`` positional arguments."""
    try:
        params = inspect.signature(computation).parameters.values()
    except (TypeError, ValueError):
        return
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    required = sum(p.default is p.empty for p in positional)
    most = None if any(p.kind == p.VAR_POSITIONAL for p in params) else len(positional)
    n = len(inputs)
    if required <= n and (most is None or n <= most):
        return
    if most == required:
        needs = f"exactly {required} argument{'s' if required != 1 else ''}"
    elif n < required:
        needs = f"at least {required} argument{'s' if required != 1 else ''}"
    else:
        needs = f"at most {most} argument{'s' if most != 1 else ''}"
    names = [getattr(x, "name", x) for x in inputs]
    raise TypeError(
        "Supplied computation cannot be called with the specified inputs. You specified "
        f"{n} inputs: {names}, but the computation needs {needs}"
    )


def _flat_outputs(outputs):
    outputs = () if outputs is None else outputs
    template = nest.flatten(outputs)
    outputs = [*nest.flatten(outputs), no_op()]
    try:
        with device(_CORE_0):
            outputs = [
                o if isinstance(o, Operation) or o is None else convert_to_tensor(o)
                for o in outputs
            ]
    except (TypeError, ValueError) as e:
        raise ValueError(
            "TPU function return values must all either be Operations or convertible to "
            f"Tensors. Got error: {e}"
        ) from None
    ops = [o for o in outputs if isinstance(o, Operation)]
    tensors = [o for o in outputs if not isinstance(o, Operation)]
    if outputs != tensors + ops:
        raise ValueError(
            "TPU functions must return zero-or more Tensor values followed by zero or more "
            "Operations."
        )
    if len(ops) > 1:
        template = template[: 1 - len(ops)]
    return [None if t is None else _output_identity(t) for t in tensors], ops, template


def _output_identity(t):
    with device(t.device or _CORE_0):
        out = identity(t)
    out.op._attrs["_tpu_output_identity"] = True
    return out


def _structured_outputs(outputs):
    flat = []
    for o in nest.flatten(outputs):
        if isinstance(o, Operation):
            raise ValueError(
                "tpu.rewrite does not support Operation as return value in non-flat output "
                "structure. You can set returned Operations as control dependencies of "
                "returned Tensors so Operations are triggered when Tensors are evaluated. "
                f'Operation found: "{o.name}"'
            )
        if o is None:
            flat.append(None)
            continue
        try:
            o = convert_to_tensor(o)
        except (TypeError, ValueError) as e:
            raise ValueError(
                "TPU function return values must all either be Operations or convertible to "
                f'Tensors. Got error: "{e}"'
            ) from None
        o = _output_identity(o)
        with device(o.device or _CORE_0):
            flat.append(identity(o))
    return flat, [], outputs


def _split_compile_and_replicate(computation, inputs, xla_options=None):
    inputs = [[]] if inputs is None else inputs
    if not isinstance(inputs, list):
        raise TypeError(
            f"tpu.replicate() inputs must be a list of lists/tuples, received {type(inputs)}"
        )
    if any(not isinstance(x, (list, tuple)) for x in inputs):
        raise TypeError(
            "tpu.replicate() inputs must be a list of lists/tuples, received types: "
            f"{[type(x) for x in inputs]}"
        )
    if not inputs:
        return None, []
    if len(inputs) > 1:
        raise NotImplementedError(
            f"tf.tpu.replicate of {len(inputs)} replicas: scopeflow runs one replica on the "
            "CPU; pass one replica's inputs ([[...]]), or run the model over many devices with "
            "scopeflow.distribute.data_parallel"
        )
    flat = [constant(0) if x is None else convert_to_tensor(x) for x in nest.flatten(inputs[0])]
    _check_arity(computation, inputs[0])
    graph = get_default_graph()
    replicated = [
        apply_op(
            "TPUReplicatedInput",
            [x],
            {"N": 1, "is_mirrored_variable": False, "index": -1, "is_packed": False},
            name=f"input{i}",
        )  # fmt: skip
        for i, x in enumerate(flat)
    ]
    cluster = graph.unique_name("cluster")
    pivot = no_op(name=cluster + "/pivot")
    pivot._attrs["_pivot_for_cluster"] = cluster
    state = graph._local
    context = _ReplicateContext(cluster, pivot, state.control_flow_context)
    saved, state.control_flow_context = state.control_flow_context, context
    try:
        options = xla_options or XLAOptions()
        attrs = {
            **_METADATA,
            "use_spmd_for_xla_partitioning": bool(options.use_spmd_for_xla_partitioning),
            "use_shardy_partitioner": bool(options.use_shardy_partitioner),
        }
        metadata = graph.create_op("TPUReplicateMetadata", [], attrs, "TPUReplicateMetadata")
        with control_dependencies([metadata]):
            replicated = [
                identity(x, name=f"replicated_input_{i}") for i, x in enumerate(replicated)
            ]
            for x in replicated:
                x.op._attrs["_tpu_input_identity"] = True
            outputs = computation(*nest.pack_sequence_as(inputs[0], replicated))
        is_flat = _is_flat(outputs)
        tensors, ops, template = (_flat_outputs if is_flat else _structured_outputs)(outputs)
    finally:
        state.control_flow_context = saved
    with control_dependencies([metadata]):
        status = apply_op("TPUCompilationResult", [])
    status.op._attrs["_tpu_compilation_status"] = cluster
    if not tensors:
        return status, [group(*ops, name="shard_0")]
    results = []
    for i, t in enumerate(tensors):
        if t is None:
            results.append(None)
            continue
        y = apply_op("TPUReplicatedOutput", [t], {"num_replicas": 1}, name=f"output{i}")
        with control_dependencies(ops):
            results.append(identity(y, name=f"output_{i}_shard_0"))
    return status, [nest.pack_sequence_as(template, results)]


# TF 2.21's metadata of one replica on one core, no device assignment
_METADATA = {
    "num_replicas": 1, "num_cores_per_replica": 1, "topology": b"", "use_tpu": True,
    "device_assignment": [], "computation_shape": [], "host_compute_core": [],
    "padding_map": [], "step_marker_location": b"STEP_MARK_AT_ENTRY",
    "allow_soft_placement": False, "use_spmd_for_xla_partitioning": True,
    "use_shardy_partitioner": False, "tpu_compile_options_proto": b"",
}  # fmt: skip


def _no_device_assignment(device_assignment, infeed_queue, maximum_shapes=None) -> None:
    for value, name in ((device_assignment, "device_assignment"), (infeed_queue, "infeed_queue"),
                        (maximum_shapes, "maximum_shapes")):  # fmt: skip
        if value is not None:
            raise NotImplementedError(
                f"tf.tpu.replicate's {name}: scopeflow runs one replica on the CPU, with no TPU "
                "topology, infeed or padding; leave it out"
            )


def replicate(
    computation, inputs=None, infeed_queue=None, device_assignment=None, name=None,
    maximum_shapes=None, padding_spec=None, xla_options=None,
):  # fmt: skip
    """``computation`` replicated over the replicas of ``inputs`` (a list with one list of
    inputs per replica: here one), as TF's graph; returns one list of outputs per replica.

    Raises:
        TypeError: ``inputs`` is not a list of lists, or ``computation`` takes another number
            of arguments.
        ValueError: ``computation`` returned operations before tensors, or inside a structure.
        NotImplementedError: more than one replica, a device assignment, infeed or padding.
    """
    _no_device_assignment(device_assignment, infeed_queue, maximum_shapes)
    return _split_compile_and_replicate(computation, inputs, xla_options)[1]


def rewrite(
    computation, inputs=None, infeed_queue=None, device_assignment=None, name=None,
    xla_options=None,
):  # fmt: skip
    """``computation(*inputs)`` as a TPU computation of one replica: its outputs (a list for
    a flat result; the ``shard_0`` NoOp when it returned no tensor)."""
    return replicate(computation, None if inputs is None else [inputs], infeed_queue,
                     device_assignment, name, xla_options=xla_options)[0]  # fmt: skip


def shard(
    computation, inputs=None, num_shards=1, input_shard_axes=None, outputs_from_all_shards=True,
    output_shard_axes=None, infeed_queue=None, device_assignment=None, name=None,
    xla_options=None,
):  # fmt: skip
    """``computation`` over ``num_shards`` (here 1) pieces of each input split along
    ``input_shard_axes``, outputs put back together (concatenated, scalars stacked) along
    ``output_shard_axes``, as TF's graph.

    Raises:
        ValueError: ``num_shards`` is not positive; an axes list of another length.
        TypeError: ``inputs`` is not a list.
        NotImplementedError: more than one shard.
    """
    if num_shards <= 0:
        raise ValueError(f"num_shards must be a positive integer. Received {num_shards}")
    if num_shards > 1:
        raise NotImplementedError(
            f"tf.tpu.shard over {num_shards} shards: scopeflow runs one shard on the CPU; use "
            "num_shards=1, or scopeflow.distribute.data_parallel for many devices"
        )
    _no_device_assignment(device_assignment, infeed_queue)
    inputs = [] if inputs is None else inputs
    if not isinstance(inputs, list):
        raise TypeError(
            f"tpu.shard()'s inputs must be a list of Tensors or None. Received {type(inputs)}"
        )
    inputs = [convert_to_tensor(x) for x in inputs]
    axes = [0] * len(inputs) if input_shard_axes is None else input_shard_axes
    if len(inputs) != len(axes):
        raise ValueError(
            "Length of input_shard_axes must be equal to the number of inputs. Received "
            f"{len(inputs)} inputs and {len(axes)} input_shard_axes."
        )
    pieces = [list(split(x, 1, axis=axis)) for axis, x in zip(axes, inputs, strict=True)]
    per_shard = [list(p) for p in zip(*pieces, strict=True)] if inputs else [[]]
    _, outputs = _split_compile_and_replicate(computation, per_shard, xla_options)
    if isinstance(outputs[0], Operation):
        return [outputs[0]]
    count = len(outputs[0])
    out_axes = [0] * count if output_shard_axes is None else output_shard_axes
    if count != len(out_axes):
        raise ValueError(
            "Length of output_shard_axes must be equal to the number of outputs. Received "
            f"{count} outputs and {len(out_axes)} output_shard_axes."
        )
    every = outputs_from_all_shards
    every = [every] * count if isinstance(every, bool) else every
    if count != len(every):
        raise ValueError(
            "Length of outputs_from_all_shards must be equal to the number of outputs. "
            f"Received {count} outputs  and {len(every)} outputs_from_all_shards."
        )
    results = []
    for axis, all_shards, x in zip(out_axes, every, zip(*outputs, strict=True), strict=True):
        if not all_shards:
            results.append(x[0])
        elif x[0].shape.rank == 0:
            results.append(stack(list(x)))
        else:
            results.append(concat(list(x), axis=axis))
    return results


def batch_parallel(
    computation, inputs=None, num_shards=1, infeed_queue=None, device_assignment=None,
    name=None, xla_options=None,
):  # fmt: skip
    """``shard`` along the first axis of every input and output."""
    return shard(
        computation, inputs, num_shards=num_shards, infeed_queue=infeed_queue,
        device_assignment=device_assignment, name=name, xla_options=xla_options,
    )  # fmt: skip
