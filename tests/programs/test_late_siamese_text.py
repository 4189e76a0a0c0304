"""A Siamese text matcher with a contrastive loss runs unchanged: one embedding table, an
encoder (embedding_lookup, a padding mask, tf.layers.conv1d, masked mean pooling,
tf.layers.dense, tf.nn.l2_normalize) built under variable_scope("encoder") and rebuilt with
reuse=True for the second text, cosine similarity by reduce_sum, tf.losses.cosine_distance
with Reduction.NONE, a margin contrastive loss under Adagrad, thresholded predictions.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled): the shared variables, both towers'
op names (encoder/, encoder_1/), the cosine_distance_loss name and static shape, five losses,
the trained cosines, distances and predictions.
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    rng = np.random.RandomState(808)
    vocab, length = 20, 5
    left = rng.randint(1, vocab, [6, length]).astype(np.int32)
    right = rng.randint(1, vocab, [6, length]).astype(np.int32)
    left[:, 4] = 0  # padding id 0
    same = np.array([1, 0, 1, 1, 0, 0], np.float32)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(21)
        a = tf.placeholder(tf.int32, [None, length], name="left")
        b = tf.placeholder(tf.int32, [None, length], name="right")
        y = tf.placeholder(tf.float32, [None], name="same")
        emb = tf.get_variable("embedding", [vocab, 8])

        def encoder(ids, reuse):
            with tf.variable_scope("encoder", reuse=reuse):
                x = tf.nn.embedding_lookup(emb, ids)
                mask = tf.cast(tf.not_equal(ids, 0), tf.float32)
                x = tf.layers.conv1d(x, 6, 3, padding="same", activation=tf.nn.relu,
                                     name="conv")
                pooled = tf.reduce_sum(x * mask[:, :, None], 1) / tf.reduce_sum(
                    mask, 1, keepdims=True)
                out = tf.layers.dense(pooled, 4, name="proj")
                return tf.nn.l2_normalize(out, axis=1)

        ea, eb = encoder(a, False), encoder(b, True)
        cos = tf.reduce_sum(ea * eb, axis=1, name="cosine")
        dist = tf.losses.cosine_distance(ea, eb, axis=1, reduction=tf.losses.Reduction.NONE)
        margin = 0.5
        contrastive = tf.reduce_mean(
            y * tf.square(1.0 - cos) + (1.0 - y) * tf.square(tf.maximum(cos - margin, 0.0)))
        train = tf.train.AdagradOptimizer(0.5).minimize(contrastive)
        feed = {a: left, b: right, y: same}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            losses = [float(sess.run([contrastive, train], feed)[0]) for _ in range(5)]
            c, d = sess.run([cos, dist], feed)
            pred = sess.run(tf.cast(cos > 0.5, tf.int32), feed)
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.trainable_variables()],
            "names": [ea.name, eb.name, cos.name, dist.name, contrastive.name],
            "dist_shape": dist.shape.as_list(),
            "losses": losses,
            "cosine": c.tolist(),
            "distance": d[:, 0].tolist(),
            "pred": pred.tolist(),
        }


EXPECTED = {'vars': [['embedding:0', [20, 8]],
          ['encoder/conv/kernel:0', [3, 8, 6]],
          ['encoder/conv/bias:0', [6]],
          ['encoder/proj/kernel:0', [6, 4]],
          ['encoder/proj/bias:0', [4]]],
 'names': ['encoder/l2_normalize:0',
           'encoder_1/l2_normalize:0',
           'cosine:0',
           'cosine_distance_loss/Mul_1:0',
           'Mean:0'],
 'dist_shape': [None, 1],
 'losses': [0.09834136813879013,
            0.08746907860040665,
            0.025334926322102547,
            0.008586089126765728,
            0.02256694622337818],
 'cosine': [0.6519472002983093,
            0.4791753888130188,
            0.7329365611076355,
            0.9884253144264221,
            0.44625890254974365,
            0.46314021944999695],
 'distance': [0.3480527997016907,
              0.5208246111869812,
              0.2670634388923645,
              0.01157468557357788,
              0.5537410974502563,
              0.5368597507476807],
 'pred': [1, 0, 1, 1, 0, 0]}


def test_program_matches_tf():
    close(program(tf), EXPECTED)
