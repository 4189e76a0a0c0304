"""TensorFlow's graph messages (``GraphDef``, ``NodeDef``, ``AttrValue``, ``TensorProto``,
``MetaGraphDef``, ``SaverDef``, ``CollectionDef``, ``VariableDef``, ``SignatureDef``,
``TensorInfo``, ``AssetFileDef``, ``SavedModel``), built from descriptors.

As in :mod:`scopeflow.train.protos`, the messages are declared field by field (names, numbers
and types as in TensorFlow's ``graph.proto``, ``node_def.proto``, ``attr_value.proto``,
``tensor.proto``, ``meta_graph.proto``, ``saver.proto``, ``variable.proto``,
``saved_model.proto``) in a private descriptor pool: no generated ``_pb2`` modules, no clash
with TensorFlow's own classes. Fields scopeflow does not use (function libraries, object
graphs, composite tensors' type specs) are left out; protobuf keeps
them as unknown fields, so a parsed file re-serializes byte for byte. ``DataType`` is a real
enum, so text files read ``type: DT_FLOAT`` as TensorFlow writes them.

>>> msgs = messages()
>>> node = msgs.NodeDef(name="x", op="Placeholder")
>>> node.attr["dtype"].type = msgs.DT_FLOAT
>>> msgs.NodeDef.FromString(node.SerializeToString()).attr["dtype"].type
1
"""

from __future__ import annotations

import functools
from types import SimpleNamespace

_PACKAGE = "tensorflow"

_DATA_TYPES = [
    "INVALID", "FLOAT", "DOUBLE", "INT32", "UINT8", "INT16", "INT8", "STRING", "COMPLEX64",
    "INT64", "BOOL", "QINT8", "QUINT8", "QINT32", "BFLOAT16", "QINT16", "QUINT16", "UINT16",
    "COMPLEX128", "HALF", "RESOURCE", "VARIANT", "UINT32", "UINT64",
]  # fmt: skip

