"""Initializers under TF1's names. Each call builds the graph ops that compute the value
(``zeros``, ``random_normal``...), named as TF1 names them, under ``<var>/Initializer/``."""

from __future__ import annotations

import math

import numpy as np

from scopeflow.framework import dtypes
from scopeflow.framework.constant import constant
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array import transpose as transpose_ops
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math import linalg as linalg_ops
from scopeflow.ops.random import sampling as random_ops


def _dims(shape) -> list:
    """The dimensions as ints; a shape computed in the graph (a tensor, or a list holding
    one, as ``tf.train.warm_start``'s remapping gives) goes to the op as it is."""
    if isinstance(shape, Tensor):
        return shape
    dims = shape.as_list() if hasattr(shape, "as_list") else list(shape)
    return dims if any(isinstance(d, Tensor) for d in dims) else [int(d) for d in dims]


def _float_dtype(dtype) -> dtypes.DType:
    dtype = dtypes.as_dtype(dtype).base_dtype
    if not dtype.is_floating:
        raise ValueError(f"Argument `dtype` is expected to be floating point, got {dtype.name}.")
    return dtype


class Initializer:
    """Base class: ``init(shape, dtype=None, partition_info=None)`` returns a tensor."""

    dtype = dtypes.float32

    def __call__(self, shape, dtype=None, partition_info=None):
        raise NotImplementedError(f"{type(self).__name__} must implement __call__")

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

    def _dtype(self, dtype) -> dtypes.DType:
        return dtypes.as_dtype(dtype if dtype is not None else self.dtype).base_dtype


class Zeros(Initializer):
    """All zeros."""

    def __init__(self, dtype=dtypes.float32):
        self.dtype = dtypes.as_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        return array_ops.zeros(_dims(shape), self._dtype(dtype))

    def get_config(self):
        return {"dtype": self.dtype.name}


class Ones(Zeros):
    """All ones."""

    def __call__(self, shape, dtype=None, partition_info=None):
        return array_ops.ones(_dims(shape), self._dtype(dtype))


class Constant(Initializer):
    """A scalar repeated, or a list/array of exactly the variable's size."""

    def __init__(self, value=0, dtype=dtypes.float32, verify_shape=False):
        if not np.isscalar(value) and not isinstance(value, (list, tuple, np.ndarray)):
            raise TypeError(
                "Invalid type for initial value: "
                f"{type(value).__name__} (expected Python scalar, list or tuple of values, "
                "or numpy.ndarray)."
            )
        self.value = value
        self.dtype = dtypes.as_dtype(dtype)
        self._verify_shape = verify_shape

    def __call__(self, shape, dtype=None, partition_info=None, verify_shape=None):
        verify = self._verify_shape if verify_shape is None else verify_shape
        return constant(self.value, self._dtype(dtype), _dims(shape), verify_shape=verify)

    def get_config(self):
        return {"value": self.value, "dtype": self.dtype.name}


class _Random(Initializer):
    def __init__(self, seed=None, dtype=dtypes.float32):
        self.seed = seed
        self.dtype = dtypes.as_dtype(dtype)


class RandomUniform(_Random):
    """Uniform in ``[minval, maxval)``."""

    def __init__(self, minval=0.0, maxval=None, seed=None, dtype=dtypes.float32):
        super().__init__(seed, dtype)
        self.minval, self.maxval = minval, maxval

    def __call__(self, shape, dtype=None, partition_info=None):
        return random_ops.random_uniform(
            _dims(shape), self.minval, self.maxval, self._dtype(dtype), seed=self.seed
        )

    def get_config(self):
        return {
            "minval": self.minval,
            "maxval": self.maxval,
            "seed": self.seed,
            "dtype": self.dtype.name,
        }


class RandomNormal(_Random):
    """Normal with ``mean`` and ``stddev``."""

    _sample = staticmethod(random_ops.random_normal)

    def __init__(self, mean=0.0, stddev=1.0, seed=None, dtype=dtypes.float32):
        super().__init__(seed, _float_dtype(dtype))
        self.mean, self.stddev = mean, stddev

    def __call__(self, shape, dtype=None, partition_info=None):
        dtype = _float_dtype(self._dtype(dtype))
        return self._sample(_dims(shape), self.mean, self.stddev, dtype, seed=self.seed)

    def get_config(self):
        return {
            "mean": self.mean,
            "stddev": self.stddev,
            "seed": self.seed,
            "dtype": self.dtype.name,
        }


