"""CIFAR-style image augmentation: random_crop, random flips, brightness, contrast, saturation
and hue with a graph seed, per_image_standardization, resizes, crop-or-pad, and the same random
ops inside a Dataset.map (which see the graph seed as TF's function graphs do).

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np
import pytest

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    rng = np.random.RandomState(3)
    img = rng.rand(6, 6, 3).astype(np.float32)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(10)
        x = tf.constant(img)
        d = tf.random_crop(x, [4, 4, 3])
        d = tf.image.random_flip_left_right(d)
        d = tf.image.random_flip_up_down(d)
        d = tf.image.random_brightness(d, max_delta=0.3)
        d = tf.image.random_contrast(d, lower=0.2, upper=1.8)
        d = tf.image.random_saturation(d, 0.5, 1.5)
        d = tf.image.random_hue(d, 0.1)
        d = tf.image.per_image_standardization(d)
        r = tf.image.resize_images(x, [3, 3])
        rb = tf.image.resize_bilinear(x[None], [4, 4], align_corners=True)
        c = tf.image.resize_image_with_crop_or_pad(x, 8, 4)
        ds = (
            tf.data.Dataset.from_tensors(x)
            .repeat(2)
            .map(lambda im: tf.image.random_flip_left_right(tf.random_crop(im, [3, 3, 3])))
        )
        it = ds.make_one_shot_iterator().get_next()
        with tf.Session() as sess:
            outs = [sess.run(d)[0, :2].ravel().tolist() for _ in range(3)]
            rr, rbb, cc = sess.run([r, rb, c])
            its = [sess.run(it)[0].ravel().tolist() for _ in range(2)]
        return {
            "names": [d.name, r.name, rb.name, c.name],
            "aug": outs,
            "resize": rr[0].ravel().tolist(),
            "bilinear": rbb[0, 1].ravel().tolist(),
            "pad": [float(cc.sum())],
            "data_aug": its,
        }


EXPECTED = {
    "names": [
        "per_image_standardization:0",
        "resize/Squeeze:0",
        "ResizeBilinear:0",
        "resize_image_with_crop_or_pad/Squeeze:0",
    ],
    "aug": [
        [
            0.18445852398872375,
            -0.5655175447463989,
            1.6973999738693237,
            0.3787773549556732,
            0.36662557721138,
            1.9848705530166626,
        ],
        [
            0.42983508110046387,
            -0.22243136167526245,
            0.984556257724762,
            1.1370465755462646,
            0.9329594969749451,
            0.9379691481590271,
        ],
        [
            -1.3209584951400757,
            -0.0022557773627340794,
            -1.3953899145126343,
            -0.9978415966033936,
            -0.24780282378196716,
            -1.0892060995101929,
        ],
    ],
    "resize": [
        0.5507978796958923,
        0.7081478238105774,
        0.2909047305583954,
        0.12558531761169434,
        0.20724287629127502,
        0.051467202603816986,
        0.6491440534591675,
        0.27848729491233826,
        0.67625492811203,
    ],
    "bilinear": [
        0.5220247507095337,
        0.5102608799934387,
        0.33555153012275696,
        0.3677208125591278,
        0.44236600399017334,
        0.3931356370449066,
        0.6020001769065857,
        0.5225090980529785,
        0.4800415337085724,
        0.4161694645881653,
        0.468688040971756,
        0.08889191597700119,
    ],
    "pad": [35.087158203125],
    "data_aug": [
        [
            0.5727938413619995,
            0.3258071541786194,
            0.44514504075050354,
            0.06152893230319023,
            0.24267542362213135,
            0.9716026186943054,
            0.23058420419692993,
            0.6914775371551514,
            0.65047687292099,
        ],
        [
            0.3736001253128052,
            0.6681348085403442,
            0.33984866738319397,
            0.5727938413619995,
            0.3258071541786194,
            0.44514504075050354,
            0.06152893230319023,
            0.24267542362213135,
            0.9716026186943054,
        ],
    ],
}


def test_augment_matches_tensorflow():
    close(program(tf), EXPECTED)


def test_random_ops_in_a_dataset_function_take_the_graph_seed():
    # TF 2.21: the map function's graph has the outer graph's seed and its own op count
    with tf.Graph().as_default():
        tf.set_random_seed(10)
        tf.random_uniform([])  # an outer random op does not move the function's count
        it = tf.data.Dataset.range(3).map(lambda i: tf.random_uniform([]))
        n = it.make_one_shot_iterator().get_next()
        with tf.Session() as sess:
            got = [sess.run(n) for _ in range(3)]
    assert got == pytest.approx([0.5664856433868408, 0.4591783285140991, 0.13456010818481445])
