"""``tf.repeat``, built op for op as TF's ``repeat_with_axis`` builds it: one repeat count
tiles the axis and reshapes; several counts tile by the largest and keep, through a
``sequence_mask`` and ``boolean_mask``, each element's own count."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.ops.array.basic import ones, reshape, shape, stack
from scopeflow.ops.array.gather import boolean_mask
from scopeflow.ops.array.join import concat, tile
from scopeflow.ops.array.shape import expand_dims, rank
from scopeflow.ops.core.infer import apply_op, constant_value
from scopeflow.ops.math.broadcasting import broadcast_to
from scopeflow.ops.math.elementwise import maximum
from scopeflow.ops.math.sequence import sequence_mask


def _int_tensor(value, name: str):
    """TF's ``convert_to_int_tensor``: an integer tensor always cast (a ``Cast``) to int32."""
    t = convert_to_tensor(value, dtype_hint=dtypes.int32, name=name)
    if not t.dtype.is_integer:
        raise TypeError(
            f"Argument `tensor` (name: {name}) must be of type integer. Received `tensor` = "
            f"{t} of dtype: {t.dtype}"
        )
    return apply_op("Cast", [t], {"DstT": dtypes.int32, "Truncate": False}, name="Cast")


def _positive_axis(axis: int, ndims) -> int:
    if ndims is not None:
        if not -ndims <= axis < ndims:
            raise ValueError(f"axis={axis} out of bounds: expected {-ndims}<=axis<{ndims}")
        return axis + ndims if axis < 0 else axis
    if axis < 0:
        raise ValueError(f"axis may only be negative if rank(data) is statically known; got {axis}")
    return axis


def _to_scalar(t):
    """``reshape(t, [])`` as TF's generated op makes it: the empty shape is first converted as
    a float32 constant (refused, left in the graph), then as int32."""
    with name_scope(None, "Reshape") as scope:
        constant([], dtype=dtypes.float32, name="shape")
        empty = constant([], dtype=dtypes.int32, name="shape")
        return apply_op("Reshape", [t, empty], name=scope)


def _tile_one_dimension(data, axis: int, multiple):
    if data.shape.ndims is not None:
        multiples = [1] * data.shape.ndims
        multiples[axis] = multiple
    else:
        ones_value = ones(rank(data), dtypes.int32)
        multiples = concat([ones_value[:axis], [multiple], ones_value[axis + 1 :]], axis=0)
    return tile(data, multiples)


def _with_nonzero_rank(data):
    if data.shape.ndims is not None:
        return stack([data]) if data.shape.ndims == 0 else data
    data_shape, data_ndims = shape(data), rank(data)
    return reshape(data, concat([[1], data_shape], axis=0)[-data_ndims:])


def _repeat_with_axis(data, repeats, axis: int, name):
    if not isinstance(axis, int):
        raise TypeError(
            f"Argument `axis` must be an int. Received `axis` = {axis} of type "
            f"{type(axis).__name__}"
        )
    with name_scope(name, "Repeat", [data, repeats]):
        data = convert_to_tensor(data, name="data")
        repeats = _int_tensor(repeats, "repeats")
        repeats.shape.with_rank_at_most(1)
        data = _with_nonzero_rank(data)
        data_shape = shape(data, out_type=repeats.dtype)
        axis = _positive_axis(axis, data.shape.ndims)
        if repeats.shape.num_elements() == 1:
            count = constant_value(repeats)
            repeats = _to_scalar(repeats)
            expanded = expand_dims(data, axis + 1)
            tiled = _tile_one_dimension(expanded, axis + 1, repeats)
            result_shape = concat(
                [data_shape[:axis], [repeats * data_shape[axis]], data_shape[axis + 1 :]], axis=0
            )
            result = reshape(tiled, result_shape)
            # what TF's shape inference folds from the constant parts of result_shape
            dims = data.shape.as_list()
            size = (
                None
                if count is None or dims[axis] is None
                else int(np.ravel(count)[0]) * dims[axis]
            )
            result.set_shape([*dims[:axis], size, *dims[axis + 1 :]])
            return result
        if repeats.shape.ndims == 1:
            data.shape.dims[axis].assert_is_compatible_with(repeats.shape[0])
        repeats = broadcast_to(repeats, [data_shape[axis]])
        repeats_original = repeats
        if repeats.shape.ndims != axis + 1:
            repeats_shape, repeats_ndims = shape(repeats), rank(repeats)
            broadcast_shape = concat(
                [data_shape[: axis + 1 - repeats_ndims], repeats_shape], axis=0
            )
            repeats = broadcast_to(repeats, broadcast_shape)
            repeats.set_shape([None] * (axis + 1))
        all_axes = constant(np.arange(repeats.shape.ndims), dtype=dtypes.int32)
        max_repeat = apply_op("Max", [repeats, all_axes], {"keep_dims": False}, name="Max")
        max_repeat = maximum(convert_to_tensor(0, name="zero", dtype=max_repeat.dtype), max_repeat)
        mask = sequence_mask(repeats, max_repeat)
        expanded = expand_dims(data, axis + 1)
        tiled = _tile_one_dimension(expanded, axis + 1, max_repeat)
        masked = boolean_mask(tiled, mask)
        if axis == 0:
            return masked
        limit = rank(repeats_original)
        with name_scope(None, "Range") as range_name:
            start = constant(0, dtype=dtypes.int32, name="start")
            delta = constant(1, dtype=dtypes.int32, name="delta")
            all_axes = apply_op("Range", [start, limit, delta], name=range_name)
        repeated_dim_size = apply_op(
            "Sum", [repeats_original, all_axes], {"keep_dims": False}, name="Sum"
        )
        result_shape = concat(
            [data_shape[:axis], [repeated_dim_size], data_shape[axis + 1 :]], axis=0
        )
        return reshape(masked, result_shape)


@undo.atomic
def repeat(input, repeats, axis=None, name=None):  # noqa: A002 - TF's argument name
    """Each element of ``input`` repeated ``repeats`` times along ``axis`` (the flattened
    input when ``None``); ``repeats`` is one count or one per element of the axis.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.repeat([[1, 2], [3, 4]], [1, 2], axis=0)))
    [[1 2]
     [3 4]
     [3 4]]
    """
    if axis is None:
        input = reshape(input, [-1])  # noqa: A001
        axis = 0
    return _repeat_with_axis(input, repeats, axis, name)


__all__ = ["repeat"]
