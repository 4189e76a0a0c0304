"""Tests for scopeflow/ops/nn_ops.py: ``tf.nn.conv2d`` (padding, strides, dilations),
activations, ``bias_add`` and ``l2_loss`` build TF1's ops, names, dtypes and static shapes, and
reject what TF1 rejects.

Every expected value was read from TensorFlow 2.21 (``tensorflow.compat.v1``, graph mode);
differences we keep on purpose are marked "deliberate".
"""

from __future__ import annotations

import re

import pytest

import scopeflow as tf
from tests.ops.graph_checks import added as _added
from tests.ops.graph_checks import assert_build_error
from tests.ops.graph_checks import dims as _dims

SETUP = {
    "x": (tf.float32, [2, 9, 10, 3]),
    "w": (tf.float32, [3, 3, 3, 8]),
    "f": (tf.float32, [2, None]),
    "v": (tf.float32, [2, 5]),
    "b": (tf.float32, [5]),
}


EXPRESSIONS = [
    # (expression, ops it adds, result op, dtype, static shape or None for unknown rank)
    (
        "tf.nn.conv2d(x, w, [1, 1, 1, 1], 'SAME')",
        [("Conv2D", "Conv2D")],
        "Conv2D",
        "float32",
        [2, 9, 10, 8],
    ),
    (
        "tf.nn.conv2d(x, w, [1, 1, 1, 1], 'SAME', name='op')",
        [("op", "Conv2D")],
        "op",
        "float32",
        [2, 9, 10, 8],
    ),
    ("tf.nn.conv2d(x, w, 2, 'SAME')", [("Conv2D", "Conv2D")], "Conv2D", "float32", [2, 5, 5, 8]),
    (
        "tf.nn.conv2d(x, w, [2, 1], 'VALID')",
        [("Conv2D", "Conv2D")],
        "Conv2D",
        "float32",
        [2, 4, 8, 8],
    ),
    (
        "tf.nn.conv2d(x, filters=w, strides=1, padding='VALID')",
        [("Conv2D", "Conv2D")],
        "Conv2D",
        "float32",
        [2, 7, 8, 8],
    ),
    (
        "tf.nn.conv2d(x, np.ones((3, 3, 3, 8), np.float32), 1, 'VALID')",
        [("Conv2D/filter", "Const"), ("Conv2D", "Conv2D")],
        "Conv2D",
        "float32",
        [2, 7, 8, 8],
    ),
    (
        "tf.nn.conv2d(tf.placeholder(tf.float32, [None, None, 10, 3]), w, 1, 'VALID')",
        [("Placeholder", "Placeholder"), ("Conv2D", "Conv2D")],
        "Conv2D",
        "float32",
        [None, None, 8, 8],
    ),
    (
        "tf.nn.conv2d(tf.placeholder(tf.float32), w, 1, 'VALID')",
        [("Placeholder", "Placeholder"), ("Conv2D", "Conv2D")],
        "Conv2D",
        "float32",
        [None, None, None, 8],
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32), 1, 'VALID')",
        [("Placeholder", "Placeholder"), ("Conv2D", "Conv2D")],
        "Conv2D",
        "float32",
        [2, None, None, None],
    ),
    (
        "tf.nn.conv2d(tf.placeholder(tf.int32, [2, 9, 10, 3]), "
        "tf.placeholder(tf.int32, [3, 3, 3, 8]), 1, 'VALID')",
        [("Placeholder", "Placeholder"), ("Placeholder_1", "Placeholder"), ("Conv2D", "Conv2D")],
        "Conv2D",
        "int32",
        [2, 7, 8, 8],
    ),
    (
        "tf.nn.conv2d(tf.placeholder(tf.float32, [2, 9, 10, 6]), w, 1, 'SAME')",
        [("Placeholder", "Placeholder"), ("Conv2D", "Conv2D")],
        "Conv2D",
        "float32",
        [2, 9, 10, 8],
    ),
    (
        "tf.nn.conv2d(x, w, [1, 2, 2, 1], 'SAME', dilations=[1, 2, 2, 1])",
        [("Conv2D", "Conv2D")],
        "Conv2D",
        "float32",
        [2, 5, 5, 8],
    ),
    ("tf.nn.bias_add(v, b)", [("BiasAdd", "BiasAdd")], "BiasAdd", "float32", [2, 5]),
    ("tf.nn.bias_add(v, b, name='op')", [("op", "BiasAdd")], "op", "float32", [2, 5]),
    (
        "tf.nn.bias_add(v, [1.0] * 5)",
        [("BiasAdd/bias", "Const"), ("BiasAdd", "BiasAdd")],
        "BiasAdd",
        "float32",
        [2, 5],
    ),
    ("tf.nn.bias_add(f, b)", [("BiasAdd", "BiasAdd")], "BiasAdd", "float32", [2, 5]),
    (
        "tf.nn.bias_add(tf.placeholder(tf.float32), b)",
        [("Placeholder", "Placeholder"), ("BiasAdd", "BiasAdd")],
        "BiasAdd",
        "float32",
        None,
    ),
    (
        "tf.nn.bias_add(x, tf.placeholder(tf.float32, [None]))",
        [("Placeholder", "Placeholder"), ("BiasAdd", "BiasAdd")],
        "BiasAdd",
        "float32",
        [2, 9, 10, 3],
    ),
    ("tf.nn.l2_loss(v)", [("L2Loss", "L2Loss")], "L2Loss", "float32", []),
    ("tf.nn.l2_loss(v, name='op')", [("op", "L2Loss")], "op", "float32", []),
    (
        "tf.nn.l2_loss([1.0, 2.0])",
        [("L2Loss/t", "Const"), ("L2Loss", "L2Loss")],
        "L2Loss",
        "float32",
        [],
    ),
    ("tf.nn.relu(f)", [("Relu", "Relu")], "Relu", "float32", [2, None]),
    ("tf.nn.relu(f, name='op')", [("op", "Relu")], "op", "float32", [2, None]),
    (
        "tf.nn.relu([1.0, 2.0])",
        [("Relu/features", "Const"), ("Relu", "Relu")],
        "Relu",
        "float32",
        [2],
    ),
    ("tf.nn.relu6(f)", [("Relu6", "Relu6")], "Relu6", "float32", [2, None]),
    ("tf.nn.relu6(f, name='op')", [("op", "Relu6")], "op", "float32", [2, None]),
    (
        "tf.nn.relu6([1.0, 2.0])",
        [("Relu6/features", "Const"), ("Relu6", "Relu6")],
        "Relu6",
        "float32",
        [2],
    ),
    ("tf.nn.elu(f)", [("Elu", "Elu")], "Elu", "float32", [2, None]),
    ("tf.nn.elu(f, name='op')", [("op", "Elu")], "op", "float32", [2, None]),
    ("tf.nn.elu([1.0, 2.0])", [("Elu/features", "Const"), ("Elu", "Elu")], "Elu", "float32", [2]),
    ("tf.nn.selu(f)", [("Selu", "Selu")], "Selu", "float32", [2, None]),
    ("tf.nn.selu(f, name='op')", [("op", "Selu")], "op", "float32", [2, None]),
    (
        "tf.nn.selu([1.0, 2.0])",
        [("Selu/features", "Const"), ("Selu", "Selu")],
        "Selu",
        "float32",
        [2],
    ),
    ("tf.nn.softplus(f)", [("Softplus", "Softplus")], "Softplus", "float32", [2, None]),
    ("tf.nn.softplus(f, name='op')", [("op", "Softplus")], "op", "float32", [2, None]),
    (
        "tf.nn.softplus([1.0, 2.0])",
        [("Softplus/features", "Const"), ("Softplus", "Softplus")],
        "Softplus",
        "float32",
        [2],
    ),
    ("tf.nn.softsign(f)", [("Softsign", "Softsign")], "Softsign", "float32", [2, None]),
    ("tf.nn.softsign(f, name='op')", [("op", "Softsign")], "op", "float32", [2, None]),
    (
        "tf.nn.softsign([1.0, 2.0])",
        [("Softsign/features", "Const"), ("Softsign", "Softsign")],
        "Softsign",
        "float32",
        [2],
    ),
    ("tf.nn.sigmoid(f)", [("Sigmoid", "Sigmoid")], "Sigmoid", "float32", [2, None]),
    ("tf.nn.sigmoid(f, name='op')", [("op", "Sigmoid")], "op", "float32", [2, None]),
    (
        "tf.nn.sigmoid([1.0, 2.0])",
        [("Sigmoid/x", "Const"), ("Sigmoid", "Sigmoid")],
        "Sigmoid",
        "float32",
        [2],
    ),
    ("tf.nn.tanh(f)", [("Tanh", "Tanh")], "Tanh", "float32", [2, None]),
    ("tf.nn.tanh(f, name='op')", [("op", "Tanh")], "op", "float32", [2, None]),
    ("tf.nn.tanh([1.0, 2.0])", [("Tanh/x", "Const"), ("Tanh", "Tanh")], "Tanh", "float32", [2]),
    (
        "tf.nn.relu(tf.placeholder(tf.int32, [2]))",
        [("Placeholder", "Placeholder"), ("Relu", "Relu")],
        "Relu",
        "int32",
        [2],
    ),
    (
        "tf.nn.relu6(tf.placeholder(tf.uint8, [2]))",
        [("Placeholder", "Placeholder"), ("Relu6", "Relu6")],
        "Relu6",
        "uint8",
        [2],
    ),
]


