"""Random tensors with TF1's seed rules (graph seed from ``tf.set_random_seed`` + op seed)."""

from __future__ import annotations

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops import math_ops
from scopeflow.ops._infer import apply_op, shape_from_tensor

DEFAULT_GRAPH_SEED = 87654321
_MAX_INT32 = 2**31 - 1


def set_random_seed(seed: int | None) -> None:
    """Sets the graph-level seed of the default graph: with it, every random op made
    afterwards is repeatable across sessions and processes."""
    get_default_graph().seed = seed


def get_seed(op_seed: int | None) -> tuple[int | None, int | None]:
    """The ``(graph seed, op seed)`` pair TF1 derives for a new random op.

    With a graph seed and no op seed, the op seed is the number of ops in the graph, so the
    same program gives the same sequence; with neither, both are ``None`` (fresh entropy).
    """
    graph = get_default_graph()
    if graph.seed is not None:
        seeds = (graph.seed, graph.version if op_seed is None else op_seed)
    elif op_seed is not None:
        seeds = (DEFAULT_GRAPH_SEED, op_seed)
    else:
        return None, None
    if seeds == (0, 0):
        return 0, _MAX_INT32
    return seeds


def _random_infer(inputs, attrs):
    return [(attrs["dtype"], shape_from_tensor(inputs[0]))]


def _random_int_infer(inputs, attrs):
    shape, low, high = inputs
    for arg, t in (("minval", low), ("maxval", high)):
        if t.shape.ndims not in (None, 0):
            raise ValueError(f"Shape must be rank 0 but is rank {t.shape.ndims} for '{arg}'")
    return [(low.dtype.base_dtype, shape_from_tensor(shape))]


for _type in ("RandomStandardNormal", "TruncatedNormal", "RandomUniform"):
    register_op(_type, _random_infer, grad=NOT_DIFFERENTIABLE, stateful=True)
register_op("RandomUniformInt", _random_int_infer, grad=NOT_DIFFERENTIABLE, stateful=True)


def _seed_attrs(seed, dtype=None) -> dict:
    seed1, seed2 = get_seed(seed)
    attrs = {"seed": seed1 or 0, "seed2": seed2 or 0}
    if dtype is not None:
        attrs["dtype"] = dtype
    return attrs


def _shape_tensor(shape):
    if not hasattr(shape, "op"):
        static = tensor_shape.as_shape(shape)
        if not static.is_fully_defined():
            raise ValueError(f"a random tensor's shape must be fully defined, got {static}")
        shape = static.as_list()
    return convert_to_tensor(shape, dtype_hint=dtypes.int32, name="shape")


def _float_dtype(dtype, fn: str) -> dtypes.DType:
    dtype = dtypes.as_dtype(dtype).base_dtype
    if not dtype.is_floating:
        raise ValueError(f"{fn} needs a floating point dtype, got {dtype.name}")
    return dtype


def _scaled(op_type: str, default_name: str, shape, mean, stddev, dtype, seed, name):
    dtype = _float_dtype(dtype, default_name)
    with name_scope(name, default_name, [shape, mean, stddev]) as scope:
        shape_t = _shape_tensor(shape)
        mean_t = convert_to_tensor(mean, dtype=dtype, name="mean")
        stddev_t = convert_to_tensor(stddev, dtype=dtype, name="stddev")
        noise = apply_op(op_type, [shape_t], _seed_attrs(seed, dtype))
        return math_ops.add(noise * stddev_t, mean_t, name=scope)


@undo.atomic
def random_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """Samples from a normal distribution."""
    return _scaled("RandomStandardNormal", "random_normal", shape, mean, stddev, dtype, seed, name)


@undo.atomic
def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """Samples from a normal distribution, redrawing values more than two stddevs out."""
    return _scaled("TruncatedNormal", "truncated_normal", shape, mean, stddev, dtype, seed, name)


@undo.atomic
def random_uniform(shape, minval=0, maxval=None, dtype=dtypes.float32, seed=None, name=None):
    """Samples uniformly from ``[minval, maxval)`` (``maxval`` defaults to 1 for floats)."""
    dtype = dtypes.as_dtype(dtype).base_dtype
    if not (dtype.is_floating or dtype in (dtypes.int32, dtypes.int64)):
        raise ValueError(f"random_uniform needs a float, int32 or int64 dtype, got {dtype.name}")
    if maxval is None:
        if dtype.is_integer:
            raise ValueError(f"Must specify maxval for integer dtype {dtype!r}")
        maxval = 1
    with name_scope(name, "random_uniform", [shape, minval, maxval]) as scope:
        shape_t = _shape_tensor(shape)
        low = convert_to_tensor(minval, dtype=dtype, name="min")
        high = convert_to_tensor(maxval, dtype=dtype, name="max")
        if dtype.is_integer:
            return apply_op("RandomUniformInt", [shape_t, low, high], _seed_attrs(seed), name=scope)
        noise = apply_op("RandomUniform", [shape_t], _seed_attrs(seed, dtype))
        return math_ops.add(noise * (high - low), low, name=scope)
