"""Distributions built on the gamma function: ``Gamma``, ``Exponential`` (a ``Gamma`` of
concentration 1), ``Beta`` and ``StudentT``, with the KL divergences TF1 registers
(Gamma-Gamma, which ``Exponential`` inherits, and Beta-Beta), as TF1 builds them.

Undefined statistics (a ``Gamma``'s mode for concentration <= 1, a ``StudentT``'s mean for
df <= 1...) are NaN, or with ``allow_nan_stats=False`` a check that fails when run.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     d = tf.distributions.Gamma(concentration=3.0, rate=2.0)
...     print(tf.Session().run(tf.stack([d.mean(), d.variance()])))
[1.5  0.75]
"""

from __future__ import annotations

import hashlib

import numpy as np

from scopeflow.distributions import base
from scopeflow.distributions.kullback_leibler import RegisterKL
from scopeflow.framework import dtypes, tensor_shape
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import control_dependencies, name_scope
from scopeflow.ops.array.basic import fill, identity, ones, shape
from scopeflow.ops.array.join import concat
from scopeflow.ops.array.shape import ones_like
from scopeflow.ops.control.assertions import assert_less, assert_positive
from scopeflow.ops.control.checks import assert_same_float_dtype
from scopeflow.ops.control.grouping import with_dependencies
from scopeflow.ops.math.broadcasting import broadcast_dynamic_shape, broadcast_static_shape
from scopeflow.ops.math.elementwise import (
    abs,  # noqa: A004 - TF's name
    exp,
    greater,
    less,
    log,
    log1p,
    logical_and,
    rsqrt,
    sqrt,
    square,
)
from scopeflow.ops.math.selection import where_v2
from scopeflow.ops.math.special import betainc, digamma, igamma, lbeta, lgamma, xlogy
from scopeflow.ops.random.gamma import random_gamma
from scopeflow.ops.random.sampling import random_normal, random_uniform


def gen_new_seed(seed, salt: str):
    """A second seed from ``seed`` and ``salt`` (TF1's, so both draw as TF's would)."""
    if seed is None:
        return None
    return int(hashlib.md5((str(seed) + salt).encode("utf-8")).hexdigest()[:8], 16) & 0x7FFFFFFF


def _nan(dist, dims, name="nan"):
    return fill(dims, np.array(np.nan, dtype=dist.dtype.as_numpy_dtype), name=name)


class Gamma(base.Distribution):
    """The gamma distribution of shape ``concentration`` and inverse scale ``rate``; its
    samples are reparameterized (``tf.random_gamma``'s implicit gradient)."""

    def __init__(self, concentration, rate, validate_args=False, allow_nan_stats=True,
                 name="Gamma"):  # fmt: skip
        parameters = dict(locals())
        with name_scope(name, values=[concentration, rate]) as name:
            checks = (
                [assert_positive(concentration), assert_positive(rate)] if validate_args else []
            )
            with control_dependencies(checks):
                self._concentration = identity(concentration, name="concentration")
                self._rate = identity(rate, name="rate")
                assert_same_float_dtype([self._concentration, self._rate])
        super().__init__(
            dtype=self._concentration.dtype,
            validate_args=validate_args,
            allow_nan_stats=allow_nan_stats,
            reparameterization_type=base.FULLY_REPARAMETERIZED,
            parameters=parameters,
            graph_parents=[self._concentration, self._rate],
            name=name,
        )

    @staticmethod
    def _param_shapes(sample_shape):
        return dict.fromkeys(
            ("concentration", "rate"), convert_to_tensor(sample_shape, dtype=dtypes.int32)
        )

    @property
    def concentration(self):
        return self._concentration

    @property
    def rate(self):
        return self._rate

    def _batch_shape_tensor(self):
        return broadcast_dynamic_shape(shape(self.concentration), shape(self.rate))

    def _batch_shape(self):
        return broadcast_static_shape(self.concentration.shape, self.rate.shape)

    def _event_shape_tensor(self):
        return constant([], dtype=dtypes.int32)

    def _event_shape(self):
        return tensor_shape.TensorShape([])

    def _sample_n(self, n, seed=None):
        return random_gamma(
            shape=[n], alpha=self.concentration, beta=self.rate, dtype=self.dtype, seed=seed
        )

    def _log_prob(self, x):
        return self._log_unnormalized_prob(x) - self._log_normalization()

    def _cdf(self, x):
        x = self._maybe_assert_valid_sample(x)
        return igamma(self.concentration, self.rate * x)

    def _log_unnormalized_prob(self, x):
        x = self._maybe_assert_valid_sample(x)
        return xlogy(self.concentration - 1.0, x) - self.rate * x

    def _log_normalization(self):
        return lgamma(self.concentration) - self.concentration * log(self.rate)

    def _entropy(self):
        return (
            self.concentration
            - log(self.rate)
            + lgamma(self.concentration)
            + (1.0 - self.concentration) * digamma(self.concentration)
        )

    def _mean(self):
        return self.concentration / self.rate

    def _variance(self):
        return self.concentration / square(self.rate)

    def _stddev(self):
        return sqrt(self.concentration) / self.rate

    def _mode(self):
        mode = (self.concentration - 1.0) / self.rate
        if self.allow_nan_stats:
            nan = _nan(self, self.batch_shape_tensor())
            return where_v2(self.concentration > 1.0, mode, nan)
        message = "mode not defined when any concentration <= 1"
        check = assert_less(ones([], self.dtype), self.concentration, message=message)
        return with_dependencies([check], mode)

    def _maybe_assert_valid_sample(self, x):
        assert_same_float_dtype(tensors=[x], dtype=self.dtype)
        if not self.validate_args:
            return x
        return with_dependencies([assert_positive(x)], x)