class TruncatedNormal(RandomNormal):
    """Normal with values beyond two standard deviations redrawn."""

    _sample = staticmethod(random_ops.truncated_normal)


def _fans(dims: list[int]) -> tuple[float, float]:
    if not dims:
        return 1.0, 1.0
    if len(dims) == 1:
        return float(dims[0]), float(dims[0])
    receptive = math.prod(dims[:-2])
    return float(dims[-2] * receptive), float(dims[-1] * receptive)


_TRUNCATED_STDDEV = 0.87962566103423978  # stddev of a unit normal truncated at +-2


class VarianceScaling(_Random):
    """Scale-aware random init: variance ``scale / fan`` (``fan_in``, ``fan_out`` or
    ``fan_avg``), drawn from a truncated normal, normal or uniform distribution."""

    def __init__(
        self,
        scale=1.0,
        mode="fan_in",
        distribution="truncated_normal",
        seed=None,
        dtype=dtypes.float32,
    ):
        if scale <= 0.0:
            raise ValueError(f"Argument `scale` must be a positive float, got {scale}.")
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError(
                f"Argument `mode` should be one of ('fan_in', 'fan_out', 'fan_avg'), got {mode!r}."
            )
        distribution = distribution.lower()
        if distribution not in ("normal", "uniform", "truncated_normal", "untruncated_normal"):
            raise ValueError(
                "Argument `distribution` should be one of ('normal', 'uniform', "
                f"'truncated_normal', 'untruncated_normal'), got {distribution!r}."
            )
        super().__init__(seed, _float_dtype(dtype))
        self.scale, self.mode, self.distribution = scale, mode, distribution

    def __call__(self, shape, dtype=None, partition_info=None):
        dtype = _float_dtype(self._dtype(dtype))
        dims = _dims(shape)
        # a part's fans are the whole variable's (partitioned variables)
        fan_in, fan_out = _fans(
            dims if partition_info is None else _dims(partition_info.full_shape)
        )
        fan = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}
        scale = self.scale / max(1.0, fan[self.mode])
        if self.distribution in ("normal", "truncated_normal"):
            stddev = math.sqrt(scale) / _TRUNCATED_STDDEV
            return random_ops.truncated_normal(dims, 0.0, stddev, dtype, seed=self.seed)
        if self.distribution == "untruncated_normal":
            return random_ops.random_normal(dims, 0.0, math.sqrt(scale), dtype, seed=self.seed)
        limit = math.sqrt(3.0 * scale)
        return random_ops.random_uniform(dims, -limit, limit, dtype, seed=self.seed)

    def get_config(self):
        return {
            "scale": self.scale,
            "mode": self.mode,
            "distribution": self.distribution,
            "seed": self.seed,
            "dtype": self.dtype.name,
        }


class GlorotUniform(VarianceScaling):
    """Xavier uniform: ``VarianceScaling(1.0, "fan_avg", "uniform")``; the default
    initializer of floating-point ``get_variable``."""

    def __init__(self, seed=None, dtype=dtypes.float32):
        super().__init__(1.0, "fan_avg", "uniform", seed, dtype)

    def get_config(self):
        return {"seed": self.seed, "dtype": self.dtype.name}


class GlorotNormal(VarianceScaling):
    """Xavier normal: ``VarianceScaling(1.0, "fan_avg", "truncated_normal")``."""

    def __init__(self, seed=None, dtype=dtypes.float32):
        super().__init__(1.0, "fan_avg", "truncated_normal", seed, dtype)

    def get_config(self):
        return {"seed": self.seed, "dtype": self.dtype.name}


# As in TF1, the He and LeCun initializers are functions returning a ``VarianceScaling``.
def he_normal(seed=None) -> VarianceScaling:
    """``VarianceScaling(2.0, "fan_in", "truncated_normal")``."""
    return VarianceScaling(2.0, "fan_in", "truncated_normal", seed)


def he_uniform(seed=None) -> VarianceScaling:
    """``VarianceScaling(2.0, "fan_in", "uniform")``."""
    return VarianceScaling(2.0, "fan_in", "uniform", seed)


