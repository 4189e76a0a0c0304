"""Tests for scopeflow/ops/array_ops.py: placeholders, identity, shapes, reshapes, transposes,
fills, stacking, list packing and slicing (``t[...]``) build TF1's ops, names, dtypes and
static shapes, and reject what TF1 rejects.

Every expected value was read from TensorFlow 2.21 (``tensorflow.compat.v1``, graph mode);
differences we keep on purpose are marked "deliberate".
"""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.graph_checks import added as _added
from tests.ops.graph_checks import assert_build_error
from tests.ops.graph_checks import dims as _dims

SETUP = {
    "x": (tf.float32, [2, 3, 4]),
    "u": (tf.float32, [None, 3, 4]),
    "s": (tf.float32, []),
    "i": (tf.int32, []),
    "n": (tf.int64, []),
    "d": (tf.int32, [2]),
}


EXPRESSIONS = [
    # (expression, ops it adds, result op, dtype, static shape or None for unknown rank)
    (
        "x[0]",
        [
            ("strided_slice/stack", "Const"),
            ("strided_slice/stack_1", "Const"),
            ("strided_slice/stack_2", "Const"),
            ("strided_slice", "StridedSlice"),
        ],
        "strided_slice",
        "float32",
        [3, 4],
    ),
    (
        "x[-1]",
        [
            ("strided_slice/stack", "Const"),
            ("strided_slice/stack_1", "Const"),
            ("strided_slice/stack_2", "Const"),
            ("strided_slice", "StridedSlice"),
        ],
        "strided_slice",
        "float32",
        [3, 4],
    ),
    (
        "x[1:]",
        [
            ("strided_slice/stack", "Const"),
            ("strided_slice/stack_1", "Const"),
            ("strided_slice/stack_2", "Const"),
            ("strided_slice", "StridedSlice"),
        ],
        "strided_slice",
        "float32",
        [1, 3, 4],
    ),
    (
        "x[:2]",
        [
            ("strided_slice/stack", "Const"),
            ("strided_slice/stack_1", "Const"),
            ("strided_slice/stack_2", "Const"),
            ("strided_slice", "StridedSlice"),
        ],
        "strided_slice",
        "float32",
        [2, 3, 4],
    ),
    (
        "x[::2]",
        [
            ("strided_slice/stack", "Const"),
            ("strided_slice/stack_1", "Const"),
            ("strided_slice/stack_2", "Const"),
            ("strided_slice", "StridedSlice"),
        ],
        "strided_slice",
        "float32",
        [1, 3, 4],
    ),
    (
        "x[::-1]",
        [
            ("strided_slice/stack", "Const"),
            ("strided_slice/stack_1", "Const"),
            ("strided_slice/stack_2", "Const"),
            ("strided_slice", "StridedSlice"),
        ],
        "strided_slice",
        "float32",
        [2, 3, 4],
    ),
    (
        "x[1::-1]",
        [
            ("strided_slice/stack", "Const"),
            ("strided_slice/stack_1", "Const"),
            ("strided_slice/stack_2", "Const"),
            ("strided_slice", "StridedSlice"),
        ],
        "strided_slice",
        "float32",
        [2, 3, 4],
    ),
    (
        "x[..., 0]",
        [
            ("strided_slice/stack", "Const"),
            ("strided_slice/stack_1", "Const"),
            ("strided_slice/stack_2", "Const"),
            ("strided_slice", "StridedSlice"),
        ],
        "strided_slice",
        "float32",
        [2, 3],
    ),
    (
        "x[..., 1:3]",
        [
            ("strided_slice/stack", "Const"),
            ("strided_slice/stack_1", "Const"),
            ("strided_slice/stack_2", "Const"),
            ("strided_slice", "StridedSlice"),
        ],
        "strided_slice",
        "float32",
        [2, 3, 2],
    ),
    (
        "x[tf.newaxis]",
        [
            ("strided_slice/stack", "Const"),
            ("strided_slice/stack_1", "Const"),
            ("strided_slice/stack_2", "Const"),
            ("strided_slice", "StridedSlice"),
        ],
        "strided_slice",
        "float32",
        [1, 2, 3, 4],
    ),
    (
        "x[None, ..., None]",
        [
            ("strided_slice/stack", "Const"),
            ("strided_slice/stack_1", "Const"),
            ("strided_slice/stack_2", "Const"),
            ("strided_slice", "StridedSlice"),
        ],
        "strided_slice",
        "float32",
        [1, 2, 3, 4, 1],
    ),
    (
        "x[0, 1, 2]",
        [
            ("strided_slice/stack", "Const"),
            ("strided_slice/stack_1", "Const"),
            ("strided_slice/stack_2", "Const"),
            ("strided_slice", "StridedSlice"),
        ],
        "strided_slice",
        "float32",
        [],
    ),
    (
        "x[:, tf.newaxis, 1]",
        [
            ("strided_slice/stack", "Const"),
            ("strided_slice/stack_1", "Const"),
            ("strided_slice/stack_2", "Const"),
            ("strided_slice", "StridedSlice"),
        ],
        "strided_slice",
        "float32",
        [2, 1, 4],
    ),
    (
        "x[1:1]",
        [
            ("strided_slice/stack", "Const"),
            ("strided_slice/stack_1", "Const"),
            ("strided_slice/stack_2", "Const"),
            ("strided_slice", "StridedSlice"),
        ],
        "strided_slice",
        "float32",
        [0, 3, 4],
    ),
    (
        "x[-2:]",
        [
            ("strided_slice/stack", "Const"),
            ("strided_slice/stack_1", "Const"),
            ("strided_slice/stack_2", "Const"),
            ("strided_slice", "StridedSlice"),
        ],
        "strided_slice",
        "float32",
        [2, 3, 4],
    ),
    (
        "x[5:]",
        [
            ("strided_slice/stack", "Const"),
            ("strided_slice/stack_1", "Const"),
            ("strided_slice/stack_2", "Const"),
            ("strided_slice", "StridedSlice"),
        ],
        "strided_slice",
        "float32",
        [0, 3, 4],
    ),
    (
        "x[:, ::-2]",
        [
            ("strided_slice/stack", "Const"),
            ("strided_slice/stack_1", "Const"),
            ("strided_slice/stack_2", "Const"),
            ("strided_slice", "StridedSlice"),
        ],
        "strided_slice",
        "float32",
        [2, 2, 4],
    ),
    (
        "x[0, ..., ::-1]",
        [
            ("strided_slice/stack", "Const"),
            ("strided_slice/stack_1", "Const"),
            ("strided_slice/stack_2", "Const"),
            ("strided_slice", "StridedSlice"),
        ],
        "strided_slice",
        "float32",
        [3, 4],
    ),
    (
        "x[1, :, tf.newaxis, ...]",
        [
            ("strided_slice/stack", "Const"),
            ("strided_slice/stack_1", "Const"),
            ("strided_slice/stack_2", "Const"),
            ("strided_slice", "StridedSlice"),
        ],
        "strided_slice",
        "float32",
        [3, 1, 4],
    ),
    (
        "x[()]",
        [("strided_slice/Const", "Const"), ("strided_slice", "StridedSlice")],
        "strided_slice",
        "float32",
        [2, 3, 4],
    ),
    (
        "x[[0, 1]]",
        [
            ("strided_slice/stack", "Const"),
            ("strided_slice/stack_1", "Const"),
            ("strided_slice/stack_2", "Const"),
            ("strided_slice", "StridedSlice"),
        ],
        "strided_slice",
        "float32",
        [4],
    ),
    (
        "x[np.int32(1):np.int64(3)]",
        [
            ("strided_slice/stack", "Const"),
            ("strided_slice/stack_1", "Const"),
            ("strided_slice/stack_2", "Const"),
            ("strided_slice", "StridedSlice"),
        ],
        "strided_slice",
        "float32",
        [1, 3, 4],
    ),
    (
        "x[i]",
        [
            ("add/y", "Const"),
            ("add", "AddV2"),
            ("strided_slice/stack", "Pack"),
            ("strided_slice/stack_1", "Pack"),
            ("strided_slice/stack_2", "Const"),
            ("strided_slice", "StridedSlice"),
        ],
        "strided_slice",
        "float32",
        [3, 4],
    ),
    (
        "x[i, 1:]",
        [
            ("add/y", "Const"),
            ("add", "AddV2"),
            ("strided_slice/stack/1", "Const"),
            ("strided_slice/stack", "Pack"),
            ("strided_slice/stack_1/1", "Const"),
            ("strided_slice/stack_1", "Pack"),
            ("strided_slice/stack_2", "Const"),
            ("strided_slice", "StridedSlice"),
        ],
        "strided_slice",
        "float32",
        [None, 4],
    ),
    (
        "x[:i]",
        [
            ("Const", "Const"),
            ("Const_1", "Const"),
            ("strided_slice/stack", "Pack"),
            ("strided_slice/stack_1", "Pack"),
            ("strided_slice/stack_2", "Pack"),
            ("strided_slice", "StridedSlice"),
        ],
        "strided_slice",
        "float32",
        [None, 3, 4],
    ),
    (
        "x[::i]",
        [
            ("Const", "Const"),
            ("Const_1", "Const"),
            ("strided_slice/stack", "Pack"),
            ("strided_slice/stack_1", "Pack"),
            ("strided_slice/stack_2", "Pack"),
            ("strided_slice", "StridedSlice"),
        ],
        "strided_slice",
        "float32",
        None,
    ),
    (
        "x[1, i]",
        [
            ("add/y", "Const"),
            ("add", "AddV2"),
            ("strided_slice/stack/0", "Const"),
            ("strided_slice/stack", "Pack"),
            ("strided_slice/stack_1/0", "Const"),
            ("strided_slice/stack_1", "Pack"),
            ("strided_slice/stack_2", "Const"),
            ("strided_slice", "StridedSlice"),
        ],
        "strided_slice",
        "float32",
        [4],
    ),
    (
        "x[tf.constant(1):]",
        [
            ("Const", "Const"),
            ("Const_1", "Const"),
            ("Const_2", "Const"),
            ("strided_slice/stack", "Pack"),
            ("strided_slice/stack_1", "Pack"),
            ("strided_slice/stack_2", "Pack"),
            ("strided_slice", "StridedSlice"),
        ],
        "strided_slice",
        "float32",
        [1, 3, 4],
    ),
    (
        "x[n]",
        [
            ("add/y", "Const"),
            ("add", "AddV2"),
            ("Const", "Const"),
            ("strided_slice/stack", "Pack"),
            ("strided_slice/stack_1", "Pack"),
            ("strided_slice/stack_2", "Pack"),
            ("strided_slice", "StridedSlice"),
        ],
        "strided_slice",
        "float32",
        [3, 4],
    ),
    (
        "x[1:n]",
        [
            ("Const", "Const"),
            ("strided_slice/stack", "Const"),
            ("strided_slice/stack_1", "Pack"),
            ("strided_slice/stack_2", "Pack"),
            ("strided_slice/Cast", "Cast"),
            ("strided_slice", "StridedSlice"),
        ],
        "strided_slice",
        "float32",
        [None, 3, 4],
    ),
    (
        "u[1:, 0]",
        [
            ("strided_slice/stack", "Const"),
            ("strided_slice/stack_1", "Const"),
            ("strided_slice/stack_2", "Const"),
            ("strided_slice", "StridedSlice"),
        ],
        "strided_slice",
        "float32",
        [None, 4],
    ),
    (
        "u[0]",
        [
            ("strided_slice/stack", "Const"),
            ("strided_slice/stack_1", "Const"),
            ("strided_slice/stack_2", "Const"),
            ("strided_slice", "StridedSlice"),
        ],
        "strided_slice",
        "float32",
        [3, 4],
    ),
    (
        "tf.placeholder(tf.float32)[1:, 0]",
        [
            ("Placeholder", "Placeholder"),
            ("strided_slice/stack", "Const"),
            ("strided_slice/stack_1", "Const"),
            ("strided_slice/stack_2", "Const"),
            ("strided_slice", "StridedSlice"),
        ],
        "strided_slice",
        "float32",
        None,
    ),
    (
        "x[0][1]",
        [
            ("strided_slice/stack", "Const"),
            ("strided_slice/stack_1", "Const"),
            ("strided_slice/stack_2", "Const"),
            ("strided_slice", "StridedSlice"),
            ("strided_slice_1/stack", "Const"),
            ("strided_slice_1/stack_1", "Const"),
            ("strided_slice_1/stack_2", "Const"),
            ("strided_slice_1", "StridedSlice"),
        ],
        "strided_slice_1",
        "float32",
        [4],
    ),
    (
        "tf.reshape(x, [6, 4])",
        [("Reshape/shape", "Const"), ("Reshape", "Reshape")],
        "Reshape",
        "float32",
        [6, 4],
    ),
    (
        "tf.reshape(x, [-1])",
        [("Reshape/shape", "Const"), ("Reshape", "Reshape")],
        "Reshape",
        "float32",
        [24],
    ),
    (
        "tf.reshape(x, (4, -1, 2), name='op')",
        [("op/shape", "Const"), ("op", "Reshape")],
        "op",
        "float32",
        [4, 3, 2],
    ),
    (
        "tf.reshape(x, np.array([3, 8], np.int64))",
        [("Reshape/shape", "Const"), ("Reshape", "Reshape")],
        "Reshape",
        "float32",
        [3, 8],
    ),
    (
        "tf.reshape(x, tf.TensorShape([24]))",
        [("Reshape/shape", "Const"), ("Reshape", "Reshape")],
        "Reshape",
        "float32",
        [24],
    ),
    (
        "tf.reshape(u, [-1, 2])",
        [("Reshape/shape", "Const"), ("Reshape", "Reshape")],
        "Reshape",
        "float32",
        [None, 2],
    ),
    (
        "tf.reshape(u, [2, -1])",
        [("Reshape/shape", "Const"), ("Reshape", "Reshape")],
        "Reshape",
        "float32",
        [2, None],
    ),
    (
        "tf.reshape(u, [8, -1])",
        [("Reshape/shape", "Const"), ("Reshape", "Reshape")],
        "Reshape",
        "float32",
        [8, None],
    ),
    ("tf.reshape(u, d)", [("Reshape", "Reshape")], "Reshape", "float32", [None, None]),
    (
        "tf.reshape(s, [1, 1, -1])",
        [("Reshape/shape", "Const"), ("Reshape", "Reshape")],
        "Reshape",
        "float32",
        [1, 1, 1],
    ),
    (
        "tf.reshape(tf.placeholder(tf.float32, [0, 4]), [-1, 0])",
        [("Placeholder", "Placeholder"), ("Reshape/shape", "Const"), ("Reshape", "Reshape")],
        "Reshape",
        "float32",
        [None, 0],
    ),
    (
        "tf.reshape(tf.placeholder(tf.float32, [0, 4]), [2, -1])",
        [("Placeholder", "Placeholder"), ("Reshape/shape", "Const"), ("Reshape", "Reshape")],
        "Reshape",
        "float32",
        [2, 0],
    ),
    (
        "tf.reshape(u, [tf.shape(u)[0], -1])",
        [
            ("Shape", "Shape"),
            ("strided_slice/stack", "Const"),
            ("strided_slice/stack_1", "Const"),
            ("strided_slice/stack_2", "Const"),
            ("strided_slice", "StridedSlice"),
            ("Reshape/shape/1", "Const"),
            ("Reshape/shape", "Pack"),
            ("Reshape", "Reshape"),
        ],
        "Reshape",
        "float32",
        [None, None],
    ),
    (
        "tf.reshape(u, [tf.shape(u)[0], 3, 2, 2])",
        [
            ("Shape", "Shape"),
            ("strided_slice/stack", "Const"),
            ("strided_slice/stack_1", "Const"),
            ("strided_slice/stack_2", "Const"),
            ("strided_slice", "StridedSlice"),
            ("Reshape/shape/1", "Const"),
            ("Reshape/shape/2", "Const"),
            ("Reshape/shape/3", "Const"),
            ("Reshape/shape", "Pack"),
            ("Reshape", "Reshape"),
        ],
        "Reshape",
        "float32",
        [None, 3, 2, 2],
    ),
    (
        "tf.reshape(u, [tf.shape(u)[0], 5, -1])",
        [
            ("Shape", "Shape"),
            ("strided_slice/stack", "Const"),
            ("strided_slice/stack_1", "Const"),
            ("strided_slice/stack_2", "Const"),
            ("strided_slice", "StridedSlice"),
            ("Reshape/shape/1", "Const"),
            ("Reshape/shape/2", "Const"),
            ("Reshape/shape", "Pack"),
            ("Reshape", "Reshape"),
        ],
        "Reshape",
        "float32",
        [None, 5, None],
    ),
    (
        "tf.reshape(u, tf.shape(u))",
        [("Shape", "Shape"), ("Reshape", "Reshape")],
        "Reshape",
        "float32",
        [None, 3, 4],
    ),
    (
        "tf.reshape(u, tf.placeholder(tf.int32))",
        [("Placeholder", "Placeholder"), ("Reshape", "Reshape")],
        "Reshape",
        "float32",
        None,
    ),
    (
        "tf.reshape([1, 2, 3, 4], [2, 2])",
        [("Reshape/tensor", "Const"), ("Reshape/shape", "Const"), ("Reshape", "Reshape")],
        "Reshape",
        "int32",
        [2, 2],
    ),
    (
        "tf.transpose(x)",
        [("transpose/perm", "Const"), ("transpose", "Transpose")],
        "transpose",
        "float32",
        [4, 3, 2],
    ),
    (
        "tf.transpose(x, [1, 0, 2])",
        [("transpose/perm", "Const"), ("transpose", "Transpose")],
        "transpose",
        "float32",
        [3, 2, 4],
    ),
    (
        "tf.transpose(x, name='op')",
        [("op/perm", "Const"), ("op", "Transpose")],
        "op",
        "float32",
        [4, 3, 2],
    ),
    (
        "tf.transpose(x, tf.placeholder(tf.int32, [3]))",
        [("Placeholder", "Placeholder"), ("transpose", "Transpose")],
        "transpose",
        "float32",
        [None, None, None],
    ),
    (
        "tf.transpose(tf.placeholder(tf.float32), [1, 0])",
        [("Placeholder", "Placeholder"), ("transpose/perm", "Const"), ("transpose", "Transpose")],
        "transpose",
        "float32",
        [None, None],
    ),
    (
        "tf.transpose([[1, 2]])",
        [("transpose/a", "Const"), ("transpose/perm", "Const"), ("transpose", "Transpose")],
        "transpose",
        "int32",
        [2, 1],
    ),
    (
        "tf.matrix_transpose(x)",
        [("matrix_transpose/transpose/perm", "Const"), ("matrix_transpose/transpose", "Transpose")],
        "matrix_transpose/transpose",
        "float32",
        [2, 4, 3],
    ),
    (
        "tf.linalg.transpose(x)",
        [("matrix_transpose/transpose/perm", "Const"), ("matrix_transpose/transpose", "Transpose")],
        "matrix_transpose/transpose",
        "float32",
        [2, 4, 3],
    ),
    (
        "tf.matrix_transpose(x, name='op')",
        [("op/transpose/perm", "Const"), ("op/transpose", "Transpose")],
        "op/transpose",
        "float32",
        [2, 4, 3],
    ),
    (
        "tf.linalg.matrix_transpose([[1.0, 2.0]])",
        [
            ("matrix_transpose/a", "Const"),
            ("matrix_transpose/transpose/perm", "Const"),
            ("matrix_transpose/transpose", "Transpose"),
        ],
        "matrix_transpose/transpose",
        "float32",
        [2, 1],
    ),
    ("tf.shape(x)", [("Shape", "Const")], "Shape", "int32", [3]),
    ("tf.shape(x, out_type=tf.int64)", [("Shape", "Const")], "Shape", "int64", [3]),
    ("tf.shape(x, name='op')", [("op", "Const")], "op", "int32", [3]),
    ("tf.shape(u)", [("Shape", "Shape")], "Shape", "int32", [3]),
    ("tf.shape(u, out_type=tf.int64)", [("Shape", "Shape")], "Shape", "int64", [3]),
    (
        "tf.shape(tf.placeholder(tf.float32))",
        [("Placeholder", "Placeholder"), ("Shape", "Shape")],
        "Shape",
        "int32",
        [None],
    ),
    (
        "tf.shape([[1, 2, 3]])",
        [("Shape/Const", "Const"), ("Shape", "Const")],
        "Shape",
        "int32",
        [2],
    ),
    (
        "tf.shape(u)[0]",
        [
            ("Shape", "Shape"),
            ("strided_slice/stack", "Const"),
            ("strided_slice/stack_1", "Const"),
            ("strided_slice/stack_2", "Const"),
            ("strided_slice", "StridedSlice"),
        ],
        "strided_slice",
        "int32",
        [],
    ),
    ("tf.identity(x)", [("Identity", "Identity")], "Identity", "float32", [2, 3, 4]),
    ("tf.identity(x, name='op')", [("op", "Identity")], "op", "float32", [2, 3, 4]),
    (
        "tf.identity(1.0)",
        [("Identity/input", "Const"), ("Identity", "Identity")],
        "Identity",
        "float32",
        [],
    ),
    (
        "tf.stop_gradient(x)",
        [("StopGradient", "StopGradient")],
        "StopGradient",
        "float32",
        [2, 3, 4],
    ),
    (
        "tf.stop_gradient(2.0)",
        [("StopGradient/input", "Const"), ("StopGradient", "StopGradient")],
        "StopGradient",
        "float32",
        [],
    ),
    ("tf.stop_gradient(x, name='op')", [("op", "StopGradient")], "op", "float32", [2, 3, 4]),
    (
        "tf.fill([2, 3], 1.0)",
        [("Fill/dims", "Const"), ("Fill/value", "Const"), ("Fill", "Fill")],
        "Fill",
        "float32",
        [2, 3],
    ),
    (
        "tf.fill([2], 7, name='op')",
        [("op/dims", "Const"), ("op/value", "Const"), ("op", "Fill")],
        "op",
        "int32",
        [2],
    ),
    (
        "tf.fill(d, 1.0)",
        [("Fill/value", "Const"), ("Fill", "Fill")],
        "Fill",
        "float32",
        [None, None],
    ),
    (
        "tf.fill([tf.shape(u)[0], 3], 1.0)",
        [
            ("Shape", "Shape"),
            ("strided_slice/stack", "Const"),
            ("strided_slice/stack_1", "Const"),
            ("strided_slice/stack_2", "Const"),
            ("strided_slice", "StridedSlice"),
            ("Fill/dims/1", "Const"),
            ("Fill/dims", "Pack"),
            ("Fill/value", "Const"),
            ("Fill", "Fill"),
        ],
        "Fill",
        "float32",
        [None, 3],
    ),
    (
        "tf.fill(tf.shape(u), 2.0)",
        [("Shape", "Shape"), ("Fill/value", "Const"), ("Fill", "Fill")],
        "Fill",
        "float32",
        [None, 3, 4],
    ),
    (
        "tf.fill(np.array([2], np.int64), True)",
        [("Fill/dims", "Const"), ("Fill/value", "Const"), ("Fill", "Fill")],
        "Fill",
        "bool",
        [2],
    ),
    ("tf.zeros([2, 3])", [("zeros", "Const")], "zeros", "float32", [2, 3]),
    ("tf.ones([4], tf.int32)", [("ones", "Const")], "ones", "int32", [4]),
    ("tf.zeros([2], name='op')", [("op", "Const")], "op", "float32", [2]),
    ("tf.zeros([], tf.bool)", [("zeros", "Const")], "zeros", "bool", []),
    ("tf.ones((2, 2), tf.bool)", [("ones", "Const")], "ones", "bool", [2, 2]),
    (
        "tf.zeros([5, 5, 32, 32])",
        [("zeros/shape_as_tensor", "Const"), ("zeros/Const", "Const"), ("zeros", "Fill")],
        "zeros",
        "float32",
        [5, 5, 32, 32],
    ),
    (
        "tf.ones([1000])",
        [("ones/shape_as_tensor", "Const"), ("ones/Const", "Const"), ("ones", "Fill")],
        "ones",
        "float32",
        [1000],
    ),
    ("tf.zeros([999])", [("zeros", "Const")], "zeros", "float32", [999]),
    (
        "tf.ones([10, 100], name='op')",
        [("op/shape_as_tensor", "Const"), ("op/Const", "Const"), ("op", "Fill")],
        "op",
        "float32",
        [10, 100],
    ),
    (
        "tf.zeros(d)",
        [("zeros/Const", "Const"), ("zeros", "Fill")],
        "zeros",
        "float32",
        [None, None],
    ),
    (
        "tf.ones(d, tf.int64)",
        [("ones/Const", "Const"), ("ones", "Fill")],
        "ones",
        "int64",
        [None, None],
    ),
    (
        "tf.zeros(tf.placeholder(tf.int64, [2]))",
        [("Placeholder", "Placeholder"), ("zeros/Const", "Const"), ("zeros", "Fill")],
        "zeros",
        "float32",
        [None, None],
    ),
    ("tf.zeros(tf.TensorShape([2, 3]))", [("zeros", "Const")], "zeros", "float32", [2, 3]),
    ("tf.zeros([2], tf.string)", [("zeros", "Const")], "zeros", "string", [2]),
    (
        "tf.zeros([tf.shape(u)[0], 3])",
        [
            ("Shape", "Shape"),
            ("strided_slice/stack", "Const"),
            ("strided_slice/stack_1", "Const"),
            ("strided_slice/stack_2", "Const"),
            ("strided_slice", "StridedSlice"),
            ("zeros/packed/1", "Const"),
            ("zeros/packed", "Pack"),
            ("zeros/Const", "Const"),
            ("zeros", "Fill"),
        ],
        "zeros",
        "float32",
        [None, 3],
    ),
    (
        "tf.ones(tf.shape(u))",
        [("Shape", "Shape"), ("ones/Const", "Const"), ("ones", "Fill")],
        "ones",
        "float32",
        [None, 3, 4],
    ),
    (
        "tf.zeros(tf.TensorShape([10, 100]))",
        [("zeros/shape_as_tensor", "Const"), ("zeros/Const", "Const"), ("zeros", "Fill")],
        "zeros",
        "float32",
        [10, 100],
    ),
    ("tf.stack([x, x])", [("stack", "Pack")], "stack", "float32", [2, 2, 3, 4]),
    ("tf.stack([x, x], axis=1)", [("stack", "Pack")], "stack", "float32", [2, 2, 3, 4]),
    ("tf.stack([x, x], axis=-1, name='op')", [("op", "Pack")], "op", "float32", [2, 3, 4, 2]),
    ("tf.stack([1.0, 2.0])", [("stack", "Const")], "stack", "float32", [2]),
    ("tf.stack([s, 1.0])", [("stack/1", "Const"), ("stack", "Pack")], "stack", "float32", [2]),
    ("tf.stack([1.0, s])", [("stack/0", "Const"), ("stack", "Pack")], "stack", "float32", [2]),
    (
        "tf.stack([s, 1.0], axis=-1)",
        [("stack/values_1", "Const"), ("stack", "Pack")],
        "stack",
        "float32",
        [2],
    ),
    ("tf.stack([x, x], axis=-4)", [("stack", "Pack")], "stack", "float32", [2, 2, 3, 4]),
    ("tf.stack([x])", [("stack", "Pack")], "stack", "float32", [1, 2, 3, 4]),
    (
        "tf.stack([tf.placeholder(tf.float32, [None, 2]), tf.placeholder(tf.float32, [3, None])])",
        [("Placeholder", "Placeholder"), ("Placeholder_1", "Placeholder"), ("stack", "Pack")],
        "stack",
        "float32",
        [2, 3, 2],
    ),
    ("tf.stack([])", [("stack", "Const")], "stack", "float32", [0]),
    ("tf.stack([1, 2], name='op')", [("op", "Const")], "op", "int32", [2]),
    ("tf.stack([s, s], name='op/')", [("op", "Pack")], "op", "float32", [2]),
    (
        "tf.stack([[s, 1.0], [2.0, 3.0]])",
        [("stack/0/1", "Const"), ("stack/0", "Pack"), ("stack/1_1", "Const"), ("stack", "Pack")],
        "stack",
        "float32",
        [2, 2],
    ),
    (
        "tf.placeholder_with_default(1.0, [])",
        [
            ("PlaceholderWithDefault/input", "Const"),
            ("PlaceholderWithDefault", "PlaceholderWithDefault"),
        ],
        "PlaceholderWithDefault",
        "float32",
        [],
    ),
    (
        "tf.placeholder_with_default([1.0, 2.0], [None], name='op')",
        [("op/input", "Const"), ("op", "PlaceholderWithDefault")],
        "op",
        "float32",
        [None],
    ),
    (
        "tf.placeholder_with_default(tf.constant([1, 2]), [None])",
        [("Const", "Const"), ("PlaceholderWithDefault", "PlaceholderWithDefault")],
        "PlaceholderWithDefault",
        "int32",
        [None],
    ),
    (
        "tf.placeholder_with_default(x, None)",
        [("PlaceholderWithDefault", "PlaceholderWithDefault")],
        "PlaceholderWithDefault",
        "float32",
        None,
    ),
    (
        "tf.placeholder(tf.float32)",
        [("Placeholder", "Placeholder")],
        "Placeholder",
        "float32",
        None,
    ),
    (
        "tf.placeholder(tf.int32, [None, 3], name='op')",
        [("op", "Placeholder")],
        "op",
        "int32",
        [None, 3],
    ),
    (
        "tf.placeholder('float', (2,))",
        [("Placeholder", "Placeholder")],
        "Placeholder",
        "float32",
        [2],
    ),
    (
        "tf.placeholder(tf.float32, None)",
        [("Placeholder", "Placeholder")],
        "Placeholder",
        "float32",
        None,
    ),
    (
        "tf.placeholder(tf.float32, [])",
        [("Placeholder", "Placeholder")],
        "Placeholder",
        "float32",
        [],
    ),
    (
        "tf.placeholder(tf.float32, tf.TensorShape([None]))",
        [("Placeholder", "Placeholder")],
        "Placeholder",
        "float32",
        [None],
    ),
    (
        "tf.placeholder(np.float64, 3)",
        [("Placeholder", "Placeholder")],
        "Placeholder",
        "float64",
        [3],
    ),
    (
        "tf.placeholder(tf.string, [2])",
        [("Placeholder", "Placeholder")],
        "Placeholder",
        "string",
        [2],
    ),
]


