"""TensorFlow-Examples' basic operations and nearest neighbor scripts, run unchanged:
constants and int16 placeholders added and multiplied, a constant matmul, printed; then
nearest neighbor with an L1 distance (tf.add of tf.negative), tf.arg_min over the training
set, a per-test-point loop printing prediction and true class, and the accuracy. The printed
lines and op names were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled)."""

import contextlib
import io

import numpy as np

import scopeflow as tf
from tests.programs.compare import close
from tests.programs.ex_mnist import read_data_sets
from tests.programs.test_ex_regression_examples import tokens


def basic_operations(tf):
    a = tf.constant(2)
    b = tf.constant(3)
    with tf.Session() as sess:
        print("a=2, b=3")
        print(f"Addition with constants: {sess.run(a + b):d}")
        print(f"Multiplication with constants: {sess.run(a * b):d}")
    a = tf.placeholder(tf.int16)
    b = tf.placeholder(tf.int16)
    add = tf.add(a, b)
    mul = tf.multiply(a, b)
    with tf.Session() as sess:
        print(f"Addition with variables: {sess.run(add, feed_dict={a: 2, b: 3}):d}")
        print(f"Multiplication with variables: {sess.run(mul, feed_dict={a: 2, b: 3}):d}")
    matrix1 = tf.constant([[3.0, 3.0]])
    matrix2 = tf.constant([[2.0], [2.0]])
    product = tf.matmul(matrix1, matrix2)
    with tf.Session() as sess:
        result = sess.run(product)
        print(result)
    return [add.name, add.dtype.name, mul.name, product.name, product.shape.as_list()]


def nearest_neighbor(tf):
    mnist = read_data_sets(one_hot=True)
    Xtr, Ytr = mnist.train.next_batch(200)
    Xte, Yte = mnist.test.next_batch(20)
    xtr = tf.placeholder("float", [None, 64])
    xte = tf.placeholder("float", [64])
    distance = tf.reduce_sum(tf.abs(tf.add(xtr, tf.negative(xte))), reduction_indices=1)
    pred = tf.arg_min(distance, 0)
    accuracy = 0.0
    init = tf.global_variables_initializer()
    with tf.Session() as sess:
        sess.run(init)
        for i in range(len(Xte)):
            nn_index = sess.run(pred, feed_dict={xtr: Xtr, xte: Xte[i, :]})
            print(
                "Test",
                i,
                "Prediction:",
                np.argmax(Ytr[nn_index]),
                "True Class:",
                np.argmax(Yte[i]),
            )
            if np.argmax(Ytr[nn_index]) == np.argmax(Yte[i]):
                accuracy += 1.0 / len(Xte)
        print("Done!")
        print("Accuracy:", accuracy)
        near = sess.run(distance, feed_dict={xtr: Xtr[:4], xte: Xte[0]})
    return [
        distance.name,
        pred.name,
        pred.op.type,
        pred.dtype.name,
        pred.shape.as_list(),
        near.tolist(),
    ]


def program(tf, workdir):
    out = {}
    for name, script in [("basic", basic_operations), ("nn", nearest_neighbor)]:
        printed = io.StringIO()
        with tf.Graph().as_default(), contextlib.redirect_stdout(printed):
            out[name + "_names"] = script(tf)
        out[name + "_printed"] = tokens(printed.getvalue())
    return out


EXPECTED = {
    "basic_names": ["Add_1:0", "int16", "Mul_1:0", "MatMul:0", [1, 1]],
    "basic_printed": [
        ["a=2,", "b=3"],
        ["Addition", "with", "constants:", 5.0],
        ["Multiplication", "with", "constants:", 6.0],
        ["Addition", "with", "variables:", 5.0],
        ["Multiplication", "with", "variables:", 6.0],
        ["[[12.]]"],
    ],
    "nn_names": [
        "Sum:0",
        "ArgMin:0",
        "ArgMin",
        "int64",
        [],
        [22.877479553222656, 23.369409561157227, 23.6640682220459, 23.05017852783203],
    ],
    "nn_printed": [
        ["Test", 0.0, "Prediction:", 0.0, "True", "Class:", 6.0],
        ["Test", 1.0, "Prediction:", 0.0, "True", "Class:", 0.0],
        ["Test", 2.0, "Prediction:", 0.0, "True", "Class:", 0.0],
        ["Test", 3.0, "Prediction:", 2.0, "True", "Class:", 1.0],
        ["Test", 4.0, "Prediction:", 4.0, "True", "Class:", 0.0],
        ["Test", 5.0, "Prediction:", 5.0, "True", "Class:", 2.0],
        ["Test", 6.0, "Prediction:", 6.0, "True", "Class:", 1.0],
        ["Test", 7.0, "Prediction:", 1.0, "True", "Class:", 8.0],
        ["Test", 8.0, "Prediction:", 2.0, "True", "Class:", 5.0],
        ["Test", 9.0, "Prediction:", 2.0, "True", "Class:", 3.0],
        ["Test", 10.0, "Prediction:", 8.0, "True", "Class:", 8.0],
        ["Test", 11.0, "Prediction:", 3.0, "True", "Class:", 0.0],
        ["Test", 12.0, "Prediction:", 1.0, "True", "Class:", 5.0],
        ["Test", 13.0, "Prediction:", 8.0, "True", "Class:", 1.0],
        ["Test", 14.0, "Prediction:", 8.0, "True", "Class:", 0.0],
        ["Test", 15.0, "Prediction:", 7.0, "True", "Class:", 2.0],
        ["Test", 16.0, "Prediction:", 5.0, "True", "Class:", 7.0],
        ["Test", 17.0, "Prediction:", 0.0, "True", "Class:", 0.0],
        ["Test", 18.0, "Prediction:", 1.0, "True", "Class:", 0.0],
        ["Test", 19.0, "Prediction:", 7.0, "True", "Class:", 6.0],
        ["Done!"],
        ["Accuracy:", 0.2],
    ],
}


def test_basic_and_nearest_neighbor_match_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
