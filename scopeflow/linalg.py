"""``tf.linalg``: linear algebra."""

from __future__ import annotations

from scopeflow.ops.array_ops import matrix_transpose
from scopeflow.ops.linalg_ops import matrix_band_part as band_part
from scopeflow.ops.linalg_ops import matrix_diag as diag
from scopeflow.ops.linalg_ops import matrix_diag_part as diag_part
from scopeflow.ops.linalg_ops import matrix_set_diag as set_diag
from scopeflow.ops.linalg_ops import matrix_triangular_solve as triangular_solve
from scopeflow.ops.linalg_ops import qr
from scopeflow.ops.matmul_ops import matmul, matvec

transpose = matrix_transpose
__all__ = [
    "band_part",
    "diag",
    "diag_part",
    "matmul",
    "matrix_transpose",
    "matvec",
    "qr",
    "set_diag",
    "transpose",
    "triangular_solve",
]
