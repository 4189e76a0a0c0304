"""TF's gamma and Poisson samplers on a Philox key and counter, for
``tf.random.stateless_gamma`` (``StatelessRandomGammaV3``) and ``stateless_poisson``
(``StatelessRandomPoisson``).

Each output draws from its own stream, ``256`` counters apart, numbered parameter-major
(all samples of the first ``alpha`` first) while the output is laid out sample-major (the
parameter varies fastest). A stream hands out float64 uniforms and Box-Muller normals two per
Philox block, the second of a pair first. Gamma is Marsaglia and Tsang's method (``alpha < 1``
boosted by ``u ** (1 / alpha)``, ``alpha == 1`` an exponential); Poisson multiplies uniforms
below a rate of 10 and uses Hormann's transformed rejection above. The work is float64, so
float32 results are TF's bits; float64 ones may differ from TF's in the last bit or two
(its compiled ``log``/``pow`` round differently).
"""

from __future__ import annotations

import math

import numpy as np

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.array.basic import shape as shape_of
from scopeflow.ops.core.infer import INDEX, apply_op, check_dtype_in, shape_value
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math.broadcasting import broadcast_dynamic_shape, broadcast_to
from scopeflow.ops.math.division import truediv
from scopeflow.ops.random import stateless
from scopeflow.ops.random.distributions import box_muller64, unit_float64
from scopeflow.ops.random.philox import philox_at
from scopeflow.ops.random.sampling import _shape_tensor
from scopeflow.ops.random.stateless_v2 import _key_counter, _philox_state, algorithm_id

_STRIDE = 256  # counters between two outputs' streams


class _Streams:
    """The draws of many outputs at once, each from its own stream ``256`` counters after
    the previous one: float64 uniforms and normals two per Philox block, the second of a
    pair first, as TF's kernels take them."""

    def __init__(self, key: int, counter: int, count: int):
        self.key, self.counter = key, counter
        self.offsets = np.arange(count, dtype=np.uint64) * np.uint64(_STRIDE)
        self.pairs = {kind: np.empty((count, 2)) for kind in ("uniform", "normal")}
        self.left = {kind: np.zeros(count, np.int8) for kind in ("uniform", "normal")}

    def _draw(self, kind: str, idx: np.ndarray) -> np.ndarray:
        pairs, left = self.pairs[kind], self.left[kind]
        empty = idx[left[idx] == 0]
        if empty.size:
            words = philox_at(self.key, self.counter, self.offsets[empty])
            self.offsets[empty] += np.uint64(1)
            if kind == "uniform":
                pairs[empty] = unit_float64(words[:, [0, 2]], words[:, [1, 3]])
            else:
                pairs[empty] = box_muller64(words)
            left[empty] = 2
        left[idx] -= 1
        return pairs[idx, left[idx]]

    def uniform(self, idx: np.ndarray) -> np.ndarray:
        return self._draw("uniform", idx)

    def normal(self, idx: np.ndarray) -> np.ndarray:
        return self._draw("normal", idx)


def _libm(fn, values: np.ndarray) -> np.ndarray:
    """``fn`` (a ``math`` function: the C library's rounding, as TF's kernels) elementwise."""
    return np.array([fn(v) for v in values.tolist()], np.float64).reshape(values.shape)


def _log(values: np.ndarray) -> np.ndarray:
    return _libm(lambda v: math.log(v) if v > 0 else (-math.inf if v == 0 else math.nan), values)


def gamma_samples(streams: _Streams, alpha: np.ndarray) -> np.ndarray:
    """One Gamma(alpha, 1) draw per stream, as TF computes them."""
    out = np.empty(alpha.shape)
    every = np.arange(alpha.size)
    ones = every[alpha == 1.0]
    out[ones] = -_libm(math.log1p, -streams.uniform(ones))
    with np.errstate(all="ignore"):
        d = np.where(alpha < 1.0, alpha + 1.0, alpha) - 1.0 / 3.0
        c = 1.0 / np.sqrt(9.0 * d)
    active = every[alpha != 1.0]
    cubes = np.empty(alpha.shape)
    while active.size:
        x = streams.normal(active)
        with np.errstate(all="ignore"):
            v = 1.0 + c[active] * x
        again = v <= 0
        tried, x, v = active[~again], x[~again], v[~again]
        v = v * v * v
        u = streams.uniform(tried)
        with np.errstate(all="ignore"):
            take = u < 1.0 - 0.0331 * (x * x) * (x * x)
            bound = 0.5 * x * x + d[tried] * (1.0 - v + _log(v))
            take |= _log(u) < bound
        cubes[tried[take]] = v[take]
        active = np.concatenate([active[again], tried[~take]])
    rest = every[alpha != 1.0]
    with np.errstate(all="ignore"):
        out[rest] = d[rest] * cubes[rest]
        boosted = every[alpha < 1.0]
        powers = [math.inf if a == 0 else 1.0 / a for a in alpha[boosted].tolist()]
        u = streams.uniform(boosted).tolist()
        out[boosted] *= np.array([math.pow(b, e) for b, e in zip(u, powers, strict=True)])
    return out


