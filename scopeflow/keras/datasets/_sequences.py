"""The word-index logic imdb and reuters share: start character, index shift, length filter
and vocabulary cut, as Keras applies them."""

from __future__ import annotations

import logging


def legacy_num_words(num_words, kwargs: dict):
    """``num_words``, or the old ``nb_words`` keyword; other keywords are an error."""
    if "nb_words" in kwargs:
        logging.getLogger("scopeflow").warning(
            "The `nb_words` argument in `load_data` has been renamed `num_words`."
        )
        num_words = kwargs.pop("nb_words")
    if kwargs:
        raise TypeError(f"Unrecognized keyword arguments: {kwargs}.")
    return num_words


def shift(xs, start_char, index_from) -> list:
    """Each sequence's word indices plus ``index_from``, after ``start_char`` when given."""
    if start_char is not None:
        return [[start_char] + [w + index_from for w in x] for x in xs]
    if index_from:
        return [[w + index_from for w in x] for x in xs]
    return xs


def remove_long(maxlen, xs, labels):
    """The sequences shorter than ``maxlen`` (strictly) and their labels, as lists."""
    kept = [(x, y) for x, y in zip(xs, labels, strict=False) if len(x) < maxlen]
    return [x for x, _ in kept], [y for _, y in kept]


def cut_vocabulary(xs, num_words, skip_top, oov_char) -> list:
    """Indices outside ``[skip_top, num_words)`` replaced by ``oov_char`` (dropped when it is
    ``None``); ``num_words`` defaults to the largest index."""
    if not num_words:
        num_words = max(max(x) for x in xs)
    if oov_char is not None:
        return [[w if skip_top <= w < num_words else oov_char for w in x] for x in xs]
    return [[w for w in x if skip_top <= w < num_words] for x in xs]
