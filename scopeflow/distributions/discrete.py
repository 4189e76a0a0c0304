"""Distributions over classes: ``Bernoulli`` (0 or 1) and ``Categorical`` (one of K), from
logits or probabilities, with their KL divergences, as TF1 builds them.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     d = tf.distributions.Categorical(probs=[0.5, 0.25, 0.25])
...     print(tf.Session().run(d.log_prob(0)).round(4))
-0.6931
"""

from __future__ import annotations

from scopeflow.distributions import base, util
from scopeflow.distributions.kullback_leibler import RegisterKL
from scopeflow.framework import dtypes, tensor_shape
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.ops.array.basic import identity, ones, reshape, shape
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.join import concat
from scopeflow.ops.array.shape import ones_like, rank, zeros_like
from scopeflow.ops.array.transpose import transpose
from scopeflow.ops.math.elementwise import less, sigmoid
from scopeflow.ops.math.reduction import argmax, reduce_sum
from scopeflow.ops.math.selection import where
from scopeflow.ops.math.sequence import sequence_mask
from scopeflow.ops.nn.activation import softplus
from scopeflow.ops.nn.basic import log_softmax, softmax
from scopeflow.ops.nn.cross_entropy import (
    sigmoid_cross_entropy_with_logits,
    sparse_softmax_cross_entropy_with_logits,
)
from scopeflow.ops.random.sampling import multinomial, random_uniform


class Bernoulli(base.Distribution):
    """1 with probability ``probs`` (``sigmoid(logits)``), else 0; samples of ``dtype``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     d = tf.distributions.Bernoulli(logits=0.0)
    ...     print(tf.Session().run(tf.stack([d.prob(1), d.entropy()])))
    [0.5       0.6931472]
    """

    def __init__(self, logits=None, probs=None, dtype=dtypes.int32, validate_args=False,
                 allow_nan_stats=True, name="Bernoulli"):  # fmt: skip
        parameters = dict(locals())
        with name_scope(name) as name:
            self._logits, self._probs = util.get_logits_and_probs(
                logits=logits, probs=probs, validate_args=validate_args, name=name
            )
        super().__init__(
            dtype=dtype,
            reparameterization_type=base.NOT_REPARAMETERIZED,
            validate_args=validate_args,
            allow_nan_stats=allow_nan_stats,
            parameters=parameters,
            graph_parents=[self._logits, self._probs],
            name=name,
        )

    @staticmethod
    def _param_shapes(sample_shape):
        return dict.fromkeys(("logits",), convert_to_tensor(sample_shape, dtype=dtypes.int32))

    @property
    def logits(self):
        return self._logits

    @property
    def probs(self):
        return self._probs

    def _batch_shape_tensor(self):
        return shape(self._logits)

    def _batch_shape(self):
        return self._logits.shape

    def _event_shape_tensor(self):
        return constant([], dtype=dtypes.int32)

    def _event_shape(self):
        return tensor_shape.TensorShape([])

    def _sample_n(self, n, seed=None):
        new_shape = concat([[n], self.batch_shape_tensor()], 0)
        uniform = random_uniform(new_shape, seed=seed, dtype=self.probs.dtype)
        return cast(less(uniform, self.probs), self.dtype)

    def _log_prob(self, event):
        if self.validate_args:
            event = util.embed_check_integer_casting_closed(event, target_dtype=dtypes.bool)
        event = cast(event, self.logits.dtype)
        logits = self.logits
        same = (
            event.shape.is_fully_defined()
            and logits.shape.is_fully_defined()
            and event.shape == logits.shape
        )
        if not same:
            logits, event = ones_like(event) * logits, ones_like(logits) * event
        return -sigmoid_cross_entropy_with_logits(labels=event, logits=logits)

    def _entropy(self):
        return -self.logits * (sigmoid(self.logits) - 1) + softplus(-self.logits)

    def _mean(self):
        return identity(self.probs)

    def _variance(self):
        return self._mean() * (1.0 - self.probs)

    def _mode(self):
        return cast(self.probs > 0.5, self.dtype)


@RegisterKL(Bernoulli, Bernoulli)
def _kl_bernoulli_bernoulli(a, b, name=None):
    with name_scope(name, "kl_bernoulli_bernoulli", values=[a.logits, b.logits]):
        delta_probs0 = softplus(-b.logits) - softplus(-a.logits)
        delta_probs1 = softplus(b.logits) - softplus(a.logits)
        return sigmoid(a.logits) * delta_probs0 + sigmoid(-a.logits) * delta_probs1


def _broadcast_cat_event_and_params(event, params, base_dtype):
    """The class indices and the parameters broadcast against each other."""
    if event.dtype.is_floating:
        event = cast(event, dtype=dtypes.int32)
    elif not event.dtype.is_integer:
        raise TypeError(f"`value` should have integer `dtype` or `self.dtype` ({base_dtype})")
    known = (
        params.shape.ndims is not None
        and params.shape[:-1].is_fully_defined()
        and event.shape.is_fully_defined()
    )
    if not known or params.shape[:-1] != event.shape:
        params *= ones_like(event[..., None], dtype=params.dtype)
        params_shape = shape(params)[:-1]
        event *= ones(params_shape, dtype=event.dtype)
        if params.shape.ndims is not None:
            event.set_shape(tensor_shape.TensorShape(params.shape[:-1]))
    return event, params


