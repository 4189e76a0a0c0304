"""Finite-difference checks of registered gradients, shared by the op gradient tests.

``check_gradients(build, inputs)`` builds ``y = build(*xs)`` on float64 placeholders, asks
``tf.gradients(y, xs, grad_ys=w)`` for random weights ``w``, and compares the result with
central differences of ``sum(w * y)``: only the op under test is differentiated, so a wrong
gradient elsewhere cannot hide or cause a failure here.
"""

from __future__ import annotations

import numpy as np

import scopeflow as tf


def check_gradients(
    build, inputs, *, delta=1e-6, rtol=1e-5, atol=1e-6, seed=0, dtype=tf.float64, feed=None
):
    """Asserts that the gradients of ``build`` at ``inputs`` match central differences.

    Returns the analytic gradients (NumPy arrays, ``None`` where not connected).
    """
    rng = np.random.default_rng(seed)
    inputs = [np.asarray(a, dtype=dtype.as_numpy_dtype) for a in inputs]
    with tf.Graph().as_default():
        xs = [tf.placeholder(dtype, a.shape) for a in inputs]
        y = build(*xs)
        with tf.Session() as sess:
            feeds = dict(zip(xs, inputs, strict=True))
            feeds.update(feed or {})
            y_value = np.asarray(sess.run(y, feeds))
            w_value = rng.standard_normal(y_value.shape).astype(y_value.dtype)
            w = tf.placeholder(y.dtype.base_dtype, y_value.shape)
            grads = tf.gradients(y, xs, grad_ys=w)
            analytic = [
                None if g is None else np.asarray(sess.run(g, {**feeds, w: w_value})) for g in grads
            ]

            def f(values):
                out = sess.run(y, {**feeds, **dict(zip(xs, values, strict=True))})
                return float(np.sum(w_value * np.asarray(out, np.float64)))

            for i, (a, g) in enumerate(zip(inputs, analytic, strict=True)):
                numeric = np.zeros(a.shape)
                flat = numeric.reshape(-1)
                for k in range(a.size):
                    values = [v.copy() for v in inputs]
                    values[i].reshape(-1)[k] += delta
                    up = f(values)
                    values[i].reshape(-1)[k] -= 2 * delta
                    down = f(values)
                    flat[k] = (up - down) / (2 * delta)
                if g is None:
                    np.testing.assert_allclose(
                        numeric, 0.0, atol=atol, err_msg=f"input {i}: gradient is None"
                    )
                    continue
                assert g.shape == a.shape, f"input {i}: gradient shape {g.shape} != {a.shape}"
                np.testing.assert_allclose(g, numeric, rtol=rtol, atol=atol, err_msg=f"input {i}")
    return analytic
