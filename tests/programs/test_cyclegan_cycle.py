"""CycleGAN in its TF1 ports' shape: ResNet-style generators G and F built with
tf.contrib.layers.conv2d/conv2d_transpose, reflect padding and a hand-written instance norm
(tf.nn.moments over H, W), reused through variable_scope("", reuse=True) for the cycle, a
PatchGAN critic, least-squares adversarial and L1 cycle losses, and one optimizer for both
generators (Momentum with a learning-rate placeholder; Adam would magnify rounding noise in the
cycle's small gradients).

One step moves each variable by exactly -lr * its gradient, as in TF: F's gradient ops that
read G's weights (Conv2DBackpropInput of the cycle's G) read them as the run found them, though
G's update comes earlier in the run's order (before, ops downstream of any control dependency,
such as SquaredDifference's gradient has, read the updated weights).

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(71)
        init = tf.truncated_normal_initializer(stddev=0.02)

        def instance_norm(x, scope="instance_norm"):
            # as CycleGAN ports write it
            with tf.variable_scope(scope):
                depth = x.get_shape()[3]
                scale = tf.get_variable(
                    "scale",
                    [depth],
                    initializer=tf.random_normal_initializer(1.0, 0.02, dtype=tf.float32),
                )
                offset = tf.get_variable(
                    "offset", [depth], initializer=tf.constant_initializer(0.0)
                )
                mean, variance = tf.nn.moments(x, axes=[1, 2], keep_dims=True)
                inv = tf.rsqrt(variance + 1e-5)
                return scale * (x - mean) * inv + offset

        def conv(x, n, k, s, name, act=tf.nn.relu, norm=True, pad="SAME"):
            with tf.variable_scope(name):
                if pad == "REFLECT":
                    p = k // 2
                    x = tf.pad(x, [[0, 0], [p, p], [p, p], [0, 0]], "REFLECT")
                h = tf.contrib.layers.conv2d(
                    x,
                    n,
                    k,
                    s,
                    padding="VALID" if pad == "REFLECT" else "SAME",
                    activation_fn=None,
                    weights_initializer=init,
                    biases_initializer=None if norm else tf.zeros_initializer(),
                )
                if norm:
                    h = instance_norm(h)
                return act(h) if act is not None else h

        def generator(x, name):
            with tf.variable_scope(name):
                h = conv(x, 4, 3, 1, "c7s1", pad="REFLECT")
                h = conv(h, 8, 3, 2, "d16")
                r = conv(h, 8, 3, 1, "res/c1", pad="REFLECT")
                r = conv(r, 8, 3, 1, "res/c2", act=None, pad="REFLECT")
                h = h + r
                h = tf.contrib.layers.conv2d_transpose(
                    h,
                    4,
                    3,
                    2,
                    activation_fn=None,
                    weights_initializer=init,
                    biases_initializer=None,
                    scope="u8",
                )
                h = tf.nn.relu(instance_norm(h, scope="u8_norm"))
                return conv(h, 3, 3, 1, "out", act=tf.tanh, norm=False, pad="REFLECT")

        def critic(x, name, reuse=False):
            with tf.variable_scope(name, reuse=reuse):
                h = conv(x, 4, 3, 2, "c1", act=tf.nn.leaky_relu, norm=False)
                h = conv(h, 8, 3, 2, "c2", act=tf.nn.leaky_relu)
                return conv(h, 1, 3, 1, "patch", act=None, norm=False)

        a = tf.placeholder(tf.float32, [2, 8, 8, 3], name="A")
        b = tf.placeholder(tf.float32, [2, 8, 8, 3], name="B")
        lr = tf.placeholder(tf.float32, [], name="lr")
        fake_b = generator(a, "G")
        fake_a = generator(b, "F")
        with tf.variable_scope("", reuse=True):
            cyc_a = generator(fake_b, "F")
            cyc_b = generator(fake_a, "G")
        d_fake_b = critic(fake_b, "D_B")
        d_real_b = critic(b, "D_B", reuse=True)
        cycle = tf.reduce_mean(tf.abs(cyc_a - a)) + tf.reduce_mean(tf.abs(cyc_b - b))
        g_loss = tf.reduce_mean(tf.squared_difference(d_fake_b, 1.0)) + 10.0 * cycle
        d_loss = 0.5 * (
            tf.reduce_mean(tf.squared_difference(d_real_b, 1.0))
            + tf.reduce_mean(tf.square(d_fake_b))
        )
        g_vars = [v for v in tf.trainable_variables() if v.name.startswith(("G/", "F/"))]
        d_vars = tf.trainable_variables("D_B")
        g_train = tf.train.MomentumOptimizer(lr, 0.5).minimize(g_loss, var_list=g_vars)
        d_train = tf.train.MomentumOptimizer(lr, 0.5).minimize(d_loss, var_list=d_vars)
        rng = np.random.RandomState(4)
        fa = rng.uniform(-1, 1, (2, 8, 8, 3)).astype(np.float32)
        fb = rng.uniform(-1, 1, (2, 8, 8, 3)).astype(np.float32)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            hist = []
            for step in range(3):
                f = {a: fa, b: fb, lr: 0.02 * (1.0 - step / 3)}
                gl = sess.run(g_loss, f)
                sess.run(g_train, f)
                dl = sess.run(d_loss, f)
                sess.run(d_train, f)
                hist.append([float(gl), float(dl)])
            out = sess.run(fake_b, {a: fa})
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.trainable_variables()],
            "n_global": len(tf.global_variables()),
            "names": [fake_b.name, cyc_a.name, d_fake_b.name, g_loss.name, d_loss.name],
            "shapes": [t.shape.as_list() for t in (fake_b, d_fake_b)],
            "hist": hist,
            "fake_b": [float(v) for v in np.ravel(out)[:6]],
        }


EXPECTED = {
    "vars": [
        ["G/c7s1/Conv/weights:0", [3, 3, 3, 4]],
        ["G/c7s1/instance_norm/scale:0", [4]],
        ["G/c7s1/instance_norm/offset:0", [4]],
        ["G/d16/Conv/weights:0", [3, 3, 4, 8]],
        ["G/d16/instance_norm/scale:0", [8]],
        ["G/d16/instance_norm/offset:0", [8]],
        ["G/res/c1/Conv/weights:0", [3, 3, 8, 8]],
        ["G/res/c1/instance_norm/scale:0", [8]],
        ["G/res/c1/instance_norm/offset:0", [8]],
        ["G/res/c2/Conv/weights:0", [3, 3, 8, 8]],
        ["G/res/c2/instance_norm/scale:0", [8]],
        ["G/res/c2/instance_norm/offset:0", [8]],
        ["G/u8/weights:0", [3, 3, 4, 8]],
        ["G/u8_norm/scale:0", [4]],
        ["G/u8_norm/offset:0", [4]],
        ["G/out/Conv/weights:0", [3, 3, 4, 3]],
        ["G/out/Conv/biases:0", [3]],
        ["F/c7s1/Conv/weights:0", [3, 3, 3, 4]],
        ["F/c7s1/instance_norm/scale:0", [4]],
        ["F/c7s1/instance_norm/offset:0", [4]],
        ["F/d16/Conv/weights:0", [3, 3, 4, 8]],
        ["F/d16/instance_norm/scale:0", [8]],
        ["F/d16/instance_norm/offset:0", [8]],
        ["F/res/c1/Conv/weights:0", [3, 3, 8, 8]],
        ["F/res/c1/instance_norm/scale:0", [8]],
        ["F/res/c1/instance_norm/offset:0", [8]],
        ["F/res/c2/Conv/weights:0", [3, 3, 8, 8]],
        ["F/res/c2/instance_norm/scale:0", [8]],
        ["F/res/c2/instance_norm/offset:0", [8]],
        ["F/u8/weights:0", [3, 3, 4, 8]],
        ["F/u8_norm/scale:0", [4]],
        ["F/u8_norm/offset:0", [4]],
        ["F/out/Conv/weights:0", [3, 3, 4, 3]],
        ["F/out/Conv/biases:0", [3]],
        ["D_B/c1/Conv/weights:0", [3, 3, 3, 4]],
        ["D_B/c1/Conv/biases:0", [4]],
        ["D_B/c2/Conv/weights:0", [3, 3, 4, 8]],
        ["D_B/c2/instance_norm/scale:0", [8]],
        ["D_B/c2/instance_norm/offset:0", [8]],
        ["D_B/patch/Conv/weights:0", [3, 3, 8, 1]],
        ["D_B/patch/Conv/biases:0", [1]],
    ],
    "n_global": 82,
    "names": ["G/out/Tanh:0", "F_1/out/Tanh:0", "D_B/patch/Conv/BiasAdd:0", "add_1:0", "mul_1:0"],
    "shapes": [[2, 8, 8, 3], [2, 2, 2, 1]],
    "hist": [
        [11.102827072143555, 0.48579272627830505],
        [11.076361656188965, 0.4301466941833496],
        [10.76146411895752, 0.3799535930156708],
    ],
    "fake_b": [
        -0.020700156688690186,
        -0.028678366914391518,
        -0.03177091106772423,
        0.0795816034078598,
        -0.054964784532785416,
        0.12244776636362076,
    ],
}


def test_cyclegan_cycle_matches_tensorflow():
    close(program(tf), EXPECTED)
