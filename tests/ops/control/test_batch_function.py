"""Tests for scopeflow/ops/control/batch_function.py (``tf.nondifferentiable_batch_function``):
one caller's results are TF 2.21's, its run-time input checks and missing gradient are
TF's; the function is built inline (TF adds one ``BatchFunction`` op)."""

from __future__ import annotations

import pytest

import scopeflow as tf


def _batched(**kw):
    @tf.nondifferentiable_batch_function(1, 4, 100000, **kw)
    def h(a, b):
        return a * 3 + b, a

    return h


def test_results_are_the_functions_own(run):
    h = _batched(allowed_batch_sizes=[2, 4])
    x = tf.constant([[1.0], [2.0], [3.0]])
    total, same = h(x, tf.ones([3, 1]))
    assert total.name.startswith("batch/") and h.__name__ == "decorated"
    got = run([total, same])
    assert got[0].tolist() == [[4.0], [7.0], [10.0]] and got[1].tolist() == [[1.0], [2.0], [3.0]]
    # A structure of results keeps its structure.
    as_dict = tf.nondifferentiable_batch_function(1, 4, 100000)(lambda a: {"x": a})
    assert run(as_dict(tf.ones([2])))["x"].tolist() == [1.0, 1.0]


def test_no_gradient_as_in_tf():
    x = tf.constant([[1.0], [2.0]])
    total, _ = _batched()(x, x)
    with pytest.raises(LookupError, match="No gradient defined for operation 'batch/.*BatchFunc"):
        tf.gradients(total, x)


@pytest.mark.parametrize(
    ("shapes", "match"),
    [
        (([6, 1], [6, 1]), "Task size.*6.*is larger than maximum input batch size.*4"),
        (([3], []), "Batching input tensors must have at least one dimension"),
    ],
)
def test_run_time_input_checks_are_tfs(run, shapes, match):
    total, _ = _batched()(tf.ones(shapes[0]), tf.ones(shapes[1]))
    with pytest.raises(tf.errors.InvalidArgumentError, match=match):
        run(total)


def test_rows_must_agree_while_building_as_in_tf():
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 3 and 2"):
        _batched()(tf.ones([3]), tf.ones([2]))
