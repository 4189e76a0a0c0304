"""A message-passing graph network: gather over edges, unsorted_segment_sum/mean/max pooling,
scatter_nd, a tf.custom_gradient clipping, gradient_override_map, scan, map_fn and foldl over the
outputs, tf.gradients with stop_gradients, ProximalGradientDescent, and tf.hessians (values only:
scopeflow unrolls TF's while_loop of gradients, so the Hessian's op names differ).

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    rng = np.random.RandomState(22)
    n_nodes, feat = 6, 3
    xs = rng.rand(n_nodes, feat).astype(np.float32)
    edges = np.array([[0, 1], [1, 2], [2, 0], [3, 4], [4, 5], [5, 3], [0, 3]], np.int32)
    graph_ids = np.array([0, 0, 0, 1, 1, 1], np.int32)
    targets = np.array([1.0, -1.0], np.float32)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(19)
        x = tf.placeholder(tf.float32, [None, feat], name="nodes")
        e = tf.placeholder(tf.int32, [None, 2], name="edges")
        gid = tf.placeholder(tf.int32, [None], name="graph_ids")
        y = tf.placeholder(tf.float32, [None], name="targets")

        @tf.custom_gradient
        def clip_grad(t):
            def grad(dy):
                return tf.clip_by_value(dy, -0.1, 0.1)

            return tf.identity(t), grad

        h = x
        for layer in range(2):
            with tf.variable_scope(f"mp_{layer}"):
                msg = tf.layers.dense(tf.gather(h, e[:, 0]), 4, name="message")
                agg = tf.unsorted_segment_sum(msg, e[:, 1], tf.shape(h)[0])
                deg = tf.unsorted_segment_sum(
                    tf.ones_like(e[:, 1:], tf.float32), e[:, 1], tf.shape(h)[0]
                )
                h = tf.nn.relu(tf.layers.dense(h, 4, name="self") + agg / tf.maximum(deg, 1.0))
                h = clip_grad(h)
        pooled = tf.unsorted_segment_mean(h, gid, 2)
        pooled_max = tf.math.unsorted_segment_max(h, gid, 2)
        scattered = tf.scatter_nd(tf.expand_dims(gid, 1), h, [2, 4])
        out = tf.squeeze(tf.layers.dense(tf.concat([pooled, pooled_max], 1), 1, name="readout"), 1)
        loss = tf.reduce_mean(tf.square(out - y))
        g_override = tf.get_default_graph()
        with g_override.gradient_override_map({"Square": "Square"}):
            extra = tf.square(out)
        cums = tf.scan(lambda acc, v: acc * 0.5 + v, out, initializer=tf.constant(0.0))
        mapped = tf.map_fn(lambda row: tf.reduce_max(row), h)
        folded = tf.foldl(lambda acc, v: acc + v, mapped)
        grads = tf.gradients(loss, tf.trainable_variables())
        gs_stop = tf.gradients(loss + tf.reduce_sum(pooled), [x], stop_gradients=[pooled])[0]
        train = tf.train.ProximalGradientDescentOptimizer(
            0.1, l1_regularization_strength=0.01
        ).minimize(loss)
        w0 = tf.trainable_variables()[0]
        hess = tf.hessians(tf.reduce_sum(tf.square(w0) * tf.reduce_sum(w0)), w0)[0]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            feed = {x: xs, e: edges, gid: graph_ids, y: targets}
            losses = []
            for _ in range(4):
                _, lv = sess.run([train, loss], feed)
                losses.append(float(lv))
            vals = sess.run([pooled, pooled_max, scattered, cums, folded, extra, gs_stop], feed)
            gnorm = sess.run([tf.global_norm(grads)], feed)[0]
            hv = sess.run(hess)
    return {
        "vars": [[v.name, v.shape.as_list()] for v in g.get_collection("variables")],
        "names": [
            agg.name,
            pooled.name,
            pooled_max.name,
            scattered.name,
            out.name,
            cums.name,
            mapped.name,
            folded.name,
            gs_stop.name,
            h.name,
        ],
        "hess_shape": list(hv.shape),
        "hess_trace": float(np.trace(hv.reshape(w0.shape.num_elements(), -1))),
        "losses": losses,
        "vals": [[round(float(v), 5) for v in np.ravel(a)] for a in vals],
        "gnorm": float(gnorm),
    }


EXPECTED = {
    "vars": [
        ["mp_0/message/kernel:0", [3, 4]],
        ["mp_0/message/bias:0", [4]],
        ["mp_0/self/kernel:0", [3, 4]],
        ["mp_0/self/bias:0", [4]],
        ["mp_1/message/kernel:0", [4, 4]],
        ["mp_1/message/bias:0", [4]],
        ["mp_1/self/kernel:0", [4, 4]],
        ["mp_1/self/bias:0", [4]],
        ["readout/kernel:0", [8, 1]],
        ["readout/bias:0", [1]],
    ],
    "names": [
        "mp_1/UnsortedSegmentSum:0",
        "UnsortedSegmentMean/truediv:0",
        "UnsortedSegmentMax:0",
        "ScatterNd:0",
        "Squeeze:0",
        "scan/TensorArrayStack/TensorArrayGatherV3:0",
        "map/TensorArrayStack/TensorArrayGatherV3:0",
        "foldl/while/Exit_2:0",
        "gradients_1/AddN_2:0",
        "mp_1/IdentityN:0",
    ],
    "hess_shape": [3, 4, 3, 4],
    "hess_trace": 66.26575469970703,
    "losses": [0.9031088352203369, 0.820565402507782, 0.7712298631668091, 0.7053025960922241],
    "vals": [
        [0.0, 0.0, 0.19504, 0.26654, 0.0, 0.0, 0.07289, 0.48694],
        [0.0, 0.0, 0.58513, 0.75991, 0.0, 0.0, 0.12823, 0.79429],
        [0.0, 0.0, 0.58513, 0.79963, 0.0, 0.0, 0.21866, 1.46081],
        [0.14164, -0.14707],
        [2.26045],
        [0.02006, 0.04748],
        [
            0.06168,
            -0.02629,
            -0.0537,
            -0.01476,
            0.05141,
            0.01154,
            0.01671,
            0.02496,
            -0.01437,
            0.10103,
            0.07391,
            -0.07643,
            0.00603,
            -0.01158,
            -0.00537,
            0.05069,
            -0.02736,
            -0.06031,
        ],
    ],
    "gnorm": 0.5212433934211731,
}


def test_graph_network_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
