"""TF2-era stateless random ops on a Philox key and counter: ``StatelessRandomGetKeyCounter``
(a seed pair scrambled into both, as the V1 stateless kernels do inside), the full-range
integers ``StatelessRandomUniformFullIntV2`` and ``StatelessShuffle``, and what TF builds on
them: ``tf.random.stateless_uniform``, ``stateless_normal`` and ``stateless_truncated_normal``
(``StatelessRandomUniformV2``, ``...IntV2``, ``StatelessRandomNormalV2``,
``StatelessTruncatedNormalV2``, as TF 2 builds them; ``tf.contrib.stateless`` keeps TF 1's
ops), ``tf.random.fold_in``, ``split``, ``experimental.stateless_shuffle``,
``create_rng_state`` and ``Algorithm``.

Only Philox is implemented (``alg`` 1, or 3 "auto_select", which picks Philox on CPU as TF
does); ``alg=2`` (ThreeFry) fails when the op runs.
"""

from __future__ import annotations

import enum
import math

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.array.basic import stack
from scopeflow.ops.core.infer import INDEX, apply_op, check_dtype_in, shape_value
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.random import distributions, stateless
from scopeflow.ops.random.philox import philox_words
from scopeflow.ops.random.sampling import _FLOATS, _shape_tensor

_MASK64 = (1 << 64) - 1
_FULL_INTS = (dtypes.int32, dtypes.int64, dtypes.uint32, dtypes.uint64)


class Algorithm(enum.Enum):
    """The counter-based generators TF's stateless ops name by number."""

    PHILOX = 1
    THREEFRY = 2
    AUTO_SELECT = 3


_ALG_NAMES = {"philox": 1, "threefry": 2, "auto_select": 3}


def algorithm_id(alg) -> int:
    """The number of ``alg``: a name (``"philox"``...), an ``Algorithm`` or its number;
    ``None`` is auto_select, as in TF."""
    if alg is None:
        return Algorithm.AUTO_SELECT.value
    if isinstance(alg, Algorithm):
        return alg.value
    if isinstance(alg, str) and alg.lower() in _ALG_NAMES:
        return _ALG_NAMES[alg.lower()]
    if isinstance(alg, int) and not isinstance(alg, bool) and alg in (1, 2, 3):
        return alg
    raise ValueError(
        f"Argument `alg` got unsupported value {alg}. Supported values are philox for the "
        "Philox algorithm, threefry for the ThreeFry algorithm, and auto_select for "
        "auto-selection."
    )


def _key_counter_infer(inputs, attrs):
    stateless._check_seed("StatelessRandomGetKeyCounter", inputs[0])
    vector = tensor_shape.TensorShape
    return [(dtypes.uint64, vector([1])), (dtypes.uint64, vector([2]))]


def _key_counter_kernel(ctx, op, seed):
    key, counter = stateless.key_and_counter(stateless._seed_pair(seed))
    return np.array([key], np.uint64), np.array([counter & _MASK64, counter >> 64], np.uint64)


register_op(
    "StatelessRandomGetKeyCounter",
    _key_counter_infer,
    kernel=_key_counter_kernel,
    grad=NOT_DIFFERENTIABLE,
)


def _philox_state(key, counter, alg) -> tuple[int, int]:
    if int(alg) == 2:
        raise ValueError("StatelessRandom ops of scopeflow implement Philox only (alg 1 or 3, "
                         "auto_select); got alg 2 (ThreeFry)")  # fmt: skip
    if int(alg) not in (1, 3):
        raise ValueError(f"Unsupported algorithm id: {int(alg)}")
    key, counter = np.asarray(key).reshape(-1), np.asarray(counter).reshape(-1)
    if key.size != 1 or counter.size < 2:
        raise ValueError(f"key must have 1 element and counter 2, got {key.size} and "
                         f"{counter.size}")  # fmt: skip
    return int(key[0]), int(counter[0]) | int(counter[1]) << 64


