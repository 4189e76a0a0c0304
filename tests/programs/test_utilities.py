"""The utilities TF1 scripts leaned on: tf.app.flags, while_loop, cond, py_func, to_float,
tf.logging, summary.FileWriter with the graph, and tf.gfile (ListDirectory, MakeDirs, GFile,
Exists, Glob) around an Adagrad step.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import os

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    flags = tf.app.flags
    flags.DEFINE_integer("prog_batch_size", 3, "Batch size.")
    flags.DEFINE_float("prog_learning_rate", 0.5, "Learning rate.")
    flags.DEFINE_string("prog_train_dir", str(workdir), "Where to write.")
    FLAGS = flags.FLAGS
    FLAGS(["prog"])
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(17)
        x = tf.placeholder(tf.float32, [FLAGS.prog_batch_size, 2], name="x")
        v = tf.Variable(tf.random_normal([2, 2], stddev=0.3), name="v")
        counter = tf.Variable(0, name="counter", trainable=False)

        def body(i, acc):
            return i + 1, tf.matmul(acc, v)

        _, powered = tf.while_loop(lambda i, a: i < 3, body, [tf.constant(0), x])
        is_even = tf.equal(tf.mod(counter, 2), 0)
        branch = tf.cond(is_even, lambda: tf.reduce_sum(powered), lambda: tf.reduce_max(powered))

        def np_clip(a):
            return np.clip(a, -1.0, 1.0).astype(np.float32)

        clipped = tf.py_func(np_clip, [powered], tf.float32, name="np_clip")
        clipped.set_shape(powered.shape)
        loss = tf.reduce_mean(tf.square(clipped - 0.1)) + tf.to_float(counter) * 0.0
        loss = loss + tf.reduce_mean(tf.square(powered))
        train = tf.train.AdagradOptimizer(FLAGS.prog_learning_rate).minimize(loss)
        inc = tf.assign_add(counter, 1)
        tf.logging.set_verbosity(tf.logging.ERROR)
        writer = tf.summary.FileWriter(FLAGS.prog_train_dir, g)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            data = np.arange(6, dtype=np.float32).reshape(3, 2) / 6
            out = []
            for _ in range(3):
                _, lv, b, _c = sess.run([train, loss, branch, inc], {x: data})
                out.append([float(lv), float(b)])
        writer.close()
        listing = sorted(
            f.startswith("events.out.tfevents")
            for f in tf.gfile.ListDirectory(FLAGS.prog_train_dir)
        )
        tf.gfile.MakeDirs(os.path.join(FLAGS.prog_train_dir, "sub", "dir"))
        with tf.gfile.GFile(os.path.join(FLAGS.prog_train_dir, "sub", "a.txt"), "w") as f:
            f.write("hello")
        exists = tf.gfile.Exists(os.path.join(FLAGS.prog_train_dir, "sub", "a.txt"))
        globbed = [
            os.path.basename(p)
            for p in tf.gfile.Glob(os.path.join(FLAGS.prog_train_dir, "sub", "*"))
        ]
        return {
            "vars": [[v_.name, v_.shape.as_list()] for v_ in tf.global_variables()],
            "names": [powered.name, branch.name, clipped.name, loss.name, train.name],
            "steps": out,
            "events": listing,
            "exists": exists,
            "glob": sorted(globbed),
            "flags": [FLAGS.prog_batch_size, FLAGS.prog_learning_rate],
        }


EXPECTED = {
    "vars": [["v:0", [2, 2]], ["counter:0", []], ["v/Adagrad:0", [2, 2]]],
    "names": ["while/Exit_1:0", "cond/Merge:0", "np_clip:0", "add_1:0", "Adagrad"],
    "steps": [
        [0.09134642779827118, -0.7725706696510315],
        [0.011676807887852192, -0.00015159911708906293],
        [0.011476538144052029, -0.03829514607787132],
    ],
    "events": [True],
    "exists": True,
    "glob": ["a.txt", "dir"],
    "flags": [3, 0.5],
}


def test_utilities_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
