"""Tests for scopeflow/ops/control/assert_shapes.py (``tf.debugging.assert_shapes``): the
checks TF 2.21 makes while building (its messages) and when run."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf


def test_static_shapes_are_checked_while_building():
    x, y = tf.zeros([2, 3]), tf.zeros([3])
    check = tf.debugging.assert_shapes([(x, ("N", "Q")), (y, ("Q",))])
    assert (check.name, check.type) == ("group_deps", "NoOp")
    assert tf.debugging.assert_shapes({x: (..., 3), y: ("*", 3)}).type == "NoOp"
    assert tf.debugging.assert_shapes([(tf.constant(1.0), ())]).type == "NoOp"


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (lambda x, y: [(x, ("N", "Q")), (y, ("N",))],
         "Specified by tensor zeros:0 dimension 0.  Tensor zeros_1:0 dimension 0 must have "
         "size 2.  Received size 3, shape (3,)"),
        (lambda x, y: [(x, (2, 4))],
         "Specified explicitly.  Tensor zeros:0 dimension 1 must have size 4.  Received size 3, "
         "shape (2, 3)"),
        (lambda x, y: [(x, ("N",))],
         "Tensor zeros:0 must have rank in (0, 1).  Received rank 2, shape (2, 3)"),
        (lambda x, y: [(x, (..., "a", 2))],
         "Specified explicitly.  Tensor zeros:0 dimension -1 must have size 2.  Received size 3"),
        (lambda x, y: [(x, ("a", ...))],
         "Tensor zeros:0 specified shape index 1.  Symbol `...` or `*` for a variable number of "
         "unspecified dimensions is only allowed as the first entry"),
        (lambda x, y: [(x, 5)],
         "Tensor zeros:0.  Specified shape must be an iterable.  An iterable has the attribute "
         "`__iter__` or `__getitem__`.  Received specified shape: 5"),
    ],
)  # fmt: skip
def test_build_errors_are_tfs(spec, message):
    x, y = tf.zeros([2, 3]), tf.zeros([3])
    with pytest.raises(ValueError) as info:
        tf.debugging.assert_shapes(spec(x, y))
    assert str(info.value).startswith(message)


def test_unknown_sizes_are_checked_when_run(run):
    p = tf.placeholder(tf.float32, [None, 3])
    q = tf.placeholder(tf.float32, [None])
    check = tf.debugging.assert_shapes({p: ("N", 3), q: ("N",)}, message="msg")
    run(check, {p: np.zeros((2, 3)), q: np.zeros(2)})
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        run(check, {p: np.zeros((2, 3)), q: np.zeros(4)})
    assert (  # TF 2.21's message
        "[msg.  ] [Specified by tensor Placeholder:0 dimension 0] [Tensor Placeholder_1:0 "
        "dimension] [0] [must have size] [2] [Received shape: ] [4]"
    ) in str(info.value)
    r = tf.placeholder(tf.float32)
    check = tf.debugging.assert_shapes([(r, (..., 2))])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"\[-1\] \[must have size\] \[2\]"):
        run(check, {r: np.zeros((3, 3))})
