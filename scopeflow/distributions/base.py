"""TF1's ``tf.distributions.Distribution``: the public methods every distribution shares, the
name scopes they open, and the reparameterization types.

A distribution opens a name scope of its own name when made (``Normal/``, ``Normal_1/``) and
keeps it; each method re-enters it and opens one of the method's name inside
(``Normal/log_prob/``, then ``Normal/log_prob_1/``). A subclass computes in ``_log_prob``,
``_sample_n``, ``_entropy``...; the public method converts the value (``name="value"``,
preferring the distribution's dtype) and falls back as TF1 does (``log_prob`` as
``log(_prob)``, ``stddev`` as ``sqrt(_variance)``...).

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     d = tf.distributions.Normal(loc=0.0, scale=1.0)
...     lp = d.log_prob(0.0)
>>> d.name, lp.name, d.reparameterization_type
('Normal/', 'Normal/log_prob/sub:0', <Reparameterization Type: FULLY_REPARAMETERIZED>)
"""

from __future__ import annotations

import contextlib

import numpy as np

from scopeflow.distributions import kullback_leibler
from scopeflow.framework import dtypes, tensor_shape
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array.basic import reshape, shape
from scopeflow.ops.array.join import concat
from scopeflow.ops.core.infer import constant_value
from scopeflow.ops.math.elementwise import exp, log, log1p, sqrt, square
from scopeflow.ops.math.reduction import reduce_prod


class ReparameterizationType:
    """How a distribution's samples depend on its parameters: ``FULLY_REPARAMETERIZED``
    (gradients flow through ``sample``) or ``NOT_REPARAMETERIZED``. Compared by identity."""

    def __init__(self, rep_type: str):
        self._rep_type = rep_type

    def __repr__(self) -> str:
        return f"<Reparameterization Type: {self._rep_type}>"

    def __eq__(self, other) -> bool:
        return self is other

    def __hash__(self) -> int:
        return id(self)


FULLY_REPARAMETERIZED = ReparameterizationType("FULLY_REPARAMETERIZED")
NOT_REPARAMETERIZED = ReparameterizationType("NOT_REPARAMETERIZED")


def parameters_of(local_vars: dict) -> dict:
    """A constructor's arguments (its ``locals()`` on entry) as ``Distribution.parameters``."""
    return {k: v for k, v in local_vars.items() if k not in ("self", "__class__")}


