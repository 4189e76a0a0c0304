"""``tf.keras.preprocessing.sequence``: ``pad_sequences`` (also ``tf.keras.utils``'s: lists of
sequences as one NumPy array, padded and truncated as Keras does), word2vec's ``skipgrams``
and ``make_sampling_table``, and ``TimeseriesGenerator``.

>>> import scopeflow as tf
>>> tf.keras.preprocessing.sequence.pad_sequences([[1, 2, 3], [4]], maxlen=2, padding="post")
array([[2, 3],
       [4, 0]], dtype=int32)
"""

from __future__ import annotations

import random

import numpy as np

from scopeflow.keras.preprocessing.timeseries import TimeseriesGenerator


def pad_sequences(
    sequences, maxlen=None, dtype="int32", padding="pre", truncating="pre", value=0.0
) -> np.ndarray:
    """``[len(sequences), maxlen, ...]``: each sequence cut to its last (``truncating="pre"``)
    or first ``maxlen`` entries and padded with ``value`` before (``padding="pre"``) or after
    it; ``maxlen`` defaults to the longest sequence's length."""
    if not hasattr(sequences, "__len__"):
        raise ValueError("`sequences` must be iterable.")
    lengths, sample_shape, first = [], (), True
    for x in sequences:
        try:
            lengths.append(len(x))
        except TypeError as e:
            raise ValueError(
                f"`sequences` must be a list of iterables. Found non-iterable: {x}"
            ) from e
        if first and len(x):
            sample_shape = np.asarray(x).shape[1:]
            first = False
    if maxlen is None:
        maxlen = int(np.max(lengths)) if lengths else 0
    is_str = np.issubdtype(np.dtype(dtype), np.str_)
    if isinstance(value, str) and dtype is not object and not is_str:
        raise ValueError(
            f"`dtype` {dtype} is not compatible with `value`'s type: {type(value)}\n"
            "You should set `dtype=object` for variable length strings."
        )
    x = np.full((len(sequences), maxlen, *sample_shape), value, dtype=dtype)
    for idx, s in enumerate(sequences):
        if not len(s):
            continue
        if truncating == "pre":
            trunc = s[-maxlen:] if maxlen else s[:0]
        elif truncating == "post":
            trunc = s[:maxlen]
        else:
            raise ValueError(f'Truncating type "{truncating}" not understood')
        trunc = np.asarray(trunc, dtype=dtype)
        if trunc.shape[1:] != sample_shape:
            raise ValueError(
                f"Shape of sample {trunc.shape[1:]} of sequence at position {idx} is different "
                f"from expected shape {sample_shape}"
            )
        if padding == "post":
            x[idx, : len(trunc)] = trunc
        elif padding == "pre":
            x[idx, len(x[idx]) - len(trunc) :] = trunc
        else:
            raise ValueError(f'Padding type "{padding}" not understood')
    return x


def make_sampling_table(size, sampling_factor=1e-5) -> np.ndarray:
    """``[size]`` probabilities of keeping the word of each frequency rank (word2vec's
    subsampling, the ranks' frequencies taken from Zipf's law):
    ``min(1, sqrt(sampling_factor * rank * (log(rank) + gamma) + ...))``."""
    rank = np.arange(size)
    rank[0] = 1
    inverse_frequency = rank * (np.log(rank) + 0.577) + 0.5 - 1.0 / (12.0 * rank)
    f = sampling_factor * inverse_frequency
    return np.minimum(1.0, f / np.sqrt(f))


def skipgrams(
    sequence,
    vocabulary_size,
    window_size=4,
    negative_samples=1.0,
    shuffle=True,
    categorical=False,
    sampling_table=None,
    seed=None,
):
    """``(couples, labels)``: each ``[word, context word]`` pair within ``window_size`` of
    each other (label 1; index 0 skipped; a word kept with probability
    ``sampling_table[word]``), then ``negative_samples`` times as many ``[word, random
    index]`` pairs (label 0), shuffled together with ``seed``. Labels are ``[0, 1]``/``[1, 0]``
    with ``categorical``. Draws come from Python's ``random`` in Keras's order, so a run after
    ``random.seed(s)`` gives Keras's pairs."""
    couples, labels = [], []
    positive, negative = ([0, 1], [1, 0]) if categorical else (1, 0)
    for i, word in enumerate(sequence):
        if not word:
            continue
        if sampling_table is not None and sampling_table[word] < random.random():
            continue
        for j in range(max(0, i - window_size), min(len(sequence), i + window_size + 1)):
            if j != i and sequence[j]:
                couples.append([word, sequence[j]])
                labels.append(positive)
    if negative_samples > 0:
        count = int(len(labels) * negative_samples)
        words = [c[0] for c in couples]
        random.shuffle(words)
        couples += [
            [words[k % len(words)], random.randint(1, int(vocabulary_size - 1))]
            for k in range(count)
        ]
        labels += [negative] * count
    if shuffle:
        if seed is None:
            seed = random.randint(0, int(10e6))
        random.seed(seed)
        random.shuffle(couples)
        random.seed(seed)
        random.shuffle(labels)
    return couples, labels


__all__ = ["TimeseriesGenerator", "make_sampling_table", "pad_sequences", "skipgrams"]
