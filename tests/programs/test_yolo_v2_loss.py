"""A YOLOv2 detection head and loss as the popular TF1 ports wrote them: a conv head reshaped to
[batch, grid, grid, anchors, 5 + classes], cell offsets from tf.meshgrid/tf.tile, sigmoid
centers, exp'd sizes times anchor priors, the IoU of every prediction with every true box
(broadcast by expand_dims), the best-IoU mask for the no-object term, coordinate, confidence
and class losses masked by the responsible anchors, Adam; then decoding: scores, boolean_mask
over a threshold and tf.image.non_max_suppression.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    rng = np.random.RandomState(31)
    grid, n_anchors, n_classes, batch = 3, 2, 3, 2
    anchors = np.array([[1.0, 1.5], [2.0, 1.0]], np.float32)
    images = rng.rand(batch, 12, 12, 3).astype(np.float32)
    y_true = np.zeros((batch, grid, grid, n_anchors, 5 + n_classes), np.float32)
    y_true[0, 1, 1, 0] = [1.4, 1.6, 1.1, 1.4, 1, 0, 1, 0]
    y_true[1, 0, 2, 1] = [2.5, 0.3, 1.8, 0.9, 1, 0, 0, 1]
    true_boxes = np.zeros((batch, 1, 1, 1, 2, 4), np.float32)
    true_boxes[0, 0, 0, 0, 0] = [1.4, 1.6, 1.1, 1.4]
    true_boxes[1, 0, 0, 0, 0] = [2.5, 0.3, 1.8, 0.9]
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(32)
        x = tf.placeholder(tf.float32, [None, 12, 12, 3], name="images")
        labels = tf.placeholder(tf.float32, [None, grid, grid, n_anchors, 5 + n_classes])
        boxes = tf.placeholder(tf.float32, [None, 1, 1, 1, 2, 4], name="true_boxes")
        h = tf.layers.conv2d(x, 8, 3, padding="same", activation=tf.nn.leaky_relu, name="conv1")
        h = tf.layers.max_pooling2d(h, 4, 4, name="pool1")
        raw = tf.layers.conv2d(h, n_anchors * (5 + n_classes), 1, name="detector")
        pred = tf.reshape(raw, [-1, grid, grid, n_anchors, 5 + n_classes])

        cx, cy = tf.meshgrid(tf.range(grid), tf.range(grid))
        cell = tf.to_float(tf.stack([cx, cy], -1))
        cell = tf.tile(
            tf.reshape(cell, [1, grid, grid, 1, 2]), [tf.shape(pred)[0], 1, 1, n_anchors, 1]
        )
        pred_xy = tf.sigmoid(pred[..., :2]) + cell
        pred_wh = tf.exp(pred[..., 2:4]) * np.reshape(anchors, [1, 1, 1, n_anchors, 2])
        pred_conf = tf.sigmoid(pred[..., 4])
        pred_class = pred[..., 5:]

        true_xy, true_wh = labels[..., :2], labels[..., 2:4]

        def iou(xy1, wh1, xy2, wh2):
            mins = tf.maximum(xy1 - wh1 / 2.0, xy2 - wh2 / 2.0)
            maxs = tf.minimum(xy1 + wh1 / 2.0, xy2 + wh2 / 2.0)
            inter_wh = tf.maximum(maxs - mins, 0.0)
            inter = inter_wh[..., 0] * inter_wh[..., 1]
            union = wh1[..., 0] * wh1[..., 1] + wh2[..., 0] * wh2[..., 1] - inter
            return tf.truediv(inter, union)

        object_mask = labels[..., 4]
        true_conf = iou(pred_xy, pred_wh, true_xy, true_wh) * object_mask
        all_ious = iou(
            tf.expand_dims(pred_xy, 4), tf.expand_dims(pred_wh, 4), boxes[..., :2], boxes[..., 2:4]
        )
        best_ious = tf.reduce_max(all_ious, axis=4)
        no_object = tf.to_float(best_ious < 0.6) * (1 - object_mask)
        coord_mask = tf.expand_dims(object_mask, -1) * 1.0
        n_coord = tf.reduce_sum(tf.to_float(coord_mask > 0.0))
        n_conf = tf.reduce_sum(tf.to_float(object_mask + no_object > 0.0))
        loss_xy = tf.reduce_sum(tf.square(true_xy - pred_xy) * coord_mask) / (n_coord + 1e-6) / 2.0
        loss_wh = (
            tf.reduce_sum(tf.square(tf.sqrt(true_wh) - tf.sqrt(pred_wh)) * coord_mask)
            / (n_coord + 1e-6)
            / 2.0
        )
        conf_mask = no_object + object_mask * 5.0
        loss_conf = tf.reduce_sum(tf.square(true_conf - pred_conf) * conf_mask) / (n_conf + 1e-6)
        class_ids = tf.argmax(labels[..., 5:], -1)
        loss_class = tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=class_ids, logits=pred_class
        )
        loss_class = tf.reduce_sum(loss_class * object_mask) / (n_coord + 1e-6)
        loss = tf.add_n([loss_xy, loss_wh, loss_conf, loss_class], name="yolo_loss")
        train = tf.train.AdamOptimizer(0.01).minimize(loss)

        scores = tf.expand_dims(pred_conf, -1) * tf.nn.softmax(pred_class)
        flat_scores = tf.reduce_max(tf.reshape(scores[0], [-1, n_classes]), -1)
        xy, wh = tf.reshape(pred_xy[0], [-1, 2]), tf.reshape(pred_wh[0], [-1, 2])
        corners = tf.concat([xy[:, ::-1] - wh[:, ::-1] / 2, xy[:, ::-1] + wh[:, ::-1] / 2], 1)
        keep = flat_scores > 0.05
        kept_boxes = tf.boolean_mask(corners, keep)
        kept_scores = tf.boolean_mask(flat_scores, keep)
        selected = tf.image.non_max_suppression(kept_boxes, kept_scores, 4, iou_threshold=0.3)
        feed = {x: images, labels: y_true, boxes: true_boxes}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            history = []
            for _ in range(3):
                parts = sess.run([loss_xy, loss_wh, loss_conf, loss_class, loss, train], feed)
                history.append([float(v) for v in parts[:5]])
            sel, ks, best = sess.run([selected, kept_scores, best_ious], feed)
        return {
            "names": [pred.name, best_ious.name, loss.name, selected.name, kept_boxes.name],
            "shapes": [all_ious.shape.as_list(), kept_boxes.shape.as_list()],
            "history": history,
            "selected": sel.tolist(),
            "kept_scores": sorted(ks.tolist())[-4:],
            "best_ious": best[0, :, :, 0].tolist(),
        }


EXPECTED = {
    "names": [
        "Reshape:0",
        "Max:0",
        "yolo_loss:0",
        "non_max_suppression/NonMaxSuppressionV3:0",
        "boolean_mask/GatherV2:0",
    ],
    "shapes": [[None, 3, 3, 2, 2], [None, 4]],
    "history": [
        [
            0.017376909032464027,
            0.013337858952581882,
            0.3467639684677124,
            1.2545456886291504,
            1.6320244073867798,
        ],
        [
            0.018499797210097313,
            0.006578982807695866,
            0.32924187183380127,
            1.0774078369140625,
            1.431728482246399,
        ],
        [
            0.02189885452389717,
            0.00827709212899208,
            0.30714213848114014,
            0.9467641115188599,
            1.2840821743011475,
        ],
    ],
    "selected": [9, 7, 5, 11],
    "kept_scores": [0.3612193763256073, 0.3622158169746399, 0.3653491139411926, 0.37422975897789],
    "best_ious": [
        [0.0001962694659596309, 0.16901250183582306, 0.0],
        [0.011863108724355698, 0.7171046137809753, 0.015200446359813213],
        [0.0, 0.15486951172351837, 0.0],
    ],
}


def test_yolo_v2_loss_matches_tensorflow():
    close(program(tf), EXPECTED)
