"""Tests for the ``tf.nn`` functions built from other ops: 1-D and rank-picking pools
(scopeflow/ops/nn/pooling_nd.py), ``sufficient_statistics``/``normalize_moments``
(statistics.py), ``relu_layer`` (composite.py), the transposed convolutions (transposed.py),
``with_space_to_batch`` (dilated.py) and TF1's other names for existing ops: TF1's ops and
names (TensorFlow 2.21's records, ``tests/data/tf_reference/nn_pool_extras.json``), values
against NumPy, and gradients against finite differences."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.graph_checks import built, check_against, expected, setup_of, tf_reference

REFERENCE = tf_reference("nn_pool_extras")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]

# Where scopeflow does something else than TF 2.21: expression -> what it does instead.
DIFFERENCES: dict = {
    # deliberate: TF builds assert_integer/assert_non_negative ops on global_batch_size that
    # nothing runs; scopeflow checks a Python value while building and builds none.
    expr: built(
        [op for op in GROUPS["EXPRESSIONS"][expr]["ops"] if not op[0].startswith("assert_")]
    )
    for expr in (
        "tf.nn.compute_average_loss(a)",
        "tf.nn.compute_average_loss(a, global_batch_size=8)",
        "tf.nn.compute_average_loss(a, sample_weight=c[:2], global_batch_size=8)",
    )
}


@pytest.mark.parametrize("expr", list(GROUPS["EXPRESSIONS"]))
def test_builds_tf1s_graph(graph, env, expr):
    want = expected(GROUPS["EXPRESSIONS"][expr], DIFFERENCES.get(expr))
    check_against(graph, env, expr, want)


@pytest.mark.parametrize("expr", list(GROUPS["ERRORS"]))
def test_build_errors(graph, env, expr):
    want = expected(GROUPS["ERRORS"][expr], DIFFERENCES.get(expr))
    check_against(graph, env, expr, want, left=None)


RNG = np.random.default_rng(5)
S = RNG.standard_normal((2, 9, 3))
X = RNG.standard_normal((2, 6, 6, 3))


def _windows1d(s, k, stride):
    """VALID windows of ``s`` ([batch, width, channels]): [batch, out, k, channels]."""
    out = (s.shape[1] - k) // stride + 1
    return np.stack([s[:, i * stride : i * stride + k] for i in range(out)], axis=1)


@pytest.mark.parametrize(("k", "stride"), [(2, 2), (3, 1)])
def test_1d_pools_reduce_each_window(graph, k, stride):
    mx = tf.nn.max_pool1d(S, k, stride, "VALID")
    avg = tf.nn.avg_pool1d(S, [k], [1, stride, 1], "VALID")
    got_max, got_avg = tf.Session().run([mx, avg])
    np.testing.assert_array_equal(got_max, _windows1d(S, k, stride).max(axis=2))
    np.testing.assert_allclose(got_avg, _windows1d(S, k, stride).mean(axis=2), 1e-12)


def test_v2_pools_pick_the_pool_by_rank(graph):
    vol = tf.zeros([1, 4, 4, 4, 2])
    types = [
        tf.nn.max_pool_v2(S, 2, 2, "SAME").op.inputs[0].op.type,
        tf.nn.max_pool_v2(X, 2, 2, "SAME").op.type,
        tf.nn.max_pool_v2(vol, 2, 2, "SAME").op.type,
        tf.nn.avg_pool_v2(X, 2, 2, "SAME").op.type,
        tf.nn.avg_pool_v2(vol, 2, 2, "SAME").op.type,
    ]
    assert types == ["MaxPool", "MaxPool", "MaxPool3D", "AvgPool", "AvgPool3D"]


def test_channels_first_pools_raise_not_implemented(graph):
    with pytest.raises(NotImplementedError, match="NWC"):
        tf.nn.max_pool1d(S, 2, 2, "SAME", data_format="NCW")
    with pytest.raises(NotImplementedError, match="channels"):
        tf.nn.avg_pool_v2(X, 2, 2, "SAME", data_format="NCHW")


@pytest.mark.parametrize("shift", [None, np.float64(0.25)])
def test_normalized_sufficient_statistics_are_the_moments(graph, shift):
    x = tf.placeholder(tf.float64, [None, 6, 6, 3])
    stats = tf.nn.sufficient_statistics(x, [0, 1, 2], shift=shift)
    mean, variance = tf.nn.normalize_moments(*stats[:3], stats[3])
    got = tf.Session().run([stats[0], mean, variance], {x: X})
    np.testing.assert_allclose(got[0], 72)
    np.testing.assert_allclose(got[1], X.mean(axis=(0, 1, 2)), 1e-12)
    np.testing.assert_allclose(got[2], X.var(axis=(0, 1, 2)), 1e-12)


def test_relu_layer_is_relu_of_xw_plus_b(graph):
    w, b = RNG.standard_normal((3, 4)), RNG.standard_normal(4)
    got = tf.Session().run(tf.nn.relu_layer(X[0, 0], w, b))
    np.testing.assert_allclose(got, np.maximum(X[0, 0] @ w + b, 0), 1e-12)


def test_conv1d_transpose_scatters_each_input_through_the_filter(graph):
    k = RNG.standard_normal((2, 4, 3))
    got = tf.Session().run(tf.nn.conv1d_transpose(S, k, [2, 18, 4], 2))
    want = np.zeros((2, 18, 4))
    for i in range(9):
        for t in range(2):
            want[:, 2 * i + t] += S[:, i] @ k[t].T
    np.testing.assert_allclose(got, want, 1e-12)


@pytest.mark.parametrize(("rate", "padding", "size"), [(2, "SAME", 6), (2, "VALID", 10)])
def test_atrous_transpose_is_the_atrous_convolutions_input_gradient(graph, rate, padding, size):
    w = RNG.standard_normal((3, 3, 5, 3))
    x = tf.zeros([2, size, size, 5], tf.float64)
    (want,) = tf.gradients(tf.nn.atrous_conv2d(x, w, rate, padding), x, grad_ys=X)
    got = tf.nn.atrous_conv2d_transpose(X, w, [2, size, size, 5], rate, padding)
    got, want = tf.Session().run([got, want])
    np.testing.assert_allclose(got, want, 1e-12)


def test_with_space_to_batch_dilates_the_window_op(graph):
    def op(value, n, padding):
        assert n == 2
        return tf.nn.max_pool(value, [1, 2, 2, 1], [1, 1, 1, 1], padding)

    got = tf.nn.with_space_to_batch(X, [2, 2], "VALID", op)
    want = tf.nn.pool(X, [2, 2], "MAX", "VALID", dilation_rate=[2, 2])
    got, want = tf.Session().run([got, want])
    np.testing.assert_array_equal(got, want)


def test_with_space_to_batch_other_spatial_dims_raise_not_implemented(graph):
    with pytest.raises(NotImplementedError, match="spatial_dims"):
        tf.nn.with_space_to_batch(X, [2], "VALID", lambda v, n, p: v, spatial_dims=[2])


LABELS = np.array([[1, 1, 2, 2, 3, 3], [4, 4, 4, 0, 0, 0], [5, 6, 5, 6, 6, 6]], np.int32)


def test_collapse_repeated_and_unique_labels_give_tfs_values(graph):
    collapsed = tf.nn.collapse_repeated(LABELS, [6, 2, 5])
    unique = tf.nn.ctc_unique_labels(LABELS)
    (labels, lengths), (values, index) = tf.Session().run([collapsed, unique])
    np.testing.assert_array_equal(labels, [[1, 2, 3, 0], [4, 0, 0, 0], [5, 6, 5, 6]])
    np.testing.assert_array_equal(lengths, [3, 1, 4])
    np.testing.assert_array_equal(
        values, [[1, 2, 3, 0, 0, 0], [4, 0, 0, 0, 0, 0], [5, 6, 0, 0, 0, 0]]
    )
    np.testing.assert_array_equal(
        index, [[0, 0, 1, 1, 2, 2], [0, 0, 0, 1, 1, 1], [0, 1, 0, 1, 1, 1]]
    )


def test_compute_average_loss_divides_by_the_global_batch(graph):
    losses = S[:, :, 0]
    weighted = tf.nn.compute_average_loss(losses, sample_weight=[0.5, 2.0], global_batch_size=8)
    empty = tf.nn.compute_average_loss(np.zeros((0, 3)))
    got = tf.Session().run([tf.nn.compute_average_loss(losses), weighted, empty])
    np.testing.assert_allclose(got[0], losses.sum() / 2, rtol=1e-12)
    np.testing.assert_allclose(got[1], (losses * [[0.5], [2.0]]).sum() / 8, rtol=1e-6)
    assert got[2] == 0.0


GRADIENTS = [
    GradCase("max_pool1d", lambda s: tf.nn.max_pool1d(s, 2, 1, "SAME"), (S[:1],)),
    GradCase("avg_pool1d", lambda s: tf.nn.avg_pool1d(s, 3, 2, "SAME"), (S[:1],)),
    GradCase(
        "normalized_statistics",
        lambda x: tf.stack(
            tf.nn.normalize_moments(*tf.nn.sufficient_statistics(x, [0, 1])[:3], None)
        ),
        (S[0],),
    ),
    GradCase(
        "relu_layer",
        lambda x, w, b: tf.nn.relu_layer(x, w, b),
        (S[0], RNG.standard_normal((3, 2)), np.array([0.1, -0.2])),
    ),
    GradCase(
        "conv1d_transpose",
        lambda s, k: tf.nn.conv1d_transpose(s, k, [1, 10, 2], 2, "VALID"),
        (S[:1, :4], RNG.standard_normal((3, 2, 3))),
    ),
    GradCase(
        "atrous_conv2d_transpose",
        lambda x, w: tf.nn.atrous_conv2d_transpose(x, w, [1, 4, 4, 2], 2, "SAME"),
        (X[:1, :4, :4], RNG.standard_normal((2, 2, 2, 3))),
    ),
]


@pytest.mark.parametrize("case", gradient_cases(GRADIENTS))
def test_gradients(case):
    check_gradient_case(case)