@pytest.mark.parametrize(("expr", "ops", "result", "dtype", "shape"), EXPRESSIONS)
def test_expression_builds_tf1_ops(graph, env, expr, ops, result, dtype, shape):
    before = len(graph.get_operations())
    t = eval(expr, env)
    assert _added(graph, before) == ops
    assert (t.op.name, t.dtype.name, _dims(t)) == (result, dtype, shape)


# -- slicing: TF's sparse spec --------------------------------------------------------------

SLICE_SPECS = [
    # (index of x[...] for x of shape [2, 3, 4]) -> (begin, end, ellipsis, new axis and shrink
    # masks), the constant begin/end/strides (None: a packed tensor), the Index attr
    ("0", (0, 0, 0, 0, 1), [[0], [1], [1]], "int32"),
    ("-1", (0, 0, 0, 0, 1), [[-1], [0], [1]], "int32"),
    ("1:", (0, 1, 0, 0, 0), [[1], [0], [1]], "int32"),
    (":2", (1, 0, 0, 0, 0), [[0], [2], [1]], "int32"),
    ("::2", (1, 1, 0, 0, 0), [[0], [0], [2]], "int32"),
    ("::-1", (1, 1, 0, 0, 0), [[0], [0], [-1]], "int32"),
    ("1::-1", (0, 1, 0, 0, 0), [[1], [0], [-1]], "int32"),
    ("..., 0", (0, 0, 1, 0, 2), [[0, 0], [0, 1], [1, 1]], "int32"),
    ("..., 1:3", (0, 0, 1, 0, 0), [[0, 1], [0, 3], [1, 1]], "int32"),
    ("tf.newaxis", (0, 0, 0, 1, 0), [[0], [0], [1]], "int32"),
    ("None, ..., None", (0, 0, 2, 5, 0), [[0, 0, 0], [0, 0, 0], [1, 1, 1]], "int32"),
    ("0, 1, 2", (0, 0, 0, 0, 7), [[0, 1, 2], [1, 2, 3], [1, 1, 1]], "int32"),
    (":, tf.newaxis, 1", (1, 1, 0, 2, 4), [[0, 0, 1], [0, 0, 2], [1, 1, 1]], "int32"),
    ("-2:", (0, 1, 0, 0, 0), [[-2], [0], [1]], "int32"),
    (":, ::-2", (3, 3, 0, 0, 0), [[0, 0], [0, 0], [1, -2]], "int32"),
    ("0, ..., ::-1", (4, 4, 2, 0, 1), [[0, 0, 0], [1, 0, 0], [1, 1, -1]], "int32"),
    ("1, :, tf.newaxis, ...", (2, 2, 8, 4, 1), [[1, 0, 0, 0], [2, 0, 0, 0], [1, 1, 1, 1]], "int32"),
    ("()", (0, 0, 0, 0, 0), [[], [], []], "int32"),
    ("1:n", (0, 0, 0, 0, 0), [None, None, None], "int64"),
    ("i", (0, 0, 0, 0, 1), [None, None, [1]], "int32"),
]

