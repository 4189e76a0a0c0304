"""Tests for scopeflow/ops/gather_ops.py: ``gather``, ``gather_nd``, ``one_hot`` and
``boolean_mask`` build TF1's ops, names and static shapes, reject what TF1 rejects, report
out-of-range indices at run time, and their kernels match NumPy.

Expected names, shapes and messages were read from TensorFlow 2.21 (``tensorflow.compat.v1``,
graph mode); differences kept on purpose are marked "deliberate".
"""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.graph_checks import check_against, expected, setup_of, tf_reference
from tests.ops.graph_checks import dims as _dims
from tests.ops.kernel_table import Case, cases_by_mode, check_case, needs_ops

REFERENCE = tf_reference("gather")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]

# Where scopeflow does something else than TF 2.21: expression -> what it does instead.
DIFFERENCES = {}

A = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
S = np.array([[b"a", b"bc"], [b"", b"d"]], dtype=object)


@pytest.mark.parametrize("expression", list(GROUPS["BUILDS"]))
def test_builds_tf1_ops_and_static_shapes(graph, env, expression):
    want = expected(GROUPS["BUILDS"][expression], DIFFERENCES.get(expression))
    check_against(graph, env, expression, want)


def test_attrs_are_tf1s(env):
    assert tf.gather(env["x"], env["i"]).op.get_attr("batch_dims") == 0
    assert tf.one_hot(env["i"], 3).op.get_attr("axis") == -1
    assert tf.one_hot(env["i"], 3, axis=0).op.get_attr("axis") == 0


@needs_ops("Prod", "Where")
def test_boolean_mask_builds_tf1s_ops(graph, env):
    before = len(graph.get_operations())
    t = tf.boolean_mask(env["u"], tf.ones([3], tf.bool), axis=1)
    added = [(op.name, op.type) for op in graph.get_operations()[before:]]
    assert (t.name, _dims(t)) == ("boolean_mask/GatherV2:0", [None, None, 4])
    prefix = [("ones", "Const"), ("boolean_mask/Shape", "Shape")]
    suffix = [
        ("boolean_mask/Reshape_1/shape", "Const"),
        ("boolean_mask/Reshape_1", "Reshape"),
        ("boolean_mask/Where", "Where"),
        ("boolean_mask/Squeeze", "Squeeze"),
        ("boolean_mask/GatherV2/axis", "Const"),
        ("boolean_mask/GatherV2", "GatherV2"),
    ]
    assert added[:2] == prefix and added[-6:] == suffix
    assert ("boolean_mask/Prod", "Prod") in added
    assert ("boolean_mask/concat/values_1", "Pack") in added


@pytest.mark.parametrize("expression", list(GROUPS["BUILD_ERRORS"]))
def test_build_errors(graph, env, expression):
    want = expected(GROUPS["BUILD_ERRORS"][expression], DIFFERENCES.get(expression))
    check_against(graph, env, expression, want, left=None)


def test_every_difference_is_a_recorded_expression():
    recorded = {expr for records in GROUPS.values() for expr in records}
    assert set(DIFFERENCES) - recorded == set()


# -- kernels ------------------------------------------------------------------------------

IDX = np.array([[2, 0], [1, 1], [0, 2]], np.int32)

