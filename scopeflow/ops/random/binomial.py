"""``StatelessRandomBinomial`` (``tf.random.stateless_binomial``): binomial samples of
``counts`` trials of probability ``probs`` (broadcast together to a trailing part of
``shape``), fixed by a ``[2]`` seed, as TF's CPU kernel draws them.

Each output has its own Philox stream (numbered parameter-major, laid out sample-major, as
the gamma and Poisson samplers): ``42`` counters apart where the mean ``count * p`` (``p``
the smaller of ``prob`` and ``1 - prob``, computed in the parameters' dtype) is below 10 and
TF sums geometric variables (inversion), ``256`` apart above it where TF uses Hormann's
transformed rejection (BTRS, with TF's Stirling tail values). ``prob > 0.5`` samples
``count - Binomial(count, 1 - prob)``; no trials or ``prob <= 0`` give 0, ``prob >= 1`` gives
``count``, a NaN probability NaN. The work is float64 with the C library's ``log``, as TF's.
"""

from __future__ import annotations

import math

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.core.infer import INDEX, apply_op, check_dtype_in, check_same_dtype, shape_value
from scopeflow.ops.random import stateless
from scopeflow.ops.random.sampling import _shape_tensor
from scopeflow.ops.random.stateless_samplers import _log, _Streams

__all__ = ["stateless_random_binomial"]

_INVERSION_STRIDE, _BTRS_STRIDE = 42, 256
_TAIL = (0.0810614667953272, 0.0413406959554092, 0.0276779256849983, 0.02079067210376509,
         0.0166446911898211, 0.0138761288230707, 0.0118967099458917, 0.0104112652619720,
         0.00925546218271273, 0.00833056343336287)  # fmt: skip
_PARAM_TYPES = (dtypes.float16, dtypes.float32, dtypes.float64)
_OUT_TYPES = (*_PARAM_TYPES, dtypes.int32, dtypes.int64)


def _stirling_tail(k: float) -> float:
    if k <= 9:
        return _TAIL[int(k)]
    kp1sq = (k + 1) * (k + 1)
    return (1.0 / 12 - (1.0 / 360 - 1.0 / 1260 / kp1sq) / kp1sq) / (k + 1)


def _inversion(streams: _Streams, idx: np.ndarray, count: np.ndarray, p: np.ndarray):
    """The number of geometric variables of ``p`` whose sum stays within ``count``."""
    out = np.zeros(idx.size)
    total = np.zeros(idx.size)
    log_q = np.array([math.log1p(-v) for v in p.tolist()])
    active = np.arange(idx.size)
    while active.size:
        with np.errstate(all="ignore"):
            geom = np.ceil(_log(streams.uniform(idx[active])) / log_q[active])
        total[active] += geom
        done = total[active] > count[active]
        active = active[~done]
        out[active] += 1
    return out


def _btrs_one(streams: _Streams, i: int, count: float, p: float) -> float:
    stddev = math.sqrt(count * p * (1 - p))
    b = 1.15 + 2.53 * stddev
    a = -0.0873 + 0.0248 * b + 0.01 * p
    c = count * p + 0.5
    v_r = 0.92 - 4.2 / b
    r = p / (1 - p)
    alpha = (2.83 + 5.1 / b) * stddev
    m = math.floor((count + 1) * p)
    one = np.array([i])
    while True:
        u = float(streams.uniform(one)[0]) - 0.5
        v = float(streams.uniform(one)[0])
        us = 0.5 - abs(u)
        k = math.floor((2 * a / us + b) * u + c)
        if us >= 0.07 and v <= v_r:
            return k
        if k < 0 or k > count:
            continue
        v = math.log(v * alpha / (a / (us * us) + b))
        upper = ((m + 0.5) * math.log((m + 1) / (r * (count - m + 1)))
                 + (count + 1) * math.log((count - m + 1) / (count - k + 1))
                 + (k + 0.5) * math.log(r * (count - k + 1) / (k + 1))
                 + _stirling_tail(m) + _stirling_tail(count - m)
                 - _stirling_tail(k) - _stirling_tail(count - k))  # fmt: skip
        if v <= upper:
            return k