def poisson_samples(streams: _Streams, rate: np.ndarray) -> np.ndarray:
    """One Poisson(rate) draw per stream as TF computes them (NaN for a NaN rate and inf for
    an infinite one, where TF's kernel never returns)."""
    out = np.where(np.isnan(rate) | np.isposinf(rate), rate, 0.0)
    every = np.arange(rate.size)
    finite = np.isfinite(rate) & (rate > 0)
    small = every[finite & (rate < 10)]
    floor = _libm(math.exp, -rate[small])
    product, count = np.ones(small.size), np.zeros(small.size)
    active = np.arange(small.size)
    while active.size:
        product[active] *= streams.uniform(small[active])
        done = product[active] <= floor[active]
        out[small[active[done]]] = count[active[done]]
        active = active[~done]
        count[active] += 1.0
    big = every[finite & (rate >= 10)]
    lam = rate[big]
    log_rate = _log(lam)
    b = 0.931 + 2.53 * np.sqrt(lam)
    a = -0.059 + 0.02483 * b
    inv_alpha = 1.1239 + 1.1328 / (b - 3.4)
    v_r = 0.9277 - 3.6224 / (b - 2)
    active = np.arange(big.size)
    while active.size:
        u = streams.uniform(big[active]) - 0.5
        v = streams.uniform(big[active])
        u_shifted = 0.5 - np.abs(u)
        with np.errstate(all="ignore"):
            k = np.floor((2 * a[active] / u_shifted + b[active]) * u + lam[active] + 0.43)
        quick = (u_shifted >= 0.07) & (v <= v_r[active])
        reject = ~quick & ((k < 0) | ((u_shifted < 0.013) & (v > u_shifted)))
        check = ~quick & ~reject
        i = active[check]
        with np.errstate(all="ignore"):
            s = _log(v[check] * inv_alpha[i] / (a[i] / (u_shifted[check] ** 2) + b[i]))
        t = -lam[i] + k[check] * log_rate[i] - _libm(math.lgamma, k[check] + 1)
        take = quick.copy()
        take[check] = s <= t
        out[big[active[take]]] = k[take]
        active = active[~take]
    return out


def sample_grid(sampler, key: int, counter: int, shape, params) -> np.ndarray:
    """``sampler``'s float64 draws for an output of ``shape`` ending in ``params``'s shape:
    streams numbered parameter-major, values laid out sample-major."""
    shape = tuple(int(d) for d in shape)
    params = np.asarray(params)
    if shape[len(shape) - params.ndim :] != params.shape:
        raise ValueError("Shape passed in must end with broadcasted shape.")
    flat = params.reshape(-1).astype(np.float64)
    count = math.prod(shape[: len(shape) - params.ndim])
    per_stream = np.repeat(flat, count)  # stream p * count + s draws for parameter p
    values = sampler(_Streams(key, counter, per_stream.size), per_stream)
    return values.reshape(flat.size, count).T.reshape(shape)


def _shaped_infer(op_type: str, dtype_of):
    def infer(inputs, attrs):
        check_dtype_in(op_type, "shape", inputs[0], INDEX)
        return [(dtype_of(inputs, attrs), shape_value(inputs[0]))]

    return infer


def _gamma_kernel(ctx, op, shape, key, counter, alg, alpha):
    key, counter = _philox_state(key, counter, alg)
    dtype = op._outputs[0].dtype.as_numpy_dtype
    return sample_grid(gamma_samples, key, counter, shape, alpha).astype(dtype)


