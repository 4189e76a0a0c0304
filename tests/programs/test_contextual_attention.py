"""The contextual attention layer of TF1 image inpainting models (DeepFill): background patches
taken with tf.extract_image_patches, reshaped and transposed into convolution filters,
l2-normalized, matched against the foreground by tf.nn.conv2d (one image at a time through
tf.split and tf.concat), a masked softmax over the patches with a scale, and the image
rebuilt by tf.nn.conv2d_transpose with the raw patches; around it a small coarse generator
(conv2d with dilation) trained with an L1 loss on the hole, Adam, and diagnostics of the
attention (argmax offsets counted by tf.unique_with_counts, a histogram_fixed_width of the
output).

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    size, ch, k = 8, 4, 3
    rng = np.random.RandomState(18)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(41)
        img = tf.placeholder(tf.float32, [2, size, size, 1], name="img")
        hole = np.zeros((1, size, size, 1), np.float32)
        hole[:, 2:5, 3:6] = 1.0
        mask = tf.constant(hole, name="hole")
        x = img * (1.0 - mask)
        with tf.variable_scope("coarse"):
            h = tf.layers.conv2d(
                tf.concat([x, tf.tile(mask, [2, 1, 1, 1])], 3),
                ch,
                3,
                padding="same",
                activation=tf.nn.elu,
                name="conv1",
            )
            h = tf.layers.conv2d(
                h, ch, 3, padding="same", dilation_rate=2, activation=tf.nn.elu, name="atrous"
            )
        with tf.name_scope("contextual_attention"):
            raw = tf.extract_image_patches(h, [1, k, k, 1], [1, 1, 1, 1], [1, 1, 1, 1], "SAME")
            raw = tf.reshape(raw, [2, -1, k, k, ch])
            raw = tf.transpose(raw, [0, 2, 3, 4, 1])  # b, k, k, c, patches
            m_p = tf.extract_image_patches(mask, [1, k, k, 1], [1, 1, 1, 1], [1, 1, 1, 1], "SAME")
            valid = tf.to_float(tf.equal(tf.reduce_mean(m_p, axis=3, keepdims=True), 0.0))
            valid = tf.reshape(valid, [1, 1, 1, -1])
            outs, picks = [], []
            for fg, w_raw in zip(tf.split(h, 2, axis=0), tf.split(raw, 2, axis=0), strict=True):
                w = w_raw[0]
                w_n = w / tf.maximum(tf.sqrt(tf.reduce_sum(tf.square(w), [0, 1, 2])), 1e-4)
                score = tf.nn.conv2d(fg, w_n, [1, 1, 1, 1], "SAME")
                score = tf.reshape(score, [1, size, size, size * size]) * valid
                attn = tf.nn.softmax(score * 10.0, axis=3) * valid
                picks.append(tf.argmax(attn, axis=3))
                outs.append(
                    tf.nn.conv2d_transpose(attn, w, tf.shape(fg), [1, 1, 1, 1], "SAME")
                    / float(k * k)
                )
            y = tf.concat(outs, axis=0, name="attended")
        out = tf.layers.conv2d(tf.concat([h, y], 3), 1, 3, padding="same", name="to_img")
        loss = tf.reduce_mean(tf.abs(out - img) * mask) + 0.1 * tf.reduce_mean(
            tf.abs(out - img) * (1.0 - mask)
        )
        train = tf.train.AdamOptimizer(0.02).minimize(loss)
        offsets, _, counts = tf.unique_with_counts(tf.reshape(picks[0], [-1]))
        hist = tf.histogram_fixed_width(out, [-1.0, 1.0], nbins=5)
        base = np.linspace(0, 1, size, dtype=np.float32)
        batch = np.stack([np.add.outer(base, base), np.sin(np.add.outer(base * 3, base))])[
            ..., None
        ]
        batch = (batch + rng.rand(2, size, size, 1).astype(np.float32) * 0.05).astype(np.float32)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            trace = [float(sess.run([loss, train], {img: batch})[0]) for _ in range(12)]
            ov, cv, hv, yv = sess.run([offsets, counts, hist, y], {img: batch})
    return {
        "vars": [[v.name, v.shape.as_list()] for v in g.get_collection("trainable_variables")],
        "names": [raw.name, valid.name, y.name, out.name, loss.name, offsets.name, hist.name],
        "shapes": [raw.shape.as_list(), y.shape.as_list(), outs[0].shape.as_list()],
        "trace": trace,
        "offsets": ov.tolist(),
        "counts": cv.tolist(),
        "hist": hv.tolist(),
        "attended": yv[0, 3, :, 0].tolist(),
    }


EXPECTED = {
    "vars": [
        ["coarse/conv1/kernel:0", [3, 3, 2, 4]],
        ["coarse/conv1/bias:0", [4]],
        ["coarse/atrous/kernel:0", [3, 3, 4, 4]],
        ["coarse/atrous/bias:0", [4]],
        ["to_img/kernel:0", [3, 3, 8, 1]],
        ["to_img/bias:0", [1]],
    ],
    "names": [
        "contextual_attention/transpose:0",
        "contextual_attention/Reshape_1:0",
        "contextual_attention/attended:0",
        "to_img/BiasAdd:0",
        "add:0",
        "UniqueWithCounts:0",
        "histogram_fixed_width:0",
    ],
    "shapes": [[2, 3, 3, 4, 64], [2, 8, 8, 4], [1, 8, 8, 4]],
    "trace": [
        0.22491437196731567,
        0.12475830316543579,
        0.09291510283946991,
        0.09440261125564575,
        0.06560802459716797,
        0.06904067099094391,
        0.05778811126947403,
        0.05912911891937256,
        0.045382075011730194,
        0.04469474405050278,
        0.04450911283493042,
        0.032314736396074295,
    ],
    "offsets": [
        0,
        1,
        2,
        3,
        4,
        5,
        6,
        7,
        8,
        9,
        25,
        17,
        33,
        52,
        15,
        16,
        51,
        23,
        24,
        50,
        31,
        32,
        53,
        54,
        39,
        40,
        41,
        47,
        48,
        49,
        55,
        56,
        57,
        58,
        59,
        60,
        61,
        62,
        63,
    ],
    "counts": [
        1,
        1,
        1,
        1,
        1,
        1,
        1,
        1,
        1,
        1,
        3,
        2,
        12,
        3,
        1,
        1,
        3,
        1,
        1,
        2,
        1,
        1,
        3,
        3,
        1,
        1,
        3,
        1,
        1,
        1,
        1,
        1,
        1,
        1,
        1,
        1,
        1,
        1,
        1,
    ],
    "hist": [0, 0, 14, 59, 55],
    "attended": [
        -0.257310688495636,
        -0.39578548073768616,
        -0.3743157386779785,
        -0.3469819128513336,
        -0.2581324875354767,
        -0.10351788997650146,
        0.0237240269780159,
        0.021576998755335808,
    ],
}


def test_contextual_attention_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
