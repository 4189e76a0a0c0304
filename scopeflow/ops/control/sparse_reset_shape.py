"""``tf.sparse.reset_shape`` (``tf.sparse_reset_shape``): a ``SparseTensor`` with a new (or
its tightest) dense shape, checked while building when both shapes are known and by
``assert_equal``/``assert_less_equal`` ops otherwise, as TF builds it (here, beside the
assertions it needs)."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.ops.array.basic import identity, shape
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.shape import ones_like
from scopeflow.ops.control.assertions import assert_equal, assert_less_equal
from scopeflow.ops.control.grouping import with_dependencies
from scopeflow.ops.core.infer import constant_value
from scopeflow.ops.math.elementwise import add, maximum
from scopeflow.ops.math.reduction import reduce_max
from scopeflow.ops.sparse.tensor import SparseTensor


@undo.atomic
def sparse_reset_shape(sp_input, new_shape=None) -> SparseTensor:
    """``sp_input`` with dense shape ``new_shape`` (each size at least the old one), or with
    no ``new_shape`` the smallest shape holding its indices.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     sp = tf.SparseTensor([[0, 0], [1, 2]], [1, 2], [4, 5])
    ...     print(tf.Session().run(tf.sparse.reset_shape(sp)).dense_shape)
    [2 3]
    """
    if not isinstance(sp_input, SparseTensor):
        raise TypeError("Input must be a SparseTensor.")
    in_indices = identity(sp_input.indices)
    in_values = identity(sp_input.values)
    in_shape = identity(sp_input.dense_shape)
    if new_shape is None:
        low = reduce_max(in_indices, axis=0)
        zero = constant(0, dtypes.int64)
        return SparseTensor(in_indices, in_values, maximum(zero, add(low, ones_like(in_shape))))
    output_shape = convert_to_tensor(new_shape)
    output_shape.shape.assert_has_rank(1)
    output_shape = cast(output_shape, dtypes.int64)
    new_rank, old_rank = output_shape.shape.as_list()[0], in_shape.shape.as_list()[0]
    if None not in (new_rank, old_rank) and new_rank != old_rank:
        raise ValueError(f"Dimensions {new_rank} and {old_rank} are not compatible")
    known_new = constant_value(output_shape)
    known_old = sp_input.get_shape()
    if known_new is not None and known_old.is_fully_defined():
        old = np.array(known_old.as_list())
        if np.any(old > known_new):
            raise ValueError(
                "Requested new_shape should have dimension sizes >= sp_input.shape.  Found "
                f"new_shape ({known_new}), sp_input.shape ({old})."
            )
        return SparseTensor(in_indices, in_values, known_new)
    output_shape = with_dependencies(
        [assert_equal(shape(in_shape), shape(output_shape))], output_shape
    )
    output_shape = with_dependencies([assert_less_equal(in_shape, output_shape)], output_shape)
    return SparseTensor(in_indices, in_values, output_shape)


__all__ = ["sparse_reset_shape"]
