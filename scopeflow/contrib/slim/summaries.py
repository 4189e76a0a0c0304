"""``tf.contrib.slim.summaries``: TF-Slim's summary helpers - a tensor's histogram, image,
scalar or fraction of zeros under its op name (with an optional prefix), one or many at a
time, ``print_summary`` adding a ``tf.Print`` of the value."""

from __future__ import annotations

from scopeflow.framework.graph import GraphKeys
from scopeflow.framework.graph_api import add_to_collection
from scopeflow.ops.control.printing import Print
from scopeflow.ops.nn.composite import zero_fraction
from scopeflow.summary.summary_ops import histogram, image, scalar

__all__ = [
    "add_histogram_summaries",
    "add_histogram_summary",
    "add_image_summaries",
    "add_image_summary",
    "add_scalar_summaries",
    "add_scalar_summary",
    "add_zero_fraction_summaries",
    "add_zero_fraction_summary",
]


def _summary_name(tensor, name=None, prefix=None, postfix=None) -> str:
    name = name or tensor.op.name
    if prefix:
        name = f"{prefix}/{name}"
    if postfix:
        name = f"{name}/{postfix}"
    return name


def add_histogram_summary(tensor, name=None, prefix=None):
    """A histogram summary of ``tensor`` (named after its op)."""
    return histogram(_summary_name(tensor, name, prefix), tensor)


def _printed(make, tensor, name, prefix, print_summary):
    summary_name = _summary_name(tensor, name, prefix)
    op = make(name=summary_name, tensor=tensor, collections=[] if print_summary else None)
    if print_summary:
        op = Print(op, [tensor], summary_name)
        add_to_collection(GraphKeys.SUMMARIES, op)
    return op


def add_image_summary(tensor, name=None, prefix=None, print_summary=False):
    """An image summary of ``tensor``; with ``print_summary``, printed as it is written."""
    return _printed(image, tensor, name, prefix, print_summary)


def add_scalar_summary(tensor, name=None, prefix=None, print_summary=False):
    """A scalar summary of ``tensor``; with ``print_summary``, printed as it is written.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     loss = tf.constant(0.5, name="loss")
    ...     print(tf.contrib.slim.summaries.add_scalar_summary(loss, prefix="losses").name)
    losses/loss:0
    """
    return _printed(scalar, tensor, name, prefix, print_summary)


def add_zero_fraction_summary(tensor, name=None, prefix=None, print_summary=False):
    """A scalar summary of the fraction of ``tensor``'s values that are zero
    (``<name>/Fraction_of_Zero_Values``)."""
    name = _summary_name(tensor, name, prefix, "Fraction_of_Zero_Values")
    return add_scalar_summary(zero_fraction(tensor), name, print_summary=print_summary)


def add_histogram_summaries(tensors, prefix=None) -> list:
    return [add_histogram_summary(t, prefix=prefix) for t in tensors]


def add_image_summaries(tensors, prefix=None) -> list:
    return [add_image_summary(t, prefix=prefix) for t in tensors]


def add_scalar_summaries(tensors, prefix=None, print_summary=False) -> list:
    return [add_scalar_summary(t, prefix=prefix, print_summary=print_summary) for t in tensors]


def add_zero_fraction_summaries(tensors, prefix=None) -> list:
    return [add_zero_fraction_summary(t, prefix=prefix) for t in tensors]
