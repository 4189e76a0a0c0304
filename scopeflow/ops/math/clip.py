"""Clipping: ``tf.clip_by_value``, and by norm ``tf.clip_by_norm``, ``tf.global_norm`` and
``tf.clip_by_global_norm``. Composed from existing ops; no op types of their own.

Each takes ``IndexedSlices`` (the gradient of an embedding lookup) as TF1 does: the values are
clipped (and measured) as they are, and the result keeps the indices and dense shape."""

from __future__ import annotations

from collections.abc import Sequence

from scopeflow.framework import undo
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.indexed_slices import IndexedSlices
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array import shape as shape_ops
from scopeflow.ops.core import build
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math import reduction as reduction_ops
from scopeflow.ops.math import selection as selection_ops


@undo.atomic
def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    """``t`` clipped to ``[clip_value_min, clip_value_max]``: a ``Minimum`` then a
    ``Maximum`` named ``clip_by_value``, as in TF1. The bounds may broadcast into ``t`` but
    must not enlarge its shape."""
    with name_scope(name, "clip_by_value", [_values(t), clip_value_min, clip_value_max]) as scope:
        values = convert_to_tensor(_values(t), name="t")
        clipped = math_ops.maximum(
            math_ops.minimum(values, clip_value_max), clip_value_min, name=scope
        )
        values.shape.assert_is_compatible_with(clipped.shape)
        return _like(t, clipped)


@undo.atomic
def clip_by_norm(t, clip_norm, axes=None, name=None):
    """``t * clip_norm / max(l2norm(t), clip_norm)``, the L2 norm taken over ``axes`` (default:
    all), so ``t`` is unchanged when its norm is at most ``clip_norm``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     c = tf.clip_by_norm([3.0, 4.0], 1.0)
    ...     with tf.Session() as sess:
    ...         print(c.name, sess.run(c))
    clip_by_norm:0 [0.6 0.8]
    """
    with name_scope(name, "clip_by_norm", [_values(t), clip_norm]) as scope:
        values = convert_to_tensor(_values(t), name="t")
        l2sum = reduction_ops.reduce_sum(values * values, axes, keepdims=True)
        pred = l2sum > 0
        # The second select keeps the gradient finite where the norm is zero.
        l2sum_safe = selection_ops.where(pred, l2sum, shape_ops.ones_like(l2sum))
        l2norm = selection_ops.where(pred, math_ops.sqrt(l2sum_safe), l2sum)
        intermediate = values * clip_norm
        values.shape.assert_is_compatible_with(intermediate.shape)
        clipped = array_ops.identity(intermediate / math_ops.maximum(l2norm, clip_norm), name=scope)
        return _like(t, clipped)


def _values(t):
    """The tensor clipping measures and scales: an IndexedSlices' values, else ``t``."""
    return t.values if isinstance(t, IndexedSlices) else t


def _like(t, clipped):
    """``clipped`` values in the form of ``t``: with its indices when it is an IndexedSlices."""
    return (
        IndexedSlices(clipped, t.indices, t.dense_shape)
        if isinstance(t, IndexedSlices)
        else clipped
    )


def _check_sequence(t_list) -> list:
    if not isinstance(t_list, Sequence) or isinstance(t_list, str):
        raise TypeError("t_list should be a sequence")
    return list(t_list)


@undo.atomic
def global_norm(t_list, name=None):
    """``sqrt(sum(l2norm(t) ** 2 for t in t_list))``; ``None`` entries are ignored."""
    t_list = _check_sequence(t_list)
    with name_scope(name, "global_norm", [_values(t) for t in t_list if t is not None]):
        values = [
            convert_to_tensor(_values(t), name=f"t_{i}")
            for i, t in enumerate(t_list)
            if t is not None
        ]
        half_squared_norms = [build.l2_loss(v) for v in values]
        half_squared_norm = reduction_ops.reduce_sum(array_ops.stack(half_squared_norms))
        two = constant(2.0, dtype=half_squared_norm.dtype.base_dtype)
        return math_ops.sqrt(half_squared_norm * two, name="global_norm")


@undo.atomic
def clip_by_global_norm(t_list, clip_norm, use_norm=None, name=None):
    """``(clipped, norm)``: each tensor scaled by ``clip_norm / max(norm, clip_norm)``, with
    ``norm = global_norm(t_list)`` unless ``use_norm`` is given; ``None`` entries stay
    ``None``. A non-finite norm makes every clipped tensor NaN, as in TF.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     (a, none), norm = tf.clip_by_global_norm([[3.0, 4.0], None], 1.0)
    ...     with tf.Session() as sess:
    ...         a_value, norm_value = sess.run([a, norm])
    >>> a_value, float(norm_value), none
    (array([0.6, 0.8], dtype=float32), 5.0, None)
    """
    t_list = _check_sequence(t_list)
    present = [_values(t) for t in t_list if t is not None]
    if use_norm is None:
        use_norm = global_norm(t_list, name)
    with name_scope(name, "clip_by_global_norm", [*present, clip_norm]) as scope:
        inverse_norm = 1.0 / use_norm
        one = constant(1.0, dtype=use_norm.dtype.base_dtype)
        scale_for_finite = clip_norm * math_ops.minimum(inverse_norm, one / clip_norm)
        scale = scale_for_finite + (use_norm - use_norm)  # NaN when the norm is not finite
        clipped = []
        for i, t in enumerate(t_list):
            if t is None:
                clipped.append(None)
                continue
            v = convert_to_tensor(_values(t), name=f"t_{i}")
            factor = math_ops.cast(scale, v.dtype.base_dtype)
            clipped.append(_like(t, array_ops.identity(v * factor, name=f"{scope}_{i}")))
    return clipped, use_norm


__all__ = ["clip_by_global_norm", "clip_by_norm", "clip_by_value", "global_norm"]
