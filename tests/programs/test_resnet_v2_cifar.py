"""A CIFAR-style pre-activation ResNet (v2) as the official TF1 models built it: tf.layers conv2d
and batch_normalization with ``training`` fed through a placeholder_with_default, projection
shortcuts, fixed padding before strided convolutions, global average pooling by reduce_mean;
weight decay on every non-batch-norm variable added by hand (add_n of l2_loss), a
piecewise_constant learning rate on the global step, Nesterov momentum run under the UPDATE_OPS
control dependencies; then evaluation with ``training=False`` and tf.metrics.accuracy.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    rng = np.random.RandomState(7)
    images = rng.rand(4, 8, 8, 3).astype(np.float32)
    labels = np.array([0, 3, 1, 3], np.int32)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(21)
        x = tf.placeholder(tf.float32, [None, 8, 8, 3], name="images")
        y = tf.placeholder(tf.int32, [None], name="labels")
        training = tf.placeholder_with_default(False, [], name="is_training")

        def bn_relu(t):
            t = tf.layers.batch_normalization(
                t,
                momentum=0.9,
                epsilon=1e-5,
                center=True,
                scale=True,
                training=training,
                fused=True,
            )
            return tf.nn.relu(t)

        def fixed_padding(t, k):
            pad = k - 1
            return tf.pad(
                t, [[0, 0], [pad // 2, pad - pad // 2], [pad // 2, pad - pad // 2], [0, 0]]
            )

        def conv(t, filters, k, strides):
            if strides > 1:
                t = fixed_padding(t, k)
            return tf.layers.conv2d(
                t,
                filters,
                k,
                strides=strides,
                padding="SAME" if strides == 1 else "VALID",
                use_bias=False,
                kernel_initializer=tf.variance_scaling_initializer(),
            )

        def block(t, filters, strides, project):
            shortcut = t
            t = bn_relu(t)
            if project:
                shortcut = conv(t, filters, 1, strides)
            t = conv(t, filters, 3, strides)
            t = bn_relu(t)
            t = conv(t, filters, 3, 1)
            return t + shortcut

        with tf.variable_scope("resnet_model"):
            h = conv(x, 4, 3, 1)
            h = tf.identity(h, "initial_conv")
            with tf.name_scope("block_layer1"):
                h = block(h, 4, 1, False)
            with tf.name_scope("block_layer2"):
                h = block(h, 8, 2, True)
            h = bn_relu(h)
            h = tf.reduce_mean(h, [1, 2], keepdims=True)
            h = tf.squeeze(h, [1, 2])
            logits = tf.layers.dense(h, 4)
            logits = tf.identity(logits, "final_dense")
        cross_entropy = tf.losses.sparse_softmax_cross_entropy(labels=y, logits=logits)
        l2_loss = 2e-4 * tf.add_n(
            [
                tf.nn.l2_loss(tf.cast(v, tf.float32))
                for v in tf.trainable_variables()
                if "batch_normalization" not in v.name
            ]
        )
        loss = cross_entropy + l2_loss
        global_step = tf.train.get_or_create_global_step()
        lr = tf.train.piecewise_constant(global_step, [2, 3], [0.1, 0.01, 0.001])
        opt = tf.train.MomentumOptimizer(lr, momentum=0.9, use_nesterov=True)
        update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
        with tf.control_dependencies(update_ops):
            train_op = opt.minimize(loss, global_step)
        preds = tf.argmax(logits, axis=1)
        acc, acc_update = tf.metrics.accuracy(y, preds)
        with tf.Session() as sess:
            sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
            losses, lrs = [], []
            for _ in range(4):
                lv, lr_v, _ = sess.run([loss, lr, train_op], {x: images, y: labels, training: True})
                losses.append(float(lv))
                lrs.append(float(lr_v))
            sess.run(acc_update, {x: images, y: labels})
            eval_logits = sess.run(logits, {x: images})
            mean = sess.run(g.get_tensor_by_name("resnet_model/batch_normalization/moving_mean:0"))
            accuracy = sess.run(acc)
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
            "n_update_ops": len(update_ops),
            "update_ops": [op.name for op in update_ops[:2]],
            "names": [loss.name, l2_loss.name, lr.name, train_op.name, acc.name, preds.name],
            "losses": losses,
            "lrs": lrs,
            "eval_logits": [[float(v) for v in row] for row in eval_logits],
            "moving_mean": [float(v) for v in mean],
            "accuracy": float(accuracy),
        }


EXPECTED = {
    "vars": [
        ["resnet_model/conv2d/kernel:0", [3, 3, 3, 4]],
        ["resnet_model/batch_normalization/gamma:0", [4]],
        ["resnet_model/batch_normalization/beta:0", [4]],
        ["resnet_model/batch_normalization/moving_mean:0", [4]],
        ["resnet_model/batch_normalization/moving_variance:0", [4]],
        ["resnet_model/conv2d_1/kernel:0", [3, 3, 4, 4]],
        ["resnet_model/batch_normalization_1/gamma:0", [4]],
        ["resnet_model/batch_normalization_1/beta:0", [4]],
        ["resnet_model/batch_normalization_1/moving_mean:0", [4]],
        ["resnet_model/batch_normalization_1/moving_variance:0", [4]],
        ["resnet_model/conv2d_2/kernel:0", [3, 3, 4, 4]],
        ["resnet_model/batch_normalization_2/gamma:0", [4]],
        ["resnet_model/batch_normalization_2/beta:0", [4]],
        ["resnet_model/batch_normalization_2/moving_mean:0", [4]],
        ["resnet_model/batch_normalization_2/moving_variance:0", [4]],
        ["resnet_model/conv2d_3/kernel:0", [1, 1, 4, 8]],
        ["resnet_model/conv2d_4/kernel:0", [3, 3, 4, 8]],
        ["resnet_model/batch_normalization_3/gamma:0", [8]],
        ["resnet_model/batch_normalization_3/beta:0", [8]],
        ["resnet_model/batch_normalization_3/moving_mean:0", [8]],
        ["resnet_model/batch_normalization_3/moving_variance:0", [8]],
        ["resnet_model/conv2d_5/kernel:0", [3, 3, 8, 8]],
        ["resnet_model/batch_normalization_4/gamma:0", [8]],
        ["resnet_model/batch_normalization_4/beta:0", [8]],
        ["resnet_model/batch_normalization_4/moving_mean:0", [8]],
        ["resnet_model/batch_normalization_4/moving_variance:0", [8]],
        ["resnet_model/dense/kernel:0", [8, 4]],
        ["resnet_model/dense/bias:0", [4]],
        ["global_step:0", []],
        ["resnet_model/conv2d/kernel/Momentum:0", [3, 3, 3, 4]],
        ["resnet_model/batch_normalization/gamma/Momentum:0", [4]],
        ["resnet_model/batch_normalization/beta/Momentum:0", [4]],
        ["resnet_model/conv2d_1/kernel/Momentum:0", [3, 3, 4, 4]],
        ["resnet_model/batch_normalization_1/gamma/Momentum:0", [4]],
        ["resnet_model/batch_normalization_1/beta/Momentum:0", [4]],
        ["resnet_model/conv2d_2/kernel/Momentum:0", [3, 3, 4, 4]],
        ["resnet_model/batch_normalization_2/gamma/Momentum:0", [4]],
        ["resnet_model/batch_normalization_2/beta/Momentum:0", [4]],
        ["resnet_model/conv2d_3/kernel/Momentum:0", [1, 1, 4, 8]],
        ["resnet_model/conv2d_4/kernel/Momentum:0", [3, 3, 4, 8]],
        ["resnet_model/batch_normalization_3/gamma/Momentum:0", [8]],
        ["resnet_model/batch_normalization_3/beta/Momentum:0", [8]],
        ["resnet_model/conv2d_5/kernel/Momentum:0", [3, 3, 8, 8]],
        ["resnet_model/batch_normalization_4/gamma/Momentum:0", [8]],
        ["resnet_model/batch_normalization_4/beta/Momentum:0", [8]],
        ["resnet_model/dense/kernel/Momentum:0", [8, 4]],
        ["resnet_model/dense/bias/Momentum:0", [4]],
    ],
    "n_update_ops": 10,
    "update_ops": [
        "resnet_model/block_layer1/batch_normalization/AssignMovingAvg",
        "resnet_model/block_layer1/batch_normalization/AssignMovingAvg_1",
    ],
    "names": [
        "add:0",
        "mul:0",
        "PiecewiseConstant/case/cond/Merge:0",
        "Momentum",
        "accuracy/value:0",
        "ArgMax:0",
    ],
    "losses": [1.5871285200119019, 1.1424356698989868, 0.9048230051994324, 0.7545677423477173],
    "lrs": [0.10000000149011612, 0.10000000149011612, 0.10000000149011612, 0.009999999776482582],
    "eval_logits": [
        [-0.11463708430528641, 0.29726555943489075, -0.3261644244194031, 0.04556944966316223],
        [-0.16010531783103943, 0.05962110310792923, -0.3995162844657898, 0.26700833439826965],
        [-0.3851384222507477, 0.5902835130691528, -0.32738181948661804, -0.019454017281532288],
        [-0.178428053855896, 0.18090403079986572, -0.29516130685806274, 0.24573519825935364],
    ],
    "moving_mean": [
        0.1294630467891693,
        0.044635940343141556,
        -0.007125910371541977,
        0.08530184626579285,
    ],
    "accuracy": 0.75,
}


def test_resnet_v2_cifar_matches_tensorflow():
    close(program(tf), EXPECTED)
