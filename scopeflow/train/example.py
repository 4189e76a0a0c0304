"""``tf.train.Example``, ``tf.train.SequenceExample`` and the messages they hold (``Features``,
``Feature``, ``BytesList``, ``FloatList``, ``Int64List``, ``FeatureList``, ``FeatureLists``).

They are declared field by field from TensorFlow's ``example.proto`` and ``feature.proto`` in a
private descriptor pool, as ``train/protos.py`` declares the checkpoint messages, so the
``protobuf`` library gives them its whole API (keyword construction, ``SerializeToString``,
``FromString``, text format) and their bytes are TensorFlow's. ``tf.train`` builds them on
first use (``protobuf`` is not imported by ``import scopeflow``). Map entries are serialized
in the order protobuf keeps them, as in TensorFlow; ``SerializeToString(deterministic=True)``
sorts them by key.

>>> import scopeflow as tf
>>> feature = tf.train.Feature(int64_list=tf.train.Int64List(value=[1, 300]))
>>> example = tf.train.Example(features=tf.train.Features(feature={"n": feature}))
>>> example.SerializeToString()
b'\\n\\x0e\\n\\x0c\\n\\x01n\\x12\\x07\\x1a\\x05\\n\\x03\\x01\\xac\\x02'
>>> parsed = tf.train.Example.FromString(example.SerializeToString())
>>> list(parsed.features.feature["n"].int64_list.value)
[1, 300]
"""

from __future__ import annotations

import functools

_PACKAGE = "tensorflow"
NAMES = (
    "BytesList",
    "FloatList",
    "Int64List",
    "Feature",
    "Features",
    "FeatureList",
    "FeatureLists",
    "Example",
    "SequenceExample",
)

# message -> [(field, number, type, repeated, message type, oneof)]; a map field's type is
# "map:<value message>" (its key is a string).
_MESSAGES = {
    "BytesList": [("value", 1, "bytes", True, None, None)],
    "FloatList": [("value", 1, "float", True, None, None)],
    "Int64List": [("value", 1, "int64", True, None, None)],
    "Feature": [
        ("bytes_list", 1, "message", False, "BytesList", "kind"),
        ("float_list", 2, "message", False, "FloatList", "kind"),
        ("int64_list", 3, "message", False, "Int64List", "kind"),
    ],
    "Features": [("feature", 1, "map", True, "Feature", None)],
    "FeatureList": [("feature", 1, "message", True, "Feature", None)],
    "FeatureLists": [("feature_list", 1, "map", True, "FeatureList", None)],
    "Example": [("features", 1, "message", False, "Features", None)],
    "SequenceExample": [
        ("context", 1, "message", False, "Features", None),
        ("feature_lists", 2, "message", False, "FeatureLists", None),
    ],
}


@functools.cache
def message_classes() -> dict[str, type]:
    """The message classes by name (``message_classes()["Example"]``), built once."""
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

    field_proto = descriptor_pb2.FieldDescriptorProto
    file_proto = descriptor_pb2.FileDescriptorProto(
        name="scopeflow_example.proto", package=_PACKAGE, syntax="proto3"
    )
    for name, fields in _MESSAGES.items():
        message = file_proto.message_type.add(name=name)
        oneofs: list[str] = []
        for field_name, number, kind, repeated, message_type, oneof in fields:
            field = message.field.add(name=field_name, number=number)
            field.label = field_proto.LABEL_REPEATED if repeated else field_proto.LABEL_OPTIONAL
            if kind == "map":
                entry = message.nested_type.add(name=field_name.title().replace("_", "") + "Entry")
                entry.options.map_entry = True
                entry.field.add(name="key", number=1, type=field_proto.TYPE_STRING)
                entry.field.add(
                    name="value",
                    number=2,
                    type=field_proto.TYPE_MESSAGE,
                    type_name=f".{_PACKAGE}.{message_type}",
                )
                for f in entry.field:
                    f.label = field_proto.LABEL_OPTIONAL
                field.type = field_proto.TYPE_MESSAGE
                field.type_name = f".{_PACKAGE}.{name}.{entry.name}"
            else:
                field.type = getattr(field_proto, "TYPE_" + kind.upper())
                if message_type:
                    field.type_name = f".{_PACKAGE}.{message_type}"
            if oneof:
                if oneof not in oneofs:
                    oneofs.append(oneof)
                    message.oneof_decl.add(name=oneof)
                field.oneof_index = oneofs.index(oneof)
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file_proto)
    return {
        name: message_factory.GetMessageClass(pool.FindMessageTypeByName(f"{_PACKAGE}.{name}"))
        for name in NAMES
    }
