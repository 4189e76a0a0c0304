"""Tests for scopeflow/ops/state/scatter.py: the kernels of ``ScatterSub``, ``ScatterAdd`` and
``ScatterUpdate`` against NumPy (repeated indices applied one after another), their run-time
errors (the variable left as it was), and that an update changes only the rows it names.

TF's own ops, names and build errors for them are checked in tests/train/test_sparse_updates.py
against ``tests/data/tf_reference/indexed_slices.json``.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, cases_by_mode, check_case

V = np.arange(12, dtype=np.float32).reshape(4, 3)


def _scatter(fn, dtype=tf.float32):
    def build(indices, updates):
        return fn(tf.Variable(V.astype(dtype.as_numpy_dtype), name="v"), indices, updates)

    return build


def _applied(ufunc):
    """NumPy's result of applying ``updates`` at ``indices`` one after another."""

    def reference(indices, updates):
        out = V.astype(updates.dtype).copy()
        rows = updates.reshape(-1, 3) if updates.ndim else updates
        ufunc.at(out, indices.reshape(-1), rows)
        return out

    return reference


def _assigned(indices, updates):
    out = V.copy()
    for i, row in zip(indices.reshape(-1), updates.reshape(-1, 3), strict=True):
        out[i] = row  # the last of repeated indices wins
    return out


IDS = np.array([3, 1, 3], np.int32)
ROWS = np.arange(9, dtype=np.float32).reshape(3, 3) / 4
# fmt: off
CASES = [
    Case("sub", "ScatterSub", _scatter(tf.scatter_sub), (IDS, ROWS), _applied(np.subtract)),
    Case("add", "ScatterAdd", _scatter(tf.scatter_add), (IDS, ROWS), _applied(np.add)),
    Case("update", "ScatterUpdate", _scatter(tf.scatter_update), (IDS, ROWS), _assigned),
    Case("add-2d-indices", "ScatterAdd", _scatter(tf.scatter_add),
         (np.array([[0], [2]], np.int64), ROWS[:2, None]), _applied(np.add)),
    Case("sub-scalar", "ScatterSub", _scatter(tf.scatter_sub), (IDS, np.float32(0.5)),
         _applied(np.subtract)),
    Case("add-none", "ScatterAdd", _scatter(tf.scatter_add),
         (np.zeros(0, np.int32), np.zeros((0, 3), np.float32)), V),
    Case("update-float64", "ScatterUpdate", _scatter(tf.scatter_update, tf.float64),
         (IDS[:2], ROWS[:2].astype(np.float64)),
         lambda i, u: _assigned(i, u).astype(np.float64)),
]
# fmt: on


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


def test_the_result_is_the_variables_new_value(run):
    v = tf.Variable(V, name="v")
    update = tf.scatter_add(v, [0, 0], [[1.0, 1.0, 1.0], [2.0, 2.0, 2.0]])
    assert (update.dtype, update.shape.as_list()) == (tf.float32_ref, [4, 3])
    np.testing.assert_array_equal(run(update)[0], V[0] + 3)
    np.testing.assert_array_equal(run(v)[0], V[0] + 3)


@pytest.mark.parametrize(
    ("indices", "updates", "message"),
    [
        ([4], [[1.0, 1.0, 1.0]], "indices[0] = 4 is not in [0, 4)"),
        ([[0, -1]], [[[1.0] * 3] * 2], "indices[0,1] = -1 is not in [0, 4)"),
    ],
)
def test_out_of_range_indices_fail_and_change_nothing(run, indices, updates, message):
    v = tf.Variable(V, name="v")
    ids = tf.placeholder(tf.int32)
    values = tf.placeholder(tf.float32)
    update = tf.scatter_sub(v, ids, values)
    with pytest.raises(tf.errors.InvalidArgumentError, match=re.escape(message)):
        run(update, {ids: indices, values: updates})
    np.testing.assert_array_equal(run(v), V)


def test_run_time_shape_errors_are_tf1s(run):
    v = tf.Variable(V, name="v")
    scalar = tf.Variable(1.0, name="s")
    ids = tf.placeholder(tf.int32)
    values = tf.placeholder(tf.float32)
    update = tf.scatter_add(v, ids, values)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Must have updates.shape = indices"):
        run(update, {ids: [0, 1], values: np.ones((2, 2))})
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"params must be at least 1-D"):
        run(tf.scatter_add(scalar, [0], [1.0]))


def test_ref_must_be_a_variable():
    with pytest.raises(TypeError, match="tf.scatter_sub needs a variable"):
        tf.scatter_sub(tf.constant(V), [0], [[1.0, 1.0, 1.0]])


def test_variable_methods_take_indexed_slices(run):
    v = tf.Variable(V, name="v")
    delta = tf.IndexedSlices(tf.constant([[1.0, 1.0, 1.0]]), tf.constant([2]), tf.constant([4, 3]))
    sub, add, update = v.scatter_sub(delta), v.scatter_add(delta), v.scatter_update(delta)
    assert [t.op.type for t in (sub, add, update)] == ["ScatterSub", "ScatterAdd", "ScatterUpdate"]
    assert sub.op.name == "ScatterSub" and sub.op.inputs[2] is delta.values
    np.testing.assert_array_equal(run(sub)[2], V[2] - 1)
    np.testing.assert_array_equal(run(update)[2], [1.0, 1.0, 1.0])
    with pytest.raises(TypeError, match="sparse_delta is not IndexedSlices"):
        v.scatter_add(tf.ones([4, 3]))
