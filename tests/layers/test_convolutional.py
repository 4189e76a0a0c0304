"""``tf.layers`` convolutions and pooling: values against NumPy, shapes, variables, and the
options scopeflow refuses with the fix."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import scopeflow as tf

RNG = np.random.default_rng(1)
IMG = RNG.standard_normal((2, 7, 6, 3)).astype(np.float32)


def naive_conv2d(x, w, stride, same):
    kh, kw = w.shape[:2]
    pads = []
    for size, k in zip(x.shape[1:3], (kh, kw), strict=True):
        total = max((-(-size // stride) - 1) * stride + k - size, 0) if same else 0
        pads.append((total // 2, total - total // 2))
    xp = np.pad(x.astype(np.float64), [(0, 0), *pads, (0, 0)])
    oh, ow = (xp.shape[1] - kh) // stride + 1, (xp.shape[2] - kw) // stride + 1
    y = np.zeros((x.shape[0], oh, ow, w.shape[3]))
    for i, j in itertools.product(range(oh), range(ow)):
        patch = xp[:, i * stride : i * stride + kh, j * stride : j * stride + kw]
        y[:, i, j] = np.tensordot(patch, w, 3)
    return y


def test_conv2d_layer_matches_numpy(run):
    y = tf.layers.conv2d(IMG, 4, 3, strides=2, padding="same", activation=tf.nn.relu,
                         bias_initializer=tf.constant_initializer(0.1))  # fmt: skip
    kernel, bias = tf.trainable_variables()
    assert kernel.shape.as_list() == [3, 3, 3, 4] and bias.shape.as_list() == [4]
    value, k = run([y, kernel])
    want = np.maximum(naive_conv2d(IMG, k, 2, True) + 0.1, 0)
    np.testing.assert_allclose(value, want, rtol=1e-4, atol=1e-5)


def test_conv1d_layer_matches_numpy(run):
    seq = RNG.standard_normal((2, 9, 3)).astype(np.float32)
    y = tf.layers.conv1d(seq, 4, 3, use_bias=False)
    value, k = run([y, tf.trainable_variables()[0]])
    want = naive_conv2d(seq[:, None], k[None], 1, False)[:, 0]
    np.testing.assert_allclose(value, want, rtol=1e-4, atol=1e-5)


def test_conv3d_layer_shapes_and_variables(run):
    vol = RNG.standard_normal((1, 4, 5, 5, 2)).astype(np.float32)
    y = tf.layers.conv3d(vol, 3, [2, 3, 3], padding="same", name="c3")
    assert [v.name for v in tf.global_variables()] == ["c3/kernel:0", "c3/bias:0"]
    assert run(y).shape == (1, 4, 5, 5, 3)


def test_conv2d_transpose_inverts_the_shape_of_a_strided_conv(run):
    x = tf.placeholder_with_default(IMG[:, :6], [None, 6, 6, 3])
    y = tf.layers.conv2d_transpose(x, 5, 3, strides=2, padding="same", use_bias=False)
    assert y.shape.as_list() == [None, 12, 12, 5]
    value, k = run([y, tf.trainable_variables()[0]])
    # the transpose of the forward convolution: <conv(z, k), x> == <z, conv_t(x, k)>
    z = RNG.standard_normal((2, 12, 12, 5))
    forward = naive_conv2d(z, k, 2, True)
    products = forward * IMG[:, :6]  # (random kernel: the sum may nearly cancel, hence atol)
    scale = np.abs(products).sum()
    np.testing.assert_allclose(products.sum(), (z * value).sum(), rtol=1e-4, atol=1e-5 * scale)


def test_separable_conv2d_is_depthwise_then_pointwise(run):
    y = tf.layers.separable_conv2d(IMG, 4, 3, depth_multiplier=2, use_bias=False)
    depthwise, pointwise = tf.trainable_variables()
    assert depthwise.name == "separable_conv2d/depthwise_kernel:0"
    assert (depthwise.shape.as_list(), pointwise.shape.as_list()) == ([3, 3, 3, 2], [1, 1, 6, 4])
    value, d, p = run([y, depthwise, pointwise])
    per_channel = [
        naive_conv2d(IMG[..., c : c + 1], d[:, :, c : c + 1], 1, False) for c in range(3)
    ]
    want = np.concatenate(per_channel, -1) @ p[0, 0]
    np.testing.assert_allclose(value, want, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("kind", ["max", "average"])
def test_pooling_layers_match_numpy(run, kind):
    pool2d = getattr(tf.layers, f"{kind}_pooling2d")
    pool1d = getattr(tf.layers, f"{kind}_pooling1d")
    reduce = np.max if kind == "max" else np.mean
    got = run(pool2d(IMG, 2, 2))
    want = reduce(IMG[:, :6, :6].reshape(2, 3, 2, 3, 2, 3), axis=(2, 4))
    np.testing.assert_allclose(got, want, rtol=1e-6)
    seq = IMG[:, :, 0]
    np.testing.assert_allclose(
        run(pool1d(seq, 3, 3)), reduce(seq[:, :6].reshape(2, 2, 3, 3), axis=2), rtol=1e-6
    )


@pytest.mark.parametrize("kind", ["max", "average"])
def test_3d_pooling_layers_match_numpy(run, kind):
    vol = RNG.standard_normal((2, 4, 6, 6, 3)).astype(np.float32)
    reduce = np.max if kind == "max" else np.mean
    got = run(getattr(tf.layers, f"{kind}_pooling3d")(vol, 2, 2))
    want = reduce(vol.reshape(2, 2, 2, 3, 2, 3, 2, 3), axis=(2, 4, 6))
    np.testing.assert_allclose(got, want, rtol=1e-6)


def test_conv_gradients_train_the_kernel(run):
    x = tf.constant(IMG)
    y = tf.layers.conv2d(x, 2, 3)
    loss = tf.reduce_sum(tf.square(y - 1.0))
    step = tf.train.GradientDescentOptimizer(0.001).minimize(loss)
    first = run(loss)
    for _ in range(5):
        run(step)
    assert run(loss) < first


@pytest.mark.parametrize(
    ("build", "match"),
    [
        (lambda: tf.layers.conv2d(IMG, 4, 3, data_format="channels_first"), "channels_last"),
        (lambda: tf.layers.max_pooling2d(IMG, 2, 2, data_format="channels_first"), "NHWC"),
    ],
)
def test_unsupported_options_name_the_fix(graph, build, match):
    with pytest.raises(NotImplementedError, match=match):
        build()


def test_a_conv_layer_called_with_other_channels_raises(graph):
    layer = tf.layers.Conv2D(4, 3, name="c")
    layer(IMG)
    with pytest.raises(ValueError, match=r'layer "c".*value 3.*\(2, 7, 6, 5\)'):
        layer(tf.zeros([2, 7, 6, 5]))