# (message, [(field, number, type, repeated, message/enum type, oneof)]); nested messages are
# written "Outer.Inner" after their outer message; type "map" is map<string, message type>.
_MESSAGES = [
    ("TensorShapeProto", [
        ("dim", 2, "message", True, "TensorShapeProto.Dim", None),
        ("unknown_rank", 3, "bool", False, None, None),
    ]),
    ("TensorShapeProto.Dim", [
        ("size", 1, "int64", False, None, None),
        ("name", 2, "string", False, None, None),
    ]),
    ("VersionDef", [
        ("producer", 1, "int32", False, None, None),
        ("min_consumer", 2, "int32", False, None, None),
        ("bad_consumers", 3, "int32", True, None, None),
    ]),
    ("TensorProto", [
        ("dtype", 1, "enum", False, "DataType", None),
        ("tensor_shape", 2, "message", False, "TensorShapeProto", None),
        ("version_number", 3, "int32", False, None, None),
        ("tensor_content", 4, "bytes", False, None, None),
        ("half_val", 13, "int32", True, None, None),
        ("float_val", 5, "float", True, None, None),
        ("double_val", 6, "double", True, None, None),
        ("int_val", 7, "int32", True, None, None),
        ("string_val", 8, "bytes", True, None, None),
        ("scomplex_val", 9, "float", True, None, None),
        ("int64_val", 10, "int64", True, None, None),
        ("bool_val", 11, "bool", True, None, None),
        ("dcomplex_val", 12, "double", True, None, None),
        ("uint32_val", 16, "uint32", True, None, None),
        ("uint64_val", 17, "uint64", True, None, None),
    ]),
    ("AttrValue", [
        ("list", 1, "message", False, "AttrValue.ListValue", "value"),
        ("s", 2, "bytes", False, None, "value"),
        ("i", 3, "int64", False, None, "value"),
        ("f", 4, "float", False, None, "value"),
        ("b", 5, "bool", False, None, "value"),
        ("type", 6, "enum", False, "DataType", "value"),
        ("shape", 7, "message", False, "TensorShapeProto", "value"),
        ("tensor", 8, "message", False, "TensorProto", "value"),
        ("placeholder", 9, "string", False, None, "value"),
        ("func", 10, "message", False, "NameAttrList", "value"),
    ]),
    ("AttrValue.ListValue", [
        ("s", 2, "bytes", True, None, None),
        ("i", 3, "int64", True, None, None),
        ("f", 4, "float", True, None, None),
        ("b", 5, "bool", True, None, None),
        ("type", 6, "enum", True, "DataType", None),
        ("shape", 7, "message", True, "TensorShapeProto", None),
        ("tensor", 8, "message", True, "TensorProto", None),
        ("func", 9, "message", True, "NameAttrList", None),
    ]),
    ("NameAttrList", [
        ("name", 1, "string", False, None, None),
        ("attr", 2, "map", True, "AttrValue", None),
    ]),
    ("NodeDef", [
        ("name", 1, "string", False, None, None),
        ("op", 2, "string", False, None, None),
        ("input", 3, "string", True, None, None),
        ("device", 4, "string", False, None, None),
        ("attr", 5, "map", True, "AttrValue", None),
    ]),
    ("GraphDef", [
        ("node", 1, "message", True, "NodeDef", None),
        ("version", 3, "int32", False, None, None),
        ("versions", 4, "message", False, "VersionDef", None),
    ]),
    ("SaverDef", [
        ("filename_tensor_name", 1, "string", False, None, None),
        ("save_tensor_name", 2, "string", False, None, None),
        ("restore_op_name", 3, "string", False, None, None),
        ("max_to_keep", 4, "int32", False, None, None),
        ("sharded", 5, "bool", False, None, None),
        ("keep_checkpoint_every_n_hours", 6, "float", False, None, None),
        ("version", 7, "enum", False, "CheckpointFormatVersion", None),
    ]),
    ("QueueRunnerDef", [
        ("queue_name", 1, "string", False, None, None),
        ("enqueue_op_name", 2, "string", True, None, None),
        ("close_op_name", 3, "string", False, None, None),
        ("cancel_op_name", 4, "string", False, None, None),
        ("queue_closed_exception_types", 5, "int32", True, None, None),  # error.Code values
    ]),
    ("CollectionDef", [
        ("node_list", 1, "message", False, "CollectionDef.NodeList", "kind"),
        ("bytes_list", 2, "message", False, "CollectionDef.BytesList", "kind"),
        ("int64_list", 3, "message", False, "CollectionDef.Int64List", "kind"),
        ("float_list", 4, "message", False, "CollectionDef.FloatList", "kind"),
        ("any_list", 5, "message", False, "CollectionDef.AnyList", "kind"),
    ]),
    ("CollectionDef.NodeList", [("value", 1, "string", True, None, None)]),
    ("CollectionDef.BytesList", [("value", 1, "bytes", True, None, None)]),
    ("CollectionDef.Int64List", [("value", 1, "int64", True, None, None)]),
    ("CollectionDef.FloatList", [("value", 1, "float", True, None, None)]),
    ("CollectionDef.AnyList", [("value", 1, "message", True, "google.protobuf.Any", None)]),
    ("MetaGraphDef", [
        ("meta_info_def", 1, "message", False, "MetaGraphDef.MetaInfoDef", None),
        ("graph_def", 2, "message", False, "GraphDef", None),
        ("saver_def", 3, "message", False, "SaverDef", None),
        ("collection_def", 4, "map", True, "CollectionDef", None),
        ("signature_def", 5, "map", True, "SignatureDef", None),
        ("asset_file_def", 6, "message", True, "AssetFileDef", None),
    ]),
    ("MetaGraphDef.MetaInfoDef", [
        ("meta_graph_version", 1, "string", False, None, None),
        ("tags", 4, "string", True, None, None),
        ("tensorflow_version", 5, "string", False, None, None),
        ("tensorflow_git_version", 6, "string", False, None, None),
        ("stripped_default_attrs", 7, "bool", False, None, None),
    ]),
    ("SaveSliceInfoDef", [
        ("full_name", 1, "string", False, None, None),
        ("full_shape", 2, "int64", True, None, None),
        ("var_offset", 3, "int64", True, None, None),
        ("var_shape", 4, "int64", True, None, None),
    ]),
    ("VariableDef", [
        ("variable_name", 1, "string", False, None, None),
        ("initializer_name", 2, "string", False, None, None),
        ("snapshot_name", 3, "string", False, None, None),
        ("save_slice_info_def", 4, "message", False, "SaveSliceInfoDef", None),
        ("is_resource", 5, "bool", False, None, None),
        ("initial_value_name", 6, "string", False, None, None),
        ("trainable", 7, "bool", False, None, None),
        ("synchronization", 8, "int32", False, None, None),  # enum VariableSynchronization
        ("aggregation", 9, "int32", False, None, None),  # enum VariableAggregation
    ]),
    ("TensorInfo", [
        ("name", 1, "string", False, None, "encoding"),
        ("coo_sparse", 4, "message", False, "TensorInfo.CooSparse", "encoding"),
        ("dtype", 2, "enum", False, "DataType", None),
        ("tensor_shape", 3, "message", False, "TensorShapeProto", None),
    ]),
    ("TensorInfo.CooSparse", [
        ("values_tensor_name", 1, "string", False, None, None),
        ("indices_tensor_name", 2, "string", False, None, None),
        ("dense_shape_tensor_name", 3, "string", False, None, None),
    ]),
    ("SignatureDef", [
        ("inputs", 1, "map", True, "TensorInfo", None),
        ("outputs", 2, "map", True, "TensorInfo", None),
        ("method_name", 3, "string", False, None, None),
        ("defaults", 4, "map", True, "TensorProto", None),
    ]),
    ("AssetFileDef", [
        ("tensor_info", 1, "message", False, "TensorInfo", None),
        ("filename", 2, "string", False, None, None),
    ]),
    ("SavedModel", [
        ("saved_model_schema_version", 1, "int64", False, None, None),
        ("meta_graphs", 2, "message", True, "MetaGraphDef", None),
    ]),
]  # fmt: skip


