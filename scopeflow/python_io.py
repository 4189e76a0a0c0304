"""``tf.python_io``: TFRecord files from Python."""

from __future__ import annotations

from scopeflow.data.tfrecord import TFRecordWriter, tf_record_iterator
from scopeflow.summary.record_options import TFRecordCompressionType, TFRecordOptions

__all__ = [
    "TFRecordCompressionType",
    "TFRecordOptions",
    "TFRecordWriter",
    "tf_record_iterator",
]
