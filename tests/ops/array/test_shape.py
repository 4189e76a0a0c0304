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
from tests.ops.graph_checks import built, check_against, expected, setup_of, tf_reference
from tests.ops.kernel_table import Case, cases_by_mode, check_case

REFERENCE = tf_reference("shape")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]

# Where scopeflow does something else than TF 2.21: expression -> what it does instead.
DIFFERENCES = {
    # deliberate: TF1 forgets the rank when the axis is a tensor; it is one more than x's.
    "tf.expand_dims(x, s)": built([("ExpandDims", "ExpandDims")], shape=[None] * 4),
}

A = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
S = np.array([[b"a", b"bc"], [b"", b"d"]], dtype=object)


@pytest.mark.parametrize("expression", list(GROUPS["BUILDS"]))
def test_builds_tf1_ops_and_static_shapes(graph, env, expression):
    want = expected(GROUPS["BUILDS"][expression], DIFFERENCES.get(expression))
    check_against(graph, env, expression, want)


def test_squeeze_records_its_axes(env):
    assert env["tf"].squeeze(env["u"], -1).op.get_attr("squeeze_dims") == [-1]
    assert env["tf"].squeeze(env["u"]).op.get_attr("squeeze_dims") == []


@pytest.mark.parametrize("expression", list(GROUPS["BUILD_ERRORS"]))
def test_build_errors(graph, env, expression):
    want = expected(GROUPS["BUILD_ERRORS"][expression], DIFFERENCES.get(expression))
    check_against(graph, env, expression, want, left=None)


def test_every_difference_is_a_recorded_expression():
    recorded = {expr for records in GROUPS.values() for expr in records}
    assert set(DIFFERENCES) - recorded == set()


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
