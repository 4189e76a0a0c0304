"""K-means clustering as TF1 users wrote it before tf.contrib.factorization: centroids in a
non-trainable variable seeded from a shuffled sample of the points, squared distances by
broadcasting, argmin assignments, new centroids from unsorted_segment_sum (an empty cluster
keeps its old centroid through tf.where), an assign per Lloyd step, then a mini-batch variant
that moves centroids with scatter_sub and per-centroid counts, and a Saver round trip.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import os

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    k, dim = 3, 2
    rng = np.random.RandomState(4)
    centres = np.array([[0.0, 0.0], [3.0, 3.0], [-3.0, 2.5]], np.float32)
    data = np.concatenate([c + rng.randn(20, dim).astype(np.float32) * 1.3 for c in centres])
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(7)
        points = tf.constant(data, name="points")
        init = tf.slice(tf.random_shuffle(points, seed=1), [0, 0], [k, -1])
        # a deterministic start for the comparison of values; the shuffled one is built too
        start = tf.constant(data[[0, 20, 40]] + np.float32(0.8), name="start")
        centroids = tf.get_variable(
            "centroids",
            initializer=start,
            trainable=False,
            collections=[tf.GraphKeys.GLOBAL_VARIABLES, "kmeans"],
        )
        counts = tf.get_variable("counts", [k], tf.float32, tf.zeros_initializer(), trainable=False)
        with tf.name_scope("assign"):
            diff = tf.expand_dims(points, 1) - tf.expand_dims(centroids, 0)
            dist = tf.reduce_sum(tf.square(diff), axis=2)
            labels = tf.argmin(dist, axis=1, output_type=tf.int32)
            inertia = tf.reduce_sum(tf.reduce_min(dist, axis=1), name="inertia")
        with tf.name_scope("update"):
            sums = tf.unsorted_segment_sum(points, labels, k)
            sizes = tf.unsorted_segment_sum(tf.ones_like(labels, tf.float32), labels, k)
            means = sums / tf.maximum(sizes, 1.0)[:, None]
            new_c = tf.where(sizes > 0, means, centroids)
            lloyd = tf.assign(centroids, new_c, name="lloyd")
        batch_idx = tf.placeholder(tf.int32, [None], name="batch_idx")
        with tf.name_scope("minibatch"):
            xb = tf.gather(points, batch_idx)
            db = tf.reduce_sum(tf.square(xb[:, None, :] - centroids[None]), -1)
            lb = tf.argmin(db, 1)
            inc = tf.scatter_add(counts, lb, tf.ones_like(lb, tf.float32))
            with tf.control_dependencies([inc]):
                rate = 1.0 / tf.gather(counts, lb)
                step = rate[:, None] * (tf.gather(centroids, lb) - xb)
                mb = tf.scatter_sub(centroids, lb, step)
        hist = tf.math.bincount(labels, minlength=k, dtype=tf.int32)
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            init_v = sess.run(init)
            trace = []
            for _ in range(5):
                i_v, _ = sess.run([inertia, lloyd])
                trace.append(float(i_v))
            c_lloyd = sess.run(centroids)
            lab = sess.run(labels)
            for _ in range(3):
                sess.run(mb, {batch_idx: rng.choice(60, 10, replace=False)})
            c_mb, cnt, h = sess.run([centroids, counts, hist])
            path = saver.save(sess, os.path.join(workdir, "km"))
        with tf.Session() as sess:
            saver.restore(sess, path)
            back = sess.run(centroids)
        keys = sorted(tf.train.list_variables(path))
    return {
        "vars": [[v.name, v.shape.as_list()] for v in g.get_collection("variables")],
        "kmeans": [v.name for v in g.get_collection("kmeans")],
        "trainable": [v.name for v in g.get_collection("trainable_variables")],
        "names": [
            dist.name,
            labels.name,
            inertia.name,
            sums.name,
            new_c.name,
            lloyd.name,
            mb.name,
            hist.name,
            init.name,
        ],
        "types": [
            dist.op.type,
            labels.op.type,
            sums.op.type,
            new_c.op.type,
            mb.op.type,
            hist.op.type,
        ],
        "init": init_v.tolist(),
        "inertia": trace,
        "lloyd": c_lloyd.round(5).tolist(),
        "labels": "".join(str(i) for i in lab),
        "minibatch": c_mb.round(5).tolist(),
        "counts": cnt.tolist(),
        "hist": h.tolist(),
        "restored": bool(np.allclose(back, c_mb)),
        "keys": [[name, shape] for name, shape in keys],
    }


EXPECTED = {
    "vars": [["centroids:0", [3, 2]], ["counts:0", [3]]],
    "kmeans": ["centroids:0"],
    "trainable": [],
    "names": [
        "assign/Sum:0",
        "assign/ArgMin:0",
        "assign/inertia:0",
        "update/UnsortedSegmentSum:0",
        "update/Select:0",
        "update/lloyd:0",
        "minibatch/ScatterSub:0",
        "bincount/DenseBincount:0",
        "Slice:0",
    ],
    "types": ["Sum", "ArgMin", "UnsortedSegmentSum", "Select", "ScatterSub", "DenseBincount"],
    "init": [
        [-3.644564151763916, 2.2770960330963135],
        [-2.040278911590576, 3.3459792137145996],
        [4.653364181518555, 2.158062219619751],
    ],
    "inertia": [
        275.13690185546875,
        195.2951202392578,
        183.08990478515625,
        180.57054138183594,
        180.57054138183594,
    ],
    "lloyd": [
        [-0.19147999584674835, 0.18421000242233276],
        [3.1958200931549072, 2.9738900661468506],
        [-3.420219898223877, 2.484600067138672],
    ],
    "labels": "000000000000100000101111111111111111111122222222222202202202",
    "minibatch": [
        [0.6383299827575684, -0.6109200119972229],
        [3.2307400703430176, 2.800960063934326],
        [-3.2399001121520996, 2.2183399200439453],
    ],
    "counts": [7.0, 17.0, 6.0],
    "hist": [15, 22, 23],
    "restored": True,
    "keys": [["centroids", [3, 2]], ["counts", [3]]],
}


def test_kmeans_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
