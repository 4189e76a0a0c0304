"""Tests for scopeflow/ops/nn/conv_backprop_v2.py (``tf.conv2d_backprop_filter_v2``,
``tf.conv2d_backprop_input_v2``). TF 2.21 builds these ops (names, attrs, shapes and build
errors below are its) but registers no kernel for them: the values are those of TF's
``conv2d_backprop_filter``/``input`` given the filter's and the input's shapes."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, cases_by_mode, check_case

_RNG = np.random.RandomState(0)
X = _RNG.randn(1, 5, 5, 2).astype(np.float32).round(2)
W = _RNG.randn(3, 3, 2, 3).astype(np.float32).round(2)
DY = _RNG.randn(1, 3, 3, 3).astype(np.float32).round(2)
# TF 2.21's conv2d_backprop_filter(X, [3, 3, 2, 3], DY, [1, 2, 2, 1], "SAME")[:, :, 0, 0]
TF_DW = [[3.0504, 0.8068, 2.4156], [1.3235, -6.2723, -0.4945], [2.5024, -0.3189, -2.5381]]
# TF 2.21's conv2d_backprop_input([1, 5, 5, 2], W, DY, [1, 2, 2, 1], "SAME")[0, :, :, 1]
TF_DX = [
    [0.0526, 4.1843, -0.0714, 9.1661, -1.4183],
    [-2.3399, -1.8417, 1.6815, -0.8486, -0.3924],
    [-0.9761, -2.6329, -0.4648, 1.3634, -0.7174],
    [2.0347, -1.2735, 1.4476, -0.5214, -1.5507],
    [-0.6277, -2.5879, 0.3344, 4.592, -0.5619],
]


def _filter_ref(x, w, dy):
    """conv2d_backprop_filter given the filter's shape, in a graph of its own."""
    with tf.Graph().as_default(), tf.Session() as sess:
        return sess.run(tf.nn.conv2d_backprop_filter(x, list(w.shape), dy, [1, 2, 2, 1], "SAME"))


def _input_ref(x, w, dy):
    with tf.Graph().as_default(), tf.Session() as sess:
        return sess.run(tf.nn.conv2d_backprop_input(list(x.shape), w, dy, [1, 2, 2, 1], "SAME"))


CASES = [
    Case("filter-same-stride-2", "Conv2DBackpropFilterV2",
         lambda x, w, dy: tf.conv2d_backprop_filter_v2(x, w, dy, [1, 2, 2, 1], "SAME"),
         (X, W, DY), lambda x, w, dy: _filter_ref(x, w, dy), 1e-5),
    Case("input-same-stride-2", "Conv2DBackpropInputV2",
         lambda x, w, dy: tf.conv2d_backprop_input_v2(x, w, dy, [1, 2, 2, 1], "SAME"),
         (X, W, DY), lambda x, w, dy: _input_ref(x, w, dy), 1e-5),
]  # fmt: skip


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


def test_values_are_tfs_gradients(run):
    dw = tf.conv2d_backprop_filter_v2(X, W, DY, [1, 2, 2, 1], "SAME")
    dx = tf.conv2d_backprop_input_v2(X, W, DY, [1, 2, 2, 1], "SAME")
    got_dw, got_dx = run([dw, dx])
    np.testing.assert_allclose(got_dw[:, :, 0, 0], TF_DW, atol=1e-4)
    np.testing.assert_allclose(got_dx[0, :, :, 1], TF_DX, atol=1e-4)


def test_explicit_padding(run):
    dx = tf.conv2d_backprop_input_v2(
        X, W, np.ones([1, 3, 3, 3], np.float32), [1, 2, 2, 1], "EXPLICIT",
        explicit_paddings=[0, 0, 1, 1, 1, 1, 0, 0],
    )  # fmt: skip
    pads = [[0, 0], [1, 1], [1, 1], [0, 0]]
    want = tf.nn.conv2d_backprop_input(
        [1, 5, 5, 2], W, np.ones([1, 3, 3, 3], np.float32), [1, 2, 2, 1], pads
    )  # fmt: skip
    assert dx.shape.as_list() == [1, 5, 5, 2]
    np.testing.assert_allclose(*run([dx, want]), atol=1e-5)


def test_names_attrs_and_no_gradient_as_in_tf(graph):
    x, w, dy = tf.constant(X), tf.constant(W), tf.constant(DY)
    dw = tf.conv2d_backprop_filter_v2(x, w, dy, [1, 2, 2, 1], "SAME")
    dx = tf.conv2d_backprop_input_v2(x, w, dy, [1, 2, 2, 1], "SAME", name="dx")
    assert (dw.name, dx.name) == ("Conv2DBackpropFilterV2:0", "dx:0")
    assert (dw.shape.as_list(), dx.shape.as_list()) == ([3, 3, 2, 3], [1, 5, 5, 2])
    attrs = {k: dw.op.get_attr(k) for k in sorted(dw.op.node_def.attr)}
    assert attrs == {
        "data_format": b"NHWC", "dilations": [1, 1, 1, 1], "explicit_paddings": [],
        "padding": b"SAME", "strides": [1, 2, 2, 1], "use_cudnn_on_gpu": True,
    }  # fmt: skip
    for t in (dw, dx):
        with pytest.raises(LookupError, match=f"No gradient defined for operation '{t.op.name}'"):
            tf.gradients(t, [x, w, dy])


def test_shapes_come_from_the_kept_argument_only():
    p = tf.placeholder(tf.float32)
    assert tf.conv2d_backprop_input_v2(p, W, DY, 1, "SAME").shape.as_list() == [None] * 4
    assert tf.conv2d_backprop_filter_v2(X, p, DY, 1, "SAME").shape.as_list() == [None] * 4
    # TF reads neither out_backprop's channels nor the other tensor's shape while building.
    odd = tf.zeros([3, 3, 3, 3])
    assert tf.conv2d_backprop_input_v2(X, odd, DY, [1, 2, 2, 1], "SAME").shape == [1, 5, 5, 2]
    assert tf.conv2d_backprop_filter_v2(X, odd, DY, [1, 2, 2, 1], "SAME").shape == [3, 3, 3, 3]


@pytest.mark.parametrize(
    ("build", "error", "match"),
    [
        (lambda: tf.conv2d_backprop_filter_v2(X, tf.zeros([3, 3, 2]), DY, 1, "SAME"),
         ValueError, "Shape must be rank 4 but is rank 3"),
        (lambda: tf.conv2d_backprop_input_v2(X, tf.cast(W, tf.float64), DY, 1, "SAME"),
         TypeError, "Input 'filter' of 'Conv2DBackpropInputV2' Op has type float64 that does "
         "not match type float32 of argument 'input'"),
        (lambda: tf.conv2d_backprop_filter_v2(X.astype(np.int32), W.astype(np.int32),
                                              DY.astype(np.int32), 1, "SAME"),
         TypeError, "not in list of allowed values"),
        (lambda: tf.conv2d_backprop_input_v2(X, W, DY, 1, "SAME", data_format="NCHW"),
         NotImplementedError, "NHWC"),
    ],
)  # fmt: skip
def test_build_errors_are_tfs(graph, build, error, match):
    with pytest.raises(error, match=match):
        build()
