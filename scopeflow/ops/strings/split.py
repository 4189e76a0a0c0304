"""``tf.string_split`` (``StringSplit``: on any of the delimiter's bytes) and TF1's
``tf.strings.split`` (``StringSplitV2``: on a separator string, or on runs of whitespace), each
giving a ``SparseTensor`` of the pieces: row ``i`` holds the pieces of string ``i``."""

from __future__ import annotations

import re

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.array.shape import expand_dims
from scopeflow.ops.core.infer import apply_op
from scopeflow.ops.sparse.tensor import SparseTensor
from scopeflow.ops.strings.common import as_bytes, strings_array

TensorShape = tensor_shape.TensorShape
_WHITESPACE = b" \t\n\v\f\r"


def _split_infer(inputs, attrs):
    source, sep = inputs
    if source.shape.ndims not in (None, 1):
        raise ValueError(f"Shape must be rank 1 but is rank {source.shape.ndims}")
    if sep.shape.ndims not in (None, 0):
        raise ValueError(f"Shape must be rank 0 but is rank {sep.shape.ndims}")
    return [
        (dtypes.int64, TensorShape([None, 2])),
        (dtypes.string, TensorShape([None])),
        (dtypes.int64, TensorShape([2])),
    ]


def _sparse_rows(rows: list[list[bytes]]):
    counts = [len(r) for r in rows]
    indices = np.zeros((sum(counts), 2), np.int64)
    indices[:, 0] = np.repeat(np.arange(len(rows)), counts)
    indices[:, 1] = np.concatenate([np.arange(n) for n in counts] or [[]])
    values = strings_array([piece for row in rows for piece in row])
    return indices, values, np.array([len(rows), max(counts, default=0)], np.int64)


def _string_split_kernel(ctx, op, source, delimiter):
    delimiter = as_bytes(delimiter)
    skip_empty = op._attrs["skip_empty"]
    pattern = re.compile(b"[" + re.escape(delimiter) + b"]") if delimiter else None
    rows = []
    for text in map(as_bytes, np.reshape(source, -1)):
        if not text:
            pieces = []
        elif pattern is None:
            pieces = [text[i : i + 1] for i in range(len(text))]
        else:
            pieces = pattern.split(text)
        rows.append([p for p in pieces if p] if skip_empty else pieces)
    return _sparse_rows(rows)


register_op(
    "StringSplit",
    _split_infer,
    kernel=_string_split_kernel,
    grad=NOT_DIFFERENTIABLE,
    host_only=True,
)


def _whitespace_split(text: bytes, maxsplit: int) -> list[bytes]:
    """TF's split on runs of whitespace: once ``maxsplit`` pieces are cut, the rest (maybe
    empty) is the last piece."""
    pieces, pos, end = [], 0, len(text)
    while pos < end and text[pos] in _WHITESPACE:
        pos += 1
    while pos < end:
        stop = pos
        while stop < end and text[stop] not in _WHITESPACE:
            stop += 1
        pieces.append(text[pos:stop])
        pos = stop
        while pos < end and text[pos] in _WHITESPACE:
            pos += 1
        if 0 <= maxsplit <= len(pieces):
            pieces.append(text[pos:])
            break
    return pieces


def _string_split_v2_kernel(ctx, op, source, sep):
    sep = as_bytes(sep)
    maxsplit = op._attrs["maxsplit"]
    rows = []
    for text in map(as_bytes, np.reshape(source, -1)):
        rows.append(text.split(sep, maxsplit) if sep else _whitespace_split(text, maxsplit))
    return _sparse_rows(rows)


register_op(
    "StringSplitV2",
    _split_infer,
    kernel=_string_split_v2_kernel,
    grad=NOT_DIFFERENTIABLE,
    host_only=True,
)


def _sparse_result(result_type: str) -> None:
    if result_type != "SparseTensor":
        raise NotImplementedError(
            f"result_type={result_type!r}: this builds the SparseTensor; tf.strings.split and "
            "tf.string_split (scopeflow/ragged/strings.py) build the RaggedTensor."
        )


@undo.atomic
def string_split(
    source, sep=None, skip_empty=True, delimiter=None, result_type="SparseTensor", name=None
):
    """The strings of the vector ``source`` split on any byte of ``sep`` (TF1's
    ``delimiter``, default a space), as a ``SparseTensor`` with a row per string.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     pieces = tf.string_split(["a b", "c"])
    ...     print(tf.Session().run(pieces).values)
    [b'a' b'b' b'c']
    """
    _sparse_result(result_type)
    if sep is not None and delimiter is not None:
        raise ValueError("Cannot specify both 'sep' and 'delimiter'")
    delimiter = " " if sep is None and delimiter is None else sep if sep is not None else delimiter
    with name_scope(name, "StringSplit", [source]) as scope:
        delimiter = convert_to_tensor(delimiter, dtype=dtypes.string)
        source = convert_to_tensor(source, dtype=dtypes.string)
        with name_scope(scope):
            outputs = apply_op(
                "StringSplit", [source, delimiter], {"skip_empty": bool(skip_empty)}, "StringSplit"
            )
        return SparseTensor(*outputs)


@undo.atomic
def strings_split(
    input=None,  # noqa: A002 - TF1's name
    sep=None,
    maxsplit=-1,
    result_type="SparseTensor",
    source=None,
    name=None,
):
    """TF1's ``tf.strings.split``: the strings of ``input`` split on ``sep`` (default: runs of
    whitespace), at most ``maxsplit`` times, as a ``SparseTensor`` with a row per string.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     pieces = tf.strings.split(["a,b,,c"], sep=",")
    ...     print(tf.Session().run(pieces).values)
    [b'a' b'b' b'' b'c']
    """
    _sparse_result(result_type)
    if input is not None and source is not None:
        raise ValueError("Cannot specify both 'input' and 'source'")
    input = source if input is None else input  # noqa: A001
    with name_scope(name, "StringSplit", [input]) as scope:
        input = convert_to_tensor(input, dtype=dtypes.string, name="input")  # noqa: A001
        if input.shape.ndims == 0:
            input = expand_dims(input, 0)  # noqa: A001
        if input.shape.ndims != 1:
            raise NotImplementedError(
                "this splits a vector; tf.strings.split (scopeflow/ragged/strings.py) splits "
                "a tensor of rank above 1 through a RaggedTensor."
            )
        sep = convert_to_tensor("" if sep is None else sep, dtype=dtypes.string)
        with name_scope(scope):
            outputs = apply_op("StringSplitV2", [input, sep], {"maxsplit": int(maxsplit)})
        return SparseTensor(*outputs)


__all__ = ["string_split"]
