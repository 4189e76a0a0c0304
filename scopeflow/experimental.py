"""``tf.experimental``: the names TF1 programs use from it (``Optional``)."""

from __future__ import annotations

from scopeflow.data.optional import Optional

__all__ = ["Optional"]
