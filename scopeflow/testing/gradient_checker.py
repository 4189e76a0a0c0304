"""``tf.test.compute_gradient`` and ``compute_gradient_error``: numeric gradient checking."""

from __future__ import annotations

import numpy as np

from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.defaults import get_default_session
from scopeflow.framework.indexed_slices import IndexedSlices
from scopeflow.gradients import gradients
from scopeflow.ops.array import basic as array_ops


def _session(x):
    session = get_default_session()
    if session is None or session.graph is not x.graph:
        raise ValueError(
            "compute_gradient needs a default session on the graph of x: use "
            "`with tf.Session() as sess:` around the call"
        )
    return session


def _jacobians(xs, x_shapes, y, y_shape, x_values, delta, extra_feed_dict):
    """Theoretical and numerical Jacobians of ``y`` with respect to each ``x``, as arrays of
    shape ``(x.size, y.size)`` (TF1's layout)."""
    session = _session(xs[0])
    y_size = int(np.prod(y_shape, dtype=np.int64))
    feeds = dict(extra_feed_dict or {})
    feeds.update(zip(xs, x_values, strict=True))
    seed = array_ops.placeholder(y.dtype.base_dtype, y_shape)
    # An IndexedSlices gradient (of a gather) is compared as the dense tensor it stands for.
    grads = [
        convert_to_tensor(g) if isinstance(g, IndexedSlices) else g
        for g in gradients(y, xs, grad_ys=seed)
    ]
    theoretical = [np.zeros((v.size, y_size)) for v in x_values]
    for j in range(y_size):
        one_hot = np.zeros(y_size, y.dtype.base_dtype.as_numpy_dtype)
        one_hot[j] = 1
        feeds[seed] = one_hot.reshape(y_shape)
        for i, g in enumerate(grads):
            if g is not None:
                theoretical[i][:, j] = np.asarray(session.run(g, feeds)).reshape(-1)
    del feeds[seed]
    numerical = []
    for i, value in enumerate(x_values):
        jac = np.zeros((value.size, y_size))
        flat = value.reshape(-1)
        for k in range(flat.size):
            saved = flat[k]
            flat[k] = saved + delta
            up = np.asarray(session.run(y, {**feeds, xs[i]: value}), np.float64).reshape(-1)
            flat[k] = saved - delta
            down = np.asarray(session.run(y, {**feeds, xs[i]: value}), np.float64).reshape(-1)
            flat[k] = saved
            jac[k] = (up - down) / (2 * delta)
        numerical.append(jac)
    return theoretical, numerical


def compute_gradient(
    x, x_shape, y, y_shape, x_init_value=None, delta=1e-3, init_targets=None, extra_feed_dict=None
):
    """``(theoretical, numerical)`` Jacobians of ``y`` w.r.t. ``x`` (or lists of them when
    ``x`` is a list), each shaped ``(x.size, y.size)``. Runs in the default session."""
    single = not isinstance(x, (list, tuple))
    xs = [x] if single else list(x)
    shapes = [x_shape] if single else list(x_shape)
    if x_init_value is None:
        rng = np.random.default_rng(0)
        values = [
            rng.standard_normal(s).astype(t.dtype.base_dtype.as_numpy_dtype)
            for t, s in zip(xs, shapes, strict=True)
        ]
    else:
        inits = [x_init_value] if single else list(x_init_value)
        values = [
            np.array(v, dtype=t.dtype.base_dtype.as_numpy_dtype)
            for t, v in zip(xs, inits, strict=True)
        ]
    if init_targets is not None:
        _session(xs[0]).run(init_targets)
    theoretical, numerical = _jacobians(xs, shapes, y, y_shape, values, delta, extra_feed_dict)
    pairs = list(zip(theoretical, numerical, strict=True))
    return pairs[0] if single else pairs


def compute_gradient_error(
    x, x_shape, y, y_shape, x_init_value=None, delta=1e-3, init_targets=None, extra_feed_dict=None
):
    """The largest absolute difference between the theoretical and numerical Jacobians."""
    result = compute_gradient(
        x, x_shape, y, y_shape, x_init_value, delta, init_targets, extra_feed_dict
    )
    pairs = [result] if isinstance(result, tuple) else result
    return max(float(np.max(np.abs(t - n), initial=0.0)) for t, n in pairs)


__all__ = ["compute_gradient", "compute_gradient_error"]