# fmt: off
CASES = [
    Case("gather", "GatherV2", lambda p, i: tf.gather(p, i), (A, np.array([1, 0, 1], np.int64)),
         lambda a, i: a[i]),
    Case("gather-axis", "GatherV2", lambda p, i: tf.gather(p, i, axis=2), (A, IDX),
         lambda a, i: np.take(a, i, axis=2)),
    Case("gather-scalar-index", "GatherV2", lambda p, i: tf.gather(p, i, axis=-2),
         (A, np.int32(2)), lambda a, i: a[:, 2]),
    Case("gather-empty", "GatherV2", lambda p, i: tf.gather(p, i), (S, np.zeros(0, np.int16)),
         lambda s, i: s[:0]),
    Case("gather-strings", "GatherV2", lambda p, i: tf.gather(p, i, axis=1),
         (S, np.array([1, 1, 0], np.int32)), lambda s, i: s[:, [1, 1, 0]]),
    Case("gather-fed-axis", "GatherV2", lambda p, i, k: tf.gather(p, i, axis=k),
         (A, IDX, np.int64(2)), lambda a, i, k: np.take(a, i, axis=2), exact_static=False),
    Case("gather_nd", "GatherNd", lambda p, i: tf.gather_nd(p, i), (A, IDX[1:] % 2),
         lambda a, i: a[[1, 0], [1, 0]]),
    Case("gather_nd-full", "GatherNd", lambda p, i: tf.gather_nd(p, i),
         (A, np.array([[1, 2, 3], [0, 0, 1]], np.int64)), lambda a, i: a[[1, 0], [2, 0], [3, 1]]),
    Case("gather_nd-vector", "GatherNd", lambda p, i: tf.gather_nd(p, i),
         (A, np.array([1, 2, 3], np.int32)), lambda a, i: a[1, 2, 3]),
    Case("gather_nd-batch", "GatherNd", lambda p, i: tf.gather_nd(p, i),
         (A, np.array([[[1], [0]], [[0], [1]]], np.int32)), lambda a, i: a[[[1, 0], [0, 1]]]),
    Case("gather_nd-depth0", "GatherNd", lambda p, i: tf.gather_nd(p, i),
         (S, np.zeros((3, 0), np.int32)), lambda s, i: np.stack([s] * 3)),
    Case("one_hot", "OneHot", lambda i: tf.one_hot(i, 4), (np.array([0, 3, -1, 4, 2]),),
         lambda i: np.eye(5, 4, dtype=np.float32)[[0, 3, 4, 4, 2]]),
    Case("one_hot-axis0", "OneHot", lambda i: tf.one_hot(i, 3, axis=0),
         (np.array([[0, 2], [1, 1]], np.int32),),
         lambda i: np.moveaxis(np.eye(3, dtype=np.float32)[i], -1, 0)),
    Case("one_hot-values", "OneHot", lambda i: tf.one_hot(i, 3, on_value=5, off_value=-1),
         (np.array([2, 0], np.uint8),), lambda i: np.array([[-1, -1, 5], [5, -1, -1]], np.int32)),
    Case("one_hot-strings", "OneHot", lambda i: tf.one_hot(i, 2, on_value="y", off_value="n"),
         (np.array([1, 0], np.int8),), lambda i: np.array([[b"n", b"y"], [b"y", b"n"]], object)),
    Case("one_hot-scalar", "OneHot", lambda i: tf.one_hot(i, 3, dtype=tf.int64),
         (np.int64(1),), lambda i: np.array([0, 1, 0], np.int64)),
    Case("one_hot-fed-depth", "OneHot", lambda i, d: tf.one_hot(i, d, dtype=tf.float64),
         (np.array([1, 0], np.int32), np.int32(3)), lambda i, d: np.eye(3)[[1, 0]],
         exact_static=False),
    Case("segment_sum", "UnsortedSegmentSum", lambda x, i: tf.unsorted_segment_sum(x, i, 3),
         (A, np.array([1, 1], np.int32)), lambda a, i: _segment_sum(a, i, 3)),
    Case("segment_sum-2d-ids", "UnsortedSegmentSum",
         lambda x, i: tf.unsorted_segment_sum(x, i, 4),
         (A, np.array([[0, 2, 0], [-1, 1, 2]], np.int64)), lambda a, i: _segment_sum(a, i, 4)),
    Case("segment_sum-fed-num", "UnsortedSegmentSum",
         lambda x, i, n: tf.unsorted_segment_sum(x, i, n),
         (np.arange(5, dtype=np.int32), np.array([0, 0, 3, -2, 3], np.int32), np.int64(5)),
         lambda a, i, n: _segment_sum(a, i, 5), exact_static=False),
    Case("scatter_nd", "ScatterNd", lambda i, u: tf.scatter_nd(i, u, [4, 3, 4]),
         (np.array([[0], [2], [0]], np.int32), A[[0, 1, 1]]),
         lambda i, u: _scatter_nd(i, u, (4, 3, 4))),
    Case("scatter_nd-depth2", "ScatterNd", lambda i, u: tf.scatter_nd(i, u, [2, 3, 4]),
         (np.array([[1, 0], [1, 0], [0, 2]], np.int64), A[0]),
         lambda i, u: _scatter_nd(i, u, (2, 3, 4))),
    Case("scatter_nd-depth0", "ScatterNd", lambda i, u: tf.scatter_nd(i, u, [3, 4]),
         (np.zeros((2, 0), np.int32), A[:, :, :]), lambda i, u: A[0] + A[1]),
]
# fmt: on


