"""Location-scale distributions over the reals: ``Normal``, ``Laplace``, ``Uniform``, and the
KL divergence of two ``Normal`` distributions, with TF1's ops and names.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     d = tf.distributions.Normal(loc=[0.0, 1.0], scale=2.0)
...     print(tf.Session().run(d.mean()), d.batch_shape)
[0. 1.] (2,)
"""

from __future__ import annotations

import math

import numpy as np

from scopeflow.distributions import base, special_math
from scopeflow.distributions.kullback_leibler import RegisterKL
from scopeflow.framework import dtypes, tensor_shape
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import control_dependencies, name_scope
from scopeflow.ops.array.basic import identity, ones, shape, zeros
from scopeflow.ops.array.join import concat
from scopeflow.ops.array.shape import ones_like, zeros_like
from scopeflow.ops.control.assertions import assert_less, assert_positive
from scopeflow.ops.control.checks import assert_same_float_dtype
from scopeflow.ops.math.broadcasting import broadcast_dynamic_shape, broadcast_static_shape
from scopeflow.ops.math.elementwise import (
    abs,  # noqa: A004 - TF's name
    exp,
    is_nan,
    log,
    log1p,
    logical_or,
    sign,
    square,
    squared_difference,
)
from scopeflow.ops.math.selection import where_v2
from scopeflow.ops.math.special import ndtri
from scopeflow.ops.random.sampling import random_normal, random_uniform


class _LocationScale(base.Distribution):
    """A scalar distribution of two parameters, made as TF1 makes them: each an ``Identity``
    named after it inside the distribution's scope, after an optional run-time check."""

    _PARAMS = ("loc", "scale")
    _DTYPE_OF = 0  # the parameter whose dtype is the samples'

    def _init(self, a, b, check, validate_args, allow_nan_stats, reparameterized, parameters,
              name):  # fmt: skip
        first, second = self._PARAMS
        with name_scope(name, values=[a, b]) as name:
            with control_dependencies([check(a, b)] if validate_args else []):
                self._a = identity(a, name=first)
                self._b = identity(b, name=second)
                assert_same_float_dtype([self._a, self._b])
            super().__init__(
                dtype=(self._a, self._b)[self._DTYPE_OF].dtype,
                reparameterization_type=reparameterized,
                validate_args=validate_args,
                allow_nan_stats=allow_nan_stats,
                parameters=parameters,
                graph_parents=[self._a, self._b],
                name=name,
            )

    @classmethod
    def _param_shapes(cls, sample_shape):
        return dict.fromkeys(cls._PARAMS, convert_to_tensor(sample_shape, dtype=dtypes.int32))

    def _batch_shape_tensor(self):
        return broadcast_dynamic_shape(shape(self._a), shape(self._b))

    def _batch_shape(self):
        return broadcast_static_shape(self._a.shape, self._b.shape)

    def _event_shape_tensor(self):
        return constant([], dtype=dtypes.int32)

    def _event_shape(self):
        return tensor_shape.TensorShape([])

    def _sample_shape(self, n):
        return concat([[n], self.batch_shape_tensor()], 0)


class Normal(_LocationScale):
    """The normal (Gaussian) distribution with mean ``loc`` and standard deviation ``scale``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     d = tf.distributions.Normal(loc=0.0, scale=1.0)
    ...     print(round(float(tf.Session().run(d.log_prob(0.0))), 6))
    -0.918939
    """

    _DTYPE_OF = 1

    def __init__(self, loc, scale, validate_args=False, allow_nan_stats=True, name="Normal"):
        parameters = dict(locals())
        self._init(loc, scale, lambda a, b: assert_positive(b), validate_args, allow_nan_stats,
                   base.FULLY_REPARAMETERIZED, parameters, name)  # fmt: skip

    @property
    def loc(self):
        return self._a

    @property
    def scale(self):
        return self._b

    def _sample_n(self, n, seed=None):
        sampled = random_normal(
            shape=self._sample_shape(n), mean=0.0, stddev=1.0, dtype=self.loc.dtype, seed=seed
        )
        return sampled * self.scale + self.loc

    def _log_prob(self, x):
        return self._log_unnormalized_prob(x) - self._log_normalization()

    def _log_cdf(self, x):
        return special_math.log_ndtr(self._z(x))

    def _cdf(self, x):
        return special_math.ndtr(self._z(x))

    def _log_survival_function(self, x):
        return special_math.log_ndtr(-self._z(x))

    def _survival_function(self, x):
        return special_math.ndtr(-self._z(x))

    def _log_unnormalized_prob(self, x):
        return -0.5 * square(self._z(x))

    def _log_normalization(self):
        return 0.5 * math.log(2.0 * math.pi) + log(self.scale)

    def _entropy(self):
        scale = self.scale * ones_like(self.loc)
        return 0.5 * math.log(2.0 * math.pi * math.e) + log(scale)

    def _mean(self):
        return self.loc * ones_like(self.scale)

    def _stddev(self):
        return self.scale * ones_like(self.loc)

    def _mode(self):
        return self._mean()

    def _quantile(self, p):
        return self._inv_z(ndtri(p))

    def _z(self, x):
        with name_scope("standardize", values=[x]):
            return (x - self.loc) / self.scale

    def _inv_z(self, z):
        with name_scope("reconstruct", values=[z]):
            return z * self.scale + self.loc


