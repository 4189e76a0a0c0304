"""``tf.user_ops``: TF's example user op, ``my_fact``."""

from __future__ import annotations

from scopeflow.ops.strings.fact import my_fact

__all__ = ["my_fact"]
