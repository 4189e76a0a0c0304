"""``tf.decode_raw`` (``DecodeRaw``) and ``tf.decode_csv`` (``DecodeCSV``): strings read as
the bytes of numbers, and as comma-separated fields, with TF's run-time errors."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, errors, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.error_text import kernel_type_name
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.core.infer import apply_op

# -- DecodeRaw -------------------------------------------------------------------------------

RAW_TYPES = (
    *(dtypes.float16, dtypes.float32, dtypes.float64, dtypes.int32, dtypes.uint16),
    *(dtypes.uint8, dtypes.int16, dtypes.int8, dtypes.int64, dtypes.complex64),
    *(dtypes.complex128, dtypes.bool, dtypes.bfloat16),
)


def _as_bytes(x) -> bytes:
    return x.encode() if isinstance(x, str) else bytes(x)


def _decode_raw_infer(inputs, attrs):
    shape = inputs[0].shape.concatenate([None])
    return [(attrs["out_type"], shape)]


def _decode_raw_kernel(ctx, op, data):
    dtype = op._attrs["out_type"]
    numpy_dtype = np.dtype(dtype.as_numpy_dtype)
    numpy_dtype = numpy_dtype.newbyteorder("<" if op._attrs["little_endian"] else ">")
    items = [_as_bytes(x) for x in np.reshape(data, -1)]
    width = len(items[0]) if items else 0
    for i, item in enumerate(items):
        if len(item) != width:
            raise errors.InvalidArgumentError(
                None,
                op,
                "DecodeRaw requires input strings to all be the same size, but element "
                f"{i} has size {width} != {len(item)}",
            )
    if width % numpy_dtype.itemsize:
        raise errors.InvalidArgumentError(
            None,
            op,
            f"Input to DecodeRaw has length {width} that is not a multiple of "
            f"{numpy_dtype.itemsize}, the size of {kernel_type_name(dtype)}",
        )
    flat = np.frombuffer(b"".join(items), dtype=numpy_dtype).astype(numpy_dtype.newbyteorder("="))
    return flat.reshape(*np.shape(data), width // numpy_dtype.itemsize)


register_op(
    "DecodeRaw",
    _decode_raw_infer,
    kernel=_decode_raw_kernel,
    grad=NOT_DIFFERENTIABLE,
    host_only=True,
)


@undo.atomic
def decode_raw(input_bytes=None, out_type=None, little_endian=True, name=None, bytes=None):  # noqa: A002
    """The bytes of each string of ``input_bytes`` read as numbers of ``out_type`` (a new last
    dimension; all strings the same length).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.decode_raw([b"\\x01\\x00\\x02\\x00"], tf.int16)))
    [[1 2]]
    """
    if input_bytes is None:
        input_bytes = bytes
    if input_bytes is None or out_type is None:
        raise ValueError("decode_raw needs input_bytes (or bytes) and out_type")
    out_type = dtypes.as_dtype(out_type).base_dtype
    if out_type not in RAW_TYPES:
        raise TypeError(
            f"Value passed to parameter 'out_type' has DataType {out_type.name} not in list of "
            f"allowed values: {', '.join(t.name for t in RAW_TYPES)}"
        )
    with name_scope(name, "DecodeRaw", [input_bytes]) as scope:
        data = convert_to_tensor(input_bytes, dtype=dtypes.string, name="bytes")
        attrs = {"out_type": out_type, "little_endian": bool(little_endian)}
        return apply_op("DecodeRaw", [data], attrs, name=scope)


# -- DecodeCSV -------------------------------------------------------------------------------

CSV_TYPES = (dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64, dtypes.string)
_INT_RANGE = {dtypes.int32: 2**31, dtypes.int64: 2**63}


def _decode_csv_infer(inputs, attrs):
    records = inputs[0]
    return [(t, records.shape) for t in attrs["OUT_TYPE"]]


def _split_fields(op, text: bytes, delim: bytes, quotes: bool) -> list[bytes]:
    """The fields of one record, as TF's DecodeCSV splits them (``""`` in a quoted field is
    one quote)."""
    fields: list[bytes] = []
    pos, end = 0, len(text)
    while True:
        if quotes and text[pos : pos + 1] == b'"':
            field = bytearray()
            pos += 1
            while True:
                close = text.find(b'"', pos)
                if close < 0:
                    raise errors.InvalidArgumentError(
                        None, op, "Quoted field has to end with quote followed by delim or end"
                    )
                field += text[pos:close]
                if text[close + 1 : close + 2] == b'"':
                    field += b'"'
                    pos = close + 2
                    continue
                pos = close + 1
                break
            if pos < end and text[pos : pos + 1] != delim:
                raise errors.InvalidArgumentError(
                    None, op, "Quote inside a string has to be escaped by another quote"
                )
            fields.append(bytes(field))
        else:
            stop = text.find(delim, pos)
            stop = end if stop < 0 else stop
            field = text[pos:stop]
            if quotes and b'"' in field:
                raise errors.InvalidArgumentError(
                    None, op, "Unquoted fields cannot have quotes/CRLFs inside"
                )
            fields.append(field)
            pos = stop
        if pos >= end:
            return fields
        pos += 1  # the delimiter
        if pos == end:
            fields.append(b"")
            return fields


def _csv_value(op, field: bytes, dtype, column: int, record: int):
    if dtype == dtypes.string:
        return field
    text = field.strip()
    try:
        if dtype.is_integer:
            value = int(text)
            if not -_INT_RANGE[dtype] <= value < _INT_RANGE[dtype]:
                raise ValueError(text)
            return value
        return float(text)
    except ValueError:
        name = "float" if dtype == dtypes.float32 else "double" if dtype.is_floating else dtype.name
        raise errors.InvalidArgumentError(
            None,
            op,
            f"Field {column} in record {record} is not a valid {name}: "
            f"{field.decode('utf-8', 'replace')}",
        ) from None


def _decode_csv_kernel(ctx, op, records, *defaults):
    attrs = op._attrs
    types, delim, na_value = attrs["OUT_TYPE"], attrs["field_delim"], attrs["na_value"]
    # str when imported from a GraphDef, bytes when built here
    delim = delim.encode() if isinstance(delim, str) else delim
    na_value = na_value.encode() if isinstance(na_value, str) else na_value
    select = list(attrs["select_cols"]) or list(range(len(types)))
    needed = select[-1] + 1
    columns: list[list] = [[] for _ in types]
    for r, record in enumerate(np.reshape(records, -1)):
        record = _as_bytes(record)  # TF: an empty record has no fields, not one empty one
        fields = _split_fields(op, record, delim, attrs["use_quote_delim"]) if record else []
        if len(fields) < needed or (not attrs["select_cols"] and len(fields) != len(types)):
            raise errors.InvalidArgumentError(
                None, op, f"Expect {len(types)} fields but have {len(fields)} in record {r}"
            )
        for out, (column, dtype, default) in enumerate(zip(select, types, defaults, strict=True)):
            field = fields[column]
            if not field or field == na_value:
                if np.size(default) == 0:
                    raise errors.InvalidArgumentError(
                        None, op, f"Field {out} is required but missing in record {r}!"
                    )
                columns[out].append(np.reshape(default, -1)[0])
            else:
                columns[out].append(_csv_value(op, field, dtype, out, r))
    shape = np.shape(records)
    outputs = []
    for dtype, values in zip(types, columns, strict=True):
        array = np.empty(len(values), dtype=dtype.as_numpy_dtype)
        array[:] = [_as_bytes(v) for v in values] if dtype == dtypes.string else values
        outputs.append(array.reshape(shape))
    return tuple(outputs) if len(outputs) > 1 else outputs[0]


register_op(
    "DecodeCSV",
    _decode_csv_infer,
    kernel=_decode_csv_kernel,
    grad=NOT_DIFFERENTIABLE,
    host_only=True,
)


def _check_select_cols(select_cols, record_defaults) -> None:
    if select_cols is None:
        return
    if len(select_cols) != len(record_defaults):
        raise ValueError("Length of select_cols and record_defaults do not match.")
    if any(a >= b for a, b in zip(select_cols, select_cols[1:], strict=False)):
        raise ValueError("select_cols is not strictly increasing.")
    if select_cols and select_cols[0] < 0:
        raise ValueError("select_cols contains negative values.")


@undo.atomic
def decode_csv(
    records,
    record_defaults,
    field_delim=",",
    use_quote_delim=True,
    name=None,
    na_value="",
    select_cols=None,
):
    """Each string of ``records`` split into comma-separated fields, one tensor per column
    (of ``records``' shape) typed as its entry of ``record_defaults``; an empty field (or
    ``na_value``) takes that default, an empty default makes the column required.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     n, x = tf.decode_csv(["1,2.5", ",4"], record_defaults=[[0], [0.0]])
    ...     print(*tf.Session().run([n, x]))
    [1 0] [2.5 4. ]
    """
    _check_select_cols(select_cols, record_defaults)
    with name_scope(name, "DecodeCSV", [records]) as scope:
        records = convert_to_tensor(records, dtype=dtypes.string, name="records")
        with name_scope(scope):
            defaults = [
                convert_to_tensor(d, name=f"record_defaults_{i}")
                for i, d in enumerate(record_defaults)
            ]
        types = [d.dtype.base_dtype for d in defaults]
        for t in types:
            if t not in CSV_TYPES:
                raise TypeError(
                    f"Value passed to parameter 'record_defaults' has DataType {t.name} not in "
                    "list of allowed values: float32, float64, int32, int64, string"
                )
        attrs = {
            "OUT_TYPE": types,
            "field_delim": _as_bytes(field_delim),
            "use_quote_delim": bool(use_quote_delim),
            "na_value": _as_bytes(na_value),
            "select_cols": list(select_cols or []),
        }
        op = get_default_graph().create_op("DecodeCSV", [records, *defaults], attrs, scope)
        return list(op.outputs)


__all__ = ["decode_csv", "decode_raw"]
