"""Tests for scopeflow/ops/sequence_ops.py: ``range`` (dtype promotion, TF1's names, static
lengths, TF's step-by-step float values) and ``sequence_mask``.

Expected names, shapes, values and messages were read from TensorFlow 2.21
(``tensorflow.compat.v1``, graph mode).
"""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.graph_checks import check_against, expected, raised, setup_of, tf_reference
from tests.ops.kernel_table import Case, cases_by_mode, check_case

REFERENCE = tf_reference("sequence")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]

# Where scopeflow does something else than TF 2.21: expression -> what it does instead.
DIFFERENCES = {
    # -- known, worded differently
    # TF fails an assert (AssertionError without a message)
    "tf.range(tf.constant(True))": raised(TypeError, "tf.range arguments must be one of"),
}


@pytest.mark.parametrize("expression", list(GROUPS["BUILDS"]))
def test_builds_tf1_ops_and_static_shapes(graph, env, expression):
    want = expected(GROUPS["BUILDS"][expression], DIFFERENCES.get(expression))
    check_against(graph, env, expression, want)


@pytest.mark.parametrize("expression", list(GROUPS["BUILD_ERRORS"]))
def test_build_errors(graph, env, expression):
    want = expected(GROUPS["BUILD_ERRORS"][expression], DIFFERENCES.get(expression))
    check_against(graph, env, expression, want, left=None)


def test_every_difference_is_a_recorded_expression():
    recorded = {expr for records in GROUPS.values() for expr in records}
    assert set(DIFFERENCES) - recorded == set()


# -- kernels ------------------------------------------------------------------------------

# Float values as TF computes them: start + i * delta, rounded in the dtype at each step.
F32 = np.float32
# fmt: off
CASES = [
    Case("range", "Range", lambda n: tf.range(n), (np.int32(5),),
         lambda n: np.arange(5, dtype=np.int32), exact_static=False),
    Case("range-negative", "Range", lambda a, b, d: tf.range(a, b, d),
         (np.int64(10), np.int64(0), np.int64(-3)), lambda *_: np.array([10, 7, 4, 1], np.int64),
         exact_static=False),
    Case("range-empty", "Range", lambda n: tf.range(n, 5), (np.int32(5),),
         lambda n: np.zeros(0, np.int32), exact_static=False),
    Case("range-float", "Range", lambda a: tf.range(a, 1.0, 0.1), (F32(0),),
         lambda a: np.array([0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9000000357627869],
                            F32), exact_static=False),
    Case("range-float-down", "Range", lambda a: tf.range(a, -2.0, -0.7), (F32(1.5),),
         lambda a: np.array([1.5, 0.8, 0.10000002384185791, -0.5999999046325684,
                             -1.2999999523162842], F32), exact_static=False),
    Case("range-float-odd", "Range", lambda d: tf.range(0.1, 2.3, d), (F32(0.3),),
         lambda d: np.array([0.1, 0.4, 0.7000000476837158, 1.0, 1.3000000715255737, 1.6,
                             1.9000000953674316, 2.2], F32), exact_static=False),
    Case("range-float64", "Range", lambda b: tf.range(0.0, b, 0.1, dtype=tf.float64),
         (np.float64(0.3),), lambda b: np.array([0.0, 0.1, 0.2]), exact_static=False),
]
# fmt: on


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_matches_numpy(run, case, mode):
    check_case(run, case, mode)


def test_constant_ranges_run(run):
    got = run([tf.range(5), tf.range(1, 5.0, 2), tf.range(-5, 5, 4, dtype=tf.int64)])
    np.testing.assert_array_equal(got[0], np.arange(5, dtype=np.int32))
    np.testing.assert_array_equal(got[1], np.array([1.0, 3.0], np.float32))
    np.testing.assert_array_equal(got[2], np.array([-5, -1, 3], np.int64))
    assert [g.dtype for g in got] == [np.int32, np.float32, np.int64]


@pytest.mark.parametrize(
    ("start", "limit", "delta", "message"),
    [
        (0, 10, 0, "Requires delta != 0: 0"),
        (5, 0, 1, "Requires start <= limit when delta > 0: 5/0"),
        (0, 5, -1, "Requires start >= limit when delta < 0: 0/5"),
    ],
)
def test_range_errors_at_run_time(run, start, limit, delta, message):
    args = [tf.placeholder(tf.int32, []) for _ in range(3)]
    with pytest.raises(tf.errors.InvalidArgumentError, match=message):
        run(tf.range(*args), dict(zip(args, (start, limit, delta), strict=True)))


def test_sequence_mask_values(run, env):
    lengths = tf.placeholder(tf.int32, [None, None])
    longest = tf.sequence_mask(lengths)
    fixed = tf.sequence_mask(tf.constant([1, 3, 2], tf.int64), tf.constant(4, tf.int64),
                             dtype=tf.int32)  # fmt: skip
    floats = tf.sequence_mask(tf.constant([1.0, 2.5]), 3)
    got = run([longest, fixed, floats], {lengths: [[1, 3], [2, 0]]})
    want = [[[True, False, False], [True, True, True]],
            [[True, True, False], [False, False, False]]]  # fmt: skip
    np.testing.assert_array_equal(got[0], want)
    np.testing.assert_array_equal(got[1], [[1, 0, 0, 0], [1, 1, 1, 0], [1, 1, 0, 0]])
    np.testing.assert_array_equal(got[2], [[True, False, False], [True, True, False]])
    assert (got[0].dtype, got[1].dtype) == (np.bool_, np.int32)
    assert run(tf.sequence_mask(lengths), {lengths: np.zeros((2, 0), np.int32)}).shape == (2, 0, 0)
