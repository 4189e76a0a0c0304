"""``tf.contrib``: the few ``tf.contrib`` names TF1 model code commonly uses."""

from __future__ import annotations

from scopeflow.contrib import layers

__all__ = ["layers"]
