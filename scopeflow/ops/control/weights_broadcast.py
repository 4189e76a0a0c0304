"""TF's check that weights broadcast to values (``assert_broadcastable``: constant checks
while building, else an ``Assert`` in an ``is_valid_shape`` cond at run time) and
``broadcast_weights``, which the losses, the metrics and the Keras metrics share."""

from __future__ import annotations

import numpy as np

from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import control_dependencies, name_scope
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array import shape as shape_ops
from scopeflow.ops.array.join import concat
from scopeflow.ops.control.assertions import Assert
from scopeflow.ops.control.cond import cond
from scopeflow.ops.control.grouping import no_op
from scopeflow.ops.core.infer import constant_value
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.sparse.sets import set_difference

_NOT_BROADCASTABLE = "weights can not be broadcast to values."


def _has_valid_dims(weights_shape, values_shape):
    with name_scope(None, "has_invalid_dims", (weights_shape, values_shape)) as scope:
        values_2d = shape_ops.expand_dims(values_shape, -1)
        valid = concat((values_2d, shape_ops.ones_like(values_2d)), axis=1)
        weights_2d = shape_ops.expand_dims(weights_shape, -1)
        invalid = set_difference(weights_2d, valid)
        count = shape_ops.size(invalid.values, name="num_invalid_dims")
        return math_ops.equal(0, count, name=scope)


def _has_valid_nonscalar_shape(weights_rank, weights_shape, values_rank, values_shape):
    inputs = (weights_rank, weights_shape, values_rank, values_shape)
    with name_scope(None, "has_valid_nonscalar_shape", inputs) as scope:
        same_rank = math_ops.equal(values_rank, weights_rank, name="is_same_rank")
        return cond(
            same_rank,
            lambda: _has_valid_dims(weights_shape, values_shape),
            lambda: same_rank,
            name=scope,
        )


def assert_broadcastable(weights, values):
    """An op checking that ``weights`` broadcast to ``values`` (a scalar, or of ``values``'
    rank with each dimension 1 or ``values``'): a ``ValueError`` while building when the
    shapes are known, else an ``Assert`` at run time (TF1's ``assert_broadcastable``)."""
    with name_scope(None, "assert_broadcastable", (weights, values)) as scope:
        with name_scope(None, "weights", (weights,)) as weights_scope:
            weights = convert_to_tensor(weights, name=weights_scope)
            weights_shape = array_ops.shape(weights, name="shape")
            weights_rank = shape_ops.rank(weights, name="rank")
        with name_scope(None, "values", (values,)) as values_scope:
            values = convert_to_tensor(values, name=values_scope)
            values_shape = array_ops.shape(values, name="shape")
            values_rank = shape_ops.rank(values, name="rank")
        w_static, v_static = constant_value(weights_rank), constant_value(values_rank)
        if w_static is not None and v_static is not None:
            if w_static == 0:
                return no_op(name="static_scalar_check_success")
            if w_static != v_static:
                raise ValueError(
                    f"{_NOT_BROADCASTABLE} values.rank={v_static}. weights.rank={w_static}. "
                    f"values.shape={values.shape}. weights.shape={weights.shape}. Received "
                    f"weights={weights}, values={values}"
                )
            w_shape, v_shape = constant_value(weights_shape), constant_value(values_shape)
            if w_shape is not None and v_shape is not None:
                for i, (w, v) in enumerate(zip(w_shape, v_shape, strict=True)):
                    if w not in (1, v):
                        raise ValueError(
                            f"{_NOT_BROADCASTABLE} Mismatch at dim {i}. values.shape="
                            f"{np.asarray(v_shape)}, weights.shape={np.asarray(w_shape)}. Received "
                            f"weights={weights}, values={values}"
                        )
                return no_op(name="static_dims_check_success")
        is_scalar = math_ops.equal(0, weights_rank, name="is_scalar")
        data = (
            *(_NOT_BROADCASTABLE, "weights.shape=", weights.name, weights_shape),
            *("values.shape=", values.name, values_shape, "is_scalar=", is_scalar),
        )
        is_valid = cond(
            is_scalar,
            lambda: is_scalar,
            lambda: _has_valid_nonscalar_shape(
                weights_rank, weights_shape, values_rank, values_shape
            ),
            name="is_valid_shape",
        )
        return Assert(is_valid, data, name=scope)


def broadcast_weights(weights, values):
    """``weights`` broadcast to ``values``' shape, after :func:`assert_broadcastable`."""
    with name_scope(None, "broadcast_weights", (weights, values)) as scope:
        values = convert_to_tensor(values, name="values")
        weights = convert_to_tensor(weights, dtype=values.dtype.base_dtype, name="weights")
        w, v = weights.shape, values.shape
        if w.is_fully_defined() and v.is_fully_defined() and w.is_compatible_with(v):
            return weights
        with control_dependencies((assert_broadcastable(weights, values),)):
            return math_ops.multiply(weights, shape_ops.ones_like(values), name=scope)


__all__ = ["assert_broadcastable", "broadcast_weights"]
