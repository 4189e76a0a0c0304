"""A small 3-D U-Net for volume segmentation: tf.layers.conv3d (plain, dilated, 1x1x1),
batch_normalization of 5-D inputs under a placeholder_with_default training flag,
max_pooling3d, tf.nn.conv3d, avg_pool3d, conv3d_transpose both as a layer and as tf.nn's op
with a dynamic output shape, a skip concat, a soft dice plus cross-entropy loss, Adam under
UPDATE_OPS, and tf.metrics.mean_iou. (enc1 has no bias, as before batch norm in real nets: a
bias there gets a zero gradient up to rounding, which Adam would magnify into noise.)

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(31)
        vol = tf.placeholder(tf.float32, [2, 6, 6, 4, 1], name="volume")
        seg = tf.placeholder(tf.int32, [2, 6, 6, 4], name="segmentation")
        training = tf.placeholder_with_default(True, [], name="training")
        with tf.variable_scope("unet3d"):
            c1 = tf.layers.conv3d(vol, 4, 3, padding="same", use_bias=False, name="enc1")
            c1 = tf.nn.relu(tf.layers.batch_normalization(c1, training=training, name="bn1"))
            p1 = tf.layers.max_pooling3d(c1, 2, 2, name="pool1")
            w = tf.get_variable("enc2/kernel", [3, 3, 3, 4, 8])
            c2 = tf.nn.relu(tf.nn.conv3d(p1, w, [1, 1, 1, 1, 1], "SAME", name="enc2"))
            a2 = tf.nn.avg_pool3d(c2, [1, 3, 3, 2, 1], [1, 1, 1, 1, 1], "SAME")
            up = tf.layers.conv3d_transpose(a2, 4, 2, strides=2, padding="same", name="up")
            wt = tf.get_variable("up2/kernel", [2, 2, 2, 4, 4])
            up2 = tf.nn.conv3d_transpose(up, wt, tf.shape(c1), [1, 1, 1, 1, 1], "SAME")
            merged = tf.concat([up2, c1], axis=-1)
            dil = tf.layers.conv3d(
                merged,
                4,
                3,
                padding="same",
                dilation_rate=(2, 2, 1),
                activation=tf.nn.elu,
                name="dilated",
            )
            logits = tf.layers.conv3d(dil, 3, 1, name="logits")
        probs = tf.nn.softmax(logits)
        onehot = tf.one_hot(seg, 3)
        inter = tf.reduce_sum(probs * onehot, axis=[1, 2, 3])
        denom = tf.reduce_sum(probs + onehot, axis=[1, 2, 3])
        dice = tf.reduce_mean(1.0 - (2.0 * inter + 1e-5) / (denom + 1e-5))
        xent = tf.reduce_mean(
            tf.nn.sparse_softmax_cross_entropy_with_logits(labels=seg, logits=logits)
        )
        loss = dice + xent
        with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
            train = tf.train.AdamOptimizer(0.01).minimize(loss)
        pred = tf.argmax(probs, axis=-1, output_type=tf.int32)
        miou, miou_update = tf.metrics.mean_iou(seg, pred, 3)
        rng = np.random.RandomState(12)
        x = rng.normal(size=(2, 6, 6, 4, 1)).astype(np.float32)
        y = (x[..., 0] > 0.3).astype(np.int32) + (x[..., 0] > 1.0).astype(np.int32)
        with tf.Session() as sess:
            sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
            hist = []
            for _ in range(4):
                _, a, b = sess.run([train, dice, xent], {vol: x, seg: y})
                hist.append([float(a), float(b)])
            sess.run(miou_update, {vol: x, seg: y, training: False})
            m, mm = sess.run([miou, g.get_tensor_by_name("unet3d/bn1/moving_mean:0")])
        shapes = [t.shape.as_list() for t in (c1, p1, c2, a2, up, up2, merged, dil, logits)]
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
            "shapes": shapes,
            "names": [
                c1.name,
                p1.name,
                c2.name,
                a2.name,
                up.name,
                up2.name,
                dil.name,
                dice.name,
                miou.name,
            ],
            "grad_types": sorted(
                {
                    op.type
                    for op in g.get_operations()
                    if op.name.startswith("gradients/") and "3D" in op.type
                }
            ),
            "losses": hist,
            "miou": float(m),
            "moving_mean": [float(v) for v in mm],
        }


EXPECTED = {
    "vars": [
        ["unet3d/enc1/kernel:0", [3, 3, 3, 1, 4]],
        ["unet3d/bn1/gamma:0", [4]],
        ["unet3d/bn1/beta:0", [4]],
        ["unet3d/bn1/moving_mean:0", [4]],
        ["unet3d/bn1/moving_variance:0", [4]],
        ["unet3d/enc2/kernel:0", [3, 3, 3, 4, 8]],
        ["unet3d/up/kernel:0", [2, 2, 2, 4, 8]],
        ["unet3d/up/bias:0", [4]],
        ["unet3d/up2/kernel:0", [2, 2, 2, 4, 4]],
        ["unet3d/dilated/kernel:0", [3, 3, 3, 8, 4]],
        ["unet3d/dilated/bias:0", [4]],
        ["unet3d/logits/kernel:0", [1, 1, 1, 4, 3]],
        ["unet3d/logits/bias:0", [3]],
        ["beta1_power:0", []],
        ["beta2_power:0", []],
        ["unet3d/enc1/kernel/Adam:0", [3, 3, 3, 1, 4]],
        ["unet3d/enc1/kernel/Adam_1:0", [3, 3, 3, 1, 4]],
        ["unet3d/bn1/gamma/Adam:0", [4]],
        ["unet3d/bn1/gamma/Adam_1:0", [4]],
        ["unet3d/bn1/beta/Adam:0", [4]],
        ["unet3d/bn1/beta/Adam_1:0", [4]],
        ["unet3d/enc2/kernel/Adam:0", [3, 3, 3, 4, 8]],
        ["unet3d/enc2/kernel/Adam_1:0", [3, 3, 3, 4, 8]],
        ["unet3d/up/kernel/Adam:0", [2, 2, 2, 4, 8]],
        ["unet3d/up/kernel/Adam_1:0", [2, 2, 2, 4, 8]],
        ["unet3d/up/bias/Adam:0", [4]],
        ["unet3d/up/bias/Adam_1:0", [4]],
        ["unet3d/up2/kernel/Adam:0", [2, 2, 2, 4, 4]],
        ["unet3d/up2/kernel/Adam_1:0", [2, 2, 2, 4, 4]],
        ["unet3d/dilated/kernel/Adam:0", [3, 3, 3, 8, 4]],
        ["unet3d/dilated/kernel/Adam_1:0", [3, 3, 3, 8, 4]],
        ["unet3d/dilated/bias/Adam:0", [4]],
        ["unet3d/dilated/bias/Adam_1:0", [4]],
        ["unet3d/logits/kernel/Adam:0", [1, 1, 1, 4, 3]],
        ["unet3d/logits/kernel/Adam_1:0", [1, 1, 1, 4, 3]],
        ["unet3d/logits/bias/Adam:0", [3]],
        ["unet3d/logits/bias/Adam_1:0", [3]],
    ],
    "shapes": [
        [2, 6, 6, 4, 4],
        [2, 3, 3, 2, 4],
        [2, 3, 3, 2, 8],
        [2, 3, 3, 2, 8],
        [2, 6, 6, 4, 4],
        [2, 6, 6, 4, 4],
        [2, 6, 6, 4, 8],
        [2, 6, 6, 4, 4],
        [2, 6, 6, 4, 3],
    ],
    "names": [
        "unet3d/Relu:0",
        "unet3d/pool1/MaxPool3D:0",
        "unet3d/Relu_1:0",
        "unet3d/AvgPool3D:0",
        "unet3d/up/BiasAdd:0",
        "unet3d/conv3d_transpose:0",
        "unet3d/dilated/Elu:0",
        "Mean:0",
        "mean_iou/Select_1:0",
    ],
    "grad_types": [
        "AvgPool3DGrad",
        "Conv3D",
        "Conv3DBackpropFilterV2",
        "Conv3DBackpropInputV2",
        "MaxPool3DGrad",
    ],
    "losses": [
        [0.7144234776496887, 1.1489912271499634],
        [0.6957338452339172, 1.044294834136963],
        [0.6729885935783386, 0.9376126527786255],
        [0.6483257412910461, 0.843792200088501],
    ],
    "miou": 0.24081474542617798,
    "moving_mean": [
        -0.00022985387477092445,
        -0.0004884102963842452,
        -0.002818170702084899,
        -0.00027244078228250146,
    ],
}


def test_unet3d_segmentation_matches_tensorflow():
    close(program(tf), EXPECTED)
