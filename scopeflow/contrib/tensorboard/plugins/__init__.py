"""``tf.contrib.tensorboard.plugins``: ``projector``."""

from __future__ import annotations

from scopeflow.contrib.tensorboard.plugins import projector

__all__ = ["projector"]
