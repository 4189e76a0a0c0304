"""``tf.linalg``: linear algebra."""

from __future__ import annotations

from scopeflow.ops.array.transpose import matrix_transpose
from scopeflow.ops.math.einsum import einsum
from scopeflow.ops.math.linalg import eye, qr
from scopeflow.ops.math.linalg import matrix_band_part as band_part
from scopeflow.ops.math.linalg import matrix_diag as diag
from scopeflow.ops.math.linalg import matrix_diag_part as diag_part
from scopeflow.ops.math.linalg import matrix_set_diag as set_diag
from scopeflow.ops.math.linalg import matrix_triangular_solve as triangular_solve
from scopeflow.ops.math.matmul import matmul, matvec
from scopeflow.ops.math.norm import norm
from scopeflow.ops.math.svd import svd

transpose = matrix_transpose
__all__ = [
    "band_part",
    "diag",
    "diag_part",
    "einsum",
    "eye",
    "matmul",
    "matrix_transpose",
    "matvec",
    "norm",
    "qr",
    "set_diag",
    "svd",
    "transpose",
    "triangular_solve",
]