class Distribution:
    """A batch of probability distributions (TF1's ``tf.distributions.Distribution``)."""

    def __init__(
        self,
        dtype,
        reparameterization_type,
        validate_args,
        allow_nan_stats,
        parameters=None,
        graph_parents=None,
        name=None,
    ):
        graph_parents = [] if graph_parents is None else graph_parents
        for i, t in enumerate(graph_parents):
            if not isinstance(t, Tensor):
                raise ValueError(f"Graph parent item {i} is not a Tensor; {t}.")
        if not name or name[-1] != "/":  # not yet a name scope: make one
            with name_scope(name or type(self).__name__) as name:
                pass
        self._dtype = dtype
        self._reparameterization_type = reparameterization_type
        self._allow_nan_stats = allow_nan_stats
        self._validate_args = validate_args
        self._parameters = parameters_of(parameters or {})
        self._graph_parents = graph_parents
        self._name = name

    @classmethod
    def param_shapes(cls, sample_shape, name="DistributionParamShapes"):
        """The shapes of the parameters that make samples of shape ``sample_shape``, as
        ``{name: 1-D int32 tensor}``.

        >>> import scopeflow as tf
        >>> with tf.Graph().as_default():
        ...     shapes = tf.distributions.Normal.param_static_shapes([2, 3])
        >>> shapes["loc"]
        TensorShape([Dimension(2), Dimension(3)])
        """
        with name_scope(name, values=[sample_shape]):
            return cls._param_shapes(sample_shape)

    @classmethod
    def param_static_shapes(cls, sample_shape):
        """:meth:`param_shapes` as ``TensorShape`` s, for a fully known ``sample_shape``."""
        if isinstance(sample_shape, tensor_shape.TensorShape):
            if not sample_shape.is_fully_defined():
                raise ValueError("TensorShape sample_shape must be fully defined")
            sample_shape = sample_shape.as_list()
        static = {}
        for param, shape_t in cls.param_shapes(sample_shape).items():
            value = constant_value(shape_t)
            if value is None:
                raise ValueError("sample_shape must be a fully-defined TensorShape or list/tuple")
            static[param] = tensor_shape.TensorShape(value.tolist())
        return static

    @staticmethod
    def _param_shapes(sample_shape):
        raise NotImplementedError("_param_shapes not implemented")

    # -- properties -------------------------------------------------------------------------

    @property
    def name(self) -> str:
        """The name scope the distribution's ops are made in (``"Normal/"``)."""
        return self._name

    @property
    def dtype(self):
        """The dtype of the samples."""
        return self._dtype

    @property
    def parameters(self) -> dict:
        """The arguments the distribution was made with."""
        return dict(self._parameters)

    @property
    def reparameterization_type(self) -> ReparameterizationType:
        return self._reparameterization_type

    @property
    def allow_nan_stats(self) -> bool:
        """Whether an undefined statistic is NaN (True) or raises when run (False)."""
        return self._allow_nan_stats

    @property
    def validate_args(self) -> bool:
        return self._validate_args

    def copy(self, **override_parameters_kwargs):
        """A new distribution of the same type, with some parameters replaced."""
        return type(self)(**dict(self.parameters, **override_parameters_kwargs))

    # -- shapes -----------------------------------------------------------------------------

    def _batch_shape_tensor(self):
        raise NotImplementedError(f"batch_shape_tensor is not implemented: {type(self).__name__}")

    def batch_shape_tensor(self, name="batch_shape_tensor"):
        """The batch shape as a 1-D int32 tensor (a constant when known while building)."""
        with self._name_scope(name):
            if self.batch_shape.is_fully_defined():
                value = self.batch_shape.as_list()
                return convert_to_tensor(value, dtype=dtypes.int32, name="batch_shape")
            return self._batch_shape_tensor()

    def _batch_shape(self):
        return tensor_shape.TensorShape(None)

    @property
    def batch_shape(self) -> tensor_shape.TensorShape:
        """The static shape of the batch of distributions."""
        return tensor_shape.as_shape(self._batch_shape())

    def _event_shape_tensor(self):
        raise NotImplementedError(f"event_shape_tensor is not implemented: {type(self).__name__}")

    def event_shape_tensor(self, name="event_shape_tensor"):
        """The event shape as a 1-D int32 tensor."""
        with self._name_scope(name):
            if self.event_shape.is_fully_defined():
                value = self.event_shape.as_list()
                return convert_to_tensor(value, dtype=dtypes.int32, name="event_shape")
            return self._event_shape_tensor()

    def _event_shape(self):
        return tensor_shape.TensorShape(None)

    @property
    def event_shape(self) -> tensor_shape.TensorShape:
        """The static shape of one sample of one distribution."""
        return tensor_shape.as_shape(self._event_shape())

    def is_scalar_event(self, name="is_scalar_event"):
        with self._name_scope(name):
            return convert_to_tensor(self.event_shape.ndims == 0, name="is_scalar_event")

    def is_scalar_batch(self, name="is_scalar_batch"):
        with self._name_scope(name):
            return convert_to_tensor(self.batch_shape.ndims == 0, name="is_scalar_batch")

    # -- sampling ---------------------------------------------------------------------------

    def _sample_n(self, n, seed=None):
        raise NotImplementedError(f"sample_n is not implemented: {type(self).__name__}")

    def sample(self, sample_shape=(), seed=None, name="sample"):
        """Samples of shape ``sample_shape + batch_shape + event_shape``.

        >>> import scopeflow as tf
        >>> with tf.Graph().as_default():
        ...     s = tf.distributions.Normal([0.0, 1.0], 1.0).sample(3, seed=1)
        >>> s.name, s.shape.as_list()
        ('Normal/sample/Reshape:0', [3, 2])
        """
        with self._name_scope(name, values=[sample_shape]):
            sample_shape = convert_to_tensor(sample_shape, dtype=dtypes.int32, name="sample_shape")
            sample_shape, n = self._expand_sample_shape_to_vector(sample_shape, "sample_shape")
            samples = self._sample_n(n, seed)
            batch_event_shape = shape(samples)[1:]
            final_shape = concat([sample_shape, batch_event_shape], 0)
            samples = reshape(samples, final_shape)
            return self._set_sample_static_shape(samples, sample_shape)

    def _expand_sample_shape_to_vector(self, x, name):
        """``sample``'s shape as a vector, and the number of samples it asks for."""
        value = constant_value(x)
        n = reduce_prod(x) if value is None else np.prod(value, dtype=x.dtype.as_numpy_dtype)
        ndims = x.shape.ndims
        if ndims is None:
            x = reshape(x, [-1])
        elif ndims == 0:
            if value is not None:
                x = convert_to_tensor(np.array([value], x.dtype.as_numpy_dtype), name=name)
            else:
                x = reshape(x, [1])
        elif ndims != 1:
            raise ValueError("Input is neither scalar nor vector.")
        return x, n

    def _set_sample_static_shape(self, x, sample_shape):
        """``x`` with what is known of ``sample_shape``, the batch and event shapes."""
        value = constant_value(sample_shape)
        sample = tensor_shape.TensorShape(None if value is None else value.tolist())
        ndims, sample_ndims = x.shape.ndims, sample.ndims
        batch_ndims, event_ndims = self.batch_shape.ndims, self.event_shape.ndims
        if ndims is None and None not in (sample_ndims, batch_ndims, event_ndims):
            ndims = sample_ndims + batch_ndims + event_ndims
            x.set_shape([None] * ndims)
        if ndims is not None and sample_ndims is not None:
            x.set_shape(x.shape.merge_with(sample.concatenate([None] * (ndims - sample_ndims))))
        if ndims is not None and event_ndims is not None:
            known = tensor_shape.TensorShape([None] * (ndims - event_ndims))
            x.set_shape(x.shape.merge_with(known.concatenate(self.event_shape)))
        if batch_ndims is not None:
            if ndims is not None:
                if sample_ndims is None and event_ndims is not None:
                    sample_ndims = ndims - batch_ndims - event_ndims
                elif event_ndims is None and sample_ndims is not None:
                    event_ndims = ndims - batch_ndims - sample_ndims
            if sample_ndims is not None and event_ndims is not None:
                known = tensor_shape.TensorShape([None] * sample_ndims)
                known = known.concatenate(self.batch_shape).concatenate([None] * event_ndims)
                x.set_shape(x.shape.merge_with(known))
        return x

    # -- densities --------------------------------------------------------------------------

    def _missing(self, method: str):
        return NotImplementedError(f"{method} is not implemented: {type(self).__name__}")

    def _log_prob(self, value):
        raise self._missing("log_prob")

    def _prob(self, value):
        raise self._missing("prob")

    def _log_cdf(self, value):
        raise self._missing("log_cdf")

    def _cdf(self, value):
        raise self._missing("cdf")

    def _log_survival_function(self, value):
        raise self._missing("log_survival_function")

    def _survival_function(self, value):
        raise self._missing("survival_function")

    def _call(self, name, value, method, fallback):
        """``method(value)`` in the method's name scope, else ``fallback(value)`` (raising
        ``method``'s own NotImplementedError when neither is implemented)."""
        with self._name_scope(name, values=[value]):
            value = convert_to_tensor(value, name="value", preferred_dtype=self.dtype)
            try:
                return method(value)
            except NotImplementedError as original:
                try:
                    return fallback(value)
                except NotImplementedError:
                    raise original from None

    def log_prob(self, value, name="log_prob"):
        """The log of the probability (density or mass) of ``value``."""
        return self._call(name, value, self._log_prob, lambda v: log(self._prob(v)))

    def prob(self, value, name="prob"):
        """The probability (density or mass) of ``value``."""
        return self._call(name, value, self._prob, lambda v: exp(self._log_prob(v)))

    def log_cdf(self, value, name="log_cdf"):
        """``log(P[X <= value])``."""
        return self._call(name, value, self._log_cdf, lambda v: log(self._cdf(v)))

    def cdf(self, value, name="cdf"):
        """``P[X <= value]``."""
        return self._call(name, value, self._cdf, lambda v: exp(self._log_cdf(v)))

    def log_survival_function(self, value, name="log_survival_function"):
        """``log(P[X > value])``."""
        fallback = lambda v: log1p(-self.cdf(v))  # noqa: E731
        return self._call(name, value, self._log_survival_function, fallback)

    def survival_function(self, value, name="survival_function"):
        """``P[X > value]``."""
        return self._call(name, value, self._survival_function, lambda v: 1.0 - self.cdf(v))

    def _quantile(self, value):
        raise self._missing("quantile")

    def quantile(self, value, name="quantile"):
        with self._name_scope(name, values=[value]):
            value = convert_to_tensor(value, name="value", preferred_dtype=self.dtype)
            return self._quantile(value)

    # -- statistics -------------------------------------------------------------------------

    def _entropy(self):
        raise self._missing("entropy")

    def entropy(self, name="entropy"):
        """Shannon entropy, in nats."""
        with self._name_scope(name):
            return self._entropy()

    def _mean(self):
        raise self._missing("mean")

    def mean(self, name="mean"):
        with self._name_scope(name):
            return self._mean()

    def _mode(self):
        raise self._missing("mode")

    def mode(self, name="mode"):
        with self._name_scope(name):
            return self._mode()

    def _variance(self):
        raise self._missing("variance")

    def _stddev(self):
        raise self._missing("stddev")

    def variance(self, name="variance"):
        with self._name_scope(name):
            try:
                return self._variance()
            except NotImplementedError as original:
                try:
                    return square(self._stddev())
                except NotImplementedError:
                    raise original from None

    def stddev(self, name="stddev"):
        with self._name_scope(name):
            try:
                return self._stddev()
            except NotImplementedError as original:
                try:
                    return sqrt(self._variance())
                except NotImplementedError:
                    raise original from None

    def _covariance(self):
        raise self._missing("covariance")

    def covariance(self, name="covariance"):
        with self._name_scope(name):
            return self._covariance()

    def cross_entropy(self, other, name="cross_entropy"):
        """``H[self, other] = E_self[-log other(X)]``."""
        with self._name_scope(name):
            return kullback_leibler.cross_entropy(self, other, allow_nan_stats=self.allow_nan_stats)

    def kl_divergence(self, other, name="kl_divergence"):
        """``KL[self || other]``, by the function registered for the two types."""
        with self._name_scope(name):
            return kullback_leibler.kl_divergence(self, other, allow_nan_stats=self.allow_nan_stats)

    # -- printing and scopes ----------------------------------------------------------------

    def __str__(self) -> str:
        batch = f", batch_shape={self.batch_shape}" if self.batch_shape.ndims is not None else ""
        event = f", event_shape={self.event_shape}" if self.event_shape.ndims is not None else ""
        kind = type(self).__name__
        return f'tfp.distributions.{kind}("{self.name}"{batch}{event}, dtype={self.dtype.name})'

    def __repr__(self) -> str:
        return (
            f"<tfp.distributions.{type(self).__name__} '{self.name}' "
            f"batch_shape={self.batch_shape} event_shape={self.event_shape} "
            f"dtype={self.dtype.name}>"
        )

    @contextlib.contextmanager
    def _name_scope(self, name=None, values=None):
        """The distribution's own scope, and ``name`` inside it."""
        values = ([] if values is None else list(values)) + self._graph_parents
        with name_scope(self.name), name_scope(name, values=values) as scope:
            yield scope
