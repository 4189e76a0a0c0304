"""Random tensors with TF1's seed rules (graph seed from ``tf.set_random_seed`` + op seed).

Each seeded op draws from its own Philox stream in the session (``philox.py``) with TF's CPU
distributions (``distributions.py``), so its values are TensorFlow's, run after run."""

from __future__ import annotations

import math

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.error_text import shape_str
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.core.infer import (
    INDEX,
    apply_op,
    check_dtype_in,
    constant_value,
    int_operand,
    shape_value,
)
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.random import distributions
from scopeflow.ops.random.philox import op_stream

DEFAULT_GRAPH_SEED = 87654321
_MAX_INT32 = 2**31 - 1
_FLOATS = (dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64)


def set_random_seed(seed: int | None) -> None:
    """Sets the graph-level seed of the default graph: with it, every random op made
    afterwards is repeatable across sessions and processes."""
    get_default_graph().seed = seed


class _SeedCounter:
    """How many random ops of one graph have drawn their op seed from the graph seed."""

    def __init__(self):
        self.count = 0

    def next(self) -> int:
        value = self.count
        self.count += 1
        undo.record(lambda: setattr(self, "count", value))
        return value


def get_seed(op_seed: int | None) -> tuple[int | None, int | None]:
    """The ``(graph seed, op seed)`` pair TF1 derives for a new random op.

    With a graph seed and no op seed, the op seed counts the random ops that drew one from
    this graph before (0, 1, 2...), so the same program gives the same sequence; with
    neither, both are ``None`` (fresh entropy). Seeds are taken modulo ``2**31 - 1``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     tf.set_random_seed(42)
    ...     get_seed(None), get_seed(None), get_seed(7)
    ((42, 0), (42, 1), (42, 7))
    """
    graph = get_default_graph()
    if graph.seed is not None:
        if op_seed is None:
            op_seed = graph._store("random_seed_counter", _SeedCounter).next()
        seeds = (graph.seed % _MAX_INT32, op_seed % _MAX_INT32)
    elif op_seed is not None:
        seeds = (DEFAULT_GRAPH_SEED, op_seed % _MAX_INT32)
    else:
        return None, None
    # (0, 0) would mean "nondeterministic" to the kernels.
    if seeds == (0, 0):
        return 0, _MAX_INT32
    return seeds


def _random_infer(inputs, attrs):
    shape = inputs[0]
    check_dtype_in("RandomStandardNormal", "shape", shape, INDEX)
    return [(attrs["dtype"], shape_value(shape))]


def _random_int_infer(inputs, attrs):
    shape, low, high = inputs
    check_dtype_in("RandomUniformInt", "shape", shape, INDEX)
    for arg, t in (("minval", low), ("maxval", high)):
        if t.shape.ndims not in (None, 0):
            raise ValueError(f"{arg} must be a scalar; got a tensor of shape {shape_str(t.shape)}")
    return [(low.dtype.base_dtype, shape_value(shape))]


def _sample_dtype(op) -> np.dtype:
    return np.dtype(op._attrs["dtype"].as_numpy_dtype)


def _sample_shape(shape) -> tuple[int, ...]:
    """A random op's output shape from its ``shape`` input, checked as TF's kernels check it."""
    dims = tuple(int(d) for d in shape)
    for d in dims:
        if d < 0:
            raise ValueError(f"Dimension {d} must be >= 0")
    return dims


def _philox_kernel(draw):
    """A kernel filling its output with ``draw(key, counter, size, dtype)`` from the op's
    Philox stream, which then moves past what TF reserves for that many outputs."""

    def kernel(ctx, op, shape):
        shape = _sample_shape(shape)
        size = math.prod(shape)
        stream = op_stream(ctx, op)
        return draw(stream.key, stream.reserve(size), size, _sample_dtype(op)).reshape(shape)

    return kernel


def _uniform_int_kernel(ctx, op, shape, low, high):
    if not low < high:
        raise ValueError(f"Need minval < maxval, got {low} >= {high}")
    shape = _sample_shape(shape)
    size = math.prod(shape)
    dtype = op._outputs[0].dtype.as_numpy_dtype
    stream = op_stream(ctx, op)
    counter = stream.reserve(size)
    return distributions.uniform_int(stream.key, counter, size, int(low), int(high), dtype).reshape(
        shape
    )


