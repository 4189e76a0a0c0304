"""A GAN with spectral normalization as the SN-GAN TF1 code wrote it: each discriminator weight
divided by its largest singular value estimated by one power iteration per step, with the
iteration vector u a non-trainable variable updated by tf.assign under control dependencies
and collected in UPDATE_OPS; a hinge loss for the discriminator, the non-saturating loss for
the generator, two Adam optimizers with beta1=0 on separate var_lists, alternating steps; and
tf.svd checking the estimate.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    rng = np.random.RandomState(30)
    z_dim, x_dim = 4, 2
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(71)
        z = tf.placeholder(tf.float32, [None, z_dim], name="z")
        real = tf.placeholder(tf.float32, [None, x_dim], name="real")

        def spectral_norm(w):
            w_mat = tf.reshape(w, [-1, w.shape[-1].value])
            u = tf.get_variable(
                "u",
                [1, w_mat.shape[-1].value],
                initializer=tf.truncated_normal_initializer(),
                trainable=False,
            )
            v_hat = tf.nn.l2_normalize(tf.matmul(u, w_mat, transpose_b=True))
            u_hat = tf.nn.l2_normalize(tf.matmul(v_hat, w_mat))
            u_hat, v_hat = tf.stop_gradient(u_hat), tf.stop_gradient(v_hat)
            sigma = tf.squeeze(tf.matmul(tf.matmul(v_hat, w_mat), u_hat, transpose_b=True))
            update = tf.assign(u, u_hat)
            tf.add_to_collection(tf.GraphKeys.UPDATE_OPS, update)
            with tf.control_dependencies([update]):
                return tf.reshape(w_mat / sigma, w.shape), sigma

        def sn_dense(x, units, name):
            with tf.variable_scope(name):
                w = tf.get_variable("kernel", [x.shape[-1].value, units])
                b = tf.get_variable("bias", [units], initializer=tf.zeros_initializer())
                w_sn, sigma = spectral_norm(w)
                return tf.matmul(x, w_sn) + b, sigma

        def discriminator(x, reuse):
            with tf.variable_scope("discriminator", reuse=reuse):
                h, s1 = sn_dense(x, 16, "fc1")
                h, s2 = sn_dense(tf.nn.leaky_relu(h, 0.1), 1, "fc2")
                return h, [s1, s2]

        with tf.variable_scope("generator"):
            h = tf.layers.dense(z, 16, tf.nn.relu, name="fc1")
            fake = tf.layers.dense(h, x_dim, name="out")
        d_real, sigmas = discriminator(real, False)
        d_fake, _ = discriminator(fake, True)
        d_loss = tf.reduce_mean(tf.nn.relu(1.0 - d_real)) + tf.reduce_mean(tf.nn.relu(1.0 + d_fake))
        g_loss = -tf.reduce_mean(d_fake)
        d_vars = tf.trainable_variables("discriminator")
        g_vars = tf.trainable_variables("generator")
        updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
        with tf.control_dependencies(updates):
            d_train = tf.train.AdamOptimizer(0.01, beta1=0.0, beta2=0.9).minimize(
                d_loss, var_list=d_vars
            )
        g_train = tf.train.AdamOptimizer(0.01, beta1=0.0, beta2=0.9).minimize(
            g_loss, var_list=g_vars
        )
        with tf.variable_scope("discriminator", reuse=True):
            k1 = tf.get_variable("fc1/kernel")
        true_sigma = tf.svd(k1, compute_uv=False)[0]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            trace = []
            for _ in range(12):
                zb = rng.randn(16, z_dim).astype(np.float32)
                xb = (rng.randn(16, x_dim) * 0.3 + [2.0, -1.0]).astype(np.float32)
                dl, _ = sess.run([d_loss, d_train], {z: zb, real: xb})
                gl, _ = sess.run([g_loss, g_train], {z: zb})
                trace.append([float(dl), float(gl)])
            est, tru = sess.run([sigmas[0], true_sigma], {real: xb})
            sample = sess.run(fake, {z: np.ones((2, z_dim), np.float32)})
    return {
        "vars": [[v.name, v.shape.as_list()] for v in g.get_collection("variables")],
        "updates": [u.name for u in updates],
        "names": [
            d_real.name,
            d_fake.name,
            d_loss.name,
            g_loss.name,
            d_train.name,
            g_train.name,
            sigmas[0].name,
            true_sigma.name,
        ],
        "trace": trace,
        "sigma": [float(est), float(tru)],
        "sample": sample.tolist(),
    }


EXPECTED = {
    "vars": [
        ["generator/fc1/kernel:0", [4, 16]],
        ["generator/fc1/bias:0", [16]],
        ["generator/out/kernel:0", [16, 2]],
        ["generator/out/bias:0", [2]],
        ["discriminator/fc1/kernel:0", [2, 16]],
        ["discriminator/fc1/bias:0", [16]],
        ["discriminator/fc1/u:0", [1, 16]],
        ["discriminator/fc2/kernel:0", [16, 1]],
        ["discriminator/fc2/bias:0", [1]],
        ["discriminator/fc2/u:0", [1, 1]],
        ["beta1_power:0", []],
        ["beta2_power:0", []],
        ["discriminator/fc1/kernel/Adam:0", [2, 16]],
        ["discriminator/fc1/kernel/Adam_1:0", [2, 16]],
        ["discriminator/fc1/bias/Adam:0", [16]],
        ["discriminator/fc1/bias/Adam_1:0", [16]],
        ["discriminator/fc2/kernel/Adam:0", [16, 1]],
        ["discriminator/fc2/kernel/Adam_1:0", [16, 1]],
        ["discriminator/fc2/bias/Adam:0", [1]],
        ["discriminator/fc2/bias/Adam_1:0", [1]],
        ["beta1_power_1:0", []],
        ["beta2_power_1:0", []],
        ["generator/fc1/kernel/Adam:0", [4, 16]],
        ["generator/fc1/kernel/Adam_1:0", [4, 16]],
        ["generator/fc1/bias/Adam:0", [16]],
        ["generator/fc1/bias/Adam_1:0", [16]],
        ["generator/out/kernel/Adam:0", [16, 2]],
        ["generator/out/kernel/Adam_1:0", [16, 2]],
        ["generator/out/bias/Adam:0", [2]],
        ["generator/out/bias/Adam_1:0", [2]],
    ],
    "updates": [
        "discriminator/fc1/Assign:0",
        "discriminator/fc2/Assign:0",
        "discriminator_1/fc1/Assign:0",
        "discriminator_1/fc2/Assign:0",
    ],
    "names": [
        "discriminator/fc2/add:0",
        "discriminator_1/fc2/add:0",
        "add_1:0",
        "Neg:0",
        "Adam",
        "Adam_1",
        "discriminator/fc1/Squeeze:0",
        "strided_slice:0",
    ],
    "trace": [
        [1.6565479040145874, -0.0072172535583376884],
        [1.652165174484253, -0.06847460567951202],
        [1.558073878288269, -0.0840301513671875],
        [1.4414509534835815, -0.08652887493371964],
        [1.5072157382965088, -0.23026767373085022],
        [1.5284996032714844, -0.31812405586242676],
        [1.4834702014923096, -0.3430352210998535],
        [1.5000691413879395, -0.34024757146835327],
        [1.4931004047393799, -0.4034033715724945],
        [1.6541911363601685, -0.49814271926879883],
        [1.7355178594589233, -0.5398513078689575],
        [1.695845603942871, -0.5455204844474792],
    ],
    "sigma": [1.383278250694275, 1.3833714723587036],
    "sample": [[2.34434175491333, -0.5527017116546631], [2.34434175491333, -0.5527017116546631]],
}


def test_spectral_norm_gan_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
