"""``tf.profiler``: parameter and float-op counts of a graph, in TF's tables."""

from __future__ import annotations

from scopeflow.profiler.options import ProfileOptionBuilder
from scopeflow.profiler.profiler import Profiler, advise, profile, write_op_log
from scopeflow.profiler.protos import (
    AdviceProto,
    GraphNodeProto,
    MultiGraphNodeProto,
    OpLogProto,
)

__all__ = [
    "AdviceProto",
    "GraphNodeProto",
    "MultiGraphNodeProto",
    "OpLogProto",
    "ProfileOptionBuilder",
    "Profiler",
    "advise",
    "profile",
    "write_op_log",
]
