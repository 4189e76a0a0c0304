"""``tf.linalg``: linear algebra."""

from __future__ import annotations

from scopeflow.ops.array_ops import matrix_diag_part as diag_part
from scopeflow.ops.array_ops import matrix_transpose
from scopeflow.ops.linalg_ops import qr
from scopeflow.ops.matmul_ops import matmul

transpose = matrix_transpose
__all__ = ["diag_part", "matmul", "matrix_transpose", "qr", "transpose"]
