"""Graphs built the same way by scopeflow and by TensorFlow (``build(tf)`` takes either
module), for comparing their GraphDefs node by node and their outputs.

``make_graph_io_data.py`` runs these under TensorFlow and records what it builds and computes.
"""

import numpy as np

FEED = np.arange(6, dtype=np.float32).reshape(2, 3) / 5.0
IMAGE = np.linspace(-1.0, 1.0, 32, dtype=np.float32).reshape(1, 4, 4, 2)


def build_forward(tf):
    """A small model touching many op families; returns the output tensors by name."""
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    img = tf.placeholder(tf.float32, [1, 4, 4, 2], name="img")
    w = tf.get_variable("w", initializer=np.linspace(-1, 1, 6, dtype=np.float32).reshape(3, 2))
    b = tf.Variable([0.5, -0.25], name="b")
    k = tf.get_variable("k", [3, 3, 2, 1], initializer=tf.constant_initializer(0.1))
    y = tf.nn.bias_add(tf.matmul(x, w), b)
    z = tf.nn.relu(y + 1.0)
    r = tf.reduce_sum(z, axis=1, name="r")
    c = tf.cast(r * 10.0, tf.int32, name="c")
    flat = tf.reshape(z, [-1], name="flat")
    conv = tf.nn.conv2d(img, k, [1, 1, 1, 1], "SAME")
    pool = tf.nn.max_pool(conv, [1, 2, 2, 1], [1, 2, 2, 1], "VALID", name="pool")
    cc = tf.concat([x, x * 2.0], axis=1, name="cc")
    sm = tf.nn.softmax(y, name="sm")
    with tf.control_dependencies([sm]):
        ident = tf.identity(c, name="ident")
    am = tf.argmax(y, 1, name="am")
    st = tf.stack([r, r], name="st")
    tr = tf.transpose(y, name="tr")
    sl = tf.identity(cc[:, 1:5:2], name="sl")
    mean = tf.reduce_mean(tf.square(y), name="mean")
    return {
        "r": r, "c": c, "flat": flat, "pool": pool, "cc": cc, "sm": sm, "ident": ident,
        "am": am, "st": st, "tr": tr, "sl": sl, "mean": mean,
    }  # fmt: skip


def feeds(graph):
    return {graph.get_tensor_by_name("x:0"): FEED, graph.get_tensor_by_name("img:0"): IMAGE}


def build_trainable(tf):
    """A linear model with an optimizer, a global step, a custom collection and a Saver."""
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    w = tf.get_variable("dense/w", initializer=np.float32([[0.5], [-1.0], [2.0]]))
    bias = tf.get_variable("dense/b", initializer=np.float32([0.1]))
    step = tf.train.get_or_create_global_step()
    logits = tf.add(tf.matmul(x, w), bias, name="logits")
    loss = tf.reduce_mean(tf.square(logits - 1.0), name="loss")
    train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=step)
    tf.add_to_collection("train_op", train_op)
    tf.add_to_collection("my_outputs", logits)
    return {"logits": logits, "loss": loss}
