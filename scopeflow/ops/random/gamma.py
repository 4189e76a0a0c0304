"""Gamma and Poisson samples: ``tf.random_gamma`` (``RandomGamma``, with TF's implicit
reparameterization gradient ``RandomGammaGrad``) and ``tf.random_poisson``
(``RandomPoissonV2``).

Samples have the shape ``shape + alpha.shape`` (``+ lam.shape``), one draw of each
distribution per sample index. They are TF's: TF's samplers (``stateless_samplers.py``) on
the op's Philox stream, which each run moves past 256 counters per output. Edge parameters
give TF's values: ``alpha = 0`` draws 0 (``tiny`` after the
``maximum``), ``alpha < 0`` or NaN ``nan``, ``alpha = inf`` ``inf``; a Poisson rate ``<= 0``
draws 0, an infinite one ``inf`` (0 as an integer), a NaN one ``nan`` (0 as an integer: TF
never returns).

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     g = tf.random_gamma([1000], [1.0, 5.0], seed=1)
...     means = tf.Session().run(tf.reduce_mean(g, 0))
>>> g.shape.as_list(), [round(float(m)) for m in means]
([1000, 2], [1, 5])
"""

from __future__ import annotations

import math

import numpy as np

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.array.basic import ones, reshape
from scopeflow.ops.array.basic import shape as shape_of
from scopeflow.ops.array.join import concat
from scopeflow.ops.core import build
from scopeflow.ops.core.infer import INDEX, apply_op, check_dtype_in, shape_value
from scopeflow.ops.math.broadcasting import (
    broadcast,
    broadcast_dynamic_shape,
    broadcast_static_shape,
    broadcast_to,
)
from scopeflow.ops.math.special import igamma_grad_a_values
from scopeflow.ops.random.philox import op_stream
from scopeflow.ops.random.sampling import get_seed
from scopeflow.ops.random.stateless_samplers import gamma_samples, poisson_samples, sample_grid

_GAMMA_DTYPES = (dtypes.float16, dtypes.float32, dtypes.float64)
_POISSON_DTYPES = (dtypes.float16, dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64)


def _seed_attrs(seed) -> dict:
    seed1, seed2 = get_seed(seed)
    return {"seed": seed1 or 0, "seed2": seed2 or 0}


def _samples_shape(op_type: str, shape_t, param):
    check_dtype_in(op_type, "shape", shape_t, INDEX)
    return shape_value(shape_t).concatenate(param.shape)


# -- RandomGamma -----------------------------------------------------------------------------


def _random_gamma_infer(inputs, attrs):
    shape_t, alpha = inputs
    dtype = check_dtype_in("RandomGamma", "alpha", alpha, _GAMMA_DTYPES)
    return [(dtype, _samples_shape("RandomGamma", shape_t, alpha))]


def _random_gamma_kernel(ctx, op, shape_v, alpha):
    alpha = np.asarray(alpha)
    shape = tuple(int(d) for d in shape_v) + alpha.shape
    stream = op_stream(ctx, op)
    start = stream.reserve(math.prod(shape))
    return sample_grid(gamma_samples, stream.key, start, shape, alpha).astype(alpha.dtype)


def _random_gamma_grad(op, grad):
    """TF's: ``None`` for the shape; for ``alpha``, ``grad`` times ``RandomGammaGrad`` (the
    sample's derivative with ``alpha``'s dimensions led by units) summed over the sample
    dimensions."""
    shape_t, alpha = op.inputs
    sample = op.outputs[0]
    count = shape_of(shape_t)[0]
    units = ones([count], dtypes.int32)
    alpha_broadcastable = reshape(alpha, concat([units, shape_of(alpha)], 0))
    partial_alpha = apply_op("RandomGammaGrad", [alpha_broadcastable, sample])
    return None, build.reduce_sum(grad * partial_alpha, build.range_of(0, count, 1))


register_op(
    "RandomGamma",
    _random_gamma_infer,
    kernel=_random_gamma_kernel,
    grad=_random_gamma_grad,
    stateful=True,
)


def _random_gamma_grad_infer(inputs, attrs):
    alpha, sample = inputs
    dtype = check_dtype_in("RandomGammaGrad", "alpha", alpha, (dtypes.float32, dtypes.float64))
    if sample.dtype.base_dtype != dtype:
        raise TypeError(
            f"Input 'sample' of 'RandomGammaGrad' Op has type {sample.dtype.base_dtype.name} "
            f"that does not match type {dtype.name} of argument 'alpha'."
        )
    return [(dtype, broadcast(alpha.shape, sample.shape))]


def _random_gamma_grad_kernel(ctx, op, alpha, sample):
    """``d sample / d alpha`` at a fixed CDF: ``-(dP(alpha, x) / d alpha) / pdf(x)``, the
    pdf ``exp(-x + (alpha - 1) log x - lgamma(alpha))``; 0 where ``x`` is 0 or infinite or
    the pdf underflows (as TF gives), ``nan`` where ``alpha <= 0`` or ``x < 0``."""
    from scipy import special

    a, x = np.broadcast_arrays(np.asarray(alpha, np.float64), np.asarray(sample, np.float64))
    with np.errstate(all="ignore"):
        pdf = np.exp(-x + (a - 1) * np.log(x) - special.gammaln(a))
        out = -igamma_grad_a_values(a, x) / pdf
    out = np.where((pdf == 0) | (x == 0) | np.isposinf(x), 0.0, out)
    out = np.where((a <= 0) | (x < 0) | np.isnan(a) | np.isnan(x), np.nan, out)
    return out.astype(np.asarray(alpha).dtype)


