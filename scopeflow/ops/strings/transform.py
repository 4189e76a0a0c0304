"""Strings changed element by element: ``tf.strings.length`` (``StringLength``),
``tf.substr`` (``Substr``), ``tf.regex_replace`` (``StaticRegexReplace`` for a fixed pattern
and rewrite, ``RegexReplace`` for tensors), ``tf.strings.lower``/``upper``
(``StringLower``/``StringUpper``) and ``tf.strings.strip`` (``StringStrip``).

Patterns match UTF-8 characters as RE2 does, with Python's ``re`` (RE2's syntax is nearly a
subset). Known differences: ``(?i)`` folds ASCII letters only (RE2 folds all), and a byte
that is not UTF-8 is a character ``.`` matches (RE2 matches it with nothing)."""

from __future__ import annotations

import re

import numpy as np

from scopeflow.framework import dtypes, errors, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.core.infer import INDEX, apply_op, check_same_dtype
from scopeflow.ops.strings.common import as_bytes, map_strings, strings_array


def _same_shape_infer(inputs, attrs):
    return [(dtypes.string, inputs[0].shape)]


def _unary(op_type: str, input, attrs: dict, name):  # noqa: A002 - TF's name
    with name_scope(name, op_type, [input]) as scope:
        x = convert_to_tensor(input, dtype=dtypes.string, name="input")
        return apply_op(op_type, [x], attrs, name=scope)


def _register(op_type: str, infer, kernel) -> None:
    register_op(op_type, infer, kernel=kernel, grad=NOT_DIFFERENTIABLE, host_only=True)


def _check_unit(unit: str) -> bytes:
    if unit not in ("BYTE", "UTF8_CHAR"):
        raise ValueError(f"unit must be 'BYTE' or 'UTF8_CHAR', got {unit!r}")
    return unit.encode()


# -- StringLength ----------------------------------------------------------------------------


def _utf8_length(text: bytes) -> int:
    return sum(1 for b in text if b & 0xC0 != 0x80)


def _string_length_kernel(ctx, op, x):
    count = len if op._attrs["unit"] in (b"BYTE", "BYTE") else _utf8_length  # str if imported
    return map_strings(count, x, dtype=np.int32)


_register(
    "StringLength",
    lambda inputs, attrs: [(dtypes.int32, inputs[0].shape)],
    _string_length_kernel,
)


@undo.atomic
def string_length(input, name=None, unit="BYTE"):  # noqa: A002 - TF1's signature
    """The length of each string, in bytes or (``unit="UTF8_CHAR"``) characters.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.strings.length(["abc", ""])))
    [3 0]
    """
    return _unary("StringLength", input, {"unit": _check_unit(unit)}, name)


# -- Substr ----------------------------------------------------------------------------------


def _substr_infer(inputs, attrs):
    x, pos, length = inputs
    check_same_dtype("Substr", ("pos", "len"), [pos, length])
    if pos.dtype.base_dtype not in INDEX:
        raise TypeError(
            f"Value passed to parameter 'pos' has DataType {pos.dtype.base_dtype.name} not in "
            "list of allowed values: int32, int64"
        )
    if pos.shape.ndims is not None and length.shape.ndims is not None:
        if not pos.shape.is_compatible_with(length.shape):
            raise ValueError(
                f"Shapes must be equal rank, but are {pos.shape.ndims} and {length.shape.ndims}"
            )
    return [(dtypes.string, tensor_shape.broadcast_shapes(x.shape, pos.shape))]


def _substr_kernel(ctx, op, x, pos, length):
    utf8 = op._attrs["unit"] in (b"UTF8_CHAR", "UTF8_CHAR")  # str when imported
    shape = np.broadcast_shapes(np.shape(x), np.shape(pos))
    texts = np.broadcast_to(np.asarray(x, dtype=object), shape).reshape(-1)
    starts = np.broadcast_to(pos, shape).reshape(-1)
    lengths = np.broadcast_to(length, shape).reshape(-1)
    out = []
    for i, (raw, start, size) in enumerate(zip(texts, starts, lengths, strict=True)):
        raw = as_bytes(raw)
        text = raw.decode("utf-8", "replace") if utf8 else raw
        start, size = int(start), int(size)
        # TF: a negative len takes the rest in bytes, nothing in characters (where it also
        # refuses a negative pos)
        if not -len(text) <= start <= len(text) or (utf8 and start < 0 and size < 0):
            shown = "" if utf8 else f" {raw!r}"
            raise errors.InvalidArgumentError(
                None, op, f"pos {start} out of range for string{shown} at index {i}"
            )
        if start < 0:  # counted from the end
            start += len(text)
        piece = text[start:] if size < 0 and not utf8 else text[start : start + max(size, 0)]
        out.append(piece.encode() if utf8 else piece)
    return strings_array(out, shape)


