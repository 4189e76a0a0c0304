"""``Operation.get_attr`` gives TF's Python types: string attrs as bytes, lists of them as
lists of bytes, numbers, bools, dtypes and lists as they are (each checked against
``tensorflow.compat.v1``'s ``get_attr`` on the same graph, TF 2.21)."""

from __future__ import annotations

import pytest

import scopeflow as tf


def test_string_attrs_are_bytes_as_tf(graph):
    x = tf.placeholder(tf.float32, [1, 4, 4, 3], name="x")
    conv = tf.nn.conv2d(x, tf.ones([2, 2, 3, 5]), [1, 1, 1, 1], "SAME").op
    pool = tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "VALID").op
    patches = tf.image.extract_patches(x, [1, 2, 2, 1], [1, 1, 1, 1], [1, 1, 1, 1], "VALID").op
    joined = tf.strings.join(["a", "b"], separator="-").op
    with tf.container("cc"):
        v = tf.Variable(1.0, name="v")
    queue = tf.FIFOQueue(2, [tf.float32], shared_name="qq")
    assert [conv.get_attr("padding"), conv.get_attr("data_format")] == [b"SAME", b"NHWC"]
    assert [pool.get_attr("padding"), patches.get_attr("padding")] == [b"VALID", b"VALID"]
    assert joined.get_attr("separator") == b"-"
    assert [v.op.get_attr("container"), v.op.get_attr("shared_name")] == [b"cc", b""]
    assert queue.queue_ref.op.get_attr("shared_name") == b"qq"
    with tf.xla.experimental.jit_scope():
        y = x * 2.0
    assert (y.op.get_attr("_XlaScope"), y.op.get_attr("_XlaCompile")) == (b"jit_scope_0", True)


def test_other_attrs_keep_their_types_as_tf(graph):
    x = tf.placeholder(tf.float32, [1, 4, 4, 3], name="x")
    conv = tf.nn.conv2d(x, tf.ones([2, 2, 3, 5]), [1, 1, 1, 1], "SAME").op
    queue = tf.FIFOQueue(2, [tf.float32])
    resize = tf.image.resize_bilinear(x, [2, 2]).op
    assert conv.get_attr("strides") == [1, 1, 1, 1]
    assert x.op.get_attr("dtype") == tf.float32
    assert queue.queue_ref.op.get_attr("component_types") == [tf.float32]
    assert resize.get_attr("align_corners") is False
    v = tf.Variable(1.0, name="v")
    assert v.value().op.get_attr("_class") == [b"loc:@v"]
    with pytest.raises(ValueError, match="Operation 'x' has no attr named 'padding'."):
        x.op.get_attr("padding")
