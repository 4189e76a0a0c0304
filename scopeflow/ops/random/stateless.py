"""Stateless random ops (``tf.random.stateless_uniform`` and kin): the values depend on a
``[2]`` seed tensor only, so the same seed gives the same values on every run.

As TF's ``StatelessRandom*`` kernels, the seed pair is scrambled by one Philox call into a
key and a starting counter, then the op's distribution fills the output as the stateful op
of the same distribution does (``distributions.py``).
"""

from __future__ import annotations

import math

import numpy as np

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.core.infer import INDEX, apply_op, check_dtype_in, shape_value
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.random import distributions
from scopeflow.ops.random.philox import philox_words
from scopeflow.ops.random.sampling import (
    _FLOATS,
    _multinomial_infer,
    _shape_tensor,
    multinomial_arguments,
)

_SCRAMBLE_KEY = 0x02461E29_3EC8F720  # the fixed key TF mixes the seed pair with


def key_and_counter(seed) -> tuple[int, int]:
    """The Philox key and counter TF derives from a stateless op's seed pair.

    >>> key_and_counter([1, 2]) == key_and_counter(np.array([1, 2], np.int64))
    True
    """
    first, second = (int(s) % (1 << 64) for s in np.asarray(seed).reshape(-1)[:2])
    mixed = philox_words(_SCRAMBLE_KEY, first | second << 64, 1)[0].tolist()
    return mixed[0] | mixed[1] << 32, (mixed[2] | mixed[3] << 32) << 64


def _check_seed(op_type: str, seed) -> None:
    check_dtype_in(op_type, "seed", seed, INDEX)
    shape = seed.shape
    if shape.ndims not in (None, 1) or (shape.ndims == 1 and shape[0].value not in (None, 2)):
        raise ValueError(f"Dimension must be 2 but is {shape[0].value} for 'seed' of '{op_type}'")


def _stateless_infer(op_type: str):
    def infer(inputs, attrs):
        shape, seed = inputs[:2]
        check_dtype_in(op_type, "shape", shape, INDEX)
        _check_seed(op_type, seed)
        dtype = attrs["dtype"] if "dtype" in attrs else inputs[2].dtype.base_dtype
        return [(dtype, shape_value(shape))]

    return infer


def _seed_pair(seed) -> np.ndarray:
    seed = np.asarray(seed)
    if seed.shape != (2,):
        raise ValueError(f"seed must have shape [2], not {list(seed.shape)}")
    return seed


def _stateless_kernel(draw):
    def kernel(ctx, op, shape, seed):
        shape = tuple(int(d) for d in shape)
        key, counter = key_and_counter(_seed_pair(seed))
        dtype = np.dtype(op._attrs["dtype"].as_numpy_dtype)
        return draw(key, counter, math.prod(shape), dtype).reshape(shape)

    return kernel


def _stateless_int_kernel(ctx, op, shape, seed, low, high):
    if not low < high:
        raise ValueError(f"Need minval < maxval, got {low} >= {high}")
    shape = tuple(int(d) for d in shape)
    key, counter = key_and_counter(_seed_pair(seed))
    dtype = op._outputs[0].dtype.as_numpy_dtype
    size = math.prod(shape)
    return distributions.uniform_int(key, counter, size, int(low), int(high), dtype).reshape(shape)


for _type, _draw in (
    ("StatelessRandomUniform", distributions.uniform),
    ("StatelessRandomNormal", distributions.normal),
    ("StatelessTruncatedNormal", distributions.truncated_normal),
):
    register_op(
        _type, _stateless_infer(_type), kernel=_stateless_kernel(_draw), grad=NOT_DIFFERENTIABLE
    )
register_op(
    "StatelessRandomUniformInt",
    _stateless_infer("StatelessRandomUniformInt"),
    kernel=_stateless_int_kernel,
    grad=NOT_DIFFERENTIABLE,
)


def _stateless_op(op_type: str, inputs: list, seed, attrs: dict):
    """``op_type`` on ``inputs`` and the seed, which TF converts inside the op's own scope."""
    with name_scope(op_type) as scope:
        seed = convert_to_tensor(seed, dtype_hint=dtypes.int64, name="seed")
    return apply_op(op_type, [inputs[0], seed, *inputs[1:]], attrs, name=scope)


def float_dtype(dtype, api: str):
    dtype = dtypes.as_dtype(dtype).base_dtype
    if dtype not in _FLOATS:
        raise ValueError(f"Invalid dtype {dtype!r} for tf.random.{api}: it takes floats.")
    return dtype


