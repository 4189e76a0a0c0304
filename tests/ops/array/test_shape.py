"""Tests for scopeflow/ops/shape_ops.py: ``size``, ``rank``, ``squeeze``, ``expand_dims``,
``zeros_like`` and ``ones_like`` build TF1's ops (or constants where TF1 folds them), names,
dtypes and static shapes, and their kernels match NumPy.

Expected names, shapes and messages were read from TensorFlow 2.21 (``tensorflow.compat.v1``,
graph mode); differences kept on purpose are marked "deliberate".
"""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.graph_checks import dims as _dims
from tests.ops.kernel_table import Case, cases_by_mode, check_case

SETUP = {
    "x": (tf.float32, [2, 3, 4]),
    "u": (tf.float32, [None, 3, 1]),
    "w": (tf.float32, None),
    "big": (tf.float32, [40, 40]),
    "z": (tf.float32, [None, 0]),
    "s": (tf.int32, []),
}

A = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
S = np.array([[b"a", b"bc"], [b"", b"d"]], dtype=object)


# fmt: off
BUILDS = [
    # (expression, ops it adds as (name, type), dtype, static shape)
    ("tf.size(x)", [("Size", "Const")], "int32", []),
    ("tf.size(z)", [("Size", "Const")], "int32", []),
    ("tf.size(w, out_type=tf.int64)", [("Size", "Size")], "int64", []),
    ("tf.rank(u)", [("Rank", "Const")], "int32", []),
    ("tf.rank(w)", [("Rank", "Rank")], "int32", []),
    ("tf.rank([[1, 2]])", [("Rank/Const", "Const"), ("Rank", "Const")], "int32", []),
    ("tf.squeeze(u)", [("Squeeze", "Squeeze")], "float32", None),
    ("tf.squeeze(u, [2])", [("Squeeze", "Squeeze")], "float32", [None, 3]),
    ("tf.squeeze(u, -1)", [("Squeeze", "Squeeze")], "float32", [None, 3]),
    ("tf.squeeze(u, 0)", [("Squeeze", "Squeeze")], "float32", [3, 1]),
    ("tf.squeeze(u, squeeze_dims=[0])", [("Squeeze", "Squeeze")], "float32", [3, 1]),
    ("tf.squeeze(tf.zeros([1, 2, 1, 1]))", [("zeros", "Const"), ("Squeeze", "Squeeze")],
     "float32", [2]),
    ("tf.expand_dims(x, 1)", [("ExpandDims/dim", "Const"), ("ExpandDims", "ExpandDims")],
     "float32", [2, 1, 3, 4]),
    ("tf.expand_dims(x, dim=-1)", [("ExpandDims/dim", "Const"), ("ExpandDims", "ExpandDims")],
     "float32", [2, 3, 4, 1]),
    ("tf.expand_dims(x, [1])", [("ExpandDims/dim", "Const"), ("ExpandDims", "ExpandDims")],
     "float32", [2, 1, 3, 4]),
    ("tf.expand_dims(w, 0)", [("ExpandDims/dim", "Const"), ("ExpandDims", "ExpandDims")],
     "float32", None),
    # Deliberate: TF1 forgets the rank when the axis is a tensor; it is one more than x's.
    ("tf.expand_dims(x, s)", [("ExpandDims", "ExpandDims")], "float32", [None] * 4),
    ("tf.zeros_like(u)", [("zeros_like", "ZerosLike")], "float32", [None, 3, 1]),
    ("tf.zeros_like(w)", [("zeros_like", "ZerosLike")], "float32", None),
    ("tf.zeros_like(u, name='zz')", [("zz", "ZerosLike")], "float32", [None, 3, 1]),
    ("tf.zeros_like(x)", [("zeros_like", "Const")], "float32", [2, 3, 4]),
    ("tf.zeros_like(x, dtype=tf.bool)", [("zeros_like", "Const")], "bool", [2, 3, 4]),
    ("tf.zeros_like([1, 2, 3])", [("zeros_like/tensor", "Const"), ("zeros_like", "Const")],
     "int32", [3]),
    ("tf.zeros_like(big)", [("zeros_like/shape_as_tensor", "Const"),
                            ("zeros_like/Const", "Const"), ("zeros_like", "Fill")],
     "float32", [40, 40]),
    ("tf.zeros_like(u, dtype=tf.int32)", [("zeros_like/Shape", "Shape"),
                                          ("zeros_like/Const", "Const"), ("zeros_like", "Fill")],
     "int32", [None, 3, 1]),
    ("tf.ones_like(u)", [("ones_like/Shape", "Shape"), ("ones_like/Const", "Const"),
                         ("ones_like", "Fill")], "float32", [None, 3, 1]),
    ("tf.ones_like(u, dtype=tf.int64)", [("ones_like/Shape", "Shape"),
                                         ("ones_like/Const", "Const"), ("ones_like", "Fill")],
     "int64", [None, 3, 1]),
    ("tf.ones_like(x)", [("ones_like/Shape/shape_as_tensor", "Const"),
                         ("ones_like/Const", "Const"), ("ones_like", "Fill")],
     "float32", [2, 3, 4]),
]
# fmt: on


