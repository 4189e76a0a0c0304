"""Tests for ``tf.unsorted_segment_max``/``min``/``prod`` and ``tf.bincount``
(scopeflow/ops/math/segment_extrema.py): TF1's ops and names (TensorFlow 2.21's records,
``tests/data/tf_reference/segment_extrema.json``), the kernels against NumPy and the
gradients against finite differences."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.graph_checks import check_against, expected, setup_of, tf_reference
from tests.ops.kernel_table import Case, cases_by_mode, check_case

REFERENCE = tf_reference("segment_extrema")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]

DIFFERENCES: dict = {
    # TF evaluates the bin count of a constant array (Max, Mul, Maximum of constants) while
    # building; scopeflow's shape inference folds no arithmetic: the length is unknown
    "tf.bincount([1, 1, 3], minlength=6)": {"shape": [None]},
}


@pytest.mark.parametrize("expr", list(GROUPS["EXPRESSIONS"]))
def test_builds_tf1s_graph(graph, env, expr):
    want = expected(GROUPS["EXPRESSIONS"][expr], DIFFERENCES.get(expr))
    check_against(graph, env, expr, want)


@pytest.mark.parametrize("expr", list(GROUPS["ERRORS"]))
def test_build_errors(graph, env, expr):
    want = expected(GROUPS["ERRORS"][expr], DIFFERENCES.get(expr))
    check_against(graph, env, expr, want, left=None)


def _segments(reduce, empty):
    def reference(data, ids, num=3):
        out = np.full((num, *data.shape[ids.ndim :]), empty(data.dtype), data.dtype)
        for i in range(num):
            rows = data[ids == i]
            if len(rows):
                out[i] = reduce(rows, axis=0)
        return out

    return reference


_max = _segments(np.max, lambda d: np.finfo(d).min if d.kind == "f" else np.iinfo(d).min)
_min = _segments(np.min, lambda d: np.finfo(d).max if d.kind == "f" else np.iinfo(d).max)
_prod = _segments(np.prod, lambda d: 1)

RNG = np.random.default_rng(7)
DATA = RNG.standard_normal((5, 3))
IDS = np.array([2, 0, 2, -1, 0], np.int32)
INTS = RNG.integers(-9, 9, (5, 3)).astype(np.int32)
# fmt: off
CASES = [
    Case("max", "UnsortedSegmentMax", lambda x, i: tf.unsorted_segment_max(x, i, 3),
         (DATA, IDS), _max),
    Case("max-int", "UnsortedSegmentMax", lambda x, i: tf.unsorted_segment_max(x, i, 3),
         (INTS, IDS), _max),
    Case("min", "UnsortedSegmentMin", lambda x, i: tf.unsorted_segment_min(x, i, 3),
         (DATA.astype(np.float32), IDS), _min),
    Case("min-2d-ids", "UnsortedSegmentMin",
         lambda x, i: tf.unsorted_segment_min(x, i, 3),
         (DATA[:4].reshape(2, 2, 3), IDS[:4].reshape(2, 2)),
         lambda x, i: _min(x.reshape(4, 3), i.reshape(4))),
    Case("prod", "UnsortedSegmentProd", lambda x, i: tf.unsorted_segment_prod(x, i, 3),
         (DATA, IDS), _prod),
    Case("prod-int64-ids", "UnsortedSegmentProd",
         lambda x, i: tf.unsorted_segment_prod(x, i, 3), (INTS, IDS.astype(np.int64)), _prod),
    # the number of bins is computed in the graph: its static shape stays unknown
    Case("bincount", "DenseBincount", tf.bincount, (np.array([1, 4, 1, 0], np.int32),),
         lambda a: np.bincount(a).astype(np.int32), exact_static=False),
    Case("bincount-weights", "DenseBincount",
         lambda a, w: tf.bincount(a, weights=w, minlength=7),
         (np.array([1, 4, 1], np.int32), np.array([0.5, 2.0, 1.0])),
         lambda a, w: np.bincount(a, w, minlength=7), exact_static=False),
    Case("bincount-maxlength", "DenseBincount", lambda a: tf.bincount(a, maxlength=3),
         (np.array([1, 4, 1, 2], np.int32),), lambda a: np.array([0, 2, 1], np.int32),
         exact_static=False),
    Case("bincount-empty", "DenseBincount", tf.bincount, (np.zeros(0, np.int32),),
         lambda a: np.zeros(0, np.int32), exact_static=False),
]
# fmt: on


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


TIES = np.array([[1.0, 2.0], [1.0, 0.5], [3.0, 2.0]])
ZEROS = np.array([[0.0, 2.0], [1.5, 0.0], [0.0, -0.7]])
GRAD_IDS = np.array([2, 0, 2, -1, 1], np.int32)  # no empty segment: its lowest value has no
# finite differences
GRADIENTS = [
    GradCase("max", lambda x: tf.unsorted_segment_max(x, GRAD_IDS, 3), (DATA,)),
    GradCase("min", lambda x: tf.unsorted_segment_min(x, GRAD_IDS, 3), (DATA,)),
    GradCase("prod", lambda x: tf.unsorted_segment_prod(x, IDS, 3), (DATA,)),
    GradCase("prod-one-zero", lambda x: tf.unsorted_segment_prod(x, [0, 0, 1], 2), (ZEROS,)),
]


@pytest.mark.parametrize("case", gradient_cases(GRADIENTS))
def test_gradients(case):
    check_gradient_case(case)


def test_max_shares_the_gradient_among_ties(graph):
    x = tf.constant(TIES)
    grad = tf.gradients(tf.unsorted_segment_max(x, [0, 0, 1], 2), x)[0]
    np.testing.assert_array_equal(tf.Session().run(grad), [[0.5, 1.0], [0.5, 0.0], [1.0, 1.0]])


def test_segment_ids_out_of_range_fail_at_run_time(graph):
    out = tf.unsorted_segment_max(tf.ones([2]), tf.placeholder(tf.int32, [2]), 2)
    with pytest.raises(tf.errors.InvalidArgumentError, match="out of range"):
        tf.Session().run(out, {out.op.inputs[1]: [0, 2]})


def test_bincount_has_no_gradient(graph):
    w = tf.constant([1.0, 2.0])
    assert tf.gradients(tf.bincount([0, 1], weights=w), w) == [None]
