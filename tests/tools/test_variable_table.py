from __future__ import annotations

import scopeflow as tf
from scopeflow.tools.variable_table import format_variable_table, scope_totals, variable_rows


def test_rows_and_scope_totals():
    with tf.Graph().as_default():
        with tf.variable_scope("net"):
            with tf.variable_scope("a"):
                tf.get_variable("w", [2, 3])
                tf.get_variable("step", [], dtype=tf.int64)
            with tf.variable_scope("b"):
                tf.get_variable("w", [4], dtype=tf.float64)
        tf.get_variable("top", [5])
        rows = variable_rows()
    assert [(r.name, r.shape, r.dtype, r.parameters, r.bytes) for r in rows] == [
        ("net/a/w", (2, 3), "float32", 6, 24),
        ("net/a/step", (), "int64", 1, 8),
        ("net/b/w", (4,), "float64", 4, 32),
        ("top", (5,), "float32", 5, 20),
    ]
    assert scope_totals(rows) == {"net": 11, "net/a": 7, "net/b": 4}


def test_table_lists_explicit_variables_and_grand_total():
    with tf.Graph().as_default():
        a = tf.Variable(tf.zeros([3]), name="a")
        tf.Variable(tf.zeros([7]), name="b")
        text = format_variable_table([a])
    assert "b " not in text
    assert text.splitlines()[-1].split() == ["total", "3"]
