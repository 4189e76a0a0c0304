"""The ``>>>`` examples in scopeflow's docstrings are correct.

The examples are discovered, not listed: every module of the package is imported
(:func:`pkgutil.walk_packages`) and every docstring in it with a ``>>>`` example
(:class:`doctest.DocTestFinder`, as :func:`doctest.testmod` finds them) is one test, run in a
fresh default graph, and every example in it must run (none is skipped with
``# doctest: +SKIP``). A module that fails to import fails ``test_every_module_imports``.
"""

from __future__ import annotations

import collections
import doctest
import importlib
import pathlib
import pkgutil

import pytest

import scopeflow
import scopeflow as tf

# Importing ``scopeflow.__main__`` runs the command line (``python -m scopeflow``).
NOT_IMPORTED = {"scopeflow.__main__"}


def _walk() -> tuple[list, dict[str, str]]:
    """The modules of the package, and the error of each module that failed to import."""
    errors: dict[str, str] = {}
    modules = [scopeflow]

    def on_error(name: str) -> None:  # walking into a package that failed to import
        errors.setdefault(name, "package failed to import")

    for info in pkgutil.walk_packages(scopeflow.__path__, "scopeflow.", onerror=on_error):
        if info.name in NOT_IMPORTED:
            continue
        try:
            modules.append(importlib.import_module(info.name))
        except Exception as e:  # reported by test_every_module_imports
            errors[info.name] = f"{type(e).__name__}: {e}"
    return modules, errors


MODULES, IMPORT_ERRORS = _walk()
DOCTESTS = [
    test for module in MODULES for test in doctest.DocTestFinder().find(module) if test.examples
]
# Each test's module, read now: running a test clears its globals (the order of the tests
# is not fixed under pytest-xdist).
MODULE_OF = {id(test): test.globs["__name__"] for test in DOCTESTS}


def test_every_module_imports():
    assert IMPORT_ERRORS == {}


def test_every_example_in_the_sources_is_found():
    """Each module's ``>>>`` lines are all examples that run here (none is in a docstring
    the finder skips, such as one of an object defined in another module)."""
    found = collections.Counter()
    for test in DOCTESTS:
        found[MODULE_OF[id(test)]] += len(test.examples)
    written = collections.Counter()
    for module in MODULES:
        lines = pathlib.Path(module.__file__).read_text().splitlines()
        written[module.__name__] = sum(line.lstrip().startswith(">>>") for line in lines)
    assert +written == found
    assert "scopeflow.ops.nn.conv" in found


@pytest.mark.parametrize("test", DOCTESTS, ids=[test.name for test in DOCTESTS])
def test_docstring_examples(test):
    runner = doctest.DocTestRunner(verbose=False)
    report: list[str] = []
    with tf.Graph().as_default():
        result = runner.run(test, out=report.append)
    assert result.attempted == len(test.examples)
    assert result.failed == 0, "".join(report)
