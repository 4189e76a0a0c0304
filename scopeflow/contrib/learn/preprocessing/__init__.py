"""``tf.contrib.learn.preprocessing``: the text preprocessing TF1 text classifiers use
(``VocabularyProcessor``, ``CategoricalVocabulary``, ``tokenizer``)."""

from __future__ import annotations

from scopeflow.contrib.learn.preprocessing.categorical_vocabulary import CategoricalVocabulary
from scopeflow.contrib.learn.preprocessing.text import (
    TOKENIZER_RE,
    ByteProcessor,
    VocabularyProcessor,
    tokenizer,
)

__all__ = [
    "TOKENIZER_RE",
    "ByteProcessor",
    "CategoricalVocabulary",
    "VocabularyProcessor",
    "tokenizer",
]
