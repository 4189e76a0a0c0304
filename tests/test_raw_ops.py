"""Tests for scopeflow/raw_ops.py (``tf.raw_ops``): keyword-only functions named and shaped as
TF 2.21's raw ops (argument names, defaults, results as named tuples or lists, TF's
messages for positional, missing and unknown arguments), adding the same ops as the
wrappers."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import scopeflow as tf
from scopeflow import raw_ops


@pytest.fixture(autouse=True)
def _graph():
    with tf.Graph().as_default():
        yield


def _run(fetches):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(fetches)


def test_every_op_type_gets_a_function_with_a_signature():
    names = dir(tf.raw_ops)
    assert len(names) > 400 and "Conv2D" in names and "ApplyAdam" in names
    assert not {"Switch", "Merge", "Enter", "Exit"} & set(names)  # tf.cond / tf.while_loop
    for name in names:
        params = inspect.signature(getattr(tf.raw_ops, name)).parameters
        assert list(params)[-1] == "name"
        assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params.values())


def test_signatures_use_tf_python_names_and_defaults():
    assert str(inspect.signature(tf.raw_ops.Conv2D)) == (
        "(*, input, filter, strides, padding, use_cudnn_on_gpu=True, explicit_paddings=[], "
        "data_format='NHWC', dilations=[1, 1, 1, 1], name=None)"
    )
    assert list(inspect.signature(tf.raw_ops.Sum).parameters) == [
        "input",
        "axis",
        "keep_dims",
        "name",
    ]
    assert list(inspect.signature(tf.raw_ops.Split).parameters) == [
        "axis",
        "value",
        "num_split",
        "name",
    ]


def test_ops_are_those_of_the_wrappers():
    x = tf.constant(np.arange(16, dtype=np.float32).reshape(1, 4, 4, 1))
    w = tf.constant(np.ones((2, 2, 1, 1), np.float32))
    raw = tf.raw_ops.Conv2D(input=x, filter=w, strides=[1, 1, 1, 1], padding="VALID")
    wrapped = tf.nn.conv2d(x, w, [1, 1, 1, 1], "VALID")
    assert raw.op.type == "Conv2D" and raw.name == "Conv2D:0"
    assert raw.op._attrs == wrapped.op._attrs
    total = tf.raw_ops.Sum(input=[[1.0, 2.0], [3.0, 4.0]], axis=0, keep_dims=True, name="t")
    assert total.name == "t:0" and total.shape.as_list() == [1, 2]
    a, b = _run([raw, wrapped])
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(_run(total), [[4.0, 6.0]])
    with tf.name_scope("outer"):
        assert tf.raw_ops.AddV2(x=1.0, y=2.0).name == "outer/AddV2:0"


def test_results_as_tf_returns_them():
    unique = tf.raw_ops.Unique(x=[3, 1, 3, 2], out_idx=tf.int64, name="u")
    assert type(unique).__name__ == "Unique" and unique._fields == ("y", "idx")
    assert unique.y.name == "u:0" and unique.idx.dtype == tf.int64
    parts = tf.raw_ops.Split(axis=0, value=[1.0, 2.0, 3.0, 4.0], num_split=2)
    shapes = tf.raw_ops.ShapeN(input=[tf.zeros([2]), tf.zeros([2, 3])])
    assert isinstance(parts, list) and [p.name for p in parts] == ["Split:0", "Split:1"]
    assert isinstance(tf.raw_ops.NoOp(), tf.Operation)
    y, idx = _run(unique)
    np.testing.assert_array_equal(y, [3, 1, 2])
    np.testing.assert_array_equal(idx, [0, 1, 0, 2])
    assert [list(s) for s in _run(shapes)] == [[2], [2, 3]]
    assert [list(p) for p in _run(parts)] == [[1.0, 2.0], [3.0, 4.0]]


def test_reference_inputs_take_variables_and_gradients_flow():
    v = tf.Variable([1.0, 2.0])
    assign = tf.raw_ops.AssignAdd(ref=v, value=[3.0, 4.0])
    assert assign.dtype == tf.float32._as_ref
    x = tf.constant([1.0, 2.0])
    (grad,) = tf.gradients(tf.raw_ops.Mul(x=x, y=x), [x])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(assign), [4.0, 6.0])
        np.testing.assert_array_equal(sess.run(grad), [2.0, 4.0])


def test_bad_calls_raise_tf_errors():
    x = tf.constant([1.0, 2.0])
    with pytest.raises(TypeError, match=r"add_v2 only takes keyword args \(possible keys: "):
        tf.raw_ops.AddV2(x, x)
    with pytest.raises(TypeError, match="add_v2.*missing.*'y'"):
        tf.raw_ops.AddV2(x=x)
    with pytest.raises(TypeError, match="add_v2.*unexpected keyword argument 'T'"):
        tf.raw_ops.AddV2(x=x, y=x, T=tf.float32)
    with pytest.raises(TypeError, match="Input 'y' of 'AddV2' Op has type int32"):
        tf.raw_ops.AddV2(x=x, y=tf.constant([1, 2]))
    with pytest.raises(TypeError, match="Expected list for 'inputs' argument to 'AddN' Op"):
        tf.raw_ops.AddN(inputs=x)
    with pytest.raises(TypeError, match="cast.*missing.*'DstT'"):
        tf.raw_ops.Cast(x=x)
    with pytest.raises(TypeError, match="Attr 'DstT' of 'Cast' Op"):
        tf.raw_ops.Cast(x=x, DstT="no such type")
    with pytest.raises(AttributeError, match="'tf.raw_ops' has no attribute 'NoSuchOp'"):
        tf.raw_ops.NoSuchOp  # noqa: B018
    assert raw_ops._snake_case("Conv2D") == "conv2d"
    assert raw_ops._snake_case("DecodeCSV") == "decode_csv"
