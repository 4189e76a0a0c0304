"""Tests for scopeflow/ops/nn/: ``tf.nn.conv2d`` (padding, strides, dilations), activations,
``bias_add`` and ``l2_loss`` build TF1's ops, names, dtypes, static shapes and attributes, and
reject what TF1 rejects.

Every expected value is TensorFlow 2.21's own (``tensorflow.compat.v1``, graph mode), recorded
in ``tests/data/tf_reference/nn.json`` by ``tools/tf_reference.py`` from the expressions in
``tests/data/tf_reference/nn.py``; where scopeflow differs, ``DIFFERENCES`` says what it does
instead and why.
"""

from __future__ import annotations

import pytest

import scopeflow as tf
from tests.ops.graph_checks import check_against, expected, raised, setup_of, tf_reference

REFERENCE = tf_reference("nn")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]

# Where scopeflow does something else than TF 2.21: expression -> what it does instead.
DIFFERENCES = {
    # deliberate: NCHW is not computed; the message says how to get NHWC (TF reads the
    # shapes as NCHW and fails on them)
    "tf.nn.conv2d(x, w, 1, 'SAME', data_format='NCHW')": raised(
        NotImplementedError, "data_format='NCHW' is not supported; scopeflow computes in NHWC."
    ),
    "tf.nn.bias_add(x, b, data_format='NCHW')": raised(NotImplementedError, "data_format='NCHW'"),
}


def _check(graph, env, group, expr):
    check_against(graph, env, expr, expected(GROUPS[group][expr], DIFFERENCES.get(expr)))


@pytest.mark.parametrize("expr", list(GROUPS["EXPRESSIONS"]))
def test_expression_builds_tf1_ops(graph, env, expr):
    _check(graph, env, "EXPRESSIONS", expr)


@pytest.mark.parametrize("expr", list(GROUPS["CONV_GRID"]))
def test_conv2d_output_shapes(graph, env, expr):
    """Over filter sizes, strides, dilations and paddings: the static shape and the strides,
    dilations, padding, data_format and explicit_paddings attributes, or the error."""
    _check(graph, env, "CONV_GRID", expr)


# -- what TF1 rejects -----------------------------------------------------------------------


@pytest.mark.parametrize("expr", list(GROUPS["ERRORS"]))
def test_errors(graph, env, expr):
    _check(graph, env, "ERRORS", expr)


def test_every_difference_is_a_recorded_expression():
    recorded = {expr for records in GROUPS.values() for expr in records}
    assert set(DIFFERENCES) - recorded == set()


def test_conv2d_needs_filter_strides_and_padding(env):
    with pytest.raises(TypeError, match="requires input, filter, strides and padding"):
        tf.nn.conv2d(env["x"], env["w"])
