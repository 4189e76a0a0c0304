"""Tests for scopeflow/ops/sparse/: the sparse functions build TF1's ops, names, attributes and
static shapes, forward and in their gradients, and reject what TF1 rejects while building.

Expected records were read from TensorFlow 2.21 (``tensorflow.compat.v1``, graph mode) by
``tools/tf_reference.py`` (tests/data/tf_reference/sparse.py); differences kept on purpose are
marked "deliberate".
"""

from __future__ import annotations

import pytest

from tests.ops.graph_checks import built, check_against, expected, setup_of, tf_reference

REFERENCE = tf_reference("sparse")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]

_REDUCE_SUM_GRAD = "tf.gradients(tf.sparse_reduce_sum(tf.SparseTensor(i, v, s), 1), v)"
_GRAD = "gradients/SparseReduceSum_grad/"

# Where scopeflow does something else than TF 2.21: expression -> what it does instead.
DIFFERENCES = {
    # deliberate: TF1's reduced_shape builds a DynamicStitch (an op scopeflow does not have)
    # for the shape with the reduced axes kept; scopeflow picks from a mask instead
    _REDUCE_SUM_GRAD: built(
        [
            ("SparseReduceSum/reduction_axes", "Const"),
            ("SparseReduceSum", "SparseReduceSum"),
            ("gradients/Shape", "Shape"),
            ("gradients/grad_ys_0/Const", "Const"),
            ("gradients/grad_ys_0", "Fill"),
            (_GRAD + "Size", "Const"),
            (_GRAD + "add", "AddV2"),
            (_GRAD + "mod", "FloorMod"),
            (_GRAD + "range/start", "Const"),
            (_GRAD + "range/delta", "Const"),
            (_GRAD + "range", "Range"),
            (_GRAD + "Reshape/shape", "Const"),
            (_GRAD + "Reshape", "Reshape"),
            (_GRAD + "Reshape_1/shape", "Const"),
            (_GRAD + "Reshape_1", "Reshape"),
            (_GRAD + "Equal", "Equal"),
            (_GRAD + "Any/reduction_indices", "Const"),
            (_GRAD + "Any", "Any"),
            (_GRAD + "ones_like/Shape/shape_as_tensor", "Const"),
            (_GRAD + "ones_like/Const", "Const"),
            (_GRAD + "ones_like", "Fill"),
            (_GRAD + "SelectV2", "SelectV2"),
            (_GRAD + "Reshape_2", "Reshape"),
            (_GRAD + "floordiv", "FloorDiv"),
            (_GRAD + "floordiv_1", "FloorDiv"),
            (_GRAD + "GatherNd", "GatherNd"),
        ]
    ),
}


@pytest.mark.parametrize("expression", list(GROUPS["BUILDS"]))
def test_builds_tf1_ops_and_static_shapes(graph, env, expression):
    want = expected(GROUPS["BUILDS"][expression], DIFFERENCES.get(expression))
    check_against(graph, env, expression, want)


@pytest.mark.parametrize("expression", list(GROUPS["GRADIENTS"]))
def test_gradients_build_tf1_ops(graph, env, expression):
    want = expected(GROUPS["GRADIENTS"][expression], DIFFERENCES.get(expression))
    check_against(graph, env, expression, want)


@pytest.mark.parametrize("expression", list(GROUPS["BUILD_ERRORS"]))
def test_build_errors(graph, env, expression):
    want = expected(GROUPS["BUILD_ERRORS"][expression], DIFFERENCES.get(expression))
    check_against(graph, env, expression, want, left=None)


def test_every_difference_is_a_recorded_expression():
    recorded = {expr for records in GROUPS.values() for expr in records}
    assert set(DIFFERENCES) - recorded == set()
