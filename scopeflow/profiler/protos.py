"""The profiler's messages as plain data classes, with the fields TF's protos have."""

from __future__ import annotations

from dataclasses import dataclass, field

_STATS = (
    "exec_micros",
    "accelerator_exec_micros",
    "cpu_exec_micros",
    "requested_bytes",
    "peak_bytes",
    "residual_bytes",
    "output_bytes",
    "parameters",
    "float_ops",
)


@dataclass
class _Stats:
    exec_micros: int = 0
    accelerator_exec_micros: int = 0
    cpu_exec_micros: int = 0
    requested_bytes: int = 0
    peak_bytes: int = 0
    residual_bytes: int = 0
    output_bytes: int = 0
    parameters: int = 0
    float_ops: int = 0
    total_exec_micros: int = 0
    total_accelerator_exec_micros: int = 0
    total_cpu_exec_micros: int = 0
    total_requested_bytes: int = 0
    total_peak_bytes: int = 0
    total_residual_bytes: int = 0
    total_output_bytes: int = 0
    total_parameters: int = 0
    total_float_ops: int = 0


@dataclass
class GraphNodeProto(_Stats):
    """One node of a ``scope`` (or ``graph``) profile: its own and its subtree's stats."""

    name: str = ""
    run_count: int = 0
    total_run_count: int = 0
    total_definition_count: int = 0
    tensor_value: object = None
    devices: list = field(default_factory=list)
    shapes: list = field(default_factory=list)  # the op's ``shape`` attr, as a dims list
    input_shapes: dict = field(default_factory=dict)
    children: list = field(default_factory=list)


@dataclass
class MultiGraphNodeProto(_Stats):
    """One op type of an ``op`` profile: the ``graph_nodes`` of that type and their sums."""

    name: str = ""
    graph_nodes: list = field(default_factory=list)
    children: list = field(default_factory=list)


@dataclass
class Checker:
    reports: list = field(default_factory=list)


@dataclass
class AdviceProto:
    """What ``tf.profiler.advise`` found: ``checkers[name].reports``."""

    checkers: dict = field(default_factory=dict)


@dataclass
class CodeDef:
    traces: list = field(default_factory=list)


@dataclass
class OpLogEntry:
    name: str = ""
    float_ops: int = 0
    types: list = field(default_factory=list)
    code_def: CodeDef | None = None


def _varint(value: int) -> bytes:
    value &= (1 << 64) - 1
    out = bytearray()
    while True:
        low, value = value & 0x7F, value >> 7
        out.append(low | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _field(number: int, payload: bytes) -> bytes:
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


@dataclass
class OpLogProto:
    """Extra facts about ops (float ops, types such as ``_trainable_variables``) that
    ``profile`` adds to what it reads from the graph."""

    log_entries: list = field(default_factory=list)
    id_to_string: dict = field(default_factory=dict)

    def SerializeToString(self) -> bytes:  # noqa: N802  (protobuf's name)
        """The protobuf wire bytes of this message (as ``tfprof_log.proto`` lays them out)."""
        out = bytearray()
        for entry in self.log_entries:
            body = _field(1, entry.name.encode())
            if entry.float_ops:
                body += _varint(2 << 3) + _varint(entry.float_ops)
            for kind in entry.types:
                body += _field(3, kind.encode())
            out += _field(1, body)
        for key, text in sorted(self.id_to_string.items()):
            out += _field(2, _varint(1 << 3) + _varint(key) + _field(2, text.encode()))
        return bytes(out)


def stat_names() -> tuple[str, ...]:
    """The per-node stats that have a ``total_`` twin."""
    return _STATS


__all__ = [
    "AdviceProto",
    "GraphNodeProto",
    "MultiGraphNodeProto",
    "OpLogEntry",
    "OpLogProto",
]
