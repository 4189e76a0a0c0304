"""``SparseCross``, ``SparseCrossV2``: the crosses of several sparse or dense features, as
strings joined by a separator (``tf.sparse.cross``) or hashed as TF hashes them
(``FingerprintCat64`` of FarmHash fingerprints: ``tf.sparse.cross_hashed``, the op behind
``tf.feature_column.crossed_column``)."""

from __future__ import annotations

import itertools

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.array.cast import cast
from scopeflow.ops.core.infer import apply_op
from scopeflow.ops.kernels.farmhash import fingerprint64
from scopeflow.ops.sparse.tensor import SparseTensor, convert_to_tensor_or_sparse_tensor

_M = (1 << 64) - 1
_MUL = 0xC6A4A7935BD1E995
_DEFAULT_HASH_KEY = 0xDECAFCAFFE


def _shift_mix(v: int) -> int:
    return v ^ (v >> 47)


def fingerprint_cat64(fp1: int, fp2: int) -> int:
    """TF's ``FingerprintCat64``: two 64-bit fingerprints combined into one."""
    result = fp1 ^ _MUL
    result ^= (_shift_mix((fp2 * _MUL) & _M) * _MUL) & _M
    result = (result * _MUL) & _M
    result = (_shift_mix(result) * _MUL) & _M
    return _shift_mix(result)


def _feature_hash(value) -> int:
    if isinstance(value, (bytes, str)):
        return fingerprint64(value.encode() if isinstance(value, str) else value)
    return int(value) & _M  # an int64 feature is its own hash


def _row_features(n_sparse: int, args, batch: int) -> list[list]:
    """For each input, the features of each row (a sparse input's values in its row order,
    a dense input's row)."""
    indices, values = args[:n_sparse], args[n_sparse : 2 * n_sparse]
    dense = args[3 * n_sparse :]
    columns = []
    for idx, vals in zip(indices, values, strict=True):
        rows: list[list] = [[] for _ in range(batch)]
        for row, value in zip(
            np.asarray(idx)[:, 0].tolist(), np.asarray(vals).tolist(), strict=True
        ):
            rows[row].append(value)
        columns.append(rows)
    for d in dense:
        columns.append([list(r) for r in np.asarray(d).reshape(batch, -1).tolist()])
    return columns


def _feature_text(value) -> bytes:
    if isinstance(value, bytes):
        return value
    return value.encode() if isinstance(value, str) else str(int(value)).encode()


def _crosses(n_sparse: int, args) -> tuple:
    """For each row, the combinations of one feature of each input (the first input's
    feature changing slowest), and the batch size."""
    shapes = [np.asarray(s) for s in args[2 * n_sparse : 3 * n_sparse]]
    dense = args[3 * n_sparse :]
    batch = int(shapes[0][0]) if shapes else int(np.shape(dense[0])[0])
    columns = _row_features(n_sparse, args, batch)
    return [itertools.product(*(column[b] for column in columns)) for b in range(batch)], batch


def _sparse_output(rows, batch: int, value) -> tuple:
    out_indices, out_values, width = [], [], 0
    for b, combos in enumerate(rows):
        crosses = 0
        for combo in combos:
            out_values.append(value(combo))
            out_indices.append((b, crosses))
            crosses += 1
        width = max(width, crosses)
    indices = np.array(out_indices, np.int64).reshape(-1, 2)
    return indices, out_values, np.array([batch, width], np.int64)


def _sparse_cross_kernel(ctx, op, *args):
    attrs = op._attrs
    rows, batch = _crosses(int(attrs["N"]), args)
    if not attrs["hashed_output"]:
        indices, values, shape = _sparse_output(
            rows, batch, lambda combo: b"_X_".join(_feature_text(v) for v in combo)
        )
        return indices, np.array(values, dtype=object), shape
    buckets = int(attrs["num_buckets"])
    key = int(attrs["hash_key"]) & _M

    def hashed(combo) -> int:
        h = key
        for feature in combo:
            h = fingerprint_cat64(h, _feature_hash(feature))
        return h % buckets if buckets > 0 else h % ((1 << 63) - 1)

    indices, values, shape = _sparse_output(rows, batch, hashed)
    return indices, np.array(values, np.int64), shape


def _sparse_cross_infer(inputs, attrs):
    out = dtypes.int64 if attrs["hashed_output"] else dtypes.string
    return [
        (dtypes.int64, tensor_shape.TensorShape([None, 2])),
        (out, tensor_shape.TensorShape([None])),
        (dtypes.int64, tensor_shape.TensorShape([2])),
    ]