def binomial_samples(key: int, counter: int, counts: np.ndarray, probs: np.ndarray):
    """One draw per stream (stream ``i`` for ``counts[i]``, ``probs[i]``, in the parameters'
    NumPy dtype), as TF computes them; float64."""
    n = counts.size
    streams = _Streams(key, counter, n)
    dcount = counts.astype(np.float64)
    out = np.zeros(n)
    with np.errstate(invalid="ignore"):
        flip = probs > 0.5
        p_t = np.where(flip, probs.dtype.type(1) - probs, probs)  # in the parameters' dtype
        mean = counts * p_t
    surely = (probs >= 1) & (dcount > 0)
    out[surely] = dcount[surely]
    out[np.isnan(probs) & (dcount > 0)] = np.nan
    sampled = (dcount > 0) & (probs > 0) & (probs < 1)
    btrs = sampled & (mean >= 10)
    inversion = sampled & ~btrs
    stream = np.arange(n, dtype=np.uint64)
    streams.offsets = np.where(btrs, stream * np.uint64(_BTRS_STRIDE),
                               stream * np.uint64(_INVERSION_STRIDE))  # fmt: skip
    p = p_t.astype(np.float64)
    idx = np.flatnonzero(inversion)
    draws = _inversion(streams, idx, dcount[idx], p[idx])
    out[idx] = np.where(flip[idx], dcount[idx] - draws, draws)
    for i in np.flatnonzero(btrs).tolist():
        k = _btrs_one(streams, i, float(dcount[i]), float(p[i]))
        out[i] = dcount[i] - k if flip[i] else k
    return out


def _binomial_infer(inputs, attrs):
    shape, seed, counts, probs = inputs
    check_dtype_in("StatelessRandomBinomial", "shape", shape, INDEX)
    check_same_dtype("StatelessRandomBinomial", ("counts", "probs"), [counts, probs])
    if seed.shape.ndims is not None and seed.shape.as_list() not in ([2], [None]):
        raise ValueError(f"seed must have shape [2], not {seed.shape.as_list()}")
    return [(attrs["dtype"], shape_value(shape))]


def _binomial_kernel(ctx, op, shape, seed, counts, probs):
    key, counter = stateless.key_and_counter(stateless._seed_pair(seed))
    shape = tuple(int(d) for d in np.reshape(shape, -1))
    counts, probs = np.asarray(counts), np.asarray(probs)
    try:
        batch = np.broadcast_shapes(counts.shape, probs.shape)
    except ValueError:
        raise ValueError(
            "counts and probs must have compatible batch dimensions: "
            f"{list(counts.shape)} vs. {list(probs.shape)}"
        ) from None
    if shape[len(shape) - len(batch) :] != batch or len(batch) > len(shape):
        raise ValueError("Shape passed in must end with broadcasted shape.")
    flat_counts = np.broadcast_to(counts, batch).reshape(-1)
    flat_probs = np.broadcast_to(probs, batch).reshape(-1)
    per_batch = math.prod(shape[: len(shape) - len(batch)])
    # Stream b * per_batch + s draws sample s of parameter b.
    values = binomial_samples(key, counter, np.repeat(flat_counts, per_batch),
                              np.repeat(flat_probs, per_batch))  # fmt: skip
    grid = values.reshape(flat_counts.size, per_batch).T.reshape(shape)
    dtype = np.dtype(op._attrs["dtype"].as_numpy_dtype)
    if dtype.kind in "iu":
        grid = np.where(np.isfinite(grid), grid, 0.0)
    return grid.astype(dtype)


register_op(
    "StatelessRandomBinomial",
    _binomial_infer,
    kernel=_binomial_kernel,
    grad=NOT_DIFFERENTIABLE,
)


@undo.atomic
def stateless_random_binomial(shape, seed, counts, probs, output_dtype=dtypes.int32, name=None):
    """Binomial samples of ``counts`` trials with success probability ``probs`` (broadcast to
    a trailing part of ``shape``), fixed by a ``[2]`` int ``seed``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     b = tf.random.stateless_binomial([6], [1, 2], 5.0, 0.3)
    ...     print(tf.Session().run(b))
    [3 2 2 2 3 2]
    """
    dtype = dtypes.as_dtype(output_dtype).base_dtype
    if dtype not in _OUT_TYPES:
        raise TypeError(
            f"Value passed to parameter 'dtype' has DataType {dtype.name} not in list of "
            "allowed values: half, float32, float64, int32, int64"
        )
    with name_scope(name, "stateless_random_binomial", [shape, seed, counts, probs]):
        shape_t = _shape_tensor(shape)
        probs = convert_to_tensor(probs, dtype_hint=dtypes.float32, name="probs")
        counts = convert_to_tensor(counts, dtype_hint=probs.dtype.base_dtype, name="counts")
        check_dtype_in("StatelessRandomBinomial", "counts", counts, _PARAM_TYPES)
        with name_scope("StatelessRandomBinomial") as scope:
            seed = convert_to_tensor(seed, name="seed")
        stateless._check_seed("StatelessRandomBinomial", seed)
        attrs = {"dtype": dtype, "T": counts.dtype.base_dtype, "S": shape_t.dtype.base_dtype,
                 "Tseed": seed.dtype.base_dtype}  # fmt: skip
        result = apply_op("StatelessRandomBinomial", [shape_t, seed, counts, probs], attrs,
                          name=scope)  # fmt: skip
        result.set_shape(tensor_shape.TensorShape(shape_value(shape_t)))
        return result
