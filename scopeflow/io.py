"""``tf.io``: ``tf.io.gfile``, TF1's file API with TF2's lowercase names; TFRecord files;
parsing ``tf.train.Example`` records."""

from __future__ import annotations

from scopeflow.data.tfrecord import TFRecordWriter, tf_record_iterator
from scopeflow.ops.parsing.decode import decode_csv, decode_raw
from scopeflow.ops.parsing.example_ops import (
    FixedLenFeature,
    FixedLenSequenceFeature,
    VarLenFeature,
    parse_example,
    parse_single_example,
)
from scopeflow.platform import file_io as gfile

__all__ = [
    "FixedLenFeature",
    "FixedLenSequenceFeature",
    "TFRecordWriter",
    "VarLenFeature",
    "decode_csv",
    "decode_raw",
    "gfile",
    "parse_example",
    "parse_single_example",
    "tf_record_iterator",
]
