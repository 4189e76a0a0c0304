"""Tests for scopeflow/ops/linalg_ops.py: ``tf.linalg.qr`` builds TF1's ``Qr`` op with its two
outputs' dtypes and static shapes, and rejects what TF1 rejects; the diagonal, band-part and
triangular-solve functions build TF1's ops and static shapes.

Every expected value was read from TensorFlow 2.21 (``tensorflow.compat.v1``, graph mode).
"""

from __future__ import annotations

import re

import pytest

import scopeflow as tf
from tests.ops.graph_checks import added as _added
from tests.ops.graph_checks import dims as _dims

SETUP = {
    "m": (tf.float32, [5, 4, 3]),
    "s": (tf.float32, [5, 3, 3]),
    "v": (tf.float32, [3]),
    "x": (tf.float32, [2, 3]),
    "u": (tf.float32, [None, 3]),
}


QRS = [
    # (expression, ops it adds, (dtype, static shape) of q and of r)
    ("tf.linalg.qr(m)", [("Qr", "Qr")], [("float32", [5, 4, 3]), ("float32", [5, 3, 3])]),
    (
        "tf.linalg.qr(m, full_matrices=True)",
        [("Qr", "Qr")],
        [("float32", [5, 4, 4]), ("float32", [5, 4, 3])],
    ),
    ("tf.qr(m, name='op')", [("op", "Qr")], [("float32", [5, 4, 3]), ("float32", [5, 3, 3])]),
    (
        "tf.linalg.qr(tf.placeholder(tf.float32, [None, 3]))",
        [("Placeholder", "Placeholder"), ("Qr", "Qr")],
        [("float32", [None, None]), ("float32", [None, 3])],
    ),
    (
        "tf.linalg.qr(tf.placeholder(tf.float32, [None, 3]), full_matrices=True)",
        [("Placeholder", "Placeholder"), ("Qr", "Qr")],
        [("float32", [None, None]), ("float32", [None, 3])],
    ),
    (
        "tf.linalg.qr(tf.placeholder(tf.float32))",
        [("Placeholder", "Placeholder"), ("Qr", "Qr")],
        [("float32", None), ("float32", None)],
    ),
    (
        "tf.linalg.qr([[1.0, 2.0], [3.0, 4.0]])",
        [("Qr/input", "Const"), ("Qr", "Qr")],
        [("float32", [2, 2]), ("float32", [2, 2])],
    ),
]


@pytest.mark.parametrize(("expr", "ops", "outputs"), QRS)
def test_qr_builds_tf1_ops(graph, env, expr, ops, outputs):
    before = len(graph.get_operations())
    q, r = eval(expr, env)
    assert _added(graph, before) == ops
    assert [(t.dtype.name, _dims(t)) for t in (q, r)] == outputs
    assert (q.value_index, r.value_index, q.op is r.op) == (0, 1, True)
    assert q.op.get_attr("full_matrices") == ("full_matrices=True" in expr)


@pytest.mark.parametrize(
    ("shape", "dtype", "error", "message"),
    [
        ([3], tf.float32, ValueError, "Shape must be at least rank 2 but is rank 1"),
        ([3, 3], tf.int32, TypeError,
         "Value passed to parameter 'input' has DataType int32 not in list of allowed values: "
         "float64, float32, float16, complex64, complex128"),
    ],
)  # fmt: skip
def test_qr_errors(graph, shape, dtype, error, message):
    x = tf.placeholder(dtype, shape)
    with pytest.raises(error, match=re.escape(message)):
        tf.linalg.qr(x)
    assert graph.get_operations()[-1] is x.op


def test_diag_part_names_shapes_and_rank_errors():
    with tf.Graph().as_default():
        d = tf.diag_part(tf.placeholder(tf.float32, [3, None]))
        d4 = tf.diag_part(tf.placeholder(tf.float32, [2, 3, 2, 3]))
        with pytest.raises(ValueError, match="even and non-zero rank"):
            tf.diag_part(tf.placeholder(tf.float32, [2, 3, 4]))
        with pytest.raises(ValueError, match="Dimensions must be equal, but are 2 and 4"):
            tf.diag_part(tf.placeholder(tf.float32, [2, 4]))
    assert (d.op.name, d.op.type, d.shape.as_list()) == ("DiagPart", "DiagPart", [3])
    assert d4.shape.as_list() == [2, 3]


# fmt: off
BUILDS = [
    # (expression, ops it adds as (name, type), static shape)
    ("tf.diag(v)", [("Diag", "Diag")], [3, 3]),
    ("tf.diag(x)", [("Diag", "Diag")], [2, 3, 2, 3]),
    # deliberate: TF 2.21 builds MatrixDiagV3 and MatrixSetDiagV3 (with a "k" input and more).
    ("tf.matrix_diag(x)", [("diag", "MatrixDiag")], [2, 3, 3]),
    ("tf.linalg.diag(u)", [("diag", "MatrixDiag")], [None, 3, 3]),
    ("tf.linalg.set_diag(u, v)", [("set_diag", "MatrixSetDiag")], [None, 3]),
    ("tf.matrix_set_diag(m, u[:5])", [("strided_slice/stack", "Const"),
                                      ("strided_slice/stack_1", "Const"),
                                      ("strided_slice/stack_2", "Const"),
                                      ("strided_slice", "StridedSlice"),
                                      ("set_diag", "MatrixSetDiag")], [5, 4, 3]),
    ("tf.linalg.band_part(s, -1, 0)", [("MatrixBandPart/num_lower", "Const"),
                                       ("MatrixBandPart/num_upper", "Const"),
                                       ("MatrixBandPart", "MatrixBandPart")], [5, 3, 3]),
    ("tf.matrix_band_part(u, 1, 2)", [("MatrixBandPart/num_lower", "Const"),
                                      ("MatrixBandPart/num_upper", "Const"),
                                      ("MatrixBandPart", "MatrixBandPart")], [None, 3]),
    ("tf.linalg.triangular_solve(s, s)",
     [("triangular_solve/MatrixTriangularSolve", "MatrixTriangularSolve")], [5, 3, 3]),
    ("tf.matrix_triangular_solve(s[0], u, lower=False, adjoint=True)",
     [("strided_slice/stack", "Const"), ("strided_slice/stack_1", "Const"),
      ("strided_slice/stack_2", "Const"), ("strided_slice", "StridedSlice"),
      ("triangular_solve/MatrixTriangularSolve", "MatrixTriangularSolve")], [3, 3]),
]
# fmt: on


@pytest.mark.parametrize(("expr", "ops", "shape"), BUILDS)
def test_builds_tf1_ops_and_static_shapes(graph, env, expr, ops, shape):
    before = len(graph.get_operations())
    t = eval(expr, env)
    assert _added(graph, before) == ops
    assert _dims(t) == shape


def test_triangular_solve_attrs_are_tf1s(env):
    op = tf.linalg.triangular_solve(env["s"], env["s"], lower=False, adjoint=True).op
    assert (op.get_attr("lower"), op.get_attr("adjoint")) == (False, True)


def test_other_diagonals_are_not_supported():
    with tf.Graph().as_default():
        v = tf.placeholder(tf.float32, [3])
        with pytest.raises(NotImplementedError, match="k=0"):
            tf.linalg.diag(v, k=1)
