"""Variable.scatter_mul/div/max/min (reference variables) and Variable.set_shape
(reference and resource variables), as TF 2.21's tf.compat.v1."""

import pytest

import scopeflow as tf


def test_scatter_methods_update_the_rows_named(graph):
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], name="v")
    delta = tf.IndexedSlices(tf.constant([[2.0, 3.0]]), tf.constant([1]))
    ops = [v.scatter_mul(delta), v.scatter_div(delta, name="d"), v.scatter_max(delta)]
    ops.append(v.scatter_min(delta))
    assert [o.name for o in ops] == ["ScatterMul:0", "d:0", "ScatterMax:0", "ScatterMin:0"]
    with tf.Session(graph=graph) as sess:
        sess.run(tf.global_variables_initializer())
        rows = [sess.run(o)[1].tolist() for o in ops]
    assert rows == [[6.0, 12.0], [3.0, 4.0], [3.0, 4.0], [2.0, 3.0]]
    with pytest.raises(TypeError, match="sparse_delta is not IndexedSlices"):
        v.scatter_mul(tf.constant([1.0]))


def test_set_shape_refines_reference_variables(graph):
    initial = tf.placeholder_with_default([[1.0, 2.0]], [None, 2])
    p = tf.Variable(initial, name="p", validate_shape=False)
    p.set_shape([1, 2])
    assert p.shape.as_list() == p.value().shape.as_list() == [1, 2]
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    with pytest.raises(ValueError, match="Dimension 0 in both shapes must be equal"):
        v.set_shape([4, 2])


def test_set_shape_of_resource_variables_leaves_the_handle(graph):
    initial = tf.placeholder_with_default([[1.0, 2.0]], [None, 2])
    q = tf.Variable(initial, name="q", validate_shape=False, use_resource=True)
    q.set_shape([1, 2])
    assert q.shape.as_list() == [1, 2]
    assert q.value().shape.as_list() == q.handle.op.get_attr("shape").as_list() == [None, 2]
    with pytest.raises(ValueError, match=r"Shapes \(1, 2\) and \(4, 2\) are not compatible"):
        q.set_shape([4, 2])
