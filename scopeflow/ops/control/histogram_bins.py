"""``tf.histogram_fixed_width_bins``: the bin of each value among ``nbins`` equal bins over
``value_range``, built from other ops as TF builds it (its ``nbins > 0`` check is an
``Assert``, hence its place among the control ops)."""

from __future__ import annotations

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.ops.array.basic import reshape, shape
from scopeflow.ops.array.cast import cast
from scopeflow.ops.control.assertions import Assert
from scopeflow.ops.control.grouping import with_dependencies
from scopeflow.ops.math.clip import clip_by_value
from scopeflow.ops.math.division import truediv
from scopeflow.ops.math.elementwise import floor, greater


@undo.atomic
def histogram_fixed_width_bins(values, value_range, nbins=100, dtype=dtypes.int32, name=None):
    """For each of ``values``, the index of its bin among ``nbins`` equal bins over
    ``value_range`` (``[low, high]``), in ``values``' shape; values below ``low`` fall in bin
    0, from ``high`` up in the last.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     bins = tf.histogram_fixed_width_bins([-1.0, 0.0, 1.5, 2.0, 5.0, 15], [0.0, 5.0], 5)
    ...     print(tf.Session().run(bins))
    [0 0 1 2 4 4]
    """
    with name_scope(name, "histogram_fixed_width_bins", [values, value_range, nbins]):
        values = convert_to_tensor(values, name="values")
        values_shape = shape(values)
        values = reshape(values, [-1])
        value_range = convert_to_tensor(value_range, name="value_range")
        nbins = convert_to_tensor(nbins, dtype=dtypes.int32, name="nbins")
        check = Assert(greater(nbins, 0), [f"nbins {nbins} must > 0"])
        nbins = with_dependencies([check], nbins)
        nbins_float = cast(nbins, values.dtype)
        scaled_values = truediv(
            values - value_range[0], value_range[1] - value_range[0], name="scaled_values"
        )
        indices = floor(nbins_float * scaled_values, name="indices")
        indices = cast(clip_by_value(indices, 0, nbins_float - 1), dtypes.int32)
        return reshape(indices, values_shape)


__all__ = ["histogram_fixed_width_bins"]
