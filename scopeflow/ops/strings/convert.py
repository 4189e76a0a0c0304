"""Strings to numbers and back: ``tf.string_to_number`` (``StringToNumber``) and
``tf.as_string`` (``AsString``, C's ``printf`` formats as TF builds them)."""

from __future__ import annotations

import base64
import re

import numpy as np

from scopeflow.framework import dtypes, errors, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.core.infer import apply_op
from scopeflow.ops.kernels.farmhash import fingerprint64
from scopeflow.ops.strings.common import as_bytes, map_strings

NUMBER_TYPES = (dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64)
_INT_RANGE = {dtypes.int32: 2**31, dtypes.int64: 2**63}

# -- StringToNumber --------------------------------------------------------------------------


def _parse_number(text: bytes, dtype):
    body = text.strip()
    if b"_" in body:  # Python's digit separators are not C's
        raise ValueError(text)
    if dtype.is_integer:
        value = int(body)
        if not -_INT_RANGE[dtype] <= value < _INT_RANGE[dtype]:
            raise ValueError(text)
        return value
    if body.lstrip(b"+-")[:2].lower() == b"0x":  # strtod reads hexadecimal too
        return float.fromhex(body.decode("ascii"))
    return float(body)


def _string_to_number_kernel(ctx, op, x):
    dtype = op._attrs["out_type"]

    def convert(text: bytes):
        try:
            return _parse_number(text, dtype)
        except (ValueError, UnicodeDecodeError):
            raise errors.InvalidArgumentError(
                None,
                op,
                "StringToNumberOp could not correctly convert string: "
                f"{text.decode('utf-8', 'replace')}",
            ) from None

    return map_strings(convert, x, dtype=dtype.as_numpy_dtype)


register_op(
    "StringToNumber",
    lambda inputs, attrs: [(attrs["out_type"], inputs[0].shape)],
    kernel=_string_to_number_kernel,
    grad=NOT_DIFFERENTIABLE,
    host_only=True,
)


@undo.atomic
def string_to_number(string_tensor=None, out_type=dtypes.float32, name=None, input=None):  # noqa: A002
    """Each string read as a number of ``out_type`` (float32, float64, int32 or int64).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.string_to_number(["1.5", "-2"])))
    [ 1.5 -2. ]
    """
    if string_tensor is not None and input is not None:
        raise ValueError("Cannot specify both 'input' and 'string_tensor'.")
    string_tensor = input if string_tensor is None else string_tensor
    out_type = dtypes.as_dtype(out_type).base_dtype
    if out_type not in NUMBER_TYPES:
        raise TypeError(
            f"Value passed to parameter 'out_type' has DataType {out_type.name} not in list of "
            "allowed values: float32, float64, int32, int64"
        )
    with name_scope(name, "StringToNumber", [string_tensor]) as scope:
        x = convert_to_tensor(string_tensor, dtype=dtypes.string, name="string_tensor")
        return apply_op("StringToNumber", [x], {"out_type": out_type}, name=scope)


# -- AsString --------------------------------------------------------------------------------


def _printf_format(op, dtype) -> str:
    """The C format TF's ``AsString`` builds from its attributes (one value's)."""
    attrs = op._attrs
    fill, width, precision = attrs["fill"], attrs["width"], attrs["precision"]
    fill = fill.decode() if isinstance(fill, bytes) else fill  # str when imported
    scientific, shortest = attrs["scientific"], attrs["shortest"]
    if len(fill) > 1:
        raise errors.InvalidArgumentError(None, op, "Fill string must be one or fewer characters")
    if scientific and shortest:
        raise errors.InvalidArgumentError(
            None, op, "Cannot select both scientific and shortest notation"
        )
    if fill and fill not in " +-0#":
        raise errors.InvalidArgumentError(None, op, f'Fill argument not supported: "{fill}"')
    floating = dtype.is_floating or dtype.is_complex
    unsupported = {"scientific": scientific, "shortest": shortest, "precision": precision > -1}
    for what, flag in unsupported.items():
        if flag and not floating:
            raise errors.InvalidArgumentError(
                None, op, f"{what} not supported for datatype {dtype.name}"
            )
    spec = "%" + fill + (str(width) if width > -1 else "")
    if precision > -1:
        spec += f".{precision}"
    if dtype == dtypes.string:
        return spec + "s"
    if not floating:
        return spec + "d"
    return spec + ("e" if scientific else "g" if shortest else "f")


def _c_format(spec: str, value: float) -> str:
    """``spec % value`` as C's printf gives it: zero fill pads inf and nan with spaces."""
    if spec.startswith("%0") and not np.isfinite(value):
        spec = "%" + spec[2:]
    return spec % value


def _as_string_kernel(ctx, op, x):
    dtype = op._attrs["T"]
    spec = _printf_format(op, dtype)
    values = np.reshape(x, -1)
    if dtype == dtypes.bool:
        texts = [b"true" if v else b"false" for v in values]
    elif dtype == dtypes.string:
        texts = [(spec % as_bytes(v).decode("utf-8", "surrogateescape")).encode() for v in values]
    elif dtype.is_complex:
        texts = [f"({_c_format(spec, v.real)},{_c_format(spec, v.imag)})".encode() for v in values]
    elif dtype.is_floating:
        texts = [_c_format(spec, float(v)).encode() for v in values]
    else:
        texts = [(spec % int(v)).encode() for v in values]
    out = np.empty(len(texts), dtype=object)
    out[:] = texts
    return out.reshape(np.shape(x))


