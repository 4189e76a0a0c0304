"""Tests for scopeflow/ops/sparse/segment_sorted.py: what ``segment_max``, ``segment_min`` and
``segment_prod`` build (names, static shapes, gradient graphs), what they refuse, their kernels
(empty segments, ``nan`` as TF's fold treats it, integer wrap-around, run-time errors) and their
gradients.

The expected graphs and errors are TensorFlow 2.21's own (``tensorflow.compat.v1``, graph
mode), recorded in ``tests/data/tf_reference/math_segment.json`` by ``tools/tf_reference.py``
from ``tests/data/tf_reference/math_segment.py``. The kernels' values, ``nan`` placements
included, and the gradients' values were compared with TF 2.21's.
"""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.graph_checks import record_tests, setup_of, tf_reference
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case

REFERENCE = tf_reference("math_segment")
SETUP = setup_of(REFERENCE)
GROUPS = {**REFERENCE["groups"], "BUILD_ERRORS": REFERENCE["groups"]["ERRORS"]}

test_builds, test_gradient_graphs, test_errors, test_every_difference_is_recorded = record_tests(
    GROUPS, {}
)

NAN, INF = float("nan"), float("inf")
IDS = np.int32([0, 0, 2, 2, 3])
DATA = np.float32([1, 3, 2, 5, -1])
# TF folds acc = x < acc ? acc : x: nan where a segment's last row is nan, else the max of the
# rows after its last nan (TF 2.21's values)
NANS = np.float64([[NAN, 1], [NAN, NAN], [1, NAN], [NAN, 2], [3, 0], [1, 1]])
NAN_IDS = np.int64([0, 0, 1, 1, 2, 2])
INVALID = tf.errors.InvalidArgumentError

CASES = [
    Case("max", "SegmentMax", tf.math.segment_max, (DATA, IDS), np.float32([3, 0, 5, -1]), 0,
         ("full", "dims", "rank"), exact_static=False),
    Case("min", "SegmentMin", tf.math.segment_min, (DATA, IDS), np.float32([1, 0, 2, -1]), 0,
         ("full", "rank"), exact_static=False),
    Case("prod", "SegmentProd", tf.math.segment_prod, (DATA, IDS), np.float32([3, 1, 10, -1]),
         0, ("full", "rank"), exact_static=False),
    Case("max-nan", "SegmentMax", tf.segment_max, (NANS, NAN_IDS),
         np.float64([[NAN, NAN], [NAN, 2], [3, 1]]), 0, ("full",), exact_static=False),
    Case("min-nan", "SegmentMin", tf.segment_min, (NANS, NAN_IDS),
         np.float64([[NAN, NAN], [NAN, 2], [1, 0]]), 0, ("full",), exact_static=False),
    Case("max-uint8", "SegmentMax", tf.segment_max, (np.uint8([1, 3, 2, 5, 7]),
         np.int32([1, 1, 2, 2, 3])), np.uint8([0, 3, 5, 7]), 0, ("full",), exact_static=False),
    Case("prod-int8-wraps", "SegmentProd", tf.segment_prod, (np.int8([100, 3, 2]),
         np.int32([0, 0, 1])), np.int8([44, 2]), 0, ("full",), exact_static=False),
    Case("prod-complex", "SegmentProd", tf.segment_prod, (np.complex64([1 + 1j, 2j, 3]),
         np.int32([0, 0, 1])), np.complex64([-2 + 2j, 3]), 0, ("full",), exact_static=False),
    Case("max-rows", "SegmentMax", tf.segment_max,
         (np.arange(24, dtype=np.float32).reshape(4, 3, 2) % 7, np.int32([0, 0, 0, 3])),
         lambda x, i: np.stack([x[:3].max(0), 0 * x[0], 0 * x[0], x[3]]), 0, ("full", "rank"),
         exact_static=False),
    Case("max-empty", "SegmentMax", tf.segment_max, (np.zeros([0, 2], np.float32),
         np.zeros([0], np.int32)), np.zeros([0, 2], np.float32), 0, ("full",),
         exact_static=False),
    Case("prod-float16", "SegmentProd", tf.segment_prod, (np.float16([1, 2, 3]),
         np.int32([0, 0, 2])), np.float16([2, 1, 3]), 0, ("full",), exact_static=False),
    Case("unsorted", "SegmentMax", tf.segment_max, (np.float32([1, 2]), np.int32([1, 0])),
         Raises(INVALID, "segment ids are not increasing"), 0, ("full",)),
    Case("negative", "SegmentMin", tf.segment_min, (np.float32([1, 2]), np.int32([-1, 0])),
         Raises(INVALID, "Segment id -1 out of range [0, 1)"), 0, ("full",)),
    Case("size", "SegmentProd", tf.segment_prod, (np.float32([1, 2, 3]), np.int32([0, 1])),
         Raises(INVALID, "segment_ids should be the same size as dimension 0"), 0, ("dims",)),
]  # fmt: skip


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


def test_gradients_share_ties_and_skip_zeros(run):
    x = tf.constant([1.0, 1.0, 2.0, 3.0])
    z = tf.constant([1.0, 0.0, 3.0, 0.0, 0.0, 2.0, 4.0])
    (g_max,) = tf.gradients(tf.segment_max(x, [0, 0, 1, 1]), x)
    (g_prod,) = tf.gradients(tf.segment_prod(z, [0, 0, 0, 1, 1, 2, 2]), z)
    np.testing.assert_array_equal(run(g_max), [0.5, 0.5, 0, 1])  # TF 2.21's values
    np.testing.assert_array_equal(run(g_prod), [0, 3, 0, 0, 0, 4, 2])


R = np.random.default_rng(5)
GRAD_CASES = [
    GradCase("max", lambda x: tf.segment_max(x, [0, 0, 1, 3, 3]), (R.normal(size=(5, 2)),)),
    GradCase("min", lambda x: tf.segment_min(x, [0, 1, 1, 1]), (R.normal(size=(4, 3)),)),
    GradCase("prod", lambda x: tf.segment_prod(x, [0, 0, 2, 2, 2]), (R.uniform(0.5, 2, (5, 2)),)),
]


@pytest.mark.parametrize("case", gradient_cases(GRAD_CASES))
def test_gradients(case):
    check_gradient_case(case)
