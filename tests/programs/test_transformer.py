"""A Transformer encoder written with tf.layers.dense: sinusoidal positions, multi-head
attention, layer norm from tf.nn.moments, padding and causal masks (sequence_mask,
matrix_band_part), label-smoothed softmax cross entropy with weights, Adam with a noam warmup
plus tf.train.piecewise_constant (TF's exclusive tf.case).

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    B, T, D, NH, V = 2, 5, 8, 2, 7
    rng = np.random.RandomState(2)
    toks = rng.randint(1, V, (B, T)).astype(np.int32)
    lens = np.array([5, 3], np.int32)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(9)
        x_ids = tf.placeholder(tf.int32, [None, T], name="tokens")
        x_len = tf.placeholder(tf.int32, [None], name="lengths")
        emb = tf.get_variable("emb", [V, D], initializer=tf.random_normal_initializer(0, D**-0.5))
        pos = np.arange(T)[:, None] / np.power(10000.0, np.arange(0, D, 2)[None] / D)
        pe = np.zeros((T, D), np.float32)
        pe[:, 0::2], pe[:, 1::2] = np.sin(pos), np.cos(pos)
        h = tf.nn.embedding_lookup(emb, x_ids) * D**0.5 + tf.constant(pe)

        def layer_norm(t, scope):
            with tf.variable_scope(scope):
                gamma = tf.get_variable("gamma", [D], initializer=tf.ones_initializer())
                beta = tf.get_variable("beta", [D], initializer=tf.zeros_initializer())
                mean, var = tf.nn.moments(t, [-1], keep_dims=True)
                return gamma * (t - mean) * tf.rsqrt(var + 1e-6) + beta

        def split_heads(t):
            return tf.transpose(tf.reshape(t, [-1, T, NH, D // NH]), [0, 2, 1, 3])

        pad_mask = tf.sequence_mask(x_len, T, dtype=tf.float32)
        causal = tf.matrix_band_part(tf.ones([T, T]), -1, 0)
        bias = (1.0 - pad_mask[:, None, None, :] * causal) * -1e9
        with tf.variable_scope("encoder"):
            for i in range(2):
                with tf.variable_scope(f"layer_{i}"):
                    q = split_heads(tf.layers.dense(h, D, use_bias=False, name="q"))
                    k = split_heads(tf.layers.dense(h, D, use_bias=False, name="k"))
                    v = split_heads(tf.layers.dense(h, D, use_bias=False, name="v"))
                    att = tf.matmul(q, k, transpose_b=True) * (D // NH) ** -0.5 + bias
                    w = tf.nn.softmax(att, name="attention_weights")
                    ctx = tf.reshape(tf.transpose(tf.matmul(w, v), [0, 2, 1, 3]), [-1, T, D])
                    h = layer_norm(h + tf.layers.dense(ctx, D, name="out"), "ln1")
                    ff = tf.layers.dense(h, 2 * D, activation=tf.nn.relu, name="ff1")
                    ff = tf.layers.dense(ff, D, name="ff2")
                    h = layer_norm(h + ff, "ln2")
        logits = tf.layers.dense(h, V, name="logits")
        labels = tf.one_hot(tf.roll(x_ids, -1, axis=1), V)
        loss = tf.losses.softmax_cross_entropy(
            labels, logits, weights=pad_mask, label_smoothing=0.1
        )
        step = tf.train.get_or_create_global_step()
        warmup = 4.0
        s = tf.cast(step + 1, tf.float32)
        noam = D**-0.5 * tf.minimum(tf.rsqrt(s), s * warmup**-1.5)
        pw = tf.train.piecewise_constant(step, [2, 4], [0.01, 0.005, 0.001])
        lr = noam * 0.5 + pw
        opt = tf.train.AdamOptimizer(lr, beta1=0.9, beta2=0.98, epsilon=1e-9)
        train = opt.minimize(loss, global_step=step)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            losses, lrs = [], []
            for _ in range(6):
                _, lv, lrv = sess.run([train, loss, lr], {x_ids: toks, x_len: lens})
                losses.append(float(lv))
                lrs.append(float(lrv))
            wv = sess.run(w, {x_ids: toks, x_len: lens})
    return {
        "vars": [[v.name, v.shape.as_list()] for v in g.get_collection("variables")],
        "names": [
            w.name,
            h.name,
            logits.name,
            loss.name,
            lr.name,
            pw.name,
            bias.name,
            causal.name,
            pad_mask.name,
        ],
        "losses": losses,
        "lrs": lrs,
        "att": [float(a) for a in wv[1, 0, 4]],
    }


EXPECTED = {
    "vars": [
        ["emb:0", [7, 8]],
        ["encoder/layer_0/q/kernel:0", [8, 8]],
        ["encoder/layer_0/k/kernel:0", [8, 8]],
        ["encoder/layer_0/v/kernel:0", [8, 8]],
        ["encoder/layer_0/out/kernel:0", [8, 8]],
        ["encoder/layer_0/out/bias:0", [8]],
        ["encoder/layer_0/ln1/gamma:0", [8]],
        ["encoder/layer_0/ln1/beta:0", [8]],
        ["encoder/layer_0/ff1/kernel:0", [8, 16]],
        ["encoder/layer_0/ff1/bias:0", [16]],
        ["encoder/layer_0/ff2/kernel:0", [16, 8]],
        ["encoder/layer_0/ff2/bias:0", [8]],
        ["encoder/layer_0/ln2/gamma:0", [8]],
        ["encoder/layer_0/ln2/beta:0", [8]],
        ["encoder/layer_1/q/kernel:0", [8, 8]],
        ["encoder/layer_1/k/kernel:0", [8, 8]],
        ["encoder/layer_1/v/kernel:0", [8, 8]],
        ["encoder/layer_1/out/kernel:0", [8, 8]],
        ["encoder/layer_1/out/bias:0", [8]],
        ["encoder/layer_1/ln1/gamma:0", [8]],
        ["encoder/layer_1/ln1/beta:0", [8]],
        ["encoder/layer_1/ff1/kernel:0", [8, 16]],
        ["encoder/layer_1/ff1/bias:0", [16]],
        ["encoder/layer_1/ff2/kernel:0", [16, 8]],
        ["encoder/layer_1/ff2/bias:0", [8]],
        ["encoder/layer_1/ln2/gamma:0", [8]],
        ["encoder/layer_1/ln2/beta:0", [8]],
        ["logits/kernel:0", [8, 7]],
        ["logits/bias:0", [7]],
        ["global_step:0", []],
        ["beta1_power:0", []],
        ["beta2_power:0", []],
        ["emb/Adam:0", [7, 8]],
        ["emb/Adam_1:0", [7, 8]],
        ["encoder/layer_0/q/kernel/Adam:0", [8, 8]],
        ["encoder/layer_0/q/kernel/Adam_1:0", [8, 8]],
        ["encoder/layer_0/k/kernel/Adam:0", [8, 8]],
        ["encoder/layer_0/k/kernel/Adam_1:0", [8, 8]],
        ["encoder/layer_0/v/kernel/Adam:0", [8, 8]],
        ["encoder/layer_0/v/kernel/Adam_1:0", [8, 8]],
        ["encoder/layer_0/out/kernel/Adam:0", [8, 8]],
        ["encoder/layer_0/out/kernel/Adam_1:0", [8, 8]],
        ["encoder/layer_0/out/bias/Adam:0", [8]],
        ["encoder/layer_0/out/bias/Adam_1:0", [8]],
        ["encoder/layer_0/ln1/gamma/Adam:0", [8]],
        ["encoder/layer_0/ln1/gamma/Adam_1:0", [8]],
        ["encoder/layer_0/ln1/beta/Adam:0", [8]],
        ["encoder/layer_0/ln1/beta/Adam_1:0", [8]],
        ["encoder/layer_0/ff1/kernel/Adam:0", [8, 16]],
        ["encoder/layer_0/ff1/kernel/Adam_1:0", [8, 16]],
        ["encoder/layer_0/ff1/bias/Adam:0", [16]],
        ["encoder/layer_0/ff1/bias/Adam_1:0", [16]],
        ["encoder/layer_0/ff2/kernel/Adam:0", [16, 8]],
        ["encoder/layer_0/ff2/kernel/Adam_1:0", [16, 8]],
        ["encoder/layer_0/ff2/bias/Adam:0", [8]],
        ["encoder/layer_0/ff2/bias/Adam_1:0", [8]],
        ["encoder/layer_0/ln2/gamma/Adam:0", [8]],
        ["encoder/layer_0/ln2/gamma/Adam_1:0", [8]],
        ["encoder/layer_0/ln2/beta/Adam:0", [8]],
        ["encoder/layer_0/ln2/beta/Adam_1:0", [8]],
        ["encoder/layer_1/q/kernel/Adam:0", [8, 8]],
        ["encoder/layer_1/q/kernel/Adam_1:0", [8, 8]],
        ["encoder/layer_1/k/kernel/Adam:0", [8, 8]],
        ["encoder/layer_1/k/kernel/Adam_1:0", [8, 8]],
        ["encoder/layer_1/v/kernel/Adam:0", [8, 8]],
        ["encoder/layer_1/v/kernel/Adam_1:0", [8, 8]],
        ["encoder/layer_1/out/kernel/Adam:0", [8, 8]],
        ["encoder/layer_1/out/kernel/Adam_1:0", [8, 8]],
        ["encoder/layer_1/out/bias/Adam:0", [8]],
        ["encoder/layer_1/out/bias/Adam_1:0", [8]],
        ["encoder/layer_1/ln1/gamma/Adam:0", [8]],
        ["encoder/layer_1/ln1/gamma/Adam_1:0", [8]],
        ["encoder/layer_1/ln1/beta/Adam:0", [8]],
        ["encoder/layer_1/ln1/beta/Adam_1:0", [8]],
        ["encoder/layer_1/ff1/kernel/Adam:0", [8, 16]],
        ["encoder/layer_1/ff1/kernel/Adam_1:0", [8, 16]],
        ["encoder/layer_1/ff1/bias/Adam:0", [16]],
        ["encoder/layer_1/ff1/bias/Adam_1:0", [16]],
        ["encoder/layer_1/ff2/kernel/Adam:0", [16, 8]],
        ["encoder/layer_1/ff2/kernel/Adam_1:0", [16, 8]],
        ["encoder/layer_1/ff2/bias/Adam:0", [8]],
        ["encoder/layer_1/ff2/bias/Adam_1:0", [8]],
        ["encoder/layer_1/ln2/gamma/Adam:0", [8]],
        ["encoder/layer_1/ln2/gamma/Adam_1:0", [8]],
        ["encoder/layer_1/ln2/beta/Adam:0", [8]],
        ["encoder/layer_1/ln2/beta/Adam_1:0", [8]],
        ["logits/kernel/Adam:0", [8, 7]],
        ["logits/kernel/Adam_1:0", [8, 7]],
        ["logits/bias/Adam:0", [7]],
        ["logits/bias/Adam_1:0", [7]],
    ],
    "names": [
        "encoder/layer_1/attention_weights:0",
        "encoder/layer_1/ln2/add_1:0",
        "logits/BiasAdd:0",
        "softmax_cross_entropy_loss/value:0",
        "add_2:0",
        "PiecewiseConstant/case/cond/Merge:0",
        "mul_2:0",
        "MatrixBandPart:0",
        "SequenceMask/Cast_1:0",
    ],
    "losses": [
        2.1985063552856445,
        1.916076898574829,
        1.691190242767334,
        1.6554800271987915,
        1.5481082201004028,
        1.4716951847076416,
    ],
    "lrs": [
        0.03209708631038666,
        0.05419417470693588,
        0.07629125565290451,
        0.09338834881782532,
        0.08405694365501404,
        0.0731687843799591,
    ],
    "att": [0.516071081161499, 0.00028112760628573596, 0.48364779353141785, 0.0, 0.0],
}


def test_transformer_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
