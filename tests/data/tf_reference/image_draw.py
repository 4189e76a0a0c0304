"""What tests/ops/image/test_bounding_boxes.py asks TensorFlow (tools/tf_reference.py):
tf.image.draw_bounding_boxes (with and without colors) and tf.image.sample_distorted_bounding_box.
tf.contrib.image is absent from TensorFlow 2.21: its names are checked in the test module."""

SETUP = {
    "x": ("float32", [2, 5, 6, 3]),
    "h": ("float16", [1, 4, 4, 1]),
    "u": ("float32", [None, None, None, 4]),
    "b": ("float32", [2, 3, 4]),
    "c": ("float32", [2, 4]),
    "s": ("int32", [3]),
    "l": ("int64", [3]),
}

BUILDS = [
    "tf.image.draw_bounding_boxes(x, b)",
    "tf.image.draw_bounding_boxes(h, b[:1], name='draw')",
    "tf.image.draw_bounding_boxes(u, b, colors=c)",
    "tf.image.draw_bounding_boxes(x, [[[0.0, 0.0, 1.0, 1.0]]] * 2, colors=[[1.0, 0.0, 0.0]])",
    "tf.image.sample_distorted_bounding_box(s, b[:1])",
    "tf.image.sample_distorted_bounding_box(l, b, seed=3, seed2=5, name='crop')",
    "tf.image.sample_distorted_bounding_box([10, 12, 3], [[[0.1, 0.1, 0.5, 0.5]]], seed=7, min_object_covered=0.5, aspect_ratio_range=[0.5, 2.0], area_range=[0.1, 0.9], max_attempts=20, use_image_if_no_bounding_boxes=True)",
]

GRADIENTS = [
    "tf.gradients([tf.image.sample_distorted_bounding_box(s, b, seed=1)[2], x], x)",
]

BUILD_ERRORS = [
    (
        "tf.gradients(tf.image.draw_bounding_boxes(x, b, colors=c), x)",
        "No gradient defined for operation",
    ),
    ("tf.image.draw_bounding_boxes(x[0], b)", "Shape must be rank 4 but is rank 3"),
    ("tf.image.draw_bounding_boxes(x, b[0])", "Shape must be rank 3 but is rank 2"),
    ("tf.image.draw_bounding_boxes(x, b[:, :, :3])", "Dimension must be 4 but is 3"),
    (
        "tf.image.draw_bounding_boxes(x[:, :, :, :2], b)",
        "Channel depth should be either 1 (GRY), 3 (RGB), or 4 (RGBA)",
    ),
    (
        "tf.image.draw_bounding_boxes(tf.cast(x, tf.uint8), b)",
        "not in list of allowed values: float32, float16",
    ),
    ("tf.image.sample_distorted_bounding_box(s[:2], b)", "Dimension must be 3 but is 2"),
    ("tf.image.sample_distorted_bounding_box(s[None], b)", "Shape must be rank 1 but is rank 2"),
    ("tf.image.sample_distorted_bounding_box(s, b[0])", "Shape must be rank 3 but is rank 2"),
    (
        "tf.image.sample_distorted_bounding_box(s, b, min_object_covered=[0.1])",
        "Shape must be rank 0 but is rank 1",
    ),
    (
        "tf.image.sample_distorted_bounding_box(tf.cast(s, tf.float32), b)",
        "not in list of allowed values: uint8, int8, int16, int32, int64",
    ),
]
