"""tf.contrib.slim.nets' Inception v1 and v2 as TF1 programs used them: inception_v1 and
inception_v2 under their arg scopes at 224x224 (end points, variables, moving_vars,
regularization losses), inception_v1_base cut at Mixed_3c without batch norm and a thin
inception_v2 (depth multiplier, separable stem, reduced kernels) on 64x64 images, their
values at initialization, and TF's errors. (The reference ran tf_slim's nets, TF 1.15's
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
    rng = np.random.RandomState(41)
    out = {}

    for version in (1, 2):
        g = tf.Graph()
        with g.as_default():
            images = tf.placeholder(tf.float32, [2, 224, 224, 3])
            arg_scope = getattr(nets.inception, f"inception_v{version}_arg_scope")
            net = getattr(nets.inception, f"inception_v{version}")
            with slim.arg_scope(arg_scope()):
                logits, ep = net(images, num_classes=7, is_training=False)
            out[f"v{version}"] = end_point_rows(ep)
            out[f"v{version}_counts"] = [
                len(tf.global_variables()),
                len(tf.get_collection("moving_vars")),
                len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)),
            ]
            out[f"v{version}_vars"] = [
                [v.op.name, v.shape.as_list()] for v in tf.global_variables()[::23]
            ]
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(5)
        x = tf.constant(rng.rand(2, 64, 64, 3).astype(np.float32))
        with slim.arg_scope(nets.inception_v1.inception_v1_arg_scope(use_batch_norm=False)):
            n1, ep1 = nets.inception_v1.inception_v1_base(x, final_endpoint="Mixed_3c")
        with slim.arg_scope(nets.inception_v2.inception_v2_arg_scope()):
            logits2, ep2 = nets.inception_v2.inception_v2(
                x, num_classes=3, depth_multiplier=0.25, min_depth=8, is_training=False
            )
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            a, b, c = sess.run([n1, logits2, ep2["Conv2d_1a_7x7"]])
        out["small"] = end_point_rows(ep1) + end_point_rows(ep2)
        out["small_values"] = [
            float(np.abs(a).sum()),
            [float(v) for v in b.ravel()],
            float(np.abs(c).mean()),
        ]
        out["sep_vars"] = [
            [v.op.name, v.shape.as_list()] for v in tf.global_variables("InceptionV2/Conv2d_1a_7x7")
        ]
    for bad in ({"depth_multiplier": -1.0}, {"final_endpoint": "Mixed_3x"}):
        try:
            with tf.Graph().as_default():
                nets.inception_v2.inception_v2_base(tf.zeros([1, 224, 224, 3]), **bad)
        except ValueError as e:
            out[str(sorted(bad))] = str(e)
    return out


EXPECTED = {
    "v1": [
        ["Conv2d_1a_7x7", "InceptionV1/InceptionV1/Conv2d_1a_7x7/Relu:0", [2, 112, 112, 64]],
        ["MaxPool_2a_3x3", "InceptionV1/InceptionV1/MaxPool_2a_3x3/MaxPool:0", [2, 56, 56, 64]],
        ["Conv2d_2b_1x1", "InceptionV1/InceptionV1/Conv2d_2b_1x1/Relu:0", [2, 56, 56, 64]],
        ["Conv2d_2c_3x3", "InceptionV1/InceptionV1/Conv2d_2c_3x3/Relu:0", [2, 56, 56, 192]],
        ["MaxPool_3a_3x3", "InceptionV1/InceptionV1/MaxPool_3a_3x3/MaxPool:0", [2, 28, 28, 192]],
        ["Mixed_3b", "InceptionV1/InceptionV1/Mixed_3b/concat:0", [2, 28, 28, 256]],
        ["Mixed_3c", "InceptionV1/InceptionV1/Mixed_3c/concat:0", [2, 28, 28, 480]],
        ["MaxPool_4a_3x3", "InceptionV1/InceptionV1/MaxPool_4a_3x3/MaxPool:0", [2, 14, 14, 480]],
        ["Mixed_4b", "InceptionV1/InceptionV1/Mixed_4b/concat:0", [2, 14, 14, 512]],
        ["Mixed_4c", "InceptionV1/InceptionV1/Mixed_4c/concat:0", [2, 14, 14, 512]],
        ["Mixed_4d", "InceptionV1/InceptionV1/Mixed_4d/concat:0", [2, 14, 14, 512]],
        ["Mixed_4e", "InceptionV1/InceptionV1/Mixed_4e/concat:0", [2, 14, 14, 528]],
        ["Mixed_4f", "InceptionV1/InceptionV1/Mixed_4f/concat:0", [2, 14, 14, 832]],
        ["MaxPool_5a_2x2", "InceptionV1/InceptionV1/MaxPool_5a_2x2/MaxPool:0", [2, 7, 7, 832]],
        ["Mixed_5b", "InceptionV1/InceptionV1/Mixed_5b/concat:0", [2, 7, 7, 832]],
        ["Mixed_5c", "InceptionV1/InceptionV1/Mixed_5c/concat:0", [2, 7, 7, 1024]],
        ["Logits", "InceptionV1/Logits/SpatialSqueeze:0", [2, 7]],
        ["Predictions", "InceptionV1/Logits/Predictions/Reshape_1:0", [2, 7]],
    ],
    "v1_counts": [230, 114, 58],
    "v1_vars": [
        ["InceptionV1/Conv2d_1a_7x7/weights", [7, 7, 3, 64]],
        ["InceptionV1/Mixed_3b/Branch_1/Conv2d_0b_3x3/BatchNorm/moving_variance", [128]],
        ["InceptionV1/Mixed_3c/Branch_1/Conv2d_0b_3x3/BatchNorm/moving_mean", [192]],
        ["InceptionV1/Mixed_4b/Branch_1/Conv2d_0b_3x3/BatchNorm/beta", [208]],
        ["InceptionV1/Mixed_4c/Branch_1/Conv2d_0b_3x3/weights", [3, 3, 112, 224]],
        ["InceptionV1/Mixed_4d/Branch_1/Conv2d_0a_1x1/BatchNorm/moving_variance", [128]],
        ["InceptionV1/Mixed_4e/Branch_1/Conv2d_0a_1x1/BatchNorm/moving_mean", [144]],
        ["InceptionV1/Mixed_4f/Branch_1/Conv2d_0a_1x1/BatchNorm/beta", [160]],
        ["InceptionV1/Mixed_5b/Branch_1/Conv2d_0a_1x1/weights", [1, 1, 832, 160]],
        ["InceptionV1/Mixed_5c/Branch_0/Conv2d_0a_1x1/BatchNorm/moving_variance", [384]],
    ],
    "v2": [
        ["Conv2d_1a_7x7", "InceptionV2/InceptionV2/Conv2d_1a_7x7/Relu:0", [2, 112, 112, 64]],
        ["MaxPool_2a_3x3", "InceptionV2/InceptionV2/MaxPool_2a_3x3/MaxPool:0", [2, 56, 56, 64]],
        ["Conv2d_2b_1x1", "InceptionV2/InceptionV2/Conv2d_2b_1x1/Relu:0", [2, 56, 56, 64]],
        ["Conv2d_2c_3x3", "InceptionV2/InceptionV2/Conv2d_2c_3x3/Relu:0", [2, 56, 56, 192]],
        ["MaxPool_3a_3x3", "InceptionV2/InceptionV2/MaxPool_3a_3x3/MaxPool:0", [2, 28, 28, 192]],
        ["Mixed_3b", "InceptionV2/InceptionV2/Mixed_3b/concat:0", [2, 28, 28, 256]],
        ["Mixed_3c", "InceptionV2/InceptionV2/Mixed_3c/concat:0", [2, 28, 28, 320]],
        ["Mixed_4a", "InceptionV2/InceptionV2/Mixed_4a/concat:0", [2, 14, 14, 576]],
        ["Mixed_4b", "InceptionV2/InceptionV2/Mixed_4b/concat:0", [2, 14, 14, 576]],
        ["Mixed_4c", "InceptionV2/InceptionV2/Mixed_4c/concat:0", [2, 14, 14, 576]],
        ["Mixed_4d", "InceptionV2/InceptionV2/Mixed_4d/concat:0", [2, 14, 14, 576]],
        ["Mixed_4e", "InceptionV2/InceptionV2/Mixed_4e/concat:0", [2, 14, 14, 576]],
        ["Mixed_5a", "InceptionV2/InceptionV2/Mixed_5a/concat:0", [2, 7, 7, 1024]],
        ["Mixed_5b", "InceptionV2/InceptionV2/Mixed_5b/concat:0", [2, 7, 7, 1024]],
        ["Mixed_5c", "InceptionV2/InceptionV2/Mixed_5c/concat:0", [2, 7, 7, 1024]],
        ["Logits", "InceptionV2/Logits/SpatialSqueeze:0", [2, 7]],
        ["Predictions", "InceptionV2/Predictions/Reshape_1:0", [2, 7]],
    ],
    "v2_counts": [277, 136, 69],
    "v2_vars": [
        ["InceptionV2/Conv2d_1a_7x7/depthwise_weights", [7, 7, 3, 8]],
        ["InceptionV2/Mixed_3b/Branch_2/Conv2d_0a_1x1/weights", [1, 1, 192, 64]],
        ["InceptionV2/Mixed_3c/Branch_1/Conv2d_0a_1x1/BatchNorm/moving_variance", [64]],
        ["InceptionV2/Mixed_4a/Branch_0/Conv2d_0a_1x1/BatchNorm/moving_mean", [128]],
        ["InceptionV2/Mixed_4b/Branch_1/Conv2d_0a_1x1/BatchNorm/beta", [64]],
        ["InceptionV2/Mixed_4c/Branch_0/Conv2d_0a_1x1/weights", [1, 1, 576, 192]],
        ["InceptionV2/Mixed_4c/Branch_2/Conv2d_0c_3x3/BatchNorm/moving_variance", [128]],
        ["InceptionV2/Mixed_4d/Branch_2/Conv2d_0b_3x3/BatchNorm/moving_mean", [160]],
        ["InceptionV2/Mixed_4e/Branch_2/Conv2d_0a_1x1/BatchNorm/beta", [160]],
        ["InceptionV2/Mixed_5a/Branch_1/Conv2d_0a_1x1/weights", [1, 1, 576, 192]],
        ["InceptionV2/Mixed_5b/Branch_1/Conv2d_0b_3x3/BatchNorm/moving_variance", [320]],
        ["InceptionV2/Mixed_5c/Branch_1/Conv2d_0a_1x1/BatchNorm/moving_mean", [192]],
        ["InceptionV2/Logits/Conv2d_1c_1x1/biases", [7]],
    ],
    "small": [
        ["Conv2d_1a_7x7", "InceptionV1/Conv2d_1a_7x7/Relu:0", [2, 32, 32, 64]],
        ["MaxPool_2a_3x3", "InceptionV1/MaxPool_2a_3x3/MaxPool:0", [2, 16, 16, 64]],
        ["Conv2d_2b_1x1", "InceptionV1/Conv2d_2b_1x1/Relu:0", [2, 16, 16, 64]],
        ["Conv2d_2c_3x3", "InceptionV1/Conv2d_2c_3x3/Relu:0", [2, 16, 16, 192]],
        ["MaxPool_3a_3x3", "InceptionV1/MaxPool_3a_3x3/MaxPool:0", [2, 8, 8, 192]],
        ["Mixed_3b", "InceptionV1/Mixed_3b/concat:0", [2, 8, 8, 256]],
        ["Mixed_3c", "InceptionV1/Mixed_3c/concat:0", [2, 8, 8, 480]],
        ["Conv2d_1a_7x7", "InceptionV2/InceptionV2/Conv2d_1a_7x7/Relu:0", [2, 32, 32, 16]],
        ["MaxPool_2a_3x3", "InceptionV2/InceptionV2/MaxPool_2a_3x3/MaxPool:0", [2, 16, 16, 16]],
        ["Conv2d_2b_1x1", "InceptionV2/InceptionV2/Conv2d_2b_1x1/Relu:0", [2, 16, 16, 16]],
        ["Conv2d_2c_3x3", "InceptionV2/InceptionV2/Conv2d_2c_3x3/Relu:0", [2, 16, 16, 48]],
        ["MaxPool_3a_3x3", "InceptionV2/InceptionV2/MaxPool_3a_3x3/MaxPool:0", [2, 8, 8, 48]],
        ["Mixed_3b", "InceptionV2/InceptionV2/Mixed_3b/concat:0", [2, 8, 8, 64]],
        ["Mixed_3c", "InceptionV2/InceptionV2/Mixed_3c/concat:0", [2, 8, 8, 80]],
        ["Mixed_4a", "InceptionV2/InceptionV2/Mixed_4a/concat:0", [2, 4, 4, 144]],
        ["Mixed_4b", "InceptionV2/InceptionV2/Mixed_4b/concat:0", [2, 4, 4, 144]],
        ["Mixed_4c", "InceptionV2/InceptionV2/Mixed_4c/concat:0", [2, 4, 4, 144]],
        ["Mixed_4d", "InceptionV2/InceptionV2/Mixed_4d/concat:0", [2, 4, 4, 144]],
        ["Mixed_4e", "InceptionV2/InceptionV2/Mixed_4e/concat:0", [2, 4, 4, 144]],
        ["Mixed_5a", "InceptionV2/InceptionV2/Mixed_5a/concat:0", [2, 2, 2, 256]],
        ["Mixed_5b", "InceptionV2/InceptionV2/Mixed_5b/concat:0", [2, 2, 2, 256]],
        ["Mixed_5c", "InceptionV2/InceptionV2/Mixed_5c/concat:0", [2, 2, 2, 256]],
        ["Logits", "InceptionV2/Logits/SpatialSqueeze:0", [2, 3]],
        ["Predictions", "InceptionV2/Predictions/Reshape_1:0", [2, 3]],
    ],
    "small_values": [
        0.06866508722305298,
        [
            -0.6480495929718018,
            -0.36973893642425537,
            0.23628005385398865,
            -0.6221700310707092,
            -0.3595101833343506,
            0.17674292623996735,
        ],
        4.530973434448242,
    ],
    "sep_vars": [
        ["InceptionV2/Conv2d_1a_7x7/depthwise_weights", [7, 7, 3, 5]],
        ["InceptionV2/Conv2d_1a_7x7/pointwise_weights", [1, 1, 15, 16]],
        ["InceptionV2/Conv2d_1a_7x7/biases", [16]],
    ],
    "['depth_multiplier']": "depth_multiplier is not greater than zero.",
    "['final_endpoint']": "Unknown final endpoint Mixed_3x",
}


def test_slim_inception_v1_v2_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
