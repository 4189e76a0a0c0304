"""``RandomIndexShuffle`` (``tf.random_index_shuffle``, ``tf.random.experimental.index_shuffle``):
where ``index`` lands in a pseudorandom permutation of ``[0, max_index]`` fixed by ``seed``,
without making the permutation. As TF does: a Simon block cipher (a Feistel network over two
words, with TF's key schedule, a fixed number of rounds) over the smallest even block of at
least 16 bits that holds ``max_index``, applied again until the result is in range (cycle
walking). Values agree with TF's bit for bit. No gradient, as in TF."""

from __future__ import annotations

import math

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.array.pad import pad
from scopeflow.ops.core.infer import apply_op, check_dtype_in, check_same_dtype

__all__ = ["random_index_shuffle"]

_TYPES = (dtypes.int32, dtypes.uint32, dtypes.int64, dtypes.uint64)
_MIN_BLOCK_BITS = 16
# TF's constants of the Simon key schedule.
_C = 0xFFFFFFFC
_Z = 0x7369F885192C0EF5
# What tf.random.experimental.index_shuffle puts before a two-number seed.
_SEED_PAD = 498247692


def _rotl(x: int, r: int, w: int) -> int:
    return ((x << r) | (x >> (w - r))) & ((1 << w) - 1)


def _rotr(x: int, r: int, w: int) -> int:
    return ((x >> r) | (x << (w - r))) & ((1 << w) - 1)


def _simon_f(x: int, w: int) -> int:
    return (_rotl(x, 1, w) & _rotl(x, 8, w)) ^ _rotl(x, 2, w)


def _round_keys(key: tuple[int, int, int], rounds: int, w: int) -> list[int]:
    """Simon's key schedule over ``w``-bit words (TF's constants cut to ``w`` bits)."""
    mask = (1 << w) - 1
    c, z = _C & mask, _Z & mask
    keys = [k & mask for k in key]
    for i in range(3, rounds):
        keys.append(c ^ (z & 1) ^ keys[i - 3] ^ _rotr(keys[i - 1], 3, w) ^ _rotr(keys[i - 1], 4, w))
        z >>= 1
    return keys


def _encrypt(value: int, keys: list[int], w: int) -> int:
    mask = (1 << w) - 1
    left, right = (value >> w) & mask, value & mask
    for i in range(0, len(keys), 2):
        left ^= _simon_f(right, w) ^ keys[i]
        right ^= _simon_f(left, w) ^ keys[i + 1]
    return (left << w) | right


def index_shuffle_value(index: int, key: tuple[int, int, int], max_index: int, rounds: int) -> int:
    """TF's ``random::index_shuffle`` on Python ints (unsigned 64-bit values)."""
    if max_index == 0:
        return 0
    bits = math.ceil(math.log2(float(max_index)))
    block = max(bits + bits % 2, _MIN_BLOCK_BITS)
    block = 64 if block > 62 else block
    w = block // 2
    keys = _round_keys(key, rounds, w)
    new_index = index
    while True:
        new_index = _encrypt(new_index, keys, w)
        if new_index <= max_index:
            return new_index


def _as_uint64(values) -> list[int]:
    return [int(v) & 0xFFFFFFFFFFFFFFFF for v in np.reshape(values, -1).tolist()]


def _random_index_shuffle_infer(inputs, attrs):
    index, seed, max_index = inputs
    dtype = check_dtype_in("RandomIndexShuffle", "index", index, _TYPES)
    check_same_dtype("RandomIndexShuffle", ("index", "max_index"), [index, max_index])
    check_dtype_in("RandomIndexShuffle", "seed", seed, _TYPES)
    sizes = []
    for t in (index, max_index):
        if t.shape.ndims is not None and t.shape.ndims > 1:
            raise ValueError(f"Shape must be at most rank 1 but is rank {t.shape.ndims}")
        if t.shape.ndims == 1:
            sizes.append(t.shape[0].value)
    dims = seed.shape.as_list() if seed.shape.ndims is not None else None
    if dims is not None:
        if not (dims in ([3], [None]) or (len(dims) == 2 and dims[1] in (3, None))):
            raise ValueError(f"Seed must have shape [3] or [n, 3] but got {dims}.")
        if len(dims) == 2:
            sizes.append(dims[0])
    if not sizes and index.shape.ndims == 0 and max_index.shape.ndims == 0 and dims is not None:
        return [(dtype, tensor_shape.TensorShape([]))]
    known = [s for s in sizes if s is not None]
    return [(dtype, tensor_shape.TensorShape([known[0] if known else None]))]


