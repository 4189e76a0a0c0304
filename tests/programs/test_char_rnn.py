"""A char-RNN: two GRUCells in a MultiRNNCell over embeddings, clip_by_global_norm and Adam,
then a sampling loop with tf.multinomial (temperature via placeholder_with_default) feeding the
MultiRNNCell state back through its zero_state tensors.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    text = "hello world, hello tensorflow. "
    chars = sorted(set(text))
    V, H, T = len(chars), 12, 6
    ids = np.array([chars.index(c) for c in text], np.int32)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(7)
        inp = tf.placeholder(tf.int32, [None, None], name="inp")
        tgt = tf.placeholder(tf.int32, [None, None], name="tgt")
        emb = tf.get_variable("embedding", [V, 8])
        cells = [tf.nn.rnn_cell.GRUCell(H, name=f"gru_{i}") for i in range(2)]
        cell = tf.nn.rnn_cell.MultiRNNCell(cells)
        init = cell.zero_state(tf.shape(inp)[0], tf.float32)
        outs, state = tf.nn.dynamic_rnn(cell, tf.nn.embedding_lookup(emb, inp), initial_state=init)
        logits = tf.layers.dense(outs, V, name="softmax")
        loss2 = tf.reduce_mean(
            tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tgt, logits=logits)
        )
        tvars = tf.trainable_variables()
        grads, gnorm = tf.clip_by_global_norm(tf.gradients(loss2, tvars), 5.0)
        train = tf.train.AdamOptimizer(0.02).apply_gradients(zip(grads, tvars, strict=True))
        temp = tf.placeholder_with_default(1.0, [], name="temperature")
        sample = tf.multinomial(logits[:, -1, :] / temp, 1, seed=11)
        probs = tf.nn.softmax(logits[:, -1, :])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            losses, norms = [], []
            for step in range(5):
                off = [step, step + 7]
                xb = np.stack([ids[o : o + T] for o in off])
                yb = np.stack([ids[o + 1 : o + T + 1] for o in off])
                _, lv, gn = sess.run([train, loss2, gnorm], {inp: xb, tgt: yb})
                losses.append(float(lv))
                norms.append(float(gn))
            # sampling loop feeding the state back
            st = sess.run(init, {inp: np.zeros((1, 1), np.int32)})
            cur = np.array([[chars.index("h")]], np.int32)
            drawn, first_probs = [], None
            for _ in range(8):
                feed = {inp: cur}
                for ph, val in zip(init, st, strict=True):
                    feed[ph] = val
                s, p, st = sess.run([sample, probs, state], feed)
                if first_probs is None:
                    first_probs = p[0]
                drawn.append(int(s[0, 0]))
                cur = s.astype(np.int32)
    return {
        "vars": [[v.name, v.shape.as_list()] for v in g.get_collection("trainable_variables")],
        "names": [
            outs.name,
            state[0].name,
            state[1].name,
            logits.name,
            loss2.name,
            sample.name,
            gnorm.name,
            train.name,
        ],
        "losses": losses,
        "norms": norms,
        "probs": [float(v) for v in first_probs],
        "drawn_len": len(drawn),
        "drawn": drawn,
    }


EXPECTED = {
    "vars": [
        ["embedding:0", [14, 8]],
        ["rnn/multi_rnn_cell/cell_0/gru_0/gates/kernel:0", [20, 24]],
        ["rnn/multi_rnn_cell/cell_0/gru_0/gates/bias:0", [24]],
        ["rnn/multi_rnn_cell/cell_0/gru_0/candidate/kernel:0", [20, 12]],
        ["rnn/multi_rnn_cell/cell_0/gru_0/candidate/bias:0", [12]],
        ["rnn/multi_rnn_cell/cell_1/gru_1/gates/kernel:0", [24, 24]],
        ["rnn/multi_rnn_cell/cell_1/gru_1/gates/bias:0", [24]],
        ["rnn/multi_rnn_cell/cell_1/gru_1/candidate/kernel:0", [24, 12]],
        ["rnn/multi_rnn_cell/cell_1/gru_1/candidate/bias:0", [12]],
        ["softmax/kernel:0", [12, 14]],
        ["softmax/bias:0", [14]],
    ],
    "names": [
        "rnn/transpose_1:0",
        "rnn/while/Exit_3:0",
        "rnn/while/Exit_4:0",
        "softmax/BiasAdd:0",
        "Mean:0",
        "multinomial/Multinomial:0",
        "global_norm/global_norm:0",
        "Adam",
    ],
    "losses": [
        2.633334159851074,
        2.5948736667633057,
        2.55057692527771,
        2.4931554794311523,
        2.470024585723877,
    ],
    "norms": [
        0.32500553131103516,
        0.341228723526001,
        0.2874642610549927,
        0.41907545924186707,
        0.38202977180480957,
    ],
    "probs": [
        0.0910831168293953,
        0.07282735407352448,
        0.06123693287372589,
        0.07003622502088547,
        0.07795990258455276,
        0.0552881695330143,
        0.07050185650587082,
        0.08861087262630463,
        0.059187013655900955,
        0.08745906502008438,
        0.06641679257154465,
        0.059061650186777115,
        0.060065824538469315,
        0.08026526123285294,
    ],
    "drawn_len": 8,
    "drawn": [2, 9, 13, 7, 9, 0, 4, 0],
}


def test_char_rnn_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
