"""``tf.config``: ``tf.config.threading``, the thread counts of sessions made without a
``config``."""

from __future__ import annotations

from scopeflow.session import threading_config as threading

__all__ = ["threading"]
