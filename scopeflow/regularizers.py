"""Weight regularizers for ``get_variable(regularizer=...)``, as TF1's
``tf.contrib.layers.l1_regularizer``/``l2_regularizer``: each maps a weight tensor to a scalar
penalty, which ``get_variable`` adds to ``REGULARIZATION_LOSSES`` (``tf.losses.
get_regularization_loss`` sums them).

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     w = tf.get_variable("w", initializer=[3.0, 4.0],
...                         regularizer=tf.contrib.layers.l2_regularizer(0.1))
...     (penalty,) = tf.losses.get_regularization_losses()
...     with tf.Session() as sess:
...         sess.run(tf.global_variables_initializer())
...         print(penalty.name, round(float(sess.run(penalty)), 5))
w/Regularizer/l2_regularizer:0 1.25
"""

from __future__ import annotations

import logging
import numbers

from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph import GraphKeys
from scopeflow.framework.graph_api import name_scope
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math import reduction as reduction_ops
from scopeflow.ops.nn import basic as nn_ops

_log = logging.getLogger("scopeflow")


def _check_scale(scale, arg: str = "scale") -> bool:
    """Validates a scale; ``False`` when it disables the regularizer (zero)."""
    if isinstance(scale, numbers.Integral):
        raise ValueError(f"{arg} cannot be an integer: {scale}")
    if isinstance(scale, numbers.Real):
        if scale < 0.0:
            raise ValueError(f"Setting a scale less than 0 on a regularizer: {scale:g}.")
        if scale == 0.0:
            _log.info("Scale of 0 disables regularizer.")
            return False
    return True


def l1_regularizer(scale, scope=None):
    """A regularizer ``w -> scale * sum(|w|)`` (``None`` for every ``w`` when scale is 0).

    Raises:
        ValueError: ``scale`` is an integer or negative.
    """
    if not _check_scale(scale):
        return lambda _: None

    def l1(weights):
        with name_scope(scope, "l1_regularizer", [weights]) as name:
            my_scale = convert_to_tensor(scale, dtype=weights.dtype.base_dtype, name="scale")
            total = reduction_ops.reduce_sum(math_ops.abs(weights))
            return math_ops.multiply(my_scale, total, name=name)

    return l1


def l2_regularizer(scale, scope=None):
    """A regularizer ``w -> scale * sum(w ** 2) / 2`` (``tf.nn.l2_loss``).

    Raises:
        ValueError: ``scale`` is an integer or negative.
    """
    if not _check_scale(scale):
        return lambda _: None

    def l2(weights):
        with name_scope(scope, "l2_regularizer", [weights]) as name:
            my_scale = convert_to_tensor(scale, dtype=weights.dtype.base_dtype, name="scale")
            return math_ops.multiply(my_scale, nn_ops.l2_loss(weights), name=name)

    return l2


def sum_regularizer(regularizer_list, scope=None):
    """A regularizer adding the penalties of ``regularizer_list`` (``None`` if it is empty)."""
    regularizers = [r for r in regularizer_list if r is not None]
    if not regularizers:
        return None

    def sum_reg(weights):
        with name_scope(scope, "sum_regularizer", [weights]) as name:
            penalties = [p for p in (r(weights) for r in regularizers) if p is not None]
            return math_ops.add_n(penalties, name=name) if penalties else None

    return sum_reg


def l1_l2_regularizer(scale_l1=1.0, scale_l2=1.0, scope=None):
    """``l1_regularizer(scale_l1)`` plus ``l2_regularizer(scale_l2)``."""
    _check_scale(scale_l1, "scale_l1")
    _check_scale(scale_l2, "scale_l2")
    scope = scope or "l1_l2_regularizer"
    if scale_l1 == 0.0:
        return l2_regularizer(scale_l2, scope)
    if scale_l2 == 0.0:
        return l1_regularizer(scale_l1, scope)
    return sum_regularizer([l1_regularizer(scale_l1), l2_regularizer(scale_l2)], scope=scope)


def apply_regularization(regularizer, weights_list=None):
    """The sum of ``regularizer`` over ``weights_list`` (default: the ``WEIGHTS``
    collection), added to ``REGULARIZATION_LOSSES``.

    Raises:
        ValueError: no weights, or a penalty that is not a scalar.
    """
    graph = get_default_graph()
    if not weights_list:
        weights_list = graph.get_collection(GraphKeys.WEIGHTS)
    if not weights_list:
        raise ValueError("No weights to regularize.")
    with name_scope("get_regularization_penalty", values=weights_list) as scope:
        penalties = [regularizer(w) for w in weights_list]
        penalties = [constant(0.0) if p is None else p for p in penalties]
        for p in penalties:
            if p.get_shape().ndims != 0:
                raise ValueError(
                    "regularizer must return a scalar Tensor instead of a Tensor with rank "
                    f"{p.get_shape().ndims}."
                )
        summed = math_ops.add_n(penalties, name=scope)
        graph.add_to_collection(GraphKeys.REGULARIZATION_LOSSES, summed)
        return summed