@pytest.mark.parametrize(("expr", "ops", "result", "dtype", "shape"), EXPRESSIONS)
def test_expression_builds_tf1_ops(graph, env, expr, ops, result, dtype, shape):
    before = len(graph.get_operations())
    t = eval(expr, env)
    assert _added(graph, before) == ops
    assert (t.op.name, t.dtype.name, _dims(t)) == (result, dtype, shape)


CONV_GRID = [
    # (kernel hw, strides hw, dilations hw, padding) -> output shape of a [2, 9, 10, 3] input
    # and 8 filters, or the error; EXPLICIT pads [[0, 0], [1, 2], [0, 3], [0, 0]]
    ((1, 1), (1, 1), (1, 1), "SAME", [2, 9, 10, 8]),
    ((1, 1), (1, 1), (1, 1), "VALID", [2, 9, 10, 8]),
    ((1, 1), (1, 1), (1, 1), "EXPLICIT", [2, 12, 13, 8]),
    ((1, 1), (1, 1), (2, 2), "SAME", [2, 9, 10, 8]),
    ((1, 1), (1, 1), (2, 2), "VALID", [2, 9, 10, 8]),
    ((1, 1), (1, 1), (2, 2), "EXPLICIT", [2, 12, 13, 8]),
    ((1, 1), (1, 1), (1, 3), "SAME", [2, 9, 10, 8]),
    ((1, 1), (1, 1), (1, 3), "VALID", [2, 9, 10, 8]),
    ((1, 1), (1, 1), (1, 3), "EXPLICIT", [2, 12, 13, 8]),
    ((1, 1), (2, 2), (1, 1), "SAME", [2, 5, 5, 8]),
    ((1, 1), (2, 2), (1, 1), "VALID", [2, 5, 5, 8]),
    ((1, 1), (2, 2), (1, 1), "EXPLICIT", [2, 6, 7, 8]),
    ((1, 1), (3, 1), (1, 1), "SAME", [2, 3, 10, 8]),
    ((1, 1), (3, 1), (1, 1), "VALID", [2, 3, 10, 8]),
    ((1, 1), (3, 1), (1, 1), "EXPLICIT", [2, 4, 13, 8]),
    ((3, 3), (1, 1), (1, 1), "SAME", [2, 9, 10, 8]),
    ((3, 3), (1, 1), (1, 1), "VALID", [2, 7, 8, 8]),
    ((3, 3), (1, 1), (1, 1), "EXPLICIT", [2, 10, 11, 8]),
    ((3, 3), (1, 1), (2, 2), "SAME", [2, 9, 10, 8]),
    ((3, 3), (1, 1), (2, 2), "VALID", [2, 5, 6, 8]),
    ((3, 3), (1, 1), (2, 2), "EXPLICIT", [2, 8, 9, 8]),
    ((3, 3), (1, 1), (1, 3), "SAME", [2, 9, 10, 8]),
    ((3, 3), (1, 1), (1, 3), "VALID", [2, 7, 4, 8]),
    ((3, 3), (1, 1), (1, 3), "EXPLICIT", [2, 10, 7, 8]),
    ((3, 3), (2, 2), (1, 1), "SAME", [2, 5, 5, 8]),
    ((3, 3), (2, 2), (1, 1), "VALID", [2, 4, 4, 8]),
    ((3, 3), (2, 2), (1, 1), "EXPLICIT", [2, 5, 6, 8]),
    ((3, 3), (3, 1), (1, 1), "SAME", [2, 3, 10, 8]),
    ((3, 3), (3, 1), (1, 1), "VALID", [2, 3, 8, 8]),
    ((3, 3), (3, 1), (1, 1), "EXPLICIT", [2, 4, 11, 8]),
    ((2, 4), (1, 1), (1, 1), "SAME", [2, 9, 10, 8]),
    ((2, 4), (1, 1), (1, 1), "VALID", [2, 8, 7, 8]),
    ((2, 4), (1, 1), (1, 1), "EXPLICIT", [2, 11, 10, 8]),
    ((2, 4), (1, 1), (2, 2), "SAME", [2, 9, 10, 8]),
    ((2, 4), (1, 1), (2, 2), "VALID", [2, 7, 4, 8]),
    ((2, 4), (1, 1), (2, 2), "EXPLICIT", [2, 10, 7, 8]),
    ((2, 4), (1, 1), (1, 3), "SAME", [2, 9, 10, 8]),
    ((2, 4), (1, 1), (1, 3), "VALID", [2, 8, 1, 8]),
    ((2, 4), (1, 1), (1, 3), "EXPLICIT", [2, 11, 4, 8]),
    ((2, 4), (2, 2), (1, 1), "SAME", [2, 5, 5, 8]),
    ((2, 4), (2, 2), (1, 1), "VALID", [2, 4, 4, 8]),
    ((2, 4), (2, 2), (1, 1), "EXPLICIT", [2, 6, 5, 8]),
    ((2, 4), (3, 1), (1, 1), "SAME", [2, 3, 10, 8]),
    ((2, 4), (3, 1), (1, 1), "VALID", [2, 3, 7, 8]),
    ((2, 4), (3, 1), (1, 1), "EXPLICIT", [2, 4, 10, 8]),
    ((5, 5), (1, 1), (1, 1), "SAME", [2, 9, 10, 8]),
    ((5, 5), (1, 1), (1, 1), "VALID", [2, 5, 6, 8]),
    ((5, 5), (1, 1), (1, 1), "EXPLICIT", [2, 8, 9, 8]),
    ((5, 5), (1, 1), (2, 2), "SAME", [2, 9, 10, 8]),
    ((5, 5), (1, 1), (2, 2), "VALID", [2, 1, 2, 8]),
    ((5, 5), (1, 1), (2, 2), "EXPLICIT", [2, 4, 5, 8]),
    ((5, 5), (1, 1), (1, 3), "SAME", [2, 9, 10, 8]),
    ((5, 5), (1, 1), (1, 3), "VALID", "Negative dimension size caused by subtracting 13 from 10"),
    ((5, 5), (1, 1), (1, 3), "EXPLICIT", [2, 8, 1, 8]),
    ((5, 5), (2, 2), (1, 1), "SAME", [2, 5, 5, 8]),
    ((5, 5), (2, 2), (1, 1), "VALID", [2, 3, 3, 8]),
    ((5, 5), (2, 2), (1, 1), "EXPLICIT", [2, 4, 5, 8]),
    ((5, 5), (3, 1), (1, 1), "SAME", [2, 3, 10, 8]),
    ((5, 5), (3, 1), (1, 1), "VALID", [2, 2, 6, 8]),
    ((5, 5), (3, 1), (1, 1), "EXPLICIT", [2, 3, 9, 8]),
]


