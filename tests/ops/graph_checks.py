"""Small graph-inspection helpers shared by the op build tests."""

from __future__ import annotations

import re

import pytest


def added(graph, before: int) -> list[tuple[str, str]]:
    """``(name, type)`` of the ops made after the first ``before`` ops."""
    return [(op.name, op.type) for op in graph.get_operations()[before:]]


def dims(t):
    """A tensor's static shape as a list, or ``None`` for an unknown rank."""
    return None if t.shape.ndims is None else t.shape.as_list()


def assert_build_error(graph, env, expr, error, message, *, leaves_nothing=True) -> None:
    """``eval(expr, env)`` raises ``error`` containing ``message``; with ``leaves_nothing``,
    no op but the placeholders the expression itself made is left in ``graph``."""
    before = len(graph.get_operations())
    with pytest.raises(error, match=re.escape(message)):
        eval(expr, env)
    if leaves_nothing:
        assert {t for _, t in added(graph, before)} <= {"Placeholder"}
