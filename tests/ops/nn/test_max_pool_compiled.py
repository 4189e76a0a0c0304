"""Large max poolings and their gradients run as one compiled pass (numba): the values, NaN
and infinities included, are those of the NumPy kernel bit for bit, on one thread or two."""

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.ops.kernels import compiled

pytestmark = pytest.mark.skipif(compiled.loops() is None, reason="numba is not available")

GEOMETRIES = [
    ((3, 9, 9, 3), 3, 2, "SAME"),  # overlapping windows, padding on both sides
    ((2, 8, 8, 4), 2, 2, "SAME"),  # tiled windows
    ((2, 7, 7, 4), 3, 1, "VALID"),
    ((2, 9, 10, 5), 3, 2, "VALID"),
    ((1, 6, 6, 3), 4, 3, "SAME"),
]


def _pool_and_grad(monkeypatch, use_compiled, shape, k, s, padding, dtype, threads=1):
    monkeypatch.setattr(compiled, "MAX_POOL_MIN_SIZE", 1 if use_compiled else 1 << 62)
    rng = np.random.default_rng(7)
    x_value = rng.standard_normal(shape).astype(dtype)
    x_value[0, 0, 0, 0] = np.nan
    x_value[0, 1, 1, 1] = -np.inf
    x_value[:, 2:4, 2:4, :] = 1.0  # ties: the first in scan order takes the gradient
    x_value[0, :, :, 2] = -np.inf  # whole windows of -inf, padded pixels among them
    with tf.Graph().as_default() as graph:
        x = tf.placeholder(dtype, shape)
        y = tf.nn.max_pool(x, [1, k, k, 1], [1, s, s, 1], padding)
        dy = tf.placeholder(dtype, None)
        (dx,) = tf.gradients(y, x, grad_ys=dy)
        config = tf.ConfigProto(intra_op_parallelism_threads=threads)
        with tf.Session(graph=graph, config=config) as sess:
            pooled = sess.run(y, {x: x_value})
            dy_value = rng.standard_normal(pooled.shape).astype(dtype)
            return sess.run([y, dx], {x: x_value, dy: dy_value})


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(("shape", "k", "s", "padding"), GEOMETRIES)
def test_compiled_max_pool_and_gradient_equal_the_numpy_kernel(
    monkeypatch, shape, k, s, padding, dtype
):
    fast = _pool_and_grad(monkeypatch, True, shape, k, s, padding, dtype)
    plain = _pool_and_grad(monkeypatch, False, shape, k, s, padding, dtype)
    for got, expected in zip(fast, plain, strict=True):
        assert got.dtype == expected.dtype and got.shape == expected.shape
        np.testing.assert_array_equal(got, expected)
    assert not np.isnan(fast[0][0, 0, 0, 0])  # NaN is skipped, as TF 2.21's kernel skips it
    assert fast[1][:, 2:4, 2:4, :].any()


def test_a_large_batch_split_over_two_threads_gives_the_same_values(monkeypatch):
    shape = (64, 20, 20, 16)  # 1.6 MB: split into batch spans on two threads
    one = _pool_and_grad(monkeypatch, True, shape, 3, 2, "SAME", np.float32, threads=1)
    two = _pool_and_grad(monkeypatch, True, shape, 3, 2, "SAME", np.float32, threads=2)
    plain = _pool_and_grad(monkeypatch, False, shape, 3, 2, "SAME", np.float32, threads=1)
    for a, b, c in zip(one, two, plain, strict=True):
        np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(a, c)


def test_the_gradient_goes_to_the_first_maximum_of_each_window(monkeypatch):
    monkeypatch.setattr(compiled, "MAX_POOL_MIN_SIZE", 1)
    x_value = np.array([[1, 3, 3], [0, 3, 2], [1, 1, 1]], np.float32).reshape(1, 3, 3, 1)
    with tf.Graph().as_default():
        x = tf.constant(x_value)
        y = tf.nn.max_pool(x, [1, 2, 2, 1], [1, 1, 1, 1], "VALID")
        (dx,) = tf.gradients(y, x, grad_ys=tf.constant([[[[1.0], [10.0]], [[100.0], [1000.0]]]]))
        with tf.Session() as sess:
            got = sess.run(dx)
    # Windows (0,0) and (0,1) have their first maximum at pixel (0,1), windows (1,0) and (1,1)
    # at pixel (1,1) (TF 2.21 gives these values).
    np.testing.assert_array_equal(got[0, :, :, 0], [[0, 11, 0], [0, 1100, 0], [0, 0, 0]])
