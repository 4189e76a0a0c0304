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
from scopeflow.ops.random.philox import philox_words
from scopeflow.ops.random.sampling import _shape_tensor
from scopeflow.ops.random.stateless_v2 import _key_counter, _philox_state, algorithm_id

_STRIDE = 256  # counters between two outputs' streams
_MASK128 = (1 << 128) - 1


class _Stream:
    """One output's draws: float64 uniforms and normals, two per Philox block, taken from
    the end of each pair as TF's kernels do."""

    def __init__(self, key: int, counter: int):
        self.key, self.counter = key, counter
        self.uniforms: list[float] = []
        self.normals: list[float] = []

    def _block(self) -> np.ndarray:
        words = philox_words(self.key, self.counter, 1)
        self.counter = (self.counter + 1) & _MASK128
        return words

    def uniform(self) -> float:
        if not self.uniforms:
            w = self._block()[0]
            self.uniforms = unit_float64(w[[0, 2]], w[[1, 3]]).tolist()
        return self.uniforms.pop()

    def normal(self) -> float:
        if not self.normals:
            self.normals = box_muller64(self._block())[0].tolist()
        return self.normals.pop()


def gamma_sample(stream: _Stream, alpha: float) -> float:
    """One Gamma(alpha, 1) draw as TF computes it."""
    if alpha == 1.0:
        return -math.log1p(-stream.uniform())
    d = (alpha + 1.0 if alpha < 1.0 else alpha) - 1.0 / 3.0
    c = 1.0 / math.sqrt(9.0 * d) if d > 0 else (math.inf if d == 0 else math.nan)
    while True:
        x = stream.normal()
        v = 1.0 + c * x
        if v <= 0:
            continue
        v = v * v * v
        u = stream.uniform()
        if u < 1.0 - 0.0331 * (x * x) * (x * x):
            break
        if math.log(u) < 0.5 * x * x + d * (1.0 - v + math.log(v)):
            break
    result = d * v
    if alpha < 1.0:
        result *= math.pow(stream.uniform(), 1.0 / alpha if alpha else math.inf)
    return result


def poisson_sample(stream: _Stream, rate: float) -> float:
    """One Poisson(rate) draw as TF computes it (NaN for a NaN rate and inf for an infinite
    one, where TF's kernel never returns)."""
    if math.isnan(rate) or math.isinf(rate):
        return rate if rate > 0 or math.isnan(rate) else 0.0
    if rate <= 0:
        return 0.0
    if rate < 10:
        floor, product, count = math.exp(-rate), 1.0, 0.0
        while True:
            product *= stream.uniform()
            if product <= floor:
                return count
            count += 1.0
    log_rate = math.log(rate)
    b = 0.931 + 2.53 * math.sqrt(rate)
    a = -0.059 + 0.02483 * b
    inv_alpha = 1.1239 + 1.1328 / (b - 3.4)
    v_r = 0.9277 - 3.6224 / (b - 2)
    while True:
        u = stream.uniform() - 0.5
        v = stream.uniform()
        u_shifted = 0.5 - abs(u)
        k = math.floor((2 * a / u_shifted + b) * u + rate + 0.43)
        if u_shifted >= 0.07 and v <= v_r:
            return float(k)
        if k < 0 or (u_shifted < 0.013 and v > u_shifted):
            continue
        s = math.log(v * inv_alpha / (a / (u_shifted * u_shifted) + b))
        if s <= -rate + k * log_rate - math.lgamma(k + 1):
            return float(k)


def _sample(sampler, key: int, counter: int, shape, params: np.ndarray) -> np.ndarray:
    shape = tuple(int(d) for d in shape)
    params = np.asarray(params)
    if shape[len(shape) - params.ndim :] != params.shape:
        raise ValueError("Shape passed in must end with broadcasted shape.")
    flat = params.reshape(-1).astype(np.float64)
    count = math.prod(shape[: len(shape) - params.ndim])
    out = np.empty((count, flat.size), np.float64)
    for p, value in enumerate(flat.tolist()):
        for s in range(count):
            stream = _Stream(key, (counter + _STRIDE * (p * count + s)) & _MASK128)
            out[s, p] = sampler(stream, value)
    return out.reshape(shape)


def _shaped_infer(op_type: str, dtype_of):
    def infer(inputs, attrs):
        check_dtype_in(op_type, "shape", inputs[0], INDEX)
        return [(dtype_of(inputs, attrs), shape_value(inputs[0]))]

    return infer


def _gamma_kernel(ctx, op, shape, key, counter, alg, alpha):
    key, counter = _philox_state(key, counter, alg)
    dtype = op._outputs[0].dtype.as_numpy_dtype
    return _sample(gamma_sample, key, counter, shape, alpha).astype(dtype)


register_op(
    "StatelessRandomGammaV3",
    _shaped_infer("StatelessRandomGammaV3", lambda inputs, attrs: inputs[4].dtype.base_dtype),
    kernel=_gamma_kernel,
    grad=NOT_DIFFERENTIABLE,
)


def _poisson_kernel(ctx, op, shape, seed, lam):
    key, counter = stateless.key_and_counter(stateless._seed_pair(seed))
    dtype = np.dtype(op._attrs["dtype"].as_numpy_dtype)
    values = _sample(poisson_sample, key, counter, shape, lam)
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
