"""A super-resolution/U-Net style model: an atrous conv (no bias: Adam turns a bias's near-zero
gradient under batch norm into rounding-dependent steps) into batch norm switched by
placeholder_with_default, leaky_relu, separable_conv2d, average pooling, conv2d_transpose,
depth_to_space pixel shuffle, resize_bilinear with align_corners, depthwise_conv2d,
space_to_depth, an SSIM + total variation + L1 loss, image_gradients, Adam under UPDATE_OPS.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    rng = np.random.RandomState(33)
    lo = rng.rand(2, 8, 8, 1).astype(np.float32)
    hi = rng.rand(2, 16, 16, 1).astype(np.float32)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(27)
        x = tf.placeholder(tf.float32, [None, 8, 8, 1], name="low_res")
        t = tf.placeholder(tf.float32, [None, 16, 16, 1], name="high_res")
        training = tf.placeholder_with_default(True, [], name="training")
        c1 = tf.layers.conv2d(
            x, 4, 3, padding="same", dilation_rate=2, use_bias=False, name="atrous"
        )
        c1 = tf.layers.batch_normalization(c1, training=training, name="bn1")
        c1 = tf.nn.leaky_relu(c1, alpha=0.1)
        c2 = tf.layers.separable_conv2d(
            c1, 8, 3, padding="same", depth_multiplier=2, activation=tf.nn.relu, name="sep"
        )
        down = tf.layers.average_pooling2d(c2, 2, 2, name="down")
        up = tf.layers.conv2d_transpose(down, 4, 3, strides=2, padding="same", name="up")
        merged = tf.concat([up, c1], axis=3)
        shuf = tf.depth_to_space(tf.layers.conv2d(merged, 4, 1, name="to_depth"), 2)
        resized = tf.image.resize_bilinear(x, [16, 16], align_corners=True)
        out = shuf + resized
        dw = tf.nn.depthwise_conv2d(out, tf.ones([3, 3, 1, 2]) / 9.0, [1, 1, 1, 1], "SAME")
        s2d = tf.space_to_depth(out, 4)
        ssim = tf.reduce_mean(tf.image.ssim(out, t, max_val=1.0))
        tv = tf.reduce_mean(tf.image.total_variation(out))
        dy, dx = tf.image.image_gradients(out)
        loss = tf.losses.absolute_difference(t, out) + 0.1 * (1.0 - ssim) + 1e-4 * tv
        update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
        with tf.control_dependencies(update_ops):
            train = tf.train.AdamOptimizer(0.01).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            losses = []
            for _ in range(4):
                _, lv, sv = sess.run([train, loss, ssim], {x: lo, t: hi})
                losses.append([float(lv), float(sv)])
            ev, dwv, sdv, dyv = sess.run([out, dw, s2d, dy], {x: lo, t: hi, training: False})
    return {
        "vars": [[v.name, v.shape.as_list()] for v in g.get_collection("variables")],
        "updates": [u.name for u in update_ops],
        "names": [
            c1.name,
            c2.name,
            up.name,
            shuf.name,
            resized.name,
            dw.name,
            s2d.name,
            ssim.name,
            tv.name,
            dy.name,
            dx.name,
            loss.name,
        ],
        "shapes": [v.shape.as_list() for v in (c2, down, up, shuf, s2d, dw)],
        "losses": losses,
        "out": [round(float(v), 5) for v in ev[0, :2, :4, 0].ravel()],
        "dw": [round(float(v), 5) for v in dwv[1, 3, :4].ravel()],
        "s2d": [round(float(v), 5) for v in sdv[0, 0, 0, :6]],
        "dy": [round(float(v), 5) for v in dyv[0, :2, :3, 0].ravel()],
    }


EXPECTED = {
    "vars": [
        ["atrous/kernel:0", [3, 3, 1, 4]],
        ["bn1/gamma:0", [4]],
        ["bn1/beta:0", [4]],
        ["bn1/moving_mean:0", [4]],
        ["bn1/moving_variance:0", [4]],
        ["sep/depthwise_kernel:0", [3, 3, 4, 2]],
        ["sep/pointwise_kernel:0", [1, 1, 8, 8]],
        ["sep/bias:0", [8]],
        ["up/kernel:0", [3, 3, 4, 8]],
        ["up/bias:0", [4]],
        ["to_depth/kernel:0", [1, 1, 8, 4]],
        ["to_depth/bias:0", [4]],
        ["beta1_power:0", []],
        ["beta2_power:0", []],
        ["atrous/kernel/Adam:0", [3, 3, 1, 4]],
        ["atrous/kernel/Adam_1:0", [3, 3, 1, 4]],
        ["bn1/gamma/Adam:0", [4]],
        ["bn1/gamma/Adam_1:0", [4]],
        ["bn1/beta/Adam:0", [4]],
        ["bn1/beta/Adam_1:0", [4]],
        ["sep/depthwise_kernel/Adam:0", [3, 3, 4, 2]],
        ["sep/depthwise_kernel/Adam_1:0", [3, 3, 4, 2]],
        ["sep/pointwise_kernel/Adam:0", [1, 1, 8, 8]],
        ["sep/pointwise_kernel/Adam_1:0", [1, 1, 8, 8]],
        ["sep/bias/Adam:0", [8]],
        ["sep/bias/Adam_1:0", [8]],
        ["up/kernel/Adam:0", [3, 3, 4, 8]],
        ["up/kernel/Adam_1:0", [3, 3, 4, 8]],
        ["up/bias/Adam:0", [4]],
        ["up/bias/Adam_1:0", [4]],
        ["to_depth/kernel/Adam:0", [1, 1, 8, 4]],
        ["to_depth/kernel/Adam_1:0", [1, 1, 8, 4]],
        ["to_depth/bias/Adam:0", [4]],
        ["to_depth/bias/Adam_1:0", [4]],
    ],
    "updates": ["bn1/AssignMovingAvg", "bn1/AssignMovingAvg_1"],
    "names": [
        "LeakyRelu:0",
        "sep/Relu:0",
        "up/BiasAdd:0",
        "DepthToSpace:0",
        "ResizeBilinear:0",
        "depthwise:0",
        "SpaceToDepth:0",
        "Mean:0",
        "Mean_1:0",
        "Reshape:0",
        "Reshape_1:0",
        "add_2:0",
    ],
    "shapes": [
        [None, 8, 8, 8],
        [None, 4, 4, 8],
        [None, 8, 8, 4],
        [None, 16, 16, 1],
        [None, 4, 4, 16],
        [None, 16, 16, 2],
    ],
    "losses": [
        [0.6042718291282654, -0.1295825093984604],
        [0.5755897164344788, -0.1270902305841446],
        [0.5498995184898376, -0.12189643085002899],
        [0.5273913741111755, -0.11542757600545883],
    ],
    "out": [0.19114, 0.23469, 0.3931, 0.34492, 0.3029, 0.51166, 0.34, 0.61552],
    "dw": [0.43279, 0.43279, 0.63136, 0.63136, 0.60512, 0.60512, 0.46438, 0.46438],
    "s2d": [0.19114, 0.23469, 0.3931, 0.34492, 0.3029, 0.51166],
    "dy": [0.11176, 0.27696, -0.0531, 0.33185, 0.00415, 0.20346],
}


def test_super_resolution_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