@RegisterKL(Normal, Normal)
def _kl_normal_normal(n_a, n_b, name=None):
    with name_scope(name, "kl_normal_normal", [n_a.loc, n_b.loc]):
        one = constant(1, dtype=n_a.dtype)
        two = constant(2, dtype=n_a.dtype)
        half = constant(0.5, dtype=n_a.dtype)
        s_a_squared = square(n_a.scale)
        s_b_squared = square(n_b.scale)
        ratio = s_a_squared / s_b_squared
        return squared_difference(n_a.loc, n_b.loc) / (two * s_b_squared) + half * (
            ratio - one - log(ratio)
        )


class Laplace(_LocationScale):
    """The Laplace distribution: density ``exp(-|x - loc| / scale) / (2 scale)``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     d = tf.distributions.Laplace(loc=0.0, scale=1.0)
    ...     print(tf.Session().run(d.cdf(0.0)))
    0.5
    """

    def __init__(self, loc, scale, validate_args=False, allow_nan_stats=True, name="Laplace"):
        parameters = dict(locals())
        self._init(loc, scale, lambda a, b: assert_positive(b), validate_args, allow_nan_stats,
                   base.FULLY_REPARAMETERIZED, parameters, name)  # fmt: skip

    @property
    def loc(self):
        return self._a

    @property
    def scale(self):
        return self._b

    def _sample_n(self, n, seed=None):
        np_dtype = self.dtype.as_numpy_dtype
        minval = np.nextafter(np_dtype(-1.0), np_dtype(0.0))
        uniform_samples = random_uniform(
            shape=self._sample_shape(n), minval=minval, maxval=1.0, dtype=self.dtype, seed=seed
        )
        return self.loc - self.scale * sign(uniform_samples) * log1p(-abs(uniform_samples))

    def _log_prob(self, x):
        return self._log_unnormalized_prob(x) - self._log_normalization()

    def _prob(self, x):
        return exp(self._log_prob(x))

    def _log_cdf(self, x):
        return special_math.log_cdf_laplace(self._z(x))

    def _log_survival_function(self, x):
        return special_math.log_cdf_laplace(-self._z(x))

    def _cdf(self, x):
        z = self._z(x)
        return 0.5 + 0.5 * sign(z) * (1.0 - exp(-abs(z)))

    def _log_unnormalized_prob(self, x):
        return -abs(self._z(x))

    def _log_normalization(self):
        return math.log(2.0) + log(self.scale)

    def _entropy(self):
        scale = self.scale + zeros_like(self.loc)
        return math.log(2.0) + 1.0 + log(scale)

    def _mean(self):
        return self.loc + zeros_like(self.scale)

    def _stddev(self):
        return math.sqrt(2.0) * self.scale + zeros_like(self.loc)

    def _mode(self):
        return self._mean()

    def _z(self, x):
        return (x - self.loc) / self.scale


class Uniform(_LocationScale):
    """The uniform distribution on ``[low, high)``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     d = tf.distributions.Uniform(low=0.0, high=4.0)
    ...     print(tf.Session().run(tf.stack([d.prob(1.0), d.mean()])))
    [0.25 2.  ]
    """

    _PARAMS = ("low", "high")

    def __init__(self, low=0.0, high=1.0, validate_args=False, allow_nan_stats=True,
                 name="Uniform"):  # fmt: skip
        parameters = dict(locals())
        check = lambda a, b: assert_less(a, b, message="uniform not defined when low >= high.")  # noqa: E731
        self._init(low, high, check, validate_args, allow_nan_stats, base.FULLY_REPARAMETERIZED,
                   parameters, name)  # fmt: skip

    @property
    def low(self):
        return self._a

    @property
    def high(self):
        return self._b

    def range(self, name="range"):
        """``high - low``."""
        with self._name_scope(name):
            return self.high - self.low

    def _sample_n(self, n, seed=None):
        samples = random_uniform(shape=self._sample_shape(n), dtype=self.dtype, seed=seed)
        return self.low + self.range() * samples

    def _prob(self, x):
        x = x * ones(self.batch_shape_tensor(), dtype=x.dtype)
        return where_v2(
            is_nan(x),
            x,
            where_v2(
                logical_or(x < self.low, x >= self.high),
                zeros_like(x),
                ones_like(x) / self.range(),
            ),
        )

    def _cdf(self, x):
        broadcast_shape = broadcast_dynamic_shape(shape(x), self.batch_shape_tensor())
        zeros_ = zeros(broadcast_shape, dtype=self.dtype)
        ones_ = ones(broadcast_shape, dtype=self.dtype)
        broadcasted_x = x * ones_
        result_if_not_big = where_v2(
            x < self.low, zeros_, (broadcasted_x - self.low) / self.range()
        )
        return where_v2(x >= self.high, ones_, result_if_not_big)

    def _entropy(self):
        return log(self.range())

    def _mean(self):
        return (self.low + self.high) / 2.0

    def _variance(self):
        return square(self.range()) / 12.0

    def _stddev(self):
        return self.range() / math.sqrt(12.0)
