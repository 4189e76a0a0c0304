"""Distributions over vectors: ``Dirichlet`` (points of the simplex), ``Multinomial``
(counts of ``total_count`` draws among K classes) and ``DirichletMultinomial`` (the same,
with Dirichlet-drawn probabilities), with the Dirichlet-Dirichlet KL, as TF1 builds them.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     d = tf.distributions.Dirichlet([1.0, 2.0, 1.0])
...     print(d.event_shape, tf.Session().run(d.mean()))
(3,) [0.25 0.5  0.25]
"""

from __future__ import annotations

import numpy as np

from scopeflow.distributions import base, util
from scopeflow.distributions.gamma_family import gen_new_seed
from scopeflow.distributions.kullback_leibler import RegisterKL
from scopeflow.framework import dtypes
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.ops.array.basic import fill, identity, ones, reshape, shape
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.gather import one_hot
from scopeflow.ops.array.join import concat
from scopeflow.ops.array.shape import ones_like
from scopeflow.ops.array.transpose import transpose
from scopeflow.ops.control.assertions import assert_equal, assert_less, assert_near, assert_positive
from scopeflow.ops.control.checks import assert_rank_at_least
from scopeflow.ops.control.functional import map_fn
from scopeflow.ops.control.grouping import with_dependencies
from scopeflow.ops.math.elementwise import exp, log, rsqrt, sqrt
from scopeflow.ops.math.linalg import matrix_set_diag
from scopeflow.ops.math.matmul import matmul
from scopeflow.ops.math.reduction import reduce_all, reduce_sum
from scopeflow.ops.math.selection import where
from scopeflow.ops.math.special import digamma, lbeta, lgamma, xlogy
from scopeflow.ops.nn.basic import log_softmax
from scopeflow.ops.random.gamma import random_gamma
from scopeflow.ops.random.sampling import multinomial


class _Concentrations:
    """What Dirichlet and DirichletMultinomial share: a concentration vector per batch member
    (the event axis last) and its total, which set the batch and event shapes."""

    @property
    def concentration(self):
        return self._concentration

    @property
    def total_concentration(self):
        return self._total_concentration

    def _batch_shape_tensor(self):
        return shape(self.total_concentration)

    def _batch_shape(self):
        return self.total_concentration.shape

    def _event_shape_tensor(self):
        return shape(self.concentration)[-1:]

    def _event_shape(self):
        return self.concentration.shape.with_rank_at_least(1)[-1:]


class Dirichlet(_Concentrations, base.Distribution):
    """The Dirichlet distribution over the (K-1)-simplex, of ``concentration`` [..., K]; its
    samples (normalized gammas) are reparameterized."""

    def __init__(self, concentration, validate_args=False, allow_nan_stats=True,
                 name="Dirichlet"):  # fmt: skip
        parameters = dict(locals())
        with name_scope(name, values=[concentration]) as name:
            self._concentration = self._maybe_assert_valid_concentration(
                convert_to_tensor(concentration, name="concentration"), validate_args
            )
            self._total_concentration = reduce_sum(self._concentration, -1)
        super().__init__(
            dtype=self._concentration.dtype,
            validate_args=validate_args,
            allow_nan_stats=allow_nan_stats,
            reparameterization_type=base.FULLY_REPARAMETERIZED,
            parameters=parameters,
            graph_parents=[self._concentration, self._total_concentration],
            name=name,
        )

    def _sample_n(self, n, seed=None):
        gamma_sample = random_gamma(
            shape=[n], alpha=self.concentration, dtype=self.dtype, seed=seed
        )
        return gamma_sample / reduce_sum(gamma_sample, -1, keepdims=True)

    def _log_prob(self, x):
        return self._log_unnormalized_prob(x) - self._log_normalization()

    def _log_unnormalized_prob(self, x):
        x = self._maybe_assert_valid_sample(x)
        return reduce_sum(xlogy(self.concentration - 1.0, x), -1)

    def _log_normalization(self):
        return lbeta(self.concentration)

    def _entropy(self):
        k = cast(self.event_shape_tensor()[0], self.dtype)
        return (
            self._log_normalization()
            + (self.total_concentration - k) * digamma(self.total_concentration)
            - reduce_sum((self.concentration - 1.0) * digamma(self.concentration), axis=-1)
        )

    def _mean(self):
        return self.concentration / self.total_concentration[..., None]

    def _covariance(self):
        x = self._variance_scale_term() * self._mean()
        return matrix_set_diag(-matmul(x[..., None], x[..., None, :]), self._variance())

    def _variance(self):
        scale = self._variance_scale_term()
        x = scale * self._mean()
        return x * (scale - x)

    def _variance_scale_term(self):
        return rsqrt(1.0 + self.total_concentration[..., None])

    def _mode(self):
        k = cast(self.event_shape_tensor()[0], self.dtype)
        mode = (self.concentration - 1.0) / (self.total_concentration[..., None] - k)
        if self.allow_nan_stats:
            nan = fill(shape(mode), np.array(np.nan, self.dtype.as_numpy_dtype), name="nan")
            # TF1's where (Select): a vector condition picks rows. TF 2.21's where_v2 fails
            # for a batch of more than one distribution.
            return where(reduce_all(self.concentration > 1.0, axis=-1), mode, nan)
        message = "Mode undefined when any concentration <= 1"
        check = assert_less(ones([], self.dtype), self.concentration, message=message)
        return with_dependencies([check], mode)

    def _maybe_assert_valid_concentration(self, concentration, validate_args):
        if not validate_args:
            return concentration
        checks = [
            assert_positive(concentration, message="Concentration parameter must be positive."),
            assert_rank_at_least(
                concentration, 1, message="Concentration parameter must have >=1 dimensions."
            ),
            assert_less(
                1, shape(concentration)[-1],
                message="Concentration parameter must have event_size >= 2.",
            ),
        ]  # fmt: skip
        return with_dependencies(checks, concentration)

    def _maybe_assert_valid_sample(self, x):
        if not self.validate_args:
            return x
        checks = [
            assert_positive(x, message="samples must be positive"),
            assert_near(
                ones([], dtype=self.dtype), reduce_sum(x, -1),
                message="sample last-dimension must sum to `1`",
            ),
        ]  # fmt: skip
        return with_dependencies(checks, x)


