"""``tf.contrib.stateless``: TF1's first home of the stateless random ops."""

from __future__ import annotations

from scopeflow.ops.random.stateless import (
    stateless_multinomial,
    stateless_random_normal,
    stateless_random_uniform,
    stateless_truncated_normal,
)

__all__ = [
    "stateless_multinomial",
    "stateless_random_normal",
    "stateless_random_uniform",
    "stateless_truncated_normal",
]
