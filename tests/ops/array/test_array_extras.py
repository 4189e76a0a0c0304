"""Tests for the TF1 array and math functions of scopeflow/ops/array/coords.py, depth_space.py,
partition.py, unique.py (``UniqueWithCounts``, ``ListDiff``), ops/math/composite.py,
truncate_shift.py and ops/sparse/segment_means.py: what they build (names, static shapes),
what they refuse, their kernels and gradients.

The expected graphs and errors are TensorFlow 2.21's own (``tensorflow.compat.v1``, graph
mode), recorded in ``tests/data/tf_reference/array_extras.json`` by ``tools/tf_reference.py``
from ``tests/data/tf_reference/array_extras.py``; ``DIFFERENCES`` lists where scopeflow differs.
"""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.graph_checks import built, record_tests, setup_of, tf_reference
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case

REFERENCE = tf_reference("array_extras")
SETUP = setup_of(REFERENCE)
GROUPS = {**REFERENCE["groups"], "BUILD_ERRORS": REFERENCE["groups"]["ERRORS"]}

DIFFERENCES = {
    # TF1.15's saturate_cast: a Maximum with `min` and a Minimum with `max` only where the
    # target range is narrower (TF 2.21 always clamps with one ClipByValue)
    "tf.saturate_cast(b, tf.int8)": built(
        [
            ("saturate_cast/max", "Const"),
            ("saturate_cast/Minimum", "Minimum"),
            ("saturate_cast", "Cast"),
        ]
    ),
    "tf.saturate_cast(i, tf.int64)": built([("saturate_cast", "Cast")]),
}

test_builds, test_gradient_graphs, test_errors, test_every_difference_is_recorded = record_tests(
    GROUPS, DIFFERENCES
)


# -- kernels: NumPy references (the same inputs' values were compared with TF 2.21's) -------


