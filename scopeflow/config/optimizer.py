"""``tf.config.optimizer``: TF's graph-rewriter options and XLA auto-clustering switch, kept and
read back as TF does (scopeflow has no graph rewriter; ``Session(executor="jax")`` is its
compiler).

>>> import scopeflow as tf
>>> tf.config.optimizer.get_jit()
''
"""

from __future__ import annotations

from scopeflow.session.devices import (
    get_experimental_options,
    get_jit,
    set_experimental_options,
    set_jit,
)

__all__ = ["get_experimental_options", "get_jit", "set_experimental_options", "set_jit"]
