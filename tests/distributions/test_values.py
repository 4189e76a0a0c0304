"""Tests for scopeflow/distributions/: densities, CDFs, statistics and KL divergences, and
their gradients with respect to the parameters and values, equal TensorFlow 2.21's
(``tests/data/distributions_values.json``, written by ``make_distributions_values.py`` from
``distributions_model.py``, which runs the same code under either library)."""

from __future__ import annotations

import json
import pathlib
import sys

import numpy as np
import pytest

import scopeflow as tf

DATA = pathlib.Path(__file__).resolve().parents[1] / "data"
sys.path.insert(0, str(DATA))
from distributions_model import values  # noqa: E402

VALUES = json.loads((DATA / "distributions_values.json").read_text())
NAMES = [k for k in VALUES if k not in ("generated_by", "tensorflow")]


@pytest.mark.parametrize("name", NAMES)
def test_values_and_gradients_match_tensorflows(name):
    ours = values(tf, [name])[name]
    assert len(ours) == len(VALUES[name])
    for mine, theirs in zip(ours, VALUES[name], strict=True):
        np.testing.assert_allclose(mine, theirs, rtol=2e-5, atol=2e-6)
