"""tf.matrix_diag/matrix_diag_part/matrix_set_diag with TF 2's arguments (k, num_rows,
num_cols, padding_value, align): the V3 ops, named and valued as TF 2.21 builds them; TF1's
ops for the defaults."""

import numpy as np
import pytest

import scopeflow as tf

X = np.arange(12.0, dtype=np.float32).reshape(3, 4)


def _ops(graph):
    return [(op.name, op.type) for op in graph.get_operations() if op.type != "Const"]


def test_diag_on_an_offset_diagonal_of_a_padded_matrix(graph):
    d = tf.constant([1.0, 2.0])
    a = tf.matrix_diag(d, k=1, num_rows=4, padding_value=7.0)
    names = [op.name for op in graph.get_operations()]
    assert names[1:] == ["diag/k", "diag/num_rows", "diag/num_cols", "diag/padding_value", "diag"]
    assert a.op.type == "MatrixDiagV3" and a.op.get_attr("align") == b"RIGHT_LEFT"
    assert a.shape.as_list() == [4, 3]
    with tf.Session(graph=graph) as sess:
        assert sess.run(a).tolist() == [[7, 1, 7], [7, 7, 2], [7, 7, 7], [7, 7, 7]]


def test_diag_part_and_set_diag_off_the_main_diagonal(graph):
    x = tf.constant(X)
    b = tf.matrix_diag_part(x, k=-1, padding_value=9.0)
    c = tf.matrix_set_diag(x, [5.0, 6.0, 7.0], k=1)
    assert _ops(graph) == [("diag_part", "MatrixDiagPartV3"), ("set_diag", "MatrixSetDiagV3")]
    assert [i.op.name for i in b.op.inputs[1:]] == ["diag_part/k", "diag_part/padding_value"]
    with tf.Session(graph=graph) as sess:
        part, replaced = sess.run([b, c])
    assert part.tolist() == [4.0, 9.0]
    assert replaced.tolist() == [[0, 5, 2, 3], [4, 5, 6, 7], [8, 9, 10, 7]]


def test_defaults_build_tf1s_ops_and_align_is_an_attr(graph):
    d = tf.constant([1.0, 2.0])
    assert tf.matrix_diag(d).op.type == "MatrixDiag"
    assert tf.linalg.diag(d, align="LEFT_RIGHT").op.get_attr("align") == b"LEFT_RIGHT"
    with pytest.raises(ValueError, match="Attr 'align' of 'MatrixDiagV3' Op passed string 'UP'"):
        tf.matrix_diag(d, align="UP")


def test_a_band_of_diagonals(graph):
    a = tf.matrix_diag(tf.constant([[1.0, 2.0], [3.0, 4.0]]), k=(0, 1))
    assert a.op.type == "MatrixDiagV3" and a.shape.as_list() == [2, 2]
    with tf.Session(graph=graph) as sess:
        assert sess.run(a).tolist() == [[3.0, 2.0], [0.0, 4.0]]  # TF 2.21's
    # TF builds this and aborts the process when run; scopeflow refuses it while building
    with pytest.raises(ValueError, match="The number of rows of `diagonal` doesn't match"):
        tf.matrix_diag(tf.constant([1.0, 2.0]), k=(0, 1))
