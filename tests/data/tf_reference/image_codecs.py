"""What tests/ops/image/test_codecs.py asks TensorFlow (tools/tf_reference.py):
tf.read_file/tf.write_file (and tf.io's), tf.image.decode_png/encode_png,
decode_jpeg/encode_jpeg, decode_image."""

SETUP = {
    "c": ("string", []),
    "q": ("uint8", [6, 7, 3]),
    "w": ("uint16", [4, 5, 1]),
    "x": ("float32", [6, 7, 3]),
}

BUILDS = [
    "tf.read_file('a.png')",
    "tf.io.read_file(c, name='r')",
    "tf.write_file('a.png', c)",
    "tf.io.write_file(c, 'x', name='out')",
    "tf.image.decode_png(c)",
    "tf.image.decode_png(c, channels=3)",
    "tf.image.decode_png(c, 4, tf.uint16, name='d')",
    "tf.io.decode_png(c, channels=1)",
    "tf.image.encode_png(q)",
    "tf.image.encode_png(w, compression=9, name='e')",
    "tf.io.encode_png(q)",
    "tf.image.decode_jpeg(c, channels=3)",
    "tf.image.decode_jpeg(c, ratio=2, name='j')",
    "tf.image.decode_jpeg(c, dct_method='INTEGER_ACCURATE')",
    "tf.io.decode_jpeg(c, channels=1)",
    "tf.image.encode_jpeg(q)",
    "tf.image.encode_jpeg(q, quality=50, progressive=True, name='e')",
    "tf.io.encode_jpeg(q[..., :1], format='grayscale')",
    "tf.image.decode_image(c)",
    "tf.image.decode_image(c, channels=3, expand_animations=False)",
    "tf.image.decode_image(c, dtype=tf.float32)",
    "tf.image.decode_image(c, dtype=tf.int32, name='i')",
    "tf.io.decode_image(c, channels=1, dtype=tf.uint16)",
]

BUILD_ERRORS = [
    (
        "tf.image.encode_png(x)",
        "Value passed to parameter 'image' has DataType float32 not in list of allowed values: uint8, uint16",
    ),
    ("tf.image.encode_png(q[0])", "Shape must be at least rank 3 but is rank 2"),
    ("tf.image.encode_jpeg(tf.cast(q, tf.uint16))", "expected type of uint8"),
    ("tf.image.decode_png(q)", "expected type of string"),
    ("tf.read_file(q)", "expected type of string"),
    ("tf.read_file([c, c])", "Shape must be rank 0 but is rank 1"),
]

GRADIENTS = [
    "str(tf.gradients(tf.cast(tf.image.decode_png(c), tf.float32), c))",
    "str(tf.gradients(tf.cast(tf.image.encode_png(q), tf.float32), q))",
]
