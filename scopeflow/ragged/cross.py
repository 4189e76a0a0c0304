"""``tf.ragged.cross`` and ``tf.ragged.cross_hashed``: for each row, every combination of one
feature of each input (ragged, sparse or dense, the first input's feature changing slowest),
joined by ``_X_`` or hashed as TF hashes feature crosses (``FingerprintCat64`` of FarmHash
fingerprints, an int64 feature its own hash); one ``RaggedCross`` op."""

from __future__ import annotations

import itertools

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.array.cast import cast
from scopeflow.ops.core.infer import apply_op
from scopeflow.ops.kernels.farmhash import fingerprint64
from scopeflow.ops.sparse.cross import fingerprint_cat64
from scopeflow.ops.sparse.tensor import SparseTensor
from scopeflow.ragged.tensor import RaggedTensor

TensorShape = tensor_shape.TensorShape
_M = (1 << 64) - 1
_DEFAULT_HASH_KEY = 0xDECAFCAFFE
_SEPARATOR = b"_X_"


def _counts(attrs) -> tuple[int, int, int]:
    return (
        len(attrs["ragged_values_types"]),
        int(attrs["Nsparse"]),
        len(attrs["dense_types"]),
    )


def _cross_infer(inputs, attrs):
    n_ragged, n_sparse, n_dense = _counts(attrs)
    splits = inputs[n_ragged : 2 * n_ragged]
    rows = {t.shape[0].value - 1 for t in splits if t.shape.ndims == 1 and t.shape[0].value}
    dense = inputs[2 * n_ragged + 3 * n_sparse :]
    rows |= {t.shape[0].value for t in dense if t.shape.ndims}
    rows.discard(None)
    if len(rows) > 1:
        raise ValueError("inputs must all have the same batch dimension size.")
    n = rows.pop() if rows else None
    return [
        (attrs["out_values_type"], TensorShape([None])),
        (attrs["out_row_splits_type"], TensorShape([None if n is None else n + 1])),
    ]


def _columns(attrs, args) -> tuple[list, int]:
    """Each input's features per row, in ``input_order``, and the number of rows."""
    n_ragged, n_sparse, n_dense = _counts(attrs)
    values, splits = args[:n_ragged], args[n_ragged : 2 * n_ragged]
    sparse = args[2 * n_ragged : 2 * n_ragged + 3 * n_sparse]
    dense = args[2 * n_ragged + 3 * n_sparse :]
    by_kind: dict[str, list] = {"R": [], "S": [], "D": []}
    batch = None
    for v, s in zip(values, splits, strict=True):
        s = np.asarray(s, np.int64)
        by_kind["R"].append([list(v[a:b]) for a, b in zip(s[:-1], s[1:], strict=True)])
    for i in range(n_sparse):
        indices, vals, shape = sparse[i], sparse[n_sparse + i], sparse[2 * n_sparse + i]
        rows: list[list] = [[] for _ in range(int(shape[0]))]
        for row, value in zip(np.asarray(indices)[:, 0].tolist(), list(vals), strict=True):
            rows[row].append(value)
        by_kind["S"].append(rows)
    for d in dense:
        by_kind["D"].append([list(r) for r in np.asarray(d).reshape(np.shape(d)[0], -1)])
    order = attrs["input_order"]
    order = order.decode() if isinstance(order, bytes) else order
    columns = [by_kind[kind].pop(0) for kind in order]
    sizes = {len(c) for c in columns}
    if len(sizes) > 1:
        raise ValueError("RaggedCross: inputs must all have the same batch dimension size.")
    batch = sizes.pop() if sizes else 0
    return columns, batch


def _text(value) -> bytes:
    if isinstance(value, bytes):
        return value
    return value.encode() if isinstance(value, str) else str(int(value)).encode()


def _hash(value) -> int:
    if isinstance(value, (bytes, str)):
        return fingerprint64(_text(value))
    return int(value) & _M


