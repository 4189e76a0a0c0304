"""Tests for scopeflow/ops/nn/ctc.py (and its algorithms in ops/kernels/ctc.py):
``tf.nn.ctc_loss``, ``tf.nn.ctc_greedy_decoder`` and ``tf.nn.ctc_beam_search_decoder``.

The expected graphs and build errors are TensorFlow 2.21's own (``tensorflow.compat.v1``,
graph mode), recorded in ``tests/data/tf_reference/ctc.json`` by ``tools/tf_reference.py``
from ``tests/data/tf_reference/ctc.py``; the expected losses, gradients, decoded labels,
log-probabilities and run-time errors are TensorFlow 2.21's on the fixed inputs of
``tests/data/ctc_model.py``, recorded in ``tests/data/ctc_values.json`` by
``tests/data/make_ctc_values.py``. Gradients are also checked against finite differences.
"""

from __future__ import annotations

import json
import pathlib
import sys

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.graph_checks import record_tests, setup_of, tf_reference
from tests.ops.kernel_table import Case, cases_by_mode, check_case

DATA = pathlib.Path(__file__).resolve().parents[2] / "data"
sys.path.insert(0, str(DATA))
from ctc_model import (  # noqa: E402
    DECODERS,
    ERRORS,
    LOSSES,
    core_message,
    sparse_arrays,
    sparse_labels,
    values,
)

REFERENCE = tf_reference("ctc")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]

# Where scopeflow does something else than TF 2.21: expression -> what it does instead.
DIFFERENCES: dict = {}

(
    test_builds_tf1_ops_and_static_shapes,
    test_gradients_build_tf1_ops,
    test_build_errors,
    test_every_difference_is_a_recorded_expression,
) = record_tests(GROUPS, DIFFERENCES)


# -- values: TensorFlow's, recorded by tests/data/make_ctc_values.py -------------------------

VALUES = json.loads((DATA / "ctc_values.json").read_text())


@pytest.mark.parametrize("name", list(LOSSES))
def test_losses_and_gradients_match_tensorflows(name):
    loss, grad, backprop = values(tf, [f"loss/{name}"])[f"loss/{name}"]
    want_loss, want_grad, want_backprop = VALUES[f"loss/{name}"]
    # TF runs the recursions in the logits' float32 (scopeflow in float64): over 50 frames
    # its gradients drift by a few 1e-5.
    tolerance = {"float16": 2e-3, "long": 1e-4}.get(name, 2e-5)
    np.testing.assert_allclose(loss, want_loss, rtol=tolerance, atol=tolerance)
    np.testing.assert_allclose(grad, want_grad, rtol=tolerance, atol=tolerance)
    np.testing.assert_allclose(backprop, want_backprop, rtol=tolerance, atol=tolerance)


