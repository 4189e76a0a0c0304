"""Tests for the rest of ``tf.contrib.layers`` (scopeflow/contrib/layers_extra.py): names,
variables, shapes and values as tf_slim gives them on TF 2.21 compat.v1 (its outputs were
recorded there for these graphs)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

layers = tf.contrib.layers


def test_activation_shorthands(graph):
    x = tf.placeholder(tf.float32, [None, 5], name="x")
    assert layers.linear(x, 3).name == "fully_connected/BiasAdd:0"  # no activation
    assert layers.relu(x, 2).name == "fully_connected_1/Relu:0"
    assert layers.relu6(x, 2).name == "fully_connected_2/Relu6:0"
    assert tf.contrib.slim.elu(x, 2).name == "fully_connected_3/Elu:0"


def test_convolutions_of_every_rank(graph):
    c1 = layers.conv1d(tf.placeholder(tf.float32, [2, 7, 3]), 4, 3)
    x3 = tf.placeholder(tf.float32, [2, 5, 6, 7, 3])
    c3 = layers.conv3d(x3, 4, 3, stride=2)
    c3t = layers.conv3d_transpose(x3, 4, 3, stride=2)
    ip = layers.conv2d_in_plane(tf.placeholder(tf.float32, [2, 8, 8, 3]), [3, 3])
    assert (c1.name, c1.shape.as_list()) == ("Conv/Relu:0", [2, 7, 4])
    assert (c3.name, c3.shape.as_list()) == ("Conv_1/Relu:0", [2, 3, 3, 4, 4])
    assert (c3t.name, c3t.shape.as_list()) == ("Conv3d_transpose/Relu:0", [2, 10, 12, 14, 4])
    assert (ip.name, ip.shape.as_list()) == ("ConvInPlane/Relu:0", [2, 8, 8, 3])
    assert [(v.op.name, v.shape.as_list()) for v in tf.global_variables()] == [
        ("Conv/weights", [3, 3, 4]),
        ("Conv/biases", [4]),
        ("Conv_1/weights", [3, 3, 3, 3, 4]),
        ("Conv_1/biases", [4]),
        ("Conv3d_transpose/weights", [3, 3, 3, 4, 3]),
        ("Conv3d_transpose/biases", [4]),
        ("ConvInPlane/weights", [3, 3, 1, 1]),
        ("ConvInPlane/biases", [3]),
    ]
    assert tf.get_collection(tf.GraphKeys.MODEL_VARIABLES)[0].op.name == "Conv/weights"
    with pytest.raises(ValueError, match="expects input with rank 5, got 3"):
        layers.convolution3d(tf.placeholder(tf.float32, [2, 7, 3]), 4, 3)
    with pytest.raises(ValueError, match="not supported for input with rank 2"):
        layers.convolution(tf.placeholder(tf.float32, [2, 7]), 4, 3)
    with pytest.raises(NotImplementedError, match="channels last"):
        layers.conv1d(tf.placeholder(tf.float32, [2, 3, 7]), 4, 3, data_format="NCW")


def test_conv1d_and_in_plane_values(graph):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 6, 3)).astype(np.float32)
    y = layers.conv1d(tf.constant(x), 2, 3, padding="VALID", activation_fn=None)
    img = rng.standard_normal((1, 4, 4, 2)).astype(np.float32)
    z = layers.conv2d_in_plane(tf.constant(img), 2, padding="VALID", activation_fn=None)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        (w1, w2), out, zv = sess.run([tf.global_variables()[::2], y, z])
    expected = np.stack([np.einsum("bkc,kco->bo", x[:, t : t + 3], w1) for t in range(4)], 1)
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-6)
    k = w2[:, :, 0, 0]
    expected = np.array(
        [[[(img[0, i : i + 2, j : j + 2, c] * k).sum() for c in range(2)] for j in range(3)]
         for i in range(3)]
    )  # fmt: skip
    np.testing.assert_allclose(zv[0], expected, rtol=1e-5, atol=1e-6)


def test_pools(graph):
    x3 = tf.placeholder(tf.float32, [2, 5, 6, 7, 3])
    p3 = layers.max_pool3d(x3, 2)
    a3 = layers.avg_pool3d(x3, [2, 2, 2], stride=1, padding="SAME")
    pp = layers.pool(tf.placeholder(tf.float32, [2, 8, 8, 3]), [2, 2], "AVG", stride=2)
    assert (p3.name, p3.shape.as_list()) == ("MaxPool3D/MaxPool3D:0", [2, 2, 3, 3, 3])
    assert (a3.name, a3.shape.as_list()) == ("AvgPool3D/AvgPool3D:0", [2, 5, 6, 7, 3])
    assert (pp.name, pp.shape.as_list()) == ("avg_pool:0", [2, 4, 4, 3])
    with pytest.raises(ValueError, match="Rank of inputs must be >= 3"):
        layers.pool(tf.placeholder(tf.float32, [2, 8]), 2, "MAX")


def test_reshapes_norms_and_sparse(graph):
    x = tf.placeholder(tf.float32, [None, 5], name="x")
    u = layers.unit_norm(x, 1)
    m_in = tf.placeholder(tf.float32, [2, 6])
    m = layers.maxout(m_in, 3)
    s = layers.softmax(tf.placeholder(tf.float32, [2, 3, 4]))
    img = tf.placeholder(tf.float32, [2, 4, 5, 3])
    seq = layers.images_to_sequence(img)
    back = layers.sequence_to_images(seq, 4)
    d = layers.dense_to_sparse(tf.constant([[1, 0, 2], [0, 0, 3]]))
    assert [t.name for t in (u, m, s, seq, back)] == [
        *("UnitNorm/div:0", "MaxOut/Max:0", "softmax/Reshape_1:0"),
        *("ImagesToSequence/Reshape:0", "SequenceToImages/transpose:0"),
    ]
    assert (seq.shape.as_list(), back.shape.as_list()) == ([5, 8, 3], [2, 4, 5, 3])
    assert (d.indices.name, d.values.name) == (
        "dense_to_sparse/Where:0",
        "dense_to_sparse/GatherNd:0",
    )
    images = np.random.default_rng(1).standard_normal((2, 4, 5, 3)).astype(np.float32)
    with tf.Session() as sess:
        xv = np.arange(10, dtype=np.float32).reshape(2, 5) / 10
        np.testing.assert_allclose(
            sess.run(u, {x: xv})[1], [0.3131, 0.3757, 0.4384, 0.501, 0.5636], atol=1e-4
        )
        mv = sess.run(m, {m_in: np.arange(12, dtype=np.float32).reshape(2, 6)})
        assert mv.tolist() == [[1.0, 3.0, 5.0], [7.0, 9.0, 11.0]]
        np.testing.assert_array_equal(sess.run(back, {img: images}), images)
        indices, values, shape = sess.run([d.indices, d.values, d.dense_shape])
    assert indices.tolist() == [[0, 0], [0, 2], [1, 2]] and values.tolist() == [1, 2, 3]
    assert shape.tolist() == [2, 3]
    with pytest.raises(ValueError, match=r"number of features\(6\) is not a multiple"):
        layers.maxout(m_in, 4)
    with pytest.raises(ValueError, match="data_format has to be either NCHW or NHWC"):
        layers.images_to_sequence(img, data_format="NWC")
    with pytest.raises(ValueError, match="dim must be positive but smaller"):
        layers.unit_norm(x, 2)
