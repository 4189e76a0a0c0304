"""Tests for scopeflow/framework/constant.py: ``tf.constant``, ``tf.convert_to_tensor`` and the
conversion registry (with the list packing that scopeflow/ops/array_ops.py registers).

Expected dtypes, shapes, names and messages were read from TensorFlow 2.21
(``tensorflow.compat.v1``, graph mode); differences we keep on purpose are marked
"deliberate".
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import scopeflow as tf


@pytest.fixture(autouse=True)
def graph():
    g = tf.Graph()
    with g.as_default():
        yield g


def _ops(graph):
    return [(op.name, op.type) for op in graph.get_operations()]


# -- dtype inference ------------------------------------------------------------------------

INFERRED = [
    (1.0, "float32", []),
    (1, "int32", []),
    (-(2**31), "int32", []),
    (2**31, "int64", []),
    (2**40, "int64", []),
    (2**63, "uint64", []),
    ([1, 2.0], "float32", [2]),
    ((1, 2), "int32", [2]),
    ([[1, 2], [3, 4]], "int32", [2, 2]),
    ([1, 2**40], "int64", [2]),
    (True, "bool", []),
    ([True, False], "bool", [2]),
    (1j, "complex128", []),
    (1e300, "float32", []),
    ("abc", "string", []),
    (b"abc", "string", []),
    (["a", "b"], "string", [2]),
    ([], "float32", [0]),
    ([[], []], "float32", [2, 0]),
    (np.float64(1.0), "float64", []),
    (np.int32(2), "int32", []),
    (np.arange(3), "int64", [3]),
    (np.ones((2, 2), np.float16), "float16", [2, 2]),
    (np.array(1, np.uint8), "uint8", []),
    (np.array(["a", "b"]), "string", [2]),
    ([np.float64(1), 2], "float32", [2]),
    ([np.int64(1), 2], "int32", [2]),
]


@pytest.mark.parametrize(("value", "dtype", "shape"), INFERRED)
def test_constant_infers_tf1_dtypes(value, dtype, shape):
    c = tf.constant(value)
    assert (c.dtype.name, c.shape.as_list(), c.op.type) == (dtype, shape, "Const")
    assert c.op.get_attr("dtype") == c.dtype


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (None, ValueError, "None values not supported."),
        ([[1, 2], [3]], ValueError, "Can't convert non-rectangular Python sequence to Tensor"),
        ([1, None], TypeError, "Failed to convert elements of [1, None] to Tensor."),
        ({"a": 1}, TypeError, "Failed to convert elements of {'a': 1} to Tensor."),
        ([1, "a"], TypeError, "Failed to convert elements of [1, 'a'] to Tensor."),
    ],
)
def test_constant_rejects_values_without_a_dtype(value, error, message):
    with pytest.raises(error, match=re.escape(message)):
        tf.constant(value)


def test_constant_value_is_stored_read_only_and_strings_as_bytes():
    c = tf.constant([[1, 2], [3, 4]])
    value = c.op.get_attr("value")
    assert value.tolist() == [[1, 2], [3, 4]] and not value.flags.writeable
    assert tf.constant(["a", b"b"]).op.get_attr("value").tolist() == [b"a", b"b"]


# -- dtype= ---------------------------------------------------------------------------------

CONVERTED = [
    (1, tf.float32, "float32", 1.0),
    (True, tf.int32, "int32", 1),
    (True, tf.float32, "float32", 1.0),
    (1.0, tf.complex64, "complex64", 1 + 0j),
    (1, tf.float16, "float16", 1.0),
    (2.0, tf.float64, "float64", 2.0),
    ([1, 2], tf.uint64, "uint64", [1, 2]),
    (2**63, tf.uint64, "uint64", 2**63),
    (-(2**63), tf.int64, "int64", -(2**63)),
    (1, "float32", "float32", 1.0),
    (1, np.float32, "float32", 1.0),
    (np.float64(1.5), tf.int32, "int32", 1),  # NumPy values are cast, as in TF
    (np.array([1.5, 2.5]), tf.int32, "int32", [1, 2]),
    (np.array([True]), tf.int32, "int32", [1]),
    (np.array([1, 2]), tf.float32, "float32", [1.0, 2.0]),
]


@pytest.mark.parametrize(("value", "dtype", "name", "stored"), CONVERTED)
def test_constant_converts_to_the_requested_dtype(value, dtype, name, stored):
    c = tf.constant(value, dtype=dtype)
    assert c.dtype.name == name
    assert c.op.get_attr("value").tolist() == stored


@pytest.mark.parametrize(
    ("value", "dtype", "message"),
    [
        (1.5, tf.int32, "Expected int32, but got 1.5 of type 'float'."),
        (1.0, tf.int32, "Expected int32, but got 1.0 of type 'float'."),
        ([1.0, 2.5], tf.int64, "Expected int64, but got 1.0 of type 'float'."),
        (1, tf.bool, "Expected bool, but got 1 of type 'int'."),
        ([1, 0], tf.bool, "Expected bool, but got 1 of type 'int'."),
        (1j, tf.float32, "Expected float32, but got 1j of type 'complex'."),
        ("a", tf.int32, "Expected int32, but got a of type 'str'."),
        (1, tf.string, "Expected string, but got 1 of type 'int'."),
        (np.array([1, 2]), tf.string, "Expected string, but got an array of dtype int64."),
        ("foo", "foo", "Cannot convert value 'foo' to a TensorFlow DType"),
        # deliberate: TF wraps out-of-range integers around silently
        (2**31, tf.int32, "Value 2147483648 is out of range for dtype int32."),
        (-1, tf.uint8, "Value -1 is out of range for dtype uint8."),
        (256, tf.uint8, "Value 256 is out of range for dtype uint8."),
    ],
)
def test_constant_dtype_errors(graph, value, dtype, message):
    with pytest.raises(TypeError, match=re.escape(message)):
        tf.constant(value, dtype=dtype)
    assert graph.get_operations() == []


# -- shape= ---------------------------------------------------------------------------------

SHAPED = [
    (1.0, [2, 3], [[1.0] * 3] * 2),
    ([1, 2], [2, 2], [[1, 2], [2, 2]]),  # TF repeats the last element
    ([1, 2, 3, 4], [2, 2], [[1, 2], [3, 4]]),
    ([[1, 2], [3, 4]], [4], [1, 2, 3, 4]),
    ([1, 2], [3], [1, 2, 2]),
    ([], [2], [0.0, 0.0]),  # an empty value fills with zeros
    ([1.0], [], 1.0),
    (1.0, [], 1.0),
    (1, (0,), []),
    (np.ones(3), [5], [1.0] * 5),
    (1.0, tf.TensorShape([2]), [1.0, 1.0]),
    ("a", [2], [b"a", b"a"]),
]


@pytest.mark.parametrize(("value", "shape", "stored"), SHAPED)
def test_constant_shape_reshapes_or_fills(value, shape, stored):
    c = tf.constant(value, shape=shape)
    assert c.shape.as_list() == list(tf.TensorShape(shape).as_list())
    assert c.op.get_attr("value").tolist() == stored


@pytest.mark.parametrize(
    ("value", "shape", "error", "message"),
    [
        ([1, 2, 3], [2], ValueError, "Too many elements provided. Takes at most 2, but got 3."),
        ([1.0, 2.0], [], ValueError, "Too many elements provided. Takes at most 1, but got 2."),
        # deliberate: TF makes an empty float32 constant
        ([1, 2], [0], ValueError, "Too many elements provided. Takes at most 0, but got 2."),
        ([1, 2, 3, 4], [2, -1], ValueError, "Dimension -1 must be >= 0"),
        (1.0, [None], TypeError, "A constant's shape must be fully defined, got (?,)."),
    ],
)
def test_constant_shape_errors(value, shape, error, message):
    with pytest.raises(error, match=re.escape(message)):
        tf.constant(value, shape=shape)


@pytest.mark.parametrize(
    ("value", "shape", "message"),
    [
        ([1, 2], [3], "Expected Tensor's shape: (3,), but got (2,)."),
        ([1, 2, 3, 4], [2, 2], "Expected Tensor's shape: (2, 2), but got (4,)."),
        (1, [2], "Expected Tensor's shape: (2,), but got ()."),
    ],
)
def test_constant_verify_shape(value, shape, message):
    with pytest.raises(TypeError, match=re.escape(message)):
        tf.constant(value, shape=shape, verify_shape=True)
    assert tf.constant([1, 2], shape=[2], verify_shape=True).shape.as_list() == [2]


# -- names and tensors ----------------------------------------------------------------------


def test_a_trailing_slash_names_the_constant_exactly():
    assert tf.constant(1, name="a/").op.name == "a"


def test_constant_names(graph):
    made = [tf.constant(1), tf.constant(2), tf.constant(3, name="c"), tf.constant(4, name="c")]
    made.append(tf.constant(5, name=None))
    with tf.name_scope("s"):
        made.append(tf.constant(6))
    made.append(tf.constant(7, name="a/b"))
    names = [t.op.name for t in made]
    assert names == ["Const", "Const_1", "c", "c_1", "Const_2", "s/Const", "a/b"]


@pytest.mark.parametrize("name", ["a b", "_a", "a/b c"])
def test_constant_invalid_names(graph, name):
    with pytest.raises(ValueError, match="is not a valid node name"):
        tf.constant(1, name=name)
    assert graph.get_operations() == []


@pytest.mark.parametrize(
    "value",
    [
        lambda: tf.constant(1.0),
        lambda: [tf.constant(1.0), 2.0],
        lambda: [[1.0], [tf.constant(2.0)]],
        lambda: tf.constant(1.0).op,
    ],
)
def test_constant_of_a_tensor_raises(value):
    with pytest.raises(TypeError, match="Expected any non-tensor type, but got a tensor instead"):
        tf.constant(value())


# -- convert_to_tensor ----------------------------------------------------------------------


def test_convert_to_tensor_passes_tensors_through(graph):
    c = tf.constant(1.0)
    assert tf.convert_to_tensor(c) is c
    assert tf.convert_to_tensor(c, dtype=tf.float32) is c
    assert tf.convert_to_tensor(c, preferred_dtype=tf.int32) is c
    assert len(graph.get_operations()) == 1


def test_convert_to_tensor_dtype_mismatch():
    c = tf.constant(1.0)
    message = "Tensor conversion requested dtype int32 for Tensor with dtype float32"
    with pytest.raises(ValueError, match=message):
        tf.convert_to_tensor(c, dtype=tf.int32)


@pytest.mark.parametrize(
    ("value", "kwargs", "dtype", "name"),
    [
        (1.0, {}, "float32", "Const"),
        ([1, 2], {"name": "x"}, "int32", "x"),
        (1, {"dtype": tf.float32}, "float32", "Const"),
        (1, {"preferred_dtype": tf.float32}, "float32", "Const"),
        (1.5, {"preferred_dtype": tf.int32}, "float32", "Const"),  # the hint is only a hint
        (1, {"dtype_hint": tf.int64}, "int64", "Const"),
        (np.array([1, 2], np.int64), {"dtype_hint": tf.int32}, "int32", "Const"),
        (np.array([1.5]), {"dtype_hint": tf.int32}, "int32", "Const"),
    ],
)
def test_convert_to_tensor_python_values(value, kwargs, dtype, name):
    t = tf.convert_to_tensor(value, **kwargs)
    assert (t.dtype.name, t.op.name) == (dtype, name)


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (None, ValueError, "None values not supported."),
        (1.5, TypeError, "Expected int32, but got 1.5 of type 'float'."),
    ],
)
def test_convert_to_tensor_errors(value, error, message):
    with pytest.raises(error, match=re.escape(message)):
        tf.convert_to_tensor(value, dtype=tf.int32 if value is not None else None)


def test_convert_to_tensor_of_an_operation_raises():
    c = tf.constant(1.0)
    with pytest.raises(TypeError, match="Can't convert Operation 'Const' to Tensor"):
        tf.convert_to_tensor(c.op)


PACKED = [
    # (builder of the list, kwargs) -> ops added after the tensors, and the result
    (lambda t: [t, 1.0], {}, [("packed/1", "Const"), ("packed", "Pack")], "packed", [2]),
    (lambda t: (t, t), {}, [("packed", "Pack")], "packed", [2]),
    (lambda t: [t, 1.0], {"name": "foo"}, [("foo/1", "Const"), ("foo", "Pack")], "foo", [2]),
    (lambda t: [t, np.float32(1)], {}, [("packed/1", "Const"), ("packed", "Pack")], "packed", [2]),
    (
        lambda t: [[t, 1.0], [3.0, 4.0]],
        {},
        # the nested list without tensors still opens (and so reserves) the scope "packed/1"
        [
            ("packed/0/1", "Const"),
            ("packed/0", "Pack"),
            ("packed/1_1", "Const"),
            ("packed", "Pack"),
        ],
        "packed",
        [2, 2],
    ),
    (
        lambda t: [t, 1],
        {"dtype": tf.int64},
        [("Cast", "Cast"), ("packed/1", "Const"), ("packed", "Pack")],
        "packed",
        [2],
    ),
]


@pytest.mark.parametrize(("build", "kwargs", "added", "name", "shape"), PACKED)
def test_lists_with_tensors_are_packed(graph, build, kwargs, added, name, shape):
    t = tf.constant(2.0 if "dtype" not in kwargs else 2)
    result = tf.convert_to_tensor(build(t), **kwargs)
    assert _ops(graph)[1:] == added
    assert (result.op.name, result.shape.as_list()) == (name, shape)
    assert result.dtype == kwargs.get("dtype", t.dtype)


def test_packing_inside_a_name_scope_and_twice(graph):
    t = tf.constant(2.0)
    with tf.name_scope("s"):
        first = tf.convert_to_tensor([t, 1.0])
    second = tf.convert_to_tensor([t, 1.0])
    assert (first.op.name, second.op.name) == ("s/packed", "packed")
    assert second.op.inputs[1].op.name == "packed/1"


def test_packing_tensors_of_different_dtypes_raises(graph):
    t, u = tf.constant(2), tf.constant(1.5)
    message = "Cannot convert a list containing a tensor of dtype <dtype: 'float32'> to"
    with pytest.raises(TypeError, match=re.escape(message)):
        tf.convert_to_tensor([t, u])
    with pytest.raises(TypeError, match="Expected int32, but got 1.5 of type 'float'."):
        tf.convert_to_tensor([t, 1.5])
    assert _ops(graph) == [("Const", "Const"), ("Const_1", "Const")]


def test_packing_tensors_of_another_graph_raises(graph):
    other = tf.Graph()
    with other.as_default():
        t = tf.constant(2.0)
    with pytest.raises(ValueError, match="must be from the same graph"):
        tf.convert_to_tensor([t, 1.0])
    assert graph.get_operations() == [] and len(other.get_operations()) == 1


@pytest.mark.parametrize(
    ("value", "kwargs", "dtype", "shape", "name"),
    [
        (tf.TensorShape([2, 3]), {}, "int32", [2], "shape_as_tensor"),
        (tf.TensorShape([2, 2**40]), {}, "int64", [2], "shape_as_tensor"),
        (tf.TensorShape([2, 3]), {"dtype": tf.int64}, "int64", [2], "shape_as_tensor"),
        (tf.TensorShape([2, 3]), {"name": "zz"}, "int32", [2], "zz"),
        (tf.TensorShape([]), {}, "int32", [0], "shape_as_tensor"),
        (tf.Dimension(3), {}, "int32", [], "shape_as_tensor"),
    ],
)
def test_shapes_and_dimensions_convert_to_int_tensors(value, kwargs, dtype, shape, name):
    t = tf.convert_to_tensor(value, **kwargs)
    assert (t.dtype.name, t.shape.as_list(), t.op.name) == (dtype, shape, name)


@pytest.mark.parametrize(
    ("value", "kwargs", "error", "message"),
    [
        (tf.TensorShape([2, None]), {}, ValueError,
         "Cannot convert a partially known TensorShape (2, ?) to a Tensor."),
        (tf.TensorShape(None), {}, ValueError,
         "Cannot convert a partially known TensorShape <unknown> to a Tensor."),
        (tf.TensorShape([2]), {"dtype": tf.float32}, TypeError,
         "Allowed dtypes are tf.int32 and tf.int64."),
        (tf.Dimension(None), {}, ValueError, "Cannot convert unknown Dimension ? to a Tensor."),
    ],
)  # fmt: skip
def test_shape_conversion_errors(value, kwargs, error, message):
    with pytest.raises(error, match=re.escape(message)):
        tf.convert_to_tensor(value, **kwargs)


def test_register_tensor_conversion_function(graph):
    class Celsius:
        def __init__(self, degrees):
            self.degrees = degrees

    def to_tensor(value, dtype=None, name=None, as_ref=False):
        if value.degrees is None:
            return NotImplemented
        return tf.constant(value.degrees, dtype=dtype, name=name or "celsius")

    tf.register_tensor_conversion_function(Celsius, to_tensor)
    t = tf.convert_to_tensor(Celsius(21.5))
    assert (t.op.name, t.dtype.name) == ("celsius", "float32")
    assert (tf.constant(1.0) + Celsius(2.0)).op.inputs[1].op.name == "add/y"
    with pytest.raises(TypeError, match="Failed to convert elements of"):
        tf.convert_to_tensor(Celsius(None))


# -- Dimensions inside lists (BERT's tf.reshape(x, [-1, x.shape[-1]])) -------------------------
# TF 2.21: a known Dimension converts where an integer dtype is asked for (explicitly, or by an
# op's int32 shape argument); with no dtype, or a float one, it is refused.
def test_dimensions_in_a_list_convert_to_an_integer_dtype():
    width = tf.zeros([2, 3]).shape[-1]
    assert isinstance(width, tf.Dimension)
    assert tf.reshape(tf.zeros([2, 3]), [-1, width]).shape.as_list() == [2, 3]
    assert tf.fill([tf.Dimension(2), 3], 1.0).shape.as_list() == [2, 3]
    assert tf.tile(tf.zeros([2, 3]), [tf.Dimension(1), 2]).shape.as_list() == [2, 6]
    c = tf.convert_to_tensor([tf.Dimension(3), 2], dtype=tf.int64)
    assert (c.dtype, c.shape.as_list()) == (tf.int64, [2])
    c = tf.constant([[tf.Dimension(2)], [1]], dtype=tf.int32)
    with tf.Session() as sess:
        value = sess.run(c)
    assert value.dtype == np.int32 and value.tolist() == [[2], [1]]


@pytest.mark.parametrize(
    "value, dtype, message",
    [
        ([tf.Dimension(2)], None, "Failed to convert elements of [Dimension(2)] to Tensor"),
        ([tf.Dimension(2)], tf.float32, "Expected float32, but got 2 of type 'Dimension'"),
        ([tf.Dimension(None)], tf.int32, "Dimension"),
    ],
)
def test_dimensions_a_constant_refuses(value, dtype, message):
    with pytest.raises(TypeError, match=re.escape(message)):
        tf.constant(value, dtype=dtype)
