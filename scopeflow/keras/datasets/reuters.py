"""``tf.keras.datasets.reuters``: 11,228 Reuters newswires as lists of word indices with one
of 46 topic labels. ``reuters.npz`` holds object arrays, which are read with
``safe_pickle.RestrictedUnpickler`` (NumPy arrays and plain values only)."""

from __future__ import annotations

import json

import numpy as np

from scopeflow.keras.datasets import _sequences as seqs
from scopeflow.keras.datasets import safe_pickle
from scopeflow.keras.datasets._common import ORIGIN, fetch
from scopeflow.keras.datasets.download import get_file

FILE_HASH = "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916"
WORD_INDEX_HASH = "4d44cc38712099c9e383dc6e5f11a921"
LABEL_NAMES = (
    "cocoa grain veg-oil earn acq wheat copper housing money-supply coffee sugar trade "
    "reserves ship cotton carcass crude nat-gas cpi money-fx interest gnp meal-feed alum "
    "oilseed gold tin strategic-metal livestock retail ipi iron-steel rubber heat jobs lei "
    "bop zinc orange pet-chem dlr gas silver wpi hog lead"
).split()


def load_data(
    path="reuters.npz",
    num_words=None,
    skip_top=0,
    maxlen=None,
    test_split=0.2,
    seed=113,
    start_char=1,
    oov_char=2,
    index_from=3,
    cache_dir=None,
    **kwargs,
):
    """``(x_train, y_train), (x_test, y_test)``: object arrays of index lists and int labels.

    The newswires are shuffled by ``np.random.RandomState(seed)``, shifted by ``index_from``
    after a ``start_char``, those of ``maxlen`` words or more dropped, indices outside
    ``[skip_top, num_words)`` made ``oov_char`` (removed when it is ``None``), and the first
    ``int(n * (1 - test_split))`` kept for training.
    """
    num_words = seqs.legacy_num_words(num_words, kwargs)
    path = fetch(path, ORIGIN + "reuters.npz", FILE_HASH, cache_dir)
    arrays = safe_pickle.load_npz(path)
    indices = np.arange(len(arrays["x"]))
    np.random.RandomState(seed).shuffle(indices)
    xs, labels = arrays["x"][indices], arrays["y"][indices]
    xs = seqs.shift(xs, start_char, index_from)
    if maxlen:
        xs, labels = seqs.remove_long(maxlen, xs, labels)
    xs = seqs.cut_vocabulary(list(xs), num_words, skip_top, oov_char)
    idx = int(len(xs) * (1 - test_split))
    return (
        (np.array(xs[:idx], dtype="object"), np.array(labels[:idx])),
        (np.array(xs[idx:], dtype="object"), np.array(labels[idx:])),
    )


def get_word_index(path="reuters_word_index.json"):
    """The dict from each word to its index (before the ``index_from`` shift)."""
    path = get_file(path, origin=ORIGIN + "reuters_word_index.json", file_hash=WORD_INDEX_HASH)
    with open(path) as f:
        return json.load(f)


def get_label_names():
    """The 46 topic names, label 0 first."""
    return tuple(LABEL_NAMES)


__all__ = ["get_label_names", "get_word_index", "load_data"]
