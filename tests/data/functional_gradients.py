"""Gradients through ``tf.map_fn``, ``tf.scan``, ``tf.foldl``/``tf.foldr``, ``tf.case`` and
``tf.switch_case``, written once for TensorFlow and scopeflow: :func:`gradient_values` builds
one case in a new graph and returns its loss and the loss's gradients at fixed inputs.

``make_functional_gradient_values.py`` records TensorFlow's values in
``functional_gradient_values.json``; ``tests/ops/control/test_functional.py`` checks
scopeflow's against them.
"""

import numpy as np

X = [[0.5, -1.0, 0.25], [1.5, 0.3, -0.7], [-0.2, 0.8, 1.1], [0.9, -0.4, 0.05]]
W = [0.7, -0.3, 1.2]
H = [0.1, 0.2, -0.1]


def _map(tf, x, w, h):
    return tf.map_fn(lambda e: tf.sin(e) * w + h, x)


def _map_nested(tf, x, w, h):
    total, scaled = tf.map_fn(
        lambda t: (tf.reduce_sum(t[0] * t[1]), t[1] * w),
        (x, tf.exp(x) * h),
        dtype=(tf.float64, tf.float64),
    )
    return [total, scaled]


def _scan(tf, x, w, h):
    return tf.scan(lambda a, e: tf.tanh(a * w + e), x, initializer=h)


def _scan_reverse(tf, x, w, h):
    return tf.scan(lambda a, e: a * tf.cos(e) + w * h, x, reverse=True)


def _foldl(tf, x, w, h):
    return tf.foldl(lambda a, e: a * e + w, x, initializer=h)


def _foldr(tf, x, w, h):
    return tf.foldr(lambda a, e: tf.sin(a) + e * w, x)


def _case(tf, x, w, h):
    first, second = tf.reduce_sum(h) < 0.0, tf.reduce_sum(w) > 1.0
    return tf.case(
        [(first, lambda: x * w), (second, lambda: tf.exp(x) * h)], default=lambda: tf.sin(x)
    )


def _case_no_default(tf, x, w, h):
    return tf.case(
        [(tf.reduce_sum(h) < 0.0, lambda: x * w), (tf.reduce_sum(w) > 1.0, lambda: x * h)]
    )


def _switch_case(tf, x, w, h):
    index = tf.constant(1)
    return tf.switch_case(index, [lambda: x * w, lambda: tf.exp(x) * h * w, lambda: x])


CASES = {
    "map_fn": _map,
    "map_fn-nested": _map_nested,
    "scan": _scan,
    "scan-reverse": _scan_reverse,
    "foldl": _foldl,
    "foldr": _foldr,
    "case": _case,
    "case-no-default": _case_no_default,
    "switch_case": _switch_case,
}


def _weighted(tf, r):
    """A weighted sum of ``r``'s elements, so that every element's gradient differs."""
    flat = tf.reshape(r, [-1])
    return tf.reduce_sum(flat * tf.cos(tf.cast(tf.range(tf.size(flat)), tf.float64)))


def gradient_values(tf, name: str) -> dict:
    """``{"loss": ..., "grads": [d loss/d x, d loss/d w, d loss/d h]}`` (lists; ``None`` where
    not connected) for the case ``name``, the loss a weighted sum of its results."""
    with tf.Graph().as_default():
        x, w, h = (tf.constant(np.array(v, np.float64)) for v in (X, W, H))
        result = CASES[name](tf, x, w, h)
        results = result if isinstance(result, (list, tuple)) else [result]
        loss = tf.add_n([_weighted(tf, r) for r in results])
        grads = tf.gradients(loss, [x, w, h])
        with tf.Session() as sess:
            values = sess.run([loss, [g for g in grads if g is not None]])
    found = iter(values[1])
    return {
        "loss": float(values[0]),
        "grads": [None if g is None else np.asarray(next(found)).tolist() for g in grads],
    }