@RegisterKL(Gamma, Gamma)
def _kl_gamma_gamma(g0, g1, name=None):
    values = [g0.concentration, g0.rate, g1.concentration, g1.rate]
    with name_scope(name, "kl_gamma_gamma", values=values):
        return (
            (g0.concentration - g1.concentration) * digamma(g0.concentration)
            + lgamma(g1.concentration)
            - lgamma(g0.concentration)
            + g1.concentration * log(g0.rate)
            - g1.concentration * log(g1.rate)
            + g0.concentration * (g1.rate / g0.rate - 1.0)
        )


class Exponential(Gamma):
    """The exponential distribution of ``rate``: a ``Gamma`` of concentration 1.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     d = tf.distributions.Exponential(rate=2.0)
    ...     print(tf.Session().run(tf.stack([d.mean(), d.prob(0.0)])))
    [0.5 2. ]
    """

    def __init__(self, rate, validate_args=False, allow_nan_stats=True, name="Exponential"):
        parameters = dict(locals())
        with name_scope(name, values=[rate]) as name:
            self._rate = convert_to_tensor(rate, name="rate")
        super().__init__(
            concentration=ones([], dtype=self._rate.dtype),
            rate=self._rate,
            allow_nan_stats=allow_nan_stats,
            validate_args=validate_args,
            name=name,
        )
        self._parameters = base.parameters_of(parameters)
        self._graph_parents += [self._rate]

    @staticmethod
    def _param_shapes(sample_shape):
        return dict.fromkeys(("rate",), convert_to_tensor(sample_shape, dtype=dtypes.int32))

    @property
    def rate(self):
        return self._rate

    def _log_survival_function(self, value):
        return self._log_prob(value) - log(self._rate)

    def _sample_n(self, n, seed=None):
        sample_shape = concat([[n], shape(self._rate)], 0)
        sampled = random_uniform(
            sample_shape,
            minval=np.finfo(self.dtype.as_numpy_dtype).tiny,
            maxval=1.0,
            seed=seed,
            dtype=self.dtype,
        )
        return -log(sampled) / self._rate