@pytest.mark.parametrize(("kernel", "strides", "dilations", "padding", "expected"), CONV_GRID)
def test_conv2d_output_shapes(env, kernel, strides, dilations, padding, expected):
    w = tf.placeholder(tf.float32, [*kernel, 3, 8])
    pads = [[0, 0], [1, 2], [0, 3], [0, 0]] if padding == "EXPLICIT" else padding
    kwargs = {"strides": [1, *strides, 1], "padding": pads, "dilations": [1, *dilations, 1]}
    if isinstance(expected, str):
        with pytest.raises(ValueError, match=re.escape(expected)):
            tf.nn.conv2d(env["x"], w, **kwargs)
        return
    t = tf.nn.conv2d(env["x"], w, **kwargs)
    assert t.shape.as_list() == expected
    attrs = {a: t.op.get_attr(a) for a in ("strides", "dilations", "padding", "data_format")}
    assert attrs == {
        "strides": [1, *strides, 1],
        "dilations": [1, *dilations, 1],
        "padding": padding,
        "data_format": "NHWC",
    }
    explicit = [0, 0, 1, 2, 0, 3, 0, 0] if padding == "EXPLICIT" else []
    assert t.op.get_attr("explicit_paddings") == explicit


# -- what TF1 rejects -----------------------------------------------------------------------

