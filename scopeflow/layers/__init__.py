"""``tf.layers``: TF1's layers, as classes (``tf.layers.Dense``) and functions
(``tf.layers.dense``), with TF1's variable and op names."""

from __future__ import annotations

from scopeflow.layers.base import InputSpec, Layer
from scopeflow.layers.core import Dense, Dropout, Flatten, dense, dropout, flatten

__all__ = [
    "Dense",
    "Dropout",
    "Flatten",
    "InputSpec",
    "Layer",
    "dense",
    "dropout",
    "flatten",
]
