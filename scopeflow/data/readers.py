"""The datasets that read files: ``tf.data.TextLineDataset`` (lines),
``TFRecordDataset`` (TFRecord records) and ``FixedLengthRecordDataset`` (fixed-size
records between a header and a footer), each file whole or compressed (``"GZIP"``,
``"ZLIB"``), one file after the other, as TF's ``FlatMapDataset`` over the file names, or
``num_parallel_reads`` files interleaved record by record."""

from __future__ import annotations

import numpy as np

from scopeflow.data import file_values, function
from scopeflow.data.dataset import Dataset, _make
from scopeflow.data.experimental_ops import parallel_interleave
from scopeflow.data.structure import Spec
from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array.basic import reshape
from scopeflow.ops.core.infer import constant_value


def _compression(compression_type) -> str:
    if isinstance(compression_type, Tensor):
        value = constant_value(compression_type)
        if value is None:
            raise NotImplementedError(
                "compression_type must be known while building (a string or a constant), "
                "not computed by the graph."
            )
        compression_type = np.asarray(value).item()
    if isinstance(compression_type, bytes):
        compression_type = compression_type.decode()
    return compression_type or ""


def _file_source(filenames, read, num_parallel_reads=None):
    """(variant tensor, specs) of the dataset ``read(names)`` gives for each file name of
    ``filenames`` in turn: one file after the other (TF's ``FlatMapDataset``), or with
    ``num_parallel_reads`` that many files at a time, one record from each in turn (TF's
    ``LegacyParallelInterleaveDatasetV2``, deterministic, of one-file datasets)."""
    files = convert_to_tensor(filenames, dtype=dtypes.string)
    names = Dataset.from_tensor_slices(reshape(files, [-1], name="flat_filenames"))
    if num_parallel_reads is not None:
        one_file = parallel_interleave(
            lambda name: Dataset(*_file_source(name, read)), cycle_length=num_parallel_reads
        )
        dataset = names.apply(one_file)
        return dataset._variant_tensor, dataset._specs
    token = function.register(get_default_graph(), lambda element: read(element[0]))
    specs = Spec(dtypes.string, [])
    dataset = _make("FlatMapDataset", [names._variant_tensor], specs, f=token, Targuments=[])
    return dataset._variant_tensor, dataset._specs


class TextLineDataset(Dataset):
    """The lines of the text files ``filenames`` (without their line endings), as strings.

    >>> import os, tempfile
    >>> import scopeflow as tf
    >>> path = os.path.join(tempfile.mkdtemp(), "a.txt")
    >>> with open(path, "w") as f:
    ...     _ = f.write("first\\nsecond\\n")
    >>> with tf.Graph().as_default():
    ...     line = tf.data.TextLineDataset(path).make_one_shot_iterator().get_next()
    ...     with tf.Session() as sess:
    ...         print(sess.run(line), sess.run(line))
    b'first' b'second'
    """

    @undo.atomic
    def __init__(self, filenames, compression_type=None, buffer_size=None, num_parallel_reads=None):
        compression = _compression(compression_type)
        super().__init__(
            *_file_source(
                filenames, lambda f: file_values.TextLines(f, compression), num_parallel_reads
            )
        )


class TFRecordDataset(Dataset):
    """The records of the TFRecord files ``filenames``, as strings (checksums checked);
    ``compression_type`` ``"GZIP"``, ``"ZLIB"`` or ``""``."""

    @undo.atomic
    def __init__(self, filenames, compression_type=None, buffer_size=None, num_parallel_reads=None):
        compression = _compression(compression_type)
        super().__init__(
            *_file_source(
                filenames, lambda f: file_values.Records(f, compression), num_parallel_reads
            )
        )


class FixedLengthRecordDataset(Dataset):
    """The ``record_bytes``-long records of the files ``filenames``, as strings, after each
    file's ``header_bytes`` and before its ``footer_bytes`` (CIFAR-10's binary files).

    >>> import os, tempfile
    >>> import scopeflow as tf
    >>> path = os.path.join(tempfile.mkdtemp(), "a.bin")
    >>> with open(path, "wb") as f:
    ...     _ = f.write(b"Habcdef")
    >>> with tf.Graph().as_default():
    ...     ds = tf.data.FixedLengthRecordDataset(path, 3, header_bytes=1)
    ...     list(ds.as_numpy_iterator())
    [b'abc', b'def']
    """

    @undo.atomic
    def __init__(
        self,
        filenames,
        record_bytes,
        header_bytes=None,
        footer_bytes=None,
        buffer_size=None,
        compression_type=None,
        num_parallel_reads=None,
    ):
        compression = _compression(compression_type)
        sizes = [int(record_bytes), int(header_bytes or 0), int(footer_bytes or 0)]

        def read(names):
            return file_values.FixedLengthRecords(names, *sizes, compression)

        super().__init__(*_file_source(filenames, read, num_parallel_reads))
