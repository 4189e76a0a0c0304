"""Helpers shared by the JAX lowerings: static (known while tracing) arguments, the NumPy
kernel run on an index array for ops that only move elements around."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np


def static(value, dtype=None) -> np.ndarray:
    """``value`` as a NumPy array: it must be known while tracing (an axis, a shape, a
    size); a traced value raises JAX's ``ConcretizationTypeError``, which the executor turns
    into ``UnimplementedError`` naming the op."""
    return np.asarray(value, dtype=dtype)


def static_int(value) -> int:
    return int(static(value))


def axis_tuple(axis, ndim: int) -> tuple[int, ...]:
    """Reduction axes (a scalar or a vector, maybe negative) as a sorted tuple."""
    axes = static(axis, np.int64).reshape(-1)
    for a in axes:
        if not -ndim <= a < ndim:  # TF's ReductionHelper's words, as the NumPy kernels'
            raise ValueError(f"Invalid reduction dimension ({a} for input with {ndim} dimension(s)")
    return tuple(sorted({int(a) % ndim for a in axes}))


def moved(kernel, ctx, op, x, *args):
    """The result of an op that only picks and moves elements of ``x`` (a slice, a reverse,
    a tile), given the NumPy ``kernel`` and ``args`` known while tracing: the kernel runs on
    the indices of ``x``, and the result gathers them. One output or a tuple of them."""
    index = np.arange(int(np.prod(x.shape)), dtype=np.int64).reshape(x.shape)
    picked = kernel(ctx, op, index, *[static(a) for a in args])
    flat = jnp.ravel(x)
    if isinstance(picked, tuple | list):
        return tuple(flat[np.asarray(p)] for p in picked)
    return flat[np.asarray(picked)]


def unary(fn):
    return lambda ctx, op, x: fn(x)


def binary(fn):
    return lambda ctx, op, x, y: fn(x, y)


def out_dtype(op, i: int = 0):
    return op._outputs[i].dtype.base_dtype.as_numpy_dtype
