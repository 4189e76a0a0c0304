"""SSD-style image augmentation and post-processing: sample_distorted_bounding_box with seeds (two
draws), slice, convert_image_dtype, resize_images, flip_left_right, draw_bounding_boxes, then
combined_non_max_suppression, extract_glimpse, rgb_to_grayscale, sobel_edges, random_shuffle
and random.categorical with seeds.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    rng = np.random.RandomState(23)
    image = (rng.rand(48, 64, 3) * 255).astype(np.uint8)
    boxes = np.array([[[0.1, 0.1, 0.5, 0.4], [0.3, 0.5, 0.9, 0.95]]], np.float32)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(31)
        img = tf.constant(image)
        begin, size, bbox = tf.image.sample_distorted_bounding_box(
            tf.shape(img),
            bounding_boxes=tf.constant(boxes),
            min_object_covered=0.3,
            aspect_ratio_range=(0.75, 1.33),
            area_range=(0.3, 1.0),
            max_attempts=50,
            use_image_if_no_bounding_boxes=True,
            seed=7,
        )
        crop = tf.slice(img, begin, size)
        resized = tf.image.resize_images(tf.image.convert_image_dtype(crop, tf.float32), [32, 32])
        flipped = tf.image.flip_left_right(resized)
        drawn = tf.image.draw_bounding_boxes(flipped[None], bbox)
        scores = tf.constant(rng.rand(1, 6, 3).astype(np.float32))
        cand = tf.constant(
            np.sort(rng.rand(1, 6, 1, 4).astype(np.float32), axis=-1)[..., [0, 1, 2, 3]]
        )
        nms = tf.image.combined_non_max_suppression(
            cand, scores, 4, 5, iou_threshold=0.5, score_threshold=0.2
        )
        glimpse = tf.image.extract_glimpse(
            resized[None], [8, 8], [[0.1, -0.2]], centered=True, normalized=True
        )
        gray = tf.image.rgb_to_grayscale(resized)
        sob = tf.image.sobel_edges(gray[None])
        shuffled = tf.random_shuffle(tf.range(10), seed=3)
        cat = tf.random.categorical(tf.log([[0.1, 0.6, 0.3]]), 6, seed=4)
        with tf.Session() as sess:
            out = []
            for _ in range(2):
                b, s, bb, d = sess.run([begin, size, bbox, drawn])
                out.append([b.tolist(), s.tolist(), [float(v) for v in bb.ravel()], float(d.sum())])
            n = sess.run(nms)
            gl, sb, sh, ct = sess.run([glimpse, sob, shuffled, cat])
        return {
            "crops": out,
            "nms": [[float(v) for v in a.ravel()] for a in n],
            "glimpse": [float(gl.sum()), list(gl.shape)],
            "sobel": [float(np.abs(sb).sum()), list(sb.shape)],
            "shuffle": sh.tolist(),
            "categorical": ct.tolist(),
            "names": [t.name for t in (begin, crop, resized, drawn, glimpse, sob)],
        }


EXPECTED = {
    "crops": [
        [[0, 2, 0], [47, 56, -1], [0.0, 0.03125, 0.9791666865348816, 0.90625], 1579.4195556640625],
        [
            [8, 25, 0],
            [31, 35, -1],
            [0.1666666716337204, 0.390625, 0.8125, 0.9375],
            1564.094970703125,
        ],
    ],
    "nms": [
        [
            0.3739315867424011,
            0.41149547696113586,
            0.44916731119155884,
            0.5396535396575928,
            0.2810716927051544,
            0.34416377544403076,
            0.45478004217147827,
            0.7874217629432678,
            0.21868784725666046,
            0.24498216807842255,
            0.4578026533126831,
            0.9357236623764038,
            0.12712012231349945,
            0.2079085111618042,
            0.28261440992355347,
            0.7230056524276733,
            0.11863575875759125,
            0.633518397808075,
            0.8715726137161255,
            0.9761887788772583,
        ],
        [
            0.9837831854820251,
            0.9605175852775574,
            0.957703709602356,
            0.9311311841011047,
            0.881478488445282,
        ],
        [0.0, 1.0, 2.0, 0.0, 0.0],
        [5.0],
    ],
    "glimpse": [92.99746704101562, [1, 8, 8, 3]],
    "sobel": [727.7979736328125, [1, 32, 32, 1, 2]],
    "shuffle": [7, 6, 2, 1, 9, 4, 0, 3, 8, 5],
    "categorical": [[1, 1, 1, 2, 2, 1]],
    "names": [
        "sample_distorted_bounding_box/SampleDistortedBoundingBoxV2:0",
        "Slice:0",
        "resize/Squeeze:0",
        "DrawBoundingBoxes:0",
        "ExtractGlimpse:0",
        "Reshape:0",
    ],
}


def test_ssd_augmentation_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
