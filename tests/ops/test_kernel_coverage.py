"""Every registered op type has a kernel, and a kernel test somewhere names it.

Kernel test modules declare ``KERNEL_TESTED = {...}``: the op types whose kernels they check
numerically. A new op without such a test fails here.
"""

from __future__ import annotations

import ast
import pathlib

import scopeflow  # noqa: F401 - registers every op family
from scopeflow.framework.registry import get_op_def, registered_op_types

TESTS = pathlib.Path(__file__).resolve().parents[1]


def _declared_kernel_tests() -> dict[str, str]:
    covered: dict[str, str] = {}
    for path in sorted(TESTS.rglob("test_*.py")):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "KERNEL_TESTED" for t in node.targets
            ):
                for op_type in ast.literal_eval(node.value):
                    covered.setdefault(op_type, path.name)
    return covered


def test_every_op_type_has_a_kernel():
    missing = [t for t in registered_op_types() if get_op_def(t).kernel is None]
    assert missing == []


def test_every_kernel_has_a_numeric_test():
    covered = _declared_kernel_tests()
    untested = [t for t in registered_op_types() if t not in covered]
    assert untested == []


def test_declared_op_types_exist():
    unknown = sorted(set(_declared_kernel_tests()) - set(registered_op_types()))
    assert unknown == []
