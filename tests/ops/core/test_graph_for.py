"""Ops go to their inputs' graph, as in TF1: building on tensors of a graph whose
``as_default()`` block was left (or while another graph is the default) adds to their graph,
under that graph's own name scopes (ops/core/infer.py, and tf.cond's in ops/control/cond.py).
Expected names were printed by TF 2.21."""

import pytest

import scopeflow as tf


@pytest.fixture
def built():
    g = tf.Graph()
    with g.as_default():
        a = tf.constant([[1.0, 2.0]])
        b = tf.constant([[2.0, 3.0]])
        it = tf.data.make_one_shot_iterator(tf.data.Dataset.range(3))
    return g, a, b, it


def test_ops_on_a_left_graph_go_to_it(built):
    g, a, b, it = built
    made = [tf.nn.softmax(a), tf.stack([a, b]), tf.add_n([a, b]), it.get_next()]
    assert [t.name for t in made] == ["Softmax:0", "stack:0", "AddN:0", "IteratorGetNext:0"]
    assert all(t.graph is g for t in made)
    with tf.Session(graph=g) as sess:
        assert sess.run(made[3]) == 0
        assert sess.run(made[2]).tolist() == [[3.0, 5.0]]


def test_a_cond_on_a_left_graph_goes_to_it(built):
    g, a, b, _ = built
    out = tf.cond(a[0, 0] > 0, lambda: a * 2.0, lambda: b)
    assert (out.name, out.graph is g) == ("cond/Merge:0", True)
    with tf.Session(graph=g) as sess:
        assert sess.run(out).tolist() == [[2.0, 4.0]]


def test_another_default_graphs_scopes_are_not_used(built):
    g, a, b, _ = built
    with tf.Graph().as_default() as other, tf.name_scope("outer"):
        tf.nn.softmax(a)
        t = tf.nn.softmax(a)
        assert (t.name, t.graph is g, other.get_operations()) == ("Softmax_1:0", True, [])


def test_tensors_of_two_graphs_still_fail(built):
    _, a, _, _ = built
    with tf.Graph().as_default():
        c = tf.constant([[1.0, 2.0]])
        with pytest.raises(ValueError, match="must be from the same graph"):
            tf.stack([c, a])
        with pytest.raises(ValueError, match="must be from the same graph"):
            tf.add_n([c, a])
