"""``tf.lookup.experimental``: ``MutableHashTable``."""

from __future__ import annotations

from scopeflow.lookup.tables import MutableHashTable

__all__ = ["MutableHashTable"]