class Categorical(base.Distribution):
    """One of K classes, with probabilities ``probs`` (``softmax(logits)``) along the last
    axis; samples of ``dtype``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     d = tf.distributions.Categorical(logits=[[0.0, 1.0, 2.0]])
    ...     print(d.batch_shape, d.event_size.name, tf.Session().run(d.mode()))
    (1,) Categorical/event_size:0 [2]
    """

    def __init__(self, logits=None, probs=None, dtype=dtypes.int32, validate_args=False,
                 allow_nan_stats=True, name="Categorical"):  # fmt: skip
        parameters = dict(locals())
        with name_scope(name, values=[logits, probs]) as name:
            self._logits, self._probs = util.get_logits_and_probs(
                logits=logits,
                probs=probs,
                validate_args=validate_args,
                multidimensional=True,
                name=name,
            )
            if validate_args:
                self._logits = util.embed_check_categorical_event_shape(self._logits)
            static = self._logits.shape.with_rank_at_least(1)
            if static.ndims is not None:
                self._batch_rank = convert_to_tensor(
                    static.ndims - 1, dtype=dtypes.int32, name="batch_rank"
                )
            else:
                with name_scope(name="batch_rank"):
                    self._batch_rank = rank(self._logits) - 1
            logits_shape = shape(self._logits, name="logits_shape")
            if tensor_shape.dimension_value(static[-1]) is not None:
                self._event_size = convert_to_tensor(
                    static.dims[-1].value, dtype=dtypes.int32, name="event_size"
                )
            else:
                with name_scope(name="event_size"):
                    self._event_size = logits_shape[self._batch_rank]
            if static[:-1].is_fully_defined():
                self._batch_shape_val = constant(
                    static[:-1].as_list(), dtype=dtypes.int32, name="batch_shape"
                )
            else:
                with name_scope(name="batch_shape"):
                    self._batch_shape_val = logits_shape[:-1]
        super().__init__(
            dtype=dtype,
            reparameterization_type=base.NOT_REPARAMETERIZED,
            validate_args=validate_args,
            allow_nan_stats=allow_nan_stats,
            parameters=parameters,
            graph_parents=[self._logits, self._probs],
            name=name,
        )

    @property
    def event_size(self):
        """The number of classes, as a scalar int32 tensor."""
        return self._event_size

    @property
    def logits(self):
        return self._logits

    @property
    def probs(self):
        return self._probs

    def _batch_shape_tensor(self):
        return identity(self._batch_shape_val)

    def _batch_shape(self):
        return self.logits.shape[:-1]

    def _event_shape_tensor(self):
        return constant([], dtype=dtypes.int32)

    def _event_shape(self):
        return tensor_shape.TensorShape([])

    def _sample_n(self, n, seed=None):
        if self.logits.shape.ndims == 2:
            logits_2d = self.logits
        else:
            logits_2d = reshape(self.logits, [-1, self.event_size])
        sample_dtype = dtypes.int64 if self.dtype.size > 4 else dtypes.int32
        draws = multinomial(logits_2d, n, seed=seed, output_dtype=sample_dtype)
        draws = reshape(transpose(draws), concat([[n], self.batch_shape_tensor()], 0))
        return cast(draws, self.dtype)

    def _cdf(self, k):
        k = convert_to_tensor(k, name="k")
        if self.validate_args:
            k = util.embed_check_integer_casting_closed(k, target_dtype=dtypes.int32)
        k, probs = _broadcast_cat_event_and_params(k, self.probs, self.dtype.base_dtype)
        flat_probs = reshape(probs, (-1, self._event_size))
        flat_k = reshape(k, [-1])
        to_sum_over = where(
            sequence_mask(flat_k, self._event_size), flat_probs, zeros_like(flat_probs)
        )
        return reshape(reduce_sum(to_sum_over, axis=-1), shape(k))

    def _log_prob(self, k):
        k = convert_to_tensor(k, name="k")
        if self.validate_args:
            k = util.embed_check_integer_casting_closed(k, target_dtype=dtypes.int32)
        k, logits = _broadcast_cat_event_and_params(k, self.logits, self.dtype.base_dtype)
        return -sparse_softmax_cross_entropy_with_logits(labels=k, logits=logits)

    def _entropy(self):
        return -reduce_sum(log_softmax(self.logits) * self.probs, axis=-1)

    def _mode(self):
        ret = cast(argmax(self.logits, axis=self._batch_rank), self.dtype)
        ret.set_shape(self.batch_shape)
        return ret


@RegisterKL(Categorical, Categorical)
def _kl_categorical_categorical(a, b, name=None):
    with name_scope(name, "kl_categorical_categorical", values=[a.logits, b.logits]):
        delta_log_probs1 = log_softmax(a.logits) - log_softmax(b.logits)
        return reduce_sum(softmax(a.logits) * delta_log_probs1, axis=-1)
