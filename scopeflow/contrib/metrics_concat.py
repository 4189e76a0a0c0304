"""``tf.contrib.metrics.streaming_concat``: the values of every batch so far, concatenated
along an axis, in a local variable that grows by 1.5x when full (or stops at ``max_size``),
as TF 1.15 (tf_slim) keeps it (local variables ``array`` and ``size``)."""

from __future__ import annotations

from scopeflow.framework import dtypes
from scopeflow.framework.graph import GraphKeys
from scopeflow.framework.graph_api import add_to_collections, control_dependencies
from scopeflow.ops.array.basic import shape, stack, zeros
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.transpose import transpose
from scopeflow.ops.control.cond import cond
from scopeflow.ops.control.grouping import no_op
from scopeflow.ops.math.elementwise import ceil, log, minimum
from scopeflow.ops.state.storage import assign
from scopeflow.variables.variable_scope import variable_scope
from scopeflow.variables.variables import Variable


def _next_array_size(required, growth: float = 1.5):
    """The smallest power of ``growth`` at least ``required``, rounded up, as int32."""
    exponent = ceil(log(cast(required, dtypes.float32)) / log(cast(growth, dtypes.float32)))
    return cast(ceil(growth**exponent), dtypes.int32)


def _local(initial, dtype, name: str, validate_shape: bool = True) -> Variable:
    return Variable(
        lambda: zeros(initial, dtype),
        trainable=False,
        collections=[GraphKeys.LOCAL_VARIABLES, GraphKeys.METRIC_VARIABLES],
        validate_shape=validate_shape,
        name=name,
    )


def streaming_concat(
    values, axis=0, max_size=None, metrics_collections=None, updates_collections=None, name=None
):
    """All ``values`` seen so far concatenated along ``axis`` (the first ``max_size`` when
    given); returns ``(value, update_op)``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.placeholder(tf.int32, [None])
    ...     seen, update = tf.contrib.metrics.streaming_concat(x)
    ...     with tf.Session() as sess:
    ...         sess.run(tf.local_variables_initializer())
    ...         _ = sess.run(update, {x: [1, 2]})
    ...         _ = sess.run(update, {x: [3]})
    ...         print(sess.run(seen).tolist())
    [1, 2, 3]

    Raises:
        ValueError: ``values`` of unknown rank, an ``axis`` outside it, or other dimensions
            not known statically.
    """
    with variable_scope(name, "streaming_concat", (values,)):
        values_shape = values.get_shape()
        if values_shape.dims is None:
            raise ValueError("`values` must have known statically known rank")
        ndim = len(values_shape)
        if axis < 0:
            axis += ndim
        if not 0 <= axis < ndim:
            raise ValueError(f"axis = {axis!r} not in [0, {ndim!r})")
        fixed_shape = [dim.value for n, dim in enumerate(values_shape.dims) if n != axis]
        if any(value is None for value in fixed_shape):
            raise ValueError(
                "all dimensions of `values` other than the dimension to concatenate along "
                "must have statically known size"
            )
        init_size = 0 if max_size is None else max_size
        array = _local([init_size, *fixed_shape], values.dtype, "array", validate_shape=False)
        size = _local([], dtypes.int32, "size")
        to_axis = [0 if n == axis else n + 1 if n < axis else n for n in range(ndim)]
        valid_array = array[:size]
        valid_array.set_shape([None, *fixed_shape])
        value = transpose(valid_array, to_axis, name="concat")
        values_size = shape(values)[axis]
        batch_size = values_size if max_size is None else minimum(values_size, max_size - size)
        to_front = [axis] + [n for n in range(ndim) if n != axis]
        batch_values = transpose(values, to_front)[:batch_size]
        new_size = size + batch_size

        def reallocate():
            next_shape = stack([_next_array_size(new_size), *fixed_shape])
            old_value = array.value()
            with control_dependencies([old_value]):
                assign_op = assign(
                    array, zeros(next_shape, dtype=values.dtype), validate_shape=False
                )
            with control_dependencies([assign_op]):
                copy_op = array[:size].assign(old_value[:size])
            with control_dependencies([copy_op]):
                return no_op()

        array_size = shape(array)[0]
        maybe_reallocate = cond(new_size > array_size, reallocate, no_op)
        with control_dependencies([maybe_reallocate]):
            append_values = array[size:new_size].assign(batch_values)
        with control_dependencies([append_values]):
            update_op = size.assign(new_size)
        if metrics_collections:
            add_to_collections(metrics_collections, value)
        if updates_collections:
            add_to_collections(updates_collections, update_op)
        return value, update_op
