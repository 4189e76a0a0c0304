"""``tf.autograph``: no conversion in scopeflow (see ``eager_compat/autograph.py``)."""

from __future__ import annotations

from scopeflow import autograph_experimental as experimental
from scopeflow.eager_compat.autograph import set_verbosity, to_code, to_graph

__all__ = ["experimental", "set_verbosity", "to_code", "to_graph"]
