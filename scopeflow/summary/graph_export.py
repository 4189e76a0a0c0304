"""The graph as the ``GraphDef`` an events file carries for TensorBoard's Graphs tab.

It is ``Graph.as_graph_def(add_shapes=True)``, as TF1's ``FileWriter.add_graph`` writes it.
Where that refuses (an attribute TensorFlow has no encoding for), TensorBoard still gets what
it draws, so a training script never fails over its picture: every node's name (its name
scopes become the collapsible groups), op type, inputs (``^name`` for control inputs) and
device, its attributes that are dtypes, numbers, strings or shapes, and the static shape of
each output (``_output_shapes``). Constant values and other tensors are then left out.
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework.dtypes import DType
from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.summary import protos


def _shape_proto(shape: TensorShape, proto) -> None:
    if shape.ndims is None:
        proto.unknown_rank = True
        return
    for n in shape.as_list():
        proto.dim.add(size=-1 if n is None else n)


def _set_attr(value, proto) -> bool:
    """Fills the ``AttrValue`` ``proto`` from a plain attribute value; False if not plain."""
    if isinstance(value, DType):
        proto.type = value.as_datatype_enum
    elif isinstance(value, (bool, np.bool_)):
        proto.b = bool(value)
    elif isinstance(value, (int, np.integer)):
        proto.i = int(value)
    elif isinstance(value, (float, np.floating)):
        proto.f = float(value)
    elif isinstance(value, (str, bytes)):
        proto.s = value.encode() if isinstance(value, str) else value
    elif isinstance(value, TensorShape):
        _shape_proto(value, proto.shape)
    else:
        return False
    return True


def graph_def_bytes(graph) -> bytes:
    """``graph`` as a serialized ``GraphDef``."""
    try:
        return graph.as_graph_def(add_shapes=True).SerializeToString()
    except ValueError:
        return drawing_bytes(graph)


def drawing_bytes(graph) -> bytes:
    """The serialized ``GraphDef`` of what TensorBoard draws of ``graph`` (see above)."""
    graph_pb2 = protos.proto_module("graph_pb2")
    graph_def = graph_pb2.GraphDef()
    for op in graph.get_operations():
        node_def = op.node_def
        node = graph_def.node.add(name=node_def.name, op=node_def.op, device=node_def.device)
        node.input.extend(node_def.input)
        for key, value in sorted(node_def.attr.items()):
            attr = node.attr[key]
            if not _set_attr(value, attr):
                del node.attr[key]
        shapes = node.attr["_output_shapes"].list
        for output in op.outputs:
            _shape_proto(output.shape, shapes.shape.add())
    return graph_def.SerializeToString()
