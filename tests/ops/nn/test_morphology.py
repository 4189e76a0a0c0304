"""Tests for ``tf.nn.dilation2d``/``erosion2d`` (scopeflow/ops/nn/morphology.py): TF1's ops and
names (TensorFlow 2.21's records, ``tests/data/tf_reference/morphology.json``), the kernels
against a direct loop over windows (the values, ties and off-image windows were also checked
bit for bit against TF 2.21's CPU kernels), and the gradient against finite differences."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.graph_checks import check_against, expected, setup_of, tf_reference
from tests.ops.kernel_table import Case, cases_by_mode, check_case

REFERENCE = tf_reference("morphology")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]

# Where scopeflow builds something else than TF 2.21: none.
DIFFERENCES: dict = {}


@pytest.mark.parametrize("expr", list(GROUPS["EXPRESSIONS"]))
def test_builds_tf1s_graph(graph, env, expr):
    want = expected(GROUPS["EXPRESSIONS"][expr], DIFFERENCES.get(expr))
    check_against(graph, env, expr, want)


@pytest.mark.parametrize("expr", list(GROUPS["ERRORS"]))
def test_build_errors(graph, env, expr):
    want = expected(GROUPS["ERRORS"][expr], DIFFERENCES.get(expr))
    check_against(graph, env, expr, want, left=None)


def _direct(x, w, strides, rates, padding):
    """The dilation, the winning (input, filter) position of each output, by loops."""
    n, h, wd, c = x.shape
    kh, kw, _ = w.shape
    (sh, sw), (rh, rw) = strides, rates
    eh, ew = (kh - 1) * rh + 1, (kw - 1) * rw + 1
    if padding == "SAME":
        oh, ow = -(-h // sh), -(-wd // sw)
        top = max((oh - 1) * sh + eh - h, 0) // 2
        left = max((ow - 1) * sw + ew - wd, 0) // 2
    else:
        oh, ow, top, left = (h - eh) // sh + 1, (wd - ew) // sw + 1, 0, 0
    lowest = np.finfo(x.dtype).min if x.dtype.kind == "f" else np.iinfo(x.dtype).min
    out = np.full((n, oh, ow, c), lowest, x.dtype)
    where_x, where_w = {}, {}
    for b, y, z, d in np.ndindex(out.shape):
        y0, z0 = y * sh - top, z * sw - left
        where_x[b, y, z, d], where_w[b, y, z, d] = (max(y0, 0), max(z0, 0)), (0, 0)
        for i, j in np.ndindex(kh, kw):
            r, s = y0 + i * rh, z0 + j * rw
            if 0 <= r < h and 0 <= s < wd and x[b, r, s, d] + w[i, j, d] > out[b, y, z, d]:
                out[b, y, z, d] = x[b, r, s, d] + w[i, j, d]
                where_x[b, y, z, d], where_w[b, y, z, d] = (r, s), (i, j)
    return out, where_x, where_w


def _backprop(x, w, dy, strides, rates, padding, of_input):
    _, where_x, where_w = _direct(x, w, strides, rates, padding)
    grad = np.zeros(x.shape if of_input else w.shape, dy.dtype)
    for (b, y, z, d), (r, s) in (where_x if of_input else where_w).items():
        grad[(b, r, s, d) if of_input else (r, s, d)] += dy[b, y, z, d]
    return grad


RNG = np.random.default_rng(9)
X = RNG.standard_normal((2, 5, 4, 2))
W = RNG.standard_normal((2, 3, 2))
TIES = RNG.integers(0, 3, (1, 4, 4, 1)).astype(np.float32)
GEOMETRIES = [
    ("same", [1, 1], [1, 1], "SAME"),
    ("valid-strided", [2, 1], [2, 1], "VALID"),
    ("same-dilated-off-image", [1, 2], [3, 3], "SAME"),
]


def _attrs(strides, rates):
    return [1, *strides, 1], [1, *rates, 1]


def _dilation_case(cid, x, w, strides, rates, padding):
    s4, r4 = _attrs(strides, rates)
    return Case(
        f"dilation-{cid}",
        "Dilation2D",
        lambda a, b: tf.nn.dilation2d(a, b, s4, r4, padding),
        (x, w),
        lambda a, b: _direct(a, b, strides, rates, padding)[0],
    )


def _backprop_case(cid, x, w, strides, rates, padding, of_input):
    s4, r4 = _attrs(strides, rates)
    op_type = "Dilation2DBackpropInput" if of_input else "Dilation2DBackpropFilter"
    dy = np.ones_like(_direct(x, w, strides, rates, padding)[0])
    return Case(
        f"{op_type}-{cid}",
        op_type,
        lambda a, b, g: (
            tf.get_default_graph()
            .create_op(op_type, [a, b, g], attrs={"strides": s4, "rates": r4, "padding": padding})
            .outputs[0]
        ),
        (x, w, dy),
        lambda a, b, g: _backprop(a, b, g, strides, rates, padding, of_input),
        modes=("full",),
    )


CASES = [
    *(_dilation_case(cid, X, W, *geometry) for cid, *geometry in GEOMETRIES),
    _dilation_case("ties", TIES, np.zeros((2, 2, 1), np.float32), [1, 1], [1, 1], "SAME"),
    _dilation_case(
        "int32", TIES.astype(np.int32), np.ones((2, 2, 1), np.int32), [1, 1], [1, 1], "VALID"
    ),
    *(
        _backprop_case(cid, X, W, *geometry, of_input)
        for cid, *geometry in GEOMETRIES
        for of_input in (True, False)
    ),
    *(
        _backprop_case("ties", TIES, np.zeros((2, 2, 1), np.float32), [1, 1], [1, 1], "SAME", o)
        for o in (True, False)
    ),
]


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


def test_erosion_is_the_dual_of_dilation(graph):
    s4, r4 = _attrs([1, 1], [1, 1])
    eroded = tf.nn.erosion2d(X, W, s4, r4, "SAME")
    want = -_direct(-X, W[::-1, ::-1], [1, 1], [1, 1], "SAME")[0]
    np.testing.assert_array_equal(tf.Session().run(eroded), want)


def test_the_gradient_ops_have_no_gradient_as_in_tf(graph):
    x, w = tf.constant(X), tf.constant(W)
    (dx,) = tf.gradients(tf.nn.dilation2d(x, w, [1, 1, 1, 1], [1, 1, 1, 1], "SAME"), x)
    with pytest.raises(LookupError, match="op type: Dilation2DBackpropInput"):
        tf.gradients(dx, x)
    (dw,) = tf.gradients(tf.nn.dilation2d(x, w, [1, 1, 1, 1], [1, 1, 1, 1], "SAME"), w)
    with pytest.raises(LookupError, match="op type: Dilation2DBackpropFilter"):
        tf.gradients(dw, w)


def test_channel_strides_raise_not_implemented(graph):
    with pytest.raises(NotImplementedError, match="height and width"):
        tf.nn.dilation2d(X, W, [1, 1, 1, 2], [1, 1, 1, 1], "SAME")


GRADIENTS = [
    GradCase(
        "dilation2d",
        lambda x, w: tf.nn.dilation2d(x, w, [1, 1, 1, 1], [1, 1, 1, 1], "SAME"),
        (X[:1, :4, :3], W),
    ),
    GradCase(
        "erosion2d",
        lambda x, w: tf.nn.erosion2d(x, w, [1, 2, 1, 1], [1, 1, 2, 1], "VALID"),
        (X[:1], W[:, :2]),
    ),
]


@pytest.mark.parametrize("case", gradient_cases(GRADIENTS))
def test_gradients(case):
    check_gradient_case(case)
