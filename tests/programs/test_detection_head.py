"""An object-detection style head: conv features, class and box heads, positives by tf.where and
gather_nd, a smooth L1 loss with tf.where, huber_loss with broadcast weights, then decoding,
non_max_suppression, non_max_suppression_padded and crop_and_resize of the kept boxes.
(TF 2.21 builds non_max_suppression_padded as a PartitionedCall, so its output names are not
compared; its values are.)

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    rng = np.random.RandomState(4)
    imgs = rng.rand(2, 16, 16, 3).astype(np.float32)
    anchors = np.array(
        [
            [0.0, 0.0, 0.5, 0.5],
            [0.1, 0.1, 0.6, 0.6],
            [0.5, 0.5, 1.0, 1.0],
            [0.4, 0.4, 0.9, 0.9],
            [0.0, 0.5, 0.5, 1.0],
            [0.2, 0.0, 0.7, 0.5],
        ],
        np.float32,
    )
    gt_cls = np.array([[1, 0, 2, 2, 0, 1], [0, 1, 0, 0, 2, 0]], np.int32)
    gt_box = rng.rand(2, 6, 4).astype(np.float32) * 0.1
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(21)
        images = tf.placeholder(tf.float32, [None, 16, 16, 3], name="images")
        labels = tf.placeholder(tf.int32, [None, 6], name="labels")
        deltas_gt = tf.placeholder(tf.float32, [None, 6, 4], name="box_targets")
        net = tf.layers.conv2d(images, 8, 3, padding="same", activation=tf.nn.relu, name="conv1")
        net = tf.layers.max_pooling2d(net, 2, 2, name="pool1")
        feat = tf.layers.conv2d(net, 8, 3, padding="same", activation=tf.nn.relu, name="conv2")
        flat = tf.layers.flatten(feat)
        cls_logits = tf.reshape(tf.layers.dense(flat, 6 * 3, name="cls"), [-1, 6, 3])
        box_deltas = tf.reshape(tf.layers.dense(flat, 6 * 4, name="box"), [-1, 6, 4])
        positive = tf.greater(labels, 0)
        pos_idx = tf.where(positive)
        diff = tf.gather_nd(box_deltas, pos_idx) - tf.gather_nd(deltas_gt, pos_idx)
        ad = tf.abs(diff)
        smooth_l1 = tf.where(ad < 1.0, 0.5 * tf.square(diff), ad - 0.5)
        box_loss = tf.reduce_sum(smooth_l1) / tf.maximum(
            tf.cast(tf.shape(pos_idx)[0], tf.float32), 1.0
        )
        cls_loss = tf.reduce_mean(
            tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=cls_logits)
        )
        hl = tf.losses.huber_loss(
            deltas_gt, box_deltas, weights=tf.cast(positive, tf.float32)[..., None]
        )
        loss = cls_loss + box_loss
        train = tf.train.MomentumOptimizer(0.05, 0.9).minimize(loss)
        # inference: decode boxes of image 0, score, NMS, crop_and_resize
        scores = tf.reduce_max(tf.nn.softmax(cls_logits)[:, :, 1:], axis=2)
        boxes = tf.constant(anchors) + box_deltas[0]
        keep = tf.image.non_max_suppression(boxes, scores[0], max_output_size=3, iou_threshold=0.5)
        kept = tf.gather(boxes, keep)
        sel, nvalid = tf.image.non_max_suppression_padded(
            boxes, scores[0], 4, iou_threshold=0.5, pad_to_max_output_size=True
        )
        crops = tf.image.crop_and_resize(
            feat, tf.clip_by_value(kept, 0.0, 1.0), tf.zeros_like(keep), [4, 4], name="roi_crops"
        )
        roi = tf.reduce_mean(crops, axis=[1, 2])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            feed = {images: imgs, labels: gt_cls, deltas_gt: gt_box}
            losses = []
            for _ in range(4):
                _, lv, bl, h = sess.run([train, loss, box_loss, hl], feed)
                losses.append([float(lv), float(bl), float(h)])
            k, kb, rv, pi, sv, nv = sess.run([keep, kept, roi, pos_idx, sel, nvalid], feed)
    return {
        "vars": [[v.name, v.shape.as_list()] for v in g.get_collection("trainable_variables")],
        "names": [pos_idx.name, smooth_l1.name, box_loss.name, hl.name, keep.name, crops.name],
        "shapes": [
            crops.shape.as_list(),
            keep.shape.as_list(),
            pos_idx.shape.as_list(),
            sel.shape.as_list(),
        ],
        "losses": losses,
        "keep": k.tolist(),
        "kept": [round(float(v), 5) for v in kb.ravel()],
        "roi": [round(float(v), 5) for v in rv.ravel()],
        "pos": pi.tolist(),
        "sel": sv.tolist(),
        "nvalid": int(nv),
    }


EXPECTED = {
    "vars": [
        ["conv1/kernel:0", [3, 3, 3, 8]],
        ["conv1/bias:0", [8]],
        ["conv2/kernel:0", [3, 3, 8, 8]],
        ["conv2/bias:0", [8]],
        ["cls/kernel:0", [512, 18]],
        ["cls/bias:0", [18]],
        ["box/kernel:0", [512, 24]],
        ["box/bias:0", [24]],
    ],
    "names": [
        "Where:0",
        "Select:0",
        "truediv:0",
        "huber_loss/value:0",
        "non_max_suppression/NonMaxSuppressionV3:0",
        "roi_crops:0",
    ],
    "shapes": [[None, 4, 4, 8], [None], [None, 2], [4]],
    "losses": [
        [2.172051429748535, 1.043359637260437, 0.26083990931510925],
        [1.087785005569458, 0.049484848976135254, 0.012371212244033813],
        [1.0805203914642334, 0.02837410569190979, 0.0070935264229774475],
        [1.0691577196121216, 0.02777000330388546, 0.006942500825971365],
    ],
    "keep": [3, 5, 0],
    "kept": [
        0.3124,
        0.30404,
        0.96758,
        0.84043,
        0.16531,
        0.05504,
        0.56571,
        0.56716,
        0.00853,
        -0.01382,
        0.5974,
        0.43879,
    ],
    "roi": [
        0.06925,
        0.0,
        0.02119,
        0.22044,
        0.0,
        0.0,
        0.0,
        0.0,
        0.01231,
        0.0,
        0.0,
        0.14213,
        0.0,
        0.0,
        0.0,
        0.0,
        0.01442,
        0.0,
        0.0,
        0.1228,
        0.0,
        0.0,
        0.0,
        0.0,
    ],
    "pos": [[0, 0], [0, 2], [0, 3], [0, 5], [1, 1], [1, 4]],
    "sel": [3, 5, 0, 4],
    "nvalid": 4,
}


def test_detection_head_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
