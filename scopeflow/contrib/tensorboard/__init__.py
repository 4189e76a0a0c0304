"""``tf.contrib.tensorboard``: ``plugins.projector``, the embedding projector's configuration."""

from __future__ import annotations

from scopeflow.contrib.tensorboard import plugins

__all__ = ["plugins"]
