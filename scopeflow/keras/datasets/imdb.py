"""``tf.keras.datasets.imdb``: 25,000 training and 25,000 test movie reviews as lists of word
indices (1 = start, 2 = out of vocabulary, words from ``index_from`` on, most frequent
first) with 0/1 sentiment labels. ``imdb.npz`` holds object arrays, which are read with
``safe_pickle.RestrictedUnpickler`` (NumPy arrays and plain values only)."""

from __future__ import annotations

import json

import numpy as np

from scopeflow.keras.datasets import _sequences as seqs
from scopeflow.keras.datasets import safe_pickle
from scopeflow.keras.datasets._common import ORIGIN, fetch
from scopeflow.keras.datasets.download import get_file

FILE_HASH = "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f"
WORD_INDEX_HASH = "bfafd718b763782e994055a2d397834f"


def load_data(
    path="imdb.npz",
    num_words=None,
    skip_top=0,
    maxlen=None,
    seed=113,
    start_char=1,
    oov_char=2,
    index_from=3,
    cache_dir=None,
    **kwargs,
):
    """``(x_train, y_train), (x_test, y_test)``: object arrays of index lists and int labels.

    Both parts are shuffled by one ``np.random.RandomState(seed)`` (training set first), each
    index is shifted by ``index_from`` after a ``start_char``, reviews of ``maxlen`` words or
    more are dropped, and indices outside ``[skip_top, num_words)`` become ``oov_char``
    (or are removed when ``oov_char`` is ``None``).
    """
    num_words = seqs.legacy_num_words(num_words, kwargs)
    path = fetch(path, ORIGIN + "imdb.npz", FILE_HASH, cache_dir)
    arrays = safe_pickle.load_npz(path)
    rng = np.random.RandomState(seed)
    parts = []
    for xk, yk in (("x_train", "y_train"), ("x_test", "y_test")):
        indices = np.arange(len(arrays[xk]))
        rng.shuffle(indices)
        x, y = arrays[xk][indices], arrays[yk][indices]
        x = seqs.shift(x, start_char, index_from)
        if maxlen:
            x, y = seqs.remove_long(maxlen, x, y)
        parts.append((x, y))
    (x_train, labels_train), (x_test, labels_test) = parts
    if maxlen and (not x_train or not x_test):
        raise ValueError(
            f"After filtering for sequences shorter than maxlen={maxlen}, no sequence was "
            "kept. Increase maxlen."
        )
    xs = seqs.cut_vocabulary(list(x_train) + list(x_test), num_words, skip_top, oov_char)
    labels = np.concatenate([labels_train, labels_test])
    idx = len(x_train)
    return (
        (np.array(xs[:idx], dtype="object"), labels[:idx]),
        (np.array(xs[idx:], dtype="object"), labels[idx:]),
    )


def get_word_index(path="imdb_word_index.json"):
    """The dict from each word to its index (before the ``index_from`` shift)."""
    path = get_file(path, origin=ORIGIN + "imdb_word_index.json", file_hash=WORD_INDEX_HASH)
    with open(path) as f:
        return json.load(f)


__all__ = ["get_word_index", "load_data"]