_register("Substr", _substr_infer, _substr_kernel)


@undo.atomic
def substr(input, pos, len, name=None, unit="BYTE"):  # noqa: A002 - TF1's signature
    """``len`` bytes (or characters) of each string from ``pos`` (negative: from the end);
    ``pos`` and ``len`` broadcast against ``input``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.substr(["hello", "abc"], 1, 3)))
    [b'ell' b'bc']
    """
    unit = _check_unit(unit)
    with name_scope(name, "Substr", [input, pos, len]) as scope:
        x = convert_to_tensor(input, dtype=dtypes.string, name="input")
        pos = convert_to_tensor(pos, dtype_hint=dtypes.int32, name="pos")
        size = convert_to_tensor(len, dtype_hint=pos.dtype.base_dtype, name="len")
        return apply_op("Substr", [x, pos, size], {"unit": unit}, name=scope)


# -- regular expressions ---------------------------------------------------------------------


def _text(raw: bytes) -> str:
    """UTF-8 bytes as text for ``re`` (RE2 matches characters, not bytes); an invalid byte
    becomes one character (a lone surrogate) that ``_raw`` turns back into that byte."""
    return raw.decode("utf-8", "surrogateescape")


def _raw(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def _compiled(op, pattern: bytes):
    try:  # RE2's \w, \d, \s and \b are ASCII classes
        return re.compile(_text(pattern), re.ASCII)
    except re.error as e:
        raise errors.InvalidArgumentError(
            None, op, f"Invalid pattern: {pattern.decode('utf-8', 'replace')}, error: {e}"
        ) from None


def _rewrite_pieces(rewrite: bytes) -> list:
    """RE2's rewrite string as literal bytes and group numbers (``\\0``..``\\9``; ``\\\\``
    is a backslash)."""
    pieces: list = []
    i = 0
    while i < len(rewrite):
        if rewrite[i : i + 1] == b"\\" and i + 1 < len(rewrite):
            following = rewrite[i + 1 : i + 2]
            pieces.append(int(following) if following.isdigit() else following)
            i += 2
        else:
            pieces.append(rewrite[i : i + 1])
            i += 1
    return pieces


def _replace(op, x, pattern: bytes, rewrite: bytes, replace_global: bool):
    compiled = _compiled(op, pattern)
    pieces = _rewrite_pieces(rewrite)

    def expand(match) -> str:
        return "".join(_text(p) if isinstance(p, bytes) else match.group(p) or "" for p in pieces)

    count = 0 if replace_global else 1
    return map_strings(lambda raw: _raw(compiled.sub(expand, _text(raw), count=count)), x)


def _static_regex_replace_kernel(ctx, op, x):
    attrs = op._attrs
    pattern, rewrite = as_bytes(attrs["pattern"]), as_bytes(attrs["rewrite"])  # str if imported
    return _replace(op, x, pattern, rewrite, attrs["replace_global"])


def _regex_replace_kernel(ctx, op, x, pattern, rewrite):
    pattern, rewrite = as_bytes(pattern), as_bytes(rewrite)
    return _replace(op, x, pattern, rewrite, op._attrs["replace_global"])


_register("StaticRegexReplace", _same_shape_infer, _static_regex_replace_kernel)
_register("RegexReplace", _same_shape_infer, _regex_replace_kernel)


@undo.atomic
def regex_replace(input, pattern, rewrite, replace_global=True, name=None):  # noqa: A002
    """Each match of the regular expression ``pattern`` in each string replaced by
    ``rewrite`` (``\\1`` is the first group); only the first match unless
    ``replace_global``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.regex_replace(["aab", "xyz"], "a+", "<\\\\0>")))
    [b'<aa>b' b'xyz']
    """
    if isinstance(pattern, (str, bytes)) and isinstance(rewrite, (str, bytes)):
        attrs = {
            "pattern": as_bytes(pattern),
            "rewrite": as_bytes(rewrite),
            "replace_global": bool(replace_global),
        }
        return _unary("StaticRegexReplace", input, attrs, name)
    with name_scope(name, "RegexReplace", [input, pattern, rewrite]) as scope:
        x = convert_to_tensor(input, dtype=dtypes.string, name="input")
        pattern = convert_to_tensor(pattern, dtype=dtypes.string, name="pattern")
        rewrite = convert_to_tensor(rewrite, dtype=dtypes.string, name="rewrite")
        attrs = {"replace_global": bool(replace_global)}
        return apply_op("RegexReplace", [x, pattern, rewrite], attrs, name=scope)


def _full_match(op, x, pattern: bytes):
    compiled = _compiled(op, pattern)
    return map_strings(lambda raw: compiled.fullmatch(_text(raw)) is not None, x, dtype=np.bool_)


def _bool_like_infer(inputs, attrs):
    return [(dtypes.bool, inputs[0].shape)]


_register(
    "StaticRegexFullMatch",
    _bool_like_infer,
    lambda ctx, op, x: _full_match(op, x, as_bytes(op._attrs["pattern"])),
)
_register(
    "RegexFullMatch",
    _bool_like_infer,
    lambda ctx, op, x, pattern: _full_match(op, x, as_bytes(pattern)),
)


@undo.atomic
def regex_full_match(input, pattern, name=None):  # noqa: A002 - TF's name
    """Whether each whole string matches the regular expression ``pattern``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.strings.regex_full_match(["abc", "ab"], "a.c")))
    [ True False]
    """
    if isinstance(pattern, (str, bytes)):
        return _unary("StaticRegexFullMatch", input, {"pattern": as_bytes(pattern)}, name)
    with name_scope(name, "RegexFullMatch", [input, pattern]) as scope:
        x = convert_to_tensor(input, dtype=dtypes.string, name="input")
        pattern = convert_to_tensor(pattern, dtype=dtypes.string, name="pattern")
        return apply_op("RegexFullMatch", [x, pattern], name=scope)


# -- case and whitespace ---------------------------------------------------------------------


def _case_kernel(method: str):
    def kernel(ctx, op, x):
        if op._attrs["encoding"]:  # "utf-8": every letter; "": ASCII letters only
            return map_strings(lambda t: getattr(t.decode(), method)().encode(), x)
        return map_strings(getattr(bytes, method), x)

    return kernel


_register("StringLower", _same_shape_infer, _case_kernel("lower"))
_register("StringUpper", _same_shape_infer, _case_kernel("upper"))


def _check_encoding(encoding: str) -> bytes:
    if encoding not in ("", "utf-8"):
        raise ValueError(f"encoding must be '' or 'utf-8', got {encoding!r}")
    return encoding.encode()


@undo.atomic
def lower(input, encoding="", name=None):  # noqa: A002 - TF's name
    """Each string in lower case (ASCII letters; every letter with ``encoding="utf-8"``).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.strings.lower(["AbC"])))
    [b'abc']
    """
    return _unary("StringLower", input, {"encoding": _check_encoding(encoding)}, name)


@undo.atomic
def upper(input, encoding="", name=None):  # noqa: A002 - TF's name
    """Each string in upper case (ASCII letters; every letter with ``encoding="utf-8"``)."""
    return _unary("StringUpper", input, {"encoding": _check_encoding(encoding)}, name)


_register("StringStrip", _same_shape_infer, lambda ctx, op, x: map_strings(bytes.strip, x))


@undo.atomic
def strip(input, name=None):  # noqa: A002 - TF's name
    """Each string without its leading and trailing whitespace.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.strings.strip([" a b \\n"])))
    [b'a b']
    """
    return _unary("StringStrip", input, {}, name)


__all__ = ["regex_replace", "substr"]
