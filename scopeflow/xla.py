"""``tf.xla``: ``experimental.jit_scope`` and ``experimental.compile``, as TF 2.21's graph mode
builds them (``scopeflow/ops/control/xla.py``)."""

from __future__ import annotations

import types

from scopeflow.ops.control.xla import compile as _compile
from scopeflow.ops.control.xla import jit_scope

experimental = types.SimpleNamespace(compile=_compile, jit_scope=jit_scope)

__all__ = ["experimental"]
