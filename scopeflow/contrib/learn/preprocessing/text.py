"""``VocabularyProcessor``: documents to fixed-length rows of word ids, as TF1's text
classification tutorials prepare their input; ``ByteProcessor``: documents to rows of bytes.

>>> from scopeflow.contrib.learn.preprocessing import VocabularyProcessor
>>> processor = VocabularyProcessor(4)
>>> [row.tolist() for row in processor.fit_transform(["a cat sat", "a dog"])]
[[1, 2, 3, 0], [1, 4, 0, 0]]
>>> list(processor.reverse([[1, 4, 0, 0]]))
['a dog <UNK> <UNK>']

``save`` writes JSON, not TF1's pickle, and ``restore`` reads only that: unpickling a file runs
whatever code it names, so pickled processors are refused with a message.
"""

from __future__ import annotations

import json
import os
import re
import tempfile

import numpy as np

from scopeflow.contrib.learn.preprocessing.categorical_vocabulary import CategoricalVocabulary

TOKENIZER_RE = re.compile(r"[A-Z]{2,}(?![a-z])|[A-Z][a-z]+(?=[A-Z])|[\'\w\-]+", re.UNICODE)
_FORMAT = "scopeflow.VocabularyProcessor/1"


def tokenizer(iterator):
    """The word tokens of each string of ``iterator``: runs of word characters, apostrophes and
    hyphens, with capitalised words split off (``"HTMLParser"`` gives ``HTML``, ``Parser``)."""
    for value in iterator:
        yield TOKENIZER_RE.findall(value)


class ByteProcessor:
    """Documents as rows of ``max_document_length`` UTF-8 bytes (zero-padded)."""

    def __init__(self, max_document_length: int):
        self.max_document_length = max_document_length

    def fit(self, x, unused_y=None):
        return self

    def fit_transform(self, x, unused_y=None):
        return self.transform(x)

    def transform(self, raw_documents):
        for document in raw_documents:
            if isinstance(document, str):
                document = document.encode("utf-8")
            row = np.zeros(self.max_document_length, np.uint8)
            head = np.frombuffer(document[: self.max_document_length], np.uint8)
            row[: head.size] = head
            yield row

    def reverse(self, x):
        for row in x:
            yield bytes(np.trim_zeros(np.asarray(row, np.uint8), trim="b")).decode("utf-8")


class VocabularyProcessor:
    """Maps each document to ``max_document_length`` word ids (cut or zero-padded), ids given
    by ``vocabulary`` (a ``CategoricalVocabulary``, learned by ``fit`` when not given);
    ``min_frequency`` drops words seen that many times or fewer; ``tokenizer_fn`` splits
    documents (default :func:`tokenizer`)."""

    def __init__(self, max_document_length, min_frequency=0, vocabulary=None, tokenizer_fn=None):
        self.max_document_length = max_document_length
        self.min_frequency = min_frequency
        self.vocabulary_ = vocabulary if vocabulary is not None else CategoricalVocabulary()
        self._tokenizer = tokenizer_fn or tokenizer

    def fit(self, raw_documents, unused_y=None):
        """Learns (then freezes) the vocabulary of ``raw_documents``; returns self."""
        for tokens in self._tokenizer(raw_documents):
            for token in tokens:
                self.vocabulary_.add(token)
        if self.min_frequency > 0:
            self.vocabulary_.trim(self.min_frequency)
        self.vocabulary_.freeze()
        return self

    def fit_transform(self, raw_documents, unused_y=None):
        """``fit`` then ``transform`` (``raw_documents`` is read twice: pass a list)."""
        self.fit(raw_documents)
        return self.transform(raw_documents)

    def transform(self, raw_documents):
        """Yields one int64 row of word ids per document (0 for unknown words)."""
        for tokens in self._tokenizer(raw_documents):
            ids = np.zeros(self.max_document_length, np.int64)
            for i, token in enumerate(tokens[: self.max_document_length]):
                ids[i] = self.vocabulary_.get(token)
            yield ids

    def reverse(self, documents):
        """Yields each row of ids as its words joined by spaces."""
        for row in documents:
            yield " ".join(self.vocabulary_.reverse(class_id) for class_id in row)

    def save(self, filename) -> None:
        """Writes the processor (lengths and vocabulary; not a custom ``tokenizer_fn``) as
        JSON, atomically."""
        vocab = self.vocabulary_
        state = {
            "format": _FORMAT,
            "max_document_length": self.max_document_length,
            "min_frequency": self.min_frequency,
            "unknown_token": vocab._unknown_token,
            "support_reverse": vocab._support_reverse,
            "words": list(vocab._mapping),
            "counts": dict(vocab._freq),
            "frozen": vocab._freeze,
        }
        folder = os.path.dirname(os.path.abspath(filename))
        with tempfile.NamedTemporaryFile("w", dir=folder, delete=False, suffix=".tmp") as f:
            json.dump(state, f)
        os.replace(f.name, filename)

    @classmethod
    def restore(cls, filename) -> VocabularyProcessor:
        """The processor ``save`` wrote to ``filename``."""
        with open(filename, "rb") as f:
            raw = f.read()
        if raw[:1] == b"\x80":
            raise ValueError(
                f"{filename} is a pickled VocabularyProcessor (TF1's format). scopeflow does not "
                "unpickle files (that runs any code they name): rebuild the vocabulary with "
                "fit() and save() it, or read the pickle yourself if you trust it."
            )
        try:
            state = json.loads(raw)
            if state.get("format") != _FORMAT:
                raise ValueError("not a saved VocabularyProcessor")
        except (ValueError, AttributeError) as e:
            raise ValueError(f"{filename} is not a VocabularyProcessor file: {e}") from e
        vocab = CategoricalVocabulary(state["unknown_token"], state["support_reverse"])
        for word in state["words"][1:]:
            vocab.get(word)
        for word, count in state["counts"].items():
            vocab._freq[word] = count
        vocab.freeze(state["frozen"])
        return cls(state["max_document_length"], state["min_frequency"], vocab)
