"""Static shapes of strided slices whose begin holds a tensor (``x[:, t, :]``): TF 2.21's shape
function keeps each dimension that both masks take whole, and the shrunk one goes; a tensor
stride leaves the shape unknown. Expected shapes printed by TF 2.21."""

import pytest

import scopeflow as tf

CASES = [
    ([None, None, 3], lambda x, t: x[:, 1::2, :], [None, None, 3]),
    ([None, None, 3], lambda x, t: x[:, t, :], [None, 3]),
    ([None, None, 3], lambda x, t: x[:, 1::2, :][:, t, :], [None, 3]),
    ([None, None, 3], lambda x, t: x[:, t], [None, 3]),
    ([None, None, 3], lambda x, t: x[t, :, 1:], [None, None]),
    ([None, None, 3], lambda x, t: x[..., t], [None, None]),
    ([4, 6, 3], lambda x, t: x[:, t, :], [4, 3]),
    ([4, 6, 3], lambda x, t: x[:, t:, :], [4, None, 3]),
    ([4, 6, 3], lambda x, t: x[t : t + 2], [None, 6, 3]),
    ([4, 6, 3], lambda x, t: x[::-1, t], [4, 3]),
    ([4, 6, 3], lambda x, t: x[::2, t, ::-2], [2, 2]),
]


@pytest.mark.parametrize(("shape", "index", "want"), CASES)
def test_tensor_begin_keeps_wholly_taken_dimensions(graph, shape, index, want):
    x = tf.placeholder(tf.float32, shape)
    t = tf.placeholder(tf.int32, [])
    assert index(x, t).shape.as_list() == want


def test_tensor_stride_gives_unknown_shape(graph):
    x = tf.placeholder(tf.float32, [4, 6, 3])
    t = tf.placeholder(tf.int32, [])
    assert x[:, ::t].shape.ndims is None
