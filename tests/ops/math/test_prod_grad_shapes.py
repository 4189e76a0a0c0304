"""``tf.reduce_prod``'s gradient has TF 2.21's static shapes where TF's shape inference folds
the permutation and the flattened sizes (read in the reference TF); values are TF's."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

X = (np.arange(24, dtype=np.float32).reshape(2, 3, 4) % 5 + 1) / 4


@pytest.mark.parametrize(
    "shape, axis, keepdims, flat, flat_name",
    [  # TF's static shapes of the flattened Reshape
        ([2, 3, 4], None, False, [24, 1], "Reshape_2"),
        ([2, 3, 4], 1, False, [3, 8], "Reshape_2"),
        ([2, 3, 4], [0, 2], True, [8, 3], "Reshape_1"),
        ([None, 3, 4], 1, False, [None, None], "Reshape_2"),
    ],
)
def test_static_shapes_as_tf(graph, shape, axis, keepdims, flat, flat_name):
    x = tf.placeholder(tf.float32, shape, name="x")
    (gx,) = tf.gradients(tf.reduce_prod(x, axis=axis, keepdims=keepdims), x)
    g = "gradients/Prod_grad/"
    assert graph.get_tensor_by_name(f"{g}{flat_name}:0").shape.as_list() == flat
    assert graph.get_tensor_by_name(f"{g}transpose_1:0").shape.as_list() == shape
    with tf.Session() as sess:
        got = sess.run(gx, {x: X})
    axes = None if axis is None else tuple(np.atleast_1d(axis))
    want = np.prod(X, axis=axes, keepdims=True)  # no zeros in X: the product of the others
    np.testing.assert_allclose(got, np.broadcast_to(want, X.shape) / X, rtol=1e-5)
