"""tf.contrib.slim.nets as TF1 programs used them: vgg_16, vgg_a and vgg_19 under vgg_arg_scope
(end points, variables, regularization losses), resnet_v1_50 with an output_stride (atrous
units) and resnet_v2_50 without a global pool under resnet_arg_scope, then two small custom
ResNets (resnet_v1 over resnet_v1_blocks with output_stride, resnet_v2 without its root block)
trained with slim.learning.create_train_op and Momentum, their batch norms updated through
UPDATE_OPS. (The reference ran tf_slim's nets, TF 1.15's code.)

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close, end_point_rows


def program(tf, workdir):
    slim = tf.contrib.slim
    nets = slim.nets
    rng = np.random.RandomState(4)
    xs = rng.rand(2, 32, 32, 3).astype(np.float32)
    ys = np.array([1, 3], np.int64)

    out = {}
    g = tf.Graph()
    with g.as_default():
        images = tf.placeholder(tf.float32, [1, 224, 224, 3])
        with slim.arg_scope(nets.vgg.vgg_arg_scope()):
            logits, ep16 = nets.vgg.vgg_16(images, num_classes=7)
            _, ep_a = nets.vgg.vgg_a(images, num_classes=7, is_training=False)
            _, ep19 = nets.vgg.vgg_19(images, num_classes=7, spatial_squeeze=False)
        out["vgg16"] = end_point_rows(ep16)
        out["vgg_a"] = end_point_rows(ep_a)
        out["vgg19"] = end_point_rows(ep19)[-4:]
        out["vgg_vars"] = [
            [v.op.name, v.shape.as_list()] for v in slim.get_model_variables("vgg_16")
        ]
        out["vgg_reg"] = len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES))
        out["vgg_ops"] = len(g.get_operations())
    g = tf.Graph()
    with g.as_default():
        images = tf.placeholder(tf.float32, [None, 64, 64, 3])
        with slim.arg_scope(nets.resnet_v1.resnet_arg_scope()):
            net, ep = nets.resnet_v1.resnet_v1_50(images, 10, output_stride=16)
        with slim.arg_scope(nets.resnet_v2.resnet_arg_scope(batch_norm_scale=False)):
            net2, ep2 = nets.resnet_v2.resnet_v2_50(
                images, None, is_training=False, global_pool=False
            )
        out["r50"] = end_point_rows(ep)[:12] + end_point_rows(ep)[-6:]
        out["r50_n"] = [len(ep), net.name, net.shape.as_list()]
        out["r2_50"] = end_point_rows(ep2)[-5:] + [[len(ep2), net2.name, net2.shape.as_list()]]
        out["r_vars"] = [[v.op.name, v.shape.as_list()] for v in tf.global_variables()[:14]]
        out["r_counts"] = [
            len(tf.global_variables()),
            len(tf.trainable_variables()),
            len(tf.get_collection(tf.GraphKeys.UPDATE_OPS)),
            len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)),
        ]
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(6)
        images = tf.constant(xs)
        r1 = nets.resnet_v1
        blocks = [
            r1.resnet_v1_block("block1", base_depth=4, num_units=2, stride=2),
            r1.resnet_v1_block("block2", base_depth=8, num_units=2, stride=1),
        ]
        with slim.arg_scope(r1.resnet_arg_scope(batch_norm_decay=0.9)):
            logits, ep = r1.resnet_v1(images, blocks, num_classes=5, scope="tiny", output_stride=4)
            r2 = nets.resnet_v2
            blocks2 = [
                r2.resnet_v2_block("block1", base_depth=4, num_units=2, stride=2),
                r2.resnet_v2_block("b2", base_depth=4, num_units=1, stride=1),
            ]
            logits2, ep2 = r2.resnet_v2(
                images, blocks2, num_classes=5, scope="tiny2", include_root_block=False
            )
        logits = tf.squeeze(logits, [1, 2])
        logits2 = tf.squeeze(logits2, [1, 2])
        tf.losses.sparse_softmax_cross_entropy(tf.constant(ys), logits)
        tf.losses.sparse_softmax_cross_entropy(tf.constant(ys), logits2)
        total = tf.losses.get_total_loss()
        train = slim.learning.create_train_op(total, tf.train.MomentumOptimizer(0.1, 0.9))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            losses = [float(sess.run(train)) for _ in range(3)]
            pred, pred2, mm = sess.run(
                [
                    ep["predictions"],
                    ep2["predictions"],
                    "tiny/block1/unit_1/bottleneck_v1/conv1/BatchNorm/moving_mean:0",
                ]
            )
        out["tiny"] = end_point_rows(ep) + end_point_rows(ep2)
        out["tiny_losses"] = losses
        out["tiny_pred"] = [float(v) for v in pred.ravel()[:5]] + [
            float(v) for v in pred2.ravel()[:5]
        ]
        out["tiny_mm"] = [float(v) for v in mm]
    try:
        with tf.Graph().as_default():
            x = tf.placeholder(tf.float32, [1, 32, 32, 3])
            nets.resnet_v1.resnet_v1_50(x, output_stride=6)
    except ValueError as e:
        out["err"] = str(e)
    return out


EXPECTED = {
    "vgg16": [
        ["vgg_16/conv1/conv1_1", "vgg_16/conv1/conv1_1/Relu:0", [1, 224, 224, 64]],
        ["vgg_16/conv1/conv1_2", "vgg_16/conv1/conv1_2/Relu:0", [1, 224, 224, 64]],
        ["vgg_16/pool1", "vgg_16/pool1/MaxPool:0", [1, 112, 112, 64]],
        ["vgg_16/conv2/conv2_1", "vgg_16/conv2/conv2_1/Relu:0", [1, 112, 112, 128]],
        ["vgg_16/conv2/conv2_2", "vgg_16/conv2/conv2_2/Relu:0", [1, 112, 112, 128]],
        ["vgg_16/pool2", "vgg_16/pool2/MaxPool:0", [1, 56, 56, 128]],
        ["vgg_16/conv3/conv3_1", "vgg_16/conv3/conv3_1/Relu:0", [1, 56, 56, 256]],
        ["vgg_16/conv3/conv3_2", "vgg_16/conv3/conv3_2/Relu:0", [1, 56, 56, 256]],
        ["vgg_16/conv3/conv3_3", "vgg_16/conv3/conv3_3/Relu:0", [1, 56, 56, 256]],
        ["vgg_16/pool3", "vgg_16/pool3/MaxPool:0", [1, 28, 28, 256]],
        ["vgg_16/conv4/conv4_1", "vgg_16/conv4/conv4_1/Relu:0", [1, 28, 28, 512]],
        ["vgg_16/conv4/conv4_2", "vgg_16/conv4/conv4_2/Relu:0", [1, 28, 28, 512]],
        ["vgg_16/conv4/conv4_3", "vgg_16/conv4/conv4_3/Relu:0", [1, 28, 28, 512]],
        ["vgg_16/pool4", "vgg_16/pool4/MaxPool:0", [1, 14, 14, 512]],
        ["vgg_16/conv5/conv5_1", "vgg_16/conv5/conv5_1/Relu:0", [1, 14, 14, 512]],
        ["vgg_16/conv5/conv5_2", "vgg_16/conv5/conv5_2/Relu:0", [1, 14, 14, 512]],
        ["vgg_16/conv5/conv5_3", "vgg_16/conv5/conv5_3/Relu:0", [1, 14, 14, 512]],
        ["vgg_16/pool5", "vgg_16/pool5/MaxPool:0", [1, 7, 7, 512]],
        ["vgg_16/fc6", "vgg_16/fc6/Relu:0", [1, 1, 1, 4096]],
        ["vgg_16/fc7", "vgg_16/fc7/Relu:0", [1, 1, 1, 4096]],
        ["vgg_16/fc8", "vgg_16/fc8/squeezed:0", [1, 7]],
    ],
    "vgg_a": [
        ["vgg_a/conv1/conv1_1", "vgg_a/conv1/conv1_1/Relu:0", [1, 224, 224, 64]],
        ["vgg_a/pool1", "vgg_a/pool1/MaxPool:0", [1, 112, 112, 64]],
        ["vgg_a/conv2/conv2_1", "vgg_a/conv2/conv2_1/Relu:0", [1, 112, 112, 128]],
        ["vgg_a/pool2", "vgg_a/pool2/MaxPool:0", [1, 56, 56, 128]],
        ["vgg_a/conv3/conv3_1", "vgg_a/conv3/conv3_1/Relu:0", [1, 56, 56, 256]],
        ["vgg_a/conv3/conv3_2", "vgg_a/conv3/conv3_2/Relu:0", [1, 56, 56, 256]],
        ["vgg_a/pool3", "vgg_a/pool3/MaxPool:0", [1, 28, 28, 256]],
        ["vgg_a/conv4/conv4_1", "vgg_a/conv4/conv4_1/Relu:0", [1, 28, 28, 512]],
        ["vgg_a/conv4/conv4_2", "vgg_a/conv4/conv4_2/Relu:0", [1, 28, 28, 512]],
        ["vgg_a/pool4", "vgg_a/pool4/MaxPool:0", [1, 14, 14, 512]],
        ["vgg_a/conv5/conv5_1", "vgg_a/conv5/conv5_1/Relu:0", [1, 14, 14, 512]],
        ["vgg_a/conv5/conv5_2", "vgg_a/conv5/conv5_2/Relu:0", [1, 14, 14, 512]],
        ["vgg_a/pool5", "vgg_a/pool5/MaxPool:0", [1, 7, 7, 512]],
        ["vgg_a/fc6", "vgg_a/fc6/Relu:0", [1, 1, 1, 4096]],
        ["vgg_a/fc7", "vgg_a/fc7/Relu:0", [1, 1, 1, 4096]],
        ["vgg_a/fc8", "vgg_a/fc8/squeezed:0", [1, 7]],
    ],
    "vgg19": [
        ["vgg_19/pool5", "vgg_19/pool5/MaxPool:0", [1, 7, 7, 512]],
        ["vgg_19/fc6", "vgg_19/fc6/Relu:0", [1, 1, 1, 4096]],
        ["vgg_19/fc7", "vgg_19/fc7/Relu:0", [1, 1, 1, 4096]],
        ["vgg_19/fc8", "vgg_19/fc8/BiasAdd:0", [1, 1, 1, 7]],
    ],
    "vgg_vars": [
        ["vgg_16/conv1/conv1_1/weights", [3, 3, 3, 64]],
        ["vgg_16/conv1/conv1_1/biases", [64]],
        ["vgg_16/conv1/conv1_2/weights", [3, 3, 64, 64]],
        ["vgg_16/conv1/conv1_2/biases", [64]],
        ["vgg_16/conv2/conv2_1/weights", [3, 3, 64, 128]],
        ["vgg_16/conv2/conv2_1/biases", [128]],
        ["vgg_16/conv2/conv2_2/weights", [3, 3, 128, 128]],
        ["vgg_16/conv2/conv2_2/biases", [128]],
        ["vgg_16/conv3/conv3_1/weights", [3, 3, 128, 256]],
        ["vgg_16/conv3/conv3_1/biases", [256]],
        ["vgg_16/conv3/conv3_2/weights", [3, 3, 256, 256]],
        ["vgg_16/conv3/conv3_2/biases", [256]],
        ["vgg_16/conv3/conv3_3/weights", [3, 3, 256, 256]],
        ["vgg_16/conv3/conv3_3/biases", [256]],
        ["vgg_16/conv4/conv4_1/weights", [3, 3, 256, 512]],
        ["vgg_16/conv4/conv4_1/biases", [512]],
        ["vgg_16/conv4/conv4_2/weights", [3, 3, 512, 512]],
        ["vgg_16/conv4/conv4_2/biases", [512]],
        ["vgg_16/conv4/conv4_3/weights", [3, 3, 512, 512]],
        ["vgg_16/conv4/conv4_3/biases", [512]],
        ["vgg_16/conv5/conv5_1/weights", [3, 3, 512, 512]],
        ["vgg_16/conv5/conv5_1/biases", [512]],
        ["vgg_16/conv5/conv5_2/weights", [3, 3, 512, 512]],
        ["vgg_16/conv5/conv5_2/biases", [512]],
        ["vgg_16/conv5/conv5_3/weights", [3, 3, 512, 512]],
        ["vgg_16/conv5/conv5_3/biases", [512]],
        ["vgg_16/fc6/weights", [7, 7, 512, 4096]],
        ["vgg_16/fc6/biases", [4096]],
        ["vgg_16/fc7/weights", [1, 1, 4096, 4096]],
        ["vgg_16/fc7/biases", [4096]],
        ["vgg_16/fc8/weights", [1, 1, 4096, 7]],
        ["vgg_16/fc8/biases", [7]],
    ],
    "vgg_reg": 46,
    "vgg_ops": 981,
    "r50": [
        ["resnet_v1_50/conv1", "resnet_v1_50/conv1/Relu:0", [None, 32, 32, 64]],
        [
            "resnet_v1_50/block1/unit_1/bottleneck_v1/shortcut",
            "resnet_v1_50/block1/unit_1/bottleneck_v1/shortcut/BatchNorm/FusedBatchNormV3:0",
            [None, 16, 16, 256],
        ],
        [
            "resnet_v1_50/block1/unit_1/bottleneck_v1/conv1",
            "resnet_v1_50/block1/unit_1/bottleneck_v1/conv1/Relu:0",
            [None, 16, 16, 64],
        ],
        [
            "resnet_v1_50/block1/unit_1/bottleneck_v1/conv2",
            "resnet_v1_50/block1/unit_1/bottleneck_v1/conv2/Relu:0",
            [None, 16, 16, 64],
        ],
        [
            "resnet_v1_50/block1/unit_1/bottleneck_v1/conv3",
            "resnet_v1_50/block1/unit_1/bottleneck_v1/conv3/BatchNorm/FusedBatchNormV3:0",
            [None, 16, 16, 256],
        ],
        [
            "resnet_v1_50/block1/unit_1/bottleneck_v1",
            "resnet_v1_50/block1/unit_1/bottleneck_v1/Relu:0",
            [None, 16, 16, 256],
        ],
        [
            "resnet_v1_50/block1/unit_2/bottleneck_v1/conv1",
            "resnet_v1_50/block1/unit_2/bottleneck_v1/conv1/Relu:0",
            [None, 16, 16, 64],
        ],
        [
            "resnet_v1_50/block1/unit_2/bottleneck_v1/conv2",
            "resnet_v1_50/block1/unit_2/bottleneck_v1/conv2/Relu:0",
            [None, 16, 16, 64],
        ],
        [
            "resnet_v1_50/block1/unit_2/bottleneck_v1/conv3",
            "resnet_v1_50/block1/unit_2/bottleneck_v1/conv3/BatchNorm/FusedBatchNormV3:0",
            [None, 16, 16, 256],
        ],
        [
            "resnet_v1_50/block1/unit_2/bottleneck_v1",
            "resnet_v1_50/block1/unit_2/bottleneck_v1/Relu:0",
            [None, 16, 16, 256],
        ],
        [
            "resnet_v1_50/block1/unit_3/bottleneck_v1/conv1",
            "resnet_v1_50/block1/unit_3/bottleneck_v1/conv1/Relu:0",
            [None, 16, 16, 64],
        ],
        [
            "resnet_v1_50/block1/unit_3/bottleneck_v1/conv2",
            "resnet_v1_50/block1/unit_3/bottleneck_v1/conv2/Relu:0",
            [None, 8, 8, 64],
        ],
        [
            "resnet_v1_50/block4/unit_3/bottleneck_v1/conv2",
            "resnet_v1_50/block4/unit_3/bottleneck_v1/conv2/Relu:0",
            [None, 4, 4, 512],
        ],
        [
            "resnet_v1_50/block4/unit_3/bottleneck_v1/conv3",
            "resnet_v1_50/block4/unit_3/bottleneck_v1/conv3/BatchNorm/FusedBatchNormV3:0",
            [None, 4, 4, 2048],
        ],
        [
            "resnet_v1_50/block4/unit_3/bottleneck_v1",
            "resnet_v1_50/block4/unit_3/bottleneck_v1/Relu:0",
            [None, 4, 4, 2048],
        ],
        [
            "resnet_v1_50/block4",
            "resnet_v1_50/block4/unit_3/bottleneck_v1/Relu:0",
            [None, 4, 4, 2048],
        ],
        ["resnet_v1_50/logits", "resnet_v1_50/logits/BiasAdd:0", [None, 1, 1, 10]],
        ["predictions", "resnet_v1_50/predictions/Reshape_1:0", [None, 1, 1, 10]],
    ],
    "r50_n": [75, "resnet_v1_50/logits/BiasAdd:0", [None, 1, 1, 10]],
    "r2_50": [
        [
            "resnet_v2_50/block4/unit_3/bottleneck_v2/conv1",
            "resnet_v2_50/block4/unit_3/bottleneck_v2/conv1/Relu:0",
            [None, 2, 2, 512],
        ],
        [
            "resnet_v2_50/block4/unit_3/bottleneck_v2/conv2",
            "resnet_v2_50/block4/unit_3/bottleneck_v2/conv2/Relu:0",
            [None, 2, 2, 512],
        ],
        [
            "resnet_v2_50/block4/unit_3/bottleneck_v2/conv3",
            "resnet_v2_50/block4/unit_3/bottleneck_v2/conv3/BiasAdd:0",
            [None, 2, 2, 2048],
        ],
        [
            "resnet_v2_50/block4/unit_3/bottleneck_v2",
            "resnet_v2_50/block4/unit_3/bottleneck_v2/add:0",
            [None, 2, 2, 2048],
        ],
        [
            "resnet_v2_50/block4",
            "resnet_v2_50/block4/unit_3/bottleneck_v2/add:0",
            [None, 2, 2, 2048],
        ],
        [73, "resnet_v2_50/postnorm/Relu:0", [None, 2, 2, 2048]],
    ],
    "r_vars": [
        ["resnet_v1_50/conv1/weights", [7, 7, 3, 64]],
        ["resnet_v1_50/conv1/BatchNorm/gamma", [64]],
        ["resnet_v1_50/conv1/BatchNorm/beta", [64]],
        ["resnet_v1_50/conv1/BatchNorm/moving_mean", [64]],
        ["resnet_v1_50/conv1/BatchNorm/moving_variance", [64]],
        ["resnet_v1_50/block1/unit_1/bottleneck_v1/shortcut/weights", [1, 1, 64, 256]],
        ["resnet_v1_50/block1/unit_1/bottleneck_v1/shortcut/BatchNorm/gamma", [256]],
        ["resnet_v1_50/block1/unit_1/bottleneck_v1/shortcut/BatchNorm/beta", [256]],
        ["resnet_v1_50/block1/unit_1/bottleneck_v1/shortcut/BatchNorm/moving_mean", [256]],
        ["resnet_v1_50/block1/unit_1/bottleneck_v1/shortcut/BatchNorm/moving_variance", [256]],
        ["resnet_v1_50/block1/unit_1/bottleneck_v1/conv1/weights", [1, 1, 64, 64]],
        ["resnet_v1_50/block1/unit_1/bottleneck_v1/conv1/BatchNorm/gamma", [64]],
        ["resnet_v1_50/block1/unit_1/bottleneck_v1/conv1/BatchNorm/beta", [64]],
        ["resnet_v1_50/block1/unit_1/bottleneck_v1/conv1/BatchNorm/moving_mean", [64]],
    ],
    "r_counts": [488, 284, 106, 107],
    "tiny": [
        ["tiny/conv1", "tiny/conv1/Relu:0", [2, 16, 16, 64]],
        [
            "tiny/block1/unit_1/bottleneck_v1/shortcut",
            "tiny/block1/unit_1/bottleneck_v1/shortcut/BatchNorm/FusedBatchNormV3:0",
            [2, 8, 8, 16],
        ],
        [
            "tiny/block1/unit_1/bottleneck_v1/conv1",
            "tiny/block1/unit_1/bottleneck_v1/conv1/Relu:0",
            [2, 8, 8, 4],
        ],
        [
            "tiny/block1/unit_1/bottleneck_v1/conv2",
            "tiny/block1/unit_1/bottleneck_v1/conv2/Relu:0",
            [2, 8, 8, 4],
        ],
        [
            "tiny/block1/unit_1/bottleneck_v1/conv3",
            "tiny/block1/unit_1/bottleneck_v1/conv3/BatchNorm/FusedBatchNormV3:0",
            [2, 8, 8, 16],
        ],
        [
            "tiny/block1/unit_1/bottleneck_v1",
            "tiny/block1/unit_1/bottleneck_v1/Relu:0",
            [2, 8, 8, 16],
        ],
        [
            "tiny/block1/unit_2/bottleneck_v1/conv1",
            "tiny/block1/unit_2/bottleneck_v1/conv1/Relu:0",
            [2, 8, 8, 4],
        ],
        [
            "tiny/block1/unit_2/bottleneck_v1/conv2",
            "tiny/block1/unit_2/bottleneck_v1/conv2/Relu:0",
            [2, 8, 8, 4],
        ],
        [
            "tiny/block1/unit_2/bottleneck_v1/conv3",
            "tiny/block1/unit_2/bottleneck_v1/conv3/BatchNorm/FusedBatchNormV3:0",
            [2, 8, 8, 16],
        ],
        [
            "tiny/block1/unit_2/bottleneck_v1",
            "tiny/block1/unit_2/bottleneck_v1/Relu:0",
            [2, 8, 8, 16],
        ],
        ["tiny/block1", "tiny/block1/unit_2/bottleneck_v1/Relu:0", [2, 8, 8, 16]],
        [
            "tiny/block2/unit_1/bottleneck_v1/shortcut",
            "tiny/block2/unit_1/bottleneck_v1/shortcut/BatchNorm/FusedBatchNormV3:0",
            [2, 8, 8, 32],
        ],
        [
            "tiny/block2/unit_1/bottleneck_v1/conv1",
            "tiny/block2/unit_1/bottleneck_v1/conv1/Relu:0",
            [2, 8, 8, 8],
        ],
        [
            "tiny/block2/unit_1/bottleneck_v1/conv2",
            "tiny/block2/unit_1/bottleneck_v1/conv2/Relu:0",
            [2, 8, 8, 8],
        ],
        [
            "tiny/block2/unit_1/bottleneck_v1/conv3",
            "tiny/block2/unit_1/bottleneck_v1/conv3/BatchNorm/FusedBatchNormV3:0",
            [2, 8, 8, 32],
        ],
        [
            "tiny/block2/unit_1/bottleneck_v1",
            "tiny/block2/unit_1/bottleneck_v1/Relu:0",
            [2, 8, 8, 32],
        ],
        [
            "tiny/block2/unit_2/bottleneck_v1/conv1",
            "tiny/block2/unit_2/bottleneck_v1/conv1/Relu:0",
            [2, 8, 8, 8],
        ],
        [
            "tiny/block2/unit_2/bottleneck_v1/conv2",
            "tiny/block2/unit_2/bottleneck_v1/conv2/Relu:0",
            [2, 8, 8, 8],
        ],
        [
            "tiny/block2/unit_2/bottleneck_v1/conv3",
            "tiny/block2/unit_2/bottleneck_v1/conv3/BatchNorm/FusedBatchNormV3:0",
            [2, 8, 8, 32],
        ],
        [
            "tiny/block2/unit_2/bottleneck_v1",
            "tiny/block2/unit_2/bottleneck_v1/Relu:0",
            [2, 8, 8, 32],
        ],
        ["tiny/block2", "tiny/block2/unit_2/bottleneck_v1/Relu:0", [2, 8, 8, 32]],
        ["tiny/logits", "tiny/logits/BiasAdd:0", [2, 1, 1, 5]],
        ["predictions", "tiny/predictions/Reshape_1:0", [2, 1, 1, 5]],
        [
            "tiny2/block1/unit_1/bottleneck_v2/shortcut",
            "tiny2/block1/unit_1/bottleneck_v2/shortcut/BiasAdd:0",
            [2, 32, 32, 16],
        ],
        [
            "tiny2/block1/unit_1/bottleneck_v2/conv1",
            "tiny2/block1/unit_1/bottleneck_v2/conv1/Relu:0",
            [2, 32, 32, 4],
        ],
        [
            "tiny2/block1/unit_1/bottleneck_v2/conv2",
            "tiny2/block1/unit_1/bottleneck_v2/conv2/Relu:0",
            [2, 32, 32, 4],
        ],
        [
            "tiny2/block1/unit_1/bottleneck_v2/conv3",
            "tiny2/block1/unit_1/bottleneck_v2/conv3/BiasAdd:0",
            [2, 32, 32, 16],
        ],
        [
            "tiny2/block1/unit_1/bottleneck_v2",
            "tiny2/block1/unit_1/bottleneck_v2/add:0",
            [2, 32, 32, 16],
        ],
        [
            "tiny2/block1/unit_2/bottleneck_v2/conv1",
            "tiny2/block1/unit_2/bottleneck_v2/conv1/Relu:0",
            [2, 32, 32, 4],
        ],
        [
            "tiny2/block1/unit_2/bottleneck_v2/conv2",
            "tiny2/block1/unit_2/bottleneck_v2/conv2/Relu:0",
            [2, 16, 16, 4],
        ],
        [
            "tiny2/block1/unit_2/bottleneck_v2/conv3",
            "tiny2/block1/unit_2/bottleneck_v2/conv3/BiasAdd:0",
            [2, 16, 16, 16],
        ],
        [
            "tiny2/block1/unit_2/bottleneck_v2",
            "tiny2/block1/unit_2/bottleneck_v2/add:0",
            [2, 16, 16, 16],
        ],
        ["tiny2/block1", "tiny2/block1/unit_2/bottleneck_v2/add:0", [2, 16, 16, 16]],
        [
            "tiny2/b2/unit_1/bottleneck_v2/conv1",
            "tiny2/b2/unit_1/bottleneck_v2/conv1/Relu:0",
            [2, 16, 16, 4],
        ],
        [
            "tiny2/b2/unit_1/bottleneck_v2/conv2",
            "tiny2/b2/unit_1/bottleneck_v2/conv2/Relu:0",
            [2, 16, 16, 4],
        ],
        [
            "tiny2/b2/unit_1/bottleneck_v2/conv3",
            "tiny2/b2/unit_1/bottleneck_v2/conv3/BiasAdd:0",
            [2, 16, 16, 16],
        ],
        ["tiny2/b2/unit_1/bottleneck_v2", "tiny2/b2/unit_1/bottleneck_v2/add:0", [2, 16, 16, 16]],
        ["tiny2/b2", "tiny2/b2/unit_1/bottleneck_v2/add:0", [2, 16, 16, 16]],
        ["tiny2/logits", "tiny2/logits/BiasAdd:0", [2, 1, 1, 5]],
        ["predictions", "tiny2/predictions/Reshape_1:0", [2, 1, 1, 5]],
    ],
    "tiny_losses": [3.8616957664489746, 2.557015895843506, 1.7233405113220215],
    "tiny_pred": [
        0.0008334897574968636,
        0.7866358757019043,
        0.003639979986473918,
        0.20242859423160553,
        0.006462050136178732,
        0.10322299599647522,
        0.24145536124706268,
        0.1595100313425064,
        0.364070862531662,
        0.1317407786846161,
    ],
    "tiny_mm": [1.1946446895599365, -0.4871065020561218, -0.4059187173843384, 0.28856372833251953],
    "err": "The output_stride needs to be a multiple of 4.",
}


def test_slim_nets_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
