"""``tf.data.experimental.make_csv_dataset``: batches of CSV records as a dict of columns
(and a label), built as TF builds it: the files (shuffled unless ``shuffle=False``), a
``CsvDataset`` per file interleaved (``parallel_interleave``), shuffled, repeated
``num_epochs`` times, batched, mapped into a dict, prefetched.

Column names come from ``column_names`` or the files' header row; column types from
``column_defaults`` or, when it is ``None``, from the first ``num_rows_for_inference``
records, as TF infers them (int32, int64, float32, float64, then string; empty fields and
``na_value`` say nothing; inferred columns default to 0 or ``""``).

>>> import os, tempfile
>>> import scopeflow as tf
>>> path = os.path.join(tempfile.mkdtemp(), "a.csv")
>>> with open(path, "w") as f:
...     _ = f.write("x,y,label\\n1,2.5,a\\n2,0.5,b\\n")
>>> with tf.Graph().as_default():
...     ds = tf.data.experimental.make_csv_dataset(
...         path, 2, label_name="label", num_epochs=1, shuffle=False)
...     features, label = ds.make_one_shot_iterator().get_next()
...     print(tf.Session().run((features["y"], label)))
(array([2.5, 0.5], dtype=float32), array([b'a', b'b'], dtype=object))
"""

from __future__ import annotations

import collections
import glob

import numpy as np

from scopeflow.data import csv_dataset, file_values
from scopeflow.data.csv_dataset import CsvDataset
from scopeflow.data.dataset import AUTOTUNE, Dataset
from scopeflow.data.experimental_ops import ignore_errors, parallel_interleave
from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import constant
from scopeflow.summary.record_options import decompress, read_file

_INFERRED = (dtypes.int32, dtypes.int64, dtypes.float32, dtypes.float64, dtypes.string)


def file_names(file_pattern, shuffle: bool) -> list:
    """The files matching ``file_pattern`` (a glob or a list of them), sorted unless
    ``shuffle``; ``ValueError`` when none matches."""
    patterns = file_pattern if isinstance(file_pattern, (list, tuple)) else [file_pattern]
    names = [n for p in patterns for n in glob.glob(file_values._path(p))]
    if not names:
        raise ValueError(f"No files match `file_pattern` {file_pattern}.")
    return names if shuffle else sorted(names)


def _rows(filenames, delim: str, quoting: bool, compression: str):
    """(file, line number from 1, fields as strings) of each record of the files."""
    for name in filenames:
        data = decompress(read_file(name), compression)
        for n, (fields, _) in enumerate(csv_dataset._records(data, delim.encode(), quoting)):
            yield name, n + 1, [f.decode("utf-8", "replace") for f, _ in fields]


def _column_names(filenames, delim, quoting, compression, encoding) -> list:
    names = None
    for name in filenames:
        data = decompress(read_file(name), compression)
        first = next(csv_dataset._records(data, delim.encode(), quoting), ([], None))[0]
        header = [f.decode(encoding) for f, _ in first]
        if names is None:
            names = header
        elif header != names:
            raise ValueError(
                "All input CSV files should have the same column names in the header row. "
                f"File {name} has different column names."
            )
    return names or []


def _fits(text: str, dtype) -> bool:
    if dtype == dtypes.string:
        return True
    try:
        if dtype.is_integer:
            info = np.iinfo(dtype.as_numpy_dtype)
            return info.min <= int(text) <= info.max
        with np.errstate(over="ignore"):
            return bool(dtype.as_numpy_dtype(float(text)) < np.inf)
    except ValueError:
        return False


def _infer_types(rows, count: int, select, na_value: str, limit) -> list:
    """Each column's type from the records ``rows`` (at most ``limit``): the first of
    int32, int64, float32, float64, string that holds every value seen so far."""
    found: list = [None] * (len(select) if select is not None else count)
    for i, (_, line, fields) in enumerate(rows):
        if limit is not None and i >= limit:
            break
        if len(fields) != count:
            raise ValueError(
                f"Problem inferring types: CSV row {line} has {len(fields)} number of fields. "
                f"Expected: {count}."
            )
        if select is not None:
            fields = [fields[c] for c in select]
        for c, text in enumerate(fields):
            if text in ("", na_value):
                continue
            start = _INFERRED.index(found[c]) if found[c] is not None else 0
            found[c] = next(t for t in _INFERRED[start:] if _fits(text, t))
    return [t or dtypes.string for t in found]


def _selected(select_columns, names: list) -> list:
    indices = []
    for c in select_columns:
        if isinstance(c, str):
            if c not in names:
                raise ValueError(
                    f"Column {c} specified in `select_columns` must be of one of the columns: "
                    f"{dict.fromkeys(names).keys()}."
                )
            indices.append(names.index(c))
        else:
            if not 0 <= c < len(names):
                raise ValueError(
                    f"Column index {c} specified in `select_columns` should be > 0  and <= "
                    f"{len(names)}, which is the number of columns."
                )
            indices.append(int(c))
    return sorted(indices)


