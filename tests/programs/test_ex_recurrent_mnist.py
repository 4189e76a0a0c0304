"""TensorFlow-Examples' recurrent network scripts on MNIST-shaped rows, run unchanged:
recurrent_network.py (tf.unstack into timesteps, tf.contrib.rnn.BasicLSTMCell with
forget_bias=1.0, tf.contrib.rnn.static_rnn, the last output through a weights/biases dict),
bidirectional_rnn.py (static_bidirectional_rnn of two BasicLSTMCells, concatenated outputs)
and dynamic_rnn.py (a toy variable-length sequence set, dynamic_rnn with sequence_length,
the last relevant output taken by tf.gather of batch * max_len + (len - 1)). Each trains
with its optimizer and prints its display_step lines. Printed lines, variable and op names
were printed by the same scripts under TensorFlow 2.21 (``tensorflow.compat.v1`` with v2
behaviour disabled; tf.contrib's cells are tf.nn.rnn_cell's there)."""

import contextlib
import io

import numpy as np

import scopeflow as tf
from tests.programs.compare import close
from tests.programs.ex_mnist import read_data_sets
from tests.programs.test_ex_regression_examples import tokens


def rnn_namespace(tf):
    contrib = getattr(tf, "contrib", None)
    return contrib.rnn if contrib is not None else tf.nn.rnn_cell


def recurrent_network(tf, bidirectional):
    rnn = rnn_namespace(tf)
    static_rnn = rnn.static_rnn if hasattr(rnn, "static_rnn") else tf.nn.static_rnn
    static_birnn = getattr(rnn, "static_bidirectional_rnn", None) or tf.nn.static_bidirectional_rnn
    mnist = read_data_sets(one_hot=True)
    learning_rate = 0.01
    training_steps = 12
    batch_size = 20
    display_step = 4
    num_input = 8
    timesteps = 8
    num_hidden = 16
    num_classes = 10
    tf.set_random_seed(3)
    X = tf.placeholder("float", [None, timesteps, num_input])
    Y = tf.placeholder("float", [None, num_classes])
    out_hidden = 2 * num_hidden if bidirectional else num_hidden
    weights = {"out": tf.Variable(tf.random_normal([out_hidden, num_classes]))}
    biases = {"out": tf.Variable(tf.random_normal([num_classes]))}

    def RNN(x, weights, biases):
        x = tf.unstack(x, timesteps, 1)
        lstm_cell = rnn.BasicLSTMCell(num_hidden, forget_bias=1.0)
        outputs, states = static_rnn(lstm_cell, x, dtype=tf.float32)
        return tf.matmul(outputs[-1], weights["out"]) + biases["out"]

    def BiRNN(x, weights, biases):
        x = tf.unstack(x, timesteps, 1)
        lstm_fw_cell = rnn.BasicLSTMCell(num_hidden, forget_bias=1.0)
        lstm_bw_cell = rnn.BasicLSTMCell(num_hidden, forget_bias=1.0)
        outputs, _, _ = static_birnn(lstm_fw_cell, lstm_bw_cell, x, dtype=tf.float32)
        return tf.matmul(outputs[-1], weights["out"]) + biases["out"]

    logits = (BiRNN if bidirectional else RNN)(X, weights, biases)
    prediction = tf.nn.softmax(logits)
    loss_op = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=logits, labels=Y))
    optimizer = tf.train.GradientDescentOptimizer(learning_rate=learning_rate)
    train_op = optimizer.minimize(loss_op)
    correct_pred = tf.equal(tf.argmax(prediction, 1), tf.argmax(Y, 1))
    accuracy = tf.reduce_mean(tf.cast(correct_pred, tf.float32))
    init = tf.global_variables_initializer()
    with tf.Session() as sess:
        sess.run(init)
        for step in range(1, training_steps + 1):
            batch_x, batch_y = mnist.train.next_batch(batch_size)
            batch_x = batch_x.reshape((batch_size, timesteps, num_input))
            sess.run(train_op, feed_dict={X: batch_x, Y: batch_y})
            if step % display_step == 0 or step == 1:
                loss, acc = sess.run([loss_op, accuracy], feed_dict={X: batch_x, Y: batch_y})
                print(
                    "Step " + str(step) + ", Minibatch Loss= " + f"{loss:.4f}"
                    ", Training Accuracy= " + f"{acc:.3f}"
                )
        print("Optimization Finished!")
        test_len = 40
        test_data = mnist.test.images[:test_len].reshape((-1, timesteps, num_input))
        test_label = mnist.test.labels[:test_len]
        print("Testing Accuracy:", sess.run(accuracy, feed_dict={X: test_data, Y: test_label}))
        test_logits = sess.run(logits, feed_dict={X: test_data[:2]})
    return {
        "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
        "names": [logits.name, loss_op.name, train_op.name],
        "logits": test_logits.tolist(),
    }


