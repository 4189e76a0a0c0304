"""Neural style transfer in TF1 style: the image is the only trained variable (var_list), a fixed
VGG-like feature net from NumPy weights built three times under one reused variable scope,
content loss from l2_loss, style loss from Gram matrices (matmul with transpose_a over dynamic
shapes), total_variation, Adam, clip_by_value assigned back after each step, and the result
written through encode_png/decode_png.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    rng = np.random.RandomState(21)
    content = rng.rand(1, 24, 24, 3).astype(np.float32)
    style = rng.rand(1, 24, 24, 3).astype(np.float32)
    w1 = (rng.randn(3, 3, 3, 8) * 0.3).astype(np.float32)
    w2 = (rng.randn(3, 3, 8, 12) * 0.2).astype(np.float32)
    mean = np.array([0.48, 0.46, 0.41], np.float32)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(4)

        def features(image, reuse):
            with tf.variable_scope("vgg", reuse=reuse):
                x = image - mean
                k1 = tf.get_variable("conv1/weights", initializer=w1, trainable=False)
                h1 = tf.nn.relu(tf.nn.conv2d(x, k1, [1, 1, 1, 1], "SAME"), name="relu1")
                p1 = tf.nn.avg_pool(h1, [1, 2, 2, 1], [1, 2, 2, 1], "SAME", name="pool1")
                k2 = tf.get_variable("conv2/weights", initializer=w2, trainable=False)
                h2 = tf.nn.relu(tf.nn.conv2d(p1, k2, [1, 1, 1, 1], "SAME"), name="relu2")
                return {"relu1": h1, "relu2": h2}

        def gram(f):
            shape = tf.shape(f)
            flat = tf.reshape(f, [shape[0], -1, shape[3]])
            n = tf.cast(shape[1] * shape[2] * shape[3], tf.float32)
            return tf.matmul(flat, flat, transpose_a=True) / n

        noise = tf.random_uniform([1, 24, 24, 3], -0.1, 0.1)
        image = tf.Variable(tf.constant(content) * 0.6 + noise * 0.4, name="image")
        f_img = features(image, False)
        f_content = features(tf.constant(content), True)
        f_style = features(tf.constant(style), True)
        with tf.name_scope("content_loss"):
            c_loss = tf.nn.l2_loss(f_img["relu2"] - f_content["relu2"]) / tf.cast(
                tf.size(f_content["relu2"]), tf.float32
            )
        with tf.name_scope("style_loss"):
            s_losses = [
                tf.reduce_sum(tf.square(gram(f_img[k]) - gram(f_style[k])))
                for k in ("relu1", "relu2")
            ]
            s_loss = tf.add_n(s_losses) / 2.0
        tv = tf.reduce_sum(tf.image.total_variation(image))
        loss = 1.0 * c_loss + 50.0 * s_loss + 1e-3 * tv
        opt = tf.train.AdamOptimizer(0.02, beta1=0.99, epsilon=1e-1)
        train = opt.minimize(loss, var_list=[image])
        clip = image.assign(tf.clip_by_value(image, 0.0, 1.0))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            losses = []
            for _ in range(6):
                losses.append(float(sess.run([train, loss])[1]))
                sess.run(clip)
            img, parts = sess.run([image, [c_loss, s_loss, tv]])
            enc = sess.run(tf.image.encode_png(tf.cast(img[0] * 255, tf.uint8)))
            dec = sess.run(tf.image.decode_png(enc))
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
            "trainable": [v.name for v in tf.trainable_variables()],
            "names": [c_loss.name, s_loss.name, tv.name, loss.name, train.name, clip.name],
            "losses": losses,
            "parts": [float(p) for p in parts],
            "image": [float(v) for v in img.ravel()[:6]],
            "png": [int(v) for v in dec.ravel()[:8]] + [int(dec.sum())],
        }


EXPECTED = {
    "vars": [
        ["image:0", [1, 24, 24, 3]],
        ["vgg/conv1/weights:0", [3, 3, 3, 8]],
        ["vgg/conv2/weights:0", [3, 3, 8, 12]],
        ["beta1_power:0", []],
        ["beta2_power:0", []],
        ["image/Adam:0", [1, 24, 24, 3]],
        ["image/Adam_1:0", [1, 24, 24, 3]],
    ],
    "trainable": ["image:0"],
    "names": [
        "content_loss/truediv:0",
        "style_loss/truediv_4:0",
        "Sum:0",
        "add_2:0",
        "Adam",
        "Assign:0",
    ],
    "losses": [
        0.9509853720664978,
        0.9493017196655273,
        0.9491297006607056,
        0.9489193558692932,
        0.948676586151123,
        0.9484056234359741,
    ],
    "parts": [0.03668453171849251, 0.004773619119077921, 672.7435302734375],
    "image": [
        0.05358139052987099,
        0.21306584775447845,
        0.42429912090301514,
        0.034748103469610214,
        0.1406479775905609,
        0.05168364942073822,
    ],
    "png": [13, 54, 108, 8, 35, 13, 51, 102, 131232],
}


def test_style_transfer_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
