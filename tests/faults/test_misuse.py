"""What users do wrong with sessions, feeds, fetches and gradients, and what TF1 answers:
each expected type, message and name list is TensorFlow 2.21's (tf.compat.v1, graph mode)
for the same program."""

from __future__ import annotations

import pytest

import scopeflow as tf

# -- what tf.cond and tf.while_loop let a session fetch and feed -----------------------------


def _cond():
    x = tf.placeholder(tf.float32)
    tf.cond(x > 0, lambda: x * 2, lambda: tf.constant(3.0))


def _loop():
    c = tf.constant(5)
    tf.while_loop(lambda i: i < c, lambda i: i + 1, [tf.constant(0)])


def _nested_loops():
    def body(i):
        return tf.while_loop(lambda j: j < 2, lambda j: j + i, [i])

    tf.while_loop(lambda i: i < 3, body, [tf.constant(1)])


def _loop_in_cond():
    x = tf.placeholder(tf.int32)
    tf.cond(x > 0, lambda: tf.while_loop(lambda i: i < 3, lambda i: i + 1, [x]), lambda: x)


def _cond_in_loop():
    def body(i):
        return tf.cond(i > 1, lambda: i + 1, lambda: i + 2)

    tf.while_loop(lambda i: i < 3, body, [tf.constant(0)])


W = "while/"
C = "cond/"
CW = "cond/while/"
WW = "while/while/"
# program -> (ops TF marks not fetchable, tensors TF marks not feedable), in graph order
TF_MARKS = {
    _cond: (
        [C + "Switch", C + "switch_t", C + "switch_f", C + "pred_id", C + "mul/y", C + "mul"]
        + [C + "mul/Switch", C + "Const"],
        [],
    ),
    _loop: (
        [W + n for n in ["Merge", "Less", "LoopCond", "Switch", "Identity", "add/y", "add"]]
        + [W + "NextIteration"],
        [W + t for t in ["Enter:0", "Merge:0", "Merge:1", "Less:0", "Less/Enter:0"]]
        + [W + t for t in ["LoopCond:0", "Switch:0", "Switch:1", "Identity:0", "add/y:0"]]
        + [W + "add:0", W + "NextIteration:0"],
    ),
    _nested_loops: (
        [W + n for n in ["Merge", "Less/y", "Less", "LoopCond", "Switch", "Identity"]]
        + [WW + n for n in ["Merge", "Less/y", "Less", "LoopCond", "Switch", "Identity"]]
        + [WW + "add", WW + "NextIteration", WW + "Exit", W + "NextIteration"],
        [W + t for t in ["Enter:0", "Merge:0", "Merge:1", "Less/y:0", "Less:0", "LoopCond:0"]]
        + [W + t for t in ["Switch:0", "Switch:1", "Identity:0"]]
        + [WW + t for t in ["Enter:0", "Merge:0", "Merge:1", "Less/y:0", "Less:0"]]
        + [WW + t for t in ["LoopCond:0", "Switch:0", "Switch:1", "Identity:0", "add:0"]]
        + [WW + "add/Enter:0", WW + "NextIteration:0", WW + "Exit:0", W + "NextIteration:0"],
    ),
    _loop_in_cond: (
        [C + "Switch", C + "switch_t", C + "switch_f", C + "pred_id", CW + "Switch"]
        + [CW + n for n in ["Merge", "Less/y", "Less", "LoopCond", "Switch_1", "Identity"]]
        + [CW + "add/y", CW + "add", CW + "NextIteration", CW + "Exit", C + "Switch_1"],
        [CW + t for t in ["Enter:0", "Merge:0", "Merge:1", "Less/y:0", "Less:0", "LoopCond:0"]]
        + [CW + t for t in ["Switch_1:0", "Switch_1:1", "Identity:0", "add/y:0", "add:0"]]
        + [CW + "NextIteration:0", CW + "Exit:0"],
    ),
    _cond_in_loop: (
        [W + n for n in ["Merge", "Less/y", "Less", "LoopCond", "Switch", "Identity"]]
        + [W + n for n in ["Greater/y", "Greater", "cond/Switch", "cond/switch_t"]]
        + [W + "cond/" + n for n in ["switch_f", "pred_id", "add/y", "add", "add/Switch"]]
        + [W + "cond/" + n for n in ["add_1/y", "add_1", "add_1/Switch", "Merge"]]
        + [W + "NextIteration"],
        [W + t for t in ["Enter:0", "Merge:0", "Merge:1", "Less/y:0", "Less:0", "LoopCond:0"]]
        + [W + t for t in ["Switch:0", "Switch:1", "Identity:0", "Greater/y:0", "Greater:0"]]
        + [W + "cond/" + t for t in ["Switch:0", "Switch:1", "switch_t:0", "switch_f:0"]]
        + [W + "cond/pred_id:0", W + "cond/Merge:0", W + "cond/Merge:1", W + "NextIteration:0"],
    ),
}


