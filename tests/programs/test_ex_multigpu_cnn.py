"""TensorFlow-Examples' multigpu_cnn.py, run unchanged (sized down, on a CPU under soft
placement): assign_to_device's device function (variable ops, by their NodeDef's op type,
to the parameter device; the rest to '/gpu:<i>'), a placeholder batch sliced per tower, a
tf.layers conv_net built for training and reused for testing in each tower (reuse_vars),
compute_gradients per tower, average_gradients (expand_dims, concat, reduce_mean), one
apply_gradients, display prints with examples/sec (left out of the comparison) and the test
accuracy averaged over batches. Printed lines, names, devices and numbers were printed by
the same script under TensorFlow 2.21 (``tensorflow.compat.v1``, v2 behaviour disabled)."""

import contextlib
import io
import re
import time

import numpy as np

import scopeflow as tf
from tests.programs.compare import close
from tests.programs.ex_mnist import read_data_sets
from tests.programs.test_ex_regression_examples import tokens

PS_OPS = ["Variable", "VariableV2", "AutoReloadVariable"]


def multigpu_cnn(tf):
    mnist = read_data_sets(one_hot=True)
    num_gpus = 2
    num_steps = 6
    learning_rate = 0.005
    batch_size = 12
    display_step = 2
    num_input = 64
    num_classes = 10
    dropout = 0.25
    tf.set_random_seed(71)

    def conv_net(x, n_classes, dropout, reuse, is_training):
        with tf.variable_scope("ConvNet", reuse=reuse):
            x = tf.reshape(x, shape=[-1, 8, 8, 1])
            x = tf.layers.conv2d(x, 8, 3, activation=tf.nn.relu)
            x = tf.layers.max_pooling2d(x, 2, 2)
            x = tf.layers.conv2d(x, 8, 2, activation=tf.nn.relu)
            x = tf.contrib.layers.flatten(x) if hasattr(tf, "contrib") else tf.layers.flatten(x)
            x = tf.layers.dense(x, 16)
            x = tf.layers.dropout(x, rate=dropout, training=is_training)
            out = tf.layers.dense(x, n_classes)
            out = tf.nn.softmax(out) if not is_training else out
        return out

    def average_gradients(tower_grads):
        average_grads = []
        for grad_and_vars in zip(*tower_grads, strict=True):
            grads = []
            for g, _ in grad_and_vars:
                expanded_g = tf.expand_dims(g, 0)
                grads.append(expanded_g)
            grad = tf.concat(grads, 0)
            grad = tf.reduce_mean(grad, 0)
            v = grad_and_vars[0][1]
            grad_and_var = (grad, v)
            average_grads.append(grad_and_var)
        return average_grads

    def assign_to_device(device, ps_device="/cpu:0"):
        def _assign(op):
            node_def = op if isinstance(op, tf.NodeDef) else op.node_def
            if node_def.op in PS_OPS:
                return "/" + ps_device
            else:
                return device

        return _assign

    with tf.device("/cpu:0"):
        tower_grads = []
        reuse_vars = False
        X = tf.placeholder(tf.float32, [None, num_input])
        Y = tf.placeholder(tf.float32, [None, num_classes])
        for i in range(num_gpus):
            with tf.device(assign_to_device(f"/gpu:{i}", ps_device="/cpu:0")):
                _x = X[i * batch_size : (i + 1) * batch_size]
                _y = Y[i * batch_size : (i + 1) * batch_size]
                logits_train = conv_net(
                    _x, num_classes, dropout, reuse=reuse_vars, is_training=True
                )
                logits_test = conv_net(_x, num_classes, dropout, reuse=True, is_training=False)
                loss_op = tf.reduce_mean(
                    tf.nn.softmax_cross_entropy_with_logits(logits=logits_train, labels=_y)
                )
                optimizer = tf.train.AdamOptimizer(learning_rate=learning_rate)
                grads = optimizer.compute_gradients(loss_op)
                if i == 0:
                    correct_pred = tf.equal(tf.argmax(logits_test, 1), tf.argmax(_y, 1))
                    accuracy = tf.reduce_mean(tf.cast(correct_pred, tf.float32))
                reuse_vars = True
                tower_grads.append(grads)
        tower_grads = average_gradients(tower_grads)
        train_op = optimizer.apply_gradients(tower_grads)
        init = tf.global_variables_initializer()
        config = tf.ConfigProto(allow_soft_placement=True)
        with tf.Session(config=config) as sess:
            sess.run(init)
            for step in range(1, num_steps + 1):
                batch_x, batch_y = mnist.train.next_batch(batch_size * num_gpus)
                ts = time.time()
                sess.run(train_op, feed_dict={X: batch_x, Y: batch_y})
                te = time.time() - ts
                if step % display_step == 0 or step == 1:
                    loss, acc = sess.run([loss_op, accuracy], feed_dict={X: batch_x, Y: batch_y})
                    print(
                        "Step " + str(step) + ": Minibatch Loss= " + f"{loss:.4f}"
                        ", Training Accuracy= " + f"{acc:.3f}"
                        f", {int(len(batch_x) / max(te, 1e-9))} Examples/sec"
                    )
            print("Optimization Finished!")
            print(
                "Testing Accuracy:",
                np.mean(
                    [
                        sess.run(
                            accuracy,
                            feed_dict={
                                X: mnist.test.images[i : i + batch_size],
                                Y: mnist.test.labels[i : i + batch_size],
                            },
                        )
                        for i in range(0, len(mnist.test.images), batch_size)
                    ]
                ),
            )
    graph = tf.get_default_graph()
    kernel = graph.get_operation_by_name("ConvNet/conv2d/kernel")
    return {
        "names": [logits_train.name, logits_test.name, loss_op.name, train_op.name],
        "averaged": [[g.name, v.op.name] for g, v in tower_grads[:2]],
        "devices": [kernel.device, logits_train.op.device, loss_op.op.device, X.op.device],
        "vars": [v.name for v in tf.trainable_variables()],
    }


