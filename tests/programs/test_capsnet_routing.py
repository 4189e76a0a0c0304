"""A CapsNet (Sabour et al.) as TF1 implementations built it: a conv layer, primary capsules
from a strided conv reshaped and squashed, prediction vectors by a batched tf.matmul of tiled
transformation weights, routing by agreement in a tf.while_loop (softmax over the output
capsules, weighted sums, squash, agreement by matmul with transpose_a added to the logits), the
margin loss, a decoder reconstructing the input from the label-masked capsules, Adam; then the
predicted class from capsule lengths.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    rng = np.random.RandomState(12)
    images = rng.rand(3, 8, 8, 1).astype(np.float32)
    labels = np.array([2, 0, 1], np.int64)
    n_out, out_dim, in_dim, iterations = 3, 6, 4, 3
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(13)
        X = tf.placeholder(tf.float32, [None, 8, 8, 1], name="X")
        y = tf.placeholder(tf.int64, [None], name="y")
        batch = tf.shape(X)[0]

        def squash(s, axis=-1, epsilon=1e-7, name=None):
            with tf.name_scope(name, default_name="squash"):
                sq = tf.reduce_sum(tf.square(s), axis=axis, keepdims=True)
                safe = tf.sqrt(sq + epsilon)
                return s * (sq / (1.0 + sq)) / safe

        conv1 = tf.layers.conv2d(X, 8, 3, activation=tf.nn.relu, name="conv1")
        conv2 = tf.layers.conv2d(
            conv1, 2 * in_dim, 3, strides=2, activation=tf.nn.relu, name="conv2"
        )
        n_in = 2 * 2 * 2
        caps1 = squash(tf.reshape(conv2, [-1, n_in, in_dim], name="caps1_raw"), name="caps1")
        W_init = tf.random_normal([1, n_in, n_out, out_dim, in_dim], stddev=0.1, seed=3)
        W = tf.Variable(W_init, name="W")
        W_tiled = tf.tile(W, [batch, 1, 1, 1, 1], name="W_tiled")
        caps1_tiled = tf.tile(
            tf.expand_dims(tf.expand_dims(caps1, -1), 2), [1, 1, n_out, 1, 1], name="caps1_tiled"
        )
        u_hat = tf.matmul(W_tiled, caps1_tiled, name="caps2_predicted")

        def route(i, logits, v):
            c = tf.nn.softmax(logits, axis=2, name="routing_weights")
            s = tf.reduce_sum(c * u_hat, axis=1, keepdims=True, name="weighted_sum")
            v = squash(s, axis=-2, name="caps2_output")
            v_tiled = tf.tile(v, [1, n_in, 1, 1, 1])
            agreement = tf.matmul(u_hat, v_tiled, transpose_a=True, name="agreement")
            return i + 1, logits + agreement, v

        logits0 = tf.zeros([batch, n_in, n_out, 1, 1], name="raw_weights")
        v0 = tf.zeros([batch, 1, n_out, out_dim, 1])
        _, _, caps2 = tf.while_loop(
            lambda i, logits, v: i < iterations, route, [0, logits0, v0], name="routing"
        )
        lengths = tf.sqrt(tf.reduce_sum(tf.square(caps2), axis=-2) + 1e-7)
        lengths = tf.reshape(lengths, [-1, n_out], name="caps_lengths")
        y_pred = tf.argmax(lengths, axis=1, name="y_pred")
        T = tf.one_hot(y, depth=n_out, name="T")
        present = tf.square(tf.maximum(0.0, 0.9 - lengths))
        absent = tf.square(tf.maximum(0.0, lengths - 0.1))
        L = tf.add(T * present, 0.5 * (1.0 - T) * absent, name="L")
        margin_loss = tf.reduce_mean(tf.reduce_sum(L, axis=1), name="margin_loss")
        mask = tf.reshape(T, [-1, 1, n_out, 1, 1], name="reconstruction_mask")
        decoder_in = tf.reshape(caps2 * mask, [-1, n_out * out_dim], name="decoder_input")
        with tf.name_scope("decoder"):
            h = tf.layers.dense(decoder_in, 16, activation=tf.nn.relu, name="hidden1")
            recon = tf.layers.dense(h, 64, activation=tf.nn.sigmoid, name="decoder_output")
        recon_loss = tf.reduce_mean(
            tf.reduce_sum(tf.square(tf.reshape(X, [-1, 64]) - recon), axis=1), name="recon_loss"
        )
        loss = tf.add(margin_loss, 0.0005 * recon_loss, name="loss")
        training_op = tf.train.AdamOptimizer(0.01).minimize(loss, name="training_op")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            losses = []
            for _ in range(3):
                lv, _ = sess.run([loss, training_op], {X: images, y: labels})
                losses.append(float(lv))
            lens, pred = sess.run([lengths, y_pred], {X: images})
            grad_w = sess.run(tf.gradients(margin_loss, W)[0], {X: images, y: labels})
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
            "names": [u_hat.name, caps2.name, lengths.name, loss.name, training_op.name],
            "shapes": [u_hat.shape.as_list(), caps2.shape.as_list(), decoder_in.shape.as_list()],
            "losses": losses,
            "lengths": lens.tolist(),
            "pred": pred.tolist(),
            "grad_w": grad_w[0, :2, 0, :, 0].tolist(),
        }


EXPECTED = {
    "vars": [
        ["conv1/kernel:0", [3, 3, 1, 8]],
        ["conv1/bias:0", [8]],
        ["conv2/kernel:0", [3, 3, 8, 8]],
        ["conv2/bias:0", [8]],
        ["W:0", [1, 8, 3, 6, 4]],
        ["hidden1/kernel:0", [18, 16]],
        ["hidden1/bias:0", [16]],
        ["decoder_output/kernel:0", [16, 64]],
        ["decoder_output/bias:0", [64]],
        ["beta1_power:0", []],
        ["beta2_power:0", []],
        ["conv1/kernel/Adam:0", [3, 3, 1, 8]],
        ["conv1/kernel/Adam_1:0", [3, 3, 1, 8]],
        ["conv1/bias/Adam:0", [8]],
        ["conv1/bias/Adam_1:0", [8]],
        ["conv2/kernel/Adam:0", [3, 3, 8, 8]],
        ["conv2/kernel/Adam_1:0", [3, 3, 8, 8]],
        ["conv2/bias/Adam:0", [8]],
        ["conv2/bias/Adam_1:0", [8]],
        ["W/Adam:0", [1, 8, 3, 6, 4]],
        ["W/Adam_1:0", [1, 8, 3, 6, 4]],
        ["hidden1/kernel/Adam:0", [18, 16]],
        ["hidden1/kernel/Adam_1:0", [18, 16]],
        ["hidden1/bias/Adam:0", [16]],
        ["hidden1/bias/Adam_1:0", [16]],
        ["decoder_output/kernel/Adam:0", [16, 64]],
        ["decoder_output/kernel/Adam_1:0", [16, 64]],
        ["decoder_output/bias/Adam:0", [64]],
        ["decoder_output/bias/Adam_1:0", [64]],
    ],
    "names": ["caps2_predicted:0", "routing/Exit_2:0", "caps_lengths:0", "loss:0", "training_op"],
    "shapes": [[None, 8, 3, 6, 1], [None, 1, 3, 6, 1], [None, 18]],
    "losses": [0.8104249835014343, 0.7964469790458679, 0.760820746421814],
    "lengths": [
        [0.08064727485179901, 0.055262498557567596, 0.05126878246665001],
        [0.09099556505680084, 0.06536192446947098, 0.04756525158882141],
        [0.07860779762268066, 0.06008115038275719, 0.03790472075343132],
    ],
    "pred": [0, 0, 0],
    "grad_w": [
        [
            -0.0014627344207838178,
            -0.002153560286387801,
            -0.00447582034394145,
            0.0030721607618033886,
            -0.002671305788680911,
            -0.003135294420644641,
        ],
        [
            -0.007783825974911451,
            -0.011410314589738846,
            -0.0237465538084507,
            0.016264263540506363,
            -0.014117511920630932,
            -0.016619522124528885,
        ],
    ],
}


def test_capsnet_routing_matches_tensorflow():
    close(program(tf), EXPECTED)