def _cross_kernel(ctx, op, *args):
    attrs = op._attrs
    columns, batch = _columns(attrs, args)
    hashed, buckets = bool(attrs["hashed_output"]), int(attrs["num_buckets"])
    key = int(attrs["hash_key"]) & _M

    def hashed_value(combo) -> int:
        h = key
        for feature in combo:
            h = fingerprint_cat64(h, _hash(feature))
        return h % buckets if buckets > 0 else h % ((1 << 63) - 1)

    found, lengths = [], []
    for b in range(batch):
        combos = list(itertools.product(*(c[b] for c in columns))) if columns else []
        lengths.append(len(combos))
        if hashed:
            found += [hashed_value(c) for c in combos]
        else:
            found += [_SEPARATOR.join(_text(v) for v in c) for c in combos]
    splits_dtype = attrs["out_row_splits_type"].as_numpy_dtype
    splits = np.concatenate([[0], np.cumsum(lengths, dtype=np.int64)]).astype(splits_dtype)
    if hashed:
        return np.array(found, np.int64), splits
    out = np.empty(len(found), dtype=object)
    out[:] = found
    return out, splits


register_op("RaggedCross", _cross_infer, kernel=_cross_kernel, grad=NOT_DIFFERENTIABLE)


def _feature(value, i: int):
    dtype = value.dtype.base_dtype
    if dtype == dtypes.int32:
        return cast(value, dtypes.int64)
    if dtype not in (dtypes.int64, dtypes.string):
        raise ValueError(f"Unexpected dtype for inputs[{i}]: <dtype: '{dtype.name}'>")
    return value


def _cross(inputs, hashed: bool, num_buckets: int, hash_key, name):
    if not isinstance(inputs, (list, tuple)):
        raise TypeError("Inputs must be a list")
    with name_scope(name, "RaggedCross"):
        ragged, sparse, dense, order = [], [], [], ""
        for i, x in enumerate(inputs):
            if isinstance(x, RaggedTensor):
                if x.ragged_rank != 1 or x.flat_values.shape.ndims != 1:
                    raise ValueError("tf.ragged.cross only supports inputs with rank=2")
                ragged.append((_feature(x.flat_values, i), x.row_splits))
                order += "R"
            elif isinstance(x, SparseTensor):
                if x.dense_shape.shape[0].value not in (None, 2):
                    raise ValueError("tf.ragged.cross only supports inputs with rank=2")
                sparse.append((x.indices, _feature(x.values, i), x.dense_shape))
                order += "S"
            else:
                x = convert_to_tensor(x, name=f"inputs{i}")
                if x.shape.ndims != 2:
                    raise ValueError("tf.ragged.cross only supports inputs with rank=2")
                dense.append(_feature(x, i))
                order += "D"
        out_type = dtypes.int64 if hashed else dtypes.string
        attrs = {
            "Nsparse": len(sparse),
            "input_order": order,
            "hashed_output": hashed,
            "num_buckets": int(num_buckets),
            "hash_key": _DEFAULT_HASH_KEY if hash_key is None else int(hash_key),
            "ragged_values_types": [v.dtype for v, _ in ragged],
            "ragged_splits_types": [s.dtype for _, s in ragged],
            "sparse_values_types": [v.dtype for _, v, _ in sparse],
            "dense_types": [d.dtype for d in dense],
            "out_values_type": out_type,
            "out_row_splits_type": dtypes.int64,
        }
        args = [v for v, _ in ragged] + [s for _, s in ragged]
        args += [i for i, _, _ in sparse] + [v for _, v, _ in sparse] + [s for *_, s in sparse]
        values, splits = apply_op("RaggedCross", args + dense, attrs, "RaggedCross")
        return RaggedTensor.from_row_splits(values, splits, validate=False)


@undo.atomic
def cross(inputs, name=None) -> RaggedTensor:
    """For each row, the crosses of the features of ``inputs`` (ragged, sparse or dense, of
    rank 2) as strings joined by ``_X_``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     rt = tf.ragged.cross([tf.ragged.constant([["a", "b"], ["c"]]), [["x"], ["y"]]])
    ...     print(tf.Session().run(rt).to_list())
    [[b'a_X_x', b'b_X_x'], [b'c_X_y']]
    """
    return _cross(inputs, False, 0, None, name)


@undo.atomic
def cross_hashed(inputs, num_buckets=0, hash_key=None, name=None) -> RaggedTensor:
    """``cross``'s combinations hashed to int64 (modulo ``num_buckets`` when positive)."""
    return _cross(inputs, True, num_buckets, hash_key, name)