def _random_index_shuffle_kernel(ctx, op, index, seed, max_index):
    rounds = op._attrs["rounds"]
    index, max_index, seed = np.asarray(index), np.asarray(max_index), np.asarray(seed)
    scalar = index.ndim == 0 and seed.ndim == 1 and max_index.ndim == 0
    n = max(index.size, max_index.size, seed.size // 3)
    if index.ndim > 1 or (index.ndim == 1 and index.size != n):
        raise ValueError("Index bust be a scalar or vector.")
    if not (seed.shape == (3,) or seed.shape == (n, 3)):
        raise ValueError(
            f"Seed must be a vector of size [3] or a matrix of size [{n}, 3] but got "
            f"{list(seed.shape)}."
        )
    if max_index.ndim > 1 or (max_index.ndim == 1 and max_index.size != n):
        raise ValueError(
            "Maxval must be a scalar or a vector of the same size as index but got "
            f"{list(max_index.shape)}"
        )
    indices, maxima = _as_uint64(index), _as_uint64(max_index)
    keys = [tuple(v & 0xFFFFFFFF for v in _as_uint64(row)) for row in seed.reshape(-1, 3)]
    out = []
    for i in range(n):
        value = indices[i if len(indices) > 1 else 0]
        top = maxima[i if len(maxima) > 1 else 0]
        if top < value:
            raise ValueError(f"max_index must be >= index, but {top} < {value}")
        out.append(index_shuffle_value(value, keys[i if len(keys) > 1 else 0], top, rounds))
    np_dtype = op.outputs[0].dtype.as_numpy_dtype
    result = np.array(out, dtype=np.uint64).astype(np_dtype)
    return result.reshape(()) if scalar else result


register_op(
    "RandomIndexShuffle",
    _random_index_shuffle_infer,
    kernel=_random_index_shuffle_kernel,
    grad=NOT_DIFFERENTIABLE,
)


@undo.atomic
def random_index_shuffle(index, seed, max_index, rounds=4, name=None):
    """Where ``index`` lands in the permutation of ``[0, max_index]`` that ``seed`` (3 numbers,
    or one row of 3 per index) fixes: the raw ``RandomIndexShuffle`` op.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.random_index_shuffle(tf.range(10), [1, 2, 3], 9)))
    [2 0 6 4 8 1 7 9 5 3]
    """
    rounds = int(rounds)
    if rounds < 4 or rounds % 2:
        raise ValueError(
            f"rounds must be an even number of at least 4, got {rounds} (TF's kernel assumes it)"
        )
    with name_scope(name, "RandomIndexShuffle", [index, seed, max_index]) as scope:
        index = convert_to_tensor(index, name="index")
        seed = convert_to_tensor(seed, name="seed")
        max_index = convert_to_tensor(max_index, dtype_hint=index.dtype.base_dtype,
                                      name="max_index")  # fmt: skip
        attrs = {"rounds": rounds, "dtype": index.dtype.base_dtype, "Tseed": seed.dtype.base_dtype}
        return apply_op("RandomIndexShuffle", [index, seed, max_index], attrs, name=scope)


@undo.atomic
def index_shuffle(index, seed, max_index):
    """``tf.random.experimental.index_shuffle``: :func:`random_index_shuffle` with a
    two-number seed (TF puts a fixed number before it) and 4 rounds.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.random.experimental.index_shuffle(3, [1, 2], 9)))
    4
    """
    seed = convert_to_tensor(seed)
    rank = seed.shape.ndims
    paddings = [[1, 0]] + [[0, 0]] * ((rank or 1) - 1)
    seed = pad(seed, paddings, constant_values=_SEED_PAD)
    return random_index_shuffle(index, seed, max_index, rounds=4)
