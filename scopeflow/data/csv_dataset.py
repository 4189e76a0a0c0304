"""``tf.data.experimental.CsvDataset``: the records of CSV files, one element (a tuple with a
scalar per column) per record, as TF's ``CSVDatasetV2`` op reads them.

A field may be quoted (a quote inside it doubled; a quoted field may span lines) unless
``use_quote_delim=False``; an empty field, or one equal to ``na_value``, takes its column's
default, and a column given as a dtype has none ("Field 0 is required but
missing in record!"). A bad record fails the ``get_next`` run that reads it with
``InvalidArgumentError`` in TF's words, and the next run goes on with the record after it,
as in TF (``ignore_errors()`` skips bad records).

>>> import os, tempfile
>>> import scopeflow as tf
>>> path = os.path.join(tempfile.mkdtemp(), "a.csv")
>>> with open(path, "w") as f:
...     _ = f.write('n,x,s\\n1,2.5,"a,b"\\n2,,c\\n')
>>> with tf.Graph().as_default():
...     ds = tf.data.experimental.CsvDataset(path, [tf.int32, [0.0], [""]], header=True)
...     list(ds.as_numpy_iterator())
[(np.int32(1), np.float32(2.5), b'a,b'), (np.int32(2), np.float32(0.0), b'c')]
"""

from __future__ import annotations

import re

import numpy as np

from scopeflow.data import file_values, values
from scopeflow.data.dataset import Dataset, _make
from scopeflow.data.dataset_ops import _register, _variant_infer
from scopeflow.data.structure import Spec
from scopeflow.framework import dtypes, errors, tensor_shape, undo
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.tensor import Tensor
from scopeflow.summary.record_options import decompress, read_file

_TYPES = (dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64, dtypes.string)
_INT = re.compile(rb"\s*[+-]?\d+\s*")
_FLOAT = re.compile(
    rb"\s*[+-]?((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|inf|infinity|nan)\s*", re.IGNORECASE
)
_TYPE_WORDS = {
    dtypes.int32: "int32",
    dtypes.int64: "int64",
    dtypes.float32: "float",
    dtypes.float64: "double",
}
_UNCLOSED = "Reached end of file without closing quoted field in record"


def _invalid(message: str) -> errors.InvalidArgumentError:
    return errors.InvalidArgumentError(None, None, message)


def _text(value) -> bytes:
    value = np.asarray(value).item()
    return value if isinstance(value, bytes) else str(value).encode()


def _records(data: bytes, delim: bytes, quoting: bool):
    """Each record of ``data`` as ``(fields, error)``: fields are ``(bytes, quoted)``; an
    error message instead when the record is malformed (the reader goes on after it)."""
    lines = data.split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    i = 0
    while i < len(lines):
        line = lines[i].rstrip(b"\r")
        i += 1
        if not quoting or b'"' not in line:
            yield [(f, False) for f in line.split(delim)], None
            continue
        fields, error, i = _quoted_record(line, lines, i, delim)
        yield fields, error


def _quoted_record(line: bytes, lines: list, i: int, delim: bytes):
    """The fields of a record with quotes, reading more lines while a quoted field is open:
    ``(fields, error, index of the next line)``."""
    fields: list = []
    pos, d = 0, delim[0]
    while True:
        if pos < len(line) and line[pos] == 0x22:  # a quoted field
            chars, pos = bytearray(), pos + 1
            while True:
                if pos >= len(line):  # the field goes on, on the next line
                    if i >= len(lines):
                        return fields, _UNCLOSED, i
                    chars += b"\n"
                    line, pos, i = lines[i].rstrip(b"\r"), 0, i + 1
                    continue
                c = line[pos]
                if c != 0x22:
                    chars.append(c)
                    pos += 1
                elif pos + 1 < len(line) and line[pos + 1] == 0x22:
                    chars.append(0x22)
                    pos += 2
                elif pos + 1 >= len(line) or line[pos + 1] == d:
                    pos += 1
                    break
                else:  # a lone quote inside: TF reads on as if still quoted
                    pos += 1
            fields.append((bytes(chars), True))
        else:
            end = line.find(delim, pos)
            end = len(line) if end < 0 else end
            field = line[pos:end]
            if b'"' in field:
                return fields, "Unquoted fields cannot have quotes inside", i
            fields.append((field, False))
            pos = end
        if pos >= len(line):
            return fields, None, i
        pos += 1  # the delimiter
        if pos == len(line):
            fields.append((b"", False))
            return fields, None, i


