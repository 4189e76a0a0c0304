"""``tf.random.stateless_parameterized_truncated_normal``
(``StatelessParameterizedTruncatedNormal``): normal samples cut to ``[minvals, maxvals]``, with
TF's CPU sampler.

The parameters broadcast together to a trailing part of ``shape``; each parameter set (a
"batch") fills its samples in turn from one Philox stream, starting on a fresh block. Bounds
are normalized; an interval below zero, or one reaching minus infinity, is mirrored to the
positive side. Then one of three rejection samplers runs: normals kept inside the bounds
(when the interval holds a bound beyond 1.3 standard deviations and zero), uniforms on a
narrow interval accepted against the density, or exponentials in a far tail. Values are TF's
when TF runs the op in one piece (tensors small enough that it does not split the batches
across threads).
"""

from __future__ import annotations

import math

import numpy as np

from scopeflow.framework import undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.core.infer import INDEX, apply_op, check_dtype_in, shape_value
from scopeflow.ops.random import distributions, stateless
from scopeflow.ops.random.libm32 import logf
from scopeflow.ops.random.sampling import _shape_tensor

_MAX_ITERATIONS = 1000
_RANDN_BOUND = 1.3  # standard deviations inside the bounds from which plain normals are kept


class _Blocks:
    """Philox blocks handed out in turn: ``per_block`` values of a distribution each."""

    def __init__(self, key: int, counter: int, dtype: np.dtype):
        self.key, self.counter, self.dtype = key, counter, dtype
        self.per_block = 2 if dtype == np.float64 else 4

    def take(self, draw) -> np.ndarray:
        values = draw(self.key, self.counter, self.per_block, self.dtype)
        self.counter += 1
        return values


def _math(dtype):
    if dtype == np.float64:
        return math.log, math.exp
    return (lambda v: logf(np.array([v], np.float32))[0]), (lambda v: np.exp(np.float32(v)))


def _batch(blocks: _Blocks, count: int, mean, std, low, high) -> list:
    t = blocks.dtype.type
    log, exp = _math(blocks.dtype)
    mean, std = t(mean), t(std)
    norm_min, norm_max = (t(low) - mean) / std, (t(high) - mean) / std
    sign = t(1)
    if norm_max < 0 or norm_min == -np.inf:
        norm_min, norm_max, sign = -norm_max, -norm_min, t(-1)
    out: list = []
    misses = 0

    def keep(z) -> bool:
        out.append(sign * z * std + mean)
        return len(out) >= count

    if (norm_min < -t(_RANDN_BOUND) and norm_max >= 0) or (
        norm_max > t(_RANDN_BOUND) and norm_min <= 0
    ):
        while len(out) < count:
            for z in blocks.take(distributions.normal):
                if norm_min <= z <= norm_max:
                    misses = 0
                    if keep(z):
                        break
                else:
                    misses += 1
                    if misses > _MAX_ITERATIONS:
                        raise ValueError(
                            "TruncatedNormal randn rejection sampler exceeded maximum iterations"
                        )
        return out
    root = np.sqrt(norm_min * norm_min + t(4))
    cutoff = t(2) * exp(t(0.5) + (norm_min * (norm_min - root)) / t(4)) / (norm_min + root)
    width = norm_max - norm_min
    if width < cutoff:
        shift = t(0) if norm_min < 0 else norm_min * norm_min
        while len(out) < count:
            z = blocks.take(distributions.uniform) * width + norm_min
            g = (shift - z * z) / t(2)
            u = blocks.take(distributions.uniform)
            for i in range(blocks.per_block):
                if u[i] <= exp(g[i]) or misses + 1 >= _MAX_ITERATIONS:
                    misses = 0
                    if keep(z[i]):
                        break
                else:
                    misses += 1
        return out
    alpha = (norm_min + np.sqrt(norm_min * norm_min + t(4))) / t(2)
    while len(out) < count:
        r = blocks.take(distributions.uniform)
        for i in range(0, blocks.per_block, 2):
            z = t(-log(r[i])) / alpha + norm_min
            x = alpha - z if norm_min < alpha else norm_min - alpha
            g = exp(-x * x / t(2))
            if (r[i + 1] <= g and z < norm_max) or misses + 1 >= _MAX_ITERATIONS:
                misses = 0
                if keep(z):
                    break
            else:
                misses += 1
    return out


def _ptn_infer(inputs, attrs):
    check_dtype_in("StatelessParameterizedTruncatedNormal", "shape", inputs[0], INDEX)
    stateless._check_seed("StatelessParameterizedTruncatedNormal", inputs[1])
    return [(inputs[2].dtype.base_dtype, shape_value(inputs[0]))]


def _ptn_kernel(ctx, op, shape, seed, means, stddevs, minvals, maxvals):
    shape = tuple(int(d) for d in shape)
    params = np.broadcast_arrays(means, stddevs, minvals, maxvals)
    rank = params[0].ndim
    if shape[len(shape) - rank :] != params[0].shape:
        raise ValueError("Shape passed in must end with broadcasted shape.")
    mean, std, low, high = (np.asarray(p, np.float64).reshape(-1) for p in params)
    if not np.all((std > 0) & (low < high) & (np.isfinite(low) | np.isfinite(high))):
        raise ValueError("Invalid parameters")
    dtype = np.dtype(op._outputs[0].dtype.as_numpy_dtype)
    if dtype not in (np.float32, np.float64):
        raise NotImplementedError(
            "StatelessParameterizedTruncatedNormal: scopeflow implements float32 and float64; "
            "cast float16 parameters to float32"
        )
    key, counter = stateless.key_and_counter(stateless._seed_pair(seed))
    blocks = _Blocks(key, counter, dtype)
    count = math.prod(shape[: len(shape) - rank])
    out = np.empty((count, mean.size), dtype)
    for p in range(mean.size):
        out[:, p] = _batch(blocks, count, mean[p], std[p], low[p], high[p])
    return out.reshape(shape)


register_op(
    "StatelessParameterizedTruncatedNormal",
    _ptn_infer,
    kernel=_ptn_kernel,
    grad=NOT_DIFFERENTIABLE,
)


@undo.atomic
def stateless_parameterized_truncated_normal(shape, seed, means=0.0, stddevs=1.0, minvals=-2.0,
                                             maxvals=2.0, name=None):  # fmt: skip
    """Normal samples of ``means``/``stddevs`` cut to ``[minvals, maxvals]``, fixed by a
    ``[2]`` int ``seed``; the parameters broadcast to a trailing part of ``shape``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.random.stateless_parameterized_truncated_normal([3], [1, 2], minvals=2.0,
    ...                                                          maxvals=5.0)
    ...     print(tf.Session().run(x))
    [2.0702221 2.0015674 2.5393016]
    """
    args = [shape, seed, means, stddevs, minvals, maxvals]
    with name_scope(name, "stateless_parameterized_truncated_normal", args):
        shape_t = _shape_tensor(shape)
        means = convert_to_tensor(means, name="means")
        dtype = means.dtype.base_dtype
        stddevs = convert_to_tensor(stddevs, dtype=dtype, name="stddevs")
        minvals = convert_to_tensor(minvals, dtype=dtype, name="minvals")
        maxvals = convert_to_tensor(maxvals, dtype=dtype, name="maxvals")
        with name_scope("StatelessParameterizedTruncatedNormal") as scope:
            seed = convert_to_tensor(seed, name="seed")
        inputs = [shape_t, seed, means, stddevs, minvals, maxvals]
        return apply_op("StatelessParameterizedTruncatedNormal", inputs, {}, name=scope)


__all__ = ["stateless_parameterized_truncated_normal"]
