"""Every op type either declares itself not differentiable or has a gradient, and every
gradient is checked against finite differences by some test module.

Gradient test modules declare ``GRADIENT_TESTED = {...}``: the op types whose gradients they
check numerically (with ``tests/ops/grad_check.py``).
"""

from __future__ import annotations

import ast
import pathlib

import scopeflow  # noqa: F401 - registers every op family
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, get_op_def, registered_op_types

TESTS = pathlib.Path(__file__).resolve().parents[1]


def _declared() -> set[str]:
    covered: set[str] = set()
    for path in sorted(TESTS.rglob("test_*.py")):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "GRADIENT_TESTED" for t in node.targets
            ):
                covered |= set(ast.literal_eval(node.value))
    return covered


def _differentiable() -> list[str]:
    return [t for t in registered_op_types() if get_op_def(t).grad is not NOT_DIFFERENTIABLE]


def test_every_op_type_has_a_gradient_or_is_marked_not_differentiable():
    missing = [t for t in _differentiable() if get_op_def(t).grad is None]
    assert missing == []


def test_every_gradient_is_checked_against_finite_differences():
    untested = [t for t in _differentiable() if t not in _declared()]
    assert untested == []