@RegisterKL(Dirichlet, Dirichlet)
def _kl_dirichlet_dirichlet(d1, d2, name=None):
    with name_scope(name, "kl_dirichlet_dirichlet", values=[d1.concentration, d2.concentration]):
        digamma_sum_d1 = digamma(reduce_sum(d1.concentration, axis=-1, keepdims=True))
        digamma_diff = digamma(d1.concentration) - digamma_sum_d1
        concentration_diff = d1.concentration - d2.concentration
        return (
            reduce_sum(concentration_diff * digamma_diff, axis=-1)
            - lbeta(d1.concentration)
            + lbeta(d2.concentration)
        )


def log_combinations(n, counts, name="log_combinations"):
    """The log of the multinomial coefficient ``n! / prod(counts!)`` (over the last axis)."""
    with name_scope(name, values=[n, counts]):
        n = convert_to_tensor(n, name="n")
        counts = convert_to_tensor(counts, name="counts")
        total_permutations = lgamma(n + 1)
        counts_factorial = lgamma(counts + 1)
        redundant_permutations = reduce_sum(counts_factorial, axis=[-1])
        return total_permutations - redundant_permutations


class Multinomial(base.Distribution):
    """Counts of ``total_count`` draws among K classes of probabilities ``probs``
    (``softmax(logits)``) along the last axis; counts are floats of the probabilities' dtype.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     d = tf.distributions.Multinomial(total_count=4.0, probs=[0.5, 0.5])
    ...     print(tf.Session().run(d.prob([2.0, 2.0])))
    0.375
    """

    def __init__(self, total_count, logits=None, probs=None, validate_args=False,
                 allow_nan_stats=True, name="Multinomial"):  # fmt: skip
        parameters = dict(locals())
        with name_scope(name, values=[total_count, logits, probs]) as name:
            self._total_count = convert_to_tensor(total_count, name="total_count")
            if validate_args:
                self._total_count = util.embed_check_nonnegative_integer_form(self._total_count)
            self._logits, self._probs = util.get_logits_and_probs(
                logits=logits,
                probs=probs,
                multidimensional=True,
                validate_args=validate_args,
                name=name,
            )
            self._mean_val = self._total_count[..., None] * self._probs
        super().__init__(
            dtype=self._probs.dtype,
            reparameterization_type=base.NOT_REPARAMETERIZED,
            validate_args=validate_args,
            allow_nan_stats=allow_nan_stats,
            parameters=parameters,
            graph_parents=[self._total_count, self._logits, self._probs],
            name=name,
        )

    @property
    def total_count(self):
        return self._total_count

    @property
    def logits(self):
        return self._logits

    @property
    def probs(self):
        return self._probs

    def _batch_shape_tensor(self):
        return shape(self._mean_val)[:-1]

    def _batch_shape(self):
        return self._mean_val.shape.with_rank_at_least(1)[:-1]

    def _event_shape_tensor(self):
        return shape(self._mean_val)[-1:]

    def _event_shape(self):
        return self._mean_val.shape.with_rank_at_least(1)[-1:]

    def _sample_n(self, n, seed=None):
        n_draws = cast(self.total_count, dtype=dtypes.int32)
        k = self.event_shape_tensor()[0]
        n_draws = ones_like(self.logits[..., 0], dtype=n_draws.dtype) * n_draws
        logits = ones_like(n_draws[..., None], dtype=self.logits.dtype) * self.logits
        flat_logits = reshape(logits, [-1, k])
        flat_ndraws = n * reshape(n_draws, [-1])

        def _sample_single(args):
            logits, n_draw = args[0], args[1]
            x = multinomial(logits[None, ...], n_draw, seed)
            x = reshape(x, shape=[n, -1])
            return reduce_sum(one_hot(x, depth=k), axis=-2)

        x = map_fn(_sample_single, [flat_logits, flat_ndraws], dtype=self.dtype)
        x = transpose(x, perm=[1, 0, 2])
        final_shape = concat([[n], self.batch_shape_tensor(), [k]], 0)
        return reshape(x, final_shape)

    def _log_prob(self, counts):
        return self._log_unnormalized_prob(counts) - self._log_normalization(counts)

    def _log_unnormalized_prob(self, counts):
        counts = self._maybe_assert_valid_sample(counts)
        return reduce_sum(counts * log_softmax(self.logits), -1)

    def _log_normalization(self, counts):
        counts = self._maybe_assert_valid_sample(counts)
        return -log_combinations(self.total_count, counts)

    def _mean(self):
        return identity(self._mean_val)

    def _covariance(self):
        p = self.probs * ones_like(self.total_count)[..., None]
        outer = -matmul(self._mean_val[..., None], p[..., None, :])
        return matrix_set_diag(outer, self._variance())

    def _variance(self):
        p = self.probs * ones_like(self.total_count)[..., None]
        return self._mean_val - self._mean_val * p

    def _maybe_assert_valid_sample(self, counts):
        if not self.validate_args:
            return counts
        counts = util.embed_check_nonnegative_integer_form(counts)
        message = "counts must sum to `self.total_count`"
        check = assert_equal(self.total_count, reduce_sum(counts, -1), message=message)
        return with_dependencies([check], counts)


