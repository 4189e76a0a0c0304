"""Gradients of the math op families (scopeflow/ops/math_ops.py, matmul_ops.py,
reduction_ops.py and selection_ops.py) against central differences, in float64, with
broadcasting and with the inputs' static shapes known, with unknown dimensions, and with
unknown rank; complex gradients against differences along the real and imaginary axes; and
the gradient op names TensorFlow 2.21 (``tensorflow.compat.v1``) gives.
"""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.graph_checks import setup_of, tf_reference

MODES = ("full", "dims", "rank")
R = np.random.default_rng(7)


def rand(*shape):
    return R.standard_normal(shape)


def positive(*shape):
    return R.uniform(0.5, 2.0, shape)


def hide(t, mode):
    """``t`` as it is (``full``), or passed through a ``placeholder_with_default`` whose
    static shape has unknown dimensions (``dims``) or an unknown rank (``rank``)."""
    if mode == "full":
        return t
    return tf.placeholder_with_default(t, None if mode == "rank" else [None] * t.shape.ndims)


def grad(id: str, build, inputs, mode: str = "full") -> GradCase:
    """A gradient case differentiating ``build`` at ``inputs`` with each input seen through
    :func:`hide` in ``mode``."""
    return GradCase(f"{id}-{mode}", lambda *xs: build(*(hide(x, mode) for x in xs)), tuple(inputs))


# -- broadcasting binary ops --------------------------------------------------------------

BINARY = {
    "AddV2": (tf.add, rand, rand),
    "Sub": (tf.subtract, rand, rand),
    "Mul": (tf.multiply, rand, rand),
    "RealDiv": (tf.realdiv, rand, positive),
    "DivNoNan": (tf.div_no_nan, rand, positive),
    "Pow": (tf.pow, positive, rand),
    "Maximum": (tf.maximum, rand, rand),
    "Minimum": (tf.minimum, rand, rand),
    "SquaredDifference": (tf.squared_difference, rand, rand),
}
SHAPES = [((2, 3), (2, 3)), ((2, 3), (3,)), ((2, 1), (1, 3)), ((), (2, 2)), ((3, 1, 2), (4, 1))]


BINARY_CASES = [
    grad(f"{op_type}-{x_shape}-{y_shape}", fn, [make_x(*x_shape), make_y(*y_shape)], mode)
    for op_type, (fn, make_x, make_y) in sorted(BINARY.items())
    for x_shape, y_shape in SHAPES
    for mode in MODES
]


@pytest.mark.parametrize("case", gradient_cases(BINARY_CASES))
def test_binary_gradients(case):
    check_gradient_case(case)


def _floormod_inputs():
    y = np.array([1.3, 2.1, 1.7])
    return (R.integers(-3, 3, (2, 3)) + R.uniform(0.1, 0.9, (2, 3))) * y, y


FLOORMOD_CASES = [grad("floormod", tf.floormod, _floormod_inputs(), mode) for mode in MODES]


@pytest.mark.parametrize("case", gradient_cases(FLOORMOD_CASES))
def test_floormod_gradient_between_the_jumps(case):
    check_gradient_case(case)


def test_pow_gradient_for_the_exponent_is_zero_where_the_base_is_not_positive():
    x = tf.constant([0.0, -2.0, 4.0], tf.float64)
    y = tf.constant([2.0, 2.0, 0.5], tf.float64)
    gx, gy = tf.gradients(tf.pow(x, y), [x, y])
    with tf.Session() as sess:
        gx_value, gy_value = sess.run([gx, gy])
    np.testing.assert_allclose(gx_value, [0.0, -4.0, 0.25])
    np.testing.assert_allclose(gy_value, [0.0, 0.0, 2 * np.log(4.0)])


def test_maximum_and_minimum_give_ties_to_x():
    x = tf.constant([1.0, 2.0, 3.0])
    y = tf.constant([1.0, 5.0, 0.0])
    grads = tf.gradients([tf.maximum(x, y), tf.minimum(x, y)], [x, y])
    with tf.Session() as sess:
        gx, gy = sess.run(grads)
    np.testing.assert_array_equal(gx, [2.0, 1.0, 1.0])
    np.testing.assert_array_equal(gy, [0.0, 1.0, 1.0])


