"""``tf.linalg``: linear algebra."""

from __future__ import annotations

import importlib

from scopeflow.ops.array.transpose import matrix_transpose
from scopeflow.ops.linalg.eigh_tridiagonal import eigh_tridiagonal
from scopeflow.ops.linalg.functions import expm, logm, normalize, sqrtm
from scopeflow.ops.linalg.lu import lu, lu_matrix_inverse, lu_reconstruct, lu_solve
from scopeflow.ops.linalg.tridiagonal import tridiagonal_matmul, tridiagonal_solve
from scopeflow.ops.math.clip import global_norm
from scopeflow.ops.math.einsum import einsum
from scopeflow.ops.math.linalg import cross, eye, qr
from scopeflow.ops.math.linalg import diag as tensor_diag
from scopeflow.ops.math.linalg import diag_part as tensor_diag_part
from scopeflow.ops.math.linalg import matrix_band_part as band_part
from scopeflow.ops.math.linalg import matrix_diag as diag
from scopeflow.ops.math.linalg import matrix_diag_part as diag_part
from scopeflow.ops.math.linalg import matrix_set_diag as set_diag
from scopeflow.ops.math.linalg import matrix_triangular_solve as triangular_solve
from scopeflow.ops.math.linalg_eig import self_adjoint_eig as eigh
from scopeflow.ops.math.linalg_eig import self_adjoint_eigvals as eigvalsh
from scopeflow.ops.math.linalg_lstsq import matrix_solve_ls as lstsq
from scopeflow.ops.math.linalg_solve import (
    adjoint,
    cholesky,
    cholesky_solve,
    logdet,
    slogdet,
    trace,
)
from scopeflow.ops.math.linalg_solve import matrix_determinant as det
from scopeflow.ops.math.linalg_solve import matrix_inverse as inv
from scopeflow.ops.math.linalg_solve import matrix_solve as solve
from scopeflow.ops.math.matmul import matmul, matvec, tensordot
from scopeflow.ops.math.norm import norm
from scopeflow.ops.math.svd import matrix_rank, pinv, svd
from scopeflow.ops.nn.composite import l2_normalize

transpose = matrix_transpose

# The LinearOperator family, imported on first use (import scopeflow stays light).
_ON_FIRST_USE = {
    name: "scopeflow.linalg_ops"
    for name in (
        "LinearOperator",
        "LinearOperatorAdjoint",
        "LinearOperatorBlockDiag",
        "LinearOperatorBlockLowerTriangular",
        "LinearOperatorCirculant",
        "LinearOperatorCirculant2D",
        "LinearOperatorCirculant3D",
        "LinearOperatorComposition",
        "LinearOperatorDiag",
        "LinearOperatorFullMatrix",
        "LinearOperatorHouseholder",
        "LinearOperatorIdentity",
        "LinearOperatorInversion",
        "LinearOperatorKronecker",
        "LinearOperatorLowRankUpdate",
        "LinearOperatorLowerTriangular",
        "LinearOperatorPermutation",
        "LinearOperatorScaledIdentity",
        "LinearOperatorToeplitz",
        "LinearOperatorTridiag",
        "LinearOperatorZeros",
    )
}


_ON_FIRST_USE["experimental"] = "scopeflow.linalg_ops.experimental"


def __getattr__(name: str):
    """The ``LinearOperator`` classes and ``tf.linalg.experimental``, imported when first
    used."""
    if name in _ON_FIRST_USE:
        module = importlib.import_module(_ON_FIRST_USE[name])
        value = module if name == "experimental" else getattr(module, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'scopeflow.linalg' has no attribute {name!r}")


def __dir__() -> list:
    return sorted({*globals(), *_ON_FIRST_USE})

__all__ = [
    "adjoint",
    "band_part",
    "cholesky",
    "cholesky_solve",
    "cross",
    "det",
    "diag",
    "diag_part",
    "eigh",
    "eigh_tridiagonal",
    "eigvalsh",
    "einsum",
    "expm",
    "eye",
    "global_norm",
    "inv",
    "l2_normalize",
    "logdet",
    "logm",
    "lstsq",
    "lu",
    "lu_matrix_inverse",
    "lu_reconstruct",
    "lu_solve",
    "matmul",
    "matrix_rank",
    "matrix_transpose",
    "matvec",
    "norm",
    "normalize",
    "pinv",
    "qr",
    "set_diag",
    "slogdet",
    "solve",
    "sqrtm",
    "svd",
    "tensor_diag",
    "tensor_diag_part",
    "tensordot",
    "trace",
    "transpose",
    "triangular_solve",
    "tridiagonal_matmul",
    "tridiagonal_solve",
]
