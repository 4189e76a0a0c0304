"""``tf.contrib.compiler``: ``jit.experimental_jit_scope`` (XLA clustering hints on the ops
made inside) and ``xla.compile`` (a computation built as one cluster), as TF 1.15 builds them.

scopeflow's NumPy executor runs these ops as any others and does not compile them with XLA;
``tf.Session(executor="jax")`` compiles whole graphs with XLA anyway. The hints are kept on the
ops (``op.get_attr("_XlaCompile")``) and exported with the GraphDef.
"""

from __future__ import annotations

from scopeflow.contrib.compiler import jit, xla

__all__ = ["jit", "xla"]
