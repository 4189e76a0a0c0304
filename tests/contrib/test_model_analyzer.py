"""Tests for ``slim.model_analyzer`` (scopeflow/contrib/slim/model_analyzer.py): its printout
and totals, which are tf_slim's (checked with tf_slim on TF 2.21 compat.v1)."""

from __future__ import annotations

import scopeflow as tf

analyzer = tf.contrib.slim.model_analyzer


def test_vars_and_ops_print_and_count_as_tf_slim(graph, capsys):
    with tf.variable_scope("d"):
        w = tf.get_variable("w", [3, 4])
        b = tf.get_variable("b", [4], dtype=tf.float64)
        s = tf.get_variable("s", [], dtype=tf.int32)
        x = tf.placeholder(tf.float32, [None, 3], name="x")
        tf.matmul(x, w)
    assert analyzer.analyze_vars([w, b, s], print_info=True) == (17, 84)
    assert capsys.readouterr().out.splitlines() == [
        "---------",
        "Variables: name (type shape) [size]",
        "---------",
        "d/w:0 (float32_ref 3x4) [12, bytes: 48]",
        "d/b:0 (float64_ref 4) [4, bytes: 32]",
        "d/s:0 (int32_ref ) [1, bytes: 4]",
        "Total size of variables: 17",
        "Total bytes of variables: 84",
    ]
    assert analyzer.analyze_ops(graph) == 109
    analyzer.analyze_ops(graph, print_info=True)
    lines = capsys.readouterr().out.splitlines()
    assert "d/w \t-> (float32_ref 3x4) [12]" in lines
    assert lines[-2:] == ["d/x \t-> (float32 ?x3) [0]", "d/MatMul \t-> (float32 ?x4) [0]"]
