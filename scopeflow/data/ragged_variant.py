"""A ragged tensor as one ``variant`` value, as ``tf.data`` carries a ``RaggedTensor``
component (``Dataset.ragged_batch``, a ``map`` function given or returning one): the op types
``RaggedTensorToVariant`` and ``RaggedTensorFromVariant`` with TF's attrs.

A variant here holds an :class:`Encoded` (the ragged tensor's row splits, outermost first,
and its flat values, as NumPy arrays); ``batch`` stacks such scalars into a vector, which
``RaggedTensorFromVariant`` decodes into one ragged tensor with one more ragged dimension
(its rows the encoded tensors), as TF's kernels do. In scopeflow these ops only carry
``tf.data``'s ragged components, which no gradient crosses: they are not differentiable
(TF gives them gradients through ``RaggedTensorToVariantGradient``).
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, errors, tensor_shape
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.control.assertions import node_note
from scopeflow.ragged.tensor import RaggedTensor


class Encoded:
    """One ragged tensor (``splits`` outermost first; none for a dense tensor)."""

    __slots__ = ("splits", "values")

    def __init__(self, splits: list, values: np.ndarray):
        self.splits, self.values = splits, values

    def __repr__(self) -> str:
        return f"<ragged splits={[s.tolist() for s in self.splits]} values={self.values!r}>"


def _scalar(item: Encoded) -> np.ndarray:
    out = np.empty((), dtype=object)
    out[()] = item
    return out


def _encode(ctx, op, *inputs):
    *splits, values = (np.asarray(v) for v in inputs)
    if not op._attrs["batched_input"]:
        return _scalar(Encoded(splits, values))
    return rows_of(Encoded(splits, values))


def rows_of(item: Encoded) -> np.ndarray:
    """The encodings of ``item``'s rows, a vector (TF's batched encoding): each row has one
    ragged level fewer (a dense tensor's rows are its slices, of ragged rank -1)."""
    if not item.splits:
        rows = np.empty(len(item.values), dtype=object)
        for i in range(len(rows)):
            rows[i] = Encoded([], item.values[i])
        return rows
    outer, inner = item.splits[0], item.splits[1:]
    rows = np.empty(len(outer) - 1, dtype=object)
    for i in range(len(rows)):
        start, limit = int(outer[i]), int(outer[i + 1])
        row_splits = []
        for s in inner:  # each inner level sliced to the row, starting from 0
            row_splits.append(s[start : limit + 1] - s[start])
            start, limit = int(s[start]), int(s[limit])
        rows[i] = Encoded(row_splits, item.values[start:limit])
    return rows


def as_rows(value):
    """A component to unbatch: an encoded ragged tensor (a 0-d array) as the vector of its
    rows' encodings; any other value as it is."""
    array = np.asarray(value, dtype=object) if isinstance(value, Encoded) else np.asarray(value)
    if array.ndim == 0 and array.dtype == object and isinstance(array[()], Encoded):
        return rows_of(array[()])
    return array


def decode(encoded, ragged_rank: int, splits_dtype, values_dtype, what: str = "") -> list:
    """The splits (``ragged_rank`` levels, outermost first) and flat values of the ragged
    tensor whose rows an encoded array holds (its dimensions become uniform ragged levels;
    a 0-d array is the tensor itself)."""
    encoded = np.asarray(encoded, dtype=object)
    items = [encoded[()]] if encoded.ndim == 0 else list(encoded.reshape(-1))
    if not all(isinstance(item, Encoded) for item in items):
        raise errors.InvalidArgumentError(None, None, f"{what}expected a ragged variant")
    inner_rank = max(ragged_rank, 0) - encoded.ndim  # -1: rows of a dense tensor
    for item in items:
        if len(item.splits) != max(inner_rank, 0):
            raise errors.InvalidArgumentError(
                None,
                None,
                f"{what}Encoded input RaggedTensorVariant has ragged_rank={len(item.splits)}.  "
                f"Expected ragged_rank={inner_rank}.",
            )
        if item.values.dtype != values_dtype.as_numpy_dtype and not (
            values_dtype == dtypes.string and item.values.dtype == object
        ):
            found = dtypes.string if item.values.dtype == object else item.values.dtype
            raise errors.InvalidArgumentError(
                None,
                None,
                f"{what}Expected values Tensor dtype: {_type_text(values_dtype)}, found: "
                f"{_type_text(dtypes.as_dtype(found))}",
            )
    splits_type = splits_dtype.as_numpy_dtype
    if encoded.ndim == 0:
        item = items[0]
        return [s.astype(splits_type) for s in item.splits] + [item.values]
    shape = encoded.shape
    uniform = [  # the encoded array's own dimensions, as ragged levels of uniform rows
        np.arange(int(np.prod(shape[: j + 1])) + 1, dtype=splits_type) * shape[j + 1]
        for j in range(encoded.ndim - 1)
    ]
    if inner_rank < 0:  # scalar-like rows: stacked as the flat values
        return [*uniform, _stacked([item.values for item in items], values_dtype)]
    nrows = [len(item.splits[0]) - 1 if item.splits else len(item.values) for item in items]
    outer = np.concatenate([[0], np.cumsum(nrows, dtype=np.int64)]).astype(splits_type)
    inner = []
    for level in range(inner_rank):
        parts, offset = [np.zeros(1, splits_type)], 0
        for item in items:
            s = item.splits[level]
            parts.append(s[1:].astype(splits_type) + offset)
            offset += int(s[-1])
        inner.append(np.concatenate(parts))
    shapes = {item.values.shape[1:] for item in items}
    if len(shapes) > 1:
        raise errors.InvalidArgumentError(
            None, None, f"{what}the ragged tensors' values have different inner shapes {shapes}"
        )
    if items:
        values = np.concatenate([item.values for item in items])
    else:
        numpy_type = object if values_dtype == dtypes.string else values_dtype.as_numpy_dtype
        values = np.zeros(0, dtype=numpy_type)
    return [*uniform, outer, *inner, values]


def _stacked(parts: list, values_dtype) -> np.ndarray:
    if not parts:
        numpy_type = object if values_dtype == dtypes.string else values_dtype.as_numpy_dtype
        return np.zeros(0, dtype=numpy_type)
    if len({np.shape(p) for p in parts}) > 1:
        raise errors.InvalidArgumentError(None, None, "rows of different shapes to stack")
    return np.stack(parts)


def _type_text(dtype) -> str:
    """A dtype as TF's kernels name it (``float``, ``double``, ``int32``...)."""
    return {"float32": "float", "float64": "double", "float16": "half"}.get(dtype.name, dtype.name)


def _decode_kernel(ctx, op, encoded):
    rank = op._attrs["output_ragged_rank"]
    try:
        out = decode(encoded, rank, op._attrs["Tsplits"], op._attrs["Tvalues"])
    except errors.OpError as e:
        raise type(e)(None, op, e.message + node_note(op)) from None
    return tuple(out) if len(out) > 1 else out[0]


def _encode_infer(inputs, attrs):
    if not attrs["batched_input"]:
        return [(dtypes.variant, tensor_shape.TensorShape([]))]
    rows = inputs[0].shape[0] if len(inputs) > 1 else None  # the outer splits' length
    rows = tensor_shape.dimension_value(rows) if rows is not None else None
    return [(dtypes.variant, tensor_shape.TensorShape([None if rows is None else rows - 1]))]


def _decode_infer(inputs, attrs):
    given, rank = attrs["input_ragged_rank"], inputs[0].shape.ndims
    if given != -1 and rank is not None and rank != attrs["output_ragged_rank"] - given:
        expected = attrs["output_ragged_rank"] - given
        raise ValueError(f"Shape must be rank {expected} but is rank {rank}")
    splits = [(attrs["Tsplits"], tensor_shape.TensorShape([None]))] * attrs["output_ragged_rank"]
    return [*splits, (attrs["Tvalues"], tensor_shape.unknown_shape())]


register_op(
    "RaggedTensorToVariant",
    _encode_infer,
    kernel=_encode,
    grad=NOT_DIFFERENTIABLE,
    host_only=True,
)
register_op(
    "RaggedTensorFromVariant",
    _decode_infer,
    kernel=_decode_kernel,
    grad=NOT_DIFFERENTIABLE,
    host_only=True,
)


# -- builders ------------------------------------------------------------------------------


def to_variant(value, batched_input: bool = False):
    """``RaggedTensorToVariant`` of a ``RaggedTensor``, or of a dense tensor (ragged rank 0)."""
    if isinstance(value, RaggedTensor):
        splits, values = list(value.nested_row_splits), value.flat_values
        splits_dtype = value.row_splits_dtype
    else:
        splits, values, splits_dtype = [], value, dtypes.int64
    attrs = {
        "RAGGED_RANK": len(splits),
        "Tvalues": values.dtype.base_dtype,
        "Tsplits": splits_dtype,
        "batched_input": batched_input,
    }
    with name_scope("RaggedToVariant"):
        op = get_default_graph().create_op(
            "RaggedTensorToVariant", [*splits, values], attrs, name="RaggedTensorToVariant"
        )
    return op.outputs[0]


def from_variant(encoded, dtype, shape, ragged_rank: int, splits_dtype):
    """The ``RaggedTensor`` (of ``ragged_rank``, static ``shape``) that ``encoded`` holds, by
    one ``RaggedTensorFromVariant`` op under ``RaggedFromVariant``, as TF builds it."""
    shape = tensor_shape.as_shape(shape)
    ragged_rank = max(ragged_rank, 0)  # -1: a row of a dense tensor, decoded as a tensor
    inner = shape[ragged_rank + 1 :] if shape.ndims is not None else tensor_shape.unknown_shape()
    values_shape = tensor_shape.TensorShape([None]).concatenate(inner) if ragged_rank else shape
    attrs = {
        "input_ragged_rank": -1,
        "output_ragged_rank": ragged_rank,
        "Tvalues": dtype,
        "Tsplits": splits_dtype,
    }
    with name_scope("RaggedFromVariant"):
        op = get_default_graph().create_op(
            "RaggedTensorFromVariant", [encoded], attrs, name="RaggedTensorFromVariant"
        )
    *splits, values = op.outputs
    values.set_shape(values_shape)
    result = values
    for s in reversed(splits):
        result = RaggedTensor(result, s, internal=True)
    return result
