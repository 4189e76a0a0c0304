"""A Faster R-CNN second stage, trained and post-processed: ROI-align by tf.image.crop_and_resize
on a conv feature map with learnable box offsets (so the gradients reach both the image,
CropAndResizeGradImage, and the boxes, CropAndResizeGradBoxes), class and box heads, the
per-class box deltas picked by tf.gather_nd, a huber box loss on foreground rows (tf.where),
Momentum; then deltas decoded in NumPy through tf.py_func, tf.image.non_max_suppression, soft-NMS
(non_max_suppression_with_scores), non_max_suppression_overlaps, tf.nn.top_k and
tf.image.draw_bounding_boxes.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(13)
        n_props, n_cls, crop = 6, 3, 3

        def decode(deltas, anchors):
            # bbox regression deltas applied in NumPy through tf.py_func, as Faster R-CNN
            # ports do
            w = anchors[:, 3] - anchors[:, 1]
            h = anchors[:, 2] - anchors[:, 0]
            cy = anchors[:, 0] + 0.5 * h + deltas[:, 0] * h
            cx = anchors[:, 1] + 0.5 * w + deltas[:, 1] * w
            nh = h * np.exp(deltas[:, 2])
            nw = w * np.exp(deltas[:, 3])
            out = np.stack([cy - 0.5 * nh, cx - 0.5 * nw, cy + 0.5 * nh, cx + 0.5 * nw], 1)
            return np.clip(out, 0.0, 1.0).astype(np.float32)

        image = tf.placeholder(tf.float32, [2, 8, 8, 3], name="image")
        rois = tf.placeholder(tf.float32, [n_props, 4], name="rois")
        roi_batch = tf.placeholder(tf.int32, [n_props], name="roi_batch")
        gt_cls = tf.placeholder(tf.int32, [n_props], name="gt_cls")
        gt_deltas = tf.placeholder(tf.float32, [n_props, 4], name="gt_deltas")
        with tf.variable_scope("backbone"):
            feat = tf.layers.conv2d(image, 4, 3, padding="same", activation=tf.nn.relu, name="conv")
        box_var = tf.Variable(tf.zeros([n_props, 4]), name="roi_offsets")
        boxes_in = rois + 0.05 * tf.tanh(box_var)
        pooled = tf.image.crop_and_resize(
            feat, boxes_in, roi_batch, [crop * 2, crop * 2], name="roi_align"
        )
        pooled = tf.nn.max_pool(pooled, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
        with tf.variable_scope("head"):
            flat = tf.layers.flatten(pooled)
            fc = tf.layers.dense(flat, 16, activation=tf.nn.relu, name="fc")
            cls_logits = tf.layers.dense(fc, n_cls, name="cls")
            box_deltas = tf.reshape(tf.layers.dense(fc, n_cls * 4, name="box"), [-1, n_cls, 4])
        cls_loss = tf.losses.sparse_softmax_cross_entropy(gt_cls, cls_logits)
        idx = tf.stack([tf.range(n_props), gt_cls], axis=1)
        picked = tf.gather_nd(box_deltas, idx)
        fg = tf.where(gt_cls > 0)[:, 0]
        box_loss = tf.losses.huber_loss(tf.gather(gt_deltas, fg), tf.gather(picked, fg))
        total = tf.losses.get_total_loss(add_regularization_losses=False)
        train = tf.train.MomentumOptimizer(0.05, 0.9).minimize(total)
        grad_img, grad_boxes = tf.gradients(tf.reduce_sum(pooled * pooled), [feat, box_var])

        probs = tf.nn.softmax(cls_logits)
        scores = tf.reduce_max(probs[:, 1:], axis=1)
        labels = tf.argmax(probs[:, 1:], axis=1) + 1
        best = tf.gather_nd(box_deltas, tf.stack([tf.range(n_props), tf.cast(labels, tf.int32)], 1))
        decoded = tf.py_func(decode, [best, rois], tf.float32, name="decode")
        decoded.set_shape([n_props, 4])
        keep = tf.image.non_max_suppression(decoded, scores, 3, iou_threshold=0.5)
        keep_s, soft_scores = tf.image.non_max_suppression_with_scores(
            decoded, scores, 4, iou_threshold=0.9, soft_nms_sigma=0.5
        )
        overlaps = tf.matmul(decoded, decoded, transpose_b=True)
        keep_o = tf.image.non_max_suppression_overlaps(overlaps, scores, 3, overlap_threshold=0.3)
        top_scores, top_idx = tf.nn.top_k(scores, k=3)
        final = tf.gather(decoded, keep)
        drawn = tf.image.draw_bounding_boxes(image[:1], final[None])

        rng = np.random.RandomState(5)
        img = rng.uniform(0, 1, (2, 8, 8, 3)).astype(np.float32)
        y0 = rng.uniform(0, 0.5, (n_props, 2))
        r = np.concatenate([y0, y0 + rng.uniform(0.2, 0.5, (n_props, 2))], 1)
        feed = {
            image: img,
            rois: r.astype(np.float32),
            roi_batch: np.array([0, 0, 1, 1, 0, 1], np.int32),
            gt_cls: np.array([0, 1, 2, 1, 0, 2], np.int32),
            gt_deltas: rng.normal(0, 0.1, (n_props, 4)).astype(np.float32),
        }
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            gi, gb = sess.run([grad_img, grad_boxes], feed)
            losses = []
            for _ in range(3):
                _, a, b = sess.run([train, cls_loss, box_loss], feed)
                losses.append([float(a), float(b)])
            out = sess.run(
                {
                    "keep": keep,
                    "keep_s": keep_s,
                    "soft": soft_scores,
                    "keep_o": keep_o,
                    "top": top_scores,
                    "top_idx": top_idx,
                    "decoded": decoded,
                    "drawn": drawn,
                },
                feed,
            )
        return {
            "names": [
                pooled.name,
                picked.name,
                fg.name,
                cls_loss.name,
                box_loss.name,
                total.name,
                train.name,
                grad_img.name,
                grad_boxes.name,
                decoded.name,
                keep.name,
                keep_s.name,
                soft_scores.name,
                keep_o.name,
                drawn.name,
            ],
            # (without the optimizer's gating Identity and NoOp, which scopeflow does not
            # build)
            "grad_op_types": sorted(
                {op.type for op in g.get_operations() if "roi_align_grad" in op.name}
                - {"Identity", "NoOp"}
            ),
            "grad_image": [float(x) for x in np.ravel(gi)[::37][:8]],
            "grad_image_sum": float(np.sum(gi)),
            "grad_boxes": [[float(x) for x in row] for row in gb],
            "losses": losses,
            "keep": out["keep"].tolist(),
            "keep_s": out["keep_s"].tolist(),
            "soft": [float(x) for x in out["soft"]],
            "keep_o": out["keep_o"].tolist(),
            "top": [float(x) for x in out["top"]],
            "top_idx": out["top_idx"].tolist(),
            "decoded": [[float(x) for x in row] for row in out["decoded"]],
            "drawn_sum": float(out["drawn"].sum()),
        }


EXPECTED = {
    "names": [
        "MaxPool:0",
        "GatherNd:0",
        "strided_slice:0",
        "sparse_softmax_cross_entropy_loss/value:0",
        "huber_loss/value:0",
        "total_loss:0",
        "Momentum",
        "gradients_1/roi_align_grad/CropAndResizeGradImage:0",
        "gradients_1/Tanh_grad/TanhGrad:0",
        "decode:0",
        "non_max_suppression/NonMaxSuppressionV3:0",
        "non_max_suppression_with_scores/NonMaxSuppressionV5:0",
        "non_max_suppression_with_scores/NonMaxSuppressionV5:1",
        "non_max_suppression_overlaps/NonMaxSuppressionWithOverlaps:0",
        "DrawBoundingBoxes:0",
    ],
    "grad_op_types": ["Const", "CropAndResizeGradBoxes", "CropAndResizeGradImage"],
    "grad_image": [
        0.0,
        0.0,
        0.49818554520606995,
        1.2066218852996826,
        0.017140736803412437,
        0.0,
        0.0,
        0.0,
    ],
    "grad_image_sum": 132.5589599609375,
    "grad_boxes": [
        [-0.33447474241256714, 0.05533235892653465, 0.3457997143268585, 0.11642222851514816],
        [-0.07600557059049606, 0.2883787751197815, -0.9476972818374634, 0.04908964782953262],
        [-0.36522334814071655, 0.2964023947715759, 0.22822356224060059, 0.25247740745544434],
        [-0.31355395913124084, 0.37319275736808777, 0.2745298445224762, 0.27058571577072144],
        [-0.5381020903587341, 0.018413623794913292, -1.2121895551681519, -0.23048289120197296],
        [0.21804073452949524, -0.6124369502067566, 0.3444877564907074, -0.620445191860199],
    ],
    "losses": [
        [1.112350344657898, 0.024954672902822495],
        [1.0589301586151123, 0.018434669822454453],
        [1.0026006698608398, 0.01761416718363762],
    ],
    "keep": [3, 1, 0],
    "keep_s": [3, 1, 0, 5],
    "soft": [0.5169533491134644, 0.43064603209495544, 0.350953608751297, 0.28288665413856506],
    "keep_o": [3],
    "top": [0.5169533491134644, 0.43407389521598816, 0.38546279072761536],
    "top_idx": [3, 1, 0],
    "decoded": [
        [0.37132805585861206, 0.3649192750453949, 0.8017485737800598, 0.8510980606079102],
        [0.32416045665740967, 0.07700666785240173, 0.5962610244750977, 0.7824677228927612],
        [0.1381153166294098, 0.14385423064231873, 0.5212417840957642, 0.7258586883544922],
        [0.0, 0.22100991010665894, 0.3896661400794983, 0.8827964663505554],
        [0.2229655236005783, 0.2684078514575958, 0.6265277862548828, 0.5447719097137451],
        [0.25458621978759766, 0.44567161798477173, 0.5685725808143616, 0.8210287690162659],
    ],
    "drawn_sum": 92.01560974121094,
}


def test_frcnn_second_stage_matches_tensorflow():
    close(program(tf), EXPECTED)
