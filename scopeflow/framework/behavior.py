"""TF1's switches between its two generations of variables and control flow. scopeflow has
TF1's own: reference variables and ``Switch``/``Merge``/``Enter``/``Exit`` control flow, so
the ``disable_*`` switches keep what is (as after ``tf.compat.v1.disable_v2_behavior()``),
the queries say so, and the ``enable_*`` switches, which would change what later code
builds, raise ``NotImplementedError``."""

from __future__ import annotations


def resource_variables_enabled() -> bool:
    """False: ``tf.Variable`` and ``tf.get_variable`` make TF1's reference variables.

    >>> import scopeflow as tf
    >>> tf.resource_variables_enabled()
    False
    """
    return False


def enable_resource_variables() -> None:
    """Not supported: scopeflow's variables are TF1's reference variables (``VariableV2``)."""
    raise NotImplementedError(
        "enable_resource_variables: scopeflow makes TF1's reference variables (VariableV2) "
        "only; remove the call (tf.disable_resource_variables() keeps them)."
    )


def disable_resource_variables() -> None:
    """Keeps TF1's reference variables, which scopeflow always makes (a no-op)."""


def control_flow_v2_enabled() -> bool:
    """False: ``tf.cond`` and ``tf.while_loop`` build TF1's ``Switch``/``Merge`` graphs.

    >>> import scopeflow as tf
    >>> tf.control_flow_v2_enabled()
    False
    """
    return False


def enable_control_flow_v2() -> None:
    """Not supported: ``tf.cond`` and ``tf.while_loop`` build TF1's control-flow ops."""
    raise NotImplementedError(
        "enable_control_flow_v2: scopeflow builds TF1's control flow (Switch, Merge, Enter, "
        "Exit) only; remove the call (tf.disable_control_flow_v2() keeps it)."
    )


def disable_control_flow_v2() -> None:
    """Keeps TF1's control flow, which scopeflow always builds (a no-op)."""


def enable_tensor_equality() -> None:
    """Not supported: tensors compare by identity, as in TF1 (use ``tf.equal`` for values)."""
    raise NotImplementedError(
        "enable_tensor_equality: scopeflow's tensors compare and hash by identity, as TF1's "
        "do; compare values with tf.equal (tf.disable_tensor_equality() keeps identity)."
    )


def disable_tensor_equality() -> None:
    """Keeps TF1's identity comparison of tensors, which scopeflow always has (a no-op)."""


def enable_v2_tensorshape() -> None:
    """Not supported: ``TensorShape`` items are TF1's ``Dimension`` objects."""
    raise NotImplementedError(
        "enable_v2_tensorshape: scopeflow's TensorShape gives TF1's Dimension objects; read "
        "integers with tf.dimension_value(shape[i]) or shape.as_list() instead."
    )


def disable_v2_tensorshape() -> None:
    """Keeps TF1's ``Dimension`` items in ``TensorShape``, which scopeflow always has."""


__all__ = [
    "control_flow_v2_enabled",
    "disable_control_flow_v2",
    "disable_resource_variables",
    "disable_tensor_equality",
    "disable_v2_tensorshape",
    "enable_control_flow_v2",
    "enable_resource_variables",
    "enable_tensor_equality",
    "enable_v2_tensorshape",
    "resource_variables_enabled",
]
