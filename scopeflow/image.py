"""``tf.image``: image resizing."""

from __future__ import annotations

from scopeflow.ops.image.resize import *  # noqa: F403
from scopeflow.ops.image.resize import __all__  # noqa: F401