_MASKS = ("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask")


@pytest.mark.parametrize(("index", "masks", "values", "index_dtype"), SLICE_SPECS)
def test_slice_spec_attrs(env, index, masks, values, index_dtype):
    op = eval(f"x[{index}]", env).op
    assert tuple(op.get_attr(m) for m in _MASKS) == masks
    got = [t.op.get_attr("value").tolist() if t.op.type == "Const" else None for t in op.inputs[1:]]
    assert got == values
    assert op.get_attr("Index").name == index_dtype


def test_slices_in_a_name_scope_and_of_a_dimension(env):
    with tf.name_scope("scope"):
        t = env["x"][0]
    assert (t.op.name, t.op.inputs[1].op.name) == (
        "scope/strided_slice",
        "scope/strided_slice/stack",
    )
    # deliberate: TF packs a Dimension bound through stray "values_0" constants
    u = env["x"][: env["x"].shape[1]]
    assert [i.op.type for i in u.op.inputs[1:]] == ["Const"] * 3
    assert u.shape.as_list() == [2, 3, 4]


# -- what TF1 rejects -----------------------------------------------------------------------

ERRORS = [
    # (expression, error, message)
    ("x[3]", ValueError, "slice index 3 of dimension 0 out of bounds."),
    ("x[:, 3]", ValueError, "slice index 3 of dimension 1 out of bounds."),
    ("x[-3]", ValueError, "slice index -3 of dimension 0 out of bounds."),  # TF: "index -1"
    ("x[0, 0, 0, 0]", ValueError, "Index out of range using input dim 3; input has only 3 dims"),
    ("x[..., ...]", ValueError, "Multiple ellipses in slice spec not allowed"),
    ("x[::0]", ValueError, "strides[0] must be non-zero"),
    ("x[1.5]", TypeError, "Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`)"),
    ("x['a']", TypeError, "are valid indices, got 'a'"),
    ("x[d]", TypeError, "are valid indices, got <tf.Tensor 'd:0' shape=(2,) dtype=int32>"),
    ("x[s]", TypeError, "are valid indices, got <tf.Tensor 's:0' shape=() dtype=float32>"),
    ("x[True]", TypeError, "are valid indices, got True"),  # deliberate: TF's boolean_mask
    ("tf.reshape(x, [5, 5])", ValueError,
     "Cannot reshape a tensor with 24 elements to shape [5,5] (25 elements) for "
     "'{{node Reshape}} = Reshape(x, Reshape/shape)' with input shapes: [2,3,4], [2]."),
    ("tf.reshape(x, [5, -1])", ValueError, "Dimension size must be evenly divisible by 5 but is"),
    ("tf.reshape(x, [-2, 12])", ValueError, "Invalid value in tensor used for shape: -2"),
    # deliberate: TF infers (?, ?) and fails only when the graph runs
    ("tf.reshape(x, [-1, -1])", ValueError, "Cannot infer multiple unknown dimensions in shape"),
    ("tf.reshape(u, [5, 2])", ValueError, "evenly divisible by 12 but is 10"),
    ("tf.reshape(tf.placeholder(tf.float32, [None, 0]), [3, 4])", ValueError,
     "Cannot reshape a tensor with 0 elements to shape [3,4] (12 elements)"),
    ("tf.reshape(x, [2.0, 12])", TypeError,
     "Value passed to parameter 'shape' has DataType float32 not in list of allowed values: "
     "int32, int64"),
    ("tf.reshape(x, [[2, 12]])", ValueError, "Shape must be rank 1 but is rank 2"),
    ("tf.transpose(x, [0, 1])", ValueError, "Dimension must be 3 but is 2"),
    # deliberate: TF accepts a repeated axis while building and fails when the graph runs
    ("tf.transpose(x, [0, 1, 1])", ValueError, "perm [0, 1, 1] is not a permutation of [0, "),
    ("tf.transpose(tf.placeholder(tf.float32))", NotImplementedError, "pass perm explicitly"),
    ("tf.matrix_transpose(d)", ValueError, "Argument `a` should be a (batch) matrix with rank"),
    ("tf.linalg.diag_part(d)", ValueError, "Shape must be at least rank 2 but is rank 1"),
    # deliberate: TF folds tf.shape of a known shape into a float32 constant
    ("tf.shape(x, out_type=tf.float32)", TypeError,
     "Value passed to parameter 'out_type' has DataType float32 not in list of allowed values"),
    ("tf.fill([2, 3], [1.0, 2.0])", ValueError, "Shape must be rank 0 but is rank 1"),
    ("tf.fill([2.0], 1.0)", TypeError, "Value passed to parameter 'dims' has DataType float32"),
    ("tf.zeros([None, 3])", TypeError, "Expected int32, but got None of type 'NoneType'"),
    ("tf.ones([None])", TypeError, "Expected int32, but got None of type 'NoneType'"),
    ("tf.stack([x, x], axis=4)", ValueError, "Argument `axis` = 4 not in range [-4, 4)"),
    ("tf.stack([x, x], axis=-5)", ValueError, "Argument `axis` = -5 not in range [-4, 4)"),
    ("tf.stack([x, tf.placeholder(tf.float32, [3, 4])])", ValueError,
     "Shapes must be equal rank, but are 3 and 2"),
    ("tf.stack([d, tf.placeholder(tf.int32, [3])])", ValueError,
     "Dimension 0 in both shapes must be equal, but are 2 and 3. Shapes are [2] and [3]."),
    ("tf.stack([s, i])", TypeError,
     "Tensors in list passed to 'values' of 'Pack' Op have types [float32, int32] that don't "
     "all match."),
    ("tf.placeholder_with_default([1.0, 2.0], [3])", ValueError,
     "Dimension 0 in both shapes must be equal, but are 2 and 3. Shapes are [2] and [3]."),
    ("tf.placeholder(tf.float32, 'abc')", TypeError, "Error converting shape to a TensorShape"),
    ("tf.placeholder(tf.float32, [1.5])", TypeError, "Error converting shape to a TensorShape"),
    ("tf.placeholder(tf.float32, [-2])", ValueError, "Dimension -2 must be >= 0"),
    ("tf.placeholder('foo')", TypeError, "Expected DataType for argument 'dtype' not 'foo'"),
    ("tf.placeholder(None)", TypeError, "Expected DataType for argument 'dtype' not None"),
    ("tf.placeholder(5.5)", TypeError, "Expected DataType for argument 'dtype' not 5.5"),
]  # fmt: skip


