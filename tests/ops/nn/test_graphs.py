"""Graph structure of the ``tf.nn`` functions of scopeflow/ops/nn/: the ops each adds (names
and types), the results' names, dtypes, static shapes and attributes, and the errors TF1 raises
while building.

Every expectation is TensorFlow 2.21's own (``tensorflow.compat.v1``, graph mode), recorded in
``tests/data/tf_reference/nn_graphs.json`` by ``tools/tf_reference.py`` from the expressions in
``tests/data/tf_reference/nn_graphs.py``; where scopeflow differs, ``DIFFERENCES`` says what it
does instead and why.
"""

from __future__ import annotations

import pytest

from tests.ops.graph_checks import built, check_against, expected, raised, setup_of, tf_reference

REFERENCE = tf_reference("nn_graphs")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]
SPARSE = "SparseSoftmaxCrossEntropyWithLogits"


def _xent(scope: str, *ops) -> dict:
    """The fused cross-entropy op's output in ``scope``, without TF1's Reshape plumbing."""
    return built(
        [*ops, (scope, "SoftmaxCrossEntropyWithLogits")],
        op=scope,
        name=f"{scope}:0",
        input_dtypes=["float32", "float32"],
    )


# Where scopeflow does something else than TF 2.21 (all deliberate): expression -> what it
# does instead.
DIFFERENCES = {
    # static perms instead of TF1's Rank/range/concat ops computing them
    "tf.nn.softmax(lg, axis=-2)": built(
        [
            ("transpose/perm", "Const"),
            ("transpose", "Transpose"),
            ("Softmax", "Softmax"),
            ("transpose_1/perm", "Const"),
            ("transpose_1", "Transpose"),
        ]
    ),
    # batch and channels filled from out_backprop and filter (TF1: channels unknown)
    "tf.nn.conv2d_transpose(x, w, tf.placeholder(tf.int32, [4]), [1,1,1,1], 'VALID')": built(
        [("Placeholder", "Placeholder"), ("conv2d_transpose", "Conv2DBackpropInput")],
        shape=[2, None, None, 5],
    ),
    # 2-D logits: the fused op's output, without TF1's no-op Reshape plumbing
    "tf.nn.softmax_cross_entropy_with_logits(lb, lg)": _xent(
        "softmax_cross_entropy_with_logits_sg",
        ("softmax_cross_entropy_with_logits_sg/labels_stop_gradient", "StopGradient"),
    ),
    "tf.nn.softmax_cross_entropy_with_logits(labels=lb, logits=lg)": _xent(
        "softmax_cross_entropy_with_logits_sg",
        ("softmax_cross_entropy_with_logits_sg/labels_stop_gradient", "StopGradient"),
    ),
    "tf.nn.softmax_cross_entropy_with_logits_v2(labels=lb, logits=lg)": _xent(
        "softmax_cross_entropy_with_logits"
    ),
    # TF1 computes NCHW on GPUs only
    "tf.nn.conv2d(x, w, 1, 'SAME', data_format='NCHW')": raised(
        NotImplementedError, "data_format='NCHW' is not supported; scopeflow computes in N"
    ),
    "tf.nn.max_pool(x, 2, 2, 'SAME', data_format='NCHW')": raised(
        NotImplementedError, "data_format='NCHW' is not supported; scopeflow computes in N"
    ),
    # checked by embedding_lookup itself (TF: "Value passed to parameter 'indices' ...")
    "tf.nn.embedding_lookup(lg, tf.placeholder(tf.float32, [3]))": raised(
        TypeError, "ids must be int32 or int64, got float32"
    ),
}


@pytest.mark.parametrize("expr", list(GROUPS["STRUCTURES"]))
def test_builds_tf1_ops(graph, env, expr):
    want = expected(GROUPS["STRUCTURES"][expr], DIFFERENCES.get(expr))
    check_against(graph, env, expr, want)


@pytest.mark.parametrize("expr", list(GROUPS["ERRORS"]))
def test_build_errors(graph, env, expr):
    """TF1's message starts scopeflow's; a failed call leaves no ops behind (except the inputs
    its expression built first), unless TF1's error is a run-time one."""
    want = expected(GROUPS["ERRORS"][expr], DIFFERENCES.get(expr))
    left = None if want["error"] == "InvalidArgumentError" else _INPUT_OPS
    check_against(graph, env, expr, want, left=left, prefix=True)


_INPUT_OPS = ("Cast", "Placeholder", "StridedSlice", "Const")


def test_every_difference_is_a_recorded_expression():
    recorded = {expr for records in GROUPS.values() for expr in records}
    assert set(DIFFERENCES) - recorded == set()