class DirichletMultinomial(_Concentrations, base.Distribution):
    """Counts of ``total_count`` draws among K classes whose probabilities are themselves
    drawn from a ``Dirichlet(concentration)``; counts are floats of the concentration's dtype.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     d = tf.distributions.DirichletMultinomial(2.0, [1.0, 1.0])
    ...     print(tf.Session().run(d.prob([1.0, 1.0])).round(4))
    0.3333
    """

    def __init__(self, total_count, concentration, validate_args=False, allow_nan_stats=True,
                 name="DirichletMultinomial"):  # fmt: skip
        parameters = dict(locals())
        with name_scope(name, values=[total_count, concentration]) as name:
            self._total_count = convert_to_tensor(total_count, name="total_count")
            if validate_args:
                self._total_count = util.embed_check_nonnegative_integer_form(self._total_count)
            self._concentration = self._maybe_assert_valid_concentration(
                convert_to_tensor(concentration, name="concentration"), validate_args
            )
            self._total_concentration = reduce_sum(self._concentration, -1)
        super().__init__(
            dtype=self._concentration.dtype,
            validate_args=validate_args,
            allow_nan_stats=allow_nan_stats,
            reparameterization_type=base.NOT_REPARAMETERIZED,
            parameters=parameters,
            graph_parents=[self._total_count, self._concentration],
            name=name,
        )

    @property
    def total_count(self):
        return self._total_count

    def _sample_n(self, n, seed=None):
        n_draws = cast(self.total_count, dtype=dtypes.int32)
        k = self.event_shape_tensor()[0]
        gammas = random_gamma(shape=[n], alpha=self.concentration, dtype=self.dtype, seed=seed)
        unnormalized_logits = reshape(log(gammas), shape=[-1, k])
        draws = multinomial(
            logits=unnormalized_logits,
            num_samples=n_draws,
            seed=gen_new_seed(seed, salt="dirichlet_multinomial"),
        )
        x = reduce_sum(one_hot(draws, depth=k), -2)
        final_shape = concat([[n], self.batch_shape_tensor(), [k]], 0)
        return cast(reshape(x, final_shape), self.dtype)

    def _log_prob(self, counts):
        counts = self._maybe_assert_valid_sample(counts)
        ordered_prob = lbeta(self.concentration + counts) - lbeta(self.concentration)
        return ordered_prob + log_combinations(self.total_count, counts)

    def _prob(self, counts):
        return exp(self._log_prob(counts))

    def _mean(self):
        return self.total_count * (self.concentration / self.total_concentration[..., None])

    def _covariance(self):
        x = self._variance_scale_term() * self._mean()
        return matrix_set_diag(-matmul(x[..., None], x[..., None, :]), self._variance())

    def _variance(self):
        scale = self._variance_scale_term()
        x = scale * self._mean()
        return x * (self.total_count * scale - x)

    def _variance_scale_term(self):
        c0 = self.total_concentration[..., None]
        return sqrt((1.0 + c0 / self.total_count) / (1.0 + c0))

    def _maybe_assert_valid_concentration(self, concentration, validate_args):
        if not validate_args:
            return concentration
        concentration = util.embed_check_categorical_event_shape(concentration)
        message = "Concentration parameter must be positive."
        return with_dependencies([assert_positive(concentration, message=message)], concentration)

    def _maybe_assert_valid_sample(self, counts):
        if not self.validate_args:
            return counts
        counts = util.embed_check_nonnegative_integer_form(counts)
        message = "counts last-dimension must sum to `self.total_count`"
        check = assert_equal(self.total_count, reduce_sum(counts, -1), message=message)
        return with_dependencies([check], counts)
