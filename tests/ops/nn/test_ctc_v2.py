"""Tests for ``tf.nn.ctc_loss_v2`` (scopeflow/ops/nn/ctc_v2.py): losses and gradients of
dense and sparse labels, any blank class, time- or batch-major logits, against TensorFlow
2.21's values (literals below, same inputs)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

_rng = np.random.RandomState(0)
LOGITS = _rng.randn(6, 3, 5).astype(np.float32)  # [frames, batch, classes]
LABELS = np.int32([[1, 2, 2, 0], [3, 1, 0, 0], [4, 4, 4, 4]])
LABEL_LENGTH = np.int32([3, 2, 1])
LOGIT_LENGTH = np.int32([6, 5, 4])
DENSE_LOSS = [6.048269748687744, 6.718678951263428, 5.383669853210449]
BLANK_4_LOSS = [5.3595709800720215, 4.3982133865356445, 5.841891288757324]
INDICES = [[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [2, 0]]


def _sparse(values):
    return tf.SparseTensor(INDICES, values, [3, 4])


def test_dense_labels_blank_first(run):
    logits = tf.constant(LOGITS)
    loss = tf.nn.ctc_loss_v2(LABELS, logits, LABEL_LENGTH, LOGIT_LENGTH)
    assert loss.name.startswith("ctc_loss_dense/") and loss.shape.as_list() == [3]
    np.testing.assert_allclose(run(loss), DENSE_LOSS, rtol=1e-6)
    grad = tf.gradients(tf.reduce_sum(loss), logits)[0]
    np.testing.assert_allclose(
        run(grad)[0],
        [
            [-0.5310053825378418, -0.18565592169761658, 0.10289046913385391]
            + [0.36351478099823, 0.25025609135627747],
            [-0.03512312099337578, 0.41498100757598877, 0.13793562352657318]
            + [-0.7597463130950928, 0.2419528216123581],
            [-0.32020509243011475, 0.41708824038505554, 0.2085256427526474]
            + [0.11002407968044281, -0.415432870388031],
        ],
        atol=1e-6,
    )


def test_sparse_labels_blank_first(run):
    loss = tf.nn.ctc_loss_v2(_sparse([1, 2, 2, 3, 1, 4]), LOGITS, None, LOGIT_LENGTH, blank_index=0)
    np.testing.assert_allclose(run(loss), DENSE_LOSS, rtol=1e-6)


def test_sparse_labels_blank_last(run):
    logits = tf.constant(LOGITS)
    loss = tf.nn.ctc_loss_v2(_sparse([1, 2, 2, 3, 1, 0]), logits, None, LOGIT_LENGTH, blank_index=4)
    assert loss.op.type == "CTCLoss"
    np.testing.assert_allclose(run(loss), BLANK_4_LOSS, rtol=1e-6)
    grad = tf.gradients(tf.reduce_sum(loss), logits)[0]
    np.testing.assert_allclose(
        run(grad)[1, 0],
        [0.16503943502902985, -0.392598032951355, 0.05971802771091461]
        + [0.16167330741882324, 0.0061674825847148895],
        atol=1e-6,
    )


@pytest.mark.parametrize("major", ["time", "batch"])
def test_dense_labels_blank_last_either_major(run, major):
    logits = LOGITS if major == "time" else LOGITS.transpose(1, 0, 2)
    loss = tf.nn.ctc_loss_v2(
        LABELS[:2], logits[:, :2] if major == "time" else logits[:2], LABEL_LENGTH[:2],
        LOGIT_LENGTH[:2], logits_time_major=major == "time", blank_index=-1,
    )  # fmt: skip
    np.testing.assert_allclose(run(loss), BLANK_4_LOSS[:2], rtol=1e-6)


def test_sparse_labels_need_a_blank_index(graph):
    with pytest.raises(ValueError, match="`blank_index` must be provided"):
        tf.nn.ctc_loss_v2(_sparse([1, 2, 2, 3, 1, 4]), LOGITS, None, LOGIT_LENGTH)
