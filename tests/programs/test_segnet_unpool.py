"""A SegNet-style encoder-decoder as TF1 implementations wrote it: convolutions with local
response normalization, tf.nn.max_pool_with_argmax keeping the pooling indices, unpooling by
tf.scatter_nd of the pooled values to those flat indices (and the same through
tf.tensor_scatter_nd_add and tf.unravel_index), a per-pixel softmax cross-entropy with class
weights, Momentum; inputs letterboxed by tf.image.resize_image_with_pad and the mean IoU streamed
by tf.metrics.mean_iou.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    rng = np.random.RandomState(32)
    size, n_cls = 8, 3
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(79)
        raw = tf.placeholder(tf.float32, [None, 6, 8, 1], name="raw")
        label_raw = tf.placeholder(tf.int32, [None, 6, 8], name="labels")
        img = tf.image.resize_image_with_pad(raw, size, size)
        labels = tf.squeeze(
            tf.image.resize_image_with_pad(
                label_raw[..., None], size, size, method=tf.image.ResizeMethod.NEAREST_NEIGHBOR
            ),
            -1,
        )
        labels = tf.cast(labels, tf.int32)
        h = tf.layers.conv2d(img, 4, 3, padding="same", activation=tf.nn.relu, name="enc1")
        h = tf.nn.local_response_normalization(
            h, depth_radius=2, bias=1.0, alpha=1e-3, beta=0.75, name="norm1"
        )
        pooled, argmax = tf.nn.max_pool_with_argmax(
            h, [1, 2, 2, 1], [1, 2, 2, 1], "SAME", include_batch_in_index=True
        )
        with tf.name_scope("unpool"):
            flat_shape = tf.cast(tf.reduce_prod(tf.shape(h)), tf.int64)
            flat = tf.scatter_nd(
                tf.reshape(argmax, [-1, 1]), tf.reshape(pooled, [-1]), tf.reshape(flat_shape, [1])
            )
            unpooled = tf.reshape(flat, tf.shape(h))
            coords = tf.transpose(
                tf.unravel_index(tf.reshape(argmax, [-1]), tf.cast(tf.shape(h), tf.int64))
            )
            again = tf.tensor_scatter_nd_add(tf.zeros_like(h), coords, tf.reshape(pooled, [-1]))
        d = tf.layers.conv2d(unpooled, 4, 3, padding="same", activation=tf.nn.relu, name="dec1")
        logits = tf.layers.conv2d(d, n_cls, 1, name="logits")
        weights = tf.gather(tf.constant([0.5, 1.0, 2.0]), labels)
        loss = tf.losses.sparse_softmax_cross_entropy(labels, logits, weights=weights)
        train = tf.train.MomentumOptimizer(0.1, 0.9).minimize(loss)
        pred = tf.argmax(logits, -1, output_type=tf.int32)
        miou, miou_up = tf.metrics.mean_iou(labels, pred, n_cls)

        def batch():
            x = rng.rand(4, 6, 8, 1).astype(np.float32)
            y = np.zeros((4, 6, 8), np.int32)
            y[x[..., 0] > 0.5] = 1
            y[x[..., 0] > 0.8] = 2
            return x, y

        with tf.Session() as sess:
            sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
            trace = []
            for _ in range(10):
                xb, yb = batch()
                lv, _ = sess.run([loss, train], {raw: xb, label_raw: yb})
                trace.append(float(lv))
            xb, yb = batch()
            feed = {raw: xb, label_raw: yb}
            sess.run(miou_up, feed)
            same = sess.run(tf.reduce_max(tf.abs(unpooled - again)), feed)
            am, lab_v, img_v = sess.run([argmax, labels, img], feed)
            m = sess.run(miou)
    return {
        "names": [
            img.name,
            pooled.name,
            argmax.name,
            flat.name,
            unpooled.name,
            again.name,
            logits.name,
            loss.name,
            miou.name,
        ],
        "shapes": [
            img.shape.as_list(),
            pooled.shape.as_list(),
            argmax.shape.as_list(),
            unpooled.shape.as_list(),
        ],
        "dtypes": [argmax.dtype.name, coords.dtype.name],
        "trace": trace,
        "unpool_paths_agree": float(same),
        "argmax": am[1, :, :, 0].tolist(),
        "letterboxed_labels": lab_v[0].tolist(),
        "letterboxed_row": img_v[0, 1, :, 0].tolist(),
        "mean_iou": float(m),
    }


EXPECTED = {
    "names": [
        "resize_image_with_pad/pad_to_bounding_box/Pad:0",
        "MaxPoolWithArgmax:0",
        "MaxPoolWithArgmax:1",
        "unpool/ScatterNd:0",
        "unpool/Reshape_3:0",
        "unpool/TensorScatterAdd:0",
        "logits/BiasAdd:0",
        "sparse_softmax_cross_entropy_loss/value:0",
        "mean_iou/Select_1:0",
    ],
    "shapes": [[None, 8, 8, 1], [None, 4, 4, 4], [None, 4, 4, 4], [None, 8, 8, 4]],
    "dtypes": ["int64", "int64"],
    "trace": [
        0.8688545823097229,
        0.9675947427749634,
        0.8971594572067261,
        0.9416475892066956,
        0.9402034878730774,
        0.903322160243988,
        0.9309808015823364,
        0.9370070695877075,
        0.9470070600509644,
        0.8688027858734131,
    ],
    "unpool_paths_agree": 0.0,
    "argmax": [
        [256, 264, 272, 280],
        [320, 328, 336, 344],
        [384, 392, 400, 408],
        [448, 456, 464, 472],
    ],
    "letterboxed_labels": [
        [0, 0, 0, 0, 0, 0, 0, 0],
        [2, 2, 0, 0, 0, 0, 1, 0],
        [0, 1, 2, 2, 0, 0, 0, 0],
        [0, 2, 0, 1, 1, 0, 2, 0],
        [2, 0, 1, 0, 0, 0, 0, 1],
        [0, 1, 0, 2, 0, 1, 1, 2],
        [0, 0, 2, 2, 2, 1, 0, 1],
        [0, 0, 0, 0, 0, 0, 0, 0],
    ],
    "letterboxed_row": [
        0.8150793313980103,
        0.9697587490081787,
        0.17601528763771057,
        0.021839885041117668,
        0.30181342363357544,
        0.17500846087932587,
        0.5538690090179443,
        0.3159398138523102,
    ],
    "mean_iou": 0.15513975918293,
}


def test_segnet_unpool_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
