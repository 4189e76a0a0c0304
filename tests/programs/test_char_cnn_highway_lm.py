"""A character-aware language model (Kim et al.) as its TF1 code built it: words fed as padded
character ids [batch, steps, max_word_length], character embeddings with the padding row zeroed
by a scatter_update after each step, convolutions of several widths over the characters
(tf.nn.conv2d on [N, 1, chars, dim] with get_variable'd kernels), max over time, two highway
layers (carry gates with bias -2), a two-layer LSTM by dynamic_rnn, a softmax over the word
vocabulary with a weighted sparse cross-entropy, SGD on a learning-rate variable with global
norm clipping; then perplexity from the summed loss.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    rng = np.random.RandomState(17)
    batch, steps, max_len, n_chars, char_dim, n_words, hidden = 2, 3, 5, 9, 4, 10, 6
    kernels, features = [1, 2, 3], [3, 4, 5]
    chars = rng.randint(1, n_chars, size=(batch, steps, max_len)).astype(np.int32)
    chars[:, :, 4:] = 0
    chars[0, 1, 2:] = 0
    targets = rng.randint(0, n_words, size=(batch, steps)).astype(np.int32)
    weights = np.array([[1, 1, 1], [1, 1, 0]], np.float32)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(19)
        input_ = tf.placeholder(tf.int32, [batch, steps, max_len], name="input")
        target = tf.placeholder(tf.int32, [batch, steps], name="targets")
        target_weights = tf.placeholder(tf.float32, [batch, steps], name="weights")
        with tf.variable_scope("Embedding"):
            char_embedding = tf.get_variable(
                "char_embedding",
                [n_chars, char_dim],
                initializer=tf.random_uniform_initializer(-0.05, 0.05),
            )
            clear_padding = tf.scatter_update(
                char_embedding, [0], tf.constant(0.0, shape=[1, char_dim])
            )
            embedded = tf.nn.embedding_lookup(char_embedding, input_)
            embedded = tf.reshape(embedded, [-1, max_len, char_dim])

        with tf.variable_scope("TDNN"):
            x = tf.expand_dims(embedded, 1)
            layers = []
            for width, n_out in zip(kernels, features, strict=True):
                w = tf.get_variable(f"kernel_{width}", [1, width, char_dim, n_out])
                b = tf.get_variable(f"bias_{width}", [n_out], initializer=tf.zeros_initializer())
                conv = tf.nn.conv2d(x, w, strides=[1, 1, 1, 1], padding="VALID") + b
                pool = tf.reduce_max(tf.tanh(conv), axis=[1, 2])
                layers.append(pool)
            cnn = tf.concat(layers, 1)
        size = sum(features)

        def highway(t, num_layers, bias=-2.0):
            for i in range(num_layers):
                with tf.variable_scope(f"highway_{i}"):
                    wg = tf.get_variable("gate_w", [size, size])
                    bg = tf.get_variable(
                        "gate_b", [size], initializer=tf.constant_initializer(bias)
                    )
                    wh = tf.get_variable("transform_w", [size, size])
                    bh = tf.get_variable("transform_b", [size], initializer=tf.zeros_initializer())
                    gate = tf.sigmoid(tf.matmul(t, wg) + bg)
                    h = tf.nn.relu(tf.matmul(t, wh) + bh)
                    t = gate * h + (1.0 - gate) * t
            return t

        with tf.variable_scope("Highway"):
            words = highway(cnn, 2)
        words = tf.reshape(words, [batch, steps, size])
        with tf.variable_scope("LSTM"):
            cell = tf.nn.rnn_cell.MultiRNNCell(
                [tf.nn.rnn_cell.BasicLSTMCell(hidden, forget_bias=0.0) for _ in range(2)]
            )
            outputs, final_state = tf.nn.dynamic_rnn(cell, words, dtype=tf.float32)
        with tf.variable_scope("Softmax"):
            logits = tf.layers.dense(tf.reshape(outputs, [-1, hidden]), n_words)
        loss_sum = tf.losses.sparse_softmax_cross_entropy(
            tf.reshape(target, [-1]),
            logits,
            weights=tf.reshape(target_weights, [-1]),
            reduction=tf.losses.Reduction.SUM,
        )
        loss = loss_sum / tf.reduce_sum(target_weights)
        perplexity = tf.exp(loss, name="perplexity")
        lr = tf.Variable(1.0, trainable=False, name="learning_rate")
        step = tf.Variable(0, trainable=False, name="global_step")
        tvars = tf.trainable_variables()
        grads, norm = tf.clip_by_global_norm(tf.gradients(loss, tvars), 5.0)
        train_op = tf.train.GradientDescentOptimizer(lr).apply_gradients(
            zip(grads, tvars, strict=True), global_step=step
        )
        feed = {input_: chars, target: targets, target_weights: weights}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(clear_padding)
            losses, norms = [], []
            for i in range(3):
                lv, nv, _ = sess.run([loss, norm, train_op], feed)
                sess.run(clear_padding)
                losses.append(float(lv))
                norms.append(float(nv))
                if i == 1:
                    sess.run(lr.assign(lr * 0.5))
            ppl, emb_rows = sess.run([perplexity, char_embedding], feed)
            h = sess.run(final_state[1].h, feed)
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
            "names": [cnn.name, words.name, outputs.name, loss.name, perplexity.name, norm.name],
            "losses": losses,
            "norms": norms,
            "perplexity": float(ppl),
            "embedding": emb_rows[:2].tolist(),
            "h": h.tolist(),
        }


EXPECTED = {
    "vars": [
        ["Embedding/char_embedding:0", [9, 4]],
        ["TDNN/kernel_1:0", [1, 1, 4, 3]],
        ["TDNN/bias_1:0", [3]],
        ["TDNN/kernel_2:0", [1, 2, 4, 4]],
        ["TDNN/bias_2:0", [4]],
        ["TDNN/kernel_3:0", [1, 3, 4, 5]],
        ["TDNN/bias_3:0", [5]],
        ["Highway/highway_0/gate_w:0", [12, 12]],
        ["Highway/highway_0/gate_b:0", [12]],
        ["Highway/highway_0/transform_w:0", [12, 12]],
        ["Highway/highway_0/transform_b:0", [12]],
        ["Highway/highway_1/gate_w:0", [12, 12]],
        ["Highway/highway_1/gate_b:0", [12]],
        ["Highway/highway_1/transform_w:0", [12, 12]],
        ["Highway/highway_1/transform_b:0", [12]],
        ["LSTM/rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel:0", [18, 24]],
        ["LSTM/rnn/multi_rnn_cell/cell_0/basic_lstm_cell/bias:0", [24]],
        ["LSTM/rnn/multi_rnn_cell/cell_1/basic_lstm_cell/kernel:0", [12, 24]],
        ["LSTM/rnn/multi_rnn_cell/cell_1/basic_lstm_cell/bias:0", [24]],
        ["Softmax/dense/kernel:0", [6, 10]],
        ["Softmax/dense/bias:0", [10]],
        ["learning_rate:0", []],
        ["global_step:0", []],
    ],
    "names": [
        "TDNN/concat:0",
        "Reshape:0",
        "LSTM/rnn/transpose_1:0",
        "truediv:0",
        "perplexity:0",
        "global_norm/global_norm:0",
    ],
    "losses": [2.3029510974884033, 2.039005994796753, 1.834848403930664],
    "norms": [0.5291401743888855, 0.4672636091709137, 0.40593698620796204],
    "perplexity": 5.7851176261901855,
    "embedding": [
        [0.0, 0.0, 0.0, 0.0],
        [0.004388508852571249, 0.04319174587726593, 0.0036894064396619797, -0.03468261659145355],
    ],
    "h": [
        [
            -0.008286925964057446,
            -0.07545928657054901,
            0.010769438929855824,
            -0.0020012822933495045,
            -0.07222182303667068,
            0.06597071141004562,
        ],
        [
            -0.007819038815796375,
            -0.075315922498703,
            0.011187195777893066,
            -0.0026431940495967865,
            -0.07195249199867249,
            0.06684625893831253,
        ],
    ],
}


def test_char_cnn_highway_lm_matches_tensorflow():
    close(program(tf), EXPECTED)
