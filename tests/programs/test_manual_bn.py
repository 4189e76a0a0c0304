"""Hand-written batch norm of 2016 code (nn.moments, ExponentialMovingAverage applied in a
tf.cond on an is_training placeholder, nn.batch_normalization) around depthwise, separable and
atrous convolutions, conv1d, a static_rnn over unstacked steps, and checkpoints found again
through get_checkpoint_state and latest_checkpoint.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import os

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    rng = np.random.RandomState(21)
    xs = rng.rand(4, 8, 8, 2).astype(np.float32)
    ys = rng.randint(0, 2, 4).astype(np.int64)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(41)
        x = tf.placeholder(tf.float32, [None, 8, 8, 2])
        y = tf.placeholder(tf.int64, [None])
        is_training = tf.placeholder(tf.bool, [], name="is_training")

        def batch_norm(h, scope):
            with tf.variable_scope(scope):
                depth = h.get_shape()[-1].value
                beta = tf.Variable(tf.zeros([depth]), name="beta")
                gamma = tf.Variable(tf.ones([depth]), name="gamma")
                mean, var = tf.nn.moments(h, [0, 1, 2], name="moments")
                ema = tf.train.ExponentialMovingAverage(decay=0.5)

                def update():
                    ema_op = ema.apply([mean, var])
                    with tf.control_dependencies([ema_op]):
                        return tf.identity(mean), tf.identity(var)

                m, v = tf.cond(is_training, update, lambda: (ema.average(mean), ema.average(var)))
                return tf.nn.batch_normalization(h, m, v, beta, gamma, 1e-3)

        w1 = tf.get_variable("dw", [3, 3, 2, 2])
        h = tf.nn.depthwise_conv2d(x, w1, [1, 1, 1, 1], "SAME")
        h = tf.nn.relu(batch_norm(h, "bn1"))
        dw = tf.get_variable("sep_dw", [3, 3, 4, 1])
        pw = tf.get_variable("sep_pw", [1, 1, 4, 4])
        h = tf.nn.separable_conv2d(h, dw, pw, [1, 2, 2, 1], "SAME")
        h = tf.nn.atrous_conv2d(h, tf.get_variable("atrous", [3, 3, 4, 4]), 2, "SAME")
        h = tf.nn.relu(batch_norm(h, "bn2"))
        seq = tf.reshape(h, [-1, 16, 4])
        c = tf.layers.conv1d(seq, 3, 2, padding="valid", name="conv1d")
        inputs = tf.unstack(c, axis=1)
        cell = tf.nn.rnn_cell.BasicLSTMCell(3)
        outs, _ = tf.nn.static_rnn(cell, inputs, dtype=tf.float32)
        logits = tf.layers.dense(outs[-1], 2)
        loss = tf.losses.sparse_softmax_cross_entropy(y, logits)
        train = tf.train.AdamOptimizer(0.01).minimize(loss)
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            out = []
            for i in range(3):
                _, lv = sess.run([train, loss], {x: xs, y: ys, is_training: True})
                out.append(float(lv))
                saver.save(sess, os.path.join(str(workdir), "m"), global_step=i)
            ev = float(sess.run(loss, {x: xs, y: ys, is_training: False}))
        state = tf.train.get_checkpoint_state(str(workdir))
        latest = tf.train.latest_checkpoint(str(workdir))
        with tf.Session() as sess:
            saver.restore(sess, latest)
            ev2 = float(sess.run(loss, {x: xs, y: ys, is_training: False}))
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
            "names": [h.name, c.name, outs[-1].name, logits.name, loss.name],
            "losses": out,
            "eval": ev,
            "restored_eval": ev2,
            "latest": os.path.basename(latest),
            "all": [os.path.basename(p) for p in state.all_model_checkpoint_paths],
        }


EXPECTED = {
    "vars": [
        ["dw:0", [3, 3, 2, 2]],
        ["bn1/beta:0", [4]],
        ["bn1/gamma:0", [4]],
        ["bn1/bn1/moments/Squeeze/ExponentialMovingAverage:0", [4]],
        ["bn1/bn1/moments/Squeeze_1/ExponentialMovingAverage:0", [4]],
        ["sep_dw:0", [3, 3, 4, 1]],
        ["sep_pw:0", [1, 1, 4, 4]],
        ["atrous:0", [3, 3, 4, 4]],
        ["bn2/beta:0", [4]],
        ["bn2/gamma:0", [4]],
        ["bn2/bn2/moments/Squeeze/ExponentialMovingAverage:0", [4]],
        ["bn2/bn2/moments/Squeeze_1/ExponentialMovingAverage:0", [4]],
        ["conv1d/kernel:0", [2, 4, 3]],
        ["conv1d/bias:0", [3]],
        ["rnn/basic_lstm_cell/kernel:0", [6, 12]],
        ["rnn/basic_lstm_cell/bias:0", [12]],
        ["dense/kernel:0", [3, 2]],
        ["dense/bias:0", [2]],
        ["beta1_power:0", []],
        ["beta2_power:0", []],
        ["dw/Adam:0", [3, 3, 2, 2]],
        ["dw/Adam_1:0", [3, 3, 2, 2]],
        ["bn1/beta/Adam:0", [4]],
        ["bn1/beta/Adam_1:0", [4]],
        ["bn1/gamma/Adam:0", [4]],
        ["bn1/gamma/Adam_1:0", [4]],
        ["sep_dw/Adam:0", [3, 3, 4, 1]],
        ["sep_dw/Adam_1:0", [3, 3, 4, 1]],
        ["sep_pw/Adam:0", [1, 1, 4, 4]],
        ["sep_pw/Adam_1:0", [1, 1, 4, 4]],
        ["atrous/Adam:0", [3, 3, 4, 4]],
        ["atrous/Adam_1:0", [3, 3, 4, 4]],
        ["bn2/beta/Adam:0", [4]],
        ["bn2/beta/Adam_1:0", [4]],
        ["bn2/gamma/Adam:0", [4]],
        ["bn2/gamma/Adam_1:0", [4]],
        ["conv1d/kernel/Adam:0", [2, 4, 3]],
        ["conv1d/kernel/Adam_1:0", [2, 4, 3]],
        ["conv1d/bias/Adam:0", [3]],
        ["conv1d/bias/Adam_1:0", [3]],
        ["rnn/basic_lstm_cell/kernel/Adam:0", [6, 12]],
        ["rnn/basic_lstm_cell/kernel/Adam_1:0", [6, 12]],
        ["rnn/basic_lstm_cell/bias/Adam:0", [12]],
        ["rnn/basic_lstm_cell/bias/Adam_1:0", [12]],
        ["dense/kernel/Adam:0", [3, 2]],
        ["dense/kernel/Adam_1:0", [3, 2]],
        ["dense/bias/Adam:0", [2]],
        ["dense/bias/Adam_1:0", [2]],
    ],
    "names": [
        "Relu_1:0",
        "conv1d/BiasAdd:0",
        "rnn/basic_lstm_cell/Mul_44:0",
        "dense/BiasAdd:0",
        "sparse_softmax_cross_entropy_loss/value:0",
    ],
    "losses": [0.6499540209770203, 0.5967029333114624, 0.5464044213294983],
    "eval": 0.4900907576084137,
    "restored_eval": 0.4900907576084137,
    "latest": "m-2",
    "all": ["m-0", "m-1", "m-2"],
}


def test_manual_bn_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
