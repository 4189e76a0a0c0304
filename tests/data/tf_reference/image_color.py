"""What tests/ops/image/test_color.py asks TensorFlow (tools/tf_reference.py):
tf.image.rgb_to_hsv, hsv_to_rgb, adjust_hue, adjust_saturation, random_hue,
random_saturation, total_variation, image_gradients, sobel_edges, psnr and ssim."""

SETUP = {
    "x": ("float32", [2, 6, 7, 3]),
    "y": ("float32", [6, 7, 3]),
    "q": ("uint8", [6, 7, 3]),
    "u": ("float32", [None, None, None, 3]),
    "z": ("float32", [12, 13, 3]),
}

BUILDS = [
    "tf.image.rgb_to_hsv(x)",
    "tf.image.hsv_to_rgb(u, name='back')",
    "tf.image.adjust_hue(y, 0.2)",
    "tf.image.adjust_hue(q, -0.3, name='h')",
    "tf.image.adjust_saturation(y, 0.5)",
    "tf.image.adjust_saturation(q, 2.0)",
    "tf.image.random_hue(y, 0.2, seed=3)",
    "tf.image.random_saturation(y, 0.2, 0.5)",
    "tf.image.total_variation(x)",
    "tf.image.total_variation(y, name='tv')",
    "tf.image.image_gradients(x)",
    "tf.image.image_gradients(u)",
    "tf.image.sobel_edges(x)",
    "tf.image.sobel_edges(u)",
    "tf.image.psnr(x, x, 1.0)",
    "tf.image.psnr(q, q, 255, name='p')",
    "tf.image.ssim(z, z, 1.0)",
    "tf.image.ssim(u, u, 2.0, filter_size=3, filter_sigma=0.5, k1=0.02)",
]

GRADIENTS = [
    "str(tf.gradients(tf.image.hsv_to_rgb(x), x))",
]

BUILD_ERRORS = [
    ("tf.image.rgb_to_hsv(x[..., :2])", "Dimension must be 3 but is 2"),
    ("tf.image.adjust_hue(x[0, 0], 0.1)", "Shape must be at least rank 3 but is rank 2"),
    ("tf.image.adjust_saturation(y, [0.1])", "Shape must be rank 0 but is rank 1"),
    ("tf.image.random_hue(y, 0.7)", "max_delta must be <= 0.5."),
    ("tf.image.random_hue(y, -0.1)", "max_delta must be non-negative."),
    ("tf.image.random_saturation(y, 0.5, 0.2)", "upper must be > lower."),
    ("tf.image.random_saturation(y, -0.5, 0.2)", "lower must be non-negative."),
    ("tf.image.total_variation(x[0, 0])", "'images' must be either 3 or 4-dimensional."),
    ("tf.image.image_gradients(y)", "image_gradients expects a 4D tensor"),
    ("tf.image.psnr(x, y[:3], 1.0)", "Dimensions must be equal"),
]
