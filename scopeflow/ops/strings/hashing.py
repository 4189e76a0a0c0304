"""String hashing: ``StringToHashBucket`` (``tf.string_to_hash_bucket``, TF's legacy 64-bit
``Hash64``), ``StringToHashBucketStrong`` (``tf.strings.to_hash_bucket_strong``, SipHash-2-4
under a 128-bit key) and ``Fingerprint`` (``tf.fingerprint``: each row's FarmHash
``Fingerprint64`` as 8 little-endian bytes)."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.core.infer import apply_op, constant_value
from scopeflow.ops.kernels.farmhash import fingerprint64
from scopeflow.ops.strings.common import map_strings

_MASK = (1 << 64) - 1


def hash64(data: bytes, seed: int = 0xDECAFCAFFE) -> int:
    """TF's ``Hash64`` (``core/lib/hash/hash.cc``, a MurmurHash64A variant)."""
    m, r = 0xC6A4A7935BD1E995, 47
    n = len(data)
    h = (seed ^ (n * m)) & _MASK
    whole = n - n % 8
    for i in range(0, whole, 8):
        k = int.from_bytes(data[i : i + 8], "little")
        k = (k * m) & _MASK
        k ^= k >> r
        k = (k * m) & _MASK
        h = ((h ^ k) * m) & _MASK
    if n % 8:
        h ^= int.from_bytes(data[whole:], "little")
        h = (h * m) & _MASK
    h ^= h >> r
    h = (h * m) & _MASK
    return h ^ (h >> r)


def _rotl(x: int, b: int) -> int:
    return ((x << b) | (x >> (64 - b))) & _MASK


def siphash24(key: tuple[int, int], data: bytes) -> int:
    """SipHash-2-4 of ``data`` under the key ``(k0, k1)`` (TF's ``StrongKeyedHash``)."""
    k0, k1 = (k & _MASK for k in key)
    v = [k0 ^ 0x736F6D6570736575, k1 ^ 0x646F72616E646F6D, k0 ^ 0x6C7967656E657261]
    v.append(k1 ^ 0x7465646279746573)

    def rounds(count: int) -> None:
        for _ in range(count):
            v[0] = (v[0] + v[1]) & _MASK
            v[1] = _rotl(v[1], 13) ^ v[0]
            v[0] = _rotl(v[0], 32)
            v[2] = (v[2] + v[3]) & _MASK
            v[3] = _rotl(v[3], 16) ^ v[2]
            v[0] = (v[0] + v[3]) & _MASK
            v[3] = _rotl(v[3], 21) ^ v[0]
            v[2] = (v[2] + v[1]) & _MASK
            v[1] = _rotl(v[1], 17) ^ v[2]
            v[2] = _rotl(v[2], 32)

    n = len(data)
    tail = data[n - n % 8 :] + bytes(7 - n % 8) + bytes([n & 0xFF])
    for i in range(0, n - n % 8, 8):
        m = int.from_bytes(data[i : i + 8], "little")
        v[3] ^= m
        rounds(2)
        v[0] ^= m
    m = int.from_bytes(tail, "little")
    v[3] ^= m
    rounds(2)
    v[0] ^= m
    v[2] ^= 0xFF
    rounds(4)
    return v[0] ^ v[1] ^ v[2] ^ v[3]


def _check_buckets(op_type: str, num_buckets) -> int:
    if num_buckets < 1:
        raise ValueError(
            f"Attr 'num_buckets' of '{op_type}' Op passed {num_buckets} less than minimum 1."
        )
    return int(num_buckets)


def _same_shape(inputs, attrs):
    return [(dtypes.int64, inputs[0].shape)]


# -- StringToHashBucket, StringToHashBucketStrong ----------------------------------------------


def _bucket_kernel(ctx, op, x):
    buckets = op._attrs["num_buckets"]
    return map_strings(lambda text: hash64(text) % buckets, x, dtype=np.int64)


def _strong_kernel(ctx, op, x):
    key = op._attrs["key"]
    if len(key) != 2:
        raise ValueError("Key must have 2 elements")
    buckets = op._attrs["num_buckets"]
    return map_strings(lambda text: siphash24(key, text) % buckets, x, dtype=np.int64)


for _type, _kernel in (
    ("StringToHashBucket", _bucket_kernel),
    ("StringToHashBucketStrong", _strong_kernel),
):
    register_op(_type, _same_shape, kernel=_kernel, grad=NOT_DIFFERENTIABLE, host_only=True)


