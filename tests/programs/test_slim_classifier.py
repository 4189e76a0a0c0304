"""A slim classifier fine-tuned from a checkpoint: nested arg_scopes (initializer, l2 regularizer,
batch_norm as normalizer_fn), conv2d/max_pool2d/repeat/flatten/dropout/fully_connected,
get_variables_to_restore with an exclusion, assign_from_checkpoint_fn, tf.losses' total loss
and slim.learning.create_train_op with gradient clipping and gradient summaries.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import os

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    slim = tf.contrib.slim
    rng = np.random.RandomState(12)
    xs = rng.rand(4, 8, 8, 3).astype(np.float32)
    ys = rng.randint(0, 5, 4).astype(np.int64)
    path = os.path.join(str(workdir), "pretrained.ckpt")

    def net(images, num_classes, is_training):
        with slim.arg_scope(
            [slim.conv2d, slim.fully_connected],
            activation_fn=tf.nn.relu,
            weights_initializer=tf.truncated_normal_initializer(stddev=0.1),
            weights_regularizer=slim.l2_regularizer(0.0005),
        ):
            with slim.arg_scope(
                [slim.conv2d],
                normalizer_fn=slim.batch_norm,
                normalizer_params={"is_training": is_training, "decay": 0.9},
            ):
                with tf.variable_scope("SmallNet", "SmallNet", [images]):
                    h = slim.conv2d(images, 4, [3, 3], scope="conv1")
                    h = slim.max_pool2d(h, [2, 2], scope="pool1")
                    h = slim.repeat(h, 2, slim.conv2d, 6, [3, 3], scope="conv2")
                    h = slim.flatten(h)
                    h = slim.dropout(h, 0.5, is_training=is_training, scope="dropout")
                    h = slim.fully_connected(h, 8, scope="fc3")
                    return slim.fully_connected(h, num_classes, activation_fn=None, scope="logits")

    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(2)
        logits = net(tf.constant(xs), 3, False)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            tf.train.Saver().save(sess, path)
        pretrained = sorted(n for n, _ in tf.train.list_variables(path))
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(3)
        images = tf.constant(xs)
        logits = net(images, 5, True)
        tf.losses.sparse_softmax_cross_entropy(tf.constant(ys), logits)
        total = tf.losses.get_total_loss()
        to_restore = slim.get_variables_to_restore(exclude=["SmallNet/logits"])
        opt = tf.train.MomentumOptimizer(0.05, 0.9)
        train_op = slim.learning.create_train_op(
            total, opt, summarize_gradients=True, clip_gradient_norm=5.0
        )
        init_fn = slim.assign_from_checkpoint_fn(path, to_restore)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            init_fn(sess)
            fc3 = sess.run("SmallNet/fc3/weights:0")
            losses = [float(sess.run(train_op)) for _ in range(3)]
            mv = sess.run("SmallNet/conv1/BatchNorm/moving_variance:0")
        return {
            "pretrained": pretrained,
            "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
            "restored": [v.op.name for v in to_restore],
            "reg": [t.name for t in tf.losses.get_regularization_losses()],
            "names": [logits.name, total.name, train_op.name],
            "update_ops": [op.name for op in tf.get_collection(tf.GraphKeys.UPDATE_OPS)],
            "fc3": [float(v) for v in fc3[:3, 0]],
            "losses": losses,
            "moving_variance": [float(v) for v in mv],
        }


EXPECTED = {
    "pretrained": [
        "SmallNet/conv1/BatchNorm/beta",
        "SmallNet/conv1/BatchNorm/moving_mean",
        "SmallNet/conv1/BatchNorm/moving_variance",
        "SmallNet/conv1/weights",
        "SmallNet/conv2/conv2_1/BatchNorm/beta",
        "SmallNet/conv2/conv2_1/BatchNorm/moving_mean",
        "SmallNet/conv2/conv2_1/BatchNorm/moving_variance",
        "SmallNet/conv2/conv2_1/weights",
        "SmallNet/conv2/conv2_2/BatchNorm/beta",
        "SmallNet/conv2/conv2_2/BatchNorm/moving_mean",
        "SmallNet/conv2/conv2_2/BatchNorm/moving_variance",
        "SmallNet/conv2/conv2_2/weights",
        "SmallNet/fc3/biases",
        "SmallNet/fc3/weights",
        "SmallNet/logits/biases",
        "SmallNet/logits/weights",
    ],
    "vars": [
        ["SmallNet/conv1/weights:0", [3, 3, 3, 4]],
        ["SmallNet/conv1/BatchNorm/beta:0", [4]],
        ["SmallNet/conv1/BatchNorm/moving_mean:0", [4]],
        ["SmallNet/conv1/BatchNorm/moving_variance:0", [4]],
        ["SmallNet/conv2/conv2_1/weights:0", [3, 3, 4, 6]],
        ["SmallNet/conv2/conv2_1/BatchNorm/beta:0", [6]],
        ["SmallNet/conv2/conv2_1/BatchNorm/moving_mean:0", [6]],
        ["SmallNet/conv2/conv2_1/BatchNorm/moving_variance:0", [6]],
        ["SmallNet/conv2/conv2_2/weights:0", [3, 3, 6, 6]],
        ["SmallNet/conv2/conv2_2/BatchNorm/beta:0", [6]],
        ["SmallNet/conv2/conv2_2/BatchNorm/moving_mean:0", [6]],
        ["SmallNet/conv2/conv2_2/BatchNorm/moving_variance:0", [6]],
        ["SmallNet/fc3/weights:0", [96, 8]],
        ["SmallNet/fc3/biases:0", [8]],
        ["SmallNet/logits/weights:0", [8, 5]],
        ["SmallNet/logits/biases:0", [5]],
        ["global_step:0", []],
        ["SmallNet/conv1/weights/Momentum:0", [3, 3, 3, 4]],
        ["SmallNet/conv1/BatchNorm/beta/Momentum:0", [4]],
        ["SmallNet/conv2/conv2_1/weights/Momentum:0", [3, 3, 4, 6]],
        ["SmallNet/conv2/conv2_1/BatchNorm/beta/Momentum:0", [6]],
        ["SmallNet/conv2/conv2_2/weights/Momentum:0", [3, 3, 6, 6]],
        ["SmallNet/conv2/conv2_2/BatchNorm/beta/Momentum:0", [6]],
        ["SmallNet/fc3/weights/Momentum:0", [96, 8]],
        ["SmallNet/fc3/biases/Momentum:0", [8]],
        ["SmallNet/logits/weights/Momentum:0", [8, 5]],
        ["SmallNet/logits/biases/Momentum:0", [5]],
    ],
    "restored": [
        "SmallNet/conv1/weights",
        "SmallNet/conv1/BatchNorm/beta",
        "SmallNet/conv1/BatchNorm/moving_mean",
        "SmallNet/conv1/BatchNorm/moving_variance",
        "SmallNet/conv2/conv2_1/weights",
        "SmallNet/conv2/conv2_1/BatchNorm/beta",
        "SmallNet/conv2/conv2_1/BatchNorm/moving_mean",
        "SmallNet/conv2/conv2_1/BatchNorm/moving_variance",
        "SmallNet/conv2/conv2_2/weights",
        "SmallNet/conv2/conv2_2/BatchNorm/beta",
        "SmallNet/conv2/conv2_2/BatchNorm/moving_mean",
        "SmallNet/conv2/conv2_2/BatchNorm/moving_variance",
        "SmallNet/fc3/weights",
        "SmallNet/fc3/biases",
    ],
    "reg": [
        "SmallNet/conv1/kernel/Regularizer/l2_regularizer:0",
        "SmallNet/conv2/conv2_1/kernel/Regularizer/l2_regularizer:0",
        "SmallNet/conv2/conv2_2/kernel/Regularizer/l2_regularizer:0",
        "SmallNet/fc3/kernel/Regularizer/l2_regularizer:0",
        "SmallNet/logits/kernel/Regularizer/l2_regularizer:0",
    ],
    "names": ["SmallNet/logits/BiasAdd:0", "total_loss:0", "train_op/control_dependency:0"],
    "update_ops": [
        "SmallNet/conv1/BatchNorm/AssignMovingAvg",
        "SmallNet/conv1/BatchNorm/AssignMovingAvg_1",
        "SmallNet/conv2/conv2_1/BatchNorm/AssignMovingAvg",
        "SmallNet/conv2/conv2_1/BatchNorm/AssignMovingAvg_1",
        "SmallNet/conv2/conv2_2/BatchNorm/AssignMovingAvg",
        "SmallNet/conv2/conv2_2/BatchNorm/AssignMovingAvg_1",
    ],
    "fc3": [-0.14236198365688324, 0.02371290884912014, -0.03927825018763542],
    "losses": [1.6649667024612427, 1.6121983528137207, 1.5361171960830688],
    "moving_variance": [
        0.7362533807754517,
        0.73534095287323,
        0.7340685725212097,
        0.7353203296661377,
    ],
}


def test_slim_classifier_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
