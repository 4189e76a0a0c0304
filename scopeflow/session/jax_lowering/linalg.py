"""JAX lowerings of the dense solvers and decompositions (``ops/math/linalg_solve.py``,
``linalg_eig.py``, ``linalg_lstsq.py``, ``svd.py``) and of the diagonal, band-part,
triangular-solve and QR ops (``ops/math/linalg.py``).

XLA has no run-time errors: where the NumPy kernels fail the run (a singular matrix, a
Cholesky of a matrix that is not positive definite), these give inf or NaN values instead.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from scopeflow.session.jax_lowering.common import static_int


def _work(x, adjoint: bool = False):
    """``x`` (or its adjoint) in a dtype XLA's solvers take: float16 as float32."""
    work = x.astype(jnp.float32) if x.dtype == jnp.float16 else x
    return jnp.conj(jnp.swapaxes(work, -1, -2)) if adjoint else work


def _inverse(ctx, op, x):
    return jnp.linalg.inv(_work(x, op._attrs["adjoint"])).astype(x.dtype)


def _determinant(ctx, op, x):
    return jnp.linalg.det(_work(x)).astype(x.dtype)


def _log_determinant(ctx, op, x):
    sign, log_abs = jnp.linalg.slogdet(_work(x))
    return sign.astype(x.dtype), log_abs.astype(x.dtype)


def _cholesky(ctx, op, x):
    # Only the lower triangle is read, as TF's kernel does (no symmetrizing).
    chol = jax.lax.linalg.cholesky(_work(x), symmetrize_input=False)
    return jnp.tril(chol).astype(x.dtype)


def _solve(ctx, op, a, b):
    return jnp.linalg.solve(_work(a, op._attrs["adjoint"]), _work(b)).astype(b.dtype)


def _solve_ls(ctx, op, a, b, l2):
    a, b = _work(a), _work(b)
    if not op._attrs["fast"]:
        return jnp.linalg.pinv(a) @ b
    a_h = jnp.conj(jnp.swapaxes(a, -1, -2))
    m, n = a.shape[-2:]
    gramian = a_h @ a if m >= n else a @ a_h
    gramian = gramian + l2.astype(gramian.dtype) * jnp.eye(min(m, n), dtype=gramian.dtype)
    if m >= n:
        return jnp.linalg.solve(gramian, a_h @ b).astype(b.dtype)
    return (a_h @ jnp.linalg.solve(gramian, b)).astype(b.dtype)


def _self_adjoint_eig(ctx, op, x):
    work = _work(x)
    if not op._attrs["compute_v"]:
        e = jnp.linalg.eigvalsh(work, UPLO="L", symmetrize_input=False)
        return e.astype(x.dtype), jnp.zeros([0], x.dtype)
    e, v = jnp.linalg.eigh(work, UPLO="L", symmetrize_input=False)
    return e.astype(x.dtype), v.astype(x.dtype)


def _qr(ctx, op, x):
    mode = "complete" if op._attrs["full_matrices"] else "reduced"
    q, r = jnp.linalg.qr(_work(x), mode=mode)
    return q.astype(x.dtype), r.astype(x.dtype)


def _svd(ctx, op, a):
    real = jnp.finfo(a.dtype).dtype
    if not op._attrs["compute_uv"]:
        s = jnp.linalg.svd(_work(a), compute_uv=False)
        empty = jnp.zeros([0], a.dtype)
        return s.astype(real), empty, empty
    u, s, vh = jnp.linalg.svd(_work(a), full_matrices=op._attrs["full_matrices"])
    v = jnp.conj(jnp.swapaxes(vh, -1, -2))
    return s.astype(real), u.astype(a.dtype), v.astype(a.dtype)


def _diag(ctx, op, x):
    dims = tuple(x.shape)
    return jnp.diag(jnp.reshape(x, -1)).reshape(dims + dims)


def _matrix_diag(ctx, op, d):
    n = d.shape[-1]
    return jnp.where(np.eye(n, dtype=bool), d[..., :, None], jnp.zeros((), d.dtype))


def _matrix_set_diag(ctx, op, x, d):
    index = np.arange(min(x.shape[-2:]))
    return x.at[..., index, index].set(d)


def _band_part(ctx, op, x, num_lower, num_upper):
    lower, upper = static_int(num_lower), static_int(num_upper)
    m, n = x.shape[-2:]
    below = np.arange(m)[:, None] - np.arange(n)[None, :]  # i - j
    keep = ((lower < 0) | (below <= lower)) & ((upper < 0) | (-below <= upper))
    return jnp.where(keep, x, jnp.zeros((), x.dtype))


def _triangular_solve(ctx, op, a, b):
    adjoint = op._attrs["adjoint"]
    batch = jnp.broadcast_shapes(a.shape[:-2], b.shape[:-2])  # TF 2 broadcasts the batches
    a, b = jnp.broadcast_to(a, batch + a.shape[-2:]), jnp.broadcast_to(b, batch + b.shape[-2:])
    x = jax.lax.linalg.triangular_solve(
        _work(a),
        _work(b),
        left_side=True,
        lower=op._attrs["lower"],
        transpose_a=adjoint,
        conjugate_a=adjoint,
    )
    return x.astype(b.dtype)


def _lu(ctx, op, x):
    """LAPACK's partial pivoting, as the NumPy kernel's SciPy ``lu_factor``: the factors and
    the permutation ``p`` with ``x[..., p, :] == L @ U``."""
    lu, _, permutation = jax.lax.linalg.lu(_work(x))
    return lu.astype(x.dtype), permutation.astype(op._attrs["output_idx_type"].as_numpy_dtype)


LOWERINGS = {
    "Cross": lambda ctx, op, a, b: jnp.cross(a, b),
    "Diag": _diag,
    "MatrixBandPart": _band_part,
    "MatrixDiag": _matrix_diag,
    "MatrixSetDiag": _matrix_set_diag,
    "MatrixTriangularSolve": _triangular_solve,
    "Qr": _qr,
    "Svd": _svd,
    "Cholesky": _cholesky,
    "LogMatrixDeterminant": _log_determinant,
    "MatrixDeterminant": _determinant,
    "MatrixInverse": _inverse,
    "Lu": _lu,
    "MatrixSolve": _solve,
    "MatrixSolveLs": _solve_ls,
    "SelfAdjointEigV2": _self_adjoint_eig,
}