class Beta(base.Distribution):
    """The beta distribution on (0, 1), density proportional to
    ``x**(concentration1 - 1) * (1 - x)**(concentration0 - 1)``."""

    def __init__(self, concentration1=None, concentration0=None, validate_args=False,
                 allow_nan_stats=True, name="Beta"):  # fmt: skip
        parameters = dict(locals())
        with name_scope(name, values=[concentration1, concentration0]) as name:
            self._concentration1 = self._maybe_assert_valid_concentration(
                convert_to_tensor(concentration1, name="concentration1"), validate_args
            )
            self._concentration0 = self._maybe_assert_valid_concentration(
                convert_to_tensor(concentration0, name="concentration0"), validate_args
            )
            assert_same_float_dtype([self._concentration1, self._concentration0])
            self._total_concentration = self._concentration1 + self._concentration0
        super().__init__(
            dtype=self._total_concentration.dtype,
            validate_args=validate_args,
            allow_nan_stats=allow_nan_stats,
            reparameterization_type=base.FULLY_REPARAMETERIZED,
            parameters=parameters,
            graph_parents=[self._concentration1, self._concentration0, self._total_concentration],
            name=name,
        )

    @staticmethod
    def _param_shapes(sample_shape):
        return dict.fromkeys(
            ("concentration1", "concentration0"),
            convert_to_tensor(sample_shape, dtype=dtypes.int32),
        )

    @property
    def concentration1(self):
        return self._concentration1

    @property
    def concentration0(self):
        return self._concentration0

    @property
    def total_concentration(self):
        return self._total_concentration

    def _batch_shape_tensor(self):
        return shape(self.total_concentration)

    def _batch_shape(self):
        return self.total_concentration.shape

    def _event_shape_tensor(self):
        return constant([], dtype=dtypes.int32)

    def _event_shape(self):
        return tensor_shape.TensorShape([])

    def _sample_n(self, n, seed=None):
        ones_ = ones_like(self.total_concentration, dtype=self.dtype)
        expanded_concentration1 = ones_ * self.concentration1
        expanded_concentration0 = ones_like(self.total_concentration, dtype=self.dtype) * (
            self.concentration0
        )
        gamma1_sample = random_gamma(
            shape=[n], alpha=expanded_concentration1, dtype=self.dtype, seed=seed
        )
        gamma2_sample = random_gamma(
            shape=[n],
            alpha=expanded_concentration0,
            dtype=self.dtype,
            seed=gen_new_seed(seed, "beta"),
        )
        return gamma1_sample / (gamma1_sample + gamma2_sample)

    def _log_prob(self, x):
        return self._log_unnormalized_prob(x) - self._log_normalization()

    def _prob(self, x):
        return exp(self._log_prob(x))

    def _log_cdf(self, x):
        return log(self._cdf(x))

    def _cdf(self, x):
        return betainc(self.concentration1, self.concentration0, x)

    def _log_unnormalized_prob(self, x):
        x = self._maybe_assert_valid_sample(x)
        return xlogy(self.concentration1 - 1.0, x) + (self.concentration0 - 1.0) * log1p(-x)

    def _log_normalization(self):
        return (
            lgamma(self.concentration1)
            + lgamma(self.concentration0)
            - lgamma(self.total_concentration)
        )

    def _entropy(self):
        return (
            self._log_normalization()
            - (self.concentration1 - 1.0) * digamma(self.concentration1)
            - (self.concentration0 - 1.0) * digamma(self.concentration0)
            + (self.total_concentration - 2.0) * digamma(self.total_concentration)
        )

    def _mean(self):
        return self._concentration1 / self._total_concentration

    def _variance(self):
        return self._mean() * (1.0 - self._mean()) / (1.0 + self.total_concentration)

    def _mode(self):
        mode = (self.concentration1 - 1.0) / (self.total_concentration - 2.0)
        if self.allow_nan_stats:
            nan = _nan(self, self.batch_shape_tensor())
            is_defined = logical_and(self.concentration1 > 1.0, self.concentration0 > 1.0)
            return where_v2(is_defined, mode, nan)
        one = ones([], dtype=self.dtype)
        message1 = "Mode undefined for concentration1 <= 1."
        message0 = "Mode undefined for concentration0 <= 1."
        checks = [
            assert_less(one, self.concentration1, message=message1),
            assert_less(ones([], dtype=self.dtype), self.concentration0, message=message0),
        ]
        return with_dependencies(checks, mode)

    def _maybe_assert_valid_concentration(self, concentration, validate_args):
        if not validate_args:
            return concentration
        message = "Concentration parameter must be positive."
        return with_dependencies([assert_positive(concentration, message=message)], concentration)

    def _maybe_assert_valid_sample(self, x):
        if not self.validate_args:
            return x
        checks = [
            assert_positive(x, message="sample must be positive"),
            assert_less(x, ones([], self.dtype), message="sample must be less than `1`."),
        ]
        return with_dependencies(checks, x)


@RegisterKL(Beta, Beta)
def _kl_beta_beta(d1, d2, name=None):
    def delta(attr, is_property=True):
        fn1, fn2 = getattr(d1, attr), getattr(d2, attr)
        return fn2 - fn1 if is_property else fn2() - fn1()

    values = [d1.concentration1, d1.concentration0, d1.total_concentration]
    values += [d2.concentration1, d2.concentration0, d2.total_concentration]
    with name_scope(name, "kl_beta_beta", values=values):
        return (
            delta("_log_normalization", is_property=False)
            - digamma(d1.concentration1) * delta("concentration1")
            - digamma(d1.concentration0) * delta("concentration0")
            + digamma(d1.total_concentration) * delta("total_concentration")
        )


