"""Tests for scopeflow/ops/math/selection.py: ``tf.where`` and ``tf.where_v2`` build TF1's ops
(names, types, dtypes, static shapes, attributes) and reject what TF1 rejects. Their kernels
are checked in math/test_kernels.py.

Every expected value is TensorFlow 2.21's own (``tensorflow.compat.v1``, graph mode), recorded
in ``tests/data/tf_reference/selection.json`` by ``tools/tf_reference.py`` from the expressions
in ``tests/data/tf_reference/selection.py``; scopeflow differs from it nowhere here.
"""

from __future__ import annotations

import pytest

import scopeflow as tf
from tests.ops.graph_checks import check_against, expected, setup_of, tf_reference

REFERENCE = tf_reference("selection")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]


@pytest.mark.parametrize("expr", list(GROUPS["EXPRESSIONS"]))
def test_expression_builds_tf1_ops(graph, env, expr):
    check_against(graph, env, expr, expected(GROUPS["EXPRESSIONS"][expr], None))


@pytest.mark.parametrize("expr", list(GROUPS["ERRORS"]))
def test_errors(graph, env, expr):
    check_against(graph, env, expr, expected(GROUPS["ERRORS"][expr], None))


def test_select_gradient_takes_zeros_like_the_first_branch_as_tf_2_21(graph):
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    tf.gradients(tf.where(x > 0.0, x, -x), x)
    zeros = graph.get_operation_by_name("gradients/Select_grad/zeros_like")
    assert (zeros.type, [t.name for t in zeros.inputs]) == ("ZerosLike", ["x:0"])
