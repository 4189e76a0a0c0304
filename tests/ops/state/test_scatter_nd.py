"""Tests for the multi-index variable updates of scopeflow/ops/state/scatter.py:
``tf.scatter_nd_update``/``add``/``sub`` (and the Variable methods) build TF1's ops and names
(TensorFlow 2.21's records in ``tests/data/tf_reference/scatter_nd.json``), compute NumPy's
values, leave the variable as it was when they fail, and change only the rows they name."""

from __future__ import annotations

import re

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.graph_checks import built, check_against, expected, setup_of, tf_reference
from tests.ops.kernel_table import Case, cases_by_mode, check_case

REFERENCE = tf_reference("scatter_nd")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]

_V = [("zeros", "Const"), ("v", "VariableV2"), ("v/Assign", "Assign"), ("v/read", "Identity")]
DIFFERENCES = {
    # TF 2.21's state_ops.scatter_nd_add passes `name` on as bad_indices_policy and names the
    # op ScatterNdAdd; scopeflow names it `name`, as TF1 did.
    "tf.scatter_nd_add(tf.Variable(tf.zeros([4, 3]), name='v'), i, r, use_locking=True, "
    "name='op')": built([*_V, ("op", "ScatterNdAdd")], op="op", name="op:0"),
}


@pytest.mark.parametrize("expr", list(GROUPS["VARIABLES"]))
def test_builds_tf1s_graph(graph, env, expr):
    check_against(graph, env, expr, expected(GROUPS["VARIABLES"][expr], DIFFERENCES.get(expr)))


def test_use_locking_defaults_are_tf1s(graph):
    v = tf.Variable(tf.zeros([4, 3]), name="v")
    ops = [
        tf.scatter_nd_update(v, [[0]], [[1.0] * 3]),
        tf.scatter_nd_add(v, [[0]], [[1.0] * 3]),
        tf.scatter_nd_sub(v, [[0]], [[1.0] * 3]),
        v.scatter_nd_add([[0]], [[1.0] * 3]),
    ]
    assert [t.op.get_attr("use_locking") for t in ops] == [True, False, False, True]


V = np.arange(12, dtype=np.float32).reshape(4, 3)


def _scatter(fn):
    def build(indices, updates):
        return fn(tf.Variable(V, name="v"), indices, updates)

    return build


def _applied(ufunc):
    def reference(indices, updates):
        out = V.copy()
        where = tuple(np.moveaxis(indices, -1, 0))
        if ufunc is None:
            out[where] = updates
        else:
            ufunc.at(out, where, updates)
        return out

    return reference


ROWS = np.array([[3], [1], [3]], np.int32)
CELLS = np.array([[0, 2], [3, 1], [0, 2]], np.int64)
# fmt: off
CASES = [
    Case("sub-rows", "ScatterNdSub", _scatter(tf.scatter_nd_sub),
         (ROWS, np.arange(9, dtype=np.float32).reshape(3, 3)), _applied(np.subtract)),
    Case("add-cells", "ScatterNdAdd", _scatter(tf.scatter_nd_add),
         (CELLS, np.float32([1, 2, 4])), _applied(np.add)),
    Case("update-cells", "ScatterNdUpdate", _scatter(tf.scatter_nd_update),
         (CELLS[:2], np.float32([-1, -2])), _applied(None)),
    Case("update-rows-2d", "ScatterNdUpdate", _scatter(tf.scatter_nd_update),
         (ROWS[:2].reshape(1, 2, 1), np.ones((1, 2, 3), np.float32)), _applied(None)),
    Case("add-whole", "ScatterNdAdd", _scatter(tf.scatter_nd_add),
         (np.zeros((2, 0), np.int32), np.ones((2, 4, 3), np.float32)), V + 2),
    Case("sub-none", "ScatterNdSub", _scatter(tf.scatter_nd_sub),
         (np.zeros((0, 1), np.int32), np.zeros((0, 3), np.float32)), V),
]
# fmt: on


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


def test_a_failed_update_changes_nothing(run):
    v = tf.Variable(V, name="v")
    ids = tf.placeholder(tf.int32)
    values = tf.placeholder(tf.float32)
    update = tf.scatter_nd_add(v, ids, values)
    run(v)
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=re.escape("indices[1] = [4, 0] does not index into shape [4,3]"),
    ):
        run(update, {ids: [[0, 0], [4, 0]], values: [1.0, 1.0]})
    np.testing.assert_array_equal(run(v), V)
    np.testing.assert_array_equal(run(update, {ids: [[0, 0]], values: [5.0]})[0], [5, 1, 2])


def test_an_update_changes_only_the_rows_it_names_in_place(run):
    v = tf.Variable(V, name="v")
    update = tf.scatter_nd_update(v, [[2, 1]], [-1.0])
    before = run(v)
    after = run(update)
    assert after[2, 1] == -1.0
    np.testing.assert_array_equal(np.delete(after, 2, axis=0), np.delete(before, 2, axis=0))


def test_ref_must_be_a_variable():
    with pytest.raises(TypeError, match="tf.scatter_nd_sub needs a variable"):
        tf.scatter_nd_sub(tf.constant(V), [[0]], [[1.0, 1.0, 1.0]])