def full_range_ints(key: int, counter: int, size: int, dtype: np.dtype) -> np.ndarray:
    """``size`` integers over all of ``dtype``'s range: one Philox word each (32-bit), or the
    low then high word of a pair (64-bit)."""
    dtype = np.dtype(dtype)
    if dtype.itemsize == 8:
        words = philox_words(key, counter, -(-size // 2)).reshape(-1, 2)[:size]
        bits = words[:, 0].astype(np.uint64) | (words[:, 1].astype(np.uint64) << np.uint64(32))
        return bits.view(dtype)
    return philox_words(key, counter, -(-size // 4)).reshape(-1)[:size].view(dtype)


def _v2_infer(op_type: str):
    def infer(inputs, attrs):
        shape = inputs[0]
        check_dtype_in(op_type, "shape", shape, INDEX)
        dtype = attrs["dtype"] if "dtype" in attrs else inputs[4].dtype.base_dtype
        return [(dtype, shape_value(shape))]

    return infer


def _full_int_kernel(ctx, op, shape, key, counter, alg):
    key, counter = _philox_state(key, counter, alg)
    shape = tuple(int(d) for d in shape)
    dtype = op._attrs["dtype"].as_numpy_dtype
    return full_range_ints(key, counter, math.prod(shape), dtype).reshape(shape)


register_op(
    "StatelessRandomUniformFullIntV2",
    _v2_infer("StatelessRandomUniformFullIntV2"),
    kernel=_full_int_kernel,
    grad=NOT_DIFFERENTIABLE,
)


def _drawing_kernel(draw):
    def kernel(ctx, op, shape, key, counter, alg):
        key, counter = _philox_state(key, counter, alg)
        shape = tuple(int(d) for d in shape)
        dtype = np.dtype(op._attrs["dtype"].as_numpy_dtype)
        return draw(key, counter, math.prod(shape), dtype).reshape(shape)

    return kernel


for _type, _draw in (
    ("StatelessRandomUniformV2", distributions.uniform),
    ("StatelessRandomNormalV2", distributions.normal),
    ("StatelessTruncatedNormalV2", distributions.truncated_normal),
):
    register_op(_type, _v2_infer(_type), kernel=_drawing_kernel(_draw), grad=NOT_DIFFERENTIABLE)


def _uniform_int_v2_kernel(ctx, op, shape, key, counter, alg, low, high):
    key, counter = _philox_state(key, counter, alg)
    if not low < high:
        raise ValueError(f"Need minval < maxval, got {low} >= {high}")
    shape = tuple(int(d) for d in shape)
    dtype = op._outputs[0].dtype.as_numpy_dtype
    size = math.prod(shape)
    return distributions.uniform_int(key, counter, size, int(low), int(high), dtype).reshape(shape)


register_op(
    "StatelessRandomUniformIntV2",
    _v2_infer("StatelessRandomUniformIntV2"),
    kernel=_uniform_int_v2_kernel,
    grad=NOT_DIFFERENTIABLE,
)


def _read_and_skip_infer(inputs, attrs):
    state = inputs[0]
    if state.dtype.base_dtype != dtypes.int64:
        raise TypeError(f"RngReadAndSkip needs an int64 state variable, got {state.dtype!r}")
    return [(dtypes.int64, state.shape)]


def _read_and_skip_kernel(ctx, op, var_op, alg, delta):
    """The state before the skip; the variable's counter then moves on ``256 * delta``."""
    state = np.asarray(ctx.read_variable(var_op, op))
    if int(alg) not in (1, 3) or state.shape != (3,):
        raise ValueError(f"RngReadAndSkip: scopeflow implements Philox states (3 int64), got "
                         f"alg {int(alg)} and a state of shape {list(state.shape)}")  # fmt: skip
    words = state.view(np.uint64)
    counter = (int(words[0]) | int(words[1]) << 64) + 256 * int(delta)
    counter &= (1 << 128) - 1
    new = np.array([counter & _MASK64, counter >> 64, int(words[2])], np.uint64).view(np.int64)
    ctx.write_variable(var_op, new)
    return state.copy()


register_op(
    "RngReadAndSkip",
    _read_and_skip_infer,
    kernel=_read_and_skip_kernel,
    grad=NOT_DIFFERENTIABLE,
    stateful=True,
    ref_inputs=(0,),
)


def _shuffle_kernel(ctx, op, value, key, counter, alg):
    key, counter = _philox_state(key, counter, alg)
    if np.ndim(value) == 0 or len(value) <= 1:
        return value
    return value[distributions.shuffle_order(key, counter, len(value))]


register_op(
    "StatelessShuffle",
    lambda inputs, attrs: [(inputs[0].dtype.base_dtype, inputs[0].shape)],
    kernel=_shuffle_kernel,
    grad=NOT_DIFFERENTIABLE,
)


def _key_counter(seed):
    with name_scope("StatelessRandomGetKeyCounter") as scope:
        seed = convert_to_tensor(seed, name="seed")
    return apply_op("StatelessRandomGetKeyCounter", [seed], {}, name=scope)


def _full_range_uniform(shape, seed, dtype, alg, name):
    with name_scope(name, "stateless_random_uniform", [shape, seed]) as scope:
        shape_t = _shape_tensor(shape)
        key, counter = _key_counter(seed)
        alg_t = convert_to_tensor(alg, dtype=dtypes.int32, name="alg")
        inputs = [shape_t, key, counter, alg_t]
        return apply_op("StatelessRandomUniformFullIntV2", inputs, {"dtype": dtype}, name=scope)


@undo.atomic
def stateless_random_uniform(shape, seed, minval=0, maxval=None, dtype=dtypes.float32,
                             name=None, alg="auto_select"):  # fmt: skip
    """``tf.random.stateless_uniform``: values in ``[minval, maxval)`` fixed by a ``[2]`` int
    ``seed``; for an integer ``dtype`` with ``minval`` and ``maxval`` both None, integers
    over the whole range of the dtype (TF's ``StatelessRandomUniformFullIntV2``).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     bits = tf.random.stateless_uniform([2], [1, 2], None, None, dtype=tf.int32)
    ...     print(tf.Session().run(bits))
    [1105988140 1738052849]
    """
    dtype = dtypes.as_dtype(dtype).base_dtype
    alg = algorithm_id(alg)
    if dtype.is_integer and (minval is None) != (maxval is None):
        first = f"Must specify maxval for integer dtype {dtype!r}: " if maxval is None else ""
        raise ValueError(
            f"{first}For integer `dtype` argument <dtype: '{dtype.name}'>, argument `minval` "
            f"and `maxval` must be both None or not None. Got `minval`={minval} and "
            f"`maxval`={maxval}."
        )
    if dtype.is_integer and minval is None:
        if dtype not in _FULL_INTS:
            raise ValueError(
                f"Argument `dtype` got invalid value <dtype: '{dtype.name}'>. Accepted dtypes "
                "are (tf.int32, tf.int64, tf.uint32, tf.uint64)."
            )
        return _full_range_uniform(shape, seed, dtype, alg, name)
    if minval is None:
        raise ValueError("None values not supported.")
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
        key, counter = _key_counter(seed)
        if dtype.is_integer:
            alg_t = convert_to_tensor(alg, dtype=dtypes.int32, name="alg")
            inputs = [shape_t, key, counter, alg_t, minval, maxval]
            return apply_op("StatelessRandomUniformIntV2", inputs, {}, name=scope)
        rnd = _drawing_op("StatelessRandomUniformV2", shape_t, key, counter, alg, dtype)
        return math_ops.add(rnd * (maxval - minval), minval, name=scope)


def _drawing_op(op_type: str, shape_t, key, counter, alg: int, dtype):
    """``StatelessRandomUniformV2`` and kin, with ``alg`` converted in the op's own scope."""
    with name_scope(op_type) as scope:
        alg_t = convert_to_tensor(alg, dtype=dtypes.int32, name="alg")
    return apply_op(op_type, [shape_t, key, counter, alg_t], {"dtype": dtype}, name=scope)


def _scaled(op_type, default_name, shape, seed, mean, stddev, dtype, name, alg):
    dtype = stateless.float_dtype(dtype, default_name)
    alg = algorithm_id(alg)
    with name_scope(name, default_name, [shape, seed, mean, stddev]) as scope:
        shape_t = _shape_tensor(shape)
        mean_t = convert_to_tensor(mean, dtype=dtype, name="mean")
        stddev_t = convert_to_tensor(stddev, dtype=dtype, name="stddev")
        key, counter = _key_counter(seed)
        rnd = _drawing_op(op_type, shape_t, key, counter, alg, dtype)
        return math_ops.add(rnd * stddev_t, mean_t, name=scope)


@undo.atomic
def stateless_random_normal(shape, seed, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None,
                            alg="auto_select"):  # fmt: skip
    """``tf.random.stateless_normal``: normal values fixed by a ``[2]`` int ``seed``
    (``StatelessRandomGetKeyCounter`` and ``StatelessRandomNormalV2``, as TF 2 builds it)."""
    args = (shape, seed, mean, stddev, dtype, name, alg)
    return _scaled("StatelessRandomNormalV2", "stateless_random_normal", *args)


@undo.atomic
def stateless_truncated_normal(shape, seed, mean=0.0, stddev=1.0, dtype=dtypes.float32,
                               name=None, alg="auto_select"):  # fmt: skip
    """``tf.random.stateless_truncated_normal``: normal values within two standard
    deviations, fixed by a ``[2]`` int ``seed`` (``StatelessTruncatedNormalV2``)."""
    args = (shape, seed, mean, stddev, dtype, name, alg)
    return _scaled("StatelessTruncatedNormalV2", "stateless_truncated_normal", *args)


@undo.atomic
def fold_in(seed, data, alg="auto_select"):
    """A new ``[2]`` seed from ``seed`` and an integer ``data``: a full-range draw from
    ``seed`` beside ``data`` (``tf.random.fold_in``)."""
    alg = algorithm_id(alg)
    data = convert_to_tensor(data)
    first = stateless_random_uniform([], seed, None, None, dtype=data.dtype, alg=alg)
    return stack([first, data])


@undo.atomic
def split(seed, num=2, alg="auto_select"):
    """``num`` new ``[2]`` seeds from ``seed``, as a ``[num, 2]`` tensor
    (``tf.random.split``)."""
    alg = algorithm_id(alg)
    seed = convert_to_tensor(seed)
    return stateless_random_uniform([num, 2], seed, None, None, dtype=seed.dtype, alg=alg)


@undo.atomic
def stateless_shuffle(value, seed, alg="auto_select", name=None):
    """``value`` with its first dimension permuted, fixed by a ``[2]`` int ``seed``."""
    alg = algorithm_id(alg)
    with name_scope(name, "stateless_shuffle", [value, seed]):
        key, counter = _key_counter(seed)
        with name_scope("StatelessShuffle") as scope:
            value = convert_to_tensor(value, name="value")
            alg_t = convert_to_tensor(alg, dtype=dtypes.int32, name="alg")
        return apply_op("StatelessShuffle", [value, key, counter, alg_t], {}, name=scope)


_STATE_SIZES = {1: 3, 2: 2, 3: 3}  # Philox: a 128-bit counter and a 64-bit key


def create_rng_state(seed, alg):
    """The int64 state a ``tf.random.Generator`` of ``alg`` starts from for ``seed``: a
    Python int laid out in 64-bit words (low first, two's complement), or an array's
    values padded in front with zeros."""
    size = _STATE_SIZES[algorithm_id(alg)]
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool):
        value = int(seed) % (1 << (64 * size))
        words = [(value >> (64 * i)) & _MASK64 for i in range(size)]
        state = np.array(words, np.uint64).view(np.int64)
    else:
        flat = np.asarray(seed).astype(np.int64).reshape(-1)[:size]
        state = np.concatenate([np.zeros(size - flat.size, np.int64), flat])
    return convert_to_tensor(state, dtype=dtypes.int64)


__all__ = [
    "Algorithm",
    "create_rng_state",
    "fold_in",
    "split",
    "stateless_random_normal",
    "stateless_random_uniform",
    "stateless_shuffle",
    "stateless_truncated_normal",
]
