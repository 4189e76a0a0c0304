"""The sparse patterns of graph convolutional network code (Kipf & Welling's ``gcn``): sparse
features and adjacency fed as ``(coords, values, shape)`` tuples to ``sparse_placeholder``s,
sparse dropout (``sparse_retain`` of a floored uniform mask, times ``1 / keep_prob``) and
``sparse_tensor_dense_matmul``, trained with plain gradient descent; values compared with the
same model written in dense NumPy."""

from __future__ import annotations

import numpy as np

import scopeflow as tf

RNG = np.random.default_rng(0)
N, F, H, C = 6, 5, 4, 3


def _sparse_to_tuple(dense: np.ndarray):
    coords = np.argwhere(dense)
    return coords, dense[tuple(coords.T)], np.array(dense.shape)


def _normalized_adjacency() -> np.ndarray:
    a = (RNG.random((N, N)) < 0.4).astype(float)
    a = np.maximum(a, a.T) + np.eye(N)
    d = 1 / np.sqrt(a.sum(1))
    return a * d[:, None] * d[None, :]


ADJACENCY = _normalized_adjacency()
FEATURES = (RNG.random((N, F)) < 0.5) * RNG.random((N, F))
LABELS = np.eye(C)[RNG.integers(0, C, N)]
MASK = np.array([1, 1, 0, 1, 0, 1], bool)
W0, W1 = RNG.standard_normal((F, H)) * 0.5, RNG.standard_normal((H, C)) * 0.5


def sparse_dropout(x, keep_prob, noise_shape):
    """gcn/layers.py's sparse dropout, as written there."""
    random_tensor = keep_prob
    random_tensor += tf.random_uniform(noise_shape, dtype=tf.float64)
    dropout_mask = tf.cast(tf.floor(random_tensor), dtype=tf.bool)
    pre_out = tf.sparse_retain(x, dropout_mask)
    return pre_out * (1.0 / keep_prob)


def _model():
    support = tf.sparse_placeholder(tf.float64, name="support")
    features = tf.sparse_placeholder(tf.float64, shape=tf.constant([N, F], tf.int64))
    dropout = tf.placeholder_with_default(0.0, shape=())
    nonzero = tf.placeholder(tf.int32)
    w0 = tf.Variable(W0, name="w0")
    w1 = tf.Variable(W1, name="w1")
    x = sparse_dropout(features, 1 - tf.cast(dropout, tf.float64), nonzero)
    hidden = tf.nn.relu(
        tf.sparse_tensor_dense_matmul(support, tf.sparse_tensor_dense_matmul(x, w0))
    )
    logits = tf.sparse_tensor_dense_matmul(support, tf.matmul(hidden, w1))
    loss = tf.nn.softmax_cross_entropy_with_logits_v2(labels=LABELS, logits=logits)
    mask = tf.cast(MASK, tf.float64)
    loss = tf.reduce_mean(loss * mask / tf.reduce_mean(mask))
    feeds = {
        support: _sparse_to_tuple(ADJACENCY),
        features: _sparse_to_tuple(FEATURES),
        nonzero: _sparse_to_tuple(FEATURES)[1].shape,
    }
    return loss, (w0, w1), feeds, dropout, x


def _numpy_step(w0, w1, rate):
    """Loss and one gradient-descent step of the same model in dense NumPy."""
    pre = ADJACENCY @ (FEATURES @ w0)
    hidden = np.maximum(pre, 0)
    z = ADJACENCY @ (hidden @ w1)
    p = np.exp(z - z.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    weights = MASK / MASK.mean() / N
    loss = -(weights * (LABELS * np.log(p)).sum(1)).sum()
    d_hw = ADJACENCY.T @ ((p - LABELS) * weights[:, None])
    d_pre = (d_hw @ w1.T) * (pre > 0)
    dw0 = FEATURES.T @ (ADJACENCY.T @ d_pre)
    return loss, w0 - rate * dw0, w1 - rate * hidden.T @ d_hw


def test_gcn_trains_as_the_dense_model(run):
    loss, (w0, w1), feeds, _, _ = _model()
    train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    want_w0, want_w1 = W0, W1
    for _ in range(5):
        want_loss, next_w0, next_w1 = _numpy_step(want_w0, want_w1, 0.5)
        got_loss, _ = run([loss, train], feeds)
        np.testing.assert_allclose(got_loss, want_loss, rtol=1e-10)
        want_w0, want_w1 = next_w0, next_w1
    got_w0, got_w1 = run([w0, w1])
    np.testing.assert_allclose(got_w0, want_w0, rtol=1e-10)
    np.testing.assert_allclose(got_w1, want_w1, rtol=1e-10)


def test_sparse_dropout_keeps_and_scales_a_random_half(run):
    _, _, feeds, dropout, x = _model()
    kept = run(x, {**feeds, dropout: 0.5})
    coords, values, _ = _sparse_to_tuple(FEATURES)
    assert 0 < len(kept.values) < len(values)
    rows = {tuple(c): v for c, v in zip(coords, values, strict=True)}
    for c, v in zip(kept.indices, kept.values, strict=True):
        assert v == 2 * rows[tuple(c)]