@pytest.mark.parametrize("build", list(TF_MARKS), ids=lambda f: f.__name__)
def test_control_flow_marks_what_tf1_marks_not_fetchable_and_not_feedable(build):
    with tf.Graph().as_default() as g:
        build()
        ops = g.get_operations()
        unfetchable = [op.name for op in ops if not g.is_fetchable(op)]
        unfeedable = [t.name for op in ops for t in op.outputs if not g.is_feedable(t)]
    assert (unfetchable, unfeedable) == TF_MARKS[build]


def test_fetching_inside_a_branch_or_feeding_inside_a_loop_is_a_value_error(graph):
    x = tf.placeholder(tf.float32)
    inside = []

    def true_fn():
        inside.append(x * 3.0)
        return inside[0]

    y = tf.cond(x > 0, true_fn, lambda: x)
    i = tf.while_loop(lambda i: i < 3, lambda i: i + 1, [tf.constant(0)])
    with tf.Session() as sess:
        with pytest.raises(ValueError, match="Operation cond/mul has been marked as not fetch"):
            sess.run(inside[0], {x: 1.0})
        with pytest.raises(ValueError, match="^Tensor while/add:0 may not be fed."):
            sess.run(i, {"while/add:0": 1})
        assert sess.run([y, i], {x: 2.0}) == [6.0, 3]


def test_prevent_feeding_and_fetching(graph):
    a = tf.constant(1.0)
    b = a * 2.0
    assert graph.is_feedable(a) and graph.is_fetchable(b) and graph.is_fetchable(b.op)
    graph.prevent_feeding(a)
    graph.prevent_fetching(b.op)
    assert not graph.is_feedable(a) and not graph.is_fetchable(b)
    with tf.Session() as sess:
        with pytest.raises(ValueError, match="^Tensor Const:0 may not be fed."):
            sess.run(b + 1.0, {a: 3.0})
        with pytest.raises(ValueError, match="Operation mul has been marked as not fetchable"):
            sess.run(b)
        assert sess.run(b + 1.0) == 3.0


# -- sessions -------------------------------------------------------------------------------


def test_a_session_on_something_else_than_a_graph_is_a_type_error():
    with pytest.raises(TypeError, match='Argument `graph` must be a tf.Graph, but got "str"'):
        tf.Session(graph="g")


def test_running_an_empty_graph_is_a_runtime_error():
    with tf.Session(graph=tf.Graph()) as sess:
        with pytest.raises(RuntimeError, match="The Session graph is empty"):
            sess.run([])


def test_a_callable_of_a_closed_session_is_cancelled(graph):
    c = tf.constant(1)
    sess = tf.Session()
    call = sess.make_callable(c)
    assert call() == 1
    sess.close()
    with pytest.raises(tf.errors.CancelledError, match="Session has been closed."):
        call()
    with pytest.raises(RuntimeError, match="Attempted to use a closed Session."):
        sess.run(c)


# -- gradients ------------------------------------------------------------------------------


def test_integer_xs_and_paths_through_integers_get_no_gradient(graph):
    n = tf.constant([1, 2])
    x = tf.constant([1.0, 2.0])
    assert tf.gradients(n * 2, n) == [None]
    assert tf.gradients(n * 2, n, grad_ys=tf.constant([1, 1])) == [None]
    assert tf.gradients(tf.cast(tf.cast(x, tf.int32), tf.float32) * 2.0, x) == [None]
    gx, gn = tf.gradients(x * tf.cast(n, tf.float32), [x, n])
    assert gn is None and gx.name == "gradients_3/mul_3_grad/Mul:0"


def test_concat_of_mismatched_ranks_names_the_first_rank_expected(graph):
    with pytest.raises(ValueError, match="Shape must be rank 2 but is rank 1"):
        tf.concat([tf.zeros([2, 3]), tf.zeros([2])], 0)
    with pytest.raises(ValueError, match="Shape must be rank 1 but is rank 2"):
        tf.concat([tf.zeros([2]), tf.zeros([2, 3])], 0)


@pytest.mark.parametrize("make", ["make_one_shot_iterator", "make_initializable_iterator"])
def test_an_iterator_in_another_graph_than_its_dataset_is_a_value_error(make):
    with tf.Graph().as_default():
        dataset = tf.data.Dataset.range(3)
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="of the iterator is different from the graph") as e:
            getattr(dataset, make)()
    assert "Make sure that the dataset is created in the same graph as the iterator" in str(e.value)