for _type, _kernel in (
    ("RandomStandardNormal", _philox_kernel(distributions.normal)),
    ("TruncatedNormal", _philox_kernel(distributions.truncated_normal)),
    ("RandomUniform", _philox_kernel(distributions.uniform)),
):
    register_op(_type, _random_infer, kernel=_kernel, grad=NOT_DIFFERENTIABLE, stateful=True)
register_op(
    "RandomUniformInt",
    _random_int_infer,
    kernel=_uniform_int_kernel,
    grad=NOT_DIFFERENTIABLE,
    stateful=True,
)


def _shuffle_kernel(ctx, op, value):
    if np.ndim(value) == 0 or np.size(value) <= 1 or len(value) <= 1:
        return value  # TF copies these without drawing
    rows, stream = len(value), op_stream(ctx, op)
    start = stream.skip((rows + 2) // 4)  # TF reserves rows - 1 words
    return value[distributions.shuffle_order(stream.key, start, rows)]


register_op(
    "RandomShuffle",
    lambda inputs, attrs: [(inputs[0].dtype.base_dtype, inputs[0].shape)],
    kernel=_shuffle_kernel,
    grad=NOT_DIFFERENTIABLE,
    stateful=True,
)


@undo.atomic
def random_shuffle(value, seed=None, name=None):
    """``value`` with its first dimension randomly permuted."""
    with name_scope(name, "RandomShuffle", [value]) as scope:
        value = convert_to_tensor(value, name="value")
        return apply_op("RandomShuffle", [value], _seed_attrs(seed), name=scope)


def _multinomial_infer(inputs, attrs):
    logits, num_samples = inputs
    if logits.shape.ndims not in (None, 2):
        raise ValueError(f"logits should be a matrix, got shape {logits.shape}")
    batch = logits.shape[0].value if logits.shape.ndims == 2 else None
    samples = constant_value(num_samples)
    count = None if samples is None else int(samples)
    return [(attrs["output_dtype"], tensor_shape.TensorShape([batch, count]))]


def multinomial_arguments(op, logits, num_samples):
    """A multinomial kernel's ``(logits, samples, dtype)``, checked with TF's run-time errors
    (``Multinomial`` and ``StatelessMultinomial``)."""
    logits = np.asarray(logits)
    if logits.ndim != 2:
        raise ValueError(f"logits should be a matrix, got shape {logits.shape}")
    if logits.shape[1] == 0:
        raise ValueError("num_classes should be positive, got 0")
    samples = int(num_samples)
    if samples < 0:
        raise ValueError(f"num_samples should be nonnegative, got {samples}")
    return logits, samples, op._outputs[0].dtype.as_numpy_dtype


def _multinomial_kernel(ctx, op, logits, num_samples):
    logits, samples, dtype = multinomial_arguments(op, logits, num_samples)
    if logits.shape[0] * samples == 0:
        return np.empty((logits.shape[0], samples), dtype)
    stream = op_stream(ctx, op)
    start = stream.reserve(logits.shape[0] * -(-samples // 4) * 4 * 2)  # two words a draw
    return distributions.multinomial(stream.key, start, logits, samples, dtype)


register_op(
    "Multinomial",
    _multinomial_infer,
    kernel=_multinomial_kernel,
    grad=NOT_DIFFERENTIABLE,
    stateful=True,
)


@undo.atomic
def multinomial(logits, num_samples, seed=None, name=None, output_dtype=None):
    """Draws ``num_samples`` class indices per row of unnormalized log-probabilities."""
    return _categorical(logits, num_samples, output_dtype, seed, name, "multinomial")


def categorical(logits, num_samples, dtype=None, seed=None, name=None):
    """``tf.random.categorical``: like ``multinomial``."""
    return _categorical(logits, num_samples, dtype, seed, name, "categorical")


def _categorical(logits, num_samples, dtype, seed, name, default_name):
    dtype = dtypes.int64 if dtype is None else dtypes.as_dtype(dtype)
    if dtype not in (dtypes.int32, dtypes.int64):
        raise ValueError(f"output dtype must be int32 or int64, got {dtype.name}")
    with name_scope(name, default_name, [logits]):
        logits = convert_to_tensor(logits, name="logits")
        with name_scope("Multinomial") as scope:
            samples = convert_to_tensor(num_samples, dtype=dtypes.int32, name="num_samples")
        attrs = {**_seed_attrs(seed), "output_dtype": dtype}
        return apply_op("Multinomial", [logits, samples], attrs, name=scope)


def _seed_attrs(seed, dtype=None) -> dict:
    seed1, seed2 = get_seed(seed)
    attrs = {"seed": seed1 or 0, "seed2": seed2 or 0}
    if dtype is not None:
        attrs["dtype"] = dtype
    return attrs


def _shape_tensor(shape):
    """``shape`` as a 1-D int tensor named ``shape`` (int32 unless given as int64 values)."""
    if isinstance(shape, tensor_shape.TensorShape) or shape is None:
        shape = tensor_shape.as_shape(shape)
        if not shape.is_fully_defined():
            raise ValueError(f"Cannot convert a partially known TensorShape {shape} to a Tensor.")
        shape = shape.as_list()
    elif isinstance(shape, (list, tuple)) and any(d is None for d in shape):
        raise TypeError(
            f"Failed to convert elements of {tuple(shape)} to Tensor. Consider casting elements "
            "to a supported type. See https://www.tensorflow.org/api_docs/python/tf/dtypes for "
            "supported TF dtypes."
        )
    return int_operand(shape, "shape")


def _scaled(op_type: str, default_name: str, shape, mean, stddev, dtype, seed, name):
    dtype = dtypes.as_dtype(dtype).base_dtype
    if dtype not in _FLOATS:
        raise TypeError(
            f"tf.{default_name} needs a floating point dtype (float16, bfloat16, float32 or "
            f"float64), got {dtype.name}."
        )
    with name_scope(name, default_name, [shape, mean, stddev]) as scope:
        shape_t = _shape_tensor(shape)
        mean_t = convert_to_tensor(mean, dtype=dtype, name="mean")
        stddev_t = convert_to_tensor(stddev, dtype=dtype, name="stddev")
        noise = apply_op(op_type, [shape_t], _seed_attrs(seed, dtype))
        return math_ops.add(noise * stddev_t, mean_t, name=scope)


@undo.atomic
def random_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """Samples from a normal distribution.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     r = tf.random_normal([2, 3])
    >>> r.op.name, r.op.inputs[0].op.name
    ('random_normal', 'random_normal/mul')
    """
    return _scaled("RandomStandardNormal", "random_normal", shape, mean, stddev, dtype, seed, name)


@undo.atomic
def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """Samples from a normal distribution, redrawing values more than two stddevs out."""
    return _scaled("TruncatedNormal", "truncated_normal", shape, mean, stddev, dtype, seed, name)


@undo.atomic
def random_uniform(shape, minval=0, maxval=None, dtype=dtypes.float32, seed=None, name=None):
    """Samples uniformly from ``[minval, maxval)`` (``maxval`` defaults to 1 for floats).

    As in TF, a float range starting at the Python int ``0`` skips the shift: up to the
    Python int ``1`` it is the bare ``RandomUniform`` op, else that op times ``maxval``
    (``random_uniform/Mul``).
    """
    dtype = dtypes.as_dtype(dtype).base_dtype
    if dtype not in (*_FLOATS, dtypes.int32, dtypes.int64):
        raise ValueError(
            f"Argument `dtype` got invalid value <dtype: '{dtype.name}'>. Accepted dtypes are "
            "(tf.float16, tf.bfloat16, tf.float32, tf.float64, tf.int32, tf.int64)."
        )
    if maxval is None:
        if dtype.is_integer:
            raise ValueError(f"Must specify maxval for integer dtype {dtype!r}")
        maxval = 1
    with name_scope(name, "random_uniform", [shape, minval, maxval]) as scope:
        shape_t = _shape_tensor(shape)
        from_zero, to_one = _is_python_int(minval, 0), _is_python_int(maxval, 1)
        if dtype.is_integer or not (from_zero and to_one):
            minval = convert_to_tensor(minval, dtype=dtype, name="min")
            maxval = convert_to_tensor(maxval, dtype=dtype, name="max")
        if dtype.is_integer:
            attrs = _seed_attrs(seed)
            return apply_op("RandomUniformInt", [shape_t, minval, maxval], attrs, name=scope)
        noise = apply_op("RandomUniform", [shape_t], _seed_attrs(seed, dtype))
        if from_zero:
            return noise if to_one else math_ops.multiply(noise, maxval)
        return math_ops.add(noise * (maxval - minval), minval, name=scope)


def _is_python_int(value, expected: int) -> bool:
    return isinstance(value, int) and value == expected


# The names ``import scopeflow as tf`` exports from this module.
__all__ = [
    "get_seed",
    "multinomial",
    "random_normal",
    "random_shuffle",
    "random_uniform",
    "set_random_seed",
    "truncated_normal",
]
