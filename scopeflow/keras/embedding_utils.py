"""``tf.keras.utils.warmstart_embedding_matrix``: an embedding matrix for a new vocabulary
that keeps the rows the old one had for the tokens both share.

>>> import numpy as np, scopeflow as tf
>>> with tf.Graph().as_default(), tf.Session() as sess:
...     matrix = tf.keras.utils.warmstart_embedding_matrix(
...         ["a", "b"], ["b", "c", "a"], np.float32([[1, 1], [2, 2]]), "zeros")
...     print(sess.run(matrix))
[[2. 2.]
 [0. 0.]
 [1. 1.]]
"""

from __future__ import annotations

import os

import numpy as np

from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.tensor import Tensor
from scopeflow.keras import initializers
from scopeflow.ops.array.gather import gather
from scopeflow.ops.array.tensor_scatter import tensor_scatter_nd_update


def _vocabulary(vocab) -> list:
    """A vocabulary as a list: a list, tuple or array as it is, a file one token a line."""
    if isinstance(vocab, Tensor):
        raise TypeError(
            "warmstart_embedding_matrix takes a vocabulary list, array or file: a symbolic "
            "tensor has no values while the graph is built; run it first."
        )
    if isinstance(vocab, np.ndarray | tuple | list):
        tokens = list(vocab)
    elif isinstance(vocab, str):
        if not os.path.exists(vocab):
            raise ValueError(f"Vocabulary file {vocab} does not exist.")
        with open(vocab, encoding="utf-8") as file:
            tokens = file.read().splitlines()
    else:
        raise ValueError(
            "Vocabulary is expected to be either a NumPy array, list, 1D tensor or a "
            f"vocabulary text file. Instead type {type(vocab)} was received."
        )
    if not tokens:
        raise ValueError(
            "Vocabulary is expected to be either a NumPy array, list, 1D tensor or a "
            "vocabulary text file with at least one token. Received 0 instead."
        )
    return tokens


def warmstart_embedding_matrix(
    base_vocabulary, new_vocabulary, base_embeddings, new_embeddings_initializer="uniform"
):
    """``[len(new_vocabulary), dim]``: for each new token its row of ``base_embeddings``
    when ``base_vocabulary`` has it, else a row from ``new_embeddings_initializer``."""
    base_tokens = _vocabulary(base_vocabulary)
    new_tokens = _vocabulary(new_vocabulary)
    base_embeddings = convert_to_tensor(base_embeddings)
    initializer = initializers.get(new_embeddings_initializer)
    shape = (len(new_tokens), base_embeddings.shape[1].value)
    matrix = convert_to_tensor(initializer(shape, dtype=base_embeddings.dtype.base_dtype))
    where = {token: i for i, token in enumerate(base_tokens)}
    pairs = [(where[token], i) for i, token in enumerate(new_tokens) if token in where]
    if not pairs:
        return matrix
    rows = gather(base_embeddings, [old for old, _ in pairs])
    return tensor_scatter_nd_update(matrix, [[new] for _, new in pairs], rows)


__all__ = ["warmstart_embedding_matrix"]
