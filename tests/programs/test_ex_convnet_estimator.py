"""TensorFlow-Examples' convolutional network scripts, run unchanged (sized down to 8x8
images): convolutional_network_raw.py (conv2d/maxpool2d helpers with bias_add, a
weights/biases dict of random_normal Variables, dropout, Adam, display_step prints, test
accuracy) and convolutional_network.py (conv_net with tf.layers conv2d/max_pooling2d/
flatten/dense/dropout built twice, for training and, reused, for testing; a model_fn
returning EstimatorSpecs for PREDICT and TRAIN/EVAL with tf.metrics.accuracy; an Estimator
trained and evaluated from numpy_input_fn and asked for predictions; the layers are given
op-seeded initializers and the dropout a seed). Printed lines,
variable names, losses, metrics and predictions were printed by the same scripts under
TensorFlow 2.21 (``tensorflow.compat.v1``, v2 behaviour disabled; tensorflow-estimator)."""

import contextlib
import io
import os

import scopeflow as tf
from tests.programs.compare import close
from tests.programs.ex_mnist import read_data_sets
from tests.programs.test_ex_regression_examples import tokens


def convnet_raw(tf):
    mnist = read_data_sets(one_hot=True)
    learning_rate = 0.01
    num_steps = 9
    batch_size = 20
    display_step = 3
    num_input = 64
    num_classes = 10
    dropout = 0.75
    tf.set_random_seed(21)
    X = tf.placeholder(tf.float32, [None, num_input])
    Y = tf.placeholder(tf.float32, [None, num_classes])
    keep_prob = tf.placeholder(tf.float32)

    def conv2d(x, W, b, strides=1):
        x = tf.nn.conv2d(x, W, strides=[1, strides, strides, 1], padding="SAME")
        x = tf.nn.bias_add(x, b)
        return tf.nn.relu(x)

    def maxpool2d(x, k=2):
        return tf.nn.max_pool(x, ksize=[1, k, k, 1], strides=[1, k, k, 1], padding="SAME")

    def conv_net(x, weights, biases, dropout):
        x = tf.reshape(x, shape=[-1, 8, 8, 1])
        conv1 = conv2d(x, weights["wc1"], biases["bc1"])
        conv1 = maxpool2d(conv1, k=2)
        conv2 = conv2d(conv1, weights["wc2"], biases["bc2"])
        conv2 = maxpool2d(conv2, k=2)
        fc1 = tf.reshape(conv2, [-1, weights["wd1"].get_shape().as_list()[0]])
        fc1 = tf.add(tf.matmul(fc1, weights["wd1"]), biases["bd1"])
        fc1 = tf.nn.relu(fc1)
        fc1 = tf.nn.dropout(fc1, dropout)
        out = tf.add(tf.matmul(fc1, weights["out"]), biases["out"])
        return out

    weights = {
        "wc1": tf.Variable(tf.random_normal([5, 5, 1, 4])),
        "wc2": tf.Variable(tf.random_normal([5, 5, 4, 8])),
        "wd1": tf.Variable(tf.random_normal([2 * 2 * 8, 32])),
        "out": tf.Variable(tf.random_normal([32, num_classes])),
    }
    biases = {
        "bc1": tf.Variable(tf.random_normal([4])),
        "bc2": tf.Variable(tf.random_normal([8])),
        "bd1": tf.Variable(tf.random_normal([32])),
        "out": tf.Variable(tf.random_normal([num_classes])),
    }
    logits = conv_net(X, weights, biases, keep_prob)
    prediction = tf.nn.softmax(logits)
    loss_op = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=logits, labels=Y))
    optimizer = tf.train.AdamOptimizer(learning_rate=learning_rate)
    train_op = optimizer.minimize(loss_op)
    correct_pred = tf.equal(tf.argmax(prediction, 1), tf.argmax(Y, 1))
    accuracy = tf.reduce_mean(tf.cast(correct_pred, tf.float32))
    init = tf.global_variables_initializer()
    with tf.Session() as sess:
        sess.run(init)
        for step in range(1, num_steps + 1):
            batch_x, batch_y = mnist.train.next_batch(batch_size)
            sess.run(train_op, feed_dict={X: batch_x, Y: batch_y, keep_prob: dropout})
            if step % display_step == 0 or step == 1:
                loss, acc = sess.run(
                    [loss_op, accuracy], feed_dict={X: batch_x, Y: batch_y, keep_prob: 1.0}
                )
                print(
                    "Step " + str(step) + ", Minibatch Loss= " + f"{loss:.4f}"
                    ", Training Accuracy= " + f"{acc:.3f}"
                )
        print("Optimization Finished!")
        print(
            "Testing Accuracy:",
            sess.run(
                accuracy,
                feed_dict={X: mnist.test.images, Y: mnist.test.labels, keep_prob: 1.0},
            ),
        )
    return [logits.name, train_op.name, [v.name for v in tf.trainable_variables()]]


