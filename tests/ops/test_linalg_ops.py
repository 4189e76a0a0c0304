"""Tests for scopeflow/ops/linalg_ops.py: ``tf.linalg.qr`` builds TF1's ``Qr`` op with its two
outputs' dtypes and static shapes, and rejects what TF1 rejects.

Every expected value was read from TensorFlow 2.21 (``tensorflow.compat.v1``, graph mode).
"""

from __future__ import annotations

import re

import pytest

import scopeflow as tf

SETUP = {"m": (tf.float32, [5, 4, 3])}


def _added(graph, before: int):
    return [(op.name, op.type) for op in graph.get_operations()[before:]]


def _dims(t):
    return None if t.shape.ndims is None else t.shape.as_list()


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
