"""TF's Unicode op types: ``UnicodeDecode`` and ``UnicodeDecodeWithOffsets`` (strings to code
points, as row splits and values), ``UnicodeEncode`` (rows of code points to strings) and
``UnicodeTranscode``, with TF's error modes: ``strict`` fails the run ("Invalid formatting on
input string"), ``replace`` puts ``replacement_char`` for each maximal invalid byte sequence,
``ignore`` drops it; ``replace_control_characters`` replaces C0 controls (U+0000..U+001F).

Decoding uses Python's codecs (their invalid-sequence boundaries are ICU's for UTF-8, UTF-16
and UTF-32); the ragged results are built in ``scopeflow/ragged/strings.py``.
"""

from __future__ import annotations

import codecs
import functools

import numpy as np

from scopeflow.framework import dtypes, tensor_shape
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.core.infer import INDEX, apply_op, check_dtype_in
from scopeflow.ops.strings import unicode_scripts
from scopeflow.ops.strings.common import as_bytes, map_strings, strings_array

TensorShape = tensor_shape.TensorShape
ENCODINGS = ("UTF-8", "UTF-16-BE", "UTF-32-BE")  # what UnicodeEncode writes
ERRORS = ("strict", "replace", "ignore")
_INVALID = "Invalid formatting on input string"


def _attr_text(value) -> str:
    return value.decode() if isinstance(value, bytes) else value


def check_errors(errors: str) -> str:
    if errors not in ERRORS:
        raise ValueError(
            f'Attr \'errors\' passed string \'{errors}\' not in: "strict", "replace", "ignore".'
        )
    return errors


def _codec(encoding: str):
    try:
        return codecs.lookup(encoding)
    except LookupError:
        raise ValueError(f"Could not create converter for input encoding: {encoding}") from None


def decode_string(data: bytes, encoding: str, errors: str, replacement: int, controls: bool):
    """``(code points, byte offset of each)`` of ``data``; an invalid sequence is one
    ``replacement`` (``replace``), nothing (``ignore``) or a ``ValueError`` (``strict``)."""
    codec = _codec(encoding)
    points: list[int] = []
    offsets: list[int] = []
    pos = 0
    while pos < len(data):
        try:
            text, bad = codec.decode(data[pos:], "strict")[0], None
        except UnicodeDecodeError as e:
            text = codec.decode(data[pos : pos + e.start], "strict")[0]
            bad = (pos + e.start, pos + max(e.end, e.start + 1))
        offset = pos
        for ch in text:
            code = ord(ch)
            points.append(replacement if controls and code < 0x20 else code)
            offsets.append(offset)
            offset += len(codec.encode(ch)[0])
        if bad is None:
            break
        if errors == "strict":
            raise ValueError(_INVALID)
        if errors == "replace":
            points.append(replacement)
            offsets.append(bad[0])
        pos = bad[1]
    return points, offsets


def _decode_attrs(op):
    a = op._attrs
    return (
        _attr_text(a["input_encoding"]),
        _attr_text(a.get("errors", "replace")),
        int(a.get("replacement_char", 0xFFFD)),
        bool(a.get("replace_control_characters", False)),
    )


def _decode_infer(inputs, attrs):
    (source,) = inputs
    if source.dtype.base_dtype != dtypes.string:
        raise TypeError(f"Input 'input' of 'UnicodeDecode' Op has type {source.dtype.name} "
                        "that does not match expected type of string.")  # fmt: skip
    n = source.shape.num_elements() if source.shape.is_fully_defined() else None
    outs = [
        (attrs.get("Tsplits", dtypes.int64), TensorShape([None if n is None else n + 1])),
        (dtypes.int32, TensorShape([None])),
    ]
    if attrs.get("_offsets"):
        outs.append((dtypes.int64, TensorShape([None])))
    return outs


def _decode_all(op, source):
    encoding, errors, replacement, controls = _decode_attrs(op)
    rows = [
        decode_string(as_bytes(s), encoding, errors, replacement, controls)
        for s in np.reshape(source, -1)
    ]
    splits_dtype = op._attrs.get("Tsplits", dtypes.int64).as_numpy_dtype
    lengths = [len(points) for points, _ in rows]
    splits = np.concatenate([[0], np.cumsum(lengths, dtype=np.int64)]).astype(splits_dtype)
    values = np.array([c for points, _ in rows for c in points], np.int32)
    offsets = np.array([o for _, offs in rows for o in offs], np.int64)
    return splits, values, offsets


def _decode_kernel(ctx, op, source):
    return _decode_all(op, source)[:2]


def _decode_offsets_kernel(ctx, op, source):
    return _decode_all(op, source)


