"""Tests for scopeflow/ops/math/bins.py (``tf.searchsorted``, ``tf.histogram_fixed_width``),
scopeflow/ops/array/roll.py (``tf.roll``) and scopeflow/ops/array/bitcast.py
(``tf.bitcast``): TF1's graphs and build errors, and values against NumPy.

The expected graphs and errors are TensorFlow 2.21's own (``tensorflow.compat.v1``, graph
mode), recorded in ``tests/data/tf_reference/bins.json`` by ``tools/tf_reference.py``.
"""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.graph_checks import check_against, expected, setup_of, tf_reference
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case

REFERENCE = tf_reference("bins")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]


@pytest.mark.parametrize("expr", list(GROUPS["GRAPHS"]))
def test_builds_tf1s_graph(graph, env, expr):
    check_against(graph, env, expr, expected(GROUPS["GRAPHS"][expr], None))


@pytest.mark.parametrize("expr", list(GROUPS["ERRORS"]))
def test_errors(graph, env, expr):
    check_against(graph, env, expr, expected(GROUPS["ERRORS"][expr], None), left=None)


SORTED = np.sort(np.random.default_rng(2).integers(0, 6, (3, 7)), axis=1).astype(np.float64)
VALUES = np.array([[0, 2.5, 3, 6], [-1, 1, 1, 5], [2, 2, 4.5, 0]])
SAMPLES = np.array([-1.0, 0.0, 0.2, 1.5, 2.0, 4.99, 5.0, 15.0], np.float32)


def _bound(side):
    def bound(s, v):
        rows = [np.searchsorted(a, b, side) for a, b in zip(s, v, strict=True)]
        return np.stack(rows).astype(np.int32)

    return bound


# fmt: off
CASES = [
    # the bound op itself, before searchsorted reshapes its result to the values' shape
    Case("lower-bound", "LowerBound", lambda s, v: tf.searchsorted(s, v).op.inputs[0],
         (SORTED, VALUES), _bound("left")),
    Case("upper-bound", "UpperBound",
         lambda s, v: tf.searchsorted(s, v, side="right").op.inputs[0], (SORTED, VALUES),
         _bound("right")),
    Case("upper-bound-rows", "UpperBound",
         lambda s, v: tf.searchsorted(s, v, side="right").op.inputs[0], (SORTED[:2], VALUES),
         Raises(tf.errors.InvalidArgumentError, "Leading dim_size of both tensors must match")),
    Case("histogram", "HistogramFixedWidth",
         lambda x: tf.histogram_fixed_width(x, [0.0, 5.0], nbins=5), (SAMPLES,),
         np.array([3, 1, 1, 0, 3], np.int32)),
    Case("histogram-int64", "HistogramFixedWidth",
         lambda x: tf.histogram_fixed_width(x, [0, 10], nbins=3, dtype=tf.int64),
         (np.arange(-2, 14, dtype=np.int32),), np.array([6, 3, 7], np.int64)),
    Case("histogram-nan", "HistogramFixedWidth",
         lambda x: tf.histogram_fixed_width(x, [0.0, 5.0]), (np.float32([1.0, np.nan]),),
         Raises(tf.errors.InvalidArgumentError, "Histogram values must not contain NaN")),
    Case("histogram-range", "HistogramFixedWidth",
         lambda x: tf.histogram_fixed_width(x, [5.0, 5.0]), (SAMPLES,),
         Raises(tf.errors.InvalidArgumentError, "value_range should satisfy value_range[0] < "
                "value_range[1], but got '[5, 5]'")),  # TF 2.21's words
    Case("bitcast-narrow", "Bitcast", lambda x: tf.bitcast(x, tf.uint8), (SAMPLES,),
         lambda x: x.view(np.uint8).reshape(8, 4)),
    Case("bitcast-wide", "Bitcast", lambda x: tf.bitcast(x, tf.float64),
         (SAMPLES.reshape(4, 2),), lambda x: x.view(np.float64).reshape(4)),
    Case("bitcast-same", "Bitcast", lambda x: tf.bitcast(x, tf.int32), (SAMPLES,),
         lambda x: x.view(np.int32)),
]
# fmt: on


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_matches_numpy(run, case, mode):
    check_case(run, case, mode)


def test_searchsorted_of_n_dimensional_values(run):
    sequence = np.sort(np.random.default_rng(3).standard_normal((2, 3, 6)), axis=-1)
    values = np.random.default_rng(4).standard_normal((2, 3, 4))
    got = run(tf.searchsorted(sequence, values, side="right", out_type=tf.int64))
    want = _bound("right")(sequence.reshape(6, 6), values.reshape(6, 4)).reshape(2, 3, 4)
    np.testing.assert_array_equal(got, want)
    assert got.dtype == np.int64
