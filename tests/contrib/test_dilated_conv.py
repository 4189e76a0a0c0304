"""tf.contrib.layers / slim convolutions with ``rate``: TF1's SpaceToBatchND, VALID
convolution, BatchToSpaceND graph under ``<scope>/Conv2D`` (``conv1d``, ``Conv3D``), as
tf_slim builds it in TF 2.21 (op lists below, from the reference venv), with the values of
a directly dilated convolution."""

from __future__ import annotations

import numpy as np

import scopeflow as tf

_S2B = [
    ("dilation_rate", "Const"),
    ("filter_shape", "Const"),
    ("stack", "Const"),
    ("required_space_to_batch_paddings/input_shape", "Const"),
    ("required_space_to_batch_paddings/paddings", "Const"),
    ("required_space_to_batch_paddings/crops", "Const"),
    ("SpaceToBatchND/block_shape", "Const"),
    ("SpaceToBatchND/paddings", "Const"),
    ("SpaceToBatchND", "SpaceToBatchND"),
]
_B2S = [
    ("BatchToSpaceND/block_shape", "Const"),
    ("BatchToSpaceND/crops", "Const"),
    ("BatchToSpaceND", "BatchToSpaceND"),
]


def _scoped(prefix, ops):
    return [(f"{prefix}/{name}", kind) for name, kind in ops]


def _built(graph):
    skip = ("Initializer", "/read", "/Assign")
    return [
        (op.name, op.type)
        for op in graph.get_operations()
        if op.name.startswith("c/") and not any(s in op.name for s in skip)
    ]


def test_slim_conv2d_rate_builds_tfs_space_to_batch_graph(graph):
    y = tf.contrib.slim.conv2d(tf.placeholder(tf.float32, [2, 7, 7, 3]), 4, 3, rate=2, scope="c")
    assert y.shape.as_list() == [2, 7, 7, 4]
    assert _built(graph) == [
        ("c/weights", "VariableV2"),
        ("c/biases", "VariableV2"),
        *_scoped("c/Conv2D", _S2B),
        ("c/Conv2D", "Conv2D"),
        *_scoped("c/Conv2D", _B2S),
        ("c/BiasAdd", "BiasAdd"),
        ("c/Relu", "Relu"),
    ]


def test_slim_conv1d_rate_builds_tfs_space_to_batch_graph(graph):
    y = tf.contrib.slim.conv1d(tf.placeholder(tf.float32, [2, 7, 3]), 4, 3, rate=2, scope="c")
    assert y.shape.as_list() == [2, 7, 4]
    expand = [
        ("ExpandDims/dim", "Const"),
        ("ExpandDims", "ExpandDims"),
        ("ExpandDims_1/dim", "Const"),
        ("ExpandDims_1", "ExpandDims"),
    ]
    assert _built(graph) == [
        ("c/weights", "VariableV2"),
        ("c/biases", "VariableV2"),
        *_scoped("c/conv1d", _S2B + expand),
        ("c/conv1d", "Conv2D"),
        ("c/conv1d/Squeeze", "Squeeze"),
        *_scoped("c/conv1d", _B2S),
        ("c/BiasAdd", "BiasAdd"),
        ("c/Relu", "Relu"),
    ]


def test_contrib_conv2d_rate_values_equal_a_dilated_conv2d(graph):
    x = tf.placeholder(tf.float32, [None, None, None, 3])
    y = tf.contrib.layers.conv2d(x, 2, [3, 2], rate=[2, 3], padding="VALID", scope="c")
    (weights,) = [v for v in tf.global_variables() if v.name == "c/weights:0"]
    direct = tf.nn.relu(tf.nn.conv2d(x, weights, 1, "VALID", dilations=[1, 2, 3, 1]))
    image = np.random.default_rng(3).standard_normal((2, 8, 9, 3)).astype(np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got, want = sess.run([y, direct], {x: image})
    assert got.shape == (2, 4, 6, 2)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)