class ToySequenceData:
    """dynamic_rnn.py's generator: linear sequences (label 1) or random ones (label 0),
    padded with zeros to max_seq_len, drawn from a seeded NumPy stream."""

    def __init__(self, n_samples, max_seq_len, min_seq_len, max_value, rng):
        self.data, self.labels, self.seqlen = [], [], []
        for _ in range(n_samples):
            length = rng.randint(min_seq_len, max_seq_len)
            self.seqlen.append(length)
            if rng.random_sample() < 0.5:
                rand_start = rng.randint(0, max_value - length)
                s = [[float(i) / max_value] for i in range(rand_start, rand_start + length)]
                s += [[0.0] for _ in range(max_seq_len - length)]
                self.data.append(s)
                self.labels.append([1.0, 0.0])
            else:
                s = [[float(rng.randint(0, max_value)) / max_value] for _ in range(length)]
                s += [[0.0] for _ in range(max_seq_len - length)]
                self.data.append(s)
                self.labels.append([0.0, 1.0])
        self.batch_id = 0

    def next(self, batch_size):
        if self.batch_id == len(self.data):
            self.batch_id = 0
        end = min(self.batch_id + batch_size, len(self.data))
        batch_data = self.data[self.batch_id : end]
        batch_labels = self.labels[self.batch_id : end]
        batch_seqlen = self.seqlen[self.batch_id : end]
        self.batch_id = end
        return batch_data, batch_labels, batch_seqlen


def dynamic_rnn(tf):
    rnn = rnn_namespace(tf)
    learning_rate = 0.01
    training_steps = 10
    batch_size = 16
    display_step = 5
    seq_max_len = 12
    n_hidden = 16
    n_classes = 2
    data_rng = np.random.RandomState(2)
    trainset = ToySequenceData(64, seq_max_len, 3, 100, data_rng)
    testset = ToySequenceData(32, seq_max_len, 3, 100, data_rng)
    tf.set_random_seed(9)
    x = tf.placeholder("float", [None, seq_max_len, 1])
    y = tf.placeholder("float", [None, n_classes])
    seqlen = tf.placeholder(tf.int32, [None])
    weights = {"out": tf.Variable(tf.random_normal([n_hidden, n_classes]))}
    biases = {"out": tf.Variable(tf.random_normal([n_classes]))}

    def dynamicRNN(x, seqlen, weights, biases):
        lstm_cell = rnn.BasicLSTMCell(n_hidden)
        outputs, states = tf.nn.dynamic_rnn(lstm_cell, x, dtype=tf.float32, sequence_length=seqlen)
        batch_size = tf.shape(outputs)[0]
        index = tf.range(0, batch_size) * seq_max_len + (seqlen - 1)
        outputs = tf.gather(tf.reshape(outputs, [-1, n_hidden]), index)
        return tf.matmul(outputs, weights["out"]) + biases["out"]

    pred = dynamicRNN(x, seqlen, weights, biases)
    cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=pred, labels=y))
    optimizer = tf.train.GradientDescentOptimizer(learning_rate=learning_rate).minimize(cost)
    correct_pred = tf.equal(tf.argmax(pred, 1), tf.argmax(y, 1))
    accuracy = tf.reduce_mean(tf.cast(correct_pred, tf.float32))
    init = tf.global_variables_initializer()
    with tf.Session() as sess:
        sess.run(init)
        for step in range(1, training_steps + 1):
            batch_x, batch_y, batch_seqlen = trainset.next(batch_size)
            feed = {x: batch_x, y: batch_y, seqlen: batch_seqlen}
            sess.run(optimizer, feed_dict=feed)
            if step % display_step == 0 or step == 1:
                acc, loss = sess.run([accuracy, cost], feed_dict=feed)
                print(
                    "Step " + str(step * batch_size) + ", Minibatch Loss= " + f"{loss:.6f}"
                    ", Training Accuracy= " + f"{acc:.5f}"
                )
        print("Optimization Finished!")
        test_feed = {x: testset.data, y: testset.labels, seqlen: testset.seqlen}
        print("Testing Accuracy:", sess.run(accuracy, feed_dict=test_feed))
        test_pred = sess.run(pred, feed_dict=test_feed)
    return {
        "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
        "names": [pred.name, cost.name, optimizer.name],
        "pred": test_pred[:3].tolist(),
    }


def program(tf, workdir):
    out = {}
    scripts = [
        ("lstm", lambda: recurrent_network(tf, False)),
        ("birnn", lambda: recurrent_network(tf, True)),
        ("dynamic", lambda: dynamic_rnn(tf)),
    ]
    for name, script in scripts:
        printed = io.StringIO()
        with tf.Graph().as_default(), contextlib.redirect_stdout(printed):
            out[name] = script()
        out[name]["printed"] = tokens(printed.getvalue())
    return out


