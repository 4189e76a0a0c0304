"""``tf.contrib.layers``: TF1's weight regularizers (``l2_regularizer``...)."""

from __future__ import annotations

from scopeflow.regularizers import (
    apply_regularization,
    l1_l2_regularizer,
    l1_regularizer,
    l2_regularizer,
    sum_regularizer,
)

__all__ = [
    "apply_regularization",
    "l1_l2_regularizer",
    "l1_regularizer",
    "l2_regularizer",
    "sum_regularizer",
]
