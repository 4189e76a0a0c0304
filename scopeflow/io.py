"""``tf.io``: ``tf.io.gfile``, TF1's file API with TF2's lowercase names; TFRecord files."""

from __future__ import annotations

from scopeflow.data.tfrecord import TFRecordWriter, tf_record_iterator
from scopeflow.platform import file_io as gfile

__all__ = ["TFRecordWriter", "gfile", "tf_record_iterator"]
