"""Tests for scopeflow/ops/control/tpu_replication.py (``tf.tpu.replicate``, ``rewrite``,
``shard``, ``batch_parallel`` and ``outside_compilation`` with one replica): TF 2.21's graphs,
attrs and errors, recorded from the reference, and the one replica's values."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, cases_by_mode, check_case


def _output_of_rewrite(x):
    (y,) = tf.tpu.rewrite(lambda a: a * 2.0, [x])
    return y.op.inputs[0]  # output0, the TPUReplicatedOutput


def _replicated_input(x):
    tf.tpu.rewrite(lambda a: a * 2.0, [x])
    return tf.get_default_graph().get_tensor_by_name("input0:0")


def _compilation_status(x):
    tf.tpu.rewrite(lambda a: a * 2.0, [x])
    return tf.get_default_graph().get_tensor_by_name("TPUCompilationResult:0")


CASES = [
    Case("output", "TPUReplicatedOutput", _output_of_rewrite, (np.float32([1, -2]),),
         np.float32([2, -4])),
    Case("input", "TPUReplicatedInput", _replicated_input, (np.float32([1, -2]),),
         np.float32([1, -2])),
    Case("status", "TPUCompilationResult", _compilation_status, (np.float32([1]),),
         np.array(b"", dtype=object), modes=("full",)),
]  # fmt: skip


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


def _listing(graph):
    return [
        (op.name, op.type, op.device, [t.name for t in op.inputs],
         sorted(c.name for c in op.control_inputs), sorted(k for k in op._attrs if k[0] == "_"))
        for op in graph.get_operations()
    ]  # fmt: skip


OC = ["_tpu_replicate", "_xla_outside_compilation"]
CORE = "/device:TPU_REPLICATED_CORE:0"
REWRITE_GRAPH = [
    ("x", "Placeholder", "", [], [], []),
    ("input0", "TPUReplicatedInput", "", ["x:0"], [], []),
    ("cluster/pivot", "NoOp", "", [], [], ["_pivot_for_cluster"]),
    ("TPUReplicateMetadata", "TPUReplicateMetadata", "", [], ["cluster/pivot"],
     ["_tpu_replicate"]),
    ("replicated_input_0", "Identity", "", ["input0:0"], ["TPUReplicateMetadata"],
     ["_tpu_input_identity", "_tpu_replicate"]),
    ("mul/y", "Const", "", [], ["TPUReplicateMetadata"], ["_tpu_replicate"]),
    ("mul", "Mul", "", ["replicated_input_0:0", "mul/y:0"], [], ["_tpu_replicate"]),
    ("add/y", "Const", "", [], ["TPUReplicateMetadata"], OC),
    ("add", "AddV2", "", ["mul:0", "add/y:0"], [], OC),
    ("sub/y", "Const", "", [], ["TPUReplicateMetadata"], OC),
    ("sub", "Sub", "", ["add:0", "sub/y:0"], [], OC),
    ("mul_1/y", "Const", "", [], ["TPUReplicateMetadata"], ["_tpu_replicate"]),
    ("mul_1", "Mul", "", ["sub:0", "mul_1/y:0"], [], ["_tpu_replicate"]),
    ("NoOp", "NoOp", "", [], ["cluster/pivot"], ["_tpu_replicate"]),
    ("Identity", "Identity", CORE, ["mul_1:0"], [], ["_tpu_output_identity", "_tpu_replicate"]),
    ("TPUCompilationResult", "TPUCompilationResult", "", [], ["TPUReplicateMetadata"],
     ["_tpu_compilation_status"]),
    ("output0", "TPUReplicatedOutput", "", ["Identity:0"], [], []),
    ("output_0_shard_0", "Identity", "", ["output0:0"], ["NoOp"], []),
]  # fmt: skip


def test_rewrite_builds_tfs_graph(graph, run):
    x = tf.placeholder(tf.float32, [2], name="x")

    def computation(a):
        b = a * 2.0
        c = tf.tpu.outside_compilation(lambda t: t + 1.0, b)
        d = tf.tpu.outside_compilation(lambda t: t - 1.0, c)
        return d * 3.0

    (y,) = tf.tpu.rewrite(computation, [x])
    assert y.name == "output_0_shard_0:0"
    assert _listing(graph) == REWRITE_GRAPH
    assert graph.get_operation_by_name("add").get_attr("_xla_outside_compilation") == b"0"
    assert graph.get_operation_by_name("sub").get_attr("_xla_outside_compilation") == b"1"
    metadata = graph.get_operation_by_name("TPUReplicateMetadata")
    assert (metadata.get_attr("num_replicas"), metadata.get_attr("step_marker_location")) == (
        1, b"STEP_MARK_AT_ENTRY",
    )  # fmt: skip
    np.testing.assert_array_equal(run(y, {x: [1.0, 2.0]}), [6.0, 12.0])


def test_structures_shards_and_operations_as_tf(graph, run):
    x = tf.constant([[1.0], [2.0]])
    assert tf.tpu.rewrite(lambda: None).name == "shard_0"
    (mapping,) = tf.tpu.replicate(lambda a: {"k": a}, [[tf.constant([1.0])]])
    assert list(mapping) == ["k"] and mapping["k"].name == "output_0_shard_0:0"
    structured = mapping["k"].op.inputs[0].op.inputs[0]  # two Identities on core 0, as TF's
    assert (structured.op.type, structured.op.device) == ("Identity", CORE)
    (sharded,) = tf.tpu.shard(lambda a: a * 2, [x], num_shards=1)
    (stacked,) = tf.tpu.shard(lambda a: tf.reduce_sum(a), [x], num_shards=1)
    (one,) = tf.tpu.shard(lambda a: tf.reduce_sum(a), [x], outputs_from_all_shards=False)
    (batched,) = tf.tpu.batch_parallel(lambda a: a + 1.0, [x])
    (only_ops,) = tf.tpu.replicate(lambda: tf.no_op())
    assert (sharded.name, stacked.name, one.name) == (
        "concat/concat:0", "stack:0", "output_0_shard_0_3:0",
    )  # fmt: skip
    assert only_ops.type == "NoOp" and len(only_ops.control_inputs) == 2
    out = run([sharded, stacked, one, batched])
    np.testing.assert_array_equal(out[0], [[2.0], [4.0]])
    np.testing.assert_array_equal(out[1], [3.0])
    assert out[2] == 3.0
    np.testing.assert_array_equal(out[3], [[2.0], [3.0]])


def test_errors_are_tfs(graph):
    c = tf.constant(1.0, name="c")
    v = tf.get_variable("v", [2])
    for call, error, message in [
        (lambda: tf.tpu.replicate(lambda a: a, [c]), TypeError,
         "inputs must be a list of lists/tuples, received types: "),
        (lambda: tf.tpu.replicate(lambda a: a, 5), TypeError,
         "inputs must be a list of lists/tuples, received <class 'int'>"),
        (lambda: tf.tpu.shard(lambda a: a, [c], num_shards=0), ValueError,
         "num_shards must be a positive integer. Received 0"),
        (lambda: tf.tpu.rewrite(lambda a, b: a, [c]), TypeError,
         r"You specified 1 inputs: \['c:0'\], but the computation needs exactly 2 arguments"),
        (lambda: tf.tpu.rewrite(lambda: tf.assign_add(v, [1.0, 1.0])), NotImplementedError,
         "Non-resource Variables are not supported inside TPU computations"),
        (lambda: tf.tpu.rewrite(lambda: tf.tpu.rewrite(lambda: tf.constant(1.0))), ValueError,
         "TPU computations cannot be nested on op"),
        (lambda: tf.tpu.rewrite(lambda: (tf.no_op(), tf.constant(1.0))), ValueError,
         "TPU functions must return zero-or more Tensor values followed by zero or more"),
        (lambda: tf.tpu.rewrite(lambda: [[tf.constant(1.0), tf.no_op()]]), ValueError,
         "tpu.rewrite does not support Operation as return value in non-flat output"),
        (lambda: tf.tpu.replicate(lambda a: a, [[c], [c]]), NotImplementedError,
         "scopeflow runs one replica"),
        (lambda: tf.tpu.shard(lambda a: a, [tf.constant([1.0, 2.0])], num_shards=2),
         NotImplementedError, "scopeflow runs one shard"),
    ]:  # fmt: skip
        with pytest.raises(error, match=message):
            call()


def test_gradients_through_the_outputs_are_an_error_as_in_tf(graph):
    x = tf.placeholder(tf.float32, [2])
    (y,) = tf.tpu.rewrite(lambda a: a * 2.0, [x])
    with pytest.raises(LookupError, match="No gradient defined for operation 'output0'"):
        tf.gradients(y, x)


def test_xla_options_are_recorded_as_tf(graph):
    options = tf.tpu.XLAOptions(use_spmd_for_xla_partitioning=False, use_shardy_partitioner=True)
    tf.tpu.rewrite(lambda: tf.constant(1.0), xla_options=options)
    metadata = graph.get_operation_by_name("TPUReplicateMetadata")
    assert metadata.get_attr("use_spmd_for_xla_partitioning") is False
    assert metadata.get_attr("use_shardy_partitioner") is True
    assert repr(tf.tpu.XLAOptions()) == (
        "XLAOptions(use_spmd_for_xla_partitioning=True, enable_xla_dynamic_padder=True, "
        "use_shardy_partitioner=False)"
    )
    assert [int(p) for p in tf.tpu.PaddingSpec] == [0, 1]
