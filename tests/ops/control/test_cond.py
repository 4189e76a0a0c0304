"""tf.cond: TF1's op names, and only the taken branch runs."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.ops.core.infer import apply_op
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.kernel_table import Case, cases_by_mode, check_case


def _cond(p, x):
    return tf.cond(p, lambda: x + 1, lambda: x * 2)


def _assign_in_a_branch(p):
    v = tf.Variable(5.0, name="v")
    return tf.cond(p, lambda: tf.assign_add(v, 1.0), lambda: tf.assign_add(v, 100.0))


X = np.float32([[1, -2, 3]])

# fmt: off
CASES = [
    Case("cond-true", "Merge", _cond, (np.bool_(True), X), lambda p, x: x + 1),
    Case("cond-false", "Merge", _cond, (np.bool_(False), X), lambda p, x: x * 2),
    # The branches capture the variable's reference: RefSwitch.
    Case("ref-true", "Merge", _assign_in_a_branch, (np.bool_(True),), np.float32(6)),
    Case("ref-false", "Merge", _assign_in_a_branch, (np.bool_(False),), np.float32(105)),
]
# fmt: on


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


def test_names_match_tf1(graph):
    x = tf.placeholder(tf.float32, [None, 3])
    r = tf.cond(tf.constant(True), lambda: x + 1, lambda: x * 2)
    ops = {op.name: (op.type, [t.name for t in op.inputs], [c.name for c in op.control_inputs])
           for op in graph.get_operations() if op.name.startswith("cond")}  # fmt: skip
    # Expected values: TensorFlow 2.21, tf.compat.v1 graph mode.
    assert r.name == "cond/Merge:0"
    assert ops["cond/Switch"] == ("Switch", ["Const:0", "Const:0"], [])
    assert ops["cond/switch_t"] == ("Identity", ["cond/Switch:1"], [])
    assert ops["cond/switch_f"] == ("Identity", ["cond/Switch:0"], [])
    assert ops["cond/pred_id"] == ("Identity", ["Const:0"], [])
    assert ops["cond/add/y"] == ("Const", [], ["cond/switch_t"])
    assert ops["cond/add"] == ("AddV2", ["cond/add/Switch:1", "cond/add/y:0"], [])
    assert ops["cond/add/Switch"] == ("Switch", ["Placeholder:0", "cond/pred_id:0"], [])
    assert ops["cond/mul"] == ("Mul", ["cond/mul/Switch:0", "cond/mul/y:0"], [])
    assert ops["cond/Merge"] == ("Merge", ["cond/mul:0", "cond/add:0"], [])
    assert r.shape.as_list() == [None, 3]


def test_only_the_taken_branch_runs(run):
    v = tf.Variable(0.0, name="v")
    p = tf.placeholder(tf.bool, [])
    r = tf.cond(p, lambda: tf.assign_add(v, 1.0), lambda: tf.assign_add(v, 100.0))
    assert run(r, {p: True}) == 1.0
    assert run(r, {p: True}) == 2.0
    assert run(r, {p: False}) == 102.0
    assert run(v) == 102.0


def test_untaken_branch_may_fail_without_error(run):
    x = tf.placeholder(tf.float32, [None])
    r = tf.cond(tf.size(x) > 2, lambda: tf.reshape(x, [3, -1]), lambda: tf.reshape(x, [1, -1]))
    np.testing.assert_array_equal(run(r, {x: [1.0, 2.0]}), [[1.0, 2.0]])
    assert run(r, {x: np.arange(6, dtype=np.float32)}).shape == (3, 2)


def test_nested_structures_ops_and_nesting(run):
    x = tf.placeholder(tf.float32, [])
    counter = tf.Variable(0, name="counter")

    def big():
        return tf.cond(x > 10.0, lambda: (x * 10.0, x), lambda: (x * 2.0, x))

    out = tf.cond(x > 0.0, big, lambda: (-x, x))
    op_result = tf.cond(x > 0.0, lambda: tf.assign_add(counter, 1).op, lambda: tf.no_op())
    assert [float(v) for v in run(out, {x: 20.0})] == [200.0, 20.0]
    assert [float(v) for v in run(out, {x: 3.0})] == [6.0, 3.0]
    assert [float(v) for v in run(out, {x: -4.0})] == [4.0, -4.0]
    run(op_result, {x: 1.0})
    run(op_result, {x: -1.0})
    assert run(counter) == 1


def test_fetching_a_tensor_inside_a_branch_is_refused_as_in_tf1(run):
    p = tf.placeholder(tf.bool, [])
    inside = []

    def true_fn():
        inside.append(tf.constant(1.0) * 3.0)
        return inside[0]

    r = tf.cond(p, true_fn, lambda: tf.constant(0.0))
    assert run(r, {p: False}) == 0.0
    with pytest.raises(ValueError, match="Operation cond/mul has been marked as not fetchable"):
        run(inside[0], {p: True})


def test_fetching_a_value_of_an_untaken_switch_is_an_error(run):
    # a Switch outside tf.cond (its outputs are fetchable): the untaken side has no value
    p = tf.placeholder(tf.bool, [])
    _, taken = apply_op("Switch", [tf.constant(1.0), p])
    y = taken * 3.0
    assert run(y, {p: True}) == 3.0
    with pytest.raises(tf.errors.InvalidArgumentError, match="does not have a value"):
        run(y, {p: False})


def _branches(take: bool):
    return lambda x, y: tf.cond(tf.constant(take), lambda: tf.identity(x), lambda: tf.identity(y))


@pytest.mark.parametrize(
    ("take", "case"),
    [pytest.param(take, GradCase(f"take-{take}", _branches(take), (np.ones(3), np.ones(3))),
                  id=str(take)) for take in (True, False)],
)  # fmt: skip
def test_cond_passes_gradients_of_the_taken_branch_only(take, case):
    gx, gy = check_gradient_case(case)
    assert (np.abs(gx).sum() > 0) == take and (np.abs(gy).sum() > 0) != take


def _ref_branches(take: bool):
    # x is a variable's reference: the branches capture it through a RefSwitch
    return lambda x: tf.cond(tf.constant(take), lambda: x * 3.0, lambda: x * x)


REF_GRADIENTS = [
    GradCase(f"ref-take-{take}", _ref_branches(take), (np.float64([1, -2]),), refs=True)
    for take in (True, False)
]


@pytest.mark.parametrize("case", gradient_cases(REF_GRADIENTS))
def test_gradients_through_a_variable_captured_by_a_branch(case):
    check_gradient_case(case)


def test_cond_argument_errors():
    with pytest.raises(TypeError, match="pred must not be a Python bool"):
        tf.cond(True, lambda: 1.0, lambda: 2.0)
    with pytest.raises(ValueError, match="must have a return value"):
        tf.cond(tf.constant(True), lambda: None, lambda: tf.constant(1.0))
    with pytest.raises(TypeError, match="both required"):
        tf.cond(tf.constant(True), lambda: 1.0)


def test_a_branch_may_return_a_sparse_tensor(graph):
    # TF1 flattens composites (expand_composites): one Merge per component tensor
    x = tf.placeholder(tf.int64, [None, 2])
    pick = tf.placeholder(tf.bool, [])
    sparse = tf.SparseTensor([[0, 0], [1, 1]], [5, 7], [2, 2])
    out = tf.cond(pick, lambda: sparse, lambda: tf.SparseTensor(x, [1, 2], [3, 3]))
    assert isinstance(out, tf.SparseTensor)
    assert [t.op.type for t in (out.indices, out.values, out.dense_shape)] == ["Merge"] * 3
    with tf.Session() as sess:
        taken = sess.run(out, {pick: True, x: [[0, 0], [2, 1]]})
        other = sess.run(out, {pick: False, x: [[0, 0], [2, 1]]})
    assert taken.values.tolist() == [5, 7] and taken.dense_shape.tolist() == [2, 2]
    assert other.indices.tolist() == [[0, 0], [2, 1]] and other.dense_shape.tolist() == [3, 3]
