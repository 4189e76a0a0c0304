"""Tests for scopeflow/ops/math/repeat.py (``tf.repeat``): what it builds (TF 2.21's own ops,
names and static shapes, recorded in ``tests/data/tf_reference/math_repeat.json`` by
``tools/tf_reference.py``), what it refuses, and its values (compared with TF 2.21's)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.graph_checks import built, record_tests, setup_of, tf_reference

REFERENCE = tf_reference("math_repeat")
SETUP = setup_of(REFERENCE)
GROUPS = {**REFERENCE["groups"], "BUILD_ERRORS": REFERENCE["groups"]["ERRORS"]}
GROUPS.setdefault("GRADIENTS", {})
_MASKED = "tf.repeat(x, [1, 2], axis=0)"
DIFFERENCES = {
    # TF's shape inference evaluates the small constant graph behind the largest count, so it
    # knows the tiled shape and folds boolean_mask's three Shape ops into constants; scopeflow's
    # static shapes leave that dimension unknown and keep the Shape ops (the same values)
    _MASKED: built(
        [(n, "Shape" if "boolean_mask/Shape" in n else t)
         for n, t in REFERENCE["groups"]["BUILDS"][_MASKED]["ops"]]
    ),
}  # fmt: skip

test_builds, test_gradient_graphs, test_errors, test_every_difference_is_recorded = record_tests(
    GROUPS, DIFFERENCES
)

VALUES = [  # TF 2.21's values
    ("tf.repeat([[1, 2], [3, 4]], [1, 2], axis=0)", [[1, 2], [3, 4], [3, 4]]),
    ("tf.repeat([[1, 2], [3, 4]], [2, 3], axis=1)", [[1, 1, 2, 2, 2], [3, 3, 4, 4, 4]]),
    ("tf.repeat([[1, 2], [3, 4]], 2)", [1, 1, 2, 2, 3, 3, 4, 4]),
    ("tf.repeat(['a', 'b', 'c'], [3, 0, 2], axis=0)", [b"a", b"a", b"a", b"c", b"c"]),
    ("tf.repeat(tf.constant(7.0), 3)", [7.0, 7.0, 7.0]),
    ("tf.repeat(tf.zeros([2, 0]), [1, 2], axis=0)", np.zeros([3, 0]).tolist()),
]


@pytest.mark.parametrize(("expr", "want"), VALUES)
def test_values(run, expr, want):
    assert run(eval(expr)).tolist() == want


def test_gradient_sums_the_copies(run):
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    (g,) = tf.gradients(tf.repeat(x, [2, 3], axis=1), x)
    np.testing.assert_array_equal(run(g), [[2.0, 3.0], [2.0, 3.0]])
