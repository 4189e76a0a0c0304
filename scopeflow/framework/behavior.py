"""TF1's switches between its two generations of variables and control flow. Variables:
``tf.enable_resource_variables()`` makes later ``tf.Variable``/``tf.get_variable`` calls
that do not say ``use_resource`` (nor their variable scope) make resource variables, for the
whole process, as TF's switch does; ``disable_resource_variables`` (and
``tf.disable_v2_behavior()``) goes back to reference variables. Control flow: scopeflow has
TF1's own (``Switch``/``Merge``/``Enter``/``Exit``), so its ``disable_*`` switch keeps what
is, the query says so, and the ``enable_*`` switches, which would change what later code
builds, raise ``NotImplementedError``."""

from __future__ import annotations

# The process-wide default of ``use_resource`` (TF's ``_DEFAULT_USE_RESOURCE``).
_USE_RESOURCE = {"default": False}


def resource_variables_enabled() -> bool:
    """Whether variables made without ``use_resource`` are resource variables (False unless
    ``tf.enable_resource_variables()`` was called).

    >>> import scopeflow as tf
    >>> tf.resource_variables_enabled()
    False
    """
    return _USE_RESOURCE["default"]


def enable_resource_variables() -> None:
    """Later variables made without ``use_resource`` are resource variables (``VarHandleOp``)."""
    _USE_RESOURCE["default"] = True


def disable_resource_variables() -> None:
    """Later variables made without ``use_resource`` are reference variables (``VariableV2``)."""
    _USE_RESOURCE["default"] = False


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
