"""``CategoricalVocabulary``: categories (words) to ids, ``0`` for the unknown one; new
categories take the next id until the vocabulary is frozen; ``trim`` keeps the frequent ones.

>>> from scopeflow.contrib.learn.preprocessing import CategoricalVocabulary
>>> vocab = CategoricalVocabulary()
>>> [vocab.get(w) for w in ["a", "b", "a"]], len(vocab), vocab.reverse(2)
([1, 2, 1], 3, 'b')
"""

from __future__ import annotations

import collections


class CategoricalVocabulary:
    """A growing map from categories to ids; id 0 is ``unknown_token``."""

    def __init__(self, unknown_token: str = "<UNK>", support_reverse: bool = True):
        self._unknown_token = unknown_token
        self._mapping = {unknown_token: 0}
        self._support_reverse = support_reverse
        self._reverse_mapping = [unknown_token] if support_reverse else None
        self._freq = collections.defaultdict(int)
        self._freeze = False

    def __len__(self) -> int:
        return len(self._mapping)

    def freeze(self, freeze: bool = True) -> None:
        """Stops (or, with False, resumes) giving new categories ids: ``get`` answers 0."""
        self._freeze = freeze

    def get(self, category) -> int:
        """``category``'s id, a new one if it has none and the vocabulary is not frozen."""
        if category not in self._mapping:
            if self._freeze:
                return 0
            self._mapping[category] = len(self._mapping)
            if self._support_reverse:
                self._reverse_mapping.append(category)
        return self._mapping[category]

    def add(self, category, count: int = 1) -> None:
        """Counts ``count`` more of ``category`` (giving it an id if it has none)."""
        if self.get(category) > 0:
            self._freq[category] += count

    def trim(self, min_frequency: int, max_frequency: int = -1) -> None:
        """Keeps the categories seen more than ``min_frequency`` times (and fewer than
        ``max_frequency`` when it is positive), renumbered by falling count, ties in
        category order."""
        by_count = sorted(
            sorted(self._freq.items(), key=lambda kv: (isinstance(kv[0], str), kv[0])),
            key=lambda kv: kv[1],
            reverse=True,
        )
        self._mapping = {self._unknown_token: 0}
        if self._support_reverse:
            self._reverse_mapping = [self._unknown_token]
        kept = {}
        for category, count in by_count:
            if max_frequency > 0 and count >= max_frequency:
                continue
            if count <= min_frequency:
                break
            kept[category] = count
            self._mapping[category] = len(self._mapping)
            if self._support_reverse:
                self._reverse_mapping.append(category)
        self._freq = collections.defaultdict(int, kept)

    def reverse(self, class_id: int):
        """The category of ``class_id``."""
        if not self._support_reverse:
            raise ValueError(
                "This vocabulary wasn't initialized with support_reverse to support reverse() "
                "function."
            )
        return self._reverse_mapping[class_id]