def test_ops_without_gradients():
    x = tf.placeholder(tf.float32, [3])
    ys = [x // 2.0, tf.floor(x), tf.ceil(x), tf.round(x), tf.cast(x, tf.int32)]
    assert [tf.gradients(y, x)[0] for y in ys] == [None] * len(ys)


# -- element-wise functions ---------------------------------------------------------------

UNARY = {
    "Neg": (tf.negative, rand),
    "Abs": (tf.abs, rand),
    "Sign": (tf.sign, rand),
    "Exp": (tf.exp, rand),
    "Log": (tf.log, positive),
    "Log1p": (tf.log1p, positive),
    "Sqrt": (tf.sqrt, positive),
    "Rsqrt": (tf.rsqrt, positive),
    "Square": (tf.square, rand),
    "Reciprocal": (tf.reciprocal, positive),
    "Sin": (tf.sin, rand),
    "Cos": (tf.cos, rand),
    "Tanh": (tf.tanh, rand),
    "Sigmoid": (tf.sigmoid, rand),
}


UNARY_CASES = [
    grad(f"{op_type}-{shape}", fn, [make(*shape)], mode)
    for op_type, (fn, make) in sorted(UNARY.items())
    for shape in [(), (2, 3)]
    for mode in ("full", "rank")
]


@pytest.mark.parametrize("case", gradient_cases(UNARY_CASES))
def test_unary_gradients(case):
    check_gradient_case(case)


SECOND_ORDER = {"TanhGrad": "Tanh", "SigmoidGrad": "Sigmoid", "SqrtGrad": "Sqrt"}
SECOND_ORDER.update(RsqrtGrad="Rsqrt", ReciprocalGrad="Reciprocal")


def _first_order(op_type: str):
    """``(x, dy) -> d(fn(x))/dx`` weighted by ``dy``: made by the fused op ``op_type``."""
    fn, _ = UNARY[SECOND_ORDER[op_type]]

    def first_order(x, dy):
        (g,) = tf.gradients(fn(x), x, grad_ys=dy)
        assert g.op.type == op_type
        return g

    return first_order


SECOND_ORDER_CASES = [
    grad(op_type, _first_order(op_type), [UNARY[forward][1](2, 3), rand(2, 3)])
    for op_type, forward in sorted(SECOND_ORDER.items())
]


@pytest.mark.parametrize("case", gradient_cases(SECOND_ORDER_CASES))
def test_fused_gradient_ops_and_their_gradients(case):
    check_gradient_case(case)


def test_sign_gradient_is_zero_not_none():
    x = tf.placeholder(tf.float32, [2])
    (g,) = tf.gradients(tf.sign(x), x)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(g, {x: [-1.0, 2.0]}), [0.0, 0.0])


ADD_N_AND_CAST_CASES = [
    grad("add_n", lambda x, y: tf.add_n([x, y, x]), [rand(2, 3), rand(2, 3)]),
    grad("cast", lambda x: tf.cast(tf.cast(x, tf.complex128), tf.float64) * x, [rand(2, 3)]),
]


@pytest.mark.parametrize("case", gradient_cases(ADD_N_AND_CAST_CASES))
def test_add_n_and_cast_gradients(case):
    check_gradient_case(case)


def test_cast_gradient_takes_the_input_dtype():
    x = tf.placeholder(tf.float64, [2])
    (g,) = tf.gradients(tf.cast(x, tf.float32), x, grad_ys=tf.constant([0.5, 2.0]))
    assert g.dtype == tf.float64 and g.op.type == "Cast"


# -- matrix products ----------------------------------------------------------------------


def _matmul(**kwargs):
    return lambda x, y: tf.matmul(x, y, **kwargs)


MATMUL_CASES = [
    grad(f"matmul-{ta}-{tb}", _matmul(transpose_a=ta, transpose_b=tb),
         [rand(*((3, 2) if ta else (2, 3))), rand(*((4, 3) if tb else (3, 4)))], mode)
    for ta, tb in [(False, False), (False, True), (True, False), (True, True)]
    for mode in MODES
]  # fmt: skip