@undo.atomic
def stateless_random_uniform(shape, seed, minval=0, maxval=None, dtype=dtypes.float32,
                             name=None):  # fmt: skip
    """Uniform values in ``[minval, maxval)`` fixed by a ``[2]`` int ``seed``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     u = tf.random.stateless_uniform([2], seed=[1, 2])
    ...     with tf.Session() as sess:
    ...         bool((sess.run(u) == sess.run(u)).all())
    True
    """
    dtype = dtypes.as_dtype(dtype).base_dtype
    if dtype not in (*_FLOATS, dtypes.int32, dtypes.int64):
        raise ValueError(f"Invalid dtype {dtype!r}")
    if maxval is None:
        if dtype.is_integer:
            raise ValueError(f"Must specify maxval for integer dtype {dtype!r}")
        maxval = 1
    with name_scope(name, "stateless_random_uniform", [shape, seed, minval, maxval]) as scope:
        shape_t = _shape_tensor(shape)
        minval = convert_to_tensor(minval, dtype=dtype, name="min")
        maxval = convert_to_tensor(maxval, dtype=dtype, name="max")
        if dtype.is_integer:
            seed_t = convert_to_tensor(seed, dtype_hint=dtypes.int64, name="seed")
            inputs = [shape_t, seed_t, minval, maxval]
            return apply_op("StatelessRandomUniformInt", inputs, {}, name=scope)
        rnd = _stateless_op("StatelessRandomUniform", [shape_t], seed, {"dtype": dtype})
        return math_ops.add(rnd * (maxval - minval), minval, name=scope)


def _stateless_scaled(op_type, default_name, shape, seed, mean, stddev, dtype, name):
    dtype = float_dtype(dtype, default_name)
    with name_scope(name, default_name, [shape, seed, mean, stddev]) as scope:
        shape_t = _shape_tensor(shape)
        mean_t = convert_to_tensor(mean, dtype=dtype, name="mean")
        stddev_t = convert_to_tensor(stddev, dtype=dtype, name="stddev")
        rnd = _stateless_op(op_type, [shape_t], seed, {"dtype": dtype})
        return math_ops.add(rnd * stddev_t, mean_t, name=scope)


@undo.atomic
def stateless_random_normal(shape, seed, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None):
    """Normal values fixed by a ``[2]`` int ``seed``."""
    args = (shape, seed, mean, stddev, dtype, name)
    return _stateless_scaled("StatelessRandomNormal", "stateless_random_normal", *args)


@undo.atomic
def stateless_truncated_normal(shape, seed, mean=0.0, stddev=1.0, dtype=dtypes.float32,
                               name=None):  # fmt: skip
    """Normal values within two standard deviations, fixed by a ``[2]`` int ``seed``."""
    args = (shape, seed, mean, stddev, dtype, name)
    return _stateless_scaled("StatelessTruncatedNormal", "stateless_truncated_normal", *args)


def _stateless_multinomial_infer(inputs, attrs):
    _check_seed("StatelessMultinomial", inputs[2])
    return _multinomial_infer(inputs[:2], attrs)


def _stateless_multinomial_kernel(ctx, op, logits, num_samples, seed):
    logits, samples, dtype = multinomial_arguments(op, logits, num_samples)
    if logits.shape[0] * samples == 0:
        return np.empty((logits.shape[0], samples), dtype)
    key, counter = key_and_counter(_seed_pair(seed))
    return distributions.multinomial(key, counter, logits, samples, dtype)


register_op(
    "StatelessMultinomial",
    _stateless_multinomial_infer,
    kernel=_stateless_multinomial_kernel,
    grad=NOT_DIFFERENTIABLE,
)


def _stateless_categorical(logits, num_samples, seed, dtype, name, default_name):
    dtype = dtypes.int64 if dtype is None else dtypes.as_dtype(dtype)
    if dtype not in (dtypes.int32, dtypes.int64):
        raise ValueError(f"output dtype must be int32 or int64, got {dtype.name}")
    with name_scope(name, default_name, [logits, seed]):
        logits = convert_to_tensor(logits, name="logits")
        with name_scope("StatelessMultinomial") as scope:
            samples = convert_to_tensor(num_samples, dtype=dtypes.int32, name="num_samples")
            seed = convert_to_tensor(seed, dtype_hint=dtypes.int64, name="seed")
        attrs = {"output_dtype": dtype}
        return apply_op("StatelessMultinomial", [logits, samples, seed], attrs, name=scope)


@undo.atomic
def stateless_multinomial(logits, num_samples, seed, output_dtype=dtypes.int64, name=None):
    """``num_samples`` class indices per row of ``logits``, fixed by a ``[2]`` int ``seed``."""
    args = (logits, num_samples, seed, output_dtype, name)
    return _stateless_categorical(*args, "stateless_multinomial")


@undo.atomic
def stateless_categorical(logits, num_samples, seed, dtype=dtypes.int64, name=None):
    """``tf.random.stateless_categorical``: like ``stateless_multinomial``."""
    return _stateless_categorical(logits, num_samples, seed, dtype, name, "stateless_categorical")


__all__ = [
    "stateless_categorical",
    "stateless_multinomial",
    "stateless_random_normal",
    "stateless_random_uniform",
    "stateless_truncated_normal",
]
