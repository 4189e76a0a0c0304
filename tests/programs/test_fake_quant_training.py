"""Quantization-aware training as TF1 programs wrote it by hand: weights and activations through
tf.quantization.fake_quant_with_min_max_vars (trainable ranges, 8 and 4 bits, narrow_range),
fake_quant_with_min_max_args on the input, per-channel fake_quant_with_min_max_vars_per_channel,
a straight-through rounding by gradient_override_map({"Round": "Identity"}) and the
x + stop_gradient(q - x) idiom; trained with Adam, the ranges learning too.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    rng = np.random.RandomState(13)
    xs = rng.randn(8, 4).astype(np.float32)
    ys = rng.randint(0, 3, 8).astype(np.int64)
    out = {}
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, [None, 4], name="x")
        y = tf.placeholder(tf.int64, [None], name="y")
        xq = tf.quantization.fake_quant_with_min_max_args(x, -2.0, 2.0, num_bits=8, name="in_q")
        w = tf.get_variable("w", initializer=(rng.randn(4, 5) * 0.5).astype(np.float32))
        w_min = tf.get_variable("w_min", initializer=-1.0)
        w_max = tf.get_variable("w_max", initializer=1.0)
        wq = tf.quantization.fake_quant_with_min_max_vars(
            w, w_min, w_max, num_bits=4, narrow_range=True, name="w_q"
        )
        h = tf.nn.relu(tf.matmul(xq, wq))
        a_max = tf.get_variable("a_max", initializer=3.0)
        hq = tf.quantization.fake_quant_with_min_max_vars(h, 0.0, a_max, name="act_q")
        w2 = tf.get_variable("w2", initializer=(rng.randn(5, 3) * 0.5).astype(np.float32))
        mins = tf.get_variable("mins", initializer=np.full(3, -0.8, np.float32))
        maxs = tf.get_variable("maxs", initializer=np.full(3, 0.8, np.float32))
        w2q = tf.quantization.fake_quant_with_min_max_vars_per_channel(w2, mins, maxs, name="w2_q")
        logits = tf.matmul(hq, w2q)
        with g.gradient_override_map({"Round": "Identity"}):
            rounded = tf.round(logits * 4.0, name="ste_round") / 4.0
        snapped = logits + tf.stop_gradient(rounded - logits)
        loss = tf.losses.sparse_softmax_cross_entropy(y, snapped + 0.1 * rounded)
        tvars = tf.trainable_variables()
        grads = tf.gradients(loss, tvars)
        train = tf.train.AdamOptimizer(0.05).apply_gradients(zip(grads, tvars, strict=True))
        out["names"] = [xq.name, wq.name, hq.name, w2q.name, rounded.name]
        out["types"] = [t.op.type for t in (xq, wq, hq, w2q)]
        out["grad_types"] = [gr.op.type for gr in grads]
        feed = {x: xs, y: ys}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            out["grads0"] = [
                np.round(v, 5).tolist() for v in sess.run(grads[1:3] + grads[4:], feed)
            ]
            out["wq"] = np.round(sess.run(wq), 5)[0].tolist()
            losses = []
            for _ in range(4):
                lv, _ = sess.run([loss, train], feed)
                losses.append(float(lv))
            out["losses"] = losses
            out["ranges"] = [round(float(v), 5) for v in sess.run([w_min, w_max, a_max])]
            out["mins"] = np.round(sess.run(mins), 5).tolist()
    return out


EXPECTED = {
    "names": ["in_q:0", "w_q:0", "act_q:0", "w2_q:0", "truediv:0"],
    "types": [
        "FakeQuantWithMinMaxArgs",
        "FakeQuantWithMinMaxVars",
        "FakeQuantWithMinMaxVars",
        "FakeQuantWithMinMaxVarsPerChannel",
    ],
    "grad_types": [
        "FakeQuantWithMinMaxVarsGradient",
        "FakeQuantWithMinMaxVarsGradient",
        "FakeQuantWithMinMaxVarsGradient",
        "FakeQuantWithMinMaxVarsGradient",
        "FakeQuantWithMinMaxVarsPerChannelGradient",
        "FakeQuantWithMinMaxVarsPerChannelGradient",
        "FakeQuantWithMinMaxVarsPerChannelGradient",
    ],
    "grads0": [
        -0.09769999980926514,
        0.5323200225830078,
        [
            [-0.08483000099658966, 0.1496800035238266, -0.06485000252723694],
            [0.07051999866962433, 0.22136999666690826, -0.2918899953365326],
            [-0.2251099944114685, 0.13446000218391418, 0.09064999967813492],
            [0.0, -0.018629999831318855, 0.010400000028312206],
            [-0.19391000270843506, 0.11841999739408493, 0.0],
        ],
        [0.0, 0.0, 0.07548999786376953],
        [0.008229999803006649, 0.0, 0.0],
    ],
    "wq": [
        0.0,
        0.14285999536514282,
        -0.14285999536514282,
        -0.28571000695228577,
        -0.14285999536514282,
    ],
    "losses": [1.418776273727417, 1.2544124126434326, 0.9903486371040344, 0.9140443801879883],
    "ranges": [-0.82133, 0.808, 3.0],
    "mins": [-0.800000011920929, -0.800000011920929, -0.9306100010871887],
}


def test_fake_quant_training_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