def _convert(i: int, field: bytes, dtype: dtypes.DType):
    if dtype == dtypes.string:
        return np.asarray(field, dtype=object)
    pattern = _INT if dtype.is_integer else _FLOAT
    if pattern.fullmatch(field):
        value = int(field) if dtype.is_integer else float(field)
        info = np.iinfo(dtype.as_numpy_dtype) if dtype.is_integer else None
        if info is None or info.min <= value <= info.max:
            return dtype.as_numpy_dtype(value)
    raise _invalid(
        f"Field {i} in record is not a valid {_TYPE_WORDS[dtype]}: {field.decode(errors='replace')}"
    )


class _Reader:
    """One pass over the files: ``__next__`` raises a bad record's error and, called again,
    goes on with the next record (a generator could not go on after raising)."""

    def __init__(self, csv: Csv):
        self.csv = csv
        self.records = self._all_records()

    def _all_records(self):
        csv = self.csv
        for path in csv.filenames:
            data = decompress(read_file(path), csv.compression)
            records = _records(data, csv.delim, csv.quoting)
            if csv.header:
                next(records, None)
            yield from records

    def __iter__(self):
        return self

    def __next__(self):
        fields, error = next(self.records)
        if error is not None:
            raise _invalid(error)
        return self.csv.element(fields)


class Csv(values.DatasetValue):
    """``CSVDatasetV2``'s value: the files, how to read them and each column's default
    (``None``: required)."""

    def __init__(
        self, filenames, compression, header, delim, quoting, na_value, select, defaults, exclude
    ):
        self.filenames = [file_values._path(f) for f in np.reshape(filenames, [-1])]
        self.compression = _text(compression).decode()
        self.header, self.quoting = bool(header), bool(quoting)
        self.delim, self.na_value = _text(delim), _text(na_value)
        self.select = [int(c) for c in np.reshape(select, [-1])]
        self.exclude = {int(c) for c in np.reshape(exclude, [-1])}
        self.defaults = defaults
        if len(self.delim) != 1:
            raise _invalid("field_delim should be only 1 char")
        if self.select and len(self.select) != len(defaults):
            raise _invalid("select_cols should match output size")
        if self.select and self.exclude:
            raise _invalid("Either select_cols or exclude_cols should be empty")
        if any(b <= a for a, b in zip(self.select, self.select[1:], strict=False)):
            raise _invalid("select_cols should be strictly increasing indices")
        excluded = [int(c) for c in np.reshape(exclude, [-1])]
        if any(b <= a for a, b in zip(excluded, excluded[1:], strict=False)):
            raise _invalid("exclude_cols should be strictly increasing indices")
        if any(c < 0 for c in self.select):
            raise _invalid("select_cols should be non-negative indices")
        file_values._check_compression(self.compression)

    def elements(self):
        return _Reader(self)

    def element(self, fields: list) -> tuple:
        n = len(self.defaults)
        if self.select:
            wanted = set(self.select)
            fields = [f for c, f in enumerate(fields) if c in wanted]
            if len(fields) < n:
                raise _invalid(f"Expect {n} fields but have {len(fields)} in record")
        elif self.exclude:
            fields = [f for c, f in enumerate(fields) if c not in self.exclude]
        out = []
        for i, (field, quoted) in enumerate(fields[:n]):
            dtype, default = self.defaults[i]
            if field == b"" or (not quoted and field == self.na_value):
                if default is None:
                    raise _invalid(f"Field {i} is required but missing in record!")
                out.append(default)
            else:
                out.append(_convert(i, field, dtype))
        if len(fields) < n:
            raise _invalid(f"Expect {n} fields but have {len(fields)} in record")
        if len(fields) > n:
            raise _invalid(f"Expect {n} fields but have more in record")
        return out


