"""``tf.io``: ``tf.io.gfile``, TF1's file API with TF2's lowercase names."""

from __future__ import annotations

from scopeflow.platform import file_io as gfile

__all__ = ["gfile"]
