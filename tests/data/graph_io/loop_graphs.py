"""Graphs with ``tf.while_loop``s, built the same way by scopeflow and by TensorFlow
(``build(tf)`` takes either module), for importing TensorFlow's MetaGraphDefs of them.

Each builder returns ``(outputs, train_op)``: the tensors to fetch by name, and a training
op (or None). ``make_loop_graphs.py`` runs them under TensorFlow and records the files.
"""

import numpy as np

SEQ = np.linspace(-1.0, 1.0, 2 * 5 * 3, dtype=np.float32).reshape(2, 5, 3)
LENGTHS = np.int32([5, 3])


def build_counter(tf):
    """A loop with a TensorArray, a shape invariant and maximum_iterations."""
    n = tf.placeholder(tf.int32, [], name="n")
    v = tf.get_variable("v", initializer=np.float32([1.0, 2.0]))
    ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)

    def body(i, acc, grow, ta):
        acc = acc * 0.5 + v
        grow = tf.concat([grow, [tf.cast(i, tf.float32)]], 0)
        return [i + 1, acc, grow, ta.write(i, acc)]

    i, acc, grow, ta = tf.while_loop(
        lambda i, *_: i < n, body, [0, tf.zeros([2]), tf.zeros([0]), ta],
        shape_invariants=[tf.TensorShape([]), tf.TensorShape([2]), tf.TensorShape([None]),
                          tf.TensorShape(None)],
        maximum_iterations=7, name="counter")  # fmt: skip
    stacked = tf.identity(ta.stack(), name="stacked")
    loss = tf.reduce_sum(tf.square(stacked), name="loss")
    train_op = tf.train.GradientDescentOptimizer(0.05).minimize(loss)
    outs = {"i": tf.identity(i, name="i"), "acc": tf.identity(acc, name="acc"),
            "grow": tf.identity(grow, name="grow"), "stacked": stacked, "loss": loss}  # fmt: skip
    return outs, train_op


def build_lstm(tf):
    """dynamic_rnn over an LSTM with sequence lengths, trained with Adam."""
    x = tf.placeholder(tf.float32, [None, 5, 3], name="x")
    lengths = tf.placeholder(tf.int32, [None], name="lengths")
    init = tf.constant_initializer(np.linspace(-0.5, 0.5, 7 * 16).reshape(7, 16))
    with tf.variable_scope("model", initializer=init):
        cell = tf.nn.rnn_cell.BasicLSTMCell(4)
        out, state = tf.nn.dynamic_rnn(cell, x, sequence_length=lengths, dtype=tf.float32)
    loss = tf.reduce_mean(tf.square(out), name="loss")
    train_op = tf.train.AdamOptimizer(0.1).minimize(loss)
    outs = {"out": tf.identity(out, name="out"), "c": tf.identity(state.c, name="c"),
            "loss": loss}  # fmt: skip
    return outs, train_op


def build_nested(tf):
    """A loop nested in a loop's body, a cond in the inner body, and tf.scan, trained."""
    w = tf.get_variable("w", initializer=np.float32(0.9))
    x = tf.placeholder(tf.float32, [None], name="xs")

    def outer_body(i, total):
        def inner_body(j, s):
            s = tf.cond(tf.equal(j % 2, 0), lambda: s * w + 1.0, lambda: s - w)
            return j + 1, s

        _, s = tf.while_loop(lambda j, s: j < i, inner_body, [0, total], name="inner")
        return i + 1, s

    _, total = tf.while_loop(lambda i, t: i < 4, outer_body, [1, tf.constant(0.5)],
                             name="outer")  # fmt: skip
    scanned = tf.scan(lambda a, e: a * w + e, x, initializer=tf.constant(0.0))
    loss = tf.add(tf.square(total), tf.reduce_sum(scanned), name="loss")
    train_op = tf.train.MomentumOptimizer(0.01, 0.9).minimize(loss)
    outs = {"total": tf.identity(total, name="total"),
            "scanned": tf.identity(scanned, name="scanned"), "loss": loss}  # fmt: skip
    return outs, train_op


BUILDERS = {"counter": build_counter, "lstm": build_lstm, "nested": build_nested}
FEEDS = {
    "counter": {"n:0": 5},
    "lstm": {"x:0": SEQ, "lengths:0": LENGTHS},
    "nested": {"xs:0": np.float32([1.0, -2.0, 0.5])},
}
