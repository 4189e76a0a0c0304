"""A DCGAN in TF1 style: generator and discriminator variable scopes (the discriminator reused),
tf.layers conv/deconv/batch norm, separate var_lists, two Adam optimizers run under the
UPDATE_OPS control dependency.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(5)
        batch, zdim = 4, 5

        def generator(z, training):
            with tf.variable_scope("generator"):
                h = tf.layers.dense(z, 2 * 2 * 8, name="fc")
                h = tf.reshape(h, [-1, 2, 2, 8])
                h = tf.nn.relu(tf.layers.batch_normalization(h, training=training, name="bn0"))
                h = tf.layers.conv2d_transpose(h, 4, 5, strides=2, padding="same", name="deconv1")
                h = tf.nn.relu(tf.layers.batch_normalization(h, training=training, name="bn1"))
                h = tf.layers.conv2d_transpose(h, 1, 5, strides=2, padding="same", name="deconv2")
                return tf.nn.tanh(h)

        def discriminator(x, reuse=False):
            with tf.variable_scope("discriminator", reuse=reuse):
                h = tf.layers.conv2d(x, 4, 5, strides=2, padding="same", name="conv1")
                h = tf.nn.leaky_relu(h, alpha=0.2)
                h = tf.layers.conv2d(h, 8, 5, strides=2, padding="same", name="conv2")
                h = tf.layers.batch_normalization(h, training=True, name="bn2")
                h = tf.maximum(0.2 * h, h)
                h = tf.layers.flatten(h)
                logits = tf.layers.dense(h, 1, name="out")
                return tf.nn.sigmoid(logits), logits

        z = tf.placeholder(tf.float32, [None, zdim], name="z")
        real = tf.placeholder(tf.float32, [None, 8, 8, 1], name="real_images")
        fake = generator(z, True)
        d_real, d_real_logits = discriminator(real)
        d_fake, d_fake_logits = discriminator(fake, reuse=True)
        xent = tf.nn.sigmoid_cross_entropy_with_logits
        d_loss = tf.reduce_mean(
            xent(logits=d_real_logits, labels=tf.ones_like(d_real))
        ) + tf.reduce_mean(xent(logits=d_fake_logits, labels=tf.zeros_like(d_fake)))
        g_loss = tf.reduce_mean(xent(logits=d_fake_logits, labels=tf.ones_like(d_fake)))
        t_vars = tf.trainable_variables()
        d_vars = [v for v in t_vars if "discriminator" in v.name]
        g_vars = [v for v in t_vars if "generator" in v.name]
        update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
        with tf.control_dependencies(update_ops):
            d_optim = tf.train.AdamOptimizer(0.0002, beta1=0.5).minimize(d_loss, var_list=d_vars)
            g_optim = tf.train.AdamOptimizer(0.0002, beta1=0.5).minimize(g_loss, var_list=g_vars)
        rng = np.random.RandomState(2)
        with tf.Session() as sess:
            tf.global_variables_initializer().run()
            dl, gl = [], []
            for _ in range(3):
                zb = rng.uniform(-1, 1, (batch, zdim)).astype(np.float32)
                xb = rng.uniform(-1, 1, (batch, 8, 8, 1)).astype(np.float32)
                _, a = sess.run([d_optim, d_loss], {z: zb, real: xb})
                _, b = sess.run([g_optim, g_loss], {z: zb, real: xb})
                dl.append(float(a))
                gl.append(float(b))
            mm = sess.run([v for v in tf.global_variables() if "moving_mean" in v.name][0])
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
            "update_ops": [op.name for op in update_ops],
            "names": [
                fake.name,
                d_real.name,
                d_fake_logits.name,
                d_loss.name,
                g_loss.name,
                d_optim.name,
                g_optim.name,
            ],
            "d_loss": dl,
            "g_loss": gl,
            "moving_mean": [float(v) for v in mm],
        }


EXPECTED = {
    "vars": [
        ["generator/fc/kernel:0", [5, 32]],
        ["generator/fc/bias:0", [32]],
        ["generator/bn0/gamma:0", [8]],
        ["generator/bn0/beta:0", [8]],
        ["generator/bn0/moving_mean:0", [8]],
        ["generator/bn0/moving_variance:0", [8]],
        ["generator/deconv1/kernel:0", [5, 5, 4, 8]],
        ["generator/deconv1/bias:0", [4]],
        ["generator/bn1/gamma:0", [4]],
        ["generator/bn1/beta:0", [4]],
        ["generator/bn1/moving_mean:0", [4]],
        ["generator/bn1/moving_variance:0", [4]],
        ["generator/deconv2/kernel:0", [5, 5, 1, 4]],
        ["generator/deconv2/bias:0", [1]],
        ["discriminator/conv1/kernel:0", [5, 5, 1, 4]],
        ["discriminator/conv1/bias:0", [4]],
        ["discriminator/conv2/kernel:0", [5, 5, 4, 8]],
        ["discriminator/conv2/bias:0", [8]],
        ["discriminator/bn2/gamma:0", [8]],
        ["discriminator/bn2/beta:0", [8]],
        ["discriminator/bn2/moving_mean:0", [8]],
        ["discriminator/bn2/moving_variance:0", [8]],
        ["discriminator/out/kernel:0", [32, 1]],
        ["discriminator/out/bias:0", [1]],
        ["beta1_power:0", []],
        ["beta2_power:0", []],
        ["discriminator/conv1/kernel/Adam:0", [5, 5, 1, 4]],
        ["discriminator/conv1/kernel/Adam_1:0", [5, 5, 1, 4]],
        ["discriminator/conv1/bias/Adam:0", [4]],
        ["discriminator/conv1/bias/Adam_1:0", [4]],
        ["discriminator/conv2/kernel/Adam:0", [5, 5, 4, 8]],
        ["discriminator/conv2/kernel/Adam_1:0", [5, 5, 4, 8]],
        ["discriminator/conv2/bias/Adam:0", [8]],
        ["discriminator/conv2/bias/Adam_1:0", [8]],
        ["discriminator/bn2/gamma/Adam:0", [8]],
        ["discriminator/bn2/gamma/Adam_1:0", [8]],
        ["discriminator/bn2/beta/Adam:0", [8]],
        ["discriminator/bn2/beta/Adam_1:0", [8]],
        ["discriminator/out/kernel/Adam:0", [32, 1]],
        ["discriminator/out/kernel/Adam_1:0", [32, 1]],
        ["discriminator/out/bias/Adam:0", [1]],
        ["discriminator/out/bias/Adam_1:0", [1]],
        ["beta1_power_1:0", []],
        ["beta2_power_1:0", []],
        ["generator/fc/kernel/Adam:0", [5, 32]],
        ["generator/fc/kernel/Adam_1:0", [5, 32]],
        ["generator/fc/bias/Adam:0", [32]],
        ["generator/fc/bias/Adam_1:0", [32]],
        ["generator/bn0/gamma/Adam:0", [8]],
        ["generator/bn0/gamma/Adam_1:0", [8]],
        ["generator/bn0/beta/Adam:0", [8]],
        ["generator/bn0/beta/Adam_1:0", [8]],
        ["generator/deconv1/kernel/Adam:0", [5, 5, 4, 8]],
        ["generator/deconv1/kernel/Adam_1:0", [5, 5, 4, 8]],
        ["generator/deconv1/bias/Adam:0", [4]],
        ["generator/deconv1/bias/Adam_1:0", [4]],
        ["generator/bn1/gamma/Adam:0", [4]],
        ["generator/bn1/gamma/Adam_1:0", [4]],
        ["generator/bn1/beta/Adam:0", [4]],
        ["generator/bn1/beta/Adam_1:0", [4]],
        ["generator/deconv2/kernel/Adam:0", [5, 5, 1, 4]],
        ["generator/deconv2/kernel/Adam_1:0", [5, 5, 1, 4]],
        ["generator/deconv2/bias/Adam:0", [1]],
        ["generator/deconv2/bias/Adam_1:0", [1]],
    ],
    "update_ops": [
        "generator/bn0/AssignMovingAvg",
        "generator/bn0/AssignMovingAvg_1",
        "generator/bn1/AssignMovingAvg",
        "generator/bn1/AssignMovingAvg_1",
        "discriminator/bn2/AssignMovingAvg",
        "discriminator/bn2/AssignMovingAvg_1",
        "discriminator_1/bn2/AssignMovingAvg",
        "discriminator_1/bn2/AssignMovingAvg_1",
    ],
    "names": [
        "generator/Tanh:0",
        "discriminator/Sigmoid:0",
        "discriminator_1/out/BiasAdd:0",
        "add:0",
        "Mean_2:0",
        "Adam",
        "Adam_1",
    ],
    "d_loss": [1.1922783851623535, 1.2722489833831787, 1.0018998384475708],
    "g_loss": [0.8023945093154907, 0.8595781326293945, 1.1955281496047974],
    "moving_mean": [
        0.0010980183724313974,
        -0.00013226567534729838,
        0.000823133741505444,
        -0.000445820449385792,
        0.0005843925173394382,
        -0.000261398934526369,
        -0.0008837231434881687,
        -0.0002292691497132182,
    ],
}


def test_dcgan_matches_tensorflow():
    close(program(tf), EXPECTED)
