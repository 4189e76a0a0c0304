"""``SparseCross``: the crosses of several sparse or dense features, hashed as TF hashes them
(``FingerprintCat64`` of FarmHash fingerprints), the op behind
``tf.feature_column.crossed_column``."""

from __future__ import annotations

import itertools

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
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


def _sparse_cross_kernel(ctx, op, *args):
    attrs = op._attrs
    n_sparse = int(attrs["N"])
    shapes = [np.asarray(s) for s in args[2 * n_sparse : 3 * n_sparse]]
    dense = args[3 * n_sparse :]
    batch = int(shapes[0][0]) if shapes else int(np.shape(dense[0])[0])
    columns = _row_features(n_sparse, args, batch)
    buckets = int(attrs["num_buckets"])
    key = int(attrs["hash_key"]) & _M
    out_indices, out_values, width = [], [], 0
    for b in range(batch):
        hashes = [[_feature_hash(v) for v in column[b]] for column in columns]
        crosses = 0
        for combo in itertools.product(*hashes):
            h = key
            for feature in combo:
                h = fingerprint_cat64(h, feature)
            out_values.append(h % buckets if buckets > 0 else h % ((1 << 63) - 1))
            out_indices.append((b, crosses))
            crosses += 1
        width = max(width, crosses)
    indices = np.array(out_indices, np.int64).reshape(-1, 2)
    return indices, np.array(out_values, np.int64), np.array([batch, width], np.int64)


def _sparse_cross_infer(inputs, attrs):
    if not attrs["hashed_output"]:
        raise NotImplementedError(
            "SparseCross without hashed_output is not supported: cross hashed ids "
            "(tf.feature_column.crossed_column)"
        )
    return [
        (dtypes.int64, tensor_shape.TensorShape([None, 2])),
        (dtypes.int64, tensor_shape.TensorShape([None])),
        (dtypes.int64, tensor_shape.TensorShape([2])),
    ]


register_op(
    "SparseCross",
    _sparse_cross_infer,
    kernel=_sparse_cross_kernel,
    grad=NOT_DIFFERENTIABLE,
    host_only=True,
)


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
