"""``tf.contrib.slim.data_decoder``: ``DataDecoder``, what turns one serialized record into
the tensors of its items (``tfexample_decoder.TFExampleDecoder`` is one)."""

from __future__ import annotations

import abc

__all__ = ["DataDecoder"]


class DataDecoder(abc.ABC):
    """Decodes a record into items."""

    @abc.abstractmethod
    def decode(self, data, items):
        """The tensors of ``items`` decoded from ``data``."""

    @abc.abstractmethod
    def list_items(self):
        """The names of the items this decoder can give."""
