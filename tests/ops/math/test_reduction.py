"""Tests for scopeflow/ops/reduction_ops.py: the reductions, ``argmax``/``argmin``,
``cumsum``/``cumprod``, ``count_nonzero`` and ``reduce_logsumexp`` build TF1's ops (names,
types, attributes, dtypes, static shapes), reject what TF1 rejects, and compute what NumPy
computes (property tests with hypothesis for random shapes and axes).

The expressions' expected values are TensorFlow 2.21's own (``tensorflow.compat.v1``, graph
mode), recorded in ``tests/data/tf_reference/reduction.json`` by ``tools/tf_reference.py`` from
``tests/data/tf_reference/reduction.py``; where scopeflow differs, ``DIFFERENCES`` says what it
does instead and why. Corner-case values were read from TensorFlow 2.21 too.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scopeflow as tf
from tests.ops.graph_checks import built, check_against, expected, setup_of, tf_reference
from tests.ops.kernel_table import Case, check_case

REFERENCE = tf_reference("reduction")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]

# Where scopeflow does something else than TF 2.21: expression -> what it does instead.
DIFFERENCES = {
    # deliberate: TF1 also adds a stray float Const
    "tf.reduce_sum(x, [])": built([("Sum/reduction_indices", "Const"), ("Sum", "Sum")]),
    # deliberate: TF1 adds Rank/Const, Rank and range
    "tf.reduce_mean([[1, 2]], name='m')": built(
        [("Const", "Const"), ("m/input", "Const"), ("m", "Mean")]
    ),
}


@pytest.mark.parametrize("expr", list(GROUPS["EXPRESSIONS"]))
def test_expression_builds_tf1_ops(graph, env, expr):
    want = expected(GROUPS["EXPRESSIONS"][expr], DIFFERENCES.get(expr))
    check_against(graph, env, expr, want)


def test_attributes(graph, env):
    x, i = env["x"], env["i"]
    assert tf.reduce_sum(x, 1, keepdims=True).op.get_attr("keep_dims") is True
    assert tf.reduce_mean(x).op.get_attr("keep_dims") is False
    assert tf.argmin(i, output_type=tf.int16).op.get_attr("output_type") == tf.int16
    scan = tf.cumsum(x, exclusive=True).op
    assert (scan.get_attr("exclusive"), scan.get_attr("reverse")) == (True, False)
    # Axes keep their dtype: a NumPy int64 gives an int64 reduction_indices Const, as in TF.
    assert tf.reduce_sum(x, np.int64(1)).op.inputs[1].dtype == tf.int64
    assert tf.cumsum(x, np.int64(1)).op.inputs[1].dtype == tf.int64


def test_full_reduction_axes_const_is_range_of_rank(graph, env, run):
    t = tf.reduce_sum(env["x"], keepdims=True)
    assert t.shape.as_list() == [1, 1, 1]
    axes = t.op.inputs[1]
    assert (axes.op.type, run(axes).tolist()) == ("Const", [0, 1, 2])


@pytest.mark.parametrize("expr", list(GROUPS["ERRORS"]))
def test_errors(graph, env, expr):
    want = expected(GROUPS["ERRORS"][expr], DIFFERENCES.get(expr))
    check_against(graph, env, expr, want)


def test_every_difference_is_a_recorded_expression():
    recorded = {expr for records in GROUPS.values() for expr in records}
    assert set(DIFFERENCES) - recorded == set()


# -- kernels ------------------------------------------------------------------------------

X = np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 8 - 1
N = np.array([[3, -7, 2], [-1, 4, -4]], np.int32)
E = np.zeros((0, 2), np.float32)
P = np.array([[True, False, True], [False, False, True]])


def _cases() -> list[Case]:
    return [
        Case("sum-all", "Sum", tf.reduce_sum, (X,), np.sum(X), 1e-6),
        Case("sum-axis", "Sum", lambda x: tf.reduce_sum(x, 1), (X,), X.sum(1), 1e-6),
        Case("sum-axes-keepdims", "Sum", lambda x: tf.reduce_sum(x, [0, -1], keepdims=True),
             (X,), X.sum((0, 2), keepdims=True), 1e-6),
        Case("sum-no-axes", "Sum", lambda x: tf.reduce_sum(x, []), (X,), X),
        Case("sum-fed-axes", "Sum", lambda x, a: tf.reduce_sum(x, a), (X, np.int64([2, 0])),
             X.sum((0, 2)), 1e-6, exact_static=False),
        Case("sum-int32-wraps", "Sum", tf.reduce_sum, (np.int32([2**31 - 1, 1]),),
             np.int32(-(2**31))),
        Case("sum-uint8", "Sum", lambda x: tf.reduce_sum(x, 0), (np.uint8([[200, 1], [100, 2]]),),
             np.uint8([44, 3])),
        Case("sum-float16", "Sum", tf.reduce_sum, (np.full(4096, 1, np.float16),),
             np.float16(4096)),  # summed in float32: float16 alone would stop at 2048
        Case("sum-complex", "Sum", tf.reduce_sum, (np.complex64([1 + 1j, 2 - 3j]),),
             np.complex64(3 - 2j)),
        Case("sum-empty", "Sum", lambda x: tf.reduce_sum(x, 0), (E,), np.zeros(2, np.float32)),
        Case("sum-scalar", "Sum", tf.reduce_sum, (np.float64(2.5),), np.float64(2.5)),
        Case("prod", "Prod", lambda x: tf.reduce_prod(x, 1), (N,), np.int32([-42, 16])),
        Case("prod-empty", "Prod", lambda x: tf.reduce_prod(x, 0), (E,), np.ones(2, np.float32)),
        Case("mean", "Mean", lambda x: tf.reduce_mean(x, [1, 2]), (X,), X.mean((1, 2)), 1e-6),
        Case("mean-int-truncates", "Mean", lambda x: tf.reduce_mean(x, 1), (N,),
             np.int32([-0, -0])),
        Case("mean-int-negative", "Mean", tf.reduce_mean, (np.int32([-3, -4]),), np.int32(-3)),
        Case("mean-uint8-no-overflow", "Mean", tf.reduce_mean, (np.uint8([254, 255]),),
             np.uint8(254)),
        Case("mean-float16", "Mean", tf.reduce_mean, (np.full(4096, 30, np.float16),),
             np.float16(30)),  # the float16 sum alone would overflow to inf
        Case("mean-empty", "Mean", lambda x: tf.reduce_mean(x, 0), (E,),
             np.float32([np.nan, np.nan])),
        Case("mean-empty-int", "Mean", lambda x: tf.reduce_mean(x, 0), (E.astype(np.int32),),
             np.int32([0, 0])),
        Case("mean-complex", "Mean", tf.reduce_mean, (np.complex128([1 + 1j, 2 - 3j]),),
             np.complex128(1.5 - 1j)),
        Case("max", "Max", lambda x: tf.reduce_max(x, -1), (X,), X.max(-1)),
        Case("max-nan", "Max", tf.reduce_max, (np.float32([1, np.nan, 3]),), np.float32(np.nan)),
        Case("max-empty", "Max", lambda x: tf.reduce_max(x, 0), (E,), np.float32([-np.inf] * 2)),
        Case("min-int", "Min", lambda x: tf.reduce_min(x, 0, keepdims=True), (N,),
             N.min(0, keepdims=True)),
        Case("min-empty-int", "Min", lambda x: tf.reduce_min(x, 0), (E.astype(np.int32),),
             np.int32([2**31 - 1] * 2)),
        Case("any", "Any", lambda x: tf.reduce_any(x, 1), (P,), P.any(1)),
        Case("all", "All", tf.reduce_all, (P,), np.False_),
        Case("all-empty", "All", lambda x: tf.reduce_all(x, 0), (np.zeros((0, 2), bool),),
             np.array([True, True])),
        Case("argmax", "ArgMax", lambda x: tf.argmax(x, 1), (X,), X.argmax(1)),
        Case("argmax-ties-first", "ArgMax", tf.argmax, (np.float32([1, 3, 3]),), np.int64(1)),
        Case("argmax-bool", "ArgMax", lambda x: tf.argmax(x, 1, output_type=tf.int32), (P,),
             P.argmax(1).astype(np.int32)),
        Case("argmin", "ArgMin", lambda x: tf.argmin(x, -1, output_type=tf.int16), (N,),
             N.argmin(-1).astype(np.int16)),
        Case("argmax-empty-dims", "ArgMax", tf.argmax, (np.zeros((2, 0)),),
             np.zeros(0, np.int64)),
        Case("cumsum", "Cumsum", lambda x: tf.cumsum(x, 1), (X,), X.cumsum(1), 1e-6),
        Case("cumsum-exclusive", "Cumsum", lambda x: tf.cumsum(x, exclusive=True),
             (np.int32([1, 2, 3]),), np.int32([0, 1, 3])),
        Case("cumsum-reverse", "Cumsum", lambda x: tf.cumsum(x, reverse=True),
             (np.int32([1, 2, 3]),), np.int32([6, 5, 3])),
        Case("cumsum-exclusive-reverse", "Cumsum",
             lambda x: tf.cumsum(x, -1, exclusive=True, reverse=True), (N,),
             np.int32([[-5, 2, 0], [0, -4, 0]])),
        Case("cumsum-int8-wraps", "Cumsum", tf.cumsum, (np.int8([100, 100]),),
             np.int8([100, -56])),
        Case("cumsum-empty", "Cumsum", lambda x: tf.cumsum(x, 0, exclusive=True), (E,), E),
        Case("cumprod", "Cumprod", lambda x: tf.cumprod(x, 1), (N,), N.cumprod(1, dtype=np.int32)),
        Case("cumprod-exclusive-reverse", "Cumprod",
             lambda x: tf.cumprod(x, exclusive=True, reverse=True), (np.int32([1, 2, 3]),),
             np.int32([6, 3, 1])),
        Case("count-nonzero", "Sum", tf.count_nonzero, (np.float32([0, 1e-9, np.nan]),),
             np.int64(2)),
        Case("count-nonzero-axis", "Cast", lambda x: tf.count_nonzero(x, 1, dtype=tf.int32),
             (N * P,), np.int32([2, 1])),
        Case("logsumexp", "AddV2", lambda x: tf.reduce_logsumexp(x, 1), (X,),
             np.log(np.exp(X.astype(np.float64)).sum(1)).astype(np.float32), 1e-6),
        Case("logsumexp-all", "AddV2", tf.reduce_logsumexp, (X * 100,),
             np.float32(np.max(X * 100) + np.log(np.exp(X * 100.0 - np.max(X * 100)).sum())),
             1e-6),
        Case("logsumexp-infinite", "AddV2", lambda x: tf.reduce_logsumexp(x, 1, keepdims=True),
             (np.float32([[-np.inf, -np.inf], [1, np.inf]]),), np.float32([[-np.inf], [np.inf]])),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "mode"), [pytest.param(c, m, id=f"{c.id}-{m}") for c in _cases() for m in c.modes]
)
def test_kernel(run, case, mode):
    check_case(run, case, mode)


_AXIS_3 = r"Invalid reduction dimension \(3 for input with 3 dimension\(s\)"  # TF 2.21's words
RUN_ERRORS = [
    # (build, fed arrays, message)
    (
        lambda x, a: tf.reduce_sum(x, a),
        (X, np.int32([0, 0])),
        "Invalid reduction arguments: Axes contains duplicate dimension: 0",
    ),
    (lambda x, a: tf.reduce_max(x, a), (X, np.int32(3)), _AXIS_3),
    (lambda x, a: tf.argmax(x, a), (E, np.int32(0)), "empty sequence"),
    (
        lambda x, a: tf.cumsum(x, a),
        (np.float32(1.0), np.int32(0)),
        re.escape("ScanOp: Expected scan axis in the range [0, 0), but got 0"),
    ),
]


@pytest.mark.parametrize(("build", "arrays", "message"), RUN_ERRORS)
def test_run_time_errors(run, build, arrays, message):
    holders = [tf.placeholder(tf.as_dtype(np.asarray(a).dtype)) for a in arrays]
    out = build(*holders)
    with pytest.raises(tf.errors.InvalidArgumentError, match=message) as info:
        run(out, dict(zip(holders, arrays, strict=True)))
    assert out.op.name in info.value.message


def test_reduction_of_a_list_of_tensors_packs_it_once(graph, run):
    a = tf.placeholder(tf.float32, [2])
    t = tf.reduce_sum([a, a])
    assert [op.type for op in graph.get_operations()].count("Pack") == 1
    assert run(t, {a: np.float32([1, 2])}) == 6


# -- property tests: static shapes agree with the kernels, values with NumPy -------------

_PROPERTY = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

REDUCTIONS = [
    (tf.reduce_sum, np.sum),
    (tf.reduce_mean, np.mean),
    (tf.reduce_max, np.max),
    (tf.reduce_min, np.min),
    (tf.reduce_prod, np.prod),
]


@st.composite
def _shape_and_axes(draw):
    shape = draw(st.lists(st.integers(1, 3), max_size=4))
    rank = len(shape)
    axes = draw(st.lists(st.integers(0, rank - 1), unique=True)) if rank else []
    axes = [a - rank if draw(st.booleans()) else a for a in axes]  # some negative
    return shape, axes


@_PROPERTY
@given(
    data=st.data(),
    shape_axes=_shape_and_axes(),
    which=st.integers(0, len(REDUCTIONS) - 1),
    keepdims=st.booleans(),
    axis_none=st.booleans(),
)
def test_reduction_static_shape_matches_kernel(data, shape_axes, which, keepdims, axis_none):
    shape, axes = shape_axes
    fn, reference = REDUCTIONS[which]
    value = np.arange(1, 1 + int(np.prod(shape)), dtype=np.float64).reshape(shape) / 7
    static = data.draw(
        st.sampled_from(["full", "dims", "rank"]).map(
            lambda how: {"full": shape, "dims": [None] * len(shape), "rank": None}[how]
        )
    )
    axis = None if axis_none else axes
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float64, static)
        out = fn(x, axis=axis, keepdims=keepdims)
        with tf.Session() as sess:
            got = sess.run(out, {x: value})
    want = reference(value, axis=None if axis is None else tuple(axis), keepdims=keepdims)
    assert out.shape.is_compatible_with(np.shape(got)), (out.shape, np.shape(got))
    if static == shape:
        assert out.shape.as_list() == list(np.shape(got))
    np.testing.assert_allclose(got, want, rtol=1e-12)


@_PROPERTY
@given(data=st.data(), shape_axes=_shape_and_axes(), exclusive=st.booleans(),
       reverse=st.booleans())  # fmt: skip
def test_arg_and_scan_static_shapes_match_kernels(data, shape_axes, exclusive, reverse):
    shape, _ = shape_axes
    if not shape:
        return
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    value = np.random.default_rng(len(shape)).permutation(int(np.prod(shape))).reshape(shape)
    value = value.astype(np.int64)
    with tf.Graph().as_default():
        x = tf.placeholder(tf.int64, data.draw(st.sampled_from([shape, None])))
        outs = [tf.argmax(x, axis), tf.cumsum(x, axis, exclusive=exclusive, reverse=reverse)]
        with tf.Session() as sess:
            got = sess.run(outs, {x: value})
    scan = np.flip(value, axis) if reverse else value
    scan = np.cumsum(scan, axis)
    if exclusive:
        scan = scan - (np.flip(value, axis) if reverse else value)
    scan = np.flip(scan, axis) if reverse else scan
    for t, v in zip(outs, got, strict=True):
        assert t.shape.is_compatible_with(np.shape(v)), (t.shape, np.shape(v))
    np.testing.assert_array_equal(got[0], np.argmax(value, axis))
    np.testing.assert_array_equal(got[1], scan)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    ("shape", "axis", "keep"),
    [
        ((64, 28, 28, 4), [0, 1, 2], False),  # a bias gradient
        ((64, 28, 28, 4), [2, 0, 1], True),
        ((300, 300), [0], False),
        ((4, 150, 150), [-3, -2], False),
    ],
)
def test_large_sums_over_leading_axes(dtype, shape, axis, keep):
    # Large float sums over the leading axes go through one BLAS product (ones @ x).
    rng = np.random.default_rng(2)
    x = rng.standard_normal(shape).astype(dtype)
    with tf.Graph().as_default(), tf.Session() as sess:
        value = sess.run(tf.reduce_sum(x, axis=axis, keepdims=keep))
        strided = sess.run(tf.reduce_sum(x[:, ::2], axis=axis, keepdims=keep))  # not contiguous
    expected = x.astype(np.float64).sum(axis=tuple(axis), keepdims=keep)
    assert value.dtype == dtype and value.shape == expected.shape
    tolerance = 1e-3 if dtype == np.float32 else 1e-10
    np.testing.assert_allclose(value, expected, rtol=tolerance, atol=tolerance)
    np.testing.assert_allclose(
        strided,
        x[:, ::2].astype(np.float64).sum(axis=tuple(axis), keepdims=keep),
        rtol=tolerance,
        atol=tolerance,
    )


def test_argmax_of_a_scalar_builds_and_fails_when_run():
    # As TF 2.21: a scalar result while building, InvalidArgumentError with TF's words when run.
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [])
        a = tf.argmax(x)
        assert a.shape.as_list() == []
        with (
            tf.Session() as sess,
            pytest.raises(
                tf.errors.InvalidArgumentError,
                match=r"Expected dimension in the range \[0, 0\), but got 0",
            ),
        ):
            sess.run(a, {x: 1.0})