def _sparse_cross_v2_kernel(ctx, op, *args):
    sep = _feature_text(np.asarray(args[-1])[()])
    rows, batch = _crosses(int(op._attrs["N"]), args[:-1])
    indices, values, shape = _sparse_output(
        rows, batch, lambda combo: sep.join(_feature_text(v) for v in combo)
    )
    return indices, np.array(values, dtype=object), shape


def _sparse_cross_v2_infer(inputs, attrs):
    if inputs[-1].shape.ndims not in (None, 0):
        raise ValueError(f"Shape must be rank 0 but is rank {inputs[-1].shape.ndims}")
    return _sparse_cross_infer(inputs[:-1], {"hashed_output": False})


register_op(
    "SparseCrossV2",
    _sparse_cross_v2_infer,
    kernel=_sparse_cross_v2_kernel,
    grad=NOT_DIFFERENTIABLE,
    host_only=True,
)
register_op(
    "SparseCross",
    _sparse_cross_infer,
    kernel=_sparse_cross_kernel,
    grad=NOT_DIFFERENTIABLE,
    host_only=True,
)


def _prepared(inputs) -> tuple:
    """The sparse inputs, their values (integers as int64), the dense inputs (the same), and
    the type they are crossed as."""
    if not isinstance(inputs, (list, tuple)):
        raise TypeError("Inputs must be a list")
    inputs = [convert_to_tensor_or_sparse_tensor(t) for t in inputs]
    sparse = [t for t in inputs if isinstance(t, SparseTensor)]
    dense = [t for t in inputs if not isinstance(t, SparseTensor)]
    values = [t.values for t in sparse]
    internal = dtypes.string
    for i, v in enumerate(values):
        if v.dtype != dtypes.string:
            values[i] = cast(v, dtypes.int64)
            internal = dtypes.int64
    for i, d in enumerate(dense):
        if d.dtype != dtypes.string:
            dense[i] = cast(d, dtypes.int64)
            internal = dtypes.int64
    return sparse, values, dense, internal


@undo.atomic
def sparse_cross(inputs, name=None, separator=None) -> SparseTensor:
    """``tf.sparse.cross``: for each row, every combination of one feature of each input
    (SparseTensors or dense ``[batch, n]`` tensors of strings or integers), the features
    joined by ``separator`` (``"_X_"``) into a string (``SparseCrossV2``).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     crossed = tf.sparse.cross([tf.constant([["a", "b"]]), tf.constant([[7]])])
    ...     print(tf.Session().run(crossed).values)
    [b'a_X_7' b'b_X_7']
    """
    sep = convert_to_tensor("_X_" if separator is None else separator, dtype=dtypes.string)
    sparse, values, dense, _ = _prepared(inputs)
    attrs = {
        "N": len(sparse),
        "sparse_types": [v.dtype for v in values],
        "dense_types": [d.dtype for d in dense],
    }
    args = [t.indices for t in sparse] + values + [t.dense_shape for t in sparse] + dense
    indices, out_values, shape = apply_op("SparseCrossV2", [*args, sep], attrs, name=name)
    return SparseTensor(indices, out_values, shape)


@undo.atomic
def sparse_cross_hashed(inputs, num_buckets=0, hash_key=None, name=None) -> SparseTensor:
    """The hashed crosses of ``inputs`` (SparseTensors or dense ``[batch, n]`` tensors of
    strings or integers): for each row, every combination of one feature of each input,
    hashed into ``num_buckets`` (0: the whole int64 range).

    >>> import scopeflow as tf
    >>> from scopeflow.ops.sparse.cross import sparse_cross_hashed
    >>> with tf.Graph().as_default():
    ...     crossed = sparse_cross_hashed([tf.constant([["a", "b"]]), tf.constant([["x"]])], 10)
    ...     print(tf.Session().run(crossed).dense_shape)
    [1 2]
    """
    sparse, values, dense, internal = _prepared(inputs)
    attrs = {
        "N": len(sparse),
        "hashed_output": True,
        "num_buckets": num_buckets,
        "hash_key": _DEFAULT_HASH_KEY if hash_key is None else hash_key,
        "sparse_types": [v.dtype for v in values],
        "dense_types": [d.dtype for d in dense],
        "out_type": dtypes.int64,
        "internal_type": internal,
    }
    args = [t.indices for t in sparse] + values + [t.dense_shape for t in sparse] + dense
    indices, out_values, shape = apply_op("SparseCross", args, attrs, name=name)
    return SparseTensor(indices, out_values, shape)