@pytest.mark.parametrize(
    ("expression", "ops", "dtype", "shape"), BUILDS, ids=[b[0] for b in BUILDS]
)
def test_builds_tf1_ops_and_static_shapes(graph, env, expression, ops, dtype, shape):
    before = len(graph.get_operations())
    t = eval(expression, env)
    assert [(op.name, op.type) for op in graph.get_operations()[before:]] == ops
    assert (t.dtype.name, _dims(t)) == (dtype, shape)


def test_squeeze_records_its_axes(env):
    assert env["tf"].squeeze(env["u"], -1).op.get_attr("squeeze_dims") == [-1]
    assert env["tf"].squeeze(env["u"]).op.get_attr("squeeze_dims") == []


# fmt: off
BUILD_ERRORS = [
    ("tf.size(w, out_type=tf.float32)", TypeError,
     "Value passed to parameter 'out_type' has DataType float32 not in list of allowed values: "
     "int32, int64"),
    ("tf.squeeze(x, [1])", ValueError,
     "Can not squeeze dim[1], expected a dimension of 1, got 3"),
    ("tf.squeeze(x, [3])", ValueError, "squeeze_dims[0] not in [-3,3)."),
    ("tf.squeeze(u, axis=[2], squeeze_dims=[2])", ValueError,
     "Cannot specify both 'squeeze_dims' and 'axis'."),
    ("tf.expand_dims(x, 4)", ValueError, "dim 4 not in the interval [-4, 3]."),
    ("tf.expand_dims(x, -5)", ValueError, "dim -5 not in the interval [-4, 3]."),
    ("tf.expand_dims(x, None)", ValueError, "Must specify an axis argument to tf.expand_dims()"),
    ("tf.expand_dims(x, axis=1, dim=1)", ValueError, "Cannot specify both 'dim' and 'axis'."),
    ("tf.expand_dims(x, tf.constant([1, 2]))", ValueError,
     "'dim' input must be a tensor with a single value"),
    ("tf.expand_dims(x, 1.0)", TypeError,
     "Value passed to parameter 'dim' has DataType float32 not in list of allowed values: "
     "int32, int64"),
]
# fmt: on


@pytest.mark.parametrize(
    ("expression", "error", "message"), BUILD_ERRORS, ids=[e[0] for e in BUILD_ERRORS]
)
def test_build_errors(env, expression, error, message):
    with pytest.raises(error) as info:
        eval(expression, env)
    assert message in str(info.value)


# -- kernels ------------------------------------------------------------------------------

