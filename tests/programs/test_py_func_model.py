"""A py_func-heavy model as TF1 research code wrote one: NumPy augmentation inside a tf.data map
(tf.py_func with two outputs and set_shape, tf.numpy_function), a Python-side data source
ending with StopIteration (OutOfRangeError), a stateful py_func counter, tf.py_function doing
string work, a NumPy layer wrapped in tf.custom_gradient with a py_func forward and backward,
py_func inside a while_loop body, trained with Adam.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np
import pytest

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    rng = np.random.RandomState(2)
    xs = rng.randn(12, 4).astype(np.float32)
    ys = (xs[:, 0] > 0).astype(np.int64)
    out = {}
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(6)

        def augment(x, y):
            flipped = x[::-1].copy()
            return flipped, np.int64(y * 2 % 2), np.float32(np.abs(x).sum())

        def parse(x, y):
            fx, fy, norm = tf.py_func(
                augment, [x, y], [tf.float32, tf.int64, tf.float32], name="augment"
            )
            fx.set_shape([4])
            fy.set_shape([])
            norm.set_shape([])
            sq = tf.numpy_function(lambda a: (a * a).astype(np.float32), [fx], tf.float32)
            sq.set_shape([4])
            return tf.concat([fx, sq * 0.1], 0), fy, norm

        ds = tf.data.Dataset.from_tensor_slices((xs, ys)).map(parse).batch(4).repeat(2)
        x, y, norm = ds.make_one_shot_iterator().get_next()
        out["ds_shapes"] = [x.shape.as_list(), y.shape.as_list(), norm.shape.as_list()]

        calls = []

        def count(v):
            calls.append(float(v.sum()))
            return np.int64(len(calls))

        counter = tf.py_func(count, [norm], tf.int64, stateful=True, name="counter")
        label_text = tf.py_function(lambda t: f"n={t.numpy()}", [tf.shape(y)[0]], tf.string)

        w = tf.get_variable("w", [8, 2], initializer=tf.truncated_normal_initializer(0, 0.3))

        @tf.custom_gradient
        def numpy_layer(inp):
            def fwd(a):
                return np.tanh(a).astype(np.float32)

            def bwd(a, dy):
                return ((1 - np.tanh(a) ** 2) * dy).astype(np.float32)

            res = tf.py_func(fwd, [inp], tf.float32, name="np_tanh")
            res.set_shape(inp.shape)

            def grad(dy):
                gx = tf.py_func(bwd, [inp, dy], tf.float32, name="np_tanh_grad")
                gx.set_shape(inp.shape)
                return gx

            return res, grad

        h = numpy_layer(tf.matmul(x, w))

        def body(i, acc):
            peak = tf.py_func(lambda a: np.float32(np.abs(a).max()), [acc], tf.float32)
            peak.set_shape([])
            return i + 1, acc * 0.5 + 0.1 * tf.stop_gradient(peak)

        _, shrunk = tf.while_loop(lambda i, a: i < 2, body, [tf.constant(0), h])
        loss = tf.losses.sparse_softmax_cross_entropy(y, shrunk * 4.0)
        train = tf.train.AdamOptimizer(0.05).minimize(loss)
        out["names"] = [h.name, shrunk.name, counter.name, label_text.name]
        out["types"] = sorted({op.type for op in g.get_operations() if "PyFunc" in op.type})

        def source():
            for i in range(3):
                yield np.float32(i)

        it = iter(source())
        fed = tf.py_func(lambda: next(it), [], tf.float32, name="source")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            losses = []
            while True:
                try:
                    lv, _, c, txt = sess.run([loss, train, counter, label_text])
                except tf.errors.OutOfRangeError:
                    break
                losses.append(float(lv))
            out["losses"] = losses
            out["count"] = [int(c), len(calls), txt.decode()]
            got = []
            try:
                while True:
                    got.append(float(sess.run(fed)))
            except tf.errors.OutOfRangeError as e:
                out["source_error"] = type(e).__name__
            out["source"] = got
            out["w"] = np.round(sess.run(w), 5)[:2].tolist()
    return out


EXPECTED = {
    "ds_shapes": [[None, 8], [None], [None]],
    "names": ["IdentityN:0", "while/Exit_1:0", "counter:0", "EagerPyFunc:0"],
    "types": ["EagerPyFunc", "PyFunc"],
    "losses": [
        0.6027389764785767,
        0.7681273818016052,
        0.5571967363357544,
        0.4549022316932678,
        0.6606901288032532,
        0.5245260000228882,
    ],
    "count": [6, 6, "n=4"],
    "source_error": "OutOfRangeError",
    "source": [0.0, 1.0, 2.0],
    "w": [[0.0738999992609024, -0.3450300097465515], [0.0007699999841861427, 0.260670006275177]],
}


def test_py_func_model_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)


def test_py_function_calling_tf_ops_fails_clearly_and_leaves_the_graph_alone():
    # TF runs the function eagerly; scopeflow has no eager mode (NumPy on .numpy() works).
    with tf.Graph().as_default() as g:
        t = tf.py_function(lambda v: tf.as_string(v), [tf.constant(3)], tf.string)
        count = len(g.get_operations())
        with tf.Session() as sess:
            with pytest.raises(tf.errors.UnimplementedError, match="no eager mode"):
                sess.run(t)
        assert len(g.get_operations()) == count
