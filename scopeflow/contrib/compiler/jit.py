"""``tf.contrib.compiler.jit``: ``experimental_jit_scope``, XLA clustering hints (TF 1.15).

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     x = tf.constant(1.0)
...     with tf.contrib.compiler.jit.experimental_jit_scope():
...         y = x * 2.0
...     print(y.op.get_attr("_XlaCompile"), y.op.get_attr("_XlaScope"))
True jit_scope_0
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from scopeflow.framework.graph_api import get_collection_ref, get_default_graph

_XLA_SCOPE_KEY = "__xla_scope"  # per graph: [count of top-level scopes, depth now]


@contextlib.contextmanager
def experimental_jit_scope(compile_ops: bool | Callable = True, separate_compiled_gradients=False):
    """Marks the ops made inside for XLA: ``_XlaCompile`` (``compile_ops``, or
    ``compile_ops(node_def)`` when it is callable), ``_XlaSeparateCompiledGradients`` and
    ``_XlaScope`` (``jit_scope_<n>``, one per outermost scope in the graph; nested scopes share
    it). An inner scope's values win over an outer one's. Values are unchanged.

    The ops ``tf.gradients`` makes for a marked op's gradient get ``_XlaCompile`` and its
    ``_XlaScope`` (``<scope>_grad_<gradients scope>`` with ``separate_compiled_gradients``).
    """
    graph = get_default_graph()
    counter = get_collection_ref(_XLA_SCOPE_KEY)
    if not counter:
        counter.append([0, 0])
    state = counter[0]
    attrs = {"_XlaSeparateCompiledGradients": bool(separate_compiled_gradients)}
    if state[1] == 0:
        attrs["_XlaScope"] = f"jit_scope_{state[0]}"
        state[0] += 1
    before = {id(op) for op in graph.get_operations()}
    state[1] += 1
    try:
        yield
    finally:
        state[1] -= 1
        for op in graph.get_operations():
            if id(op) in before:
                continue
            if "_XlaCompile" not in op._attrs:
                flag = compile_ops(op.node_def) if callable(compile_ops) else compile_ops
                op._attrs["_XlaCompile"] = bool(flag)
            for key, value in attrs.items():
                op._attrs.setdefault(key, value)


__all__ = ["experimental_jit_scope"]