def convnet_estimator(tf, model_dir):
    mnist = read_data_sets(one_hot=False)
    learning_rate = 0.01
    num_steps = 8
    batch_size = 20
    num_classes = 10
    dropout = 0.25

    def init(seed):
        # op seeds: scopeflow's numpy_input_fn builds a tf.data pipeline where TF's builds a
        # feeding queue, so the ops counted before the layers, and derived seeds, differ
        return tf.glorot_uniform_initializer(seed=seed)

    def conv_net(x_dict, n_classes, dropout, reuse, is_training):
        with tf.variable_scope("ConvNet", reuse=reuse):
            x = x_dict["images"]
            x = tf.reshape(x, shape=[-1, 8, 8, 1])
            conv1 = tf.layers.conv2d(x, 4, 5, activation=tf.nn.relu, kernel_initializer=init(1))
            conv1 = tf.layers.max_pooling2d(conv1, 2, 2)
            conv2 = tf.layers.conv2d(
                conv1, 8, 3, activation=tf.nn.relu, padding="same", kernel_initializer=init(2)
            )
            conv2 = tf.layers.max_pooling2d(conv2, 2, 2)
            fc1 = tf.layers.flatten(conv2)
            fc1 = tf.layers.dense(fc1, 32, kernel_initializer=init(3))
            fc1 = tf.layers.dropout(fc1, rate=dropout, training=is_training, seed=4)
            out = tf.layers.dense(fc1, n_classes, kernel_initializer=init(5))
        return out

    def model_fn(features, labels, mode):
        logits_train = conv_net(features, num_classes, dropout, reuse=False, is_training=True)
        logits_test = conv_net(features, num_classes, dropout, reuse=True, is_training=False)
        pred_classes = tf.argmax(logits_test, axis=1)
        pred_probas = tf.nn.softmax(logits_test)
        if mode == tf.estimator.ModeKeys.PREDICT:
            return tf.estimator.EstimatorSpec(mode, predictions=pred_classes)
        loss_op = tf.reduce_mean(
            tf.nn.sparse_softmax_cross_entropy_with_logits(
                logits=logits_train, labels=tf.cast(labels, dtype=tf.int32)
            )
        )
        optimizer = tf.train.AdamOptimizer(learning_rate=learning_rate)
        train_op = optimizer.minimize(loss_op, global_step=tf.train.get_global_step())
        acc_op = tf.metrics.accuracy(labels=labels, predictions=pred_classes)
        names.extend([logits_train.name, logits_test.name, pred_probas.name, acc_op[1].name])
        names.append([v.name for v in tf.global_variables()])
        estim_specs = tf.estimator.EstimatorSpec(
            mode=mode,
            predictions=pred_classes,
            loss=loss_op,
            train_op=train_op,
            eval_metric_ops={"accuracy": acc_op},
        )
        return estim_specs

    names = []
    config = tf.estimator.RunConfig(tf_random_seed=31, model_dir=model_dir)
    model = tf.estimator.Estimator(model_fn, config=config)
    input_fn = tf.estimator.inputs.numpy_input_fn(
        x={"images": mnist.train.images},
        y=mnist.train.labels,
        batch_size=batch_size,
        num_epochs=None,
        shuffle=False,
    )
    model.train(input_fn, steps=num_steps)
    input_fn = tf.estimator.inputs.numpy_input_fn(
        x={"images": mnist.test.images},
        y=mnist.test.labels,
        batch_size=batch_size,
        shuffle=False,
    )
    e = model.evaluate(input_fn)
    print("Testing Accuracy:", e["accuracy"])
    input_fn = tf.estimator.inputs.numpy_input_fn(
        x={"images": mnist.test.images[:6]}, shuffle=False
    )
    preds = [int(p) for p in model.predict(input_fn)]
    print("Model prediction:", preds)
    return {
        "names": names[:5],
        "vars": names[4],
        "eval": {k: float(v) for k, v in sorted(e.items())},
        "latest": os.path.basename(tf.train.latest_checkpoint(model_dir)),
    }


def program(tf, workdir):
    out = {}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), tf.Graph().as_default():
        out["raw"] = convnet_raw(tf)
    out["raw_printed"] = tokens(printed.getvalue())
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        out["estimator"] = convnet_estimator(tf, os.path.join(str(workdir), "est"))
    out["estimator_printed"] = printed.getvalue().splitlines()
    return out


