"""What the linalg tests change in TensorFlow 2.21's records: its V3 diagonal ops."""

from __future__ import annotations


def diagonal_ops_v1(ops) -> list[tuple[str, str]]:
    """TF 2.21's ops (``[name, type]`` pairs) with its V3 diagonal ops as the V1 ops scopeflow
    builds, without the constants of their extra inputs (k, padding_value, num_rows,
    num_cols)."""
    out = []
    for name, op_type in ops:
        if op_type in ("MatrixDiagV3", "MatrixDiagPartV3", "MatrixSetDiagV3"):
            out.append((name, op_type[:-2]))
        elif not name.endswith(("/k", "/padding_value", "/num_rows", "/num_cols")):
            out.append((name, op_type))
    return out
