"""tf.contrib.slim.nets' Inception v3 as TF1 programs used it: inception_v3 under
inception_v3_arg_scope at 299x299 (end points with the auxiliary head, variables, moving_vars,
update ops, regularization losses, op names of a mixed block), inception_v3_base cut at an end
point with a depth multiplier, and a thin float64 Inception v3 on 139x139 images (reduced
kernels, AuxLogits/Conv2d_2a_1x1) trained two steps with the auxiliary loss through
slim.learning.create_train_op; TF's errors for a bad depth multiplier and end point. (The
reference ran tf_slim's nets, TF 1.15's code.)

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close, end_point_rows


def program(tf, workdir):
    slim = tf.contrib.slim
    nets = slim.nets
    rng = np.random.RandomState(31)
    out = {}

    g = tf.Graph()
    with g.as_default():
        images = tf.placeholder(tf.float32, [2, 299, 299, 3])
        with slim.arg_scope(nets.inception.inception_v3_arg_scope()):
            logits, ep = nets.inception.inception_v3(images, num_classes=11)
        variables = tf.global_variables()
        out["v3"] = end_point_rows(ep)
        out["v3_vars"] = [
            len(variables),
            len(tf.get_collection("moving_vars")),
            len(tf.get_collection(tf.GraphKeys.UPDATE_OPS)),
            len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)),
        ]
        out["v3_some"] = [[v.op.name, v.shape.as_list()] for v in variables[::37]]
        out["v3_ops"] = [
            op.name for op in g.get_operations() if op.name.startswith("InceptionV3/Mixed_7b/")
        ][:40]
    g = tf.Graph()
    with g.as_default():
        images = tf.placeholder(tf.float32, [None, 299, 299, 3])
        net, ep = nets.inception_v3.inception_v3_base(
            images, final_endpoint="Mixed_6a", depth_multiplier=0.5, scope="Base"
        )
        out["base"] = end_point_rows(ep)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(9)
        # float64: this net's float32 gradients move with the summation order (TF's own
        # differ by up to 1% with and without oneDNN); its float64 ones agree.
        x = tf.constant(rng.rand(2, 139, 139, 3))
        with slim.arg_scope(nets.inception_v3.inception_v3_arg_scope(batch_norm_decay=0.9)):
            logits, ep = nets.inception_v3.inception_v3(
                x, num_classes=4, depth_multiplier=0.1, min_depth=4
            )
        tf.losses.softmax_cross_entropy(tf.one_hot([1, 2], 4, dtype=tf.float64), logits)
        tf.losses.softmax_cross_entropy(
            tf.one_hot([1, 2], 4, dtype=tf.float64), ep["AuxLogits"], weights=0.4
        )
        total = tf.losses.get_total_loss()
        train = slim.learning.create_train_op(total, tf.train.GradientDescentOptimizer(0.001))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            losses = [float(sess.run(train)) for _ in range(2)]
            pred, aux = sess.run([ep["Predictions"], ep["AuxLogits"]])
            mm = sess.run("InceptionV3/Mixed_7c/Branch_2/Conv2d_0a_1x1/BatchNorm/moving_mean:0")
        out["small"] = end_point_rows(ep)[-8:]
        out["small_losses"] = losses
        out["small_pred"] = [float(v) for v in pred.ravel()] + [float(v) for v in aux.ravel()]
        out["small_mm"] = [float(v) for v in mm[:4]]
    for bad in ({"depth_multiplier": 0.0}, {"final_endpoint": "Mixed_9z"}):
        try:
            with tf.Graph().as_default():
                nets.inception_v3.inception_v3_base(tf.zeros([1, 299, 299, 3]), **bad)
        except ValueError as e:
            out[str(sorted(bad))] = str(e)
    return out


EXPECTED = {
    "v3": [
        ["Conv2d_1a_3x3", "InceptionV3/InceptionV3/Conv2d_1a_3x3/Relu:0", [2, 149, 149, 32]],
        ["Conv2d_2a_3x3", "InceptionV3/InceptionV3/Conv2d_2a_3x3/Relu:0", [2, 147, 147, 32]],
        ["Conv2d_2b_3x3", "InceptionV3/InceptionV3/Conv2d_2b_3x3/Relu:0", [2, 147, 147, 64]],
        ["MaxPool_3a_3x3", "InceptionV3/InceptionV3/MaxPool_3a_3x3/MaxPool:0", [2, 73, 73, 64]],
        ["Conv2d_3b_1x1", "InceptionV3/InceptionV3/Conv2d_3b_1x1/Relu:0", [2, 73, 73, 80]],
        ["Conv2d_4a_3x3", "InceptionV3/InceptionV3/Conv2d_4a_3x3/Relu:0", [2, 71, 71, 192]],
        ["MaxPool_5a_3x3", "InceptionV3/InceptionV3/MaxPool_5a_3x3/MaxPool:0", [2, 35, 35, 192]],
        ["Mixed_5b", "InceptionV3/InceptionV3/Mixed_5b/concat:0", [2, 35, 35, 256]],
        ["Mixed_5c", "InceptionV3/InceptionV3/Mixed_5c/concat:0", [2, 35, 35, 288]],
        ["Mixed_5d", "InceptionV3/InceptionV3/Mixed_5d/concat:0", [2, 35, 35, 288]],
        ["Mixed_6a", "InceptionV3/InceptionV3/Mixed_6a/concat:0", [2, 17, 17, 768]],
        ["Mixed_6b", "InceptionV3/InceptionV3/Mixed_6b/concat:0", [2, 17, 17, 768]],
        ["Mixed_6c", "InceptionV3/InceptionV3/Mixed_6c/concat:0", [2, 17, 17, 768]],
        ["Mixed_6d", "InceptionV3/InceptionV3/Mixed_6d/concat:0", [2, 17, 17, 768]],
        ["Mixed_6e", "InceptionV3/InceptionV3/Mixed_6e/concat:0", [2, 17, 17, 768]],
        ["Mixed_7a", "InceptionV3/InceptionV3/Mixed_7a/concat:0", [2, 8, 8, 1280]],
        ["Mixed_7b", "InceptionV3/InceptionV3/Mixed_7b/concat:0", [2, 8, 8, 2048]],
        ["Mixed_7c", "InceptionV3/InceptionV3/Mixed_7c/concat:0", [2, 8, 8, 2048]],
        ["AuxLogits", "InceptionV3/AuxLogits/SpatialSqueeze:0", [2, 11]],
        ["PreLogits", "InceptionV3/Logits/Dropout_1b/dropout/SelectV2:0", [2, 1, 1, 2048]],
        ["Logits", "InceptionV3/Logits/SpatialSqueeze:0", [2, 11]],
        ["Predictions", "InceptionV3/Predictions/Reshape_1:0", [2, 11]],
    ],
    "v3_vars": [388, 192, 192, 98],
    "v3_some": [
        ["InceptionV3/Conv2d_1a_3x3/weights", [3, 3, 3, 32]],
        ["InceptionV3/Mixed_5b/Branch_2/Conv2d_0b_3x3/BatchNorm/beta", [96]],
        ["InceptionV3/Mixed_5c/Branch_3/Conv2d_0b_1x1/BatchNorm/moving_mean", [64]],
        ["InceptionV3/Mixed_6a/Branch_1/Conv2d_0a_1x1/BatchNorm/moving_variance", [64]],
        ["InceptionV3/Mixed_6b/Branch_2/Conv2d_0d_7x1/weights", [7, 1, 128, 128]],
        ["InceptionV3/Mixed_6c/Branch_2/Conv2d_0c_1x7/BatchNorm/beta", [160]],
        ["InceptionV3/Mixed_6d/Branch_2/Conv2d_0b_7x1/BatchNorm/moving_mean", [160]],
        ["InceptionV3/Mixed_6e/Branch_2/Conv2d_0a_1x1/BatchNorm/moving_variance", [192]],
        ["InceptionV3/Mixed_7a/Branch_1/Conv2d_0c_7x1/weights", [7, 1, 192, 192]],
        ["InceptionV3/Mixed_7b/Branch_2/Conv2d_0d_3x1/BatchNorm/beta", [384]],
        ["InceptionV3/Mixed_7c/Branch_2/Conv2d_0d_3x1/BatchNorm/moving_mean", [384]],
    ],
    "v3_ops": [
        "InceptionV3/Mixed_7b/Branch_0/Conv2d_0a_1x1/weights/Initializer/truncated_normal/shape",
        "InceptionV3/Mixed_7b/Branch_0/Conv2d_0a_1x1/weights/Initializer/truncated_normal/mean",
        "InceptionV3/Mixed_7b/Branch_0/Conv2d_0a_1x1/weights/Initializer/truncated_normal/stddev",
        "InceptionV3/Mixed_7b/Branch_0/Conv2d_0a_1x1/weights/Initializer/truncated_normal/TruncatedNormal",
        "InceptionV3/Mixed_7b/Branch_0/Conv2d_0a_1x1/weights/Initializer/truncated_normal/mul",
        "InceptionV3/Mixed_7b/Branch_0/Conv2d_0a_1x1/weights/Initializer/truncated_normal",
        "InceptionV3/Mixed_7b/Branch_0/Conv2d_0a_1x1/weights",
        "InceptionV3/Mixed_7b/Branch_0/Conv2d_0a_1x1/weights/Assign",
        "InceptionV3/Mixed_7b/Branch_0/Conv2d_0a_1x1/weights/read",
        "InceptionV3/Mixed_7b/Branch_0/Conv2d_0a_1x1/BatchNorm/beta/Initializer/zeros",
        "InceptionV3/Mixed_7b/Branch_0/Conv2d_0a_1x1/BatchNorm/beta",
        "InceptionV3/Mixed_7b/Branch_0/Conv2d_0a_1x1/BatchNorm/beta/Assign",
        "InceptionV3/Mixed_7b/Branch_0/Conv2d_0a_1x1/BatchNorm/beta/read",
        "InceptionV3/Mixed_7b/Branch_0/Conv2d_0a_1x1/BatchNorm/moving_mean/Initializer/zeros",
        "InceptionV3/Mixed_7b/Branch_0/Conv2d_0a_1x1/BatchNorm/moving_mean",
        "InceptionV3/Mixed_7b/Branch_0/Conv2d_0a_1x1/BatchNorm/moving_mean/Assign",
        "InceptionV3/Mixed_7b/Branch_0/Conv2d_0a_1x1/BatchNorm/moving_mean/read",
        "InceptionV3/Mixed_7b/Branch_0/Conv2d_0a_1x1/BatchNorm/moving_variance/Initializer/ones",
        "InceptionV3/Mixed_7b/Branch_0/Conv2d_0a_1x1/BatchNorm/moving_variance",
        "InceptionV3/Mixed_7b/Branch_0/Conv2d_0a_1x1/BatchNorm/moving_variance/Assign",
        "InceptionV3/Mixed_7b/Branch_0/Conv2d_0a_1x1/BatchNorm/moving_variance/read",
        "InceptionV3/Mixed_7b/Branch_1/Conv2d_0a_1x1/weights/Initializer/truncated_normal/shape",
        "InceptionV3/Mixed_7b/Branch_1/Conv2d_0a_1x1/weights/Initializer/truncated_normal/mean",
        "InceptionV3/Mixed_7b/Branch_1/Conv2d_0a_1x1/weights/Initializer/truncated_normal/stddev",
        "InceptionV3/Mixed_7b/Branch_1/Conv2d_0a_1x1/weights/Initializer/truncated_normal/TruncatedNormal",
        "InceptionV3/Mixed_7b/Branch_1/Conv2d_0a_1x1/weights/Initializer/truncated_normal/mul",
        "InceptionV3/Mixed_7b/Branch_1/Conv2d_0a_1x1/weights/Initializer/truncated_normal",
        "InceptionV3/Mixed_7b/Branch_1/Conv2d_0a_1x1/weights",
        "InceptionV3/Mixed_7b/Branch_1/Conv2d_0a_1x1/weights/Assign",
        "InceptionV3/Mixed_7b/Branch_1/Conv2d_0a_1x1/weights/read",
        "InceptionV3/Mixed_7b/Branch_1/Conv2d_0a_1x1/BatchNorm/beta/Initializer/zeros",
        "InceptionV3/Mixed_7b/Branch_1/Conv2d_0a_1x1/BatchNorm/beta",
        "InceptionV3/Mixed_7b/Branch_1/Conv2d_0a_1x1/BatchNorm/beta/Assign",
        "InceptionV3/Mixed_7b/Branch_1/Conv2d_0a_1x1/BatchNorm/beta/read",
        "InceptionV3/Mixed_7b/Branch_1/Conv2d_0a_1x1/BatchNorm/moving_mean/Initializer/zeros",
        "InceptionV3/Mixed_7b/Branch_1/Conv2d_0a_1x1/BatchNorm/moving_mean",
        "InceptionV3/Mixed_7b/Branch_1/Conv2d_0a_1x1/BatchNorm/moving_mean/Assign",
        "InceptionV3/Mixed_7b/Branch_1/Conv2d_0a_1x1/BatchNorm/moving_mean/read",
        "InceptionV3/Mixed_7b/Branch_1/Conv2d_0a_1x1/BatchNorm/moving_variance/Initializer/ones",
        "InceptionV3/Mixed_7b/Branch_1/Conv2d_0a_1x1/BatchNorm/moving_variance",
    ],
    "base": [
        ["Conv2d_1a_3x3", "Base/Conv2d_1a_3x3/Relu:0", [None, 149, 149, 16]],
        ["Conv2d_2a_3x3", "Base/Conv2d_2a_3x3/Relu:0", [None, 147, 147, 16]],
        ["Conv2d_2b_3x3", "Base/Conv2d_2b_3x3/Relu:0", [None, 147, 147, 32]],
        ["MaxPool_3a_3x3", "Base/MaxPool_3a_3x3/MaxPool:0", [None, 73, 73, 32]],
        ["Conv2d_3b_1x1", "Base/Conv2d_3b_1x1/Relu:0", [None, 73, 73, 40]],
        ["Conv2d_4a_3x3", "Base/Conv2d_4a_3x3/Relu:0", [None, 71, 71, 96]],
        ["MaxPool_5a_3x3", "Base/MaxPool_5a_3x3/MaxPool:0", [None, 35, 35, 96]],
        ["Mixed_5b", "Base/Mixed_5b/concat:0", [None, 35, 35, 128]],
        ["Mixed_5c", "Base/Mixed_5c/concat:0", [None, 35, 35, 144]],
        ["Mixed_5d", "Base/Mixed_5d/concat:0", [None, 35, 35, 144]],
        ["Mixed_6a", "Base/Mixed_6a/concat:0", [None, 17, 17, 384]],
    ],
    "small": [
        ["Mixed_6e", "InceptionV3/InceptionV3/Mixed_6e/concat:0", [2, 7, 7, 76]],
        ["Mixed_7a", "InceptionV3/InceptionV3/Mixed_7a/concat:0", [2, 3, 3, 127]],
        ["Mixed_7b", "InceptionV3/InceptionV3/Mixed_7b/concat:0", [2, 3, 3, 203]],
        ["Mixed_7c", "InceptionV3/InceptionV3/Mixed_7c/concat:0", [2, 3, 3, 203]],
        ["AuxLogits", "InceptionV3/AuxLogits/SpatialSqueeze:0", [2, 4]],
        ["PreLogits", "InceptionV3/Logits/Dropout_1b/dropout/SelectV2:0", [2, 1, 1, 203]],
        ["Logits", "InceptionV3/Logits/SpatialSqueeze:0", [2, 4]],
        ["Predictions", "InceptionV3/Predictions/Reshape_1:0", [2, 4]],
    ],
    "small_losses": [1.8485228429455722, 1.8273932760812397],
    "small_pred": [
        0.08130936048645425,
        0.1508392093523506,
        0.36528995309260476,
        0.4025614770685905,
        0.09332973141172964,
        0.2759891934697342,
        0.19720653891108536,
        0.4334745362074507,
        0.0005794630044945984,
        -0.00047569490176667677,
        0.00011691487371382999,
        -0.0005105210310693695,
        -0.0023148095609210996,
        0.0013884228302438442,
        -2.8606545545259063e-06,
        -0.003714641114900272,
    ],
    "small_mm": [
        -0.0938992158511008,
        0.041184310099320866,
        -0.030787460102503626,
        -0.007645198813174944,
    ],
    "['depth_multiplier']": "depth_multiplier is not greater than zero.",
    "['final_endpoint']": "Unknown final endpoint Mixed_9z",
}


def test_slim_inception_v3_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
