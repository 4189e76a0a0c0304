"""``tf.compat``: ``tf.compat.v1`` is scopeflow itself (it only speaks TF1)."""

from __future__ import annotations

import importlib


def __getattr__(name: str):
    if name == "v1":
        return importlib.import_module("scopeflow.compat.v1")
    raise AttributeError(f"module 'scopeflow.compat' has no attribute '{name}'")
