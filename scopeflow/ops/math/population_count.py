"""``tf.raw_ops.PopulationCount``: the number of set bits of each integer's two's-complement
bits (``-1`` of int8 has 8), as uint8; not differentiable, as in TF."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.core.infer import INTEGERS, check_dtype_in


def _population_count_infer(inputs, attrs):
    check_dtype_in("PopulationCount", "x", inputs[0], INTEGERS)
    return [(dtypes.uint8, inputs[0].shape)]


def _population_count_kernel(ctx, op, x):
    x = np.asarray(x)
    as_bytes = np.ascontiguousarray(x).view(np.uint8).reshape(*x.shape, x.dtype.itemsize)
    return np.unpackbits(as_bytes, axis=-1).sum(axis=-1, dtype=np.uint8)


register_op(
    "PopulationCount",
    _population_count_infer,
    kernel=_population_count_kernel,
    grad=NOT_DIFFERENTIABLE,
)
