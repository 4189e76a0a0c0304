"""``tf.Summary``, ``tf.Summary.Value``, ``tf.Event``, ``tf.SessionLog``, ``tf.HistogramProto``...:
the protocol-buffer classes the ``tensorboard`` package ships (``tensorboard.compat.proto``),
imported the first time one is used, so ``import scopeflow`` stays light and works without
TensorBoard. Without it, using one raises an ``ImportError`` naming the extra to install.

>>> import scopeflow as tf
>>> value = tf.Summary.Value(tag="loss", simple_value=0.5)
>>> tf.Summary(value=[value]).SerializeToString()
b'\\n\\x0b\\n\\x04loss\\x15\\x00\\x00\\x00?'
>>> isinstance(tf.Summary(), tf.Summary)
True
"""

from __future__ import annotations

import importlib

EXTRA = "pip install scopeflow[tensorboard]"


def proto_module(name: str):
    """``tensorboard.compat.proto.<name>`` (``summary_pb2``), or an ``ImportError`` saying how
    to install it."""
    try:
        return importlib.import_module(f"tensorboard.compat.proto.{name}")
    except ImportError as e:
        raise ImportError(
            f"scopeflow's summaries and events files use the protocol buffers of the "
            f"'tensorboard' package, which is not installed: {EXTRA}"
        ) from e


class _LazyMessage(type):
    """A stand-in for a message class of ``tensorboard.compat.proto``: calling it, reading
    its attributes (nested messages, enum values, ``FromString``) and ``isinstance`` reach the
    real class, imported on first use."""

    def real(cls) -> type:
        return getattr(proto_module(cls._module), cls._message)

    def __call__(cls, *args, **kwargs):
        return cls.real()(*args, **kwargs)

    def __getattr__(cls, name: str):
        if name.startswith("__"):  # introspection (doctest, inspect) must not import
            raise AttributeError(name)
        return getattr(cls.real(), name)

    def __instancecheck__(cls, instance) -> bool:
        return isinstance(instance, cls.real())


def _lazy(module: str, message: str) -> _LazyMessage:
    doc = f"TensorBoard's ``{message}`` message (``tensorboard.compat.proto.{module}``)."
    return _LazyMessage(message, (), {"_module": module, "_message": message, "__doc__": doc})


Summary = _lazy("summary_pb2", "Summary")
SummaryMetadata = _lazy("summary_pb2", "SummaryMetadata")
SummaryDescription = _lazy("summary_pb2", "SummaryDescription")
HistogramProto = _lazy("summary_pb2", "HistogramProto")
Event = _lazy("event_pb2", "Event")
SessionLog = _lazy("event_pb2", "SessionLog")
LogMessage = _lazy("event_pb2", "LogMessage")
TaggedRunMetadata = _lazy("event_pb2", "TaggedRunMetadata")

__all__ = [
    "Event",
    "HistogramProto",
    "LogMessage",
    "SessionLog",
    "Summary",
    "SummaryDescription",
    "SummaryMetadata",
    "TaggedRunMetadata",
]