@pytest.mark.parametrize("case", gradient_cases(MATMUL_CASES))
def test_matmul_gradients(case):
    check_gradient_case(case)


BATCH_MATMUL_CASES = [
    grad(f"{x_shape}-{y_shape}-{kwargs}", _matmul(**kwargs), [rand(*x_shape), rand(*y_shape)],
         mode)
    for x_shape, y_shape, kwargs in [
        ((2, 2, 3), (2, 3, 2), {}),
        ((4, 2, 3), (3, 2), {}),
        ((2, 3), (2, 3, 4), {}),
        ((1, 3, 2), (2, 1, 3, 2), {"adjoint_a": True}),
        ((2, 1, 2, 3), (3, 2, 3), {"adjoint_b": True}),
        ((3, 2), (2, 2, 3), {"adjoint_a": True, "adjoint_b": True}),
    ]
    for mode in MODES
]  # fmt: skip


@pytest.mark.parametrize("case", gradient_cases(BATCH_MATMUL_CASES))
def test_batch_matmul_gradients_sum_over_broadcast_batches(case):
    check_gradient_case(case)


# -- reductions and scans -----------------------------------------------------------------


def _dynamic(axis):
    """``axis`` as a tensor whose value is unknown while building."""
    return tf.placeholder_with_default(np.asarray(axis, np.int32), np.shape(axis))


REDUCTIONS = [
    (None, False),
    (0, False),
    (-1, True),
    ([0, 2], False),
    ([1, 2], True),
    ([], False),
    ("dynamic", False),
]


def _reduce(fn, axis, keepdims):
    def build(x):
        return fn(x, _dynamic([2, -3]) if axis == "dynamic" else axis, keepdims=keepdims)

    return build


REDUCTION_CASES = [
    grad(f"{fn.__name__}-{axis}-{keepdims}", _reduce(fn, axis, keepdims), [rand(2, 3, 2)], mode)
    for fn in [tf.reduce_sum, tf.reduce_mean, tf.reduce_max, tf.reduce_min]
    for axis, keepdims in REDUCTIONS
    for mode in MODES
]


@pytest.mark.parametrize("case", gradient_cases(REDUCTION_CASES))
def test_reduction_gradients(case):
    check_gradient_case(case)


def _with_zeros(x):
    x = x.copy()
    x[0, 1, 0] = 0.0  # one zero in some reduced groups
    x[1, :, 1] = 0.0  # several in others
    return x


PROD_CASES = [
    grad(f"prod-{axis}-{keepdims}{zeros}", _reduce(tf.reduce_prod, axis, keepdims),
         [_with_zeros(x) if zeros else x], mode)
    for axis, keepdims in REDUCTIONS
    for mode in MODES
    for x in [rand(2, 3, 2)]
    for zeros in ["", "-zeros"]
]  # fmt: skip


@pytest.mark.parametrize("case", gradient_cases(PROD_CASES))
def test_prod_gradients_with_and_without_zeros(case):
    check_gradient_case(case)


SCALAR_REDUCTION_CASES = [
    grad("prod-scalar", lambda x: tf.reduce_prod(x), [np.float64(3.0)]),
    grad("mean-scalar", lambda x: tf.reduce_mean(x), [np.float64(3.0)], mode="rank"),
]


@pytest.mark.parametrize("case", gradient_cases(SCALAR_REDUCTION_CASES))
def test_reductions_of_scalars(case):
    check_gradient_case(case)


def test_reductions_of_empty_tensors():
    x = tf.placeholder(tf.float64, [None, 3])
    grads = tf.gradients([tf.reduce_sum(x, 0), tf.reduce_mean(x), tf.reduce_prod(x, 1)], x)
    with tf.Session() as sess:
        assert sess.run(grads[0], {x: np.zeros((0, 3))}).shape == (0, 3)


