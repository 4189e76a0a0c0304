"""Tests for ``tf.conv`` (TF 2.21's ``Conv`` op, scopeflow/ops/nn/conv_generic.py): values
against TensorFlow 2.21's (literals below, same inputs) and against ``tf.nn.conv2d``/
``conv3d``, extra batch dimensions, explicit padding, groups and channels-first data (which
TF's CPU kernel refuses), build errors as TF's."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, cases_by_mode, check_case

_rng = np.random.RandomState(0)
X2 = _rng.randn(2, 5, 6, 3).astype(np.float32)
W2 = _rng.randn(3, 2, 3, 4).astype(np.float32)
X2B = _rng.randn(2, 7, 6, 3).astype(np.float32)
W2B = _rng.randn(3, 2, 3, 4).astype(np.float32)
X3 = _rng.randn(1, 4, 5, 6, 2).astype(np.float32)
W3 = _rng.randn(2, 3, 2, 2, 3).astype(np.float32)
TOL = 1e-5


def _case(name, build, arrays, want):
    return Case(name, "Conv", build, arrays, want, tolerance=TOL, modes=("full", "dims"),
                exact_static=False)  # fmt: skip


CASES = [
    _case("2d-valid", lambda x, w: tf.conv(x, w, [1, 1, 1, 1], "VALID"), (X2, W2),
          lambda x, w: _conv2d(x, w, "VALID")),
    _case("2d-batch-dims-2", lambda x, w: tf.conv(x, w, [1, 1, 1, 1], "VALID", batch_dims=2),
          (np.stack([X2, X2 * 2]), W2),
          lambda x, w: np.stack([_conv2d(x[0], w, "VALID"), _conv2d(x[1], w, "VALID")])),
    _case("3d-same", lambda x, w: tf.conv(x, w, [1, 1, 2, 1, 1], "SAME"), (X3, W3),
          lambda x, w: _run(tf.nn.conv3d(x, w, [1, 1, 2, 1, 1], "SAME"))),
]  # fmt: skip


def _run(t):
    with tf.Session(graph=t.graph) as sess:
        return sess.run(t)


def _conv2d(x, w, padding, **kwargs):
    with tf.Graph().as_default():
        return _run(tf.nn.conv2d(x, w, [1, 1, 1, 1], padding, **kwargs))


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


@pytest.mark.parametrize(
    ("build", "pick", "want"),
    [
        (
            lambda: tf.conv(X2B, W2B, [1, 2, 1, 1], "SAME", dilations=[1, 1, 2, 1]),
            (1, 2, 3),
            [-0.31201, 0.7072, 1.88376, -0.97074],
        ),
        (
            lambda: tf.conv(X3, W3, [1, 1, 2, 1, 1], "SAME"),
            (0, 1, 2, 3),
            [1.38243, 4.93675, -1.94762],
        ),
        (
            lambda: tf.conv(
                X2, W2, [1] * 4, "EXPLICIT", explicit_paddings=[0, 0, 1, 2, 0, 1, 0, 0]
            ),
            (0, 0, 0),
            [-1.92565, 1.02818, 3.41704, -2.38257],
        ),
    ],
    ids=["same-stride-dilation", "3d", "explicit"],
)
def test_values_match_tf(run, build, pick, want):
    np.testing.assert_allclose(run(build())[pick], want, atol=2e-5)


def test_groups_and_channels_first(run):
    x = _rng.randn(2, 5, 5, 4).astype(np.float32)
    w = _rng.randn(3, 3, 2, 6).astype(np.float32)
    grouped = run(tf.conv(x, w, [1] * 4, "VALID", groups=2))
    halves = [_conv2d(x[..., :2], w[..., :3], "VALID"), _conv2d(x[..., 2:], w[..., 3:], "VALID")]
    np.testing.assert_allclose(grouped, np.concatenate(halves, -1), atol=TOL)
    first = tf.conv(x.transpose(0, 3, 1, 2), w, [1] * 4, "VALID", data_format="CHANNELS_FIRST",
                    groups=2)  # fmt: skip
    np.testing.assert_allclose(run(first), grouped.transpose(0, 3, 1, 2), atol=TOL)


def test_names_shapes_and_no_gradient(graph):
    x = tf.constant(X2)
    y = tf.conv(x, W2, [1, 1, 1, 1], "VALID")
    assert y.name == "Conv:0" and y.shape.as_list() == [2, 3, 5, 4]
    assert [op.name for op in graph.get_operations()][1:] == ["Conv/filter", "Conv"]
    with pytest.raises(LookupError, match="No gradient defined for operation"):
        tf.gradients(y, x)


@pytest.mark.parametrize(
    ("x", "w", "strides", "match"),
    [
        ([2, 7, 3], [3, 3, 4], [1, 1, 1], "must be rank 4 or 5, excluding extra batch"),
        ([1, 4, 4, 3], [2, 2, 2, 1], [1] * 4, "Depth of input \\(3\\) is not a multiple"),
        ([1, 4, 4, 3], [2, 2, 3, 1], [1] * 3, "Stride attribute should contain 4 values"),
    ],
)
def test_build_errors(graph, x, w, strides, match):
    with pytest.raises(ValueError, match=match):
        tf.conv(tf.zeros(x), tf.zeros(w), strides, "VALID")