def lecun_normal(seed=None) -> VarianceScaling:
    """``VarianceScaling(1.0, "fan_in", "truncated_normal")``."""
    return VarianceScaling(1.0, "fan_in", "truncated_normal", seed)


def lecun_uniform(seed=None) -> VarianceScaling:
    """``VarianceScaling(1.0, "fan_in", "uniform")``."""
    return VarianceScaling(1.0, "fan_in", "uniform", seed)


class Orthogonal(_Random):
    """A (semi-)orthogonal matrix, reshaped to the variable's shape, times ``gain``: the Q of
    a QR decomposition of a normal sample, sign-corrected so it is uniformly distributed."""

    def __init__(self, gain=1.0, seed=None, dtype=dtypes.float32):
        super().__init__(seed, _float_dtype(dtype))
        self.gain = gain

    def __call__(self, shape, dtype=None, partition_info=None):
        dtype = _float_dtype(self._dtype(dtype))
        dims = _dims(shape)
        if len(dims) < 2:
            raise ValueError(
                "The tensor to initialize, specified by argument `shape`, must be at least "
                f"two-dimensional, got shape {dims}."
            )
        rows, cols = math.prod(dims[:-1]), dims[-1]
        flat = (cols, rows) if rows < cols else (rows, cols)
        sample = random_ops.random_normal(flat, dtype=dtype, seed=self.seed)
        q, r = linalg_ops.qr(sample, full_matrices=False)
        q = q * math_ops.sign(linalg_ops.diag_part(r))
        if rows < cols:
            q = transpose_ops.matrix_transpose(q)
        return self.gain * array_ops.reshape(q, dims)

    def get_config(self):
        return {"gain": self.gain, "seed": self.seed, "dtype": self.dtype.name}


class Identity(Initializer):
    """``gain`` times the identity matrix (2-D variables only)."""

    def __init__(self, gain=1.0, dtype=dtypes.float32):
        self.gain = gain
        self.dtype = _float_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        dims = _dims(shape)
        if len(dims) != 2:
            raise ValueError(
                f"Identity matrix initializer can only be used for 2D matrices, got shape {dims}."
            )
        dtype = _float_dtype(self._dtype(dtype))
        # TF builds the identity with MatrixDiag ops under "eye/"; one Const holds it here.
        eye = constant(np.eye(*dims, dtype=dtype.as_numpy_dtype), dtype, name="eye")
        return self.gain * eye

    def get_config(self):
        return {"gain": self.gain, "dtype": self.dtype.name}


class UniformUnitScaling(_Random):
    """Uniform in ``[-m, m)`` with ``m = factor * sqrt(3 / fan)``, ``fan`` the product of all
    dimensions but the last (at least 1): the inputs' scale kept through a matrix product
    (TF1's ``uniform_unit_scaling_initializer``, deprecated there for ``variance_scaling``).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     v = tf.get_variable("v", [300, 4], initializer=tf.uniform_unit_scaling_initializer())
    ...     with tf.Session() as sess:
    ...         sess.run(v.initializer)
    ...         print(float(abs(sess.run(v)).max()) < 0.1)
    True
    """

    def __init__(self, factor=1.0, seed=None, dtype=dtypes.float32):
        super().__init__(seed, _float_dtype(dtype))
        self.factor = factor

    def __call__(self, shape, dtype=None, partition_info=None):
        dims = _dims(shape)
        if partition_info is not None:  # the whole variable's shape, not this part's
            dims = _dims(partition_info.full_shape)
        fan = max(math.prod(float(d) for d in dims[:-1]), 1.0)
        limit = math.sqrt(3 / fan) * self.factor
        dtype = _float_dtype(self._dtype(dtype))
        return random_ops.random_uniform(_dims(shape), -limit, limit, dtype, seed=self.seed)

    def get_config(self):
        return {"factor": self.factor, "seed": self.seed, "dtype": self.dtype.name}


# TF1's lower-case names.
zeros_initializer = Zeros
ones_initializer = Ones
constant_initializer = Constant
random_uniform_initializer = RandomUniform
random_normal_initializer = RandomNormal
truncated_normal_initializer = TruncatedNormal
variance_scaling_initializer = VarianceScaling
glorot_uniform_initializer = GlorotUniform
glorot_normal_initializer = GlorotNormal
orthogonal_initializer = Orthogonal
uniform_unit_scaling_initializer = UniformUnitScaling
