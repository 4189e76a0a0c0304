"""The few protocol-buffer messages of TF's checkpoint files, built from descriptors at first use.

TensorFlow's ``.proto`` files define them (``tensor_bundle.proto``, ``tensor_shape.proto``,
``versions.proto``, ``tensor_slice.proto``, ``checkpoint_state.proto``); here they are declared
field by field in a private descriptor pool, so the ``protobuf`` library encodes and parses
them without generated ``_pb2`` modules (which pin a protobuf version) and without clashing
with TensorFlow's own classes when both are imported. Enum fields are declared ``int32`` (the
same wire encoding) so a reader sees any stored number and can reject unknown ones itself.

>>> msgs = messages()
>>> entry = msgs.BundleEntryProto(dtype=1, size=8)
>>> msgs.BundleEntryProto.FromString(entry.SerializeToString()).size
8
"""

from __future__ import annotations

import functools
from types import SimpleNamespace

_PACKAGE = "tensorflow"

# (message, [(field, number, type, repeated, message type)]); a nested message is written
# "Outer.Inner" and listed after its outer message.
_MESSAGES = [
    ("VersionDef", [
        ("producer", 1, "int32", False, None),
        ("min_consumer", 2, "int32", False, None),
        ("bad_consumers", 3, "int32", True, None),
    ]),
    ("TensorShapeProto", [
        ("dim", 2, "message", True, "TensorShapeProto.Dim"),
        ("unknown_rank", 3, "bool", False, None),
    ]),
    ("TensorShapeProto.Dim", [
        ("size", 1, "int64", False, None),
        ("name", 2, "string", False, None),
    ]),
    ("TensorSliceProto", [
        ("extent", 1, "message", True, "TensorSliceProto.Extent"),
    ]),
    ("TensorSliceProto.Extent", [
        ("start", 1, "int64", False, None),
        ("length", 2, "int64", False, None),
    ]),
    ("BundleHeaderProto", [
        ("num_shards", 1, "int32", False, None),
        ("endianness", 2, "int32", False, None),  # enum Endianness {LITTLE = 0; BIG = 1}
        ("version", 3, "message", False, "VersionDef"),
    ]),
    ("BundleEntryProto", [
        ("dtype", 1, "int32", False, None),  # enum DataType
        ("shape", 2, "message", False, "TensorShapeProto"),
        ("shard_id", 3, "int32", False, None),
        ("offset", 4, "int64", False, None),
        ("size", 5, "int64", False, None),
        ("crc32c", 6, "fixed32", False, None),
        ("slices", 7, "message", True, "TensorSliceProto"),
    ]),
    ("CheckpointState", [
        ("model_checkpoint_path", 1, "string", False, None),
        ("all_model_checkpoint_paths", 2, "string", True, None),
        ("all_model_checkpoint_timestamps", 3, "double", True, None),
        ("last_preserved_timestamp", 4, "double", False, None),
    ]),
]  # fmt: skip


@functools.cache
def messages() -> SimpleNamespace:
    """The message classes by name (``messages().BundleEntryProto``), built once."""
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

    field_proto = descriptor_pb2.FieldDescriptorProto
    file_proto = descriptor_pb2.FileDescriptorProto(
        name="scopeflow_checkpoint.proto", package=_PACKAGE, syntax="proto3"
    )
    declared: dict[str, descriptor_pb2.DescriptorProto] = {}
    for full_name, fields in _MESSAGES:
        outer, _, inner = full_name.rpartition(".")
        message = (declared[outer].nested_type if outer else file_proto.message_type).add()
        message.name = inner
        declared[full_name] = message
        for name, number, type_name, repeated, message_type in fields:
            field = message.field.add(name=name, number=number)
            field.type = getattr(field_proto, "TYPE_" + type_name.upper())
            field.label = field_proto.LABEL_REPEATED if repeated else field_proto.LABEL_OPTIONAL
            if message_type:
                field.type_name = f".{_PACKAGE}.{message_type}"
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file_proto)
    return SimpleNamespace(
        **{
            name: message_factory.GetMessageClass(pool.FindMessageTypeByName(f"{_PACKAGE}.{name}"))
            for name, _ in _MESSAGES
            if "." not in name
        }
    )
