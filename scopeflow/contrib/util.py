"""``tf.contrib.util``: tensor values to and from ``TensorProto``s, a tensor's value when the
graph fixes it, and the op types a ``GraphDef`` uses.

>>> import scopeflow as tf
>>> tf.contrib.util.constant_value(tf.shape(tf.zeros([2, 3]))).tolist()
[2, 3]
>>> tf.contrib.util.make_ndarray(tf.contrib.util.make_tensor_proto([1.5])).tolist()
[1.5]
"""

from __future__ import annotations

from scopeflow.graph_io.tensor_util import make_ndarray, make_tensor_proto
from scopeflow.ops.core.static_value import get_static_value


def constant_value(tensor, partial: bool = False):
    """The NumPy value of ``tensor`` when the graph fixes it while building, else None (TF1's
    ``tensor_util.constant_value``)."""
    return get_static_value(tensor, partial)


def ops_used_by_graph_def(graph_def) -> list[str]:
    """The op types of ``graph_def``'s nodes, each once, sorted. (scopeflow graphs have no
    function library, so there are no function bodies to look into.)"""
    return sorted({node.op for node in graph_def.node})


__all__ = ["constant_value", "make_ndarray", "make_tensor_proto", "ops_used_by_graph_def"]
