"""``tf.lookup.experimental``: ``MutableHashTable``, ``DenseHashTable``."""

from __future__ import annotations

from scopeflow.lookup.dense_hash_table import DenseHashTable
from scopeflow.lookup.tables import MutableHashTable

__all__ = ["DenseHashTable", "MutableHashTable"]