@pytest.mark.parametrize(("expr", "error", "message"), ERRORS)
def test_errors(graph, env, expr, error, message):
    assert_build_error(graph, env, expr, error, message)


# -- deliberate differences -----------------------------------------------------------------


def test_no_stray_constants_where_tf_leaves_them(graph, env):
    # TF also leaves a float32 "Reshape/shape" and names the used one "Reshape/shape_1".
    t = tf.reshape(tf.placeholder(tf.float32, [1, 1], name="one"), [])
    assert [i.op.name for i in t.op.inputs] == ["one", "Reshape/shape"]
    assert t.op.inputs[1].dtype == tf.int32
    # TF first converts values[0] as a stray Const "stack", then names the Pack "stack_1".
    before = len(graph.get_operations())
    u = tf.stack([np.ones(2), np.zeros(2)], axis=1)
    assert _added(graph, before) == [
        ("stack/values_0", "Const"),
        ("stack/values_1", "Const"),
        ("stack", "Pack"),
    ]
    assert (u.dtype.name, u.shape.as_list()) == ("float64", [2, 2])


def test_diag_part_builds_matrix_diag_part(graph, env):
    # deliberate: TF 2.21 builds MatrixDiagPartV3 with "k" and "padding_value" inputs.
    before = len(graph.get_operations())
    t = tf.linalg.diag_part(env["x"])
    assert _added(graph, before) == [("diag_part", "MatrixDiagPart")]
    assert t.shape.as_list() == [2, 3]
    assert tf.linalg.diag_part(tf.placeholder(tf.float32, [None, 4])).shape.as_list() == [None]


