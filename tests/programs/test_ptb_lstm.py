"""A PTB-style LSTM language model: MultiRNNCell of BasicLSTMCells in DropoutWrapper, dynamic_rnn
with a fed initial state, contrib.seq2seq.sequence_loss, clip_by_global_norm and a learning rate
variable assigned from a placeholder, as TF1's tutorial model built it.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(11)
        batch, steps, hidden, vocab, layers = 3, 4, 6, 15, 2
        inputs_ph = tf.placeholder(tf.int32, [batch, steps], name="input")
        targets_ph = tf.placeholder(tf.int32, [batch, steps], name="targets")
        initializer = tf.random_uniform_initializer(-0.1, 0.1)
        with tf.variable_scope("Model", initializer=initializer):

            def cell():
                c = tf.nn.rnn_cell.BasicLSTMCell(hidden, forget_bias=0.0, state_is_tuple=True)
                return tf.nn.rnn_cell.DropoutWrapper(c, output_keep_prob=1.0)

            stack = tf.nn.rnn_cell.MultiRNNCell([cell() for _ in range(layers)])
            initial_state = stack.zero_state(batch, tf.float32)
            with tf.device("/cpu:0"):
                embedding = tf.get_variable("embedding", [vocab, hidden], dtype=tf.float32)
                emb = tf.nn.embedding_lookup(embedding, inputs_ph)
            outputs, state = tf.nn.dynamic_rnn(stack, emb, initial_state=initial_state)
            output = tf.reshape(outputs, [-1, hidden])
            softmax_w = tf.get_variable("softmax_w", [hidden, vocab], dtype=tf.float32)
            softmax_b = tf.get_variable("softmax_b", [vocab], dtype=tf.float32)
            logits = tf.nn.xw_plus_b(output, softmax_w, softmax_b)
            logits = tf.reshape(logits, [batch, steps, vocab])
            loss = tf.contrib.seq2seq.sequence_loss(
                logits,
                targets_ph,
                tf.ones([batch, steps], dtype=tf.float32),
                average_across_timesteps=False,
                average_across_batch=True,
            )
            cost = tf.reduce_sum(loss)
            lr = tf.Variable(0.0, trainable=False)
            tvars = tf.trainable_variables()
            grads, gnorm = tf.clip_by_global_norm(tf.gradients(cost, tvars), 5.0)
            optimizer = tf.train.GradientDescentOptimizer(lr)
            train_op = optimizer.apply_gradients(
                zip(grads, tvars, strict=True), global_step=tf.train.get_or_create_global_step()
            )
            new_lr = tf.placeholder(tf.float32, [], name="new_learning_rate")
            lr_update = tf.assign(lr, new_lr)
        rng = np.random.RandomState(0)
        data = rng.randint(0, vocab, size=(batch, steps + 1 + 3 * steps)).astype(np.int32)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(lr_update, {new_lr: 1.0})
            st = sess.run(initial_state)
            costs, norms = [], []
            for i in range(3):
                x = data[:, i * steps : (i + 1) * steps]
                y = data[:, i * steps + 1 : (i + 1) * steps + 1]
                feed = {inputs_ph: x, targets_ph: y}
                for j, (c, h) in enumerate(initial_state):
                    feed[c] = st[j].c
                    feed[h] = st[j].h
                cv, nv, st, _ = sess.run([cost, gnorm, state, train_op], feed)
                costs.append(float(cv))
                norms.append(float(nv))
            gs = sess.run(tf.train.get_global_step())
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
            "names": [
                outputs.name,
                cost.name,
                gnorm.name,
                train_op.name,
                logits.name,
                state[1].h.name,
                initial_state[0].c.name,
            ],
            "costs": costs,
            "norms": norms,
            "step": int(gs),
            "h": [float(v) for v in st[1].h[0]],
        }


EXPECTED = {
    "vars": [
        ["Model/embedding:0", [15, 6]],
        ["Model/rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel:0", [12, 24]],
        ["Model/rnn/multi_rnn_cell/cell_0/basic_lstm_cell/bias:0", [24]],
        ["Model/rnn/multi_rnn_cell/cell_1/basic_lstm_cell/kernel:0", [12, 24]],
        ["Model/rnn/multi_rnn_cell/cell_1/basic_lstm_cell/bias:0", [24]],
        ["Model/softmax_w:0", [6, 15]],
        ["Model/softmax_b:0", [15]],
        ["Model/Variable:0", []],
        ["Model/global_step:0", []],
    ],
    "names": [
        "Model/rnn/transpose_1:0",
        "Model/Sum:0",
        "Model/global_norm/global_norm:0",
        "Model/GradientDescent",
        "Model/Reshape_1:0",
        "Model/rnn/while/Exit_6:0",
        "Model/MultiRNNCellZeroState/DropoutWrapperZeroState/BasicLSTMCellZeroState/zeros:0",
    ],
    "costs": [10.828824996948242, 10.666464805603027, 10.45840072631836],
    "norms": [0.9678174257278442, 1.1348668336868286, 0.844417929649353],
    "step": 3,
    "h": [
        -0.024449141696095467,
        0.01913374848663807,
        -0.01918073184788227,
        0.03239249810576439,
        -0.024768220260739326,
        0.005091273225843906,
    ],
}


def test_ptb_lstm_matches_tensorflow():
    close(program(tf), EXPECTED)