ERRORS = [
    # (expression, error, message)
    ("tf.nn.conv2d(x, w, 1, 'FULL')", ValueError, "padding must be 'SAME', 'VALID'"),
    ("tf.nn.conv2d(x, tf.placeholder(tf.float32, [3, 3, 4, 8]), 1, 'SAME')", ValueError,
     "Depth of input (3) is not a multiple of input depth of filter (4)"),
    ("tf.nn.conv2d(tf.placeholder(tf.float32, [9, 10, 3]), w, 1, 'SAME')", ValueError,
     "Shape must be rank 4 but is rank 3"),
    ("tf.nn.conv2d(tf.placeholder(tf.float32, [2, 2, 2, 3]), w, 1, 'VALID')", ValueError,
     "Negative dimension size caused by subtracting 3 from 2"),
    ("tf.nn.conv2d(tf.placeholder(tf.bool, [2, 9, 10, 3]), tf.placeholder(tf.bool, [3, 3, 3, 8]), "
     "1, 'VALID')", TypeError,
     "Value passed to parameter 'input' has DataType bool not in list of allowed values: "
     "float16, bfloat16, float32, float64, int32"),
    ("tf.nn.conv2d(x, tf.placeholder(tf.float64, [3, 3, 3, 8]), 1, 'VALID')", TypeError,
     "Input 'filter' of 'Conv2D' Op has type float64 that does not match type float32"),
    ("tf.nn.conv2d(x, w, 1, [[1, 1], [1, 1], [1, 1], [0, 0]])", ValueError,
     "explicit padding of the batch and channel dimensions must be [0, 0]"),
    ("tf.nn.conv2d(x, w, 1, [[1, 1], [1, 1]])", ValueError,
     "explicit padding must be 4 [before, after] pairs"),
    ("tf.nn.conv2d(x, w, [1, 1, 1], 'SAME')", ValueError, "strides should be of length 1, 2 or 4"),
    # deliberate: TF accepts batch strides while building and fails when the graph runs
    ("tf.nn.conv2d(x, w, [2, 1, 1, 1], 'SAME')", ValueError,
     "strides in the batch and depth dimensions must be 1"),
    # deliberate: NCHW is not computed; the message says how to get NHWC
    ("tf.nn.conv2d(x, w, 1, 'SAME', data_format='NCHW')", NotImplementedError,
     "data_format='NCHW' is not supported; scopeflow computes in NHWC."),
    ("tf.nn.bias_add(x, b, data_format='NCHW')", NotImplementedError, "data_format='NCHW'"),
    ("tf.nn.bias_add(tf.placeholder(tf.float32, [2, 4]), b)", ValueError,
     "Dimensions must be equal, but are 4 and 5"),
    ("tf.nn.bias_add(b, b)", ValueError, "Shape must be at least rank 2 but is rank 1"),
    ("tf.nn.bias_add(v, tf.placeholder(tf.float32, [1, 5]))", ValueError,
     "Shape must be rank 1 but is rank 2"),
    ("tf.nn.bias_add(v, tf.placeholder(tf.float64, [5]))", ValueError,
     "Tensor conversion requested dtype float32 for Tensor with dtype float64"),
    ("tf.nn.l2_loss(tf.placeholder(tf.int32, [2]))", TypeError,
     "Value passed to parameter 't' has DataType int32 not in list of allowed values: "
     "bfloat16, float16, float32, float64"),
    ("tf.nn.elu(tf.placeholder(tf.int32, [2]))", TypeError,
     "Value passed to parameter 'features' has DataType int32 not in list of allowed values"),
    ("tf.nn.selu(tf.placeholder(tf.int32, [2]))", TypeError, "'features' has DataType int32"),
    ("tf.nn.softplus(tf.placeholder(tf.int32, [2]))", TypeError, "'features' has DataType int32"),
    ("tf.nn.softsign(tf.placeholder(tf.int32, [2]))", TypeError, "'features' has DataType int32"),
    ("tf.nn.relu(tf.placeholder(tf.bool, [2]))", TypeError, "'features' has DataType bool"),
    ("tf.nn.sigmoid(tf.placeholder(tf.int32, [2]))", TypeError, "'x' has DataType int32"),
    ("tf.nn.tanh(tf.placeholder(tf.int32, [2]))", TypeError, "'x' has DataType int32"),
]  # fmt: skip


@pytest.mark.parametrize(("expr", "error", "message"), ERRORS)
def test_errors(graph, env, expr, error, message):
    assert_build_error(graph, env, expr, error, message)


def test_conv2d_accepts_lowercase_padding(env):
    # deliberate: TF's op definition only takes upper case.
    t = tf.nn.conv2d(env["x"], env["w"], 1, "same")
    assert (t.op.get_attr("padding"), t.shape.as_list()) == ("SAME", [2, 9, 10, 8])


def test_conv2d_needs_filter_strides_and_padding(env):
    with pytest.raises(TypeError, match="requires input, filter, strides and padding"):
        tf.nn.conv2d(env["x"], env["w"])
