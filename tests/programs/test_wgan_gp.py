"""WGAN-GP (Gulrajani et al.'s improved Wasserstein GAN, in its TF1 code's shape): a generator and
a critic in variable scopes (the critic reused three times), the gradient penalty from
tf.gradients of the critic at random interpolates, which the critic's Adam(beta1=0.5)
differentiates again (second order: gradients of LeakyReluGrad, SqrtGrad, BiasAddGrad...), and
two optimizers whose var_lists come from tf.get_collection(TRAINABLE_VARIABLES, scope=...).

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
        batch, zdim, xdim, lam = 4, 3, 5, 10.0

        def generator(z):
            with tf.variable_scope("generator"):
                h = tf.layers.dense(z, 8, activation=tf.nn.relu, name="h0")
                return tf.layers.dense(h, xdim, name="out")

        def critic(x, reuse=None):
            with tf.variable_scope("critic", reuse=reuse):
                h = tf.layers.dense(x, 8, name="h0")
                h = tf.nn.leaky_relu(h, alpha=0.2)
                h = tf.layers.dense(h, 8, activation=tf.nn.softplus, name="h1")
                return tf.layers.dense(h, 1, name="out")

        z = tf.random_normal([batch, zdim], name="z")
        real = tf.placeholder(tf.float32, [batch, xdim], name="real")
        fake = generator(z)
        d_real = critic(real)
        d_fake = critic(fake, reuse=True)
        g_loss = -tf.reduce_mean(d_fake)
        d_loss = tf.reduce_mean(d_fake) - tf.reduce_mean(d_real)
        alpha = tf.random_uniform(shape=[batch, 1], minval=0.0, maxval=1.0)
        differences = fake - real
        interpolates = real + alpha * differences
        gradients = tf.gradients(critic(interpolates, reuse=True), [interpolates])[0]
        slopes = tf.sqrt(tf.reduce_sum(tf.square(gradients), reduction_indices=[1]))
        gradient_penalty = tf.reduce_mean((slopes - 1.0) ** 2)
        d_loss += lam * gradient_penalty
        g_params = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope="generator")
        d_params = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope="critic")
        d_opt = tf.train.AdamOptimizer(1e-3, beta1=0.5, beta2=0.9)
        d_grads = d_opt.compute_gradients(d_loss, var_list=d_params)
        d_train = d_opt.apply_gradients(d_grads)
        g_train = tf.train.AdamOptimizer(1e-3, beta1=0.5, beta2=0.9).minimize(
            g_loss, var_list=g_params
        )
        rng = np.random.RandomState(4)
        data = rng.normal(1.0, 0.5, (6, batch, xdim)).astype(np.float32)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            first_grads = sess.run([gd for gd, _ in d_grads], {real: data[0]})
            dl, gp, gl = [], [], []
            for it in range(3):
                for k in range(2):
                    _, a, b = sess.run(
                        [d_train, d_loss, gradient_penalty], {real: data[2 * it + k]}
                    )
                    dl.append(float(a))
                    gp.append(float(b))
                _, c = sess.run([g_train, g_loss], {real: data[0]})
                gl.append(float(c))
            w = sess.run(g.get_tensor_by_name("critic/h0/kernel:0"))
        # (the optimizer's gating tuple ops, Identity and NoOp, are left out: scopeflow
        # does not build them)
        grad_ops = sorted(
            {op.type for op in g.get_operations() if op.name.startswith("gradients_1/")}
            - {"Identity", "NoOp"}
        )
        return {
            "g_params": [v.name for v in g_params],
            "d_params": [v.name for v in d_params],
            "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
            "names": [
                gradients.name,
                slopes.name,
                gradient_penalty.name,
                d_loss.name,
                g_loss.name,
                d_train.name,
                g_train.name,
                [x.name for x, _ in d_grads],
            ],
            "second_order_op_types": grad_ops,
            "first_grads": [[float(v) for v in np.ravel(x)[:3]] for x in first_grads],
            "d_loss": dl,
            "penalty": gp,
            "g_loss": gl,
            "critic_h0": [float(v) for v in w[0, :4]],
        }


EXPECTED = {
    "g_params": [
        "generator/h0/kernel:0",
        "generator/h0/bias:0",
        "generator/out/kernel:0",
        "generator/out/bias:0",
    ],
    "d_params": [
        "critic/h0/kernel:0",
        "critic/h0/bias:0",
        "critic/h1/kernel:0",
        "critic/h1/bias:0",
        "critic/out/kernel:0",
        "critic/out/bias:0",
    ],
    "vars": [
        ["generator/h0/kernel:0", [3, 8]],
        ["generator/h0/bias:0", [8]],
        ["generator/out/kernel:0", [8, 5]],
        ["generator/out/bias:0", [5]],
        ["critic/h0/kernel:0", [5, 8]],
        ["critic/h0/bias:0", [8]],
        ["critic/h1/kernel:0", [8, 8]],
        ["critic/h1/bias:0", [8]],
        ["critic/out/kernel:0", [8, 1]],
        ["critic/out/bias:0", [1]],
        ["beta1_power:0", []],
        ["beta2_power:0", []],
        ["critic/h0/kernel/Adam:0", [5, 8]],
        ["critic/h0/kernel/Adam_1:0", [5, 8]],
        ["critic/h0/bias/Adam:0", [8]],
        ["critic/h0/bias/Adam_1:0", [8]],
        ["critic/h1/kernel/Adam:0", [8, 8]],
        ["critic/h1/kernel/Adam_1:0", [8, 8]],
        ["critic/h1/bias/Adam:0", [8]],
        ["critic/h1/bias/Adam_1:0", [8]],
        ["critic/out/kernel/Adam:0", [8, 1]],
        ["critic/out/kernel/Adam_1:0", [8, 1]],
        ["critic/out/bias/Adam:0", [1]],
        ["critic/out/bias/Adam_1:0", [1]],
        ["beta1_power_1:0", []],
        ["beta2_power_1:0", []],
        ["generator/h0/kernel/Adam:0", [3, 8]],
        ["generator/h0/kernel/Adam_1:0", [3, 8]],
        ["generator/h0/bias/Adam:0", [8]],
        ["generator/h0/bias/Adam_1:0", [8]],
        ["generator/out/kernel/Adam:0", [8, 5]],
        ["generator/out/kernel/Adam_1:0", [8, 5]],
        ["generator/out/bias/Adam:0", [5]],
        ["generator/out/bias/Adam_1:0", [5]],
    ],
    "names": [
        "gradients/critic_2/h0/MatMul_grad/MatMul:0",
        "Sqrt:0",
        "Mean_3:0",
        "add_1:0",
        "Neg:0",
        "Adam",
        "Adam_1",
        [
            "gradients_1/AddN_6:0",
            "gradients_1/AddN_5:0",
            "gradients_1/AddN_3:0",
            "gradients_1/AddN_2:0",
            "gradients_1/AddN_1:0",
            "gradients_1/AddN:0",
        ],
    ],
    "second_order_op_types": [
        "AddN",
        "BiasAddGrad",
        "Const",
        "Fill",
        "FloorDiv",
        "Greater",
        "LeakyReluGrad",
        "Log",
        "MatMul",
        "Maximum",
        "Mul",
        "Neg",
        "Pow",
        "RealDiv",
        "Reshape",
        "Select",
        "Sigmoid",
        "SigmoidGrad",
        "SqrtGrad",
        "Sub",
        "Sum",
        "Tile",
    ],
    "first_grads": [
        [0.7255618572235107, -0.9232190847396851, -0.15961502492427826],
        [0.19266033172607422, -0.6566131114959717, -0.38255977630615234],
        [-0.2358195185661316, 0.8336995244026184, -1.29900062084198],
        [-0.1177784726023674, 0.054089322686195374, -0.45214536786079407],
        [1.007633924484253, -0.1031421422958374, 1.0382418632507324],
        [0.0],
    ],
    "d_loss": [
        3.320427417755127,
        4.432652473449707,
        3.393375873565674,
        2.358438491821289,
        4.384554386138916,
        4.354756832122803,
    ],
    "penalty": [
        0.3203407824039459,
        0.49278727173805237,
        0.3347053825855255,
        0.26284950971603394,
        0.44452929496765137,
        0.48196905851364136,
    ],
    "g_loss": [-1.1686159372329712, -1.391417384147644, -1.2931413650512695],
    "critic_h0": [-0.382144570350647, 0.23443163931369781, 0.28924354910850525, 0.2637571096420288],
}


def test_wgan_gp_matches_tensorflow():
    close(program(tf), EXPECTED)
