"""Run-time assertions: TF1's ``Assert`` op (``tf.Assert``) and the element-wise assertions of
``tf.debugging`` (``assert_equal``, ``assert_less``, ``assert_near``...).

They are built as TF1 builds them, names included: an element-wise assertion whose operands
are both known while building is checked then (``InvalidArgumentError`` at the line that
made it); otherwise it is an ``Assert`` op that fails the run with ``InvalidArgumentError``.
``tf.Assert`` guards its ``Assert`` with a ``tf.cond`` (``Assert/AssertGuard/...``) unless
all its data are strings or int32, so that the data are only read when the check fails.
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, errors, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.control.cond import cond
from scopeflow.ops.control.grouping import no_op
from scopeflow.ops.control.printing import summarize_v1
from scopeflow.ops.core.infer import check_bool, constant_value
from scopeflow.ops.math.elementwise import (
    abs,
    equal,
    greater,
    greater_equal,
    less,
    less_equal,
    not_equal,
)
from scopeflow.ops.math.reduction import reduce_all

# -- the Assert op --------------------------------------------------------------------------


def _assert_infer(inputs, attrs):
    check_bool("Assert", "condition", inputs[0])
    if len(inputs) < 2:
        raise ValueError("Attr 'T' of 'Assert' Op passed list of length 0 less than minimum 1.")
    return []


def node_note(op) -> str:
    """The line a run-time error of ``op`` ends with: the node and where the user made it."""
    return f"\n\t [[node {op.name} (op {op.type}) defined at {op.location}]]"


def _assert_kernel(ctx, op, condition, *data):
    if np.ndim(condition) != 0:
        raise errors.InvalidArgumentError(
            None, op, f"In[0] should be a scalar: {list(np.shape(condition))}" + node_note(op)
        )
    if condition:
        return ()
    summarize = op._attrs["summarize"]
    text = " ".join(summarize_v1(d, summarize) for d in data)
    raise errors.InvalidArgumentError(None, op, f"assertion failed: {text}" + node_note(op))


register_op(
    "Assert",
    _assert_infer,
    kernel=_assert_kernel,
    grad=NOT_DIFFERENTIABLE,
    stateful=True,
    host_only=True,
)


def _assert_op(condition, data, summarize, name="Assert"):
    """The ``Assert`` op itself, its inputs converted in its own scope as TF's op builder does
    (``Assert/condition``, ``Assert/data_1``)."""
    with name_scope(name) as scope:
        condition = convert_to_tensor(condition, name="condition")
        data = [convert_to_tensor(d, name=f"data_{i}") for i, d in enumerate(data)]
        attrs = {"T": [d.dtype.base_dtype for d in data]}
        attrs["summarize"] = 3 if summarize is None else int(summarize)
        return get_default_graph().create_op("Assert", [condition, *data], attrs, name=scope)


@undo.atomic
def Assert(condition, data, summarize=None, name=None):  # noqa: N802 - TF1's public name
    """An op that, when run, fails with ``InvalidArgumentError`` if ``condition`` is false,
    showing the first ``summarize`` (3) entries of each tensor in ``data``.

    Make it a control dependency of what must wait for the check.

    >>> import scopeflow as tf
    >>> x = tf.placeholder(tf.float32, [2])
    >>> check = tf.Assert(tf.reduce_all(x > 0), ["x must be positive:", x])
    >>> with tf.control_dependencies([check]):
    ...     y = tf.log(x)
    >>> sess = tf.Session()
    >>> print(sess.run(y, {x: [1.0, 1.0]}))
    [0. 0.]
    >>> try:
    ...     sess.run(y, {x: [1.0, -2.0]})
    ... except tf.errors.InvalidArgumentError as e:
    ...     print(e.message.splitlines()[0])
    assertion failed: [x must be positive:] [1 -2]
    """
    with name_scope(name, "Assert", [condition, data]):
        xs = [convert_to_tensor(d) for d in data]
        if all(x.dtype in (dtypes.string, dtypes.int32) for x in xs):
            # As TF1: such data are taken to be on the host already, so no guard is needed.
            return _assert_op(condition, data, summarize)
        condition = convert_to_tensor(condition, name="Condition")
        guarded = cond(
            condition,
            no_op,
            lambda: _assert_op(condition, data, summarize),
            name="AssertGuard",
        )
        return guarded.op


# -- element-wise assertions -----------------------------------------------------------------


def message_prefix(message) -> str:
    """TF1's prefix for a user's ``message``: ``"<message>.  "``, or nothing."""
    return f"{message}.  " if message else ""


def _static_text(item) -> str:
    value = constant_value(item) if hasattr(item, "op") else None
    return str(item) if value is None else str(value)


def _assert_static(holds, data) -> None:
    """Raises now what the ``Assert`` would raise when run: its data, one item a line."""
    if not holds:
        raise errors.InvalidArgumentError(None, None, "\n".join(_static_text(d) for d in data))


def _binary_assert(sym, opname, compare, static_compare, x, y, data, summarize, message, name):
    with name_scope(name, opname, [x, y, data]):
        x = convert_to_tensor(x, name="x")
        y = convert_to_tensor(y, name="y")
        if data is None:
            data = [
                f"Condition x {sym} y did not hold element-wise:",
                f"x ({x.name}) = ",
                x,
                f"y ({y.name}) = ",
                y,
            ]
        if message is not None:
            data = [message, *data]
        condition = reduce_all(compare(x, y))
        x_static, y_static = constant_value(x), constant_value(y)
        if x_static is not None and y_static is not None:
            _assert_static(np.all(static_compare(x_static, y_static)), data)
        return Assert(condition, data, summarize=summarize)


def _binary(sym: str, opname: str, compare, static_compare):
    def assertion(x, y, data=None, summarize=None, message=None, name=None):
        return _binary_assert(
            sym, opname, compare, static_compare, x, y, data, summarize, message, name
        )

    assertion.__name__ = assertion.__qualname__ = opname
    assertion.__doc__ = (
        f"An op failing the run unless ``x {sym} y`` holds element-wise (checked now when both "
        "are known while building)."
    )
    return undo.atomic(assertion)


@undo.atomic
def assert_equal(x, y, data=None, summarize=None, message=None, name=None):
    """An op failing the run with ``InvalidArgumentError`` unless ``x == y`` element-wise.

    When both are known while building, the check is made then (and fails then).

    >>> import scopeflow as tf
    >>> x = tf.placeholder(tf.int32, [2], name="x")
    >>> check = tf.assert_equal(x, [1, 2], data=[x], message="x is off:")
    >>> check.name
    'assert_equal_1/Assert/Assert'
    >>> try:
    ...     tf.Session().run(check, {x: [1, 3]})
    ... except tf.errors.InvalidArgumentError as e:
    ...     print(e.message.splitlines()[0])
    assertion failed: [x is off:] [1 3]
    """
    with name_scope(name, "assert_equal", [x, y, data]):
        if x is y:  # TF1 checks nothing then (leaving the scope name used)
            return no_op()
    return _binary_assert(
        "==", "assert_equal", equal, np.equal, x, y, data, summarize, message, name
    )


assert_none_equal = _binary("!=", "assert_none_equal", not_equal, np.not_equal)
assert_less = _binary("<", "assert_less", less, np.less)
assert_less_equal = _binary("<=", "assert_less_equal", less_equal, np.less_equal)
assert_greater = _binary(">", "assert_greater", greater, np.greater)
assert_greater_equal = _binary(">=", "assert_greater_equal", greater_equal, np.greater_equal)


def _unary(opname: str, sym: str, check, zero_first: bool, data_text: list[str]):
    """``assert_negative`` and the like: ``check`` (an ``assert_less``...) of ``x`` against a
    zero of its dtype; ``data_text`` are TF1's words around ``x``'s name."""

    def assertion(x, data=None, summarize=None, message=None, name=None):
        message = message_prefix(message)
        with name_scope(name, opname, [x, data]):
            x = convert_to_tensor(x, name="x")
            if data is None:
                data = [message, *(text.format(x.name) for text in data_text), x]
            zero = convert_to_tensor(0, dtype=x.dtype.base_dtype)
            first, second = (zero, x) if zero_first else (x, zero)
            return check(first, second, data=data, summarize=summarize)

    assertion.__name__ = assertion.__qualname__ = opname
    assertion.__doc__ = f"An op failing the run unless ``x {sym}`` holds element-wise."
    return undo.atomic(assertion)


_HOLD = "Condition x {} did not hold element-wise:"
assert_negative = _unary(
    "assert_negative", "< 0", assert_less, False, [_HOLD.format("< 0"), "x ({}) = "]
)
assert_positive = _unary(
    "assert_positive", "> 0", assert_less, True, [_HOLD.format("> 0"), "x ({}) = "]
)
assert_non_negative = _unary(
    "assert_non_negative", ">= 0", assert_less_equal, True, [_HOLD.format(">= 0"), "x ({}) = "]
)
# TF1's words run together here (no separate item for the name).
assert_non_positive = _unary(
    "assert_non_positive", "<= 0", assert_less_equal, False, [_HOLD.format("<= 0") + "x ({}) = "]
)


@undo.atomic
def assert_near(x, y, rtol=None, atol=None, data=None, summarize=None, message=None, name=None):
    """An op failing the run unless ``|x - y| < atol + rtol * |y|`` element-wise (both
    tolerances default to 10 machine epsilons of ``x``'s dtype)."""
    message = message_prefix(message)
    with name_scope(name, "assert_near", [x, y, rtol, atol, data]):
        x = convert_to_tensor(x, name="x")
        y = convert_to_tensor(y, name="y", dtype=x.dtype.base_dtype)
        dtype = x.dtype.base_dtype
        dtype = dtype.real_dtype if dtype.is_complex else dtype
        eps = np.finfo(dtype.as_numpy_dtype).eps
        rtol = convert_to_tensor(10 * eps if rtol is None else rtol, name="rtol", dtype=dtype)
        atol = convert_to_tensor(10 * eps if atol is None else atol, name="atol", dtype=dtype)
        if data is None:
            data = [
                message,
                f"x and y not equal to tolerance rtol = {rtol}, atol = {atol}",
                f"x ({x.name}) = ",
                x,
                f"y ({y.name}) = ",
                y,
            ]
        tol = atol + rtol * abs(y)
        diff = abs(x - y)
        condition = reduce_all(less(diff, tol))
        return Assert(condition, data, summarize=summarize)


__all__ = [
    "Assert",
    "assert_equal",
    "assert_greater",
    "assert_greater_equal",
    "assert_less",
    "assert_less_equal",
    "assert_near",
    "assert_negative",
    "assert_non_negative",
    "assert_non_positive",
    "assert_none_equal",
    "assert_positive",
]
