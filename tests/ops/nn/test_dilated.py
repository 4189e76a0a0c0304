"""Tests for ``tf.nn.atrous_conv2d``, ``tf.nn.convolution`` and ``tf.nn.pool``
(scopeflow/ops/nn/dilated.py):
TF1's ops and names (TensorFlow 2.21's records, ``tests/data/tf_reference/dilated_conv.json``),
values against a direct dilated convolution in NumPy, and the gradients against finite
differences."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.graph_checks import check_against, expected, setup_of, tf_reference

REFERENCE = tf_reference("dilated_conv")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]

DIFFERENCES: dict = {}


@pytest.mark.parametrize("expr", list(GROUPS["EXPRESSIONS"]))
def test_builds_tf1s_graph(graph, env, expr):
    want = expected(GROUPS["EXPRESSIONS"][expr], DIFFERENCES.get(expr))
    check_against(graph, env, expr, want)


@pytest.mark.parametrize("expr", list(GROUPS["ERRORS"]))
def test_build_errors(graph, env, expr):
    want = expected(GROUPS["ERRORS"][expr], DIFFERENCES.get(expr))
    check_against(graph, env, expr, want, left=None)


def _dilated_conv(x, w, rate, padding):
    """out[b, i, j, o] = sum x[b, i * 1 + r * di - pad, ...] * w[di, dj, c, o]."""
    kh, kw = w.shape[:2]
    eh, ew = (kh - 1) * rate[0] + 1, (kw - 1) * rate[1] + 1
    if padding == "SAME":
        ph, pw = eh - 1, ew - 1
        x = np.pad(x, [(0, 0), (ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2), (0, 0)])
    oh, ow = x.shape[1] - eh + 1, x.shape[2] - ew + 1
    out = np.zeros((x.shape[0], oh, ow, w.shape[3]))
    for di in range(kh):
        for dj in range(kw):
            patch = x[:, di * rate[0] : di * rate[0] + oh, dj * rate[1] : dj * rate[1] + ow]
            out += patch @ w[di, dj]
    return out


RNG = np.random.default_rng(13)
X = RNG.standard_normal((2, 7, 6, 3))
W = RNG.standard_normal((3, 2, 3, 4))


@pytest.mark.parametrize(
    ("rate", "padding"), [([2, 2], "SAME"), ([3, 2], "VALID"), ([1, 3], "SAME"), ([2, 1], "VALID")]
)
def test_values_match_a_direct_dilated_convolution(graph, rate, padding):
    y = tf.nn.convolution(tf.constant(X), tf.constant(W), padding, dilation_rate=rate)
    np.testing.assert_allclose(tf.Session().run(y), _dilated_conv(X, W, rate, padding), 1e-10)


def test_atrous_conv2d_is_convolution_with_a_square_rate(graph):
    y = tf.nn.atrous_conv2d(tf.constant(X), tf.constant(W), 2, "SAME")
    np.testing.assert_allclose(tf.Session().run(y), _dilated_conv(X, W, [2, 2], "SAME"), 1e-10)


def _dilated_pool(x, window, rate, reduce):
    """VALID windows whose taps are ``rate`` apart, reduced with ``reduce``."""
    eh, ew = [(k - 1) * r + 1 for k, r in zip(window, rate, strict=True)]
    oh, ow = x.shape[1] - eh + 1, x.shape[2] - ew + 1
    taps = [
        x[:, i * rate[0] : i * rate[0] + oh, j * rate[1] : j * rate[1] + ow]
        for i in range(window[0])
        for j in range(window[1])
    ]
    return reduce(np.stack(taps), axis=0)


@pytest.mark.parametrize(("kind", "reduce"), [("MAX", np.max), ("AVG", np.mean)])
def test_pool_values_match_a_direct_dilated_pool(graph, kind, reduce):
    y = tf.nn.pool(tf.constant(X), [2, 3], kind, "VALID", dilation_rate=[3, 2])
    np.testing.assert_allclose(tf.Session().run(y), _dilated_pool(X, [2, 3], [3, 2], reduce))


X1 = RNG.standard_normal((2, 11, 3))
W1 = RNG.standard_normal((3, 3, 2))


@pytest.mark.parametrize(("rate", "padding"), [(2, "SAME"), (3, "VALID"), (1, "SAME")])
def test_1d_values_match_a_direct_dilated_convolution(graph, rate, padding):
    y = tf.nn.convolution(tf.constant(X1), tf.constant(W1), padding, dilation_rate=[rate])
    want = _dilated_conv(X1[:, None], W1[None], [1, rate], padding)[:, 0]
    np.testing.assert_allclose(tf.Session().run(y), want, 1e-10)


@pytest.mark.parametrize(("kind", "reduce"), [("MAX", np.max), ("AVG", np.mean)])
def test_1d_pool_values_match_a_direct_dilated_pool(graph, kind, reduce):
    y = tf.nn.pool(tf.constant(X1), [3], kind, "VALID", dilation_rate=[2])
    want = _dilated_pool(X1[:, None], [1, 3], [1, 2], reduce)[:, 0]
    np.testing.assert_allclose(tf.Session().run(y), want)


def test_a_filter_of_another_rank_than_the_input_raises_not_implemented(graph):
    with pytest.raises(NotImplementedError, match="1-, 2- and 3-D convolutions"):
        tf.nn.convolution(tf.constant(X), tf.constant(W1), "VALID")


@pytest.mark.parametrize(("rate", "padding"), [([2, 2], "SAME"), ([3, 2], "VALID")])
def test_unknown_spatial_sizes_compute_the_paddings_when_run(graph, rate, padding):
    x = tf.placeholder(tf.float64, [None, None, None, 3])
    y = tf.nn.convolution(x, tf.constant(W), padding, dilation_rate=rate)
    assert y.shape.as_list() == [None, None, None, 4]
    for image in (X, X[:1, :7, :4]):
        got = tf.Session().run(y, {x: image})
        np.testing.assert_allclose(got, _dilated_conv(image, W, rate, padding), 1e-10)


def test_unknown_rank_raises_not_implemented(graph):
    with pytest.raises(NotImplementedError, match="known rank"):
        tf.nn.atrous_conv2d(tf.placeholder(tf.float32), tf.constant(W), 2, "SAME")
    with pytest.raises(NotImplementedError, match="rank must be known"):
        tf.nn.pool(tf.placeholder(tf.float32), [2, 2], "MAX", "VALID", dilation_rate=[2, 2])


GRADIENTS = [
    GradCase(
        "atrous_same",
        lambda x, w: tf.nn.atrous_conv2d(x, w, 2, "SAME"),
        (X[:1, :5, :5], W),
    ),
    GradCase(
        "convolution_valid",
        lambda x, w: tf.nn.convolution(x, w, "VALID", dilation_rate=[2, 1]),
        (X[:1, :6, :5], W),
    ),
    GradCase(
        "convolution_1d_same",
        lambda x, w: tf.nn.convolution(x, w, "SAME", dilation_rate=[2]),
        (X1[:1, :7], W1),
    ),
    GradCase(
        "convolution_3d_valid",
        lambda x, w: tf.nn.convolution(x, w, "VALID", dilation_rate=[1, 2, 1]),
        (RNG.standard_normal((1, 3, 5, 3, 2)), RNG.standard_normal((2, 2, 2, 2, 2))),
    ),
    GradCase(
        "atrous_unknown_sizes",
        lambda x, w: tf.nn.atrous_conv2d(
            tf.placeholder_with_default(x, [None] * 3 + [3]), w, 2, "SAME"
        ),
        (X[:1, :5, :4], W),
    ),
    GradCase(
        "pool_max_dilated",
        lambda x: tf.nn.pool(x, [2, 2], "MAX", "VALID", dilation_rate=[2, 2]),
        (X[:1, :5, :5],),
    ),
    GradCase(
        "pool_1d_max_dilated",
        lambda x: tf.nn.pool(x, [2], "MAX", "VALID", dilation_rate=[2]),
        (X1[:1, :7],),
    ),
    GradCase(
        "pool_avg_dilated",
        lambda x: tf.nn.pool(x, [2, 2], "AVG", "VALID", dilation_rate=[1, 2]),
        (X[:1, :5, :5],),
    ),
]


@pytest.mark.parametrize("case", gradient_cases(GRADIENTS))
def test_gradients(case):
    check_gradient_case(case)
