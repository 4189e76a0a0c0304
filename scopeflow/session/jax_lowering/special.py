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
    """NaN for a negative or fractional order, as in TF (JAX takes integer orders only); at a
    pole x (an integer <= 0) inf for an odd n, NaN for an even one (TF's values)."""
    whole = (n >= 0) & (n == jnp.floor(n))
    order = jnp.where(whole, n, 0).astype(jnp.int32)
    value = special.polygamma(order, x).astype(x.dtype)
    pole = (x <= 0) & (x == jnp.floor(x))
    odd = jnp.fmod(n, 2) == 1
    value = jnp.where(pole & whole & odd, jnp.asarray(jnp.inf, x.dtype), value)
    # at x = inf: n! * 0, NaN where n! overflows the dtype
    huge = jnp.isinf(jnp.exp(special.gammaln(n + 1)).astype(x.dtype))
    value = jnp.where(jnp.isposinf(x) & (n >= 1), _nan_unless(~huge, jnp.zeros_like(x)), value)
    value = jnp.where(jnp.isposinf(x) & (n == 0), jnp.asarray(jnp.inf, x.dtype), value)
    even = (n >= 1) & (jnp.fmod(n, 2) == 0)
    value = _nan_unless(whole & ~((n == 0) & (x == 0)) & ~(even & pole), value)
    # an infinite order: n! * zeta(inf, x), inf up to x = 1 and NaN (inf * 0) past it
    return jnp.where(jnp.isposinf(n), _nan_unless(x <= 1, jnp.full_like(value, jnp.inf)), value)


def _zeta(x, q):
    """The Hurwitz zeta with TF's values where XLA's differ: at a pole q (an integer <= 0)
    inf for an even order (or 1), NaN for an odd one or one below 1; a negative q wants an
    integer order; an infinite order is 0 past q > 1, 1 at q = 1, inf below; an infinite q
    gives 0 past x > 1, inf at 1, NaN below."""
    inf = jnp.asarray(jnp.inf, x.dtype)
    value = special.zeta(x, q)
    pole = (q <= 0) & (q == jnp.floor(q))
    even = ((x == jnp.floor(x)) & (jnp.fmod(x, 2) == 0)) | jnp.isposinf(x)
    bad = (pole & ~even & (x != 1)) | (pole & (x < 1)) | ((q < 0) & (x != jnp.floor(x)))
    value = jnp.where(pole & (even | (x == 1)) & (x >= 1), inf, value)
    endless = jnp.isposinf(x)
    value = jnp.where(endless & (q > 1), jnp.zeros((), x.dtype), value)
    value = jnp.where(endless & (q == 1), jnp.ones((), x.dtype), value)
    value = jnp.where(endless & (q < 1), inf, value)
    far = jnp.isposinf(q) & ~endless
    value = jnp.where(far, jnp.where(x == 1, inf, jnp.zeros((), x.dtype)), value)
    return _nan_unless(~bad & ~(far & ~(x >= 1)), value)


def _igamma(a, x):
    """P(a, x), 0 at x = 0 for every a (NaN and a <= 0 too) and for an infinite a, as TF."""
    value = _nan_unless((a > 0) | (x == 0), special.gammainc(a, x))
    return jnp.where((x == 0) | (jnp.isposinf(a) & (x >= 0)), 0, value).astype(x.dtype)


def _igammac(a, x):
    """Q(a, x), NaN for a <= 0; for an infinite a 1, or 0 at x = inf, as TF."""
    value = jnp.where(jnp.isposinf(a) & (x >= 0), jnp.isfinite(x), special.gammaincc(a, x))
    return _nan_unless(a > 0, value.astype(x.dtype))


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
    "Igamma": _wide(_igamma),
    "Igammac": _wide(_igammac),
    "IgammaGradA": binary(_zero_at_infinity(jax.lax.igamma_grad_a)),
    "Polygamma": _wide(_polygamma),
    "Zeta": _wide(_zeta),
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
