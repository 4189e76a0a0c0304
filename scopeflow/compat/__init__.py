"""``tf.compat``: ``tf.compat.v1`` is scopeflow itself (it only speaks TF1); the text,
path and ``Dimension`` helpers (:mod:`scopeflow.platform.compat`)."""

from __future__ import annotations

import importlib

from scopeflow.platform.compat import (
    as_bytes,
    as_str,
    as_str_any,
    as_text,
    bytes_or_text_types,
    complex_types,
    dimension_at_index,
    dimension_value,
    integral_types,
    path_to_str,
    real_types,
)
from scopeflow.platform.forward_compat import forward_compatibility_horizon, forward_compatible


def __getattr__(name: str):
    if name == "v1":
        return importlib.import_module("scopeflow.compat.v1")
    raise AttributeError(f"module 'scopeflow.compat' has no attribute '{name}'")


__all__ = [
    "as_bytes",
    "as_str",
    "as_str_any",
    "as_text",
    "bytes_or_text_types",
    "complex_types",
    "dimension_at_index",
    "dimension_value",
    "forward_compatibility_horizon",
    "forward_compatible",
    "integral_types",
    "path_to_str",
    "real_types",
]