# fmt: off
CASES = [
    # Known shapes fold into constants: the ops only exist for unknown ones.
    Case("size", "Size", lambda x: tf.size(x), (A,), lambda a: np.int32(24),
         modes=("dims", "rank")),
    Case("size-int64-empty", "Size", lambda x: tf.size(x, out_type=tf.int64),
         (np.zeros((3, 0)),), lambda a: np.int64(0), modes=("rank",)),
    Case("rank", "Rank", lambda x: tf.rank(x), (S,), lambda s: np.int32(2), modes=("rank",)),
    Case("rank-scalar", "Rank", lambda x: tf.rank(x), (np.float64(2),), lambda s: np.int32(0),
         modes=("rank",)),
    Case("squeeze", "Squeeze", lambda x: tf.squeeze(x), (A.reshape(1, 2, 1, 12),),
         lambda a: a.reshape(2, 12)),
    Case("squeeze-axis", "Squeeze", lambda x: tf.squeeze(x, [-2]), (A.reshape(2, 1, 1, 12),),
         lambda a: a.reshape(2, 1, 12)),
    Case("squeeze-nothing", "Squeeze", lambda x: tf.squeeze(x), (S,), lambda s: s),
    Case("squeeze-to-scalar", "Squeeze", lambda x: tf.squeeze(x), (np.ones((1, 1), np.int8),),
         lambda a: np.int8(1)),
    Case("expand_dims", "ExpandDims", lambda x: tf.expand_dims(x, 1), (A,),
         lambda a: a[:, None]),
    Case("expand_dims-last", "ExpandDims", lambda x: tf.expand_dims(x, -1), (S,),
         lambda s: s[..., None]),
    Case("expand_dims-scalar", "ExpandDims", lambda x: tf.expand_dims(x, 0), (np.int64(5),),
         lambda v: np.array([5], np.int64)),
    Case("expand_dims-fed", "ExpandDims", lambda x, k: tf.expand_dims(x, k),
         (A, np.array([-2], np.int64)), lambda a, k: a[:, :, None], exact_static=False),
    Case("zeros_like", "ZerosLike", lambda x: tf.zeros_like(x), (A,), lambda a: np.zeros_like(a),
         modes=("dims", "rank")),
    Case("zeros_like-bool", "ZerosLike", lambda x: tf.zeros_like(x), (np.ones(3, bool),),
         lambda a: np.zeros(3, bool), modes=("dims", "rank")),
    Case("zeros_like-strings", "ZerosLike", lambda x: tf.zeros_like(x), (S,),
         lambda s: np.full((2, 2), b"", object), modes=("dims",)),
    Case("ones_like", "Fill", lambda x: tf.ones_like(x), (A,), lambda a: np.ones_like(a)),
    Case("ones_like-dtype", "Fill", lambda x: tf.ones_like(x, dtype=tf.int64), (A,),
         lambda a: np.ones((2, 3, 4), np.int64)),
    Case("zeros_like-dtype", "Fill", lambda x: tf.zeros_like(x, dtype=tf.bool), (A,),
         lambda a: np.zeros((2, 3, 4), bool), modes=("dims", "rank")),
]
# fmt: on


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_matches_numpy(run, case, mode):
    check_case(run, case, mode)


# fmt: off
RUNTIME_ERRORS = [
    ("squeeze-not-one", lambda x, v: tf.squeeze(x, [0]), A,
     "Can not squeeze dim[0], expected a dimension of 1, got 2"),
    ("expand_dims-range", lambda x, v: tf.expand_dims(x, v[0]), A,
     "Tried to expand dim index 7 for tensor with 3 dimensions."),
    ("expand_dims-vector", lambda x, v: tf.expand_dims(x, v), A,
     "'dim' input must be a tensor with a single value, got shape [2]"),
]
# fmt: on


@pytest.mark.parametrize(
    ("build", "x_value", "message"), [pytest.param(*c[1:], id=c[0]) for c in RUNTIME_ERRORS]
)
def test_runtime_errors_name_the_problem(run, build, x_value, message):
    x = tf.placeholder(tf.float32, None, name="x")
    v = tf.placeholder(tf.int32, [None], name="v")
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        run(build(x, v), {x: x_value, v: [7, 1]})
    assert message in info.value.message
