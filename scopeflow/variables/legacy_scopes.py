"""TF1's deprecated spellings of the scopes, with their own argument order: ``op_scope``
(``name_scope`` with ``values`` first) and ``variable_op_scope`` (``variable_scope`` with
``values`` first)."""

from __future__ import annotations

import contextlib

from scopeflow.framework.graph_api import name_scope
from scopeflow.variables.variable_scope import variable_scope


@contextlib.contextmanager
def op_scope(values, name, default_name=None):
    """``tf.name_scope(name, default_name, values)`` (deprecated in TF1 for it).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     with tf.op_scope([], "layer") as scope:
    ...         print(scope)
    layer/
    """
    with name_scope(name, default_name=default_name, values=values) as scope:
        yield scope


@contextlib.contextmanager
def variable_op_scope(
    values,
    name_or_scope,
    default_name=None,
    initializer=None,
    regularizer=None,
    caching_device=None,
    partitioner=None,
    custom_getter=None,
    reuse=None,
    dtype=None,
    use_resource=None,
    constraint=None,
):
    """``tf.variable_scope(name_or_scope, default_name, values, ...)`` (deprecated in TF1 for
    it).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     with tf.variable_op_scope([], None, "dense"):
    ...         print(tf.get_variable("w", [1]).name)
    dense/w:0
    """
    with variable_scope(
        name_or_scope,
        default_name=default_name,
        values=values,
        initializer=initializer,
        regularizer=regularizer,
        caching_device=caching_device,
        partitioner=partitioner,
        custom_getter=custom_getter,
        reuse=reuse,
        dtype=dtype,
        use_resource=use_resource,
        constraint=constraint,
    ) as scope:
        yield scope


__all__ = ["op_scope", "variable_op_scope"]
