"""JAX lowerings of the special functions (``ops/math/special.py``) and of the gamma and
Poisson samplers (``ops/random/gamma.py``), with the NumPy kernels' (TF's) edge values."""

from __future__ import annotations

import jax
import jax.numpy as jnp
from jax.scipy import special

from scopeflow.session.jax_lowering.common import binary, out_dtype, static


def _wide(fn):
    """``fn`` computed in float32 for float16/bfloat16 inputs (as the NumPy kernels do: JAX's
    special functions take no half types), the result in the first input's dtype."""

    def lower(ctx, op, *args):
        dtype = args[0].dtype
        if jnp.finfo(dtype).bits < 32:
            args = [a.astype(jnp.float32) for a in args]
        return fn(*args).astype(dtype)

    return lower


def _zero_at_infinity(fn):
    """``fn(a, x)``, 0 where ``x`` is ``inf`` (TF's value; XLA's is ``nan``)."""
    return lambda a, x: jnp.where(jnp.isposinf(x), jnp.zeros((), a.dtype), fn(a, x))


def _nan_unless(ok, value):
    return jnp.where(ok, value, jnp.asarray(jnp.nan, value.dtype))


def _polygamma(n, x):
    """NaN for a negative or fractional order, as in TF (JAX takes integer orders only)."""
    whole = (n >= 0) & (n == jnp.floor(n))
    order = jnp.where(whole, n, 0).astype(jnp.int32)
    return _nan_unless(whole, special.polygamma(order, x).astype(x.dtype))


def _betainc(ctx, op, a, b, x):
    return _nan_unless((a > 0) & (b > 0), special.betainc(a, b, x))


def _xdivy(x, y):
    return jnp.where(x == 0, jnp.zeros((), x.dtype), x / y)


def _expint(x):
    """Ei(x), NaN for negative ``x`` and ``inf`` and -inf at 0 as in TF (Eigen's values)."""
    value = jnp.where(x == 0, -jnp.inf, special.expi(x))
    return jnp.where((x < 0) | jnp.isposinf(x), jnp.nan, value)


def _random_gamma(ctx, op, shape, alpha):
    dims = tuple(int(d) for d in static(shape).reshape(-1)) + tuple(alpha.shape)
    work = jnp.float32 if alpha.dtype == jnp.float16 else alpha.dtype
    sample = jax.random.gamma(ctx.key(op), alpha.astype(work), dims, work)
    sample = jnp.where(jnp.isposinf(alpha), jnp.inf, sample)
    return _nan_unless(alpha >= 0, sample).astype(alpha.dtype)


def _random_poisson(ctx, op, shape, rate):
    dims = tuple(int(d) for d in static(shape).reshape(-1)) + tuple(rate.shape)
    lam = rate.astype(jnp.float32 if rate.dtype != jnp.float64 else jnp.float64)
    drawable = (lam > 0) & jnp.isfinite(lam)
    counts = jax.random.poisson(ctx.key(op), jnp.where(drawable, lam, 0), dims)
    value = jnp.where(drawable, counts.astype(lam.dtype), 0)
    value = jnp.where(jnp.isposinf(lam), jnp.inf, jnp.where(jnp.isnan(lam), jnp.nan, value))
    dtype = out_dtype(op)
    if jnp.issubdtype(dtype, jnp.integer):
        value = jnp.where(jnp.isfinite(value), value, 0)
    return value.astype(dtype)


LOWERINGS = {
    "Lgamma": _wide(special.gammaln),
    "Digamma": _wide(special.digamma),
    "Erf": _wide(special.erf),
    "Erfc": _wide(special.erfc),
    "Erfinv": _wide(special.erfinv),
    "Ndtri": _wide(special.ndtri),
    "BesselI0e": _wide(special.i0e),
    "BesselI1e": _wide(special.i1e),
    "BesselI0": _wide(special.i0),
    "BesselI1": _wide(special.i1),
    "Igamma": _wide(lambda a, x: _nan_unless(a > 0, special.gammainc(a, x))),
    "Igammac": _wide(lambda a, x: _nan_unless(a > 0, special.gammaincc(a, x))),
    "IgammaGradA": binary(_zero_at_infinity(jax.lax.igamma_grad_a)),
    "Polygamma": _wide(_polygamma),
    "Zeta": _wide(_zero_at_infinity(special.zeta)),
    "Xlogy": _wide(special.xlogy),
    "Xlog1py": _wide(special.xlog1py),
    "Xdivy": _wide(_xdivy),
    "Betainc": _betainc,
    "Dawsn": _wide(special.dawsn),
    "Expint": _wide(_expint),
    "FresnelSin": _wide(lambda x: special.fresnel(x)[0]),
    "FresnelCos": _wide(lambda x: special.fresnel(x)[1]),
    "Spence": _wide(special.spence),
    "RandomGamma": _random_gamma,
    "RandomGammaGrad": binary(_zero_at_infinity(jax.lax.random_gamma_grad)),
    "RandomPoissonV2": _random_poisson,
}
KEYED = frozenset(["RandomGamma", "RandomPoissonV2"])