def _csv_kernel(ctx, op, filenames, compression, size, header, delim, quoting, na, select, *rest):
    record_defaults, exclude = rest[:-1], rest[-1]
    defaults = []
    for dtype, value in zip(op._attrs["output_types"], record_defaults, strict=True):
        array = np.asarray(value, dtype=object if dtype == dtypes.string else None)
        defaults.append((dtype, array.reshape([-1])[0] if array.size else None))
    return Csv(filenames, compression, header, delim, quoting, na, select, defaults, exclude)


_register("CSVDatasetV2", _variant_infer, _csv_kernel)


def _record_default(i: int, value) -> Tensor:
    """Column ``i``'s default as a tensor: an empty one for a dtype (a required column)."""
    if isinstance(value, dtypes.DType):
        tensor = constant([], dtype=value)
    else:
        tensor = convert_to_tensor(value, name=f"record_defaults_{i}")
    if tensor.dtype.base_dtype not in _TYPES:
        raise TypeError(
            "Value passed to parameter 'record_defaults' has DataType "
            f"{tensor.dtype.base_dtype.name} not in list of allowed values: float32, float64, "
            "int32, int64, string"
        )
    if tensor.shape.ndims is not None and (
        tensor.shape.ndims > 1 or (tensor.shape.ndims == 1 and (tensor.shape[0].value or 0) > 1)
    ):
        raise ValueError(
            "Shape of a default must be a length-0 or length-1 vector, or a scalar. "
            f"(record_defaults[{i}] has shape {tensor.shape})"
        )
    return tensor


def _string(value, name: str) -> Tensor:
    if not isinstance(value, (str, bytes, Tensor)):
        raise TypeError(f"Expected string, but got {value!r} of type '{type(value).__name__}'.")
    return convert_to_tensor(value, dtype=dtypes.string, name=name)


class CsvDataset(Dataset):
    """The records of the CSV files ``filenames``: each a tuple with one scalar per column of
    ``record_defaults`` (a dtype: a required column; a value or a one-element list: its
    default, of its dtype). ``select_cols`` (increasing indices) reads only those columns,
    ``exclude_cols`` (TF 2's argument) all but those; ``header`` skips each file's first
    line; ``buffer_size`` is accepted (files are read whole)."""

    @undo.atomic
    def __init__(
        self,
        filenames,
        record_defaults,
        compression_type=None,
        buffer_size=None,
        header=False,
        field_delim=",",
        use_quote_delim=True,
        na_value="",
        select_cols=None,
        exclude_cols=None,
    ):
        files = convert_to_tensor(filenames, dtype=dtypes.string, name="filenames")
        compression = convert_to_tensor(
            compression_type or "", dtype=dtypes.string, name="compression_type"
        )
        if not record_defaults:
            raise ValueError(
                "Attr 'output_types' of 'CSVDatasetV2' Op passed list of length 0 less than "
                "minimum 1."
            )
        defaults = [_record_default(i, v) for i, v in enumerate(record_defaults)]
        inputs = [
            files,
            compression,
            convert_to_tensor(
                4 * 1024 * 1024 if buffer_size is None else buffer_size,
                dtype=dtypes.int64,
                name="buffer_size",
            ),
            convert_to_tensor(header, dtype=dtypes.bool, name="header"),
            _string(field_delim, "field_delim"),
            convert_to_tensor(use_quote_delim, dtype=dtypes.bool, name="use_quote_delim"),
            _string(na_value, "na_value"),
            convert_to_tensor(
                np.int64(select_cols if select_cols is not None else []).reshape([-1]),
                name="select_cols",
            ),
            *defaults,
            convert_to_tensor(
                np.int64(exclude_cols if exclude_cols is not None else []).reshape([-1]),
                name="exclude_cols",
            ),
        ]
        specs = tuple(Spec(t.dtype.base_dtype, tensor_shape.TensorShape([])) for t in defaults)
        made = _make("CSVDatasetV2", inputs, specs)
        super().__init__(made._variant_tensor, specs)


CsvDatasetV1 = CsvDataset

__all__ = ["CsvDataset"]