def test_placeholder_attrs():
    p = tf.placeholder(tf.float32, [None, 3], name="p")
    assert p.op.get_attr("dtype") == tf.float32
    assert p.op.get_attr("shape").as_list() == [None, 3]
    with tf.name_scope("s"):
        assert tf.placeholder(tf.float32, name="x").name == "s/x:0"


def test_slice_builds_tf1s_op_and_static_shape(graph, env):
    before = len(graph.get_operations())
    t = tf.slice(env["u"], [0, 1, 0], [-1, 2, 3])
    assert _added(graph, before) == [
        ("Slice/begin", "Const"),
        ("Slice/size", "Const"),
        ("Slice", "Slice"),
    ]
    assert (t.op.get_attr("Index"), t.shape.as_list()) == (tf.int32, [None, 2, 3])
    assert tf.slice(env["x"], [0, -0, 1], [2, -1, 3]).shape.as_list() == [2, 3, 3]
    assert tf.slice(env["x"], env["d"][:1] * [1, 1, 1], [1, 1, 1]).shape.as_list() == [1, 1, 1]


@pytest.mark.parametrize(
    ("begin", "size", "error", "message"),
    [
        ([0, 1], [2, 3], ValueError, "Shape must be rank 2 but is rank 3"),
        (
            [0, 0, 0],
            np.array([1, 1, 1], np.int64),
            TypeError,
            "Input 'size' of 'Slice' Op has type int64 that does not match type int32 of argument "
            "'begin'.",
        ),
        # deliberate: TF 2.21 finds these only at run time.
        ([0, 1, 0], [2, 3, 4], ValueError, "Expected size[1] in [0, 2], but got 3"),
        ([0, -1, 0], [2, 1, 4], ValueError, "Expected begin[1] in [0, 3], but got -1"),
    ],
)
def test_slice_errors(env, begin, size, error, message):
    with pytest.raises(error) as info:
        tf.slice(env["x"], begin, size)
    assert message in str(info.value)
