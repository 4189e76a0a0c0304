"""The default summary writer of TF's v2 summary ops in graph mode (``tf.contrib.summary``'s
``SummaryWriter.as_default()``), the ops written through it, and ``tf.summary.initialize`` /
``all_v2_summary_ops`` (TF 2.21's compat.v1 names), shared by ``tf.summary`` and
``tf.contrib.summary``; ``tf.summary.get_summary_description``."""

from __future__ import annotations

import threading

from scopeflow.framework.defaults import get_default_session
from scopeflow.framework.graph_api import get_collection
from scopeflow.summary import writer_ops
from scopeflow.summary.protos import SummaryDescription

__all__ = [
    "all_v2_summary_ops",
    "get_summary_description",
    "initialize",
    "summary_writer_initializer_op",
]

SUMMARY_V2_KEY = "_SUMMARY_V2"  # the summary ops made with a default writer


class _State(threading.local):
    """The default writer and recording condition of this thread."""

    def __init__(self):
        self.writer = None
        self.is_recording = None  # None: not recording (contrib's default); a bool or tensor


state = _State()


def summary_writer_initializer_op() -> list:
    """The init ops of the default graph's file writers: run them before writing."""
    return get_collection(writer_ops.WRITER_INIT_KEY)


def all_v2_summary_ops() -> list:
    """The default graph's summary ops written through a default writer (TF's
    ``_SUMMARY_V2`` collection)."""
    return get_collection(SUMMARY_V2_KEY)


def initialize(graph=None, session=None) -> None:
    """Runs ``summary_writer_initializer_op()`` in ``session`` (default: the default one).

    Raises:
        RuntimeError: no default writer. ValueError: no session.
        NotImplementedError: ``graph``: write it with ``tf.summary.FileWriter(...).add_graph``.
    """
    if state.writer is None:
        raise RuntimeError("No default tf.contrib.summary.SummaryWriter found")
    if session is None:
        session = get_default_session()
        if session is None:
            raise ValueError("Argument `session must be passed if no default session exists")
    if graph is not None:
        raise NotImplementedError(
            "tf.summary.initialize(graph=...) is not supported by scopeflow: write the graph "
            "with tf.summary.FileWriter(logdir).add_graph(graph)"
        )
    session.run(summary_writer_initializer_op())


def get_summary_description(node_def):
    """The ``SummaryDescription`` a ``TensorSummary`` NodeDef (TF 1.x's summary op, found in
    old GraphDefs) holds as JSON in its ``description`` attr, as TF's.

    Raises:
        ValueError: the node is not a ``TensorSummary``.
        google.protobuf.json_format.ParseError: its description is not the message's JSON.
    """
    if node_def.op != "TensorSummary":
        raise ValueError(f"Can't get_summary_description on {node_def.op}")
    from google.protobuf import json_format

    attr = node_def.attr["description"]
    text = attr.s if hasattr(attr, "s") else attr
    text = text.decode() if isinstance(text, bytes) else str(text)
    description = SummaryDescription()
    json_format.Parse(text, description)
    return description
