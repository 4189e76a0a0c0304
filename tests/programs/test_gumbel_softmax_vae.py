"""A categorical VAE with the Gumbel-softmax relaxation (Jang et al.), its encoder and decoder
shared through tf.make_template: Gumbel noise from a seeded random_uniform, a softmax at a
temperature fed through a placeholder and annealed from NumPy by exp(-rate * step), the
straight-through hard sample (one_hot of the argmax plus stop_gradient of the difference),
Bernoulli decoder logits with sigmoid cross-entropy, the KL to a uniform prior, Adam; then the
templates called again for reconstructions, sharing their variables.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    rng = np.random.RandomState(44)
    data = (rng.rand(6, 8) > 0.5).astype(np.float32)
    n_dist, n_cat = 2, 3
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(45)
        x = tf.placeholder(tf.float32, [None, 8], name="x")
        tau = tf.placeholder(tf.float32, [], name="temperature")

        def encoder(inputs):
            h = tf.layers.dense(inputs, 10, tf.nn.relu, name="h1")
            return tf.reshape(
                tf.layers.dense(h, n_dist * n_cat, name="logits"), [-1, n_dist, n_cat]
            )

        def decoder(z):
            h = tf.layers.dense(tf.reshape(z, [-1, n_dist * n_cat]), 10, tf.nn.relu, name="h1")
            return tf.layers.dense(h, 8, name="x_logits")

        encode = tf.make_template("encoder", encoder)
        decode = tf.make_template("decoder", decoder)

        def gumbel_softmax(logits, temperature, hard):
            u = tf.random_uniform(tf.shape(logits), minval=0, maxval=1, seed=2)
            gumbel = -tf.log(-tf.log(u + 1e-20) + 1e-20)
            y = tf.nn.softmax((logits + gumbel) / temperature)
            if hard:
                y_hard = tf.one_hot(tf.argmax(y, -1), n_cat)
                y = tf.stop_gradient(y_hard - y) + y
            return y

        logits_y = encode(x)
        q_y = tf.nn.softmax(logits_y)
        log_q_y = tf.log(q_y + 1e-20)
        z = gumbel_softmax(logits_y, tau, hard=True)
        x_logits = decode(z)
        recons = tf.reduce_sum(
            tf.nn.sigmoid_cross_entropy_with_logits(labels=x, logits=x_logits), 1
        )
        kl = tf.reduce_sum(q_y * (log_q_y - tf.log(1.0 / n_cat)), [1, 2])
        elbo = tf.reduce_mean(recons + kl, name="neg_elbo")
        train_op = tf.train.AdamOptimizer(0.01).minimize(elbo)
        mean_recon = tf.nn.sigmoid(decode(tf.one_hot(tf.argmax(encode(x), -1), n_cat)))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            losses, temps = [], []
            for step in range(4):
                temperature = max(0.5, 1.0 * np.exp(-0.3 * step))
                lv, _ = sess.run([elbo, train_op], {x: data, tau: temperature})
                losses.append(float(lv))
                temps.append(temperature)
            codes, recon = sess.run([z, mean_recon], {x: data, tau: 0.5})
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
            "template_vars": [v.name for v in encode.trainable_variables + decode.variables],
            "names": [logits_y.name, z.name, x_logits.name, elbo.name, mean_recon.name],
            "losses": losses,
            "temperatures": temps,
            "codes": codes.argmax(-1).tolist(),
            "code_sums": codes.sum(-1).tolist(),
            "recon": recon[:2].tolist(),
        }


EXPECTED = {
    "vars": [
        ["encoder/h1/kernel:0", [8, 10]],
        ["encoder/h1/bias:0", [10]],
        ["encoder/logits/kernel:0", [10, 6]],
        ["encoder/logits/bias:0", [6]],
        ["decoder/h1/kernel:0", [6, 10]],
        ["decoder/h1/bias:0", [10]],
        ["decoder/x_logits/kernel:0", [10, 8]],
        ["decoder/x_logits/bias:0", [8]],
        ["beta1_power:0", []],
        ["beta2_power:0", []],
        ["encoder/h1/kernel/Adam:0", [8, 10]],
        ["encoder/h1/kernel/Adam_1:0", [8, 10]],
        ["encoder/h1/bias/Adam:0", [10]],
        ["encoder/h1/bias/Adam_1:0", [10]],
        ["encoder/logits/kernel/Adam:0", [10, 6]],
        ["encoder/logits/kernel/Adam_1:0", [10, 6]],
        ["encoder/logits/bias/Adam:0", [6]],
        ["encoder/logits/bias/Adam_1:0", [6]],
        ["decoder/h1/kernel/Adam:0", [6, 10]],
        ["decoder/h1/kernel/Adam_1:0", [6, 10]],
        ["decoder/h1/bias/Adam:0", [10]],
        ["decoder/h1/bias/Adam_1:0", [10]],
        ["decoder/x_logits/kernel/Adam:0", [10, 8]],
        ["decoder/x_logits/kernel/Adam_1:0", [10, 8]],
        ["decoder/x_logits/bias/Adam:0", [8]],
        ["decoder/x_logits/bias/Adam_1:0", [8]],
    ],
    "template_vars": [
        "encoder/h1/kernel:0",
        "encoder/h1/bias:0",
        "encoder/logits/kernel:0",
        "encoder/logits/bias:0",
        "decoder/h1/kernel:0",
        "decoder/h1/bias:0",
        "decoder/x_logits/kernel:0",
        "decoder/x_logits/bias:0",
        "decoder/h1/kernel/Adam:0",
        "decoder/h1/kernel/Adam_1:0",
        "decoder/h1/bias/Adam:0",
        "decoder/h1/bias/Adam_1:0",
        "decoder/x_logits/kernel/Adam:0",
        "decoder/x_logits/kernel/Adam_1:0",
        "decoder/x_logits/bias/Adam:0",
        "decoder/x_logits/bias/Adam_1:0",
    ],
    "names": [
        "encoder/Reshape:0",
        "add_4:0",
        "decoder/x_logits/BiasAdd:0",
        "neg_elbo:0",
        "Sigmoid:0",
    ],
    "losses": [5.763687610626221, 5.7246270179748535, 5.762607574462891, 5.734822750091553],
    "temperatures": [1.0, 0.7408182206817179, 0.5488116360940264, 0.5],
    "codes": [[1, 2], [2, 1], [0, 2], [1, 1], [1, 2], [2, 2]],
    "code_sums": [[1.0, 1.0], [1.0, 1.0], [1.0, 1.0], [1.0, 1.0], [1.0, 1.0], [1.0, 1.0]],
    "recon": [
        [
            0.4586767852306366,
            0.4697023928165436,
            0.5290501117706299,
            0.4988769590854645,
            0.5898773670196533,
            0.5604842901229858,
            0.48299935460090637,
            0.5694915652275085,
        ],
        [
            0.3377719223499298,
            0.5885422825813293,
            0.6187180280685425,
            0.6080269813537598,
            0.5027378797531128,
            0.4763450026512146,
            0.4403514862060547,
            0.6123199462890625,
        ],
    ],
}


def test_gumbel_softmax_vae_matches_tensorflow():
    close(program(tf), EXPECTED)
