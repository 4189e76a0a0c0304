"""``tf.io.decode_compressed`` (``DecodeCompressed``): each string of a tensor decompressed
(``"ZLIB"``, ``"GZIP"`` or ``""`` for none), in the tensor's shape."""

from __future__ import annotations

import re
import zlib

import numpy as np

from scopeflow.framework import dtypes, errors
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.core.infer import apply_op

_WINDOW_BITS = {"ZLIB": 15, "GZIP": 31}  # zlib's: 31 reads a gzip header


def _decode_compressed_infer(inputs, attrs):
    return [(dtypes.string, inputs[0].shape)]


def _inflate(op, data: bytes, kind: str) -> bytes:
    try:
        return zlib.decompress(data, _WINDOW_BITS[kind])
    except zlib.error as e:  # "Error -3 while decompressing data: incorrect header check"
        found = re.match(r"Error (-?\d+) while decompressing data: (.*)", str(e))
        what = f"error {found[1]}: {found[2]}" if found else str(e)
        raise errors.DataLossError(None, op, f"inflate() failed with {what}") from None


def _decode_compressed_kernel(ctx, op, data):
    kind = op._attrs["compression_type"]
    if kind not in ("", *_WINDOW_BITS):
        raise errors.InvalidArgumentError(
            None, op, "Only ZLIB, ZSTD, GZIP or NONE are supported compressions"
        )
    data = np.asarray(data, dtype=object)
    if not kind:
        return data.copy()
    flat = [_inflate(op, bytes(b), kind) for b in data.reshape(-1)]
    out = np.empty(len(flat), dtype=object)
    out[:] = flat
    return out.reshape(data.shape)


register_op(
    "DecodeCompressed",
    _decode_compressed_infer,
    kernel=_decode_compressed_kernel,
    grad=NOT_DIFFERENTIABLE,
    host_only=True,
)


def decode_compressed(bytes, compression_type="", name=None):  # noqa: A002 - TF's name
    """Each string of ``bytes`` decompressed (``compression_type`` ``"ZLIB"``, ``"GZIP"``
    or ``""``: unchanged).

    >>> import zlib
    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     tf.Session().run(tf.io.decode_compressed([zlib.compress(b"hi")], "ZLIB"))
    array([b'hi'], dtype=object)
    """
    with name_scope(name, "DecodeCompressed") as scope:
        data = convert_to_tensor(bytes, dtypes.string, name="bytes")
        attrs = {"compression_type": compression_type or ""}
        return apply_op("DecodeCompressed", [data], attrs, name=scope)
