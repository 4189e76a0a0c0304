"""``tf.data.experimental``: the names TF1 programs use from it."""

from __future__ import annotations

from scopeflow.data.dataset import AUTOTUNE

__all__ = ["AUTOTUNE"]
