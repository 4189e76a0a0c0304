"""slim's (tf.contrib's) streaming_concat gathering an evaluation's outputs: along the first axis
(its array reallocated by 1.5x as batches come), along axis 1 under a name, and capped by
max_size with updates_collections; the array's capacity after each batch, the values, names,
local variables and TF's errors. (The reference ran tf_slim's metrics.)

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    metrics = tf.contrib.slim.metrics
    rng = np.random.RandomState(3)
    out = {}
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, [None, 2])
        y = tf.placeholder(tf.int32, [3, None])
        a, a_up = metrics.streaming_concat(x)
        b, b_up = metrics.streaming_concat(y, axis=1, name="cols")
        c, c_up = metrics.streaming_concat(x, max_size=4, updates_collections=["u"])
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            sizes = []
            for n in (2, 3, 1, 4):
                fd = {x: rng.rand(n, 2).astype(np.float32), y: rng.randint(0, 9, (3, n))}
                sess.run([a_up, b_up, c_up], fd)
                sizes.append(
                    [
                        list(sess.run(a).shape),
                        list(sess.run(b).shape),
                        list(sess.run(c).shape),
                        int(sess.run("streaming_concat/array:0").shape[0]),
                    ]
                )
            va, vb, vc = sess.run([a, b, c])
        out["sizes"] = sizes
        out["a"] = [float(v) for v in va.ravel()[:6]] + [float(va.sum())]
        out["b"] = vb.tolist()
        out["c"] = [float(v) for v in vc.ravel()]
        out["names"] = [a.name, a_up.name, b.name, c.name]
        out["shapes"] = [a.shape.as_list(), b.shape.as_list()]
        out["locals"] = sorted(v.op.name for v in tf.local_variables())
        out["u"] = [t.name for t in tf.get_collection("u")]
    for bad in ({"axis": 2}, {"values": "unknown"}):
        try:
            with tf.Graph().as_default():
                v = tf.placeholder(tf.float32) if "values" in bad else tf.zeros([2, 2])
                metrics.streaming_concat(v, axis=bad.get("axis", 0))
        except ValueError as e:
            out[str(sorted(bad))] = str(e)
    return out


EXPECTED = {
    "sizes": [
        [[2, 2], [3, 2], [2, 2], 3],
        [[5, 2], [3, 5], [4, 2], 6],
        [[6, 2], [3, 6], [4, 2], 6],
        [[10, 2], [3, 10], [4, 2], 12],
    ],
    "a": [
        0.5507978796958923,
        0.7081478238105774,
        0.2909047305583954,
        0.5108276009559631,
        0.029876211658120155,
        0.45683321356773376,
        9.570772171020508,
    ],
    "b": [
        [3, 5, 1, 3, 5, 4, 5, 1, 1, 1],
        [7, 6, 8, 1, 8, 1, 5, 5, 7, 4],
        [0, 4, 7, 8, 1, 5, 3, 0, 0, 0],
    ],
    "c": [
        0.5507978796958923,
        0.7081478238105774,
        0.2909047305583954,
        0.5108276009559631,
        0.029876211658120155,
        0.45683321356773376,
        0.6491440534591675,
        0.27848729491233826,
    ],
    "names": [
        "streaming_concat/concat:0",
        "streaming_concat/Assign:0",
        "cols/concat:0",
        "streaming_concat_1/concat:0",
    ],
    "shapes": [[None, 2], [3, None]],
    "locals": [
        "cols/array",
        "cols/size",
        "streaming_concat/array",
        "streaming_concat/size",
        "streaming_concat_1/array",
        "streaming_concat_1/size",
    ],
    "u": ["streaming_concat_1/Assign:0"],
    "['axis']": "axis = 2 not in [0, 2)",
    "['values']": "`values` must have known statically known rank",
}


def test_slim_streaming_concat_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
