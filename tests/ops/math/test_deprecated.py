"""TF1's deprecated aliases (tf.to_float..., tf.div, tf.arg_max/arg_min, the initialize_*
names) build what TensorFlow 2.21's compat.v1 builds, recorded from
``tests/data/tf_reference/deprecated.py``, and compute what it computes."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.graph_checks import check_against, expected, setup_of, tf_reference

REFERENCE = tf_reference("deprecated")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]

DIFFERENCES: dict = {}  # scopeflow builds what TF builds, and fails where it fails


@pytest.mark.parametrize("expr", list(GROUPS["ALIASES"]))
def test_alias_builds_tf1s_graph(graph, env, expr):
    check_against(graph, env, expr, expected(GROUPS["ALIASES"][expr], DIFFERENCES.get(expr)))


@pytest.mark.parametrize("expr", list(GROUPS["ERRORS"]))
def test_errors(graph, env, expr):
    check_against(graph, env, expr, expected(GROUPS["ERRORS"][expr], DIFFERENCES.get(expr)))


def test_values(run):
    # Values as TensorFlow 2.21 computes them for the same inputs.
    assert run(tf.div(tf.constant([7, -7]), tf.constant([2, 2]))).tolist() == [3, -4]
    assert run(tf.div(tf.constant([7], tf.uint8), tf.constant([2], tf.uint8))).tolist() == [3]
    assert run(tf.div(tf.constant([1.5, -2.5]), 2.0)).tolist() == [0.75, -1.25]
    assert run(tf.to_int32(tf.constant([1.7, -1.7]))).tolist() == [1, -1]
    assert run(tf.to_float(tf.constant([3]))).dtype == np.float32
    m = tf.constant([[1, 3], [4, 2]])
    assert run(tf.arg_max(m, 1)).tolist() == [1, 0]
    assert run(tf.arg_min(m, 0)).tolist() == [0, 1]


def test_all_variables_is_global_variables(graph):
    v = tf.Variable(1.0, name="v")
    tf.get_local_variable("local", [])
    assert tf.all_variables() == tf.global_variables() == [v]