class StudentT(base.Distribution):
    """Student's t distribution with ``df`` degrees of freedom, location ``loc`` and scale
    ``scale``; samples are a normal over the root of a gamma (reparameterized)."""

    def __init__(self, df, loc, scale, validate_args=False, allow_nan_stats=True,
                 name="StudentT"):  # fmt: skip
        parameters = dict(locals())
        with name_scope(name, values=[df, loc, scale]) as name:
            with control_dependencies([assert_positive(df)] if validate_args else []):
                self._df = identity(df, name="df")
                self._loc = identity(loc, name="loc")
                self._scale = identity(scale, name="scale")
                assert_same_float_dtype((self._df, self._loc, self._scale))
        super().__init__(
            dtype=self._scale.dtype,
            reparameterization_type=base.FULLY_REPARAMETERIZED,
            validate_args=validate_args,
            allow_nan_stats=allow_nan_stats,
            parameters=parameters,
            graph_parents=[self._df, self._loc, self._scale],
            name=name,
        )

    @staticmethod
    def _param_shapes(sample_shape):
        return dict.fromkeys(
            ("df", "loc", "scale"), convert_to_tensor(sample_shape, dtype=dtypes.int32)
        )

    @property
    def df(self):
        return self._df

    @property
    def loc(self):
        return self._loc

    @property
    def scale(self):
        return self._scale

    def _batch_shape_tensor(self):
        loc_scale = broadcast_dynamic_shape(shape(self.loc), shape(self.scale))
        return broadcast_dynamic_shape(shape(self.df), loc_scale)

    def _batch_shape(self):
        df_loc = broadcast_static_shape(self.df.shape, self.loc.shape)
        return broadcast_static_shape(df_loc, self.scale.shape)

    def _event_shape_tensor(self):
        return constant([], dtype=dtypes.int32)

    def _event_shape(self):
        return tensor_shape.TensorShape([])

    def _sample_n(self, n, seed=None):
        sample_shape = concat([[n], self.batch_shape_tensor()], 0)
        normal_sample = random_normal(sample_shape, dtype=self.dtype, seed=seed)
        df = self.df * ones(self.batch_shape_tensor(), dtype=self.dtype)
        gamma_sample = random_gamma(
            [n], 0.5 * df, beta=0.5, dtype=self.dtype, seed=gen_new_seed(seed, salt="student_t")
        )
        samples = normal_sample * rsqrt(gamma_sample / df)
        return samples * self.scale + self.loc

    def _log_prob(self, x):
        return self._log_unnormalized_prob(x) - self._log_normalization()

    def _log_unnormalized_prob(self, x):
        y = (x - self.loc) / self.scale
        return -0.5 * (self.df + 1.0) * log1p(y**2.0 / self.df)

    def _log_normalization(self):
        return (
            log(abs(self.scale))
            + 0.5 * log(self.df)
            + 0.5 * np.log(np.pi)
            + lgamma(0.5 * self.df)
            - lgamma(0.5 * (self.df + 1.0))
        )

    def _cdf(self, x):
        y = (x - self.loc) / abs(self.scale)
        x_t = self.df / (y**2.0 + self.df)
        neg_cdf = 0.5 * betainc(0.5 * self.df, 0.5, x_t)
        return where_v2(less(y, 0.0), neg_cdf, 1.0 - neg_cdf)

    def _entropy(self):
        v = ones(self.batch_shape_tensor(), dtype=self.dtype)[..., None]
        u = v * self.df[..., None]
        beta_arg = concat([u, v], -1) / 2.0
        return (
            log(abs(self.scale))
            + 0.5 * log(self.df)
            + lbeta(beta_arg)
            + 0.5 * (self.df + 1.0) * (digamma(0.5 * (self.df + 1.0)) - digamma(0.5 * self.df))
        )

    def _mean(self):
        mean = self.loc * ones(self.batch_shape_tensor(), dtype=self.dtype)
        if self.allow_nan_stats:
            defined = greater(self.df, ones(self.batch_shape_tensor(), dtype=self.dtype))
            return where_v2(defined, mean, _nan(self, self.batch_shape_tensor()))
        message = "mean not defined for components of df <= 1"
        check = assert_less(ones([], dtype=self.dtype), self.df, message=message)
        return with_dependencies([check], mean)

    def _variance(self):
        denom = where_v2(greater(self.df, 2.0), self.df - 2.0, ones_like(self.df))
        var = (
            ones(self.batch_shape_tensor(), dtype=self.dtype) * square(self.scale) * self.df / denom
        )
        inf = np.array(np.inf, dtype=self.dtype.as_numpy_dtype)
        result_where_defined = where_v2(
            self.df > fill(self.batch_shape_tensor(), 2.0),
            var,
            fill(self.batch_shape_tensor(), inf, name="inf"),
        )
        if self.allow_nan_stats:
            defined = greater(self.df, ones(self.batch_shape_tensor(), dtype=self.dtype))
            return where_v2(defined, result_where_defined, _nan(self, self.batch_shape_tensor()))
        message = "variance not defined for components of df <= 1"
        check = assert_less(ones([], dtype=self.dtype), self.df, message=message)
        return with_dependencies([check], result_where_defined)

    def _mode(self):
        return identity(self.loc)
