"""Helpers for tests that build checkpoints whose fields lie but whose checksums are valid."""

from __future__ import annotations

import numpy as np

from scopeflow.train import table
from scopeflow.train.bundle import index_filename, write_bundle
from scopeflow.train.protos import messages


def small_checkpoint(prefix: str) -> dict:
    """Writes a two-tensor checkpoint and returns its values."""
    values = {
        "a/w": np.arange(6, dtype=np.float32).reshape(2, 3),
        "a/words": np.array([b"xy", b"", b"zzz"], dtype=object),
    }
    write_bundle(prefix, values)
    return values


def rewrite_index(prefix: str, edit) -> None:
    """Re-encodes ``prefix.index`` after ``edit(records)`` changes its decoded records in
    place: ``records`` is a list of ``[key, message]`` (the header first), messages are
    ``BundleHeaderProto``/``BundleEntryProto`` or raw bytes. Block checksums stay valid."""
    path = index_filename(prefix)
    with open(path, "rb") as f:
        raw = table.read_table(f.read())
    msgs = messages()
    records = [[raw[0][0], msgs.BundleHeaderProto.FromString(raw[0][1])]]
    records += [[k, msgs.BundleEntryProto.FromString(v)] for k, v in raw[1:]]
    edit(records)
    encoded = [
        (k, v if isinstance(v, bytes) else v.SerializeToString())
        for k, v in sorted(records, key=lambda r: r[0])
    ]
    with open(path, "wb") as f:
        f.write(table.write_table(encoded))


def entry(records, key: bytes):
    return next(message for k, message in records if k == key)
