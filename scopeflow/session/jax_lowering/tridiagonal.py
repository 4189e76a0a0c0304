"""JAX lowerings of the tridiagonal ops: ``TridiagonalMatMul`` and ``TridiagonalSolve``, the
NumPy kernels' eliminations (partial pivoting, or the Thomas algorithm) as ``lax.scan`` loops
in the same order of operations; a system with a zero pivot gives NaN everywhere, as there.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from scopeflow.framework import errors


def _matmul(ctx, op, superdiag, maindiag, subdiag, rhs):
    rhs = jnp.asarray(rhs)
    out = jnp.swapaxes(maindiag, -1, -2) * rhs
    above = jnp.swapaxes(superdiag, -1, -2)[..., :-1, :] * rhs[..., 1:, :]
    below = jnp.swapaxes(subdiag, -1, -2)[..., 1:, :] * rhs[..., :-1, :]
    out = out.at[..., :-1, :].add(above)
    return out.at[..., 1:, :].add(below).astype(rhs.dtype)


def _pivoting(superdiag, diag, subdiag, rhs):
    """One system by Gaussian elimination with partial pivoting: rows finalized one by one
    (``u`` has three diagonals after the swaps), then back substitution."""
    n = diag.shape[0]
    superdiag = superdiag.at[n - 1].set(0)  # the kernel never reads the last one

    def eliminate(carry, row):
        c0, c1, cx, bad = carry
        d, sup, sub, r = row
        keep = jnp.abs(c0) >= jnp.abs(sub)
        factor_keep = sub / c0
        factor_swap = c0 / sub
        finished = (
            jnp.where(keep, c0, sub),
            jnp.where(keep, c1, d),
            jnp.where(keep, jnp.zeros_like(sup), sup),
            jnp.where(keep, cx, r),
        )
        following = (
            jnp.where(keep, d - factor_keep * c1, c1 - factor_swap * d),
            jnp.where(keep, sup, -factor_swap * sup),
            jnp.where(keep, r - factor_keep * cx, cx - factor_swap * r),
            bad | (keep & (c0 == 0)),
        )
        return following, finished

    start = (diag[0], superdiag[0], rhs[0], jnp.zeros((), bool))
    rows = (diag[1:], superdiag[1:], subdiag[1:], rhs[1:])
    (c0, c1, cx, bad), (u0, u1, u2, x) = jax.lax.scan(eliminate, start, rows)
    u0 = jnp.concatenate([u0, c0[None]])
    u1 = jnp.concatenate([u1, c1[None]])
    u2 = jnp.concatenate([u2, jnp.zeros_like(c1)[None]])
    x = jnp.concatenate([x, cx[None]])
    bad = bad | (c0 == 0)

    def substitute(carry, row):
        x1, x2 = carry
        a0, a1, a2, xi = row
        value = (xi - a1 * x1 - a2 * x2) / a0
        return (value, x1), value

    zero = jnp.zeros_like(x[0])
    solved = jax.lax.scan(substitute, (zero, zero), (u0, u1, u2, x), reverse=True)[1]
    return jnp.where(bad, jnp.nan, solved)


def _thomas(superdiag, diag, subdiag, rhs):
    """One system by the Thomas algorithm (no pivoting)."""

    def forward(carry, row):
        u_prev, x_prev, bad = carry
        sup, d, sub, r = row
        denom = d - sub * u_prev
        u = sup / denom
        x = (r - sub * x_prev) / denom
        return (u, x, bad | (denom == 0)), (u, x)

    zero_x = jnp.zeros_like(rhs[0])
    start = (jnp.zeros_like(diag[0]), zero_x, jnp.zeros((), bool))
    (_, _, bad), (u, x) = jax.lax.scan(forward, start, (superdiag, diag, subdiag, rhs))

    def backward(x_next, row):
        ui, xi = row
        value = xi - ui * x_next
        return value, value

    last = x[-1]
    solved = jax.lax.scan(backward, last, (u[:-1], x[:-1]), reverse=True)[1]
    return jnp.where(bad, jnp.nan, jnp.concatenate([solved, last[None]]))


def _solve(ctx, op, diagonals, rhs):
    if op._attrs["perturb_singular"]:
        raise errors.UnimplementedError(
            None, op, "TridiagonalSolve(perturb_singular=True) is not supported"
        )
    diagonals, rhs = jnp.asarray(diagonals), jnp.asarray(rhs)
    m = diagonals.shape[-1]
    if not m:
        return rhs
    dtype = jnp.result_type(diagonals, rhs)
    flat_d = diagonals.reshape(-1, 3, m).astype(dtype)
    flat_r = rhs.reshape(-1, m, rhs.shape[-1]).astype(dtype)
    solve = _pivoting if op._attrs["partial_pivoting"] else _thomas
    out = jax.vmap(lambda d, r: solve(d[0], d[1], d[2], r))(flat_d, flat_r)
    return out.reshape(rhs.shape).astype(rhs.dtype)


LOWERINGS = {
    "TridiagonalMatMul": _matmul,
    "TridiagonalSolve": _solve,
}
