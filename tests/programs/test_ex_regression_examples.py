"""TensorFlow-Examples' linear and logistic regression scripts, run unchanged: Variables
from NumPy random numbers, a feed_dict loop over epochs with display_step prints, the
'Optimization Finished!' summary, a test cost; softmax regression on MNIST-shaped data with
a batch loop, avg_cost and accuracy.eval. The printed lines (numbers to float32 noise), names
and accuracies were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled)."""

import contextlib
import io

import numpy as np

import scopeflow as tf
from tests.programs.compare import close
from tests.programs.ex_mnist import read_data_sets


def linear_regression(tf):
    rng = np.random.RandomState(1)
    learning_rate = 0.01
    training_epochs = 200
    display_step = 50
    train_X = np.asarray(
        [
            3.3,
            4.4,
            5.5,
            6.71,
            6.93,
            4.168,
            9.779,
            6.182,
            7.59,
            2.167,
            7.042,
            10.791,
            5.313,
            7.997,
            5.654,
            9.27,
            3.1,
        ]
    )
    train_Y = np.asarray(
        [
            1.7,
            2.76,
            2.09,
            3.19,
            1.694,
            1.573,
            3.366,
            2.596,
            2.53,
            1.221,
            2.827,
            3.465,
            1.65,
            2.904,
            2.42,
            2.94,
            1.3,
        ]
    )
    n_samples = train_X.shape[0]
    X = tf.placeholder("float")
    Y = tf.placeholder("float")
    W = tf.Variable(rng.randn(), name="weight")
    b = tf.Variable(rng.randn(), name="bias")
    pred = tf.add(tf.multiply(X, W), b)
    cost = tf.reduce_sum(tf.pow(pred - Y, 2)) / (2 * n_samples)
    optimizer = tf.train.GradientDescentOptimizer(learning_rate).minimize(cost)
    init = tf.global_variables_initializer()
    with tf.Session() as sess:
        sess.run(init)
        for epoch in range(training_epochs):
            for x, y in zip(train_X, train_Y, strict=True):
                sess.run(optimizer, feed_dict={X: x, Y: y})
            if (epoch + 1) % display_step == 0:
                c = sess.run(cost, feed_dict={X: train_X, Y: train_Y})
                print(
                    "Epoch:",
                    f"{epoch + 1:04d}",
                    "cost=",
                    f"{c:.9f}",
                    "W=",
                    sess.run(W),
                    "b=",
                    sess.run(b),
                )
        print("Optimization Finished!")
        training_cost = sess.run(cost, feed_dict={X: train_X, Y: train_Y})
        print("Training cost=", training_cost, "W=", sess.run(W), "b=", sess.run(b), "\n")
        test_X = np.asarray([6.83, 4.668, 8.9, 7.91, 5.7, 8.7, 3.1, 2.1])
        test_Y = np.asarray([1.84, 2.273, 3.2, 2.831, 2.92, 3.24, 1.35, 1.03])
        print("Testing... (Mean square loss Comparison)")
        testing_cost = sess.run(
            tf.reduce_sum(tf.pow(pred - Y, 2)) / (2 * test_X.shape[0]),
            feed_dict={X: test_X, Y: test_Y},
        )
        print("Testing cost=", testing_cost)
        print("Absolute mean square loss difference:", abs(training_cost - testing_cost))
    return [W.name, b.name, W.dtype.name, pred.name, cost.name, optimizer.name]


def logistic_regression(tf):
    mnist = read_data_sets(one_hot=True)
    learning_rate = 0.5
    training_epochs = 6
    batch_size = 40
    display_step = 2
    x = tf.placeholder(tf.float32, [None, 64])
    y = tf.placeholder(tf.float32, [None, 10])
    W = tf.Variable(tf.zeros([64, 10]))
    b = tf.Variable(tf.zeros([10]))
    pred = tf.nn.softmax(tf.matmul(x, W) + b)
    cost = tf.reduce_mean(-tf.reduce_sum(y * tf.log(pred), reduction_indices=1))
    optimizer = tf.train.GradientDescentOptimizer(learning_rate).minimize(cost)
    init = tf.global_variables_initializer()
    with tf.Session() as sess:
        sess.run(init)
        for epoch in range(training_epochs):
            avg_cost = 0.0
            total_batch = int(mnist.train.num_examples / batch_size)
            for _i in range(total_batch):
                batch_xs, batch_ys = mnist.train.next_batch(batch_size)
                _, c = sess.run([optimizer, cost], feed_dict={x: batch_xs, y: batch_ys})
                avg_cost += c / total_batch
            if (epoch + 1) % display_step == 0:
                print("Epoch:", f"{epoch + 1:04d}", "cost=", f"{avg_cost:.9f}")
        print("Optimization Finished!")
        correct_prediction = tf.equal(tf.argmax(pred, 1), tf.argmax(y, 1))
        accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32))
        print("Accuracy:", accuracy.eval({x: mnist.test.images, y: mnist.test.labels}))
    return [pred.name, cost.name, correct_prediction.name, accuracy.name, optimizer.name]


def tokens(text):
    """Printed lines as lists of words, numbers (a trailing comma dropped) as floats
    (compared to float32 noise)."""
    rows = []
    for line in text.splitlines():
        row = []
        for word in line.split():
            try:
                row.append(float(word.rstrip(",")))
            except ValueError:
                row.append(word)
        rows.append(row)
    return rows


def program(tf, workdir):
    out = {}
    for name, script in [("linear", linear_regression), ("logistic", logistic_regression)]:
        printed = io.StringIO()
        with tf.Graph().as_default(), contextlib.redirect_stdout(printed):
            out[name + "_names"] = script(tf)
        out[name + "_printed"] = tokens(printed.getvalue())
    return out


EXPECTED = {
    "linear_names": ["weight:0", "bias:0", "float32_ref", "Add:0", "truediv:0", "GradientDescent"],
    "linear_printed": [
        ["Epoch:", 50.0, "cost=", 0.213137463, "W=", 0.4558863, "b=", -0.6825888],
        ["Epoch:", 100.0, "cost=", 0.197407037, "W=", 0.443617, "b=", -0.5943239],
        ["Epoch:", 150.0, "cost=", 0.183493495, "W=", 0.43207753, "b=", -0.5113104],
        ["Epoch:", 200.0, "cost=", 0.171186492, "W=", 0.42122436, "b=", -0.4332332],
        ["Optimization", "Finished!"],
        ["Training", "cost=", 0.17118649, "W=", 0.42122436, "b=", -0.4332332],
        [],
        ["Testing...", "(Mean", "square", "loss", "Comparison)"],
        ["Testing", "cost=", 0.1499775],
        ["Absolute", "mean", "square", "loss", "difference:", 0.021208987],
    ],
    "logistic_names": ["Softmax:0", "Mean:0", "Equal:0", "Mean_1:0", "GradientDescent"],
    "logistic_printed": [
        ["Epoch:", 2.0, "cost=", 2.272543669],
        ["Epoch:", 4.0, "cost=", 2.05414772],
        ["Epoch:", 6.0, "cost=", 1.864232063],
        ["Optimization", "Finished!"],
        ["Accuracy:", 0.28333333],
    ],
}


def test_regression_examples_match_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
