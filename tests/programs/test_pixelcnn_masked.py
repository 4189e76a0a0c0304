"""A small PixelCNN on binary images as TF1 tutorials wrote it: masked convolutions (a mask 'A'
for the first layer and 'B' after it, built in NumPy and multiplied into the kernel variable
inside the graph), a residual block, sigmoid cross-entropy per pixel in nats, RMSProp, an
ExponentialMovingAverage of the weights used at sampling time through its shadow variables,
and autoregressive sampling pixel by pixel with seeded uniform noise fed from NumPy.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    size, ch = 6, 8
    rng = np.random.RandomState(14)

    def mask(k, cin, cout, kind):
        m = np.ones((k, k, cin, cout), np.float32)
        c = k // 2
        m[c, c + (kind == "B") :, :, :] = 0.0
        m[c + 1 :, :, :, :] = 0.0
        return m

    def masked_conv(x, cout, k, kind, name):
        cin = x.shape[-1].value
        with tf.variable_scope(name):
            w = tf.get_variable("kernel", [k, k, cin, cout])
            b = tf.get_variable("bias", [cout], initializer=tf.zeros_initializer())
            wm = w * tf.constant(mask(k, cin, cout, kind), name="mask")
            return tf.nn.bias_add(tf.nn.conv2d(x, wm, [1, 1, 1, 1], "SAME"), b)

    def net(x):
        h = tf.nn.relu(masked_conv(x, ch, 5, "A", "conv_a"))
        r = tf.nn.relu(masked_conv(h, ch, 3, "B", "res_1"))
        h = h + masked_conv(r, ch, 3, "B", "res_2")
        return masked_conv(tf.nn.relu(h), 1, 1, "B", "out")

    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(19)
        x = tf.placeholder(tf.float32, [None, size, size, 1], name="x")
        with tf.variable_scope("pixelcnn"):
            logits = net(x)
        nll = tf.reduce_mean(
            tf.reduce_sum(
                tf.nn.sigmoid_cross_entropy_with_logits(labels=x, logits=logits), [1, 2, 3]
            ),
            name="nll",
        )
        step = tf.train.get_or_create_global_step()
        opt = tf.train.RMSPropOptimizer(0.01)
        ema = tf.train.ExponentialMovingAverage(0.9, num_updates=step)
        with tf.control_dependencies([opt.minimize(nll, global_step=step)]):
            train = ema.apply(tf.trainable_variables())
        with tf.variable_scope(
            "pixelcnn",
            reuse=True,
            custom_getter=lambda getter, name, *a, **k: ema.average(getter(name, *a, **k)),
        ):
            probs = tf.sigmoid(net(x), name="sample_probs")
        data = np.zeros((8, size, size, 1), np.float32)
        for i in range(8):
            row = rng.randint(0, size)
            data[i, row, :, 0] = 1.0
            data[i, :, rng.randint(0, size), 0] = 1.0
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            trace = [float(sess.run([nll, train], {x: data})[0]) for _ in range(10)]
            noise = rng.rand(2, size, size).astype(np.float32)
            img = np.zeros((2, size, size, 1), np.float32)
            for r in range(size):
                for c in range(size):
                    p = sess.run(probs, {x: img})[:, r, c, 0]
                    img[:, r, c, 0] = (noise[:, r, c] < p).astype(np.float32)
            var0 = tf.trainable_variables()[0]
            shadow = sess.run(ema.average(var0))
            first = sess.run(probs, {x: np.zeros((1, size, size, 1), np.float32)})[0, 0, 0, 0]
    return {
        "vars": [[v.name, v.shape.as_list()] for v in g.get_collection("variables")],
        "names": [
            logits.name,
            nll.name,
            train.name,
            probs.name,
            ema.average_name(var0),
            ema.average(var0).name,
        ],
        "trace": trace,
        "samples": ["".join(str(int(v)) for v in im.ravel()) for im in img],
        "shadow": shadow[2, 2, 0].tolist(),
        "first_prob": float(first),
    }


EXPECTED = {
    "vars": [
        ["pixelcnn/conv_a/kernel:0", [5, 5, 1, 8]],
        ["pixelcnn/conv_a/bias:0", [8]],
        ["pixelcnn/res_1/kernel:0", [3, 3, 8, 8]],
        ["pixelcnn/res_1/bias:0", [8]],
        ["pixelcnn/res_2/kernel:0", [3, 3, 8, 8]],
        ["pixelcnn/res_2/bias:0", [8]],
        ["pixelcnn/out/kernel:0", [1, 1, 8, 1]],
        ["pixelcnn/out/bias:0", [1]],
        ["global_step:0", []],
        ["pixelcnn/conv_a/kernel/RMSProp:0", [5, 5, 1, 8]],
        ["pixelcnn/conv_a/kernel/RMSProp_1:0", [5, 5, 1, 8]],
        ["pixelcnn/conv_a/bias/RMSProp:0", [8]],
        ["pixelcnn/conv_a/bias/RMSProp_1:0", [8]],
        ["pixelcnn/res_1/kernel/RMSProp:0", [3, 3, 8, 8]],
        ["pixelcnn/res_1/kernel/RMSProp_1:0", [3, 3, 8, 8]],
        ["pixelcnn/res_1/bias/RMSProp:0", [8]],
        ["pixelcnn/res_1/bias/RMSProp_1:0", [8]],
        ["pixelcnn/res_2/kernel/RMSProp:0", [3, 3, 8, 8]],
        ["pixelcnn/res_2/kernel/RMSProp_1:0", [3, 3, 8, 8]],
        ["pixelcnn/res_2/bias/RMSProp:0", [8]],
        ["pixelcnn/res_2/bias/RMSProp_1:0", [8]],
        ["pixelcnn/out/kernel/RMSProp:0", [1, 1, 8, 1]],
        ["pixelcnn/out/kernel/RMSProp_1:0", [1, 1, 8, 1]],
        ["pixelcnn/out/bias/RMSProp:0", [1]],
        ["pixelcnn/out/bias/RMSProp_1:0", [1]],
        ["pixelcnn/conv_a/kernel/ExponentialMovingAverage:0", [5, 5, 1, 8]],
        ["pixelcnn/conv_a/bias/ExponentialMovingAverage:0", [8]],
        ["pixelcnn/res_1/kernel/ExponentialMovingAverage:0", [3, 3, 8, 8]],
        ["pixelcnn/res_1/bias/ExponentialMovingAverage:0", [8]],
        ["pixelcnn/res_2/kernel/ExponentialMovingAverage:0", [3, 3, 8, 8]],
        ["pixelcnn/res_2/bias/ExponentialMovingAverage:0", [8]],
        ["pixelcnn/out/kernel/ExponentialMovingAverage:0", [1, 1, 8, 1]],
        ["pixelcnn/out/bias/ExponentialMovingAverage:0", [1]],
    ],
    "names": [
        "pixelcnn/out/BiasAdd:0",
        "nll:0",
        "ExponentialMovingAverage",
        "pixelcnn_1/sample_probs:0",
        "pixelcnn/conv_a/kernel/ExponentialMovingAverage",
        "pixelcnn/conv_a/kernel/ExponentialMovingAverage:0",
    ],
    "trace": [
        24.371261596679688,
        23.69282341003418,
        23.105976104736328,
        22.625986099243164,
        22.199031829833984,
        21.778371810913086,
        21.382427215576172,
        21.005821228027344,
        20.638072967529297,
        20.281455993652344,
    ],
    "samples": ["101010100011001001101010000011001001", "000111101100000101100011100011110010"],
    "shadow": [
        -0.09694994240999222,
        0.0760386735200882,
        -0.13795685768127441,
        -0.03660579025745392,
        -0.0031300634145736694,
        -0.050150126218795776,
        0.030408456921577454,
        0.0016793608665466309,
    ],
    "first_prob": 0.3924712538719177,
}


def test_pixelcnn_masked_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
