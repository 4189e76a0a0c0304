"""``tf.linalg.experimental``."""

from __future__ import annotations

from scopeflow.linalg_ops.conjugate_gradient import conjugate_gradient

__all__ = ["conjugate_gradient"]
