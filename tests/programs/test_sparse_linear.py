"""A linear model on sparse features fed through sparse_placeholder as a SparseTensorValue:
sparse_tensor_dense_matmul, sparse softmax cross-entropy, Ftrl with L2; and sparse_reduce_sum,
sparse_softmax, sparse_concat, sparse_slice, sparse_add, sparse_to_indicator, sparse_reorder
with sparse_tensor_to_dense, sparse_retain and sparse_maximum.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(103)
        sp = tf.sparse_placeholder(tf.float32, name="feats")
        w = tf.get_variable("w", [6, 2], initializer=tf.truncated_normal_initializer(stddev=0.5))
        logits = tf.sparse_tensor_dense_matmul(sp, w)
        labels = tf.constant([0, 1, 1])
        loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
        train = tf.train.FtrlOptimizer(0.3, l2_regularization_strength=0.01).minimize(loss)
        value = tf.SparseTensorValue(
            indices=[[0, 1], [0, 4], [1, 0], [2, 2], [2, 5]],
            values=np.array([1.0, 0.5, 2.0, -1.0, 3.0], np.float32),
            dense_shape=[3, 6],
        )
        rsum = tf.sparse_reduce_sum(sp, axis=1)
        smax = tf.sparse_softmax(sp)
        cat = tf.sparse_concat(1, [sp, sp])
        sl = tf.sparse_slice(sp, [0, 1], [2, 4])
        added = tf.sparse_add(sp, tf.SparseTensor([[0, 1], [1, 1]], [10.0, 20.0], [3, 6]))
        ind = tf.sparse_to_indicator(
            tf.SparseTensor([[0, 0], [1, 0]], tf.constant([2, 5], tf.int64), [2, 1]), 6
        )
        dense = tf.sparse_tensor_to_dense(tf.sparse_reorder(sp))
        retained = tf.sparse_retain(sp, tf.constant([True, False, True, True, False]))
        maxed = tf.sparse_maximum(sp, tf.SparseTensor([[0, 1]], [5.0], [3, 6]))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            fd = {sp: value}
            losses = [float(sess.run([train, loss], fd)[1]) for _ in range(3)]
            r = sess.run([rsum, smax, cat, sl, added, ind, dense, retained, maxed], fd)

        def sv(x):
            return [x.indices.tolist(), [float(v) for v in x.values], x.dense_shape.tolist()]

        return {
            "losses": losses,
            "rsum": [float(v) for v in r[0]],
            "smax": sv(r[1]),
            "cat": sv(r[2]),
            "slice": sv(r[3]),
            "add": sv(r[4]),
            "indicator": r[5].tolist(),
            "dense": r[6].tolist(),
            "retain": sv(r[7]),
            "max": sv(r[8]),
            "names": [logits.name, rsum.name, cat.indices.name, added.values.name],
        }


EXPECTED = {
    "losses": [0.42998114228248596, 0.5441579222679138, 0.29421570897102356],
    "rsum": [1.5, 2.0, 2.0],
    "smax": [
        [[0, 1], [0, 4], [1, 0], [2, 2], [2, 5]],
        [0.622459352016449, 0.3775406777858734, 1.0, 0.01798621006309986, 0.9820137619972229],
        [3, 6],
    ],
    "cat": [
        [[0, 1], [0, 4], [0, 7], [0, 10], [1, 0], [1, 6], [2, 2], [2, 5], [2, 8], [2, 11]],
        [1.0, 0.5, 1.0, 0.5, 2.0, 2.0, -1.0, 3.0, -1.0, 3.0],
        [3, 12],
    ],
    "slice": [[[0, 0], [0, 3]], [1.0, 0.5], [2, 4]],
    "add": [
        [[0, 1], [0, 4], [1, 0], [1, 1], [2, 2], [2, 5]],
        [11.0, 0.5, 2.0, 20.0, -1.0, 3.0],
        [3, 6],
    ],
    "indicator": [
        [False, False, True, False, False, False],
        [False, False, False, False, False, True],
    ],
    "dense": [
        [0.0, 1.0, 0.0, 0.0, 0.5, 0.0],
        [2.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        [0.0, 0.0, -1.0, 0.0, 0.0, 3.0],
    ],
    "retain": [[[0, 1], [1, 0], [2, 2]], [1.0, 2.0, -1.0], [3, 6]],
    "max": [[[0, 1], [0, 4], [1, 0], [2, 2], [2, 5]], [5.0, 0.5, 2.0, 0.0, 3.0], [3, 6]],
    "names": [
        "SparseTensorDenseMatMul/SparseTensorDenseMatMul:0",
        "SparseReduceSum:0",
        "SparseConcat:0",
        "SparseAdd:1",
    ],
}


def test_sparse_linear_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
