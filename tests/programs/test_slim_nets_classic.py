"""tf.contrib.slim.nets' AlexNet v2 and OverFeat under their arg scopes (end points, variables,
regularization losses, with and without the spatial squeeze), and the initial values of
AlexNet's smaller variables. (The reference ran tf_slim's nets, TF 1.15's
code.)

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close, end_point_rows


def program(tf, workdir):
    slim = tf.contrib.slim
    nets = slim.nets
    out = {}

    for kind, size in (("alexnet", 224), ("overfeat", 231)):
        g = tf.Graph()
        with g.as_default():
            tf.set_random_seed(3)
            images = tf.placeholder(tf.float32, [1, size, size, 3])
            if kind == "alexnet":
                with slim.arg_scope(nets.alexnet.alexnet_v2_arg_scope()):
                    logits, ep = nets.alexnet.alexnet_v2(images, num_classes=6, is_training=False)
            else:
                with slim.arg_scope(nets.overfeat.overfeat_arg_scope(weight_decay=0.001)):
                    logits, ep = nets.overfeat.overfeat(
                        images, num_classes=6, spatial_squeeze=False
                    )
            out[kind] = {
                "ep": end_point_rows(ep),
                "vars": [[v.op.name, v.shape.as_list()] for v in tf.global_variables()],
                "reg": [t.name for t in tf.losses.get_regularization_losses()],
                "logits": [logits.name, logits.shape.as_list()],
            }
            if kind == "alexnet":
                # Initializing only the small variables keeps this fast: 50M weights
                # otherwise, and each initializer's seed is fixed when the graph is built.
                small = [v for v in tf.global_variables() if v.shape.num_elements() < 30000]
                with tf.Session() as sess:
                    sess.run(tf.variables_initializer(small))
                    values = sess.run(small)
                out[kind]["values"] = [
                    [v.op.name, float(np.abs(a).sum()), float(a.ravel()[0])]
                    for v, a in zip(small, values, strict=True)
                ]
    return out


EXPECTED = {
    "alexnet": {
        "ep": [
            ["alexnet_v2/conv1", "alexnet_v2/conv1/Relu:0", [1, 54, 54, 64]],
            ["alexnet_v2/pool1", "alexnet_v2/pool1/MaxPool:0", [1, 26, 26, 64]],
            ["alexnet_v2/conv2", "alexnet_v2/conv2/Relu:0", [1, 26, 26, 192]],
            ["alexnet_v2/pool2", "alexnet_v2/pool2/MaxPool:0", [1, 12, 12, 192]],
            ["alexnet_v2/conv3", "alexnet_v2/conv3/Relu:0", [1, 12, 12, 384]],
            ["alexnet_v2/conv4", "alexnet_v2/conv4/Relu:0", [1, 12, 12, 384]],
            ["alexnet_v2/conv5", "alexnet_v2/conv5/Relu:0", [1, 12, 12, 256]],
            ["alexnet_v2/pool5", "alexnet_v2/pool5/MaxPool:0", [1, 5, 5, 256]],
            ["alexnet_v2/fc6", "alexnet_v2/fc6/Relu:0", [1, 1, 1, 4096]],
            ["alexnet_v2/fc7", "alexnet_v2/fc7/Relu:0", [1, 1, 1, 4096]],
            ["alexnet_v2/fc8", "alexnet_v2/fc8/squeezed:0", [1, 6]],
        ],
        "vars": [
            ["alexnet_v2/conv1/weights", [11, 11, 3, 64]],
            ["alexnet_v2/conv1/biases", [64]],
            ["alexnet_v2/conv2/weights", [5, 5, 64, 192]],
            ["alexnet_v2/conv2/biases", [192]],
            ["alexnet_v2/conv3/weights", [3, 3, 192, 384]],
            ["alexnet_v2/conv3/biases", [384]],
            ["alexnet_v2/conv4/weights", [3, 3, 384, 384]],
            ["alexnet_v2/conv4/biases", [384]],
            ["alexnet_v2/conv5/weights", [3, 3, 384, 256]],
            ["alexnet_v2/conv5/biases", [256]],
            ["alexnet_v2/fc6/weights", [5, 5, 256, 4096]],
            ["alexnet_v2/fc6/biases", [4096]],
            ["alexnet_v2/fc7/weights", [1, 1, 4096, 4096]],
            ["alexnet_v2/fc7/biases", [4096]],
            ["alexnet_v2/fc8/weights", [1, 1, 4096, 6]],
            ["alexnet_v2/fc8/biases", [6]],
        ],
        "reg": [
            "alexnet_v2/conv1/kernel/Regularizer/l2_regularizer:0",
            "alexnet_v2/conv2/kernel/Regularizer/l2_regularizer:0",
            "alexnet_v2/conv3/kernel/Regularizer/l2_regularizer:0",
            "alexnet_v2/conv4/kernel/Regularizer/l2_regularizer:0",
            "alexnet_v2/conv5/kernel/Regularizer/l2_regularizer:0",
            "alexnet_v2/fc6/kernel/Regularizer/l2_regularizer:0",
            "alexnet_v2/fc7/kernel/Regularizer/l2_regularizer:0",
            "alexnet_v2/fc8/kernel/Regularizer/l2_regularizer:0",
        ],
        "logits": ["alexnet_v2/fc8/squeezed:0", [1, 6]],
        "values": [
            ["alexnet_v2/conv1/weights", 315.61016845703125, -0.020274974405765533],
            ["alexnet_v2/conv1/biases", 6.40000057220459, 0.10000000149011612],
            ["alexnet_v2/conv2/biases", 19.200002670288086, 0.10000000149011612],
            ["alexnet_v2/conv3/biases", 38.40000534057617, 0.10000000149011612],
            ["alexnet_v2/conv4/biases", 38.40000534057617, 0.10000000149011612],
            ["alexnet_v2/conv5/biases", 25.600004196166992, 0.10000000149011612],
            ["alexnet_v2/fc6/biases", 409.6000671386719, 0.10000000149011612],
            ["alexnet_v2/fc7/biases", 409.6000671386719, 0.10000000149011612],
            ["alexnet_v2/fc8/weights", 89.20074462890625, -0.002253377577289939],
            ["alexnet_v2/fc8/biases", 0.0, 0.0],
        ],
    },
    "overfeat": {
        "ep": [
            ["overfeat/conv1", "overfeat/conv1/Relu:0", [1, 56, 56, 64]],
            ["overfeat/pool1", "overfeat/pool1/MaxPool:0", [1, 28, 28, 64]],
            ["overfeat/conv2", "overfeat/conv2/Relu:0", [1, 24, 24, 256]],
            ["overfeat/pool2", "overfeat/pool2/MaxPool:0", [1, 12, 12, 256]],
            ["overfeat/conv3", "overfeat/conv3/Relu:0", [1, 12, 12, 512]],
            ["overfeat/conv4", "overfeat/conv4/Relu:0", [1, 12, 12, 1024]],
            ["overfeat/conv5", "overfeat/conv5/Relu:0", [1, 12, 12, 1024]],
            ["overfeat/pool5", "overfeat/pool5/MaxPool:0", [1, 6, 6, 1024]],
            ["overfeat/fc6", "overfeat/fc6/Relu:0", [1, 1, 1, 3072]],
            ["overfeat/fc7", "overfeat/fc7/Relu:0", [1, 1, 1, 4096]],
            ["overfeat/fc8", "overfeat/fc8/BiasAdd:0", [1, 1, 1, 6]],
        ],
        "vars": [
            ["overfeat/conv1/weights", [11, 11, 3, 64]],
            ["overfeat/conv1/biases", [64]],
            ["overfeat/conv2/weights", [5, 5, 64, 256]],
            ["overfeat/conv2/biases", [256]],
            ["overfeat/conv3/weights", [3, 3, 256, 512]],
            ["overfeat/conv3/biases", [512]],
            ["overfeat/conv4/weights", [3, 3, 512, 1024]],
            ["overfeat/conv4/biases", [1024]],
            ["overfeat/conv5/weights", [3, 3, 1024, 1024]],
            ["overfeat/conv5/biases", [1024]],
            ["overfeat/fc6/weights", [6, 6, 1024, 3072]],
            ["overfeat/fc6/biases", [3072]],
            ["overfeat/fc7/weights", [1, 1, 3072, 4096]],
            ["overfeat/fc7/biases", [4096]],
            ["overfeat/fc8/weights", [1, 1, 4096, 6]],
            ["overfeat/fc8/biases", [6]],
        ],
        "reg": [
            "overfeat/conv1/kernel/Regularizer/l2_regularizer:0",
            "overfeat/conv2/kernel/Regularizer/l2_regularizer:0",
            "overfeat/conv3/kernel/Regularizer/l2_regularizer:0",
            "overfeat/conv4/kernel/Regularizer/l2_regularizer:0",
            "overfeat/conv5/kernel/Regularizer/l2_regularizer:0",
            "overfeat/fc6/kernel/Regularizer/l2_regularizer:0",
            "overfeat/fc7/kernel/Regularizer/l2_regularizer:0",
            "overfeat/fc8/kernel/Regularizer/l2_regularizer:0",
        ],
        "logits": ["overfeat/fc8/BiasAdd:0", [1, 1, 1, 6]],
    },
}


def test_slim_nets_classic_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
