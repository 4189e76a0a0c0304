"""``tf.linalg.LinearOperator`` and its family (loaded by ``tf.linalg`` on first use)."""

from __future__ import annotations

from scopeflow.linalg_ops.banded import LinearOperatorToeplitz, LinearOperatorTridiag
from scopeflow.linalg_ops.base import LinearOperator
from scopeflow.linalg_ops.block import (
    LinearOperatorBlockDiag,
    LinearOperatorBlockLowerTriangular,
)
from scopeflow.linalg_ops.circulant import (
    LinearOperatorCirculant,
    LinearOperatorCirculant2D,
    LinearOperatorCirculant3D,
)
from scopeflow.linalg_ops.dense import (
    LinearOperatorDiag,
    LinearOperatorFullMatrix,
    LinearOperatorLowerTriangular,
)
from scopeflow.linalg_ops.derived import (
    LinearOperatorAdjoint,
    LinearOperatorComposition,
    LinearOperatorInversion,
)
from scopeflow.linalg_ops.identity import (
    LinearOperatorIdentity,
    LinearOperatorScaledIdentity,
    LinearOperatorZeros,
)
from scopeflow.linalg_ops.kronecker import LinearOperatorKronecker
from scopeflow.linalg_ops.low_rank import LinearOperatorLowRankUpdate
from scopeflow.linalg_ops.orthogonal import LinearOperatorHouseholder, LinearOperatorPermutation

__all__ = [
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
]
