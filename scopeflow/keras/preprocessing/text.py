"""``tf.keras.preprocessing.text``: Keras's word splitting, hashing and ``Tokenizer`` (a
vocabulary ranked by frequency, texts to index lists or to count/binary/tf-idf matrices,
saved as JSON), with Keras's results index for index.

>>> import scopeflow as tf
>>> tok = tf.keras.preprocessing.text.Tokenizer()
>>> tok.fit_on_texts(["the cat sat", "the dog"])
>>> tok.word_index
{'the': 1, 'cat': 2, 'sat': 3, 'dog': 4}
>>> tok.texts_to_sequences(["The dog sat!"])
[[1, 4, 3]]
"""

from __future__ import annotations

import collections
import hashlib
import json
import warnings

import numpy as np

FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'


def text_to_word_sequence(input_text, filters=FILTERS, lower=True, split=" ") -> list:
    """The words of ``input_text``: lower-cased (``lower``), each character of ``filters``
    turned into ``split``, split on ``split``, empty pieces dropped."""
    if lower:
        input_text = input_text.lower()
    input_text = input_text.translate(str.maketrans(dict.fromkeys(filters, split)))
    return [word for word in input_text.split(split) if word]


def hashing_trick(
    text, n, hash_function=None, filters=FILTERS, lower=True, split=" ", analyzer=None
) -> list:
    """Each word of ``text`` as ``hash_function(word) % (n - 1) + 1`` (indices 1 to
    ``n - 1``; 0 is left for padding). ``hash_function``: Python's ``hash`` by default
    (salted per process unless ``PYTHONHASHSEED`` is set), ``"md5"`` for a stable one, or any
    callable; ``analyzer``: a callable splitting the text instead of
    ``text_to_word_sequence``."""
    if hash_function is None:
        hash_function = hash
    elif hash_function == "md5":
        def hash_function(word):
            return int(hashlib.md5(word.encode()).hexdigest(), 16)
    words = (
        analyzer(text)
        if analyzer is not None
        else text_to_word_sequence(text, filters=filters, lower=lower, split=split)
    )
    return [hash_function(word) % (n - 1) + 1 for word in words]


def one_hot(input_text, n, filters=FILTERS, lower=True, split=" ", analyzer=None) -> list:
    """``hashing_trick`` with Python's ``hash``: word indices in ``[1, n)``."""
    return hashing_trick(
        input_text, n, hash_function=hash, filters=filters, lower=lower, split=split,
        analyzer=analyzer,
    )