def program(tf, workdir):
    printed = io.StringIO()
    with tf.Graph().as_default(), contextlib.redirect_stdout(printed):
        out = multigpu_cnn(tf)
    out["printed"] = tokens(re.sub(r", \d+ Examples/sec", "", printed.getvalue()))
    return out


EXPECTED = {
    "names": ["ConvNet_2/dense_1/BiasAdd:0", "ConvNet_3/Softmax:0", "Mean_2:0", "Adam"],
    "averaged": [["Mean_3:0", "ConvNet/conv2d/kernel"], ["Mean_4:0", "ConvNet/conv2d/bias"]],
    "devices": ["/device:CPU:0", "/device:GPU:1", "/device:GPU:1", "/device:CPU:0"],
    "vars": [
        "ConvNet/conv2d/kernel:0",
        "ConvNet/conv2d/bias:0",
        "ConvNet/conv2d_1/kernel:0",
        "ConvNet/conv2d_1/bias:0",
        "ConvNet/dense/kernel:0",
        "ConvNet/dense/bias:0",
        "ConvNet/dense_1/kernel:0",
        "ConvNet/dense_1/bias:0",
    ],
    "printed": [
        ["Step", "1:", "Minibatch", "Loss=", 2.3494, "Training", "Accuracy=", 0.083],
        ["Step", "2:", "Minibatch", "Loss=", 2.251, "Training", "Accuracy=", 0.0],
        ["Step", "4:", "Minibatch", "Loss=", 2.3329, "Training", "Accuracy=", 0.167],
        ["Step", "6:", "Minibatch", "Loss=", 2.2603, "Training", "Accuracy=", 0.333],
        ["Optimization", "Finished!"],
        ["Testing", "Accuracy:", 0.13333334],
    ],
}


def test_multigpu_cnn_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
