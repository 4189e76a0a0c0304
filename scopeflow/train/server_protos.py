"""``tf.train.ClusterDef``, ``tf.train.JobDef``, ``tf.train.ServerDef``: TensorFlow's cluster
messages (``cluster.proto``, ``tensorflow_server.proto``) as real protocol buffers, declared
field by field in a private descriptor pool, so their bytes are TensorFlow's.

``ServerDef``'s ``default_session_config`` (a ``ConfigProto``, which scopeflow keeps as a Python
object) and ``cluster_device_filters`` are not declared: parsing keeps them as unknown fields,
so a parsed message re-serializes byte for byte.

>>> job = JobDef(name="worker", tasks={0: "w0:2222"})
>>> ClusterDef(job=[job]).SerializeToString()
b'\\n\\x15\\n\\x06worker\\x12\\x0b\\x08\\x00\\x12\\x07w0:2222'
"""

from __future__ import annotations

import functools
from types import SimpleNamespace

from scopeflow.graph_io.protos import MessageAlias

_PACKAGE = "tensorflow"


def _file_proto():
    from google.protobuf import descriptor_pb2

    field = descriptor_pb2.FieldDescriptorProto
    optional, repeated = field.LABEL_OPTIONAL, field.LABEL_REPEATED
    file_proto = descriptor_pb2.FileDescriptorProto(
        name="scopeflow_cluster.proto", package=_PACKAGE, syntax="proto3"
    )
    job = file_proto.message_type.add(name="JobDef")
    job.field.add(name="name", number=1, type=field.TYPE_STRING, label=optional)
    entry = job.nested_type.add(name="TasksEntry")
    entry.options.map_entry = True
    entry.field.add(name="key", number=1, type=field.TYPE_INT32, label=optional)
    entry.field.add(name="value", number=2, type=field.TYPE_STRING, label=optional)
    job.field.add(
        name="tasks", number=2, type=field.TYPE_MESSAGE, label=repeated,
        type_name=f".{_PACKAGE}.JobDef.TasksEntry",
    )  # fmt: skip
    cluster = file_proto.message_type.add(name="ClusterDef")
    cluster.field.add(
        name="job", number=1, type=field.TYPE_MESSAGE, label=repeated,
        type_name=f".{_PACKAGE}.JobDef",
    )  # fmt: skip
    server = file_proto.message_type.add(name="ServerDef")
    server.field.add(
        name="cluster", number=1, type=field.TYPE_MESSAGE, label=optional,
        type_name=f".{_PACKAGE}.ClusterDef",
    )  # fmt: skip
    for name, number, kind in [
        ("job_name", 2, field.TYPE_STRING),
        ("replica", 8, field.TYPE_INT32),
        ("task_index", 3, field.TYPE_INT32),
        ("protocol", 5, field.TYPE_STRING),
        ("port", 6, field.TYPE_INT32),
    ]:
        server.field.add(name=name, number=number, type=kind, label=optional)
    return file_proto


@functools.cache
def messages() -> SimpleNamespace:
    """The message classes by name (``messages().ServerDef``)."""
    from google.protobuf import descriptor_pool, message_factory

    pool = descriptor_pool.DescriptorPool()
    pool.Add(_file_proto())
    return SimpleNamespace(
        **{
            name: message_factory.GetMessageClass(pool.FindMessageTypeByName(f"{_PACKAGE}.{name}"))
            for name in ("JobDef", "ClusterDef", "ServerDef")
        }
    )


class _ClusterMessage(MessageAlias):
    @property
    def cls(self):
        return getattr(messages(), self._name)


ClusterDef = _ClusterMessage("ClusterDef")
JobDef = _ClusterMessage("JobDef")
ServerDef = _ClusterMessage("ServerDef")

__all__ = ["ClusterDef", "JobDef", "ServerDef"]
