"""A small WaveNet on mu-law quantized audio as TF1 implementations wrote it: mu-law encoding
in the graph (sign, log1p, cast to 16 classes), one-hot inputs, a causal convolution by
left-padding, a stack of dilated causal convolutions through tf.nn.convolution with
dilation_rate (1-D: SpaceToBatchND around conv1d, on a clip of static length), gated
tanh x sigmoid units, residual and skip 1x1 convolutions, a softmax over the quantization
levels trained with Adam, and generation from the last receptive field with seeded
multinomial draws and mu-law decoding.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    q, res_ch, skip_ch, dilations = 16, 8, 8, [1, 2, 4]
    receptive = 2 + sum(dilations)
    t = np.arange(64, dtype=np.float32)
    audio = 0.6 * np.sin(t * 0.35) + 0.2 * np.sin(t * 1.3)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(29)
        wav = tf.placeholder(tf.float32, [1, 64], name="wav")
        with tf.name_scope("mu_law"):
            mu = float(q - 1)
            mag = tf.log1p(mu * tf.minimum(tf.abs(wav), 1.0)) / tf.log1p(mu)
            codes = tf.cast((tf.sign(wav) * mag + 1) / 2 * mu + 0.5, tf.int32)

        def causal(x, width, dilation, channels, name):
            cin = x.shape[-1].value
            with tf.variable_scope(name):
                w = tf.get_variable("w", [width, cin, channels])
                pad = tf.pad(x, [[0, 0], [(width - 1) * dilation, 0], [0, 0]])
                return tf.nn.convolution(pad, w, "VALID", dilation_rate=[dilation])

        def net(codes_in):
            x = tf.one_hot(codes_in, q)
            h = causal(x, 2, 1, res_ch, "causal")
            skips = []
            for i, d in enumerate(dilations):
                with tf.variable_scope(f"block_{i}"):
                    filt = tf.tanh(causal(h, 2, d, res_ch, "filter"))
                    gate = tf.sigmoid(causal(h, 2, d, res_ch, "gate"))
                    z = filt * gate
                    skips.append(tf.layers.conv1d(z, skip_ch, 1, name="skip"))
                    h = h + tf.layers.conv1d(z, res_ch, 1, name="residual")
            out = tf.nn.relu(tf.add_n(skips))
            out = tf.layers.conv1d(out, skip_ch, 1, activation=tf.nn.relu, name="post1")
            return tf.layers.conv1d(out, q, 1, name="post2")

        with tf.variable_scope("wavenet"):
            logits = net(codes[:, :-1])
        loss = tf.reduce_mean(
            tf.nn.sparse_softmax_cross_entropy_with_logits(labels=codes[:, 1:], logits=logits)
        )
        train = tf.train.AdamOptimizer(0.02).minimize(loss)
        window = tf.placeholder(tf.int32, [1, receptive], name="window")
        with tf.variable_scope("wavenet", reuse=True):
            last = net(window)[:, -1]
        draw = tf.multinomial(last, 1, seed=31)[0, 0]
        with tf.name_scope("decode"):
            y = 2.0 * tf.cast(draw, tf.float32) / mu - 1.0
            decoded = tf.sign(y) / mu * (tf.pow(1.0 + mu, tf.abs(y)) - 1.0)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            code_v = sess.run(codes, {wav: audio[None]})
            trace = [float(sess.run([loss, train], {wav: audio[None]})[0]) for _ in range(15)]
            buf = list(code_v[0, -receptive:])
            gen, vals = [], []
            for _ in range(6):
                c, v = sess.run([draw, decoded], {window: [buf[-receptive:]]})
                buf.append(int(c))
                gen.append(int(c))
                vals.append(float(v))
    return {
        "vars": [[v.name, v.shape.as_list()] for v in g.get_collection("trainable_variables")],
        "names": [codes.name, logits.name, loss.name, last.name, draw.name, decoded.name],
        "types": sorted({o.type for o in g.get_operations() if o.name.startswith("wavenet/")}),
        "codes": code_v[0, :20].tolist(),
        "trace": trace,
        "generated": gen,
        "decoded": vals,
    }


EXPECTED = {
    "vars": [
        ["wavenet/causal/w:0", [2, 16, 8]],
        ["wavenet/block_0/filter/w:0", [2, 8, 8]],
        ["wavenet/block_0/gate/w:0", [2, 8, 8]],
        ["wavenet/block_0/skip/kernel:0", [1, 8, 8]],
        ["wavenet/block_0/skip/bias:0", [8]],
        ["wavenet/block_0/residual/kernel:0", [1, 8, 8]],
        ["wavenet/block_0/residual/bias:0", [8]],
        ["wavenet/block_1/filter/w:0", [2, 8, 8]],
        ["wavenet/block_1/gate/w:0", [2, 8, 8]],
        ["wavenet/block_1/skip/kernel:0", [1, 8, 8]],
        ["wavenet/block_1/skip/bias:0", [8]],
        ["wavenet/block_1/residual/kernel:0", [1, 8, 8]],
        ["wavenet/block_1/residual/bias:0", [8]],
        ["wavenet/block_2/filter/w:0", [2, 8, 8]],
        ["wavenet/block_2/gate/w:0", [2, 8, 8]],
        ["wavenet/block_2/skip/kernel:0", [1, 8, 8]],
        ["wavenet/block_2/skip/bias:0", [8]],
        ["wavenet/block_2/residual/kernel:0", [1, 8, 8]],
        ["wavenet/block_2/residual/bias:0", [8]],
        ["wavenet/post1/kernel:0", [1, 8, 8]],
        ["wavenet/post1/bias:0", [8]],
        ["wavenet/post2/kernel:0", [1, 8, 16]],
        ["wavenet/post2/bias:0", [16]],
    ],
    "names": [
        "mu_law/Cast:0",
        "wavenet/post2/BiasAdd:0",
        "Mean:0",
        "wavenet_1/strided_slice:0",
        "strided_slice_1:0",
        "decode/mul_1:0",
    ],
    "types": [
        "AddN",
        "AddV2",
        "Assign",
        "BatchToSpaceND",
        "BiasAdd",
        "Const",
        "Conv2D",
        "ExpandDims",
        "Identity",
        "Mul",
        "OneHot",
        "Pad",
        "RandomUniform",
        "Relu",
        "Sigmoid",
        "SpaceToBatchND",
        "Squeeze",
        "StridedSlice",
        "Sub",
        "Tanh",
        "VariableV2",
    ],
    "codes": [8, 13, 13, 13, 13, 14, 14, 13, 9, 4, 5, 4, 2, 1, 1, 2, 4, 4, 4, 10],
    "trace": [
        2.7731661796569824,
        2.7182326316833496,
        2.6566824913024902,
        2.5787513256073,
        2.4871344566345215,
        2.386955738067627,
        2.2827773094177246,
        2.178562641143799,
        2.0822105407714844,
        1.996726155281067,
        1.9180506467819214,
        1.839974045753479,
        1.761959195137024,
        1.695275068283081,
        1.6301257610321045,
    ],
    "generated": [13, 12, 12, 12, 2, 2],
    "decoded": [
        0.4425823986530304,
        0.2852022647857666,
        0.2852022647857666,
        0.2852022647857666,
        -0.44258224964141846,
        -0.44258224964141846,
    ],
}


def test_wavenet_mulaw_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
