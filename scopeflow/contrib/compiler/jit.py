"""``tf.contrib.compiler.jit``: ``experimental_jit_scope``, XLA clustering hints (TF 1.15), the
same as ``tf.xla.experimental.jit_scope`` (``scopeflow/ops/control/xla.py``).

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     x = tf.constant(1.0)
...     with tf.contrib.compiler.jit.experimental_jit_scope():
...         y = x * 2
...     print(y.op.get_attr("_XlaCompile"), y.op.get_attr("_XlaScope"))
True b'jit_scope_0'
"""

from __future__ import annotations

from scopeflow.ops.control.xla import jit_scope as experimental_jit_scope

__all__ = ["experimental_jit_scope"]