def test_max_splits_the_gradient_evenly_between_ties():
    x = tf.constant([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]])
    (g,) = tf.gradients(tf.reduce_max(x, 1), x, grad_ys=tf.constant([6.0, 3.0]))
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(g), [[0.0, 3.0, 3.0], [1.0, 1.0, 1.0]])


def _scan(fn, axis, exclusive, reverse):
    return lambda x: fn(x, axis, exclusive=exclusive, reverse=reverse)


SCAN_CASES = [
    grad(f"{fn.__name__}-{axis}-{exclusive}-{reverse}", _scan(fn, axis, exclusive, reverse),
         [rand(3, 2)], mode)
    for axis in [0, -1]
    for fn in [tf.cumsum, tf.cumprod]
    for exclusive in [False, True]
    for reverse in [False, True]
    for mode in ("full", "rank")
]  # fmt: skip


@pytest.mark.parametrize("case", gradient_cases(SCAN_CASES))
def test_scan_gradients(case):
    check_gradient_case(case)


LOGSUMEXP_CASE = grad("logsumexp", lambda x: tf.reduce_logsumexp(x, 1, keepdims=True), [rand(2, 3)])


@pytest.mark.parametrize("case", gradient_cases([LOGSUMEXP_CASE]))
def test_logsumexp_gradient_is_softmax(case):
    check_gradient_case(case)


# -- selection ----------------------------------------------------------------------------


def _select(cond):
    return lambda x, y: tf.where(tf.constant(cond), x, y)


SELECT_CASES = [
    grad(f"select-{cond}", _select(cond), [rand(2, 3), rand(2, 3)])
    for cond in [[[True, False, True], [False, False, True]], [True, False], True]
]


@pytest.mark.parametrize("case", gradient_cases(SELECT_CASES))
def test_select_gradients(case):
    check_gradient_case(case)


def _select_v2(cond, mode):
    return lambda t, e: tf.where_v2(hide(tf.constant(cond), mode), t, e)


SELECT_V2_CASES = [
    grad(f"{cond_shape}-{t_shape}-{e_shape}", _select_v2(R.uniform(size=cond_shape) > 0.5, mode),
         [rand(*t_shape), rand(*e_shape)], mode)
    for cond_shape, t_shape, e_shape in [
        ((2, 3), (2, 3), (2, 3)), ((3,), (2, 1), ()), ((2, 1), (3,), (2, 3)), ((), (2,), (1,))
    ]
    for mode in MODES
]  # fmt: skip


@pytest.mark.parametrize("case", gradient_cases(SELECT_V2_CASES))
def test_select_v2_gradients_sum_over_broadcast_axes(case):
    check_gradient_case(case)


# -- complex gradients --------------------------------------------------------------------


def crand(*shape):
    return rand(*shape) + 1j * rand(*shape)


COMPLEX = {
    "mul": (tf.multiply, [crand(2, 3), crand(3)]),
    "div": (tf.realdiv, [crand(2, 3), crand(3) + 2]),
    "div_no_nan": (tf.div_no_nan, [crand(2, 3), crand(2, 1) + 2]),
    "sub-add_n": (lambda x, y: tf.add_n([x - y, x]), [crand(2), crand(2)]),
    "exp-neg": (lambda x: tf.exp(-x), [crand(2, 2)]),
    "log-log1p": (lambda x: tf.log(x) * tf.log1p(x), [crand(3) + 3]),
    "sqrt-rsqrt": (lambda x: tf.sqrt(x) + tf.rsqrt(x), [crand(3) + 3]),
    "square-reciprocal": (lambda x: tf.square(x) * tf.reciprocal(x + 3), [crand(3)]),
    "sin-cos": (lambda x: tf.sin(x) * tf.cos(x), [crand(3)]),
    "tanh-sigmoid": (lambda x: tf.tanh(x) * tf.sigmoid(x), [0.5 * crand(3)]),
    "pow": (tf.pow, [crand(3) + 3, crand(3)]),
    "abs": (tf.abs, [crand(2, 2)]),
    "conj": (tf.conj, [crand(2, 2)]),
    "cast-real": (lambda x: tf.cast(x, tf.float64), [crand(3)]),
    "matmul": (lambda x, y: tf.matmul(x, y, adjoint_a=True), [crand(3, 2), crand(3, 2)]),
    "batch_matmul": (
        lambda x, y: tf.matmul(x, y, transpose_b=True, adjoint_a=True),
        [crand(2, 3, 2), crand(2, 3)],
    ),
    "sum-mean": (lambda x: tf.reduce_sum(x, 0) * tf.reduce_mean(x, 0), [crand(2, 3)]),
    "prod-cumprod": (
        lambda x: tf.reduce_prod(x, 1) * tf.reduce_sum(tf.cumprod(x, 1), 1),
        [crand(2, 3)],
    ),
    "cumsum": (lambda x: tf.cumsum(x, 1, reverse=True), [crand(2, 3)]),
    "select": (lambda x, y: tf.where_v2([True, False], x, y), [crand(2), crand(2)]),
}


