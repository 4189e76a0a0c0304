"""``StringNGrams`` (``tf.strings.ngrams``): the n-grams of each row of a ragged tensor of
strings, joined by ``separator``, for each width in ``ngram_widths`` in turn, each row padded
with ``left_pad``/``right_pad`` (``pad_width`` of them, or width - 1 when negative, at most
width - 1); ``preserve_short_sequences`` keeps a non-empty row too short for any n-gram as one.
The ragged result is built in ``scopeflow/ragged/strings.py``."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, tensor_shape
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.core.infer import INDEX, check_dtype_in
from scopeflow.ops.strings.common import as_bytes, strings_array

TensorShape = tensor_shape.TensorShape


def _ngrams_infer(inputs, attrs):
    data, splits = inputs
    check_dtype_in("StringNGrams", "data_splits", splits, INDEX)
    if data.dtype.base_dtype != dtypes.string:
        raise TypeError(
            f"Input 'data' of 'StringNGrams' Op has type {data.dtype.name} that does not match "
            "expected type of string."
        )
    return [(dtypes.string, TensorShape([None])), (splits.dtype.base_dtype, splits.shape)]


def _text(value) -> bytes:
    return value if isinstance(value, bytes) else str(value).encode()


def _row_ngrams(items: list[bytes], widths, sep, left, right, pad_width, preserve) -> list:
    found = []
    for width in widths:
        pad = width - 1 if pad_width < 0 else min(pad_width, width - 1)
        padded = [left] * pad + items + [right] * pad
        count = len(padded) - width + 1
        if count > 0:
            found += [sep.join(padded[i : i + width]) for i in range(count)]
        elif preserve and items:
            found.append(sep.join(padded))
    return found


def _ngrams_kernel(ctx, op, data, splits):
    a = op._attrs
    widths = list(a["ngram_widths"])
    sep, left, right = _text(a["separator"]), _text(a["left_pad"]), _text(a["right_pad"])
    pad_width, preserve = int(a["pad_width"]), bool(a["preserve_short_sequences"])
    splits = np.asarray(splits)
    if splits.size == 0 or splits[0] != 0 or np.any(np.diff(splits) < 0) or splits[-1] != len(data):
        raise ValueError(
            f"StringNGrams: Invalid split values: {splits.tolist()} for data of size {len(data)}"
        )
    items = [as_bytes(x) for x in data]
    rows = [
        _row_ngrams(items[s:e], widths, sep, left, right, pad_width, preserve)
        for s, e in zip(splits[:-1], splits[1:], strict=True)
    ]
    lengths = [len(r) for r in rows]
    out_splits = np.concatenate([[0], np.cumsum(lengths, dtype=np.int64)]).astype(splits.dtype)
    return strings_array([g for r in rows for g in r]), out_splits


register_op("StringNGrams", _ngrams_infer, kernel=_ngrams_kernel, grad=NOT_DIFFERENTIABLE)
