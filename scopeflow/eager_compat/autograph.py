"""``tf.autograph`` in scopeflow: no conversion. TF's AutoGraph rewrites Python control flow
on tensors into ``tf.cond``/``tf.while_loop``; scopeflow runs graph code as written, so
``to_graph`` and ``do_not_convert`` give the function back, and ``to_code`` (which would show
converted source) raises ``NotImplementedError``."""

from __future__ import annotations

import enum

_verbosity = {"level": 0, "alsologtostdout": False}


class Feature(enum.Enum):
    """AutoGraph's optional conversions (accepted, none applied)."""

    ALL = "ALL"
    AUTO_CONTROL_DEPS = "AUTO_CONTROL_DEPS"
    ASSERT_STATEMENTS = "ASSERT_STATEMENTS"
    BUILTIN_FUNCTIONS = "BUILTIN_FUNCTIONS"
    EQUALITY_OPERATORS = "EQUALITY_OPERATORS"
    LISTS = "LISTS"
    NAME_SCOPES = "NAME_SCOPES"


def to_graph(entity, recursive=True, experimental_optional_features=None):
    """``entity`` itself: scopeflow does not convert Python control flow (write graph code:
    ``tf.cond``, ``tf.while_loop``)."""
    if not callable(entity):
        raise ValueError(f"Expected a Python function or class, got {entity!r}")
    return entity


def to_code(entity, recursive=True, experimental_optional_features=None):
    """AutoGraph's converted source, which scopeflow does not produce."""
    raise NotImplementedError(
        "tf.autograph.to_code: scopeflow does not convert functions with AutoGraph; "
        "inspect.getsource(entity) shows the code that runs."
    )


def do_not_convert(func=None):
    """``func`` unchanged (scopeflow converts nothing)."""
    if func is None:
        return lambda f: f
    return func


def set_verbosity(level, alsologtostdout=False):
    """Stores AutoGraph's log level (scopeflow logs no conversions)."""
    _verbosity.update(level=int(level), alsologtostdout=bool(alsologtostdout))


def set_loop_options(
    parallel_iterations=None,
    swap_memory=None,
    maximum_iterations=None,
    shape_invariants=None,
):
    """Options AutoGraph passes to the loop it converts: no effect without AutoGraph."""