register_op("UnicodeDecode", _decode_infer, kernel=_decode_kernel, grad=NOT_DIFFERENTIABLE)
register_op(
    "UnicodeDecodeWithOffsets",
    lambda inputs, attrs: _decode_infer(inputs, {**attrs, "_offsets": True}),
    kernel=_decode_offsets_kernel,
    grad=NOT_DIFFERENTIABLE,
)


def _valid_code_point(code: int) -> bool:
    return 0 <= code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF


def encode_points(points, encoding: str, errors: str, replacement: int) -> bytes:
    """The code points ``points`` written in ``encoding``; an invalid one (negative, past
    U+10FFFF, a surrogate) is ``replacement``, dropped, or a ``ValueError``."""
    chars = []
    for code in points:
        code = int(code)
        if not _valid_code_point(code):
            if errors == "strict":
                raise ValueError("Code point is out of range for Unicode, or is a surrogate.")
            if errors == "ignore":
                continue
            code = replacement
        chars.append(chr(code))
    return "".join(chars).encode(encoding)


def _encode_infer(inputs, attrs):
    values, splits = inputs
    check_dtype_in("UnicodeEncode", "input_splits", splits, INDEX)
    if values.dtype.base_dtype != dtypes.int32:
        raise TypeError(
            f"Input 'input_values' of 'UnicodeEncode' Op has type {values.dtype.name} that "
            "does not match expected type of int32."
        )
    n = splits.shape[0].value if splits.shape.ndims == 1 else None
    return [(dtypes.string, TensorShape([None if n is None else n - 1]))]


def _encode_kernel(ctx, op, values, splits):
    encoding = _attr_text(op._attrs["output_encoding"])
    errors = _attr_text(op._attrs.get("errors", "replace"))
    replacement = int(op._attrs.get("replacement_char", 0xFFFD))
    splits = np.asarray(splits, np.int64)
    if (
        splits.size == 0
        or splits[0] != 0
        or np.any(np.diff(splits) < 0)
        or splits[-1] > len(values)
    ):
        raise ValueError(f"UnicodeEncode: invalid input_splits {splits.tolist()}")
    rows = [
        encode_points(values[a:b], encoding, errors, replacement)
        for a, b in zip(splits[:-1], splits[1:], strict=True)
    ]
    return strings_array(rows)


register_op("UnicodeEncode", _encode_infer, kernel=_encode_kernel, grad=NOT_DIFFERENTIABLE)


def _transcode_infer(inputs, attrs):
    (source,) = inputs
    if source.dtype.base_dtype != dtypes.string:
        raise TypeError(f"Input 'input' of 'UnicodeTranscode' Op has type {source.dtype.name} "
                        "that does not match expected type of string.")  # fmt: skip
    return [(dtypes.string, source.shape)]


def _transcode_kernel(ctx, op, source):
    encoding, errors, replacement, controls = _decode_attrs(op)
    output = _attr_text(op._attrs["output_encoding"])

    def transcode(data: bytes) -> bytes:
        points, _ = decode_string(data, encoding, errors, replacement, controls)
        return encode_points(points, output, "replace", replacement)

    return map_strings(transcode, source)


register_op("UnicodeTranscode", _transcode_infer, kernel=_transcode_kernel, grad=NOT_DIFFERENTIABLE)


@functools.cache
def _script_runs() -> tuple[np.ndarray, np.ndarray]:
    pairs = [item.split(":") for item in "".join(unicode_scripts.RUNS).split()]
    starts = np.array([int(s, 16) for s, _ in pairs], np.int64)
    return starts, np.array([int(c) for _, c in pairs], np.int32)


def _script_infer(inputs, attrs):
    (points,) = inputs
    if points.dtype.base_dtype != dtypes.int32:
        raise TypeError(
            f"Input 'input' of 'UnicodeScript' Op has type {points.dtype.name} that does not "
            "match expected type of int32."
        )
    return [(dtypes.int32, points.shape)]


def _script_kernel(ctx, op, points):
    starts, scripts = _script_runs()
    points = np.asarray(points, np.int64)
    found = scripts[np.clip(np.searchsorted(starts, points, side="right") - 1, 0, None)]
    return np.where((points < 0) | (points > 0x10FFFF), np.int32(-1), found).astype(np.int32)


register_op("UnicodeScript", _script_infer, kernel=_script_kernel, grad=NOT_DIFFERENTIABLE)


def unicode_script(input, name=None):  # noqa: A002 - TF's name
    """The ICU script code (``UScriptCode``) of each code point; -1 for an invalid one.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.strings.unicode_script([104, 1041, 33])))
    [25  8  0]
    """
    with name_scope(name, "UnicodeScript", [input]) as scope:
        points = convert_to_tensor(input, dtype=dtypes.int32, name="input")
        return apply_op("UnicodeScript", [points], {}, scope)