class Tokenizer:
    """A vocabulary built from texts, ranked by word count (ties in first-seen order) from
    index 1 (``oov_token``, when given, takes index 1); ``num_words`` keeps only indices below
    it when converting texts."""

    def __init__(
        self,
        num_words=None,
        filters=FILTERS,
        lower=True,
        split=" ",
        char_level=False,
        oov_token=None,
        analyzer=None,
        **kwargs,
    ):
        if "nb_words" in kwargs:
            warnings.warn(
                "The `nb_words` argument in `Tokenizer` has been renamed `num_words`.",
                stacklevel=2,
            )
            num_words = kwargs.pop("nb_words")
        document_count = kwargs.pop("document_count", 0)
        if kwargs:
            raise TypeError(f"Unrecognized keyword arguments: {kwargs}")
        self.num_words = num_words
        self.filters = filters
        self.lower = lower
        self.split = split
        self.char_level = char_level
        self.oov_token = oov_token
        self.analyzer = analyzer
        self.document_count = document_count
        self.word_counts: dict = collections.OrderedDict()
        self.word_docs: dict = collections.defaultdict(int)
        self.index_docs: dict = collections.defaultdict(int)
        self.word_index: dict = {}
        self.index_word: dict = {}

    def _tokens(self, text) -> list:
        if self.char_level or isinstance(text, list):
            if self.lower:
                text = [t.lower() for t in text] if isinstance(text, list) else text.lower()
            return text
        if self.analyzer is not None:
            return self.analyzer(text)
        return text_to_word_sequence(
            text, filters=self.filters, lower=self.lower, split=self.split
        )

    def fit_on_texts(self, texts) -> None:
        """Counts the words of ``texts`` (strings, or lists of tokens) and re-ranks the
        vocabulary."""
        for text in texts:
            self.document_count += 1
            tokens = self._tokens(text)
            for word in tokens:
                self.word_counts[word] = self.word_counts.get(word, 0) + 1
            for word in set(tokens):
                self.word_docs[word] += 1
        ranked = sorted(self.word_counts, key=self.word_counts.__getitem__, reverse=True)
        vocabulary = ([] if self.oov_token is None else [self.oov_token]) + ranked
        self.word_index = {word: i for i, word in enumerate(vocabulary, start=1)}
        self.index_word = {i: word for word, i in self.word_index.items()}
        for word, count in self.word_docs.items():
            self.index_docs[self.word_index[word]] = count

    def fit_on_sequences(self, sequences) -> None:
        """Counts, for tf-idf, the documents each index of ``sequences`` appears in."""
        self.document_count += len(sequences)
        for seq in sequences:
            for i in set(seq):
                self.index_docs[i] += 1

    def texts_to_sequences_generator(self, texts):
        """Yields ``texts_to_sequences``'s lists one by one."""
        oov = self.word_index.get(self.oov_token)
        for text in texts:
            seq = []
            for word in self._tokens(text):
                i = self.word_index.get(word)
                if i is None or (self.num_words and i >= self.num_words):
                    i = oov
                if i is not None:
                    seq.append(i)
            yield seq

    def texts_to_sequences(self, texts) -> list:
        """Each text as the list of its words' indices (unknown or rare words: the
        ``oov_token``'s index, or dropped without one)."""
        return list(self.texts_to_sequences_generator(texts))

    def sequences_to_texts_generator(self, sequences):
        """Yields ``sequences_to_texts``'s strings one by one."""
        oov = self.word_index.get(self.oov_token)
        for seq in sequences:
            words = []
            for i in seq:
                word = self.index_word.get(i)
                if word is None or (self.num_words and i >= self.num_words):
                    word = self.index_word[oov] if oov is not None else None
                if word is not None:
                    words.append(word)
            yield " ".join(words)

    def sequences_to_texts(self, sequences) -> list:
        """Each index list as the space-joined words (the inverse of
        ``texts_to_sequences``)."""
        return list(self.sequences_to_texts_generator(sequences))

    def texts_to_matrix(self, texts, mode="binary") -> np.ndarray:
        """``sequences_to_matrix`` of ``texts_to_sequences(texts)``."""
        return self.sequences_to_matrix(self.texts_to_sequences(texts), mode=mode)

    def sequences_to_matrix(self, sequences, mode="binary") -> np.ndarray:
        """A float64 ``[len(sequences), num_words]`` matrix (``num_words``: the vocabulary
        size + 1 when not set): per index, 1 (``"binary"``), its count (``"count"``), its
        count over the sequence's length (``"freq"``) or ``(1 + log count) * log(1 +
        documents / (1 + documents with it))`` (``"tfidf"``)."""
        if self.num_words:
            num_words = self.num_words
        elif self.word_index:
            num_words = len(self.word_index) + 1
        else:
            raise ValueError(
                "Specify a dimension (`num_words` argument), or fit on some text data first."
            )
        if mode == "tfidf" and not self.document_count:
            raise ValueError("Fit the Tokenizer on some data before using tfidf mode.")
        if mode not in ("binary", "count", "freq", "tfidf"):
            raise ValueError(f"Unknown vectorization mode: {mode}")
        x = np.zeros((len(sequences), num_words))
        for row, seq in enumerate(sequences):
            counts = collections.Counter(j for j in seq if j < num_words)
            for j, c in counts.items():
                if mode == "count":
                    x[row, j] = c
                elif mode == "freq":
                    x[row, j] = c / len(seq)
                elif mode == "binary":
                    x[row, j] = 1
                else:
                    idf = np.log(1 + self.document_count / (1 + self.index_docs.get(j, 0)))
                    x[row, j] = (1 + np.log(c)) * idf
        return x

    def get_config(self) -> dict:
        """The settings and the fitted tables (the tables as JSON strings, as Keras
        stores them)."""
        return {
            "num_words": self.num_words,
            "filters": self.filters,
            "lower": self.lower,
            "split": self.split,
            "char_level": self.char_level,
            "oov_token": self.oov_token,
            "document_count": self.document_count,
            **{
                name: json.dumps(getattr(self, name))
                for name in ("word_counts", "word_docs", "index_docs", "index_word", "word_index")
            },
        }

    def to_json(self, **kwargs) -> str:
        """``{"class_name": "Tokenizer", "config": get_config()}`` as JSON (``kwargs`` go to
        ``json.dumps``); ``tokenizer_from_json`` reads it back."""
        return json.dumps({"class_name": type(self).__name__, "config": self.get_config()},
                          **kwargs)


def tokenizer_from_json(json_string) -> Tokenizer:
    """The ``Tokenizer`` that ``Tokenizer.to_json`` wrote."""
    config = dict(json.loads(json_string).get("config"))
    tables = {
        name: json.loads(config.pop(name))
        for name in ("word_counts", "word_docs", "index_docs", "index_word", "word_index")
    }
    tokenizer = Tokenizer(**config)
    tokenizer.word_counts = tables["word_counts"]
    tokenizer.word_docs = tables["word_docs"]
    tokenizer.index_docs = {int(k): v for k, v in tables["index_docs"].items()}
    tokenizer.index_word = {int(k): v for k, v in tables["index_word"].items()}
    tokenizer.word_index = tables["word_index"]
    return tokenizer


__all__ = [
    "Tokenizer",
    "hashing_trick",
    "one_hot",
    "text_to_word_sequence",
    "tokenizer_from_json",
]