EXPECTED = {
    "lstm": {
        "vars": [
            ["Variable:0", [16, 10]],
            ["Variable_1:0", [10]],
            ["rnn/basic_lstm_cell/kernel:0", [24, 64]],
            ["rnn/basic_lstm_cell/bias:0", [64]],
        ],
        "names": ["add:0", "Mean:0", "GradientDescent"],
        "logits": [
            [
                0.9233057498931885,
                -1.04486083984375,
                0.7539119720458984,
                0.5282866954803467,
                -1.1861636638641357,
                -1.9610679149627686,
                0.2758915424346924,
                -0.6973518133163452,
                -0.4627991318702698,
                0.8744269609451294,
            ],
            [
                0.9667340517044067,
                -1.0205984115600586,
                0.5955132842063904,
                0.48097386956214905,
                -1.2981854677200317,
                -1.947338581085205,
                0.310214102268219,
                -0.6101944446563721,
                -0.5737036466598511,
                0.8600134253501892,
            ],
        ],
        "printed": [
            ["Step", 1.0, "Minibatch", "Loss=", 2.6519, "Training", "Accuracy=", 0.0],
            ["Step", 4.0, "Minibatch", "Loss=", 2.791, "Training", "Accuracy=", 0.15],
            ["Step", 8.0, "Minibatch", "Loss=", 2.9269, "Training", "Accuracy=", 0.1],
            ["Step", 12.0, "Minibatch", "Loss=", 2.2477, "Training", "Accuracy=", 0.1],
            ["Optimization", "Finished!"],
            ["Testing", "Accuracy:", 0.25],
        ],
    },
    "birnn": {
        "vars": [
            ["Variable:0", [32, 10]],
            ["Variable_1:0", [10]],
            ["bidirectional_rnn/fw/basic_lstm_cell/kernel:0", [24, 64]],
            ["bidirectional_rnn/fw/basic_lstm_cell/bias:0", [64]],
            ["bidirectional_rnn/bw/basic_lstm_cell/kernel:0", [24, 64]],
            ["bidirectional_rnn/bw/basic_lstm_cell/bias:0", [64]],
        ],
        "names": ["add:0", "Mean:0", "GradientDescent"],
        "logits": [
            [
                1.0137419700622559,
                -0.7394952178001404,
                0.7961932420730591,
                0.7875380516052246,
                -1.1521072387695312,
                -1.9486113786697388,
                0.2801506519317627,
                -0.40448325872421265,
                -0.5834211707115173,
                0.8327844738960266,
            ],
            [
                1.0723600387573242,
                -0.6327380537986755,
                0.6815935969352722,
                0.7947817444801331,
                -1.2730660438537598,
                -2.0339856147766113,
                0.43538177013397217,
                -0.2968648672103882,
                -0.7683419585227966,
                0.6915616989135742,
            ],
        ],
        "printed": [
            ["Step", 1.0, "Minibatch", "Loss=", 2.6193, "Training", "Accuracy=", 0.0],
            ["Step", 4.0, "Minibatch", "Loss=", 2.8647, "Training", "Accuracy=", 0.15],
            ["Step", 8.0, "Minibatch", "Loss=", 2.8883, "Training", "Accuracy=", 0.15],
            ["Step", 12.0, "Minibatch", "Loss=", 2.2817, "Training", "Accuracy=", 0.1],
            ["Optimization", "Finished!"],
            ["Testing", "Accuracy:", 0.175],
        ],
    },
    "dynamic": {
        "vars": [
            ["Variable:0", [16, 2]],
            ["Variable_1:0", [2]],
            ["rnn/basic_lstm_cell/kernel:0", [17, 64]],
            ["rnn/basic_lstm_cell/bias:0", [64]],
        ],
        "names": ["add_1:0", "Mean:0", "GradientDescent"],
        "pred": [
            [-0.2208397388458252, 0.010015077888965607],
            [-0.06651479005813599, -0.01820354163646698],
            [-0.06138836219906807, -0.007489338517189026],
        ],
        "printed": [
            ["Step", 16.0, "Minibatch", "Loss=", 0.723854, "Training", "Accuracy=", 0.4375],
            ["Step", 80.0, "Minibatch", "Loss=", 0.716553, "Training", "Accuracy=", 0.4375],
            ["Step", 160.0, "Minibatch", "Loss=", 0.696894, "Training", "Accuracy=", 0.4375],
            ["Optimization", "Finished!"],
            ["Testing", "Accuracy:", 0.53125],
        ],
    },
}


def test_recurrent_examples_match_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