@pytest.mark.parametrize("name", list(DECODERS))
def test_decoded_labels_and_log_probabilities_match_tensorflows(name):
    ours = values(tf, [f"decode/{name}"])[f"decode/{name}"]
    want = VALUES[f"decode/{name}"]
    assert len(ours) == len(want)
    assert ours[:-1] == want[:-1]  # each path's indices, values and dense shape
    np.testing.assert_allclose(ours[-1], want[-1], rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("name", list(ERRORS))
def test_run_time_errors_are_tensorflows(name):
    error, message = VALUES[f"error/{name}"]
    with tf.Session() as sess, pytest.raises(getattr(tf.errors, error)) as caught:
        sess.run(ERRORS[name](tf))
    assert message in core_message(caught.value.message)


def test_ignore_longer_outputs_gives_zero_loss_and_gradient(run):
    x = tf.constant(np.ones((2, 1, 3), np.float32))
    loss = tf.nn.ctc_loss(
        sparse_labels(tf, [[0, 1, 0]]), x, [2], ignore_longer_outputs_than_inputs=True
    )
    value, grad = run([loss, tf.gradients(loss, x)[0]])
    assert value.tolist() == [0.0]
    assert not grad.any()


def test_labels_must_be_a_sparse_tensor():
    with pytest.raises(TypeError, match="Received labels=\\[\\[0\\]\\] of type: list"):
        tf.nn.ctc_loss([[0]], tf.zeros([2, 1, 3]), [2])


# -- kernels and the gradient against finite differences -----------------------------------


def _loss_case(name: str) -> Case:
    """The ``CTCLoss`` op of a recorded loss case, fed its logits, labels and lengths."""
    logits, labels, seq_len, kwargs = LOSSES[name]
    indices, label_values, shape = sparse_arrays(labels)
    want_loss, _, want_backprop = VALUES[f"loss/{name}"]

    def build(x, i, v, s):
        return list(tf.nn.ctc_loss(tf.SparseTensor(i, v, shape), x, s, **kwargs).op.outputs)

    return Case(
        f"ctc-loss-{name}",
        "CTCLoss",
        build,
        (logits, indices, label_values, np.array(seq_len, np.int32)),
        [np.array(want_loss, logits.dtype), np.array(want_backprop, logits.dtype)],
        tolerance=2e-5,
        modes=("full", "dims"),
    )


def _decoder_case(name: str) -> Case:
    """The decoder op of a recorded decoder case, fed its logits and lengths."""
    logits, seq_len, kind, kwargs = DECODERS[name]
    decode = {
        "greedy": tf.nn.ctc_greedy_decoder,
        "beam": tf.nn.ctc_beam_search_decoder,
        "beam_v2": tf.nn.ctc_beam_search_decoder_v2,
    }[kind]
    want = VALUES[f"decode/{name}"]
    paths = (len(want) - 1) // 3
    # the op's outputs: every path's indices, then values, then shapes; log-probabilities
    order = [3 * k + part for part in range(3) for k in range(paths)]
    reference = [
        np.array(want[j], np.int64).reshape(-1, 2) if j % 3 == 0 else np.array(want[j], np.int64)
        for j in order
    ]
    reference.append(np.array(want[-1], logits.dtype))
    return Case(
        f"ctc-{name}",
        "CTCGreedyDecoder" if kind == "greedy" else "CTCBeamSearchDecoder",
        lambda x, s: list(decode(x, s, **kwargs)[1].op.outputs),
        (logits, np.array(seq_len, np.int32)),
        reference,
        tolerance=1e-5,
        modes=("full", "dims"),
        exact_static=False,
    )


@pytest.mark.parametrize(
    ("case", "mode"),
    cases_by_mode(
        [_loss_case(name) for name in ("basic", "no-merge", "ignore-longer", "float64")]
        + [_decoder_case(name) for name in ("greedy", "beam-top3", "beam-float64")]
    ),
)
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


def _random(seed: int, shape) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(shape)


def _loss_of(labels, seq_len, **kwargs):
    return lambda x: tf.nn.ctc_loss(sparse_labels(tf, labels), x, seq_len, **kwargs)


GRAD_CASES = [
    GradCase("ctc-loss", _loss_of([[0, 1, 0], [2], [1, 1]], [5, 4, 3]), (_random(40, (5, 3, 4)),)),
    GradCase(
        "ctc-loss-no-merge-collapse",
        _loss_of(
            [[1, 1, 2], [0, 0]], [5, 5], preprocess_collapse_repeated=True, ctc_merge_repeated=False
        ),
        (_random(41, (5, 2, 4)),),
    ),
    GradCase(
        "ctc-loss-batch-major",
        _loss_of([[1, 0], [1]], [3, 4], time_major=False),
        (_random(42, (2, 4, 3)),),
    ),
]


@pytest.mark.parametrize("case", gradient_cases(GRAD_CASES))
def test_gradients(case):
    check_gradient_case(case)


def test_second_derivative_is_refused_as_in_tf1():
    x = tf.placeholder(tf.float32, [3, 1, 3])
    grad = tf.gradients(_loss_of([[0]], [3])(x), x)[0]
    with pytest.raises(LookupError, match="Gradient explicitly disabled. Reason: b.Currently"):
        tf.gradients(grad, x)


def test_decoded_labels_densify_and_give_a_label_error_rate(run):
    # What CRNN and DeepSpeech programs do with a decoder's result: a dense [batch, length]
    # matrix padded with -1, and the edit distance to the labels as a label error rate.
    logits, seq_len, _, _ = DECODERS["greedy"]
    (decoded,), _ = tf.nn.ctc_greedy_decoder(tf.constant(logits), seq_len)
    dense = tf.sparse_tensor_to_dense(decoded, default_value=-1)
    labels = sparse_labels(tf, [[2, 0], [0, 1], [1]])
    rate = tf.edit_distance(tf.cast(decoded, tf.int32), labels)
    got_dense, got_rate = run([dense, rate])
    # TF's decoded labels (tests/data/ctc_values.json, "decode/greedy"): 2 0 0, 0 1, nothing
    assert got_dense.tolist() == [[2, 0, 0], [0, 1, -1], [-1, -1, -1]]
    assert got_rate.tolist() == [0.5, 0.0, 1.0]