def _segment_sum(data, ids, n):
    out = np.zeros((n, *data.shape[ids.ndim :]), data.dtype)
    for pos in np.ndindex(*ids.shape):
        if ids[pos] >= 0:
            out[ids[pos]] += data[pos]
    return out


def _scatter_nd(indices, updates, shape):
    out = np.zeros(shape, updates.dtype)
    for pos in np.ndindex(*indices.shape[:-1]):
        out[tuple(indices[pos])] += updates[pos]
    return out


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_matches_numpy(run, case, mode):
    check_case(run, case, mode)


@needs_ops("Prod", "Where")
@pytest.mark.parametrize(
    ("mask", "axis"),
    [
        (np.array([True, False]), None),
        (np.array([[True, False, True], [False, False, True]]), 0),
        (np.array([False, True, True]), 1),
        (np.array([[False, True, True, False]] * 3), 1),
        (np.zeros(4, bool), 2),
    ],
)
def test_boolean_mask_matches_numpy(run, mask, axis):
    x = tf.placeholder(tf.float32, [None, 3, 4])
    m = tf.placeholder(tf.bool, [None] * mask.ndim)
    got = run(tf.boolean_mask(x, m, axis=axis), {x: A, m: mask})
    index = (slice(None),) * (axis or 0) + (mask,)
    np.testing.assert_array_equal(got, A[index])


# fmt: off
RUNTIME_ERRORS = [
    ("gather-too-large", lambda x, v: tf.gather(x, v, axis=1), A, [0, 7],
     "indices[1] = 7 is not in [0, 3)"),
    ("gather-negative", lambda x, v: tf.gather(x, tf.reshape(v, [1, 2]), axis=2), A, [0, -1],
     "indices[0,1] = -1 is not in [0, 4)"),
    ("gather-scalar", lambda x, v: tf.gather(x, v[1]), A, [0, 2], "indices = 2 is not in [0, 2)"),
    ("gather-axis", lambda x, v: tf.gather(x, v, axis=v[0] + 3), A, [0, 0],
     "Expected axis in the range [-3, 3), but got 3"),
    ("gather_nd", lambda x, v: tf.gather_nd(x, tf.reshape(v, [1, 2])), A, [1, 5],
     "indices[0] = [1, 5] does not index into param shape [2,3,4]"),
    ("gather_nd-negative", lambda x, v: tf.gather_nd(x, tf.reshape(v, [2, 1])), A, [1, -1],
     "indices[1] = [-1] does not index into param shape [2,3,4]"),
    ("one_hot-depth", lambda x, v: tf.one_hot(v, v[0]), A, [-4, 0],
     "depth must be non-negative, got: -4"),
    ("segment-id-too-large", lambda x, v: tf.unsorted_segment_sum(x, v, 3), A, [0, 3],
     "segment_ids[1] = 3 is out of range [0, 3)"),
    ("segment-ids-shape", lambda x, v: tf.unsorted_segment_sum(x, v, 3), A, [0, 1, 2],
     "data.shape = [2,3,4] does not start with segment_ids.shape = [3]"),
    ("scatter_nd", lambda x, v: tf.scatter_nd(tf.reshape(v, [1, 2]), x[0, :1], [2, 3, 4]), A,
     [1, 3], "indices[0] = [1, 3] does not index into shape [2,3,4]"),
    ("scatter_nd-updates", lambda x, v: tf.scatter_nd(tf.reshape(v, [2, 1]), x[0], [2, 3, 4]),
     A, [1, 0], "Dimensions [0,1) of indices[shape=[2,1]] must match dimensions [0,1) of "
     "updates[shape=[3,4]]"),
]
# fmt: on


@pytest.mark.parametrize(
    ("build", "x_value", "v_value", "message"),
    [pytest.param(*c[1:], id=c[0]) for c in RUNTIME_ERRORS],
)
def test_out_of_range_indices_fail_the_run_clearly(run, build, x_value, v_value, message):
    x = tf.placeholder(tf.float32, None, name="x")
    v = tf.placeholder(tf.int32, [None], name="v")
    out = build(x, v)
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        run(out, {x: x_value, v: v_value})
    assert message in info.value.message
    assert out.op.name in info.value.message
