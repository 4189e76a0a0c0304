"""``tf.keras.preprocessing.sequence.pad_sequences`` (also ``tf.keras.utils``'s): lists of
sequences as one NumPy array, padded and truncated as Keras does.

>>> import scopeflow as tf
>>> tf.keras.preprocessing.sequence.pad_sequences([[1, 2, 3], [4]], maxlen=2, padding="post")
array([[2, 3],
       [4, 0]], dtype=int32)
"""

from __future__ import annotations

import numpy as np


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


__all__ = ["pad_sequences"]
