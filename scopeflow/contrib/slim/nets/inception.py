"""``tf.contrib.slim.nets.inception``: the Inception networks' functions in one module, as
TF 1.15's slim gathered them."""

from __future__ import annotations

from scopeflow.contrib.slim.nets.inception_v3 import (
    inception_v3,
    inception_v3_arg_scope,
    inception_v3_base,
)

__all__ = ["inception_v3", "inception_v3_arg_scope", "inception_v3_base"]
