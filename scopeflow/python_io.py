"""``tf.python_io``: TFRecord files from Python."""

from __future__ import annotations

from scopeflow.data.tfrecord import TFRecordWriter, tf_record_iterator

__all__ = ["TFRecordWriter", "tf_record_iterator"]
