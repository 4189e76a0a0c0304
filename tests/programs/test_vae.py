"""A variational autoencoder in TF1 style: tf.layers.dense encoder and decoder in variable scopes,
the reparameterization with tf.random_normal, KL term, Adam, and the decoder reused for samples.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(3)
        x = tf.placeholder(tf.float32, [None, 12], name="x")

        def encoder(x):
            with tf.variable_scope("encoder"):
                h = tf.layers.dense(x, 10, activation=tf.nn.relu, name="h1")
                mu = tf.layers.dense(h, 3, name="mu")
                log_var = tf.layers.dense(h, 3, name="log_var")
            return mu, log_var

        def decoder(z, reuse=False):
            with tf.variable_scope("decoder", reuse=reuse):
                h = tf.layers.dense(z, 10, tf.nn.relu, name="h1")
                logits = tf.layers.dense(h, 12, name="out")
            return logits

        mu, log_var = encoder(x)
        eps = tf.random_normal(tf.shape(mu), 0, 1, dtype=tf.float32, seed=5)
        z = tf.add(mu, tf.exp(log_var / 2) * eps, name="z")
        logits = decoder(z)
        recon = tf.reduce_sum(tf.nn.sigmoid_cross_entropy_with_logits(labels=x, logits=logits), 1)
        kl = -0.5 * tf.reduce_sum(1 + log_var - tf.square(mu) - tf.exp(log_var), axis=1)
        loss = tf.reduce_mean(recon + kl, name="loss")
        train = tf.train.AdamOptimizer(0.01).minimize(loss)
        z_in = tf.placeholder(tf.float32, [None, 3], name="z_in")
        samples = tf.nn.sigmoid(decoder(z_in, reuse=True))
        rng = np.random.RandomState(1)
        data = (rng.rand(16, 12) > 0.5).astype(np.float32)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            losses = []
            for i in range(6):
                _, lv = sess.run([train, loss], {x: data[(i % 2) * 8 : (i % 2) * 8 + 8]})
                losses.append(float(lv))
            s = sess.run(samples, {z_in: np.ones((2, 3), np.float32)})
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
            "names": [z.name, loss.name, samples.name, logits.name, kl.name, train.name],
            "losses": losses,
            "samples": [float(v) for v in s[0, :4]],
        }


EXPECTED = {
    "vars": [
        ["encoder/h1/kernel:0", [12, 10]],
        ["encoder/h1/bias:0", [10]],
        ["encoder/mu/kernel:0", [10, 3]],
        ["encoder/mu/bias:0", [3]],
        ["encoder/log_var/kernel:0", [10, 3]],
        ["encoder/log_var/bias:0", [3]],
        ["decoder/h1/kernel:0", [3, 10]],
        ["decoder/h1/bias:0", [10]],
        ["decoder/out/kernel:0", [10, 12]],
        ["decoder/out/bias:0", [12]],
        ["beta1_power:0", []],
        ["beta2_power:0", []],
        ["encoder/h1/kernel/Adam:0", [12, 10]],
        ["encoder/h1/kernel/Adam_1:0", [12, 10]],
        ["encoder/h1/bias/Adam:0", [10]],
        ["encoder/h1/bias/Adam_1:0", [10]],
        ["encoder/mu/kernel/Adam:0", [10, 3]],
        ["encoder/mu/kernel/Adam_1:0", [10, 3]],
        ["encoder/mu/bias/Adam:0", [3]],
        ["encoder/mu/bias/Adam_1:0", [3]],
        ["encoder/log_var/kernel/Adam:0", [10, 3]],
        ["encoder/log_var/kernel/Adam_1:0", [10, 3]],
        ["encoder/log_var/bias/Adam:0", [3]],
        ["encoder/log_var/bias/Adam_1:0", [3]],
        ["decoder/h1/kernel/Adam:0", [3, 10]],
        ["decoder/h1/kernel/Adam_1:0", [3, 10]],
        ["decoder/h1/bias/Adam:0", [10]],
        ["decoder/h1/bias/Adam_1:0", [10]],
        ["decoder/out/kernel/Adam:0", [10, 12]],
        ["decoder/out/kernel/Adam_1:0", [10, 12]],
        ["decoder/out/bias/Adam:0", [12]],
        ["decoder/out/bias/Adam_1:0", [12]],
    ],
    "names": ["z:0", "loss:0", "Sigmoid:0", "decoder/out/BiasAdd:0", "mul_1:0", "Adam"],
    "losses": [
        9.408400535583496,
        8.605693817138672,
        8.702285766601562,
        9.331025123596191,
        9.051924705505371,
        8.71573257446289,
    ],
    "samples": [0.5799516439437866, 0.6397508382797241, 0.5927428007125854, 0.37026792764663696],
}


def test_vae_matches_tensorflow():
    close(program(tf), EXPECTED)
