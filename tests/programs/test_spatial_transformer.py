"""A spatial transformer network as the TF1 reference implementations wrote it: a localization
network (conv2d, max_pool, dense) whose last layer starts at zero weights and the identity
affine bias; an affine sampling grid from tf.meshgrid and batched matmul; a bilinear sampler
from floor, clip_by_value, gather_nd on four corners and weighted sums; a classifier on the
warped image trained with Adam, and the warped image and theta after training.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    size = 8
    rng = np.random.RandomState(3)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(17)
        img = tf.placeholder(tf.float32, [None, size, size, 1], name="img")
        label = tf.placeholder(tf.int32, [None], name="label")
        with tf.variable_scope("loc"):
            c = tf.layers.conv2d(img, 4, 3, padding="same", activation=tf.nn.relu, name="conv")
            c = tf.layers.max_pooling2d(c, 2, 2, name="pool")
            f = tf.layers.dense(tf.layers.flatten(c), 8, tf.nn.tanh, name="fc")
            theta = tf.layers.dense(
                f,
                6,
                kernel_initializer=tf.zeros_initializer(),
                bias_initializer=tf.constant_initializer([1.0, 0, 0, 0, 1.0, 0]),
                name="theta",
            )
            theta = tf.reshape(theta, [-1, 2, 3])

        with tf.name_scope("grid"):
            xs, ys = tf.meshgrid(tf.linspace(-1.0, 1.0, size), tf.linspace(-1.0, 1.0, size))
            ones = tf.ones_like(xs)
            grid = tf.stack([tf.reshape(xs, [-1]), tf.reshape(ys, [-1]), tf.reshape(ones, [-1])])
            batch = tf.shape(img)[0]
            grid = tf.tile(tf.expand_dims(grid, 0), tf.stack([batch, 1, 1]))
            src = tf.matmul(theta, grid)
            sx = (src[:, 0, :] + 1.0) * (size - 1) / 2.0
            sy = (src[:, 1, :] + 1.0) * (size - 1) / 2.0

        with tf.name_scope("sampler"):
            x0 = tf.floor(sx)
            y0 = tf.floor(sy)
            x1, y1 = x0 + 1, y0 + 1
            lim = float(size - 1)

            def pixel(yy, xx):
                yi = tf.cast(tf.clip_by_value(yy, 0.0, lim), tf.int32)
                xi = tf.cast(tf.clip_by_value(xx, 0.0, lim), tf.int32)
                b = tf.tile(tf.range(batch)[:, None], [1, size * size])
                return tf.gather_nd(img[..., 0], tf.stack([b, yi, xi], axis=2))

            wa = (x1 - sx) * (y1 - sy)
            wb = (x1 - sx) * (sy - y0)
            wc = (sx - x0) * (y1 - sy)
            wd = (sx - x0) * (sy - y0)
            out = tf.add_n(
                [wa * pixel(y0, x0), wb * pixel(y1, x0), wc * pixel(y0, x1), wd * pixel(y1, x1)]
            )
            warped = tf.reshape(out, [-1, size, size, 1], name="warped")
        logits = tf.layers.dense(tf.layers.flatten(warped), 2, name="cls")
        loss = tf.losses.sparse_softmax_cross_entropy(label, logits)
        train = tf.train.AdamOptimizer(0.01).minimize(loss)

        def batch_of(n):
            ims = np.zeros((n, size, size, 1), np.float32)
            labs = rng.randint(0, 2, n).astype(np.int32)
            for i, lab in enumerate(labs):
                r, c0 = rng.randint(1, 5, 2)
                if lab:
                    ims[i, r : r + 3, c0 + 1, 0] = 1.0
                else:
                    ims[i, r + 1, c0 : c0 + 3, 0] = 1.0
            return ims + rng.rand(n, size, size, 1).astype(np.float32) * 0.1, labs

        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            ims0, _ = batch_of(6)
            ident = sess.run(warped, {img: ims0})
            trace = []
            for _ in range(10):
                ims, labs = batch_of(6)
                trace.append(float(sess.run([loss, train], {img: ims, label: labs})[0]))
            th, wv = sess.run([theta, warped], {img: ims[:1]})
    return {
        "vars": [[v.name, v.shape.as_list()] for v in g.get_collection("trainable_variables")],
        "names": [theta.name, src.name, x0.name, out.name, warped.name, loss.name],
        "shapes": [theta.shape.as_list(), src.shape.as_list(), warped.shape.as_list()],
        "identity_warp_is_input": bool(np.abs(ident - ims0).max() < 1e-5),
        "trace": trace,
        "theta": th[0].tolist(),
        "warped_row": wv[0, 3, :, 0].tolist(),
    }


EXPECTED = {
    "vars": [
        ["loc/conv/kernel:0", [3, 3, 1, 4]],
        ["loc/conv/bias:0", [4]],
        ["loc/fc/kernel:0", [64, 8]],
        ["loc/fc/bias:0", [8]],
        ["loc/theta/kernel:0", [8, 6]],
        ["loc/theta/bias:0", [6]],
        ["cls/kernel:0", [64, 2]],
        ["cls/bias:0", [2]],
    ],
    "names": [
        "loc/Reshape:0",
        "grid/MatMul:0",
        "sampler/Floor:0",
        "sampler/AddN:0",
        "sampler/warped:0",
        "sparse_softmax_cross_entropy_loss/value:0",
    ],
    "shapes": [[None, 2, 3], [None, 2, 64], [None, 8, 8, 1]],
    "identity_warp_is_input": True,
    "trace": [
        0.7826340794563293,
        0.6476903557777405,
        0.8116901516914368,
        0.798926055431366,
        0.6344497203826904,
        0.7958338260650635,
        0.676807701587677,
        0.6267560124397278,
        0.7172334790229797,
        0.7244567275047302,
    ],
    "theta": [
        [1.059032678604126, 0.12846976518630981, 0.06560482084751129],
        [-0.10988824814558029, 1.1042461395263672, -0.20704111456871033],
    ],
    "warped_row": [
        0.03320510312914848,
        0.01611279509961605,
        0.015626652166247368,
        0.11907030642032623,
        0.16094598174095154,
        0.028507117182016373,
        0.07215007394552231,
        0.09146741032600403,
    ],
}


def test_spatial_transformer_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