EXPECTED = {
    "raw": [
        "Add_1:0",
        "Adam",
        [
            "Variable:0",
            "Variable_1:0",
            "Variable_2:0",
            "Variable_3:0",
            "Variable_4:0",
            "Variable_5:0",
            "Variable_6:0",
            "Variable_7:0",
        ],
    ],
    "raw_printed": [
        ["Step", 1.0, "Minibatch", "Loss=", 317.1334, "Training", "Accuracy=", 0.1],
        ["Step", 3.0, "Minibatch", "Loss=", 135.2906, "Training", "Accuracy=", 0.25],
        ["Step", 6.0, "Minibatch", "Loss=", 81.2949, "Training", "Accuracy=", 0.15],
        ["Step", 9.0, "Minibatch", "Loss=", 51.0855, "Training", "Accuracy=", 0.15],
        ["Optimization", "Finished!"],
        ["Testing", "Accuracy:", 0.2],
    ],
    "estimator": {
        "names": [
            "ConvNet/dense_1/BiasAdd:0",
            "ConvNet_1/dense_1/BiasAdd:0",
            "Softmax:0",
            "accuracy/update_op:0",
            [
                "global_step:0",
                "ConvNet/conv2d/kernel:0",
                "ConvNet/conv2d/bias:0",
                "ConvNet/conv2d_1/kernel:0",
                "ConvNet/conv2d_1/bias:0",
                "ConvNet/dense/kernel:0",
                "ConvNet/dense/bias:0",
                "ConvNet/dense_1/kernel:0",
                "ConvNet/dense_1/bias:0",
                "beta1_power:0",
                "beta2_power:0",
                "ConvNet/conv2d/kernel/Adam:0",
                "ConvNet/conv2d/kernel/Adam_1:0",
                "ConvNet/conv2d/bias/Adam:0",
                "ConvNet/conv2d/bias/Adam_1:0",
                "ConvNet/conv2d_1/kernel/Adam:0",
                "ConvNet/conv2d_1/kernel/Adam_1:0",
                "ConvNet/conv2d_1/bias/Adam:0",
                "ConvNet/conv2d_1/bias/Adam_1:0",
                "ConvNet/dense/kernel/Adam:0",
                "ConvNet/dense/kernel/Adam_1:0",
                "ConvNet/dense/bias/Adam:0",
                "ConvNet/dense/bias/Adam_1:0",
                "ConvNet/dense_1/kernel/Adam:0",
                "ConvNet/dense_1/kernel/Adam_1:0",
                "ConvNet/dense_1/bias/Adam:0",
                "ConvNet/dense_1/bias/Adam_1:0",
            ],
        ],
        "vars": [
            "global_step:0",
            "ConvNet/conv2d/kernel:0",
            "ConvNet/conv2d/bias:0",
            "ConvNet/conv2d_1/kernel:0",
            "ConvNet/conv2d_1/bias:0",
            "ConvNet/dense/kernel:0",
            "ConvNet/dense/bias:0",
            "ConvNet/dense_1/kernel:0",
            "ConvNet/dense_1/bias:0",
            "beta1_power:0",
            "beta2_power:0",
            "ConvNet/conv2d/kernel/Adam:0",
            "ConvNet/conv2d/kernel/Adam_1:0",
            "ConvNet/conv2d/bias/Adam:0",
            "ConvNet/conv2d/bias/Adam_1:0",
            "ConvNet/conv2d_1/kernel/Adam:0",
            "ConvNet/conv2d_1/kernel/Adam_1:0",
            "ConvNet/conv2d_1/bias/Adam:0",
            "ConvNet/conv2d_1/bias/Adam_1:0",
            "ConvNet/dense/kernel/Adam:0",
            "ConvNet/dense/kernel/Adam_1:0",
            "ConvNet/dense/bias/Adam:0",
            "ConvNet/dense/bias/Adam_1:0",
            "ConvNet/dense_1/kernel/Adam:0",
            "ConvNet/dense_1/kernel/Adam_1:0",
            "ConvNet/dense_1/bias/Adam:0",
            "ConvNet/dense_1/bias/Adam_1:0",
        ],
        "eval": {"accuracy": 0.0833333358168602, "global_step": 8.0, "loss": 2.2910168170928955},
        "latest": "model.ckpt-8",
    },
    "estimator_printed": ["Testing Accuracy: 0.083333336", "Model prediction: [7, 2, 7, 7, 7, 7]"],
}


def test_convnet_examples_match_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
