"""The TensorFlow records the op tests read (``tests/data/tf_reference/<family>.json``) are
those ``tools/tf_reference.py`` makes from the inputs beside them: the same placeholders,
groups, expressions (in order) and matched messages. After editing an input, regenerate with
the command in the tool's docstring."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

TOOLS = Path(__file__).resolve().parents[2] / "tools"


def _load_tool():
    sys.path.insert(0, str(TOOLS))  # the tool imports compare_names beside it
    try:
        spec = importlib.util.spec_from_file_location("tf_reference", TOOLS / "tf_reference.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(TOOLS))
    return module


tool = _load_tool()


def test_every_record_file_has_its_input():
    written = sorted(path.stem for path in tool.DATA.glob("*.json"))
    assert written == tool.families()


@pytest.mark.parametrize("family", tool.families())
def test_records_match_their_input(family):
    inputs = tool.load_inputs(family)
    records = json.loads((tool.DATA / f"{family}.json").read_text())
    assert records["generated_by"] == "tools/tf_reference.py"
    assert records["setup"] == json.loads(json.dumps(inputs.pop("SETUP", {})))
    assert list(records["groups"]) == list(inputs)
    for group, entries in inputs.items():
        written = records["groups"][group]
        assert list(written) == [e[0] if isinstance(e, tuple) else e for e in entries], group
        matches = {e[0]: e[1] for e in entries if isinstance(e, tuple)}
        assert {k: r["match"] for k, r in written.items() if "match" in r} == matches, group
