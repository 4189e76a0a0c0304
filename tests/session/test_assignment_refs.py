"""An op taking an assignment's result as its variable reference runs after that assignment,
as in TF1 (scopeflow/session/plan.py): chained assignments, a ``tf.cond`` branch or a loop reading
``tf.assign_add``'s result (the assignment runs on every run, the branch taken or not).
Expected values were printed by TF 2.21."""

import scopeflow as tf


def test_chained_assignments_run_inner_first(graph):
    v = tf.get_variable("v", [2], initializer=tf.zeros_initializer())
    chained = tf.assign_add(tf.assign(v, [10.0, 20.0]), [1.0, 1.0])
    scattered = tf.scatter_add(tf.assign(v, [5.0, 5.0]), [0], [3.0])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(chained).tolist() == [11.0, 21.0]
        assert sess.run(v).tolist() == [11.0, 21.0]
        assert sess.run(scattered).tolist() == [8.0, 5.0]


def test_a_cond_branch_reading_an_assignment(graph):
    c = tf.get_variable("c", [], initializer=tf.zeros_initializer())
    p = tf.placeholder(tf.bool, [])
    inc = tf.assign_add(c, 1.0)
    out = tf.cond(p, lambda: inc * 1.0, lambda: tf.constant(0.0))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got = [(float(sess.run(out, {p: v})), float(sess.run(c))) for v in (True, True, False)]
        assert got == [(1.0, 1.0), (2.0, 2.0), (0.0, 3.0)]


def test_a_loop_reading_an_assignment(graph):
    c = tf.get_variable("c", [], initializer=tf.zeros_initializer())
    inc = tf.assign_add(c, 1.0)
    _, acc = tf.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, a + inc), (0, 0.0))
    enters = [op.name for op in graph.get_operations() if op.type == "RefEnter"]
    assert enters == ["while/add_1/RefEnter"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert [(float(sess.run(acc)), float(sess.run(c))) for _ in range(2)] == [
            (3.0, 1.0),
            (6.0, 2.0),
        ]
