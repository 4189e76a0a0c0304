"""``tf.contrib.compiler.xla``: ``compile``, a computation built as one XLA cluster, the same
as ``tf.xla.experimental.compile`` (``scopeflow/ops/control/xla.py``; scopeflow's executor runs
it without XLA)."""

from __future__ import annotations

from scopeflow.ops.control.xla import compile  # noqa: A004 - TF's name

__all__ = ["compile"]
