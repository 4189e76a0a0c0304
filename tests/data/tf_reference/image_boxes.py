"""What tests/ops/image/test_boxes.py asks TensorFlow (tools/tf_reference.py):
tf.image.non_max_suppression (and _with_scores, _padded, _overlaps), tf.image.crop_and_resize
with its gradients, tf.nn.max_pool_with_argmax with its gradient."""

SETUP = {
    "b": ("float32", [5, 4]),
    "s": ("float32", [5]),
    "o": ("float32", [5, 5]),
    "n": ("int32", []),
    "x": ("float32", [2, 6, 7, 3]),
    "u": ("float32", [None, None, None, 2]),
    "bx": ("float32", [3, 4]),
    "bi": ("int32", [3]),
}

BUILDS = [
    "tf.image.non_max_suppression(b, s, 3)",
    "tf.image.non_max_suppression(b, s, n, 0.4, 0.1, name='z')",
    "tf.image.non_max_suppression(b, s, 3, iou_threshold=0.6)",
    "tf.image.non_max_suppression_with_scores(b, s, 3, soft_nms_sigma=0.5)",
    "tf.image.non_max_suppression_with_scores(b, s, n, 0.3, 0.2)",
    "tf.image.non_max_suppression_overlaps(o, s, 3)",
    "tf.image.non_max_suppression_overlaps(o, s, 2, 0.3, 0.1, name='w')",
    "tf.image.crop_and_resize(x, bx, bi, [4, 5])",
    "tf.image.crop_and_resize(x, bx, bi, [1, 1], method='nearest', extrapolation_value=1.0)",
    "tf.image.crop_and_resize(u, bx, bi, [2, 3], name='crop')",
    "tf.image.crop_and_resize(tf.cast(x, tf.uint8), bx, bi, [2, 3])",
    "tf.nn.max_pool_with_argmax(x, [1, 2, 2, 1], [1, 2, 2, 1], 'SAME')",
    "tf.nn.max_pool_with_argmax(x, [1, 3, 2, 1], [1, 1, 2, 1], 'VALID', Targmax=tf.int32, name='p')",
    "tf.nn.max_pool_with_argmax(u, [1, 2, 2, 1], [1, 2, 2, 1], 'SAME', include_batch_in_index=True)",
]

GRADIENTS = [
    "tf.gradients(tf.image.crop_and_resize(x, bx, bi, [4, 5]), [x, bx])",
    "tf.gradients(tf.image.crop_and_resize(u, bx, bi, [4, 5]), [u, bx])",
    "tf.gradients(tf.image.crop_and_resize(tf.cast(x, tf.uint8), bx, bi, [4, 5]), bx)",
    "tf.gradients(tf.nn.max_pool_with_argmax(x, [1, 2, 2, 1], [1, 2, 2, 1], 'SAME')[0], x)",
    "tf.gradients(tf.nn.max_pool_with_argmax(u, [1, 3, 3, 1], [1, 2, 1, 1], 'VALID', include_batch_in_index=True)[0], u)",
]

BUILD_ERRORS = [
    ("tf.image.non_max_suppression(x, s, 3)", "Shape must be rank 2 but is rank 4"),
    ("tf.image.non_max_suppression(b, b, 3)", "Shape must be rank 1 but is rank 2"),
    ("tf.image.non_max_suppression(b, s, [3])", "Shape must be rank 0 but is rank 1"),
    ("tf.image.non_max_suppression(b[:, :3], s, 3)", "Dimension must be 4 but is 3"),
    ("tf.image.non_max_suppression(b, s[:3], 3)", "Dimensions must be equal"),
    ("tf.image.non_max_suppression_overlaps(o[:, :3], s, 3)", "Dimensions must be equal"),
    ("tf.image.crop_and_resize(x[0], bx, bi, [4, 5])", "Shape must be rank 4 but is rank 3"),
    ("tf.image.crop_and_resize(x, bx[:, :3], bi, [4, 5])", "Dimension must be 4 but is 3"),
    ("tf.image.crop_and_resize(x, bx, bi[:2], [4, 5])", "Dimensions must be equal"),
    ("tf.image.crop_and_resize(x, bx, bi, [4, 5, 6])", "Dimension must be 2 but is 3"),
    ("tf.image.crop_and_resize(x, bx, bi, [4, 5], method='bicubic')", "method"),
    ("tf.nn.max_pool_with_argmax(x, [1, 2, 2], [1, 2, 2, 1], 'SAME')", "ksize"),
    (
        "tf.nn.max_pool_with_argmax(x, [1, 9, 2, 1], [1, 1, 1, 1], 'VALID')",
        "Negative dimension size caused by subtracting 9 from 6",
    ),
]
