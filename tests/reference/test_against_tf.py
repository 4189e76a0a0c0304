"""scopeflow against TensorFlow itself: the snippets of ``tools/compare_names.py`` must build
the same ops, variables, collections and constants in both.

Runs only when ``SCOPEFLOW_TF_PYTHON`` names a Python interpreter with TensorFlow installed
(``SCOPEFLOW_TF_PYTHON=/path/to/tf-venv/bin/python pytest tests/reference``); TensorFlow is
never imported into this process.
"""

import importlib.util
import os
from pathlib import Path

import pytest

TOOL = Path(__file__).resolve().parents[2] / "tools" / "compare_names.py"
TF_PYTHON = os.environ.get("SCOPEFLOW_TF_PYTHON")


def _load_tool():
    spec = importlib.util.spec_from_file_location("compare_names", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


compare_names = _load_tool()
SNIPPET_NAMES = [name for name, _ in compare_names.SNIPPETS]


@pytest.fixture(scope="module")
def dumps():
    if not TF_PYTHON:
        pytest.skip("set SCOPEFLOW_TF_PYTHON to a Python with TensorFlow to compare against it")
    return compare_names.tensorflow_dump(TF_PYTHON, []), compare_names.scopeflow_dump([])


@pytest.mark.parametrize("name", SNIPPET_NAMES)
def test_snippet_builds_what_tensorflow_builds(dumps, name):
    theirs, ours = dumps
    stray = compare_names.TF_STRAY_OPS.get(name)
    diffs = compare_names.differences(ours[name], theirs[name], stray)
    known = compare_names.KNOWN_DIFFERENCES.get(name)
    if known:
        if diffs:
            pytest.xfail(known)
        pytest.fail(f"{name} now matches TF: remove it from KNOWN_DIFFERENCES")
    assert diffs == []


def test_snippets_run_under_scopeflow():
    """Without TensorFlow: every snippet at least runs, and fails only where it means to."""
    ours = compare_names.scopeflow_dump([])
    errors = {name: dump["error"] for name, dump in ours.items() if dump["error"]}
    assert errors == {
        "seed_conv_relu_twice_error": "ValueError",
        "does_not_exist_error": "ValueError",
        "shape_mismatch_error": "ValueError",
        "global_step": "ValueError",
    }


def test_differences_reports_each_kind():
    base = {
        "ops": [["a", "Const"]],
        "consts": {"a": [1.0]},
        "control_inputs": {},
        "collections": {"variables": ["v:0"]},
        "error": None,
        "result": 1,
    }
    other = {
        "ops": [["b", "Const"]],
        "consts": {"a": [2.0]},
        "control_inputs": {"b": ["a"]},
        "collections": {"variables": []},
        "error": "ValueError",
        "result": 2,
    }
    diffs = compare_names.differences(base, other)
    assert diffs == [
        "ops: only in TF: [('b', 'Const')]",
        "ops: only in scopeflow: [('a', 'Const')]",
        "control inputs: scopeflow {}, TF {'b': ['a']}",
        "collection variables: only in scopeflow: ['v:0']",
        "const a: scopeflow [1.0], TF [2.0]",
        "error: scopeflow None, TF ValueError",
        "result: scopeflow 1, TF 2",
    ]
    assert compare_names.differences(base, base) == []
    assert (
        compare_names.differences(base, {**base, "ops": [["a", "Const"], ["x_1", "L2"]]}, "x") == []
    )