@undo.atomic
def string_to_hash_bucket(string_tensor=None, num_buckets=None, name=None, input=None):  # noqa: A002
    """Each string's bucket in ``[0, num_buckets)`` by TF's legacy ``Hash64``
    (``input`` is the deprecated name of ``string_tensor``); prefer
    ``tf.strings.to_hash_bucket_fast`` (FarmHash), which TF also prefers.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.string_to_hash_bucket(["abc", "d"], 10)))
    [0 9]
    """
    if input is not None:
        if string_tensor is not None:
            raise ValueError("Cannot specify both 'string_tensor' and 'input'.")
        string_tensor = input
    buckets = _check_buckets("StringToHashBucket", num_buckets)
    with name_scope(name, "StringToHashBucket", [string_tensor]) as scope:
        x = convert_to_tensor(string_tensor, dtype=dtypes.string, name="string_tensor")
        return apply_op("StringToHashBucket", [x], {"num_buckets": buckets}, name=scope)


@undo.atomic
def string_to_hash_bucket_strong(input, num_buckets, key, name=None):  # noqa: A002 - TF's name
    """Each string's bucket in ``[0, num_buckets)`` by SipHash-2-4 under ``key`` (two
    integers): slower than the fast buckets, but an adversary cannot aim at a bucket without
    the key.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.strings.to_hash_bucket_strong(["abc", "d"], 10, [1, 2])))
    [7 8]
    """
    buckets = _check_buckets("StringToHashBucketStrong", num_buckets)
    with name_scope(name, "StringToHashBucketStrong", [input]) as scope:
        x = convert_to_tensor(input, dtype=dtypes.string, name="input")
        attrs = {"num_buckets": buckets, "key": [int(k) for k in key]}
        return apply_op("StringToHashBucketStrong", [x], attrs, name=scope)


# -- Fingerprint ---------------------------------------------------------------------------


def _fingerprint_infer(inputs, attrs):
    data, method = inputs
    if data.shape.ndims == 0:
        raise ValueError("Shape must be at least rank 1 but is rank 0")
    if method.dtype.base_dtype != dtypes.string:
        raise TypeError(
            f"Input 'method' of 'Fingerprint' Op has type {method.dtype.base_dtype.name} that "
            "does not match expected type of string."
        )
    if method.shape.ndims not in (None, 0):
        raise ValueError(f"Shape must be rank 0 but is rank {method.shape.ndims}")
    name = constant_value(method)
    name = None if name is None else np.asarray(name).item()
    if name is not None and name != b"farmhash64":
        raise ValueError(f"Unsupported method: {name.decode()}")
    rows = data.shape[0] if data.shape.ndims else tensor_shape.Dimension(None)
    return [(dtypes.uint8, tensor_shape.TensorShape([rows, 8]))]


def _fingerprint_kernel(ctx, op, data, method):
    method = np.asarray(method).item()
    if method != b"farmhash64":
        raise ValueError(f"Unsupported fingerprint method: {method.decode()}")
    rows = data.reshape(data.shape[0], -1)
    if data.dtype != object:
        prints = [fingerprint64(np.ascontiguousarray(row).tobytes()) for row in rows]
    elif rows.shape[1] == 1:
        prints = [fingerprint64(row[0]) for row in rows]
    else:  # a row of strings: the fingerprint of their fingerprints' bytes
        prints = [
            fingerprint64(b"".join(fingerprint64(text).to_bytes(8, "little") for text in row))
            for row in rows
        ]
    out = b"".join(value.to_bytes(8, "little") for value in prints)
    return np.frombuffer(out, np.uint8).reshape(len(prints), 8).copy()


register_op(
    "Fingerprint",
    _fingerprint_infer,
    kernel=_fingerprint_kernel,
    grad=NOT_DIFFERENTIABLE,
    host_only=True,
)


@undo.atomic
def fingerprint(data, method="farmhash64", name=None):
    """A fingerprint of each row of ``data`` (its first dimension): FarmHash
    ``Fingerprint64`` of the row's bytes as 8 ``uint8`` values (``[rows, 8]``); the same
    values TensorFlow gives, on any platform.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.fingerprint(["abc"])))
    [[105 243 231 116 160 179 165  36]]
    """
    with name_scope(name, "Fingerprint", [data]) as scope:
        data = convert_to_tensor(data, name="data")
        method = convert_to_tensor(method, dtype=dtypes.string, name="method")
        return apply_op("Fingerprint", [data, method], name=scope)


__all__ = ["fingerprint", "string_to_hash_bucket", "string_to_hash_bucket_strong"]
