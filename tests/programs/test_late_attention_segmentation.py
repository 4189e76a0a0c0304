"""An attention-gated segmentation net runs unchanged: a tf.layers conv/max-pool encoder, a
sigmoid 1x1 attention gate upsampled by tf.image.resize_bilinear(align_corners=True) to
weight the skip features, a tf.nn.conv2d_transpose decoder with a dynamic output_shape from
tf.stack, concat and a 1x1 class layer, tf.losses.sparse_softmax_cross_entropy under
Momentum, then tf.metrics.mean_iou accumulated over two update runs.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled): variable, Momentum slot and metric
local variable names, op names and static shapes, five losses, the accumulated confusion
matrix, the mean IoU and gate values.
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    rng = np.random.RandomState(515)
    images = rng.rand(2, 8, 8, 3).astype(np.float32)
    masks = (images[..., 0] > 0.5).astype(np.int32) + (images[..., 1] > 0.7).astype(np.int32)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(66)
        x = tf.placeholder(tf.float32, [None, 8, 8, 3], name="image")
        y = tf.placeholder(tf.int32, [None, 8, 8], name="mask")
        with tf.variable_scope("encoder"):
            c1 = tf.layers.conv2d(x, 4, 3, padding="same", activation=tf.nn.relu, name="c1")
            p1 = tf.layers.max_pooling2d(c1, 2, 2, name="p1")
            c2 = tf.layers.conv2d(p1, 8, 3, padding="same", activation=tf.nn.relu, name="c2")
        with tf.variable_scope("attention"):
            gate = tf.layers.conv2d(c2, 1, 1, activation=tf.sigmoid, name="gate")
            gate_up = tf.image.resize_bilinear(gate, [8, 8], align_corners=True)
            attended = c1 * gate_up
        with tf.variable_scope("decoder"):
            w = tf.get_variable("up_filter", [2, 2, 4, 8])
            batch = tf.shape(x)[0]
            up = tf.nn.conv2d_transpose(c2, w, tf.stack([batch, 8, 8, 4]), [1, 2, 2, 1],
                                        padding="SAME", name="up")
            merged = tf.concat([up, attended], axis=3)
            logits = tf.layers.conv2d(merged, 3, 1, name="classes")
        loss = tf.losses.sparse_softmax_cross_entropy(y, logits)
        train = tf.train.MomentumOptimizer(0.1, 0.9).minimize(loss)
        pred = tf.argmax(logits, axis=3, output_type=tf.int32)
        miou, miou_update = tf.metrics.mean_iou(y, pred, num_classes=3)
        feed = {x: images, y: masks}
        with tf.Session() as sess:
            sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
            losses = [float(sess.run([loss, train], feed)[0]) for _ in range(5)]
            sess.run(miou_update, feed)
            sess.run(miou_update, {x: images[:1], y: masks[:1]})
            conf = sess.run(tf.local_variables()[0])
            iou = float(sess.run(miou))
            gate_v = sess.run(gate_up, feed)
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
            "locals": [v.name for v in tf.local_variables()],
            "names": [gate_up.name, up.name, logits.name, loss.name, miou.name,
                      miou_update.name],
            "shapes": [gate_up.shape.as_list(), up.shape.as_list(), logits.shape.as_list()],
            "losses": losses,
            "confusion": conf.tolist(),
            "mean_iou": iou,
            "gate_corner": gate_v[:, 0, 0, 0].tolist(),
            "gate_mid": gate_v[0, 3, 4, 0].tolist(),
        }


EXPECTED = {'vars': [['encoder/c1/kernel:0', [3, 3, 3, 4]],
          ['encoder/c1/bias:0', [4]],
          ['encoder/c2/kernel:0', [3, 3, 4, 8]],
          ['encoder/c2/bias:0', [8]],
          ['attention/gate/kernel:0', [1, 1, 8, 1]],
          ['attention/gate/bias:0', [1]],
          ['decoder/up_filter:0', [2, 2, 4, 8]],
          ['decoder/classes/kernel:0', [1, 1, 8, 3]],
          ['decoder/classes/bias:0', [3]],
          ['encoder/c1/kernel/Momentum:0', [3, 3, 3, 4]],
          ['encoder/c1/bias/Momentum:0', [4]],
          ['encoder/c2/kernel/Momentum:0', [3, 3, 4, 8]],
          ['encoder/c2/bias/Momentum:0', [8]],
          ['attention/gate/kernel/Momentum:0', [1, 1, 8, 1]],
          ['attention/gate/bias/Momentum:0', [1]],
          ['decoder/up_filter/Momentum:0', [2, 2, 4, 8]],
          ['decoder/classes/kernel/Momentum:0', [1, 1, 8, 3]],
          ['decoder/classes/bias/Momentum:0', [3]]],
 'locals': ['mean_iou/total_confusion_matrix:0'],
 'names': ['attention/ResizeBilinear:0',
           'decoder/up:0',
           'decoder/classes/BiasAdd:0',
           'sparse_softmax_cross_entropy_loss/value:0',
           'mean_iou/Select_1:0',
           'mean_iou/AssignAdd:0'],
 'shapes': [[None, 8, 8, 1], [None, 8, 8, 4], [None, 8, 8, 3]],
 'losses': [1.1549943685531616,
            1.1342624425888062,
            1.1014175415039062,
            1.0653324127197266,
            1.0346360206604004],
 'confusion': [[17.0, 48.0, 0.0], [13.0, 77.0, 0.0], [12.0, 25.0, 0.0]],
 'mean_iou': 0.22042717039585114,
 'gate_corner': [0.4466085135936737, 0.40697842836380005],
 'gate_mid': 0.2412719875574112}


def test_program_matches_tf():
    close(program(tf), EXPECTED)