@undo.atomic
def make_csv_dataset(
    file_pattern,
    batch_size,
    column_names=None,
    column_defaults=None,
    label_name=None,
    select_columns=None,
    field_delim=",",
    use_quote_delim=True,
    na_value="",
    header=True,
    num_epochs=None,
    shuffle=True,
    shuffle_buffer_size=10000,
    shuffle_seed=None,
    prefetch_buffer_size=None,
    num_parallel_reads=None,
    sloppy=False,
    num_rows_for_inference=100,
    compression_type=None,
    ignore_errors=False,
    encoding="utf-8",
):
    """Batches of ``batch_size`` records of the CSV files ``file_pattern``: a dict of columns
    by name (each a vector), or ``(features, label)`` with ``label_name``. Read
    ``num_epochs`` times (forever when ``None``: then every batch is full)."""
    filenames = file_names(file_pattern, shuffle)
    compression = compression_type or ""
    if column_names is None:
        if not header:
            raise ValueError("Expected `column_names` or `header` arguments. Neither is provided.")
        column_names = _column_names(filenames, field_delim, use_quote_delim, compression, encoding)
    column_names = list(column_names)
    if len(set(column_names)) != len(column_names):
        dups = {n for n in column_names if column_names.count(n) > 1}
        raise ValueError(
            "Either `column_names` argument or CSV header row contains duplicate column names: "
            f"{dups}."
        )
    select, width = None, len(column_names)
    if select_columns is not None:
        select = _selected(select_columns, column_names)
        if column_defaults is not None and len(column_defaults) != len(select):
            raise ValueError(
                "If specified, `column_defaults` and `select_columns` must have the same "
                f"length: `column_defaults` has length {len(column_defaults)}, "
                f"`select_columns` has length {len(select)}."
            )
        column_names = [column_names[c] for c in select]
    if label_name is not None and label_name not in column_names:
        raise ValueError(
            f"`label_name` provided must be one of the columns: {column_names}. Received: "
            f"{label_name}."
        )
    if column_defaults is None:
        rows = _rows(filenames, field_delim, use_quote_delim, compression)
        if header:
            rows = (r for r in rows if r[1] > 1)
        types = _infer_types(rows, width, select, na_value, num_rows_for_inference)
        column_defaults = [constant([""] if t == dtypes.string else [0], dtype=t) for t in types]
    else:
        column_defaults = [
            constant([], dtype=d) if isinstance(d, dtypes.DType) else d for d in column_defaults
        ]
    return _pipeline(
        filenames,
        column_names,
        column_defaults,
        label_name,
        select,
        dict(
            field_delim=field_delim,
            use_quote_delim=use_quote_delim,
            na_value=na_value,
            header=header,
            compression_type=compression_type,
        ),
        batch_size,
        num_epochs,
        shuffle,
        shuffle_buffer_size,
        shuffle_seed,
        prefetch_buffer_size,
        num_parallel_reads,
        sloppy,
        ignore_errors,
    )


def _pipeline(
    filenames,
    names,
    defaults,
    label_name,
    select,
    csv_options,
    batch_size,
    num_epochs,
    shuffle,
    shuffle_buffer_size,
    shuffle_seed,
    prefetch_buffer_size,
    num_parallel_reads,
    sloppy,
    skip_errors,
):
    dataset = Dataset.from_tensor_slices(filenames)
    if shuffle:
        dataset = dataset.shuffle(len(filenames), shuffle_seed)

    def filename_to_dataset(filename):
        ds = CsvDataset(filename, defaults, select_cols=select, **csv_options)
        return ds.apply(ignore_errors()) if skip_errors else ds

    def map_fn(*columns):
        features = collections.OrderedDict(zip(names, columns, strict=False))  # as TF: the shorter
        if label_name is None:
            return features
        return features, features.pop(label_name)

    dataset = dataset.apply(
        parallel_interleave(filename_to_dataset, num_parallel_reads or 1, sloppy=sloppy)
    )
    dataset = maybe_shuffle_and_repeat(
        dataset, num_epochs, shuffle, shuffle_buffer_size, shuffle_seed
    )
    dataset = dataset.batch(batch_size, drop_remainder=num_epochs is None)
    dataset = dataset.map(map_fn)
    return dataset.prefetch(AUTOTUNE if prefetch_buffer_size is None else prefetch_buffer_size)


def maybe_shuffle_and_repeat(dataset, num_epochs, shuffle, buffer_size, seed):
    """``shuffle(buffer_size, seed)`` when ``shuffle``, then ``repeat(num_epochs)`` unless
    it is 1."""
    if shuffle:
        dataset = dataset.shuffle(buffer_size, seed)
    if num_epochs != 1:
        dataset = dataset.repeat(num_epochs)
    return dataset


__all__ = ["make_csv_dataset"]
