"""Kernels of scopeflow/ops/math_ops.py, matmul_ops.py and selection_ops.py against NumPy:
values, the dtype each returns, static shapes against run-time shapes (built with the shapes
known, with every dimension unknown, and with the rank unknown), run-time errors, and
property tests (hypothesis) of broadcasting.

Expected values of TF's corner cases (integer division, nan, casts out of range, rounding)
were read from TensorFlow 2.21 (``tensorflow.compat.v1``) on x86-64.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scopeflow as tf
from tests.ops.kernel_table import Case, check_case, placeholder_for

NAN, INF = float("nan"), float("inf")
INT_MIN = np.iinfo(np.int32).min


def f32(*v):
    return np.array(v, np.float32)


def i32(*v):
    return np.array(v, np.int32)


F = f32([-2.5, -0.5, 0.0], [0.5, 1.5, 3.0])
G = f32(1.5, -2.0, 4.0)
I = i32([7, -7, 0], [5, -3, 2])  # noqa: E741
J = i32(2, 2, -3)
P = np.array([[True, False, True], [False, False, True]])
Q = np.array([True, False, False])
U8 = np.array([0, 5, 255], np.uint8)
C = np.array([1 + 2j, -3j, 0], np.complex64)
A = np.arange(6, dtype=np.float32).reshape(2, 3) - 2
B = np.arange(12, dtype=np.float32).reshape(3, 4) / 4
X = np.linspace(-4, 4, 7)  # float64


def _raw(op_type: str):
    """Builds an op that has no public function (the ``<Op>Grad`` ops)."""
    return lambda *xs: tf.get_default_graph().create_op(op_type, list(xs)).outputs[0]


def _cases() -> list[Case]:
    return [
        # -- broadcasting arithmetic
        Case("add", "AddV2", tf.add, (F, G), F + G),
        Case("add-int64", "AddV2", tf.add, (I.astype(np.int64), J.astype(np.int64)),
             (I + J).astype(np.int64)),
        Case("add-scalars", "AddV2", tf.add, (np.float64(1.5), np.float64(2.0)), np.float64(3.5)),
        Case("add-wraps", "AddV2", tf.add, (np.array([127], np.int8), np.array([1], np.int8)),
             np.array([-128], np.int8)),
        Case("sub", "Sub", tf.subtract, (F, G[None, :]), F - G),
        Case("mul", "Mul", tf.multiply, (I, J), I * J),
        Case("mul-complex", "Mul", tf.multiply, (C, C), C * C),
        Case("realdiv", "RealDiv", tf.realdiv, (f32(1, -1, 0, 3), f32(0, 0, 0, 2)),
             f32(INF, -INF, NAN, 1.5)),
        Case("realdiv-int-truncates", "RealDiv", tf.realdiv, (i32(7, -7, 6, 1), i32(2, 2, -4, 5)),
             i32(3, -3, -1, 0)),
        Case("truediv-int", "RealDiv", lambda x, y: x / y, (I, J), (I / J).astype(np.float64)),
        Case("floordiv-int", "FloorDiv", tf.floordiv, (i32(7, -7, 7, -7), i32(2, 2, -2, -2)),
             i32(3, -4, -4, 3)),
        Case("floordiv-float", "FloorDiv", tf.floordiv, (f32(1, -1, 0, 5), f32(0.1, 0, 0, -2)),
             f32(10, -INF, NAN, -3)),
        Case("floormod-int", "FloorMod", tf.floormod, (i32(7, -7, 7, -7), i32(2, 2, -2, -2)),
             i32(1, 1, -1, -1)),
        Case("floormod-float", "FloorMod", tf.floormod,
             (f32(1, -1, 5.5, -5.5), f32(0, 0.3, -2, 2)), f32(NAN, 0.20000005, -0.5, 0.5),
             tolerance=1e-6),
        Case("floormod-uint8", "FloorMod", tf.floormod, (U8, np.uint8(7)),
             np.array([0, 5, 3], np.uint8)),
        Case("pow-float", "Pow", tf.pow, (f32(2, -8, 0), f32(-1, 0.5, 0)), f32(0.5, NAN, 1)),
        Case("pow-int", "Pow", tf.pow, (I, i32(2)), I**2),
        Case("pow-complex", "Pow", tf.pow, (C, np.complex64(2)), C**2, tolerance=1e-6),
        Case("maximum", "Maximum", tf.maximum, (f32(1, NAN, 3), f32(NAN, 2, 1)), f32(NAN, NAN, 3)),
        Case("minimum", "Minimum", tf.minimum, (I, J), np.minimum(I, J)),
        Case("squared-difference", "SquaredDifference", tf.squared_difference, (F, G),
             (F - G) ** 2),
        Case("squared-difference-int", "SquaredDifference", tf.squared_difference,
             (I, J), (I - J) ** 2),
        Case("squared-difference-complex", "SquaredDifference", tf.squared_difference,
             (np.complex128([1 + 2j]), np.complex128([0])), np.complex128([5])),
        # -- comparisons and logic
        Case("less", "Less", tf.less, (F, G), F < G),
        Case("less-equal", "LessEqual", tf.less_equal, (I, J), I <= J),
        Case("greater", "Greater", tf.greater, (U8, np.uint8(5)), U8 > 5),
        Case("greater-equal", "GreaterEqual", tf.greater_equal, (F, np.float32(0)), F >= 0),
        Case("equal", "Equal", tf.equal, (I, J), I == J),
        Case("equal-nan", "Equal", tf.equal, (f32(NAN, 1), f32(NAN, 1)), np.array([False, True])),
        Case("equal-strings", "Equal", tf.equal,
             (np.array([b"a", b"b"], object), np.array([b"a", b"c"], object)),
             np.array([True, False])),
        Case("not-equal-bool", "NotEqual", tf.not_equal, (P, Q), P != Q),
        Case("logical-and", "LogicalAnd", tf.logical_and, (P, Q), P & Q),
        Case("logical-or", "LogicalOr", tf.logical_or, (P, Q), P | Q),
        Case("logical-xor", "LogicalAnd", tf.logical_xor, (P, Q), P ^ Q),
        Case("bitwise-and", "BitwiseAnd", tf.bitwise.bitwise_and, (I, J), I & J),
        Case("bitwise-or", "BitwiseOr", tf.bitwise.bitwise_or, (U8, np.uint8(3)), U8 | 3),
        Case("bitwise-xor", "BitwiseXor", tf.bitwise.bitwise_xor, (I, J), I ^ J),
        # -- unary
        Case("neg", "Neg", tf.negative, (i32(INT_MIN, -3, 4),), i32(INT_MIN, 3, -4)),
        Case("abs-int", "Abs", tf.abs, (i32(INT_MIN, -3, 4),), i32(INT_MIN, 3, 4)),
        Case("abs-float", "Abs", tf.abs, (F,), np.abs(F)),
        Case("complex-abs", "ComplexAbs", tf.abs, (np.complex64([3 + 4j, -1j]),), f32(5, 1)),
        Case("conj", "Conj", tf.conj, (C,), np.conj(C)),
        Case("sign", "Sign", tf.sign, (f32(-2, 0, 3, NAN),), f32(-1, 0, 1, NAN)),
        Case("sign-int", "Sign", tf.sign, (I,), np.sign(I)),
        Case("sign-complex", "Sign", tf.sign, (np.complex64([1 + 1j, 0]),),
             np.complex64([0.70710677 + 0.70710677j, 0]), tolerance=1e-6),
        Case("exp", "Exp", tf.exp, (X,), np.exp(X), tolerance=1e-12),
        Case("exp-overflow", "Exp", tf.exp, (f32(100, -200),), f32(INF, 0)),
        Case("exp-complex", "Exp", tf.exp, (np.complex64([1 + 1j]),),
             np.complex64([1.4686939 + 2.2873552j]), tolerance=1e-6),
        Case("log", "Log", tf.log, (f32(0, -1, np.e),), f32(-INF, NAN, 1), tolerance=1e-6),
        Case("log1p", "Log1p", tf.log1p, (X / 5,), np.log1p(X / 5), tolerance=1e-12),
        Case("sqrt", "Sqrt", tf.sqrt, (f32(4, -1, 0),), f32(2, NAN, 0)),
        Case("rsqrt", "Rsqrt", tf.rsqrt, (f32(4, 0, -1),), f32(0.5, INF, NAN)),
        Case("square", "Square", tf.square, (I,), I * I),
        Case("reciprocal", "Reciprocal", tf.reciprocal, (f32(2, 0, -4),), f32(0.5, INF, -0.25)),
        Case("reciprocal-int", "Reciprocal", tf.reciprocal, (i32(2, 1, -1, -5),), i32(0, 1, -1, 0)),
        Case("floor", "Floor", tf.floor, (F,), np.floor(F)),
        Case("ceil", "Ceil", tf.ceil, (F,), np.ceil(F)),
        Case("round-half-to-even", "Round", tf.round, (f32(0.5, 1.5, 2.5, -0.5, -1.5, 2.4999),),
             f32(0, 2, 2, -0.0, -2, 2)),
        # tf.round gives an integer tensor back as it is (as TF); the op itself takes ints
        Case("round-int", "Round", lambda x: tf.raw_ops.Round(x=x), (I,), I),
        Case("sin", "Sin", tf.sin, (X,), np.sin(X), tolerance=1e-12),
        Case("cos", "Cos", tf.cos, (F,), np.cos(F), tolerance=1e-6),
        Case("tanh", "Tanh", tf.tanh, (X,), np.tanh(X), tolerance=1e-12),
        Case("sigmoid", "Sigmoid", tf.sigmoid, (f32(-100, -20, 0, 20, 100),),
             (1 / (1 + np.exp(-np.float64([-100, -20, 0, 20, 100])))).astype(np.float32),
             tolerance=1e-6),
        Case("sigmoid-float16", "Sigmoid", tf.sigmoid, (np.float16([-100, 100, 0]),),
             np.float16([0, 1, 0.5])),
        Case("sigmoid-float64-tail", "Sigmoid", tf.sigmoid, (np.float64([-1000, -700]),),
             np.float64([0, np.exp(-700)]), tolerance=1e-12),
        # -- TF's fused gradients of element-wise ops: dy * conj(f'), written in y = f(x)
        Case("tanh-grad", "TanhGrad", _raw("TanhGrad"), (f32(0.5, -0.25), f32(2, 4)),
             f32(1.5, 3.75)),
        Case("tanh-grad-complex", "TanhGrad", _raw("TanhGrad"),
             (np.complex64([1 + 1j]), np.complex64([2])), np.complex64([2 + 4j])),
        Case("sigmoid-grad", "SigmoidGrad", _raw("SigmoidGrad"),
             (np.float64([0.5, 0.25]), np.float64([2, 4])), np.float64([0.5, 0.75])),
        Case("sqrt-grad", "SqrtGrad", _raw("SqrtGrad"), (f32(0.5, 2, 0), f32(2, 4, 1)),
             f32(2, 1, INF)),
        Case("rsqrt-grad", "RsqrtGrad", _raw("RsqrtGrad"), (f32(0.5, 2), f32(2, 4)),
             f32(-0.125, -16)),
        Case("reciprocal-grad", "ReciprocalGrad", _raw("ReciprocalGrad"),
             (f32(0.5, -2), f32(2, 4)), f32(-0.5, -16)),
        Case("logical-not", "LogicalNot", tf.logical_not, (P,), ~P),
        Case("invert", "Invert", tf.bitwise.invert, (U8,), np.array([255, 250, 0], np.uint8)),
        Case("is-finite", "IsFinite", tf.is_finite, (f32(1, NAN, INF, -INF),),
             np.array([True, False, False, False])),
        Case("is-inf", "IsInf", tf.is_inf, (f32(1, NAN, INF, -INF),),
             np.array([False, False, True, True])),
        Case("is-nan", "IsNan", tf.is_nan, (f32(1, NAN, INF, -INF),),
             np.array([False, True, False, False])),
        # -- casts (TF's results on x86-64)
        Case("cast-float-int32", "Cast", lambda x: tf.cast(x, tf.int32),
             (f32(1.7, -1.7, NAN, 1e20, -1e20),), i32(1, -1, INT_MIN, INT_MIN, INT_MIN)),
        Case("cast-float-uint8", "Cast", lambda x: tf.cast(x, tf.uint8), (f32(1.7, -1.7, 300, -3),),
             np.array([1, 255, 44, 253], np.uint8)),
        Case("cast-float-bool", "Cast", lambda x: tf.cast(x, tf.bool), (f32(0, 0.1, NAN),),
             np.array([False, True, True])),
        Case("cast-complex-float", "Cast", lambda x: tf.cast(x, tf.float32), (C,),
             f32(1, -0.0, 0)),
        Case("cast-int-uint8", "Cast", lambda x: tf.cast(x, tf.uint8), (i32(300, -1),),
             np.array([44, 255], np.uint8)),
        Case("cast-int64-int32", "Cast", lambda x: tf.cast(x, tf.int32),
             (np.array([2**32 + 5, -1], np.int64),), i32(5, -1)),
        Case("cast-bool-float", "Cast", lambda x: tf.cast(x, tf.float64), (Q,), Q.astype(float)),
        Case("cast-float-complex", "Cast", lambda x: tf.cast(x, tf.complex64), (G,),
             G.astype(np.complex64)),
        # -- div_no_nan, add_n
        Case("div-no-nan", "DivNoNan", tf.div_no_nan, (f32(1, 0, NAN, 6), f32(0, 0, 0, 3)),
             f32(0, 0, 0, 2)),
        Case("div-no-nan-broadcast", "DivNoNan", tf.div_no_nan, (F, f32(0, 2, 1)),
             np.where([0, 2, 1] == np.zeros(3), 0, F / f32(1, 2, 1)).astype(np.float32)),
        Case("div-no-nan-int", "DivNoNan", tf.div_no_nan, (i32(1, 2), i32(0, 2)),
             np.float64([0, 1])),
        Case("add-n", "AddN", lambda *xs: tf.add_n(list(xs)), (F, F * 2, F * 3), F * 6),
        Case("add-n-wraps", "AddN", lambda x, y: tf.add_n([x, y]),
             (np.int8([1, 2]), np.int8([127, 1])), np.int8([-128, 3])),
        # -- matrix products
        Case("matmul", "MatMul", tf.matmul, (A, B), A @ B, 1e-6, ("full", "dims")),
        Case("matmul-transposed", "MatMul",
             lambda a, b: tf.matmul(a, b, transpose_a=True, transpose_b=True),
             (A.T, B.T), A @ B, 1e-6, ("full", "dims")),
        Case("matmul-int", "MatMul", tf.matmul, (I, I.T), I @ I.T, 0, ("full", "dims")),
        Case("matmul-adjoint", "MatMul", lambda a, b: tf.matmul(a, b, adjoint_a=True),
             (C[:, None], C[:, None]), np.conj(C[:, None]).T @ C[:, None], 1e-6, ("full", "dims")),
        Case("batch-matmul", "BatchMatMulV2", tf.matmul,
             (np.ones((5, 1, 2, 3), np.float32), np.ones((7, 3, 4), np.float32)),
             np.full((5, 7, 2, 4), 3, np.float32)),
        Case("batch-matmul-rank-2", "BatchMatMulV2", tf.matmul, (A, B), A @ B, 1e-6, ("rank",)),
        Case("batch-matmul-adjoint", "BatchMatMulV2",
             lambda a, b: tf.matmul(a, b, adjoint_a=True, transpose_b=True),
             (np.stack([C[:, None]] * 2), np.stack([C[None, :]] * 2)),
             np.stack([np.conj(C[:, None]).T @ C[:, None]] * 2), 1e-6),
        Case("batch-matmul-transpose-complex", "BatchMatMulV2",
             lambda a, b: tf.matmul(a, b, transpose_a=True),
             (np.stack([C[:, None]] * 2), np.stack([C[:, None]] * 2)),
             np.stack([C[:, None].T @ C[:, None]] * 2), 1e-6),
        # -- selection
        Case("select-rows", "Select", tf.where, (np.array([True, False]), A, -A),
             np.where([[True], [False]], A, -A)),
        Case("select-elements", "Select", tf.where, (P, I, -I), np.where(P, I, -I)),
        Case("select-scalar-condition", "Select", tf.where, (np.bool_(False), I, -I), -I),
        Case("select-v2-broadcast", "SelectV2", tf.where_v2, (Q, F, np.float32(0)),
             np.where(Q, F, 0).astype(np.float32)),
        Case("where-indices", "Where", tf.where, (P,), np.argwhere(P), exact_static=False),
        Case("where-nonzero", "Where", tf.where, (I,), np.argwhere(I), exact_static=False),
        Case("where-none", "Where", tf.where, (np.zeros((2, 0, 3), bool),),
             np.zeros((0, 3), np.int64), exact_static=False),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "mode"),
    [pytest.param(c, m, id=f"{c.id}-{m}") for c in _cases() for m in c.modes],
)
def test_kernel(run, case, mode):
    check_case(run, case, mode)


def test_where_shape_with_known_rank(run):
    cond = tf.placeholder(tf.bool, [None, 3])
    indices = tf.where(cond)
    assert indices.shape.as_list() == [None, 2]
    assert run(indices, {cond: np.ones((2, 3), bool)}).shape == (6, 2)


TENSORDOT = [
    # (axes, shape of b) for a of shape [2, 3, 4]
    (1, (4, 3, 5)),
    (0, (2, 5)),
    (2, (3, 4, 5)),
    ([[1, 2], [1, 0]], (4, 3, 5)),
    ([[1], [1]], (4, 3, 5)),
    ([[0, 1, 2], [1, 2, 0]], (4, 2, 3)),
    ([2, 0], (4, 5)),
    ([[-1], [-2]], (5, 4, 2)),
]


@pytest.mark.parametrize(("axes", "b_shape"), TENSORDOT, ids=str)
@pytest.mark.parametrize("a_shape", [[2, 3, 4], [2, None, 4], [None, None, None]], ids=str)
def test_tensordot_matches_numpy(run, axes, b_shape, a_shape):
    a = np.arange(24, dtype=np.float64).reshape(2, 3, 4)
    b = np.arange(np.prod(b_shape), dtype=np.float64).reshape(b_shape)
    want = np.tensordot(a, b, axes)
    x = tf.placeholder(tf.float64, a_shape)
    y = tf.placeholder(tf.float64, b_shape)
    t = tf.tensordot(x, y, axes)
    got = run(t, {x: a, y: b})
    assert t.shape.is_compatible_with(want.shape), (t.shape, want.shape)
    np.testing.assert_allclose(got, want, rtol=1e-12)


# -- run-time errors ----------------------------------------------------------------------

_SELECT = "Inputs to operation Select of type Select must have the same size and shape.  Input 0: "
RUN_ERRORS = [
    # (build from placeholders, fed arrays, message)
    (tf.floordiv, (i32(1, 2), i32(1, 0)), "Integer division by zero"),
    (tf.floormod, (i32(1, 2), i32(0, 1)), "Integer division by zero"),
    (tf.realdiv, (i32(1, 2), i32(0, 1)), "Integer division by zero"),
    (tf.reciprocal, (i32(1, 0),), "Integer division by zero"),
    (tf.pow, (i32(2, 3), i32(-1, 2)), "Integers to negative integer powers are not allowed"),
    (tf.add, (f32(1, 2, 3), f32(1, 2)), r"Incompatible shapes: \[3\] vs\. \[2\]"),
    (lambda x, y: tf.add_n([x, y]), (f32(1, 2, 3), f32(1, 2)), "must have the same size"),
    (tf.matmul, (A, A), r"Matrix size-incompatible: In\[0\]: \[2,3\], In\[1\]: \[2,3\]"),
    (tf.where, (np.array([True]), A, -A), "Number of batches of 'then' must match"),
    # TF 2.21's words for an elementwise Select
    (tf.where, (np.ones((2, 2), bool), A, -A), re.escape(f"{_SELECT}[2,2] != input 1: [2,3]")),
    (tf.where, (Q, G, F), re.escape(f"{_SELECT}[3] != input 2: [2,3]")),
    (tf.where, (np.True_, G, F), re.escape("'then' and 'else' must have the same size.  but")),
]


@pytest.mark.parametrize(("build", "arrays", "message"), RUN_ERRORS)
def test_run_time_errors(run, build, arrays, message):
    holders = [placeholder_for(a, "rank") for a in arrays]
    out = build(*holders)
    with pytest.raises(tf.errors.InvalidArgumentError, match=message) as info:
        run(out, dict(zip(holders, arrays, strict=True)))
    assert out.op.name in info.value.message


def test_batch_matmul_rejects_vectors_at_run_time(run):
    x = tf.placeholder(tf.float32)
    out = tf.matmul(x, x)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"In\[0\] ndims must be >= 2: 1"):
        run(out, {x: G})


def test_kernels_leave_inputs_unchanged(run):
    x = tf.placeholder(tf.float32, [2, 3])
    value = F.copy()
    run([tf.add_n([x, x, x]), tf.cast(x, tf.int32), tf.round(x), -x, tf.sigmoid(x)], {x: value})
    np.testing.assert_array_equal(value, F)


# -- property tests: broadcasting ops' static shapes agree with their kernels --------------

_PROPERTY = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

BROADCASTING = [
    (tf.add, np.add, np.float32),
    (tf.maximum, np.maximum, np.int32),
    (tf.less_equal, np.less_equal, np.float64),
    (tf.squared_difference, lambda x, y: (x - y) ** 2, np.int64),
    (tf.floormod, np.remainder, np.float32),
    (tf.logical_or, np.logical_or, np.bool_),
]


@st.composite
def _broadcastable(draw):
    """Two shapes that broadcast together: suffixes of one shape with some sizes set to 1."""
    full = draw(st.lists(st.integers(0, 3), max_size=4))
    shapes = []
    for _ in range(2):
        rank = draw(st.integers(0, len(full)))
        tail = full[len(full) - rank :]
        shapes.append(tuple(1 if draw(st.booleans()) else d for d in tail))
    return shapes


def _static(draw, shape):
    """The shape a placeholder is built with: known, some dims unknown, or the rank unknown."""
    how = draw(st.sampled_from(["full", "dims", "rank"]))
    if how == "rank":
        return None
    if how == "full":
        return shape
    return [None if draw(st.booleans()) else d for d in shape]


@_PROPERTY
@given(data=st.data(), shapes=_broadcastable(), which=st.integers(0, len(BROADCASTING) - 1))
def test_broadcast_static_shape_matches_kernel(data, shapes, which):
    fn, reference, np_dtype = BROADCASTING[which]
    rng = np.random.default_rng(len(shapes[0]) * 10 + len(shapes[1]))
    arrays = [(rng.integers(1, 5, size=s)).astype(np_dtype) for s in shapes]
    with tf.Graph().as_default():
        dtype = tf.as_dtype(np_dtype)
        holders = [tf.placeholder(dtype, _static(data.draw, s)) for s in shapes]
        out = fn(*holders)
        with tf.Session() as sess:
            value = sess.run(out, dict(zip(holders, arrays, strict=True)))
    want = reference(*arrays)
    assert out.shape.is_compatible_with(np.shape(value)), (out.shape, np.shape(value))
    if all(h.shape.is_fully_defined() for h in holders):
        assert out.shape.as_list() == list(np.shape(value))
    assert np.asarray(value).dtype == out.dtype.as_numpy_dtype
    np.testing.assert_allclose(value, want)


@_PROPERTY
@given(data=st.data(), batch=_broadcastable(), mkn=st.tuples(*[st.integers(0, 3)] * 3))
def test_batch_matmul_static_shape_matches_kernel(data, batch, mkn):
    m, k, n = mkn
    a = np.ones((*batch[0], m, k), np.float32)
    b = np.ones((*batch[1], k, n), np.float32)
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, _static(data.draw, a.shape))
        y = tf.placeholder(tf.float32, _static(data.draw, b.shape))
        out = tf.matmul(x, y)
        with tf.Session() as sess:
            value = sess.run(out, {x: a, y: b})
    assert out.shape.is_compatible_with(value.shape), (out.shape, value.shape)
    np.testing.assert_array_equal(value, np.matmul(a, b))