@pytest.mark.parametrize(
    "case", gradient_cases([GradCase(i, fn, tuple(x)) for i, (fn, x) in sorted(COMPLEX.items())])
)
def test_complex_gradients(case):
    check_gradient_case(case)


# -- the graphs TF1 builds ----------------------------------------------------------------


def _names(graph, start: int) -> list[str]:
    return [op.name for op in graph.get_operations()[start:]]


def test_broadcast_add_and_mul_names_match_tf(graph):
    x, y = tf.placeholder(tf.float32, [2, 3]), tf.placeholder(tf.float32, [3])
    gx, gy = tf.gradients(x + y, [x, y])
    assert gy.op.name == "gradients/add_grad/Reshape"
    assert gy.op.inputs[0].op.name == "gradients/add_grad/Sum"
    assert gy.op.inputs[1].op.name == "gradients/add_grad/Shape_1"
    gx, gy = tf.gradients(x * y, [x, y])
    assert gx.op.name == "gradients_1/mul_grad/Mul"
    assert gy.op.name == "gradients_1/mul_grad/Reshape"
    assert gy.op.inputs[0].op.inputs[0].op.name == "gradients_1/mul_grad/Mul_1"


# TF 2.21's records: tests/data/tf_reference/math_gradients.json, written by
# tools/tf_reference.py from the expressions in tests/data/tf_reference/math_gradients.py.
GRADIENTS = tf_reference("math_gradients")
GRADIENT_NAMES = GRADIENTS["groups"]["NAMES"]
DIVISION = "tf.gradients(x / y, [x, y])"


def test_division_names_match_tf(graph):
    """The ops under truediv's gradient scope, with the two unused Shape constants
    ("truediv_grad/Shape", "Shape_1") TF 2.21 leaves where the shapes are static."""
    env = {"tf": tf, **{name: tf.placeholder(*spec) for name, spec in setup_of(GRADIENTS).items()}}
    start = len(graph.get_operations())
    eval(DIVISION, env)
    theirs = [n for n, _ in GRADIENTS["groups"]["DIVISION"][DIVISION]["ops"] if "_grad/" in n]
    ours = [n for n in _names(graph, start) if "_grad/" in n]
    assert ours == theirs
    assert "gradients/truediv_grad/Shape_1" in ours


def test_matmul_names_and_flags_match_tf(graph):
    a, b = tf.placeholder(tf.float32, [2, 3]), tf.placeholder(tf.float32, [3, 4])
    ga, gb = tf.gradients(tf.matmul(a, b), [a, b])
    assert ga.op.name == "gradients/MatMul_grad/MatMul"
    assert gb.op.name == "gradients/MatMul_grad/MatMul_1"
    assert ga.op.inputs[1] is b and gb.op.inputs[0] is a
    assert (ga.op.get_attr("transpose_b"), gb.op.get_attr("transpose_a")) == (True, True)


@pytest.mark.parametrize("expression", list(GRADIENT_NAMES))
def test_gradient_names_match_tf(expression):
    """The op that makes the gradient of a function of x."""
    x = tf.placeholder(tf.float32, [2, 3], name="x")
    g = eval(expression, {"tf": tf, "x": x})
    assert g.op.name == GRADIENT_NAMES[expression]["op"]
