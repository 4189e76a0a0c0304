"""``tf.lookup``: lookup tables kept in the session (``StaticHashTable``,
``StaticVocabularyTable``, ``experimental.MutableHashTable``) and their initializers."""

from __future__ import annotations

from scopeflow.lookup import experimental
from scopeflow.lookup.tables import (
    KeyValueTensorInitializer,
    StaticHashTable,
    StaticVocabularyTable,
    TextFileIndex,
    TextFileInitializer,
)

__all__ = [
    "KeyValueTensorInitializer",
    "StaticHashTable",
    "StaticVocabularyTable",
    "TextFileIndex",
    "TextFileInitializer",
    "experimental",
]