register_op(
    "RandomGammaGrad",
    _random_gamma_grad_infer,
    kernel=_random_gamma_grad_kernel,
    grad=NOT_DIFFERENTIABLE,  # TF registers none: its tf.gradients raises LookupError
)


@undo.atomic
def random_gamma(shape, alpha, beta=None, dtype=dtypes.float32, seed=None, name=None):
    """Draws ``shape`` samples of each of the Gamma(``alpha``, rate ``beta``) distributions
    (``alpha`` and ``beta`` broadcast), built as TF builds it: ``maximum(tiny, RandomGamma /
    beta)`` (``random_gamma/Maximum``). Differentiable with respect to ``alpha`` (and
    ``beta``).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     g = tf.random_gamma([5, 3], [[1.0], [2.0]], beta=[1.0, 2.0])
    >>> g.op.name, g.shape.as_list()
    ('random_gamma/Maximum', [5, 3, 2, 2])
    """
    dtype = dtypes.as_dtype(dtype).base_dtype
    with name_scope(name, "random_gamma", [shape, alpha, beta]):
        shape_t = convert_to_tensor(shape, dtype=dtypes.int32, name="shape")
        alpha = convert_to_tensor(alpha, dtype=dtype, name="alpha")
        beta = convert_to_tensor(1 if beta is None else beta, dtype=dtype, name="beta")
        check_dtype_in("RandomGamma", "alpha", alpha, _GAMMA_DTYPES)
        alpha_broadcast = broadcast_to(
            alpha, broadcast_dynamic_shape(shape_of(alpha), shape_of(beta))
        )
        # TF's shape inference evaluates the broadcast shape while building (leaving alpha's
        # shape when beta's does not broadcast: dividing by beta then fails).
        try:
            alpha_broadcast.set_shape(broadcast_static_shape(alpha.shape, beta.shape))
        except ValueError:
            alpha_broadcast.set_shape(alpha.shape)
        attrs = _seed_attrs(seed)
        samples = apply_op("RandomGamma", [shape_t, alpha_broadcast], attrs) / beta
        tiny = np.finfo(dtype.as_numpy_dtype).tiny
        return build.maximum(tiny, samples)


# -- RandomPoissonV2 -------------------------------------------------------------------------


def _random_poisson_infer(inputs, attrs):
    shape_t, rate = inputs
    check_dtype_in("RandomPoissonV2", "rate", rate, _POISSON_DTYPES)
    return [(attrs["dtype"], _samples_shape("RandomPoissonV2", shape_t, rate))]


def _random_poisson_kernel(ctx, op, shape_v, rate):
    rate = np.asarray(rate)
    shape = tuple(int(d) for d in shape_v) + rate.shape
    stream = op_stream(ctx, op)
    start = stream.reserve(math.prod(shape))
    out = sample_grid(poisson_samples, stream.key, start, shape, rate)
    dtype = op._attrs["dtype"].as_numpy_dtype
    if np.dtype(dtype).kind == "i":
        out = np.where(np.isfinite(out), out, 0.0)
    return out.astype(dtype)


register_op(
    "RandomPoissonV2",
    _random_poisson_infer,
    kernel=_random_poisson_kernel,
    grad=NOT_DIFFERENTIABLE,  # TF registers none: its tf.gradients raises LookupError
    stateful=True,
)


@undo.atomic
def random_poisson(lam, shape, dtype=dtypes.float32, seed=None, name=None):
    """Draws ``shape`` samples of each of the Poisson(``lam``) distributions, in ``dtype``
    (float16, float32, float64, int32 or int64).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     p = tf.random_poisson([0.5, 1.5], [10])
    >>> p.op.name, p.shape.as_list()
    ('random_poisson/RandomPoissonV2', [10, 2])
    """
    dtype = dtypes.as_dtype(dtype).base_dtype
    if dtype not in _POISSON_DTYPES:
        names = ", ".join(d.name for d in _POISSON_DTYPES)
        raise TypeError(
            f"Value passed to parameter 'dtype' has DataType {dtype.name} not in list of "
            f"allowed values: {names}"
        )
    with name_scope(name, "random_poisson", [lam, shape]):
        shape_t = convert_to_tensor(shape, dtype=dtypes.int32, name="shape")
        with name_scope("RandomPoissonV2") as op_scope:
            rate = convert_to_tensor(lam, name="rate")
        attrs = {**_seed_attrs(seed), "dtype": dtype}
        return apply_op("RandomPoissonV2", [shape_t, rate], attrs, name=op_scope)


# The names ``import scopeflow as tf`` exports from this module.
__all__ = ["random_gamma", "random_poisson"]