def _file_proto():
    from google.protobuf import descriptor_pb2

    field_proto = descriptor_pb2.FieldDescriptorProto
    file_proto = descriptor_pb2.FileDescriptorProto(
        name="scopeflow_graph.proto", package=_PACKAGE, syntax="proto3",
        dependency=["google/protobuf/any.proto"],
    )  # fmt: skip
    enum = file_proto.enum_type.add(name="DataType")
    for number, name in enumerate(_DATA_TYPES):
        enum.value.add(name="DT_" + name, number=number)
    for number, name in enumerate(_DATA_TYPES[1:], start=101):
        enum.value.add(name=f"DT_{name}_REF", number=number)
    versions = file_proto.enum_type.add(name="CheckpointFormatVersion")  # SaverDef's, so text
    for number, name in enumerate(["LEGACY", "V1", "V2"]):  # files read "version: V2"
        versions.value.add(name=name, number=number)
    declared: dict[str, descriptor_pb2.DescriptorProto] = {}
    for full_name, fields in _MESSAGES:
        outer, _, inner = full_name.rpartition(".")
        message = (declared[outer].nested_type if outer else file_proto.message_type).add()
        message.name = inner
        declared[full_name] = message
        oneofs: list[str] = []
        for name, number, type_name, repeated, of_type, oneof in fields:
            field = message.field.add(name=name, number=number)
            field.label = field_proto.LABEL_REPEATED if repeated else field_proto.LABEL_OPTIONAL
            if type_name == "map":
                entry = message.nested_type.add(name=name.capitalize() + "Entry")
                entry.options.map_entry = True
                entry.field.add(name="key", number=1, type=field_proto.TYPE_STRING)
                value = entry.field.add(name="value", number=2, type=field_proto.TYPE_MESSAGE)
                value.type_name = f".{_PACKAGE}.{of_type}"
                for f in entry.field:
                    f.label = field_proto.LABEL_OPTIONAL
                field.type = field_proto.TYPE_MESSAGE
                field.type_name = f".{_PACKAGE}.{full_name}.{entry.name}"
                continue
            field.type = getattr(field_proto, "TYPE_" + type_name.upper())
            if of_type:
                absolute = of_type.startswith("google.")
                field.type_name = f".{of_type}" if absolute else f".{_PACKAGE}.{of_type}"
            if oneof:
                if oneof not in oneofs:
                    oneofs.append(oneof)
                    message.oneof_decl.add(name=oneof)
                field.oneof_index = oneofs.index(oneof)
    return file_proto


@functools.cache
def messages() -> SimpleNamespace:
    """The message classes by name (``messages().GraphDef``) and the ``DT_*`` numbers."""
    from google.protobuf import any_pb2, descriptor_pb2, descriptor_pool, message_factory

    pool = descriptor_pool.DescriptorPool()
    any_file = descriptor_pb2.FileDescriptorProto()
    any_pb2.DESCRIPTOR.CopyToProto(any_file)
    pool.Add(any_file)
    pool.Add(_file_proto())
    classes = {
        name: message_factory.GetMessageClass(pool.FindMessageTypeByName(f"{_PACKAGE}.{name}"))
        for name, _ in _MESSAGES
        if "." not in name
    }
    enum = pool.FindEnumTypeByName(f"{_PACKAGE}.DataType")
    classes["Any"] = message_factory.GetMessageClass(
        pool.FindMessageTypeByName("google.protobuf.Any")
    )
    return SimpleNamespace(**classes, **{v.name: v.number for v in enum.values})


class MessageAlias:
    """A public name for a message class (``tf.GraphDef``) that builds the class only when
    first used, so ``import scopeflow`` does not load protobuf. Calling it makes a message;
    ``isinstance`` and class attributes (``FromString``) reach the real class.

    >>> GraphDef = MessageAlias("GraphDef")
    >>> isinstance(GraphDef(), GraphDef)
    True
    """

    def __init__(self, name: str):
        self._name = name

    @property
    def cls(self):
        return getattr(messages(), self._name)

    def __call__(self, *args, **kwargs):
        return self.cls(*args, **kwargs)

    def __getattr__(self, attr: str):
        if attr.startswith("__"):
            raise AttributeError(attr)
        return getattr(self.cls, attr)

    def __instancecheck__(self, obj) -> bool:
        return isinstance(obj, self.cls)

    def __repr__(self) -> str:
        return f"<class 'tensorflow.{self._name}'>"
