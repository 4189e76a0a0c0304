"""Tests for scopeflow/eager_compat/wrap_function.py (``tf.wrap_function``): TF 2.21's
trace (inputs, outputs, structured signature), call results and errors, ``prune``; the
ops are built inline where TF adds a ``PartitionedCall``."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

SIGNATURE = [tf.TensorSpec([2], tf.float32), tf.TensorSpec(None, tf.float32)]


def _sum_and_product(x, y):
    return {"s": x + y, "p": x * y}


def test_trace_is_tfs(graph):
    w = tf.wrap_function(_sum_and_product, SIGNATURE)
    assert [(t.name, t.shape.ndims) for t in w.inputs] == [("Placeholder:0", 1),
                                                          ("Placeholder_1:0", None)]
    assert [t.name for t in w.outputs] == ["mul:0", "add:0"]  # TF's order: sorted keys
    assert w.structured_outputs["s"].name == "add:0"
    assert w.structured_input_signature == (
        (tf.TensorSpec([2], tf.float32, "tensor_0"), tf.TensorSpec(None, tf.float32, "tensor_1")),
        {},
    )  # fmt: skip
    assert graph.get_operations() == []  # the trace lives in a graph of its own


def test_calls_compute_tfs_values(run):
    w = tf.wrap_function(_sum_and_product, SIGNATURE)
    out = w(tf.constant([1.0, 2.0]), 3.0)
    assert out["s"].shape.as_list() == [2]
    got = run(out)
    assert (got["s"].tolist(), got["p"].tolist()) == ([4.0, 5.0], [3.0, 6.0])
    five = tf.wrap_function(lambda: tf.constant(5.0), [])
    assert run(five()) == 5.0


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "match"),
    [
        (([1.0, 2.0, 3.0], 3.0), {}, ValueError,
         r"is not compatible with the shape this function was traced with. Expected shape "
         r"\(2,\), but got shape \(3,\)"),
        ((np.int32([1, 2]), 3.0), {}, ValueError,
         "Tensor conversion requested dtype float32 for Tensor with dtype int32"),
        (([1.0, 2.0],), {}, ValueError, "Signature specifies 2 arguments, got: 1"),
        ((), {"x": 1.0, "y": 2.0}, NotImplementedError,
         "Keyword arguments are not supported when calling a wrap_function-decorated function"),
    ],
)  # fmt: skip
def test_call_errors_are_tfs(graph, args, kwargs, error, match):
    w = tf.wrap_function(_sum_and_product, SIGNATURE)
    if error is ValueError and args and isinstance(args[0], np.ndarray):
        args = (tf.constant(args[0]), *args[1:])
    with pytest.raises(error, match=match):
        w(*args, **kwargs)


def test_prune_copies_the_ops_between_feeds_and_fetches(run):
    w = tf.wrap_function(_sum_and_product, SIGNATURE)
    product = w.graph.get_tensor_by_name("mul:0")
    with pytest.raises(ValueError, match="Unable to lift tensor .*mul:0.* depends transitively on "
                                         "placeholder .*Placeholder_1"):
        w.prune(feeds=w.inputs[0], fetches=product)
    pruned = w.prune(feeds=w.inputs, fetches={"m": product})
    out = pruned(tf.constant([1.0, 2.0]), tf.constant(4.0))
    assert out["m"].name == "wrapped_function/mul:0"
    assert run(out)["m"].tolist() == [4.0, 8.0]


def test_functions_that_create_variables_are_refused(graph):
    with pytest.raises(NotImplementedError, match="creates variables"):
        tf.wrap_function(lambda: tf.Variable(2.0) * 3.0, [])