register_op(
    "StatelessRandomGammaV3",
    _shaped_infer("StatelessRandomGammaV3", lambda inputs, attrs: inputs[4].dtype.base_dtype),
    kernel=_gamma_kernel,
    grad=NOT_DIFFERENTIABLE,
)


def _poisson_kernel(ctx, op, shape, seed, lam):
    key, counter = stateless.key_and_counter(stateless._seed_pair(seed))
    dtype = np.dtype(op._attrs["dtype"].as_numpy_dtype)
    values = sample_grid(poisson_samples, key, counter, shape, lam)
    if dtype.kind in "iu":
        values = np.where(np.isfinite(values), values, 0.0)
    return values.astype(dtype)


register_op(
    "StatelessRandomPoisson",
    _shaped_infer("StatelessRandomPoisson", lambda inputs, attrs: attrs["dtype"]),
    kernel=_poisson_kernel,
    grad=NOT_DIFFERENTIABLE,
)
_GAMMA_TYPES = (dtypes.float16, dtypes.float32, dtypes.float64)
_POISSON_TYPES = (*_GAMMA_TYPES, dtypes.int32, dtypes.int64)


@undo.atomic
def stateless_random_gamma(shape, seed, alpha, beta=None, dtype=dtypes.float32, name=None):
    """Gamma samples (shape ``alpha``, rate ``beta``) fixed by a ``[2]`` int ``seed``;
    ``alpha`` and ``beta`` broadcast together to a trailing part of ``shape``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     g = tf.random.stateless_gamma([3], seed=[1, 2], alpha=1.5)
    ...     print(tf.Session().run(g))
    [2.163376  1.3841168 2.6291902]
    """
    dtype = dtypes.as_dtype(dtype).base_dtype
    if dtype not in _GAMMA_TYPES:
        raise ValueError(f"Invalid dtype {dtype!r}: stateless_gamma takes float16, float32 or "
                         "float64")  # fmt: skip
    with name_scope(name, "stateless_random_gamma", [shape, seed, alpha, beta]) as scope:
        shape_t = _shape_tensor(shape)
        alpha = convert_to_tensor(alpha, dtype=dtype, name="alpha")
        beta = convert_to_tensor(1 if beta is None else beta, dtype=dtype, name="beta")
        alpha = broadcast_to(alpha, broadcast_dynamic_shape(shape_of(alpha), shape_of(beta)))
        key, counter = _key_counter(seed)
        with name_scope("StatelessRandomGammaV3") as op_scope:
            alg = convert_to_tensor(algorithm_id("auto_select"), dtype=dtypes.int32, name="alg")
        inputs = [shape_t, key, counter, alg, alpha]
        sample = apply_op("StatelessRandomGammaV3", inputs, {}, name=op_scope)
        tiny = np.finfo(dtype.as_numpy_dtype).tiny
        return math_ops.maximum(tiny, truediv(sample, beta), name=scope)


@undo.atomic
def stateless_random_poisson(shape, seed, lam, dtype=dtypes.int32, name=None):
    """Poisson samples of rate ``lam`` (broadcast to a trailing part of ``shape``), fixed by a
    ``[2]`` int ``seed``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     p = tf.random.stateless_poisson([4], seed=[1, 2], lam=[1.0, 20.0, 0.0, 5.0])
    ...     print(tf.Session().run(p))
    [ 3 23  0  8]
    """
    dtype = dtypes.as_dtype(dtype).base_dtype
    if dtype not in _POISSON_TYPES:
        raise ValueError(f"Invalid dtype {dtype!r}: stateless_poisson takes float16, float32, "
                         "float64, int32 or int64")  # fmt: skip
    with name_scope(name, "stateless_random_poisson", [shape, seed, lam]):
        shape_t = _shape_tensor(shape)
        with name_scope("StatelessRandomPoisson") as scope:
            seed = convert_to_tensor(seed, name="seed")
            lam = convert_to_tensor(lam, dtype_hint=dtypes.float32, name="lam")
        stateless._check_seed("StatelessRandomPoisson", seed)
        return apply_op("StatelessRandomPoisson", [shape_t, seed, lam], {"dtype": dtype}, scope)


__all__ = ["stateless_random_gamma", "stateless_random_poisson"]
