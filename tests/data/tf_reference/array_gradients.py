"""What tests/ops/array/test_gradients.py asks TensorFlow (tools/tf_reference.py): the gradient
ops TF1 builds."""

SETUP = {
    "x": ("float32", [4, 6]),
}

# A forward op y of x and its gradient: the ops both add (the test compares those in
# y's gradient scope).
NAMES = [
    "[(y := tf.reshape(x, [-1])), tf.gradients(y, x)[0]]",
    "[(y := tf.transpose(x)), tf.gradients(y, x)[0]]",
    "[(y := tf.fill([2, 3], x[0, 0])), tf.gradients(y, x)[0]]",
    "[(y := tf.stack([x, x], axis=1)), tf.gradients(y, x)[0]]",
    "[(y := tf.unstack(x)[1]), tf.gradients(y, x)[0]]",
    "[(y := x[1:3, ::-2]), tf.gradients(y, x)[0]]",
    "[(y := tf.slice(x, [1, 2], [2, 3])), tf.gradients(y, x)[0]]",
    "[(y := tf.concat([x, tf.identity(x)], 1)), tf.gradients(y, x)[0]]",
    "[(y := tf.split(x, 2, 1)[0]), tf.gradients(y, x)[0]]",
    "[(y := tf.split(x, [2, 4], 1)[0]), tf.gradients(y, x)[0]]",
    "[(y := tf.tile(x, [2, 3])), tf.gradients(y, x)[0]]",
    "[(y := tf.pad(x, [[1, 2], [0, 1]])), tf.gradients(y, x)[0]]",
    "[(y := tf.pad(x, [[1, 2], [0, 1]], 'REFLECT')), tf.gradients(y, x)[0]]",
    "[(y := tf.reverse(x, [1])), tf.gradients(y, x)[0]]",
    "[(y := tf.gather_nd(x, [[1, 1], [3, 0]])), tf.gradients(y, x)[0]]",
    "[(y := tf.squeeze(x[None])), tf.gradients(y, x)[0]]",
    "[(y := tf.expand_dims(x, 0)), tf.gradients(y, x)[0]]",
    "[(y := tf.diag_part(x[:, :4])), tf.gradients(y, x)[0]]",
    "[(y := tf.matrix_diag_part(x[:, :4])), tf.gradients(y, x)[0]]",
    "[(y := tf.gather(x, [1, 1, 3])), tf.gradients(y, x)[0]]",
]
