"""GraphDef and MetaGraphDef in TensorFlow's formats: export, import, freezing."""

from __future__ import annotations

from scopeflow.graph_io.export import as_graph_def, write_graph
from scopeflow.graph_io.importer import import_graph_def
from scopeflow.graph_io.meta_graph import read_graph_def
from scopeflow.graph_io.protos import MessageAlias
from scopeflow.graph_io.tensor_util import make_ndarray, make_tensor_proto

GraphDef = MessageAlias("GraphDef")
NodeDef = MessageAlias("NodeDef")
AttrValue = MessageAlias("AttrValue")
TensorProto = MessageAlias("TensorProto")
TensorShapeProto = MessageAlias("TensorShapeProto")
MetaGraphDef = MessageAlias("MetaGraphDef")
SaverDefProto = MessageAlias("SaverDef")
CollectionDef = MessageAlias("CollectionDef")
VariableDef = MessageAlias("VariableDef")
TensorInfo = MessageAlias("TensorInfo")
NameAttrList = MessageAlias("NameAttrList")

__all__ = [
    "AttrValue", "CollectionDef", "GraphDef", "MetaGraphDef", "NameAttrList", "NodeDef",
    "SaverDefProto", "TensorInfo", "TensorProto", "TensorShapeProto", "VariableDef",
    "as_graph_def", "import_graph_def",
    "make_ndarray", "make_tensor_proto", "read_graph_def", "write_graph",
]  # fmt: skip
