"""The loss collections: ``tf.losses.add_loss``, ``get_losses``, the regularization losses
(``get_variable(regularizer=...)`` adds them) and ``get_total_loss``."""

from __future__ import annotations

from scopeflow.framework.constant import constant
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph import GraphKeys
from scopeflow.ops.math import elementwise as math_ops


def add_loss(loss, loss_collection=GraphKeys.LOSSES) -> None:
    """Adds ``loss`` to ``loss_collection`` (nothing when the collection is ``None``)."""
    if loss_collection:
        get_default_graph().add_to_collection(loss_collection, loss)


def get_losses(scope=None, loss_collection=GraphKeys.LOSSES) -> list:
    """The losses in ``loss_collection`` whose names start with ``scope`` (a regex)."""
    return get_default_graph().get_collection(loss_collection, scope)


def get_regularization_losses(scope=None) -> list:
    """The losses that regularizers added (``REGULARIZATION_LOSSES``)."""
    return get_default_graph().get_collection(GraphKeys.REGULARIZATION_LOSSES, scope)


def get_regularization_loss(scope=None, name="total_regularization_loss"):
    """The sum of the regularization losses (``AddN`` named ``name``), or the constant 0.0
    when there are none."""
    losses = get_regularization_losses(scope)
    if losses:
        return math_ops.add_n(losses, name=name)
    return constant(0.0)


def get_total_loss(add_regularization_losses=True, name="total_loss", scope=None):
    """The sum (``AddN`` named ``name``) of the losses in ``LOSSES`` and, by default, the
    regularization losses.

    Raises:
        ValueError: there are no losses at all.
    """
    losses = get_losses(scope=scope)
    if add_regularization_losses:
        losses += get_regularization_losses(scope=scope)
    if not losses:
        raise ValueError(
            "No losses to sum: tf.losses.get_total_loss found no loss in the LOSSES or "
            "REGULARIZATION_LOSSES collections. Create losses with tf.losses.* or "
            "tf.losses.add_loss first."
        )
    return math_ops.add_n(losses, name=name)