register_op(
    "AsString",
    lambda inputs, attrs: [(dtypes.string, inputs[0].shape)],
    kernel=_as_string_kernel,
    grad=NOT_DIFFERENTIABLE,
    host_only=True,
)


@undo.atomic
def as_string(
    input,  # noqa: A002 - TF's name
    precision=-1,
    scientific=False,
    shortest=False,
    width=-1,
    fill="",
    name=None,
):
    """Each number written as a string (C's ``%f``, ``%e`` with ``scientific``, ``%g`` with
    ``shortest``, ``%d`` for integers; ``true``/``false`` for booleans).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.as_string([1.5, 2.0], precision=2)))
    [b'1.50' b'2.00']
    """
    with name_scope(name, "AsString", [input]) as scope:
        x = convert_to_tensor(input, name="input")
        attrs = {
            "T": x.dtype.base_dtype,
            "precision": int(precision),
            "scientific": bool(scientific),
            "shortest": bool(shortest),
            "width": int(width),
            "fill": as_bytes(fill),
        }
        return apply_op("AsString", [x], attrs, name=scope)


# -- EncodeBase64, DecodeBase64 -------------------------------------------------------------

_BASE64 = re.compile(rb"[A-Za-z0-9_-]*")


def _encode_base64_kernel(ctx, op, x):
    pad = op._attrs["pad"]
    return map_strings(
        lambda t: base64.urlsafe_b64encode(t) if pad else base64.urlsafe_b64encode(t).rstrip(b"="),
        x,
    )


def _decode(op, text: bytes) -> bytes:
    body = text.rstrip(b"=")
    if len(body) % 4 == 1:
        raise errors.InvalidArgumentError(None, op, "Base64 string length cannot be 1 modulo 4.")
    if not _BASE64.fullmatch(body):
        raise errors.InvalidArgumentError(None, op, "Invalid character found in base64.")
    return base64.urlsafe_b64decode(body + b"=" * (-len(body) % 4))


def _string_infer(inputs, attrs):
    return [(dtypes.string, inputs[0].shape)]


register_op(
    "EncodeBase64",
    _string_infer,
    kernel=_encode_base64_kernel,
    grad=NOT_DIFFERENTIABLE,
    host_only=True,
)
register_op(
    "DecodeBase64",
    _string_infer,
    kernel=lambda ctx, op, x: map_strings(lambda t: _decode(op, t), x),
    grad=NOT_DIFFERENTIABLE,
    host_only=True,
)


@undo.atomic
def encode_base64(input, pad=False, name=None):  # noqa: A002 - TF's name
    """Each string in web-safe base64 (``-`` and ``_``; ``=`` padding only with ``pad``).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     data = tf.io.encode_base64(["hello?>"])
    ...     print(*tf.Session().run([data, tf.io.decode_base64(data)]))
    [b'aGVsbG8_Pg'] [b'hello?>']
    """
    with name_scope(name, "EncodeBase64", [input]) as scope:
        x = convert_to_tensor(input, dtype=dtypes.string, name="input")
        return apply_op("EncodeBase64", [x], {"pad": bool(pad)}, name=scope)


@undo.atomic
def decode_base64(input, name=None):  # noqa: A002 - TF's name
    """Each web-safe base64 string decoded (with or without ``=`` padding)."""
    with name_scope(name, "DecodeBase64", [input]) as scope:
        x = convert_to_tensor(input, dtype=dtypes.string, name="input")
        return apply_op("DecodeBase64", [x], name=scope)


# -- StringToHashBucketFast -----------------------------------------------------------------


def _hash_bucket_kernel(ctx, op, x):
    buckets = op._attrs["num_buckets"]
    return map_strings(lambda text: fingerprint64(text) % buckets, x, dtype=np.int64)


register_op(
    "StringToHashBucketFast",
    lambda inputs, attrs: [(dtypes.int64, inputs[0].shape)],
    kernel=_hash_bucket_kernel,
    grad=NOT_DIFFERENTIABLE,
    host_only=True,
)


@undo.atomic
def string_to_hash_bucket_fast(input, num_buckets, name=None):  # noqa: A002 - TF's name
    """Each string's bucket in ``[0, num_buckets)``: its FarmHash ``Fingerprint64`` modulo
    ``num_buckets``, the buckets TensorFlow gives (hashed feature columns).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.string_to_hash_bucket_fast(["a", "b", "a"], 1000)))
    [939 822 939]
    """
    if num_buckets < 1:
        raise ValueError(
            f"Attr 'num_buckets' of 'StringToHashBucketFast' Op passed {num_buckets} less than "
            "minimum 1."
        )
    with name_scope(name, "StringToHashBucketFast", [input]) as scope:
        x = convert_to_tensor(input, dtype=dtypes.string, name="input")
        attrs = {"num_buckets": int(num_buckets)}
        return apply_op("StringToHashBucketFast", [x], attrs, name=scope)


__all__ = [
    "as_string",
    "decode_base64",
    "encode_base64",
    "string_to_hash_bucket_fast",
    "string_to_number",
]
