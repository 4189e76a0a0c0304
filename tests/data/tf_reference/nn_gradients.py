"""What tests/ops/nn/test_gradients.py asks TensorFlow (tools/tf_reference.py): the gradient ops
TF1 builds for the tf.nn ops."""

SETUP = {}

# A forward function of float32 placeholders, differentiated with respect to all of them
# (the test compares the ops under "gradients/" but constants and tf.gradients' own Fill and
# ZerosLike).
NAMES = [
    (
        "tf.gradients((lambda x, w: tf.nn.conv2d(x, w, 1, 'SAME'))(*(xs := "
        "[tf.placeholder(tf.float32, [2, 8, 8, 3]), tf.placeholder(tf.float32, [3, 3, 3, "
        "4])])), xs)"
    ),
    (
        "tf.gradients((lambda x, w: tf.nn.conv2d_transpose(x, w, [2, 8, 8, 3], 1))(*(xs "
        ":= [tf.placeholder(tf.float32, [2, 8, 8, 4]), tf.placeholder(tf.float32, [3, 3, "
        "3, 4])])), xs)"
    ),
    (
        "tf.gradients((lambda x, dy: tf.nn.conv2d_backprop_filter(x, [3, 3, 3, 4], dy, "
        "[1, 1, 1, 1], 'SAME'))(*(xs := [tf.placeholder(tf.float32, [2, 8, 8, 3]), "
        "tf.placeholder(tf.float32, [2, 8, 8, 4])])), xs)"
    ),
    (
        "tf.gradients((lambda x, w: tf.nn.depthwise_conv2d(x, w, [1, 1, 1, 1], "
        "'SAME'))(*(xs := [tf.placeholder(tf.float32, [2, 8, 8, 3]), "
        "tf.placeholder(tf.float32, [3, 3, 3, 2])])), xs)"
    ),
    (
        "tf.gradients((lambda x: tf.nn.max_pool(x, 2, 2, 'SAME'))(*(xs := "
        "[tf.placeholder(tf.float32, [2, 8, 8, 3])])), xs)"
    ),
    (
        "tf.gradients((lambda x: tf.nn.avg_pool(x, 2, 2, 'SAME'))(*(xs := "
        "[tf.placeholder(tf.float32, [None, 8, 8, 3])])), xs)"
    ),
    "tf.gradients((tf.nn.relu)(*(xs := [tf.placeholder(tf.float32, [2, 3])])), xs)",
    "tf.gradients((tf.nn.relu6)(*(xs := [tf.placeholder(tf.float32, [2, 3])])), xs)",
    "tf.gradients((tf.nn.elu)(*(xs := [tf.placeholder(tf.float32, [2, 3])])), xs)",
    "tf.gradients((tf.nn.selu)(*(xs := [tf.placeholder(tf.float32, [2, 3])])), xs)",
    "tf.gradients((tf.nn.softplus)(*(xs := [tf.placeholder(tf.float32, [2, 3])])), xs)",
    "tf.gradients((tf.nn.softsign)(*(xs := [tf.placeholder(tf.float32, [2, 3])])), xs)",
    "tf.gradients((tf.nn.leaky_relu)(*(xs := [tf.placeholder(tf.float32, [2, 3])])), xs)",
    "tf.gradients((tf.nn.softmax)(*(xs := [tf.placeholder(tf.float32, [2, 3])])), xs)",
    "tf.gradients((tf.nn.log_softmax)(*(xs := [tf.placeholder(tf.float32, [2, 3])])), xs)",
    "tf.gradients((tf.nn.l2_loss)(*(xs := [tf.placeholder(tf.float32, [2, 3])])), xs)",
    (
        "tf.gradients((tf.nn.bias_add)(*(xs := [tf.placeholder(tf.float32, [2, 3]), "
        "tf.placeholder(tf.float32, [3])])), xs)"
    ),
    (
        "tf.gradients((lambda lg: "
        "tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[0, 1], logits=lg))(*(xs "
        ":= [tf.placeholder(tf.float32, [2, 3])])), xs)"
    ),
    (
        "tf.gradients((lambda lg, lb: "
        "tf.nn.softmax_cross_entropy_with_logits_v2(labels=lb, logits=lg))(*(xs := "
        "[tf.placeholder(tf.float32, [2, 3]), tf.placeholder(tf.float32, [2, 3])])), xs)"
    ),
]
