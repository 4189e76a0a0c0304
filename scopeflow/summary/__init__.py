"""``tf.summary``: summary ops, ``FileWriter`` and the events files TensorBoard reads."""

from __future__ import annotations

from scopeflow.summary import writer_ops  # noqa: F401 - registers the v2 writer ops
from scopeflow.summary.default_writer import (
    all_v2_summary_ops,
    get_summary_description,
    initialize,
)
from scopeflow.summary.protos import (
    Event,
    SessionLog,
    Summary,
    SummaryDescription,
    TaggedRunMetadata,
)
from scopeflow.summary.summary_ops import (
    audio,
    histogram,
    image,
    merge,
    merge_all,
    scalar,
    tensor_summary,
    text,
)
from scopeflow.summary.writer import FileWriter, FileWriterCache

__all__ = [
    "Event",
    "FileWriter",
    "FileWriterCache",
    "SessionLog",
    "Summary",
    "SummaryDescription",
    "TaggedRunMetadata",
    "all_v2_summary_ops",
    "audio",
    "get_summary_description",
    "histogram",
    "image",
    "initialize",
    "merge",
    "merge_all",
    "scalar",
    "tensor_summary",
    "text",
]
