"""TensorFlow-Examples' save_restore_model.py (with multilayer_perceptron.py's network),
run unchanged (sized down): a two-hidden-layer perceptron from a random_normal
weights/biases dict, softmax cross entropy with Adam, a first optimization of a few
epochs with display prints, 'Model saved in file' from saver.save, then a second session
that restores the model, goes on training and reports the accuracy. Printed lines (the
save path's folder left out), names, checkpoint keys and accuracies were printed by the
same script under TensorFlow 2.21 (``tensorflow.compat.v1``, v2 behaviour disabled)."""

import contextlib
import io
import os

import scopeflow as tf
from tests.programs.compare import close
from tests.programs.ex_mnist import read_data_sets
from tests.programs.test_ex_regression_examples import tokens


def save_restore(tf, model_path):
    mnist = read_data_sets(one_hot=True)
    learning_rate = 0.01
    batch_size = 40
    display_step = 1
    n_hidden_1 = 32
    n_hidden_2 = 16
    n_input = 64
    n_classes = 10
    tf.set_random_seed(51)
    x = tf.placeholder("float", [None, n_input])
    y = tf.placeholder("float", [None, n_classes])

    def multilayer_perceptron(x, weights, biases):
        layer_1 = tf.add(tf.matmul(x, weights["h1"]), biases["b1"])
        layer_1 = tf.nn.relu(layer_1)
        layer_2 = tf.add(tf.matmul(layer_1, weights["h2"]), biases["b2"])
        layer_2 = tf.nn.relu(layer_2)
        out_layer = tf.matmul(layer_2, weights["out"]) + biases["out"]
        return out_layer

    weights = {
        "h1": tf.Variable(tf.random_normal([n_input, n_hidden_1])),
        "h2": tf.Variable(tf.random_normal([n_hidden_1, n_hidden_2])),
        "out": tf.Variable(tf.random_normal([n_hidden_2, n_classes])),
    }
    biases = {
        "b1": tf.Variable(tf.random_normal([n_hidden_1])),
        "b2": tf.Variable(tf.random_normal([n_hidden_2])),
        "out": tf.Variable(tf.random_normal([n_classes])),
    }
    pred = multilayer_perceptron(x, weights, biases)
    cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=pred, labels=y))
    optimizer = tf.train.AdamOptimizer(learning_rate=learning_rate).minimize(cost)
    init = tf.global_variables_initializer()
    saver = tf.train.Saver()
    print("Starting 1st session...")
    with tf.Session() as sess:
        sess.run(init)
        for epoch in range(3):
            avg_cost = 0.0
            total_batch = int(mnist.train.num_examples / batch_size)
            for _i in range(total_batch):
                batch_x, batch_y = mnist.train.next_batch(batch_size)
                _, c = sess.run([optimizer, cost], feed_dict={x: batch_x, y: batch_y})
                avg_cost += c / total_batch
            if epoch % display_step == 0:
                print("Epoch:", f"{epoch + 1:04d}", "cost=", f"{avg_cost:.9f}")
        print("First Optimization Finished!")
        correct_prediction = tf.equal(tf.argmax(pred, 1), tf.argmax(y, 1))
        accuracy = tf.reduce_mean(tf.cast(correct_prediction, "float"))
        print("Accuracy:", accuracy.eval({x: mnist.test.images, y: mnist.test.labels}))
        save_path = saver.save(sess, model_path)
        print(f"Model saved in file: {os.path.basename(save_path)}")
    print("Starting 2nd session...")
    with tf.Session() as sess:
        sess.run(init)
        saver.restore(sess, model_path)
        print(f"Model restored from file: {os.path.basename(save_path)}")
        for epoch in range(4):
            avg_cost = 0.0
            total_batch = int(mnist.train.num_examples / batch_size)
            for _i in range(total_batch):
                batch_x, batch_y = mnist.train.next_batch(batch_size)
                _, c = sess.run([optimizer, cost], feed_dict={x: batch_x, y: batch_y})
                avg_cost += c / total_batch
            if epoch % display_step == 0:
                print("Epoch:", f"{epoch + 1:04d}", "cost=", f"{avg_cost:.9f}")
        print("Second Optimization Finished!")
        correct_prediction = tf.equal(tf.argmax(pred, 1), tf.argmax(y, 1))
        accuracy = tf.reduce_mean(tf.cast(correct_prediction, "float"))
        print("Accuracy:", accuracy.eval({x: mnist.test.images, y: mnist.test.labels}))
    return {
        "names": [pred.name, cost.name, optimizer.name, correct_prediction.name],
        "saver": [saver.saver_def.save_tensor_name, saver.saver_def.restore_op_name],
        "keys": [[k, s] for k, s in tf.train.list_variables(model_path)],
    }


def program(tf, workdir):
    printed = io.StringIO()
    with tf.Graph().as_default(), contextlib.redirect_stdout(printed):
        out = save_restore(tf, os.path.join(str(workdir), "model.ckpt"))
    out["printed"] = tokens(printed.getvalue())
    out["files"] = sorted(os.listdir(workdir))
    return out


EXPECTED = {
    "names": ["add_2:0", "Mean:0", "Adam", "Equal_1:0"],
    "saver": ["save/control_dependency:0", "save/restore_all"],
    "keys": [
        ["Variable", [64, 32]],
        ["Variable/Adam", [64, 32]],
        ["Variable/Adam_1", [64, 32]],
        ["Variable_1", [32, 16]],
        ["Variable_1/Adam", [32, 16]],
        ["Variable_1/Adam_1", [32, 16]],
        ["Variable_2", [16, 10]],
        ["Variable_2/Adam", [16, 10]],
        ["Variable_2/Adam_1", [16, 10]],
        ["Variable_3", [32]],
        ["Variable_3/Adam", [32]],
        ["Variable_3/Adam_1", [32]],
        ["Variable_4", [16]],
        ["Variable_4/Adam", [16]],
        ["Variable_4/Adam_1", [16]],
        ["Variable_5", [10]],
        ["Variable_5/Adam", [10]],
        ["Variable_5/Adam_1", [10]],
        ["beta1_power", []],
        ["beta2_power", []],
    ],
    "printed": [
        ["Starting", "1st", "session..."],
        ["Epoch:", 1.0, "cost=", 73.429077148],
        ["Epoch:", 2.0, "cost=", 37.426719666],
        ["Epoch:", 3.0, "cost=", 18.423313141],
        ["First", "Optimization", "Finished!"],
        ["Accuracy:", 0.15],
        ["Model", "saved", "in", "file:", "model.ckpt"],
        ["Starting", "2nd", "session..."],
        ["Model", "restored", "from", "file:", "model.ckpt"],
        ["Epoch:", 1.0, "cost=", 9.652721405],
        ["Epoch:", 2.0, "cost=", 5.241511822],
        ["Epoch:", 3.0, "cost=", 3.483260632],
        ["Epoch:", 4.0, "cost=", 2.769562721],
        ["Second", "Optimization", "Finished!"],
        ["Accuracy:", 0.06666667],
    ],
    "files": [
        "checkpoint",
        "model.ckpt.data-00000-of-00001",
        "model.ckpt.index",
        "model.ckpt.meta",
    ],
}


def test_save_restore_model_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