def _space_to_depth(x, block=2):
    n, h, w, c = x.shape
    out = np.empty((n, h // block, w // block, c * block * block), x.dtype)
    for bh in range(block):
        for bw in range(block):
            at = (bh * block + bw) * c
            out[..., at : at + c] = x[:, bh::block, bw::block, :]
    return out


def _depth_to_space(x, block=2):
    n, h, w, c = x.shape
    depth = c // (block * block)
    out = np.empty((n, h * block, w * block, depth), x.dtype)
    for bh in range(block):
        for bw in range(block):
            at = (bh * block + bw) * depth
            out[:, bh::block, bw::block, :] = x[..., at : at + depth]
    return out


IM = np.arange(2 * 4 * 6 * 8, dtype=np.float32).reshape(2, 4, 6, 8)
DATA = np.arange(12, dtype=np.float64).reshape(2, 3, 2)
PARTS = np.int32([[0, 2, 0], [1, 0, 2]])
I7 = np.int32([7, -7, 7, -7])
D2 = np.int32([2, 2, -2, -2])

CASES = [
    Case(
        "space-to-depth", "SpaceToDepth", lambda x: tf.space_to_depth(x, 2), (IM,), _space_to_depth
    ),
    Case(
        "space-to-depth-3",
        "SpaceToDepth",
        lambda x: tf.nn.space_to_depth(x, 3),
        (np.arange(36, dtype=np.int32).reshape(1, 6, 3, 2),),
        lambda x: _space_to_depth(x, 3),
    ),
    Case(
        "depth-to-space", "DepthToSpace", lambda x: tf.depth_to_space(x, 2), (IM,), _depth_to_space
    ),
    Case(
        "space-to-depth-uneven",
        "SpaceToDepth",
        lambda x: tf.space_to_depth(x, 2),
        (np.zeros([1, 3, 4, 1], np.float32),),
        Raises(tf.errors.InvalidArgumentError, "should be divisible by block_size: 2"),
        modes=("dims", "rank"),
    ),
    Case(
        "partition",
        "DynamicPartition",
        lambda x, p: tf.dynamic_partition(x, p, 3),
        (DATA, PARTS),
        lambda x, p: [x[p == i] for i in range(3)],
        exact_static=False,
    ),
    Case(
        "partition-out-of-range",
        "DynamicPartition",
        lambda x, p: tf.dynamic_partition(x, p, 2),
        (DATA, PARTS),
        Raises(tf.errors.InvalidArgumentError, "partitions[1] = 2 is not in [0, 2)"),
    ),
    Case(
        "unique-with-counts",
        "UniqueWithCounts",
        lambda x: tf.unique_with_counts(x, out_idx=tf.int64),
        (np.float32([3, 1, 3, -0.0, 0]),),
        [np.float32([3, 1, -0.0]), np.int64([0, 1, 0, 2, 2]), np.int64([2, 1, 2])],
        exact_static=False,
    ),
    Case(
        "setdiff1d",
        "ListDiff",
        lambda x, y: tf.setdiff1d(x, y),
        (np.int64([5, 1, 5, 2]), np.int64([5, 7])),
        [np.int64([1, 2]), np.int32([1, 3])],
        exact_static=False,
    ),
    Case(
        "ensure-shape",
        "EnsureShape",
        lambda x: tf.ensure_shape(x, [2, None, 2]),
        (DATA,),
        lambda x: x,
    ),
    Case(
        "ensure-shape-mismatch",
        "EnsureShape",
        lambda x: tf.ensure_shape(x, [3, None, 2]),
        (DATA,),
        Raises(tf.errors.InvalidArgumentError, "is not compatible with expected shape [3,?,2]"),
        modes=("dims", "rank"),
    ),
    Case(
        "unravel-index",
        "UnravelIndex",
        lambda i, d: tf.unravel_index(i, d),
        (np.int64([0, 11, 6]), np.int64([3, 4])),
        lambda i, d: np.stack(np.unravel_index(i, tuple(d))),
        exact_static=False,
    ),
    Case(
        "unravel-index-out-of-bounds",
        "UnravelIndex",
        lambda i: tf.unravel_index(i, [3, 4]),
        (np.int32([12]),),
        Raises(tf.errors.InvalidArgumentError, "index is out of bound as with dims"),
    ),
    Case("truncatediv", "TruncateDiv", tf.truncatediv, (I7, D2), np.int32([3, -3, -3, 3])),
    Case("truncatemod", "TruncateMod", tf.truncatemod, (I7, D2), np.int32([1, -1, 1, -1])),
    Case(
        "truncatediv-float",
        "TruncateDiv",
        tf.truncatediv,
        (np.float32([7, -7.5, 1]), np.float32([2, 2, 0])),
        np.float32([3, -3, np.inf]),
    ),
    Case(
        "truncatediv-by-zero",
        "TruncateDiv",
        tf.truncatediv,
        (I7, np.int32([1, 0, 1, 1])),
        Raises(tf.errors.InvalidArgumentError, "Integer division by zero"),
    ),
    Case(
        "left-shift",
        "LeftShift",
        tf.bitwise.left_shift,
        (np.int8([1, -1, 3]), np.int8([7, 2, -1])),
        np.int8([-128, -4, 3]),
    ),
    Case(
        "right-shift",
        "RightShift",
        tf.bitwise.right_shift,
        (np.uint8([255, 16]), np.uint8([3, 9])),
        np.uint8([31, 0]),
    ),
    Case(
        "segment-mean",
        "SegmentMean",
        lambda x, i: tf.math.segment_mean(x, i),
        (np.int32([[1, 2], [4, 5], [-5, 6]]), np.int64([0, 0, 2])),
        np.int32([[2, 3], [0, 0], [-5, 6]]),
        exact_static=False,
    ),
    Case(
        "segment-mean-unsorted",
        "SegmentMean",
        lambda x, i: tf.math.segment_mean(x, i),
        (np.float32([1, 2]), np.int32([1, 0])),
        Raises(tf.errors.InvalidArgumentError, "segment ids are not increasing"),
    ),
]


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


# -- functions built from other ops: values as TF 2.21 computes them ------------------------

X = np.float32([[1.0, -2.0, 0.5], [3.0, 0.0, -1.5]])

VALUES = [
    ("tf.meshgrid([1, 2], [3, 4, 5])", [[[1, 2]] * 3, [[3, 3], [4, 4], [5, 5]]]),
    ("tf.meshgrid([1, 2], [3, 4, 5], indexing='ij')", [[[1] * 3, [2] * 3], [[3, 4, 5]] * 2]),
    (
        "tf.batch_gather(np.arange(12.).reshape(2, 3, 2), [[2, 0], [1, 1]])",
        [[[4, 5], [0, 1]], [[8, 9], [8, 9]]],
    ),
    ("tf.math.reduce_variance(X, 0)", np.var(X, 0)),
    ("tf.math.reduce_std(X, 1, keepdims=True)", np.std(X, 1, keepdims=True)),
    ("tf.math.log_sigmoid([-100.0, 0.0, 50.0])", [-100.0, -np.log(2.0), -1.9287499e-22]),
    ("tf.saturate_cast([-1e10, 1e10, 3.5], tf.int16)", [-32768, 32767, 3]),
    ("tf.saturate_cast([1e40, -1e40], tf.int32)", [2147483520, -2147483648]),
    ("tf.clip_by_average_norm(X, 0.1)", X * 0.1 * 6 / np.linalg.norm(X)),
    ("tf.clip_by_average_norm(X, 10.0)", X),
    (
        "tf.math.unsorted_segment_mean(DATA, [[0, 2, 0], [-1, 0, 2]], 4)",
        [[4, 5], [0, 0], [6, 7], [0, 0]],
    ),
    (
        "tf.math.unsorted_segment_sqrt_n(DATA, PARTS, 3)",
        np.array([[12, 15], [6, 7], [12, 14]]) / np.sqrt([[3], [1], [2]]),
    ),
]


@pytest.mark.parametrize(("expr", "want"), VALUES, ids=[e for e, _ in VALUES])
def test_values(run, expr, want):
    env = {"tf": tf, "np": np, "X": X, "DATA": DATA, "PARTS": PARTS}
    got = run(eval(expr, env))
    np.testing.assert_allclose(np.asarray(got, np.float64), np.asarray(want), rtol=1e-6)


# -- gradients ------------------------------------------------------------------------------

GRAD_CASES = [
    GradCase(
        "space-to-depth",
        lambda x: tf.space_to_depth(x, 2),
        (np.random.RandomState(0).randn(1, 2, 4, 2),),
    ),
    GradCase(
        "depth-to-space",
        lambda x: tf.depth_to_space(x, 2),
        (np.random.RandomState(1).randn(1, 2, 1, 8),),
    ),
    GradCase("partition", lambda x: tf.dynamic_partition(x, PARTS, 3)[2], (DATA,)),
    GradCase("ensure-shape", lambda x: tf.ensure_shape(x, [None, 3, 2]), (DATA,)),
    GradCase("segment-mean", lambda x: tf.math.segment_mean(x, [0, 0, 2]), (DATA.reshape(3, 4),)),
]


@pytest.mark.parametrize("case", gradient_cases(GRAD_CASES))
def test_gradients(case):
    check_gradient_case(case)


def test_partition_gradient_fills_unused_partitions_with_zeros(run):
    x = tf.constant(DATA)
    (g,) = tf.gradients(tf.reduce_sum(tf.dynamic_partition(x, PARTS, 3)[1]), x)
    np.testing.assert_array_equal(run(g), (PARTS == 1)[..., None] * np.ones_like(DATA))


def test_depth_space_refuse_nchw(graph):
    with pytest.raises(NotImplementedError, match="'NHWC' only"):
        tf.space_to_depth(tf.zeros([1, 2, 4, 4]), 2, data_format="NCHW")
