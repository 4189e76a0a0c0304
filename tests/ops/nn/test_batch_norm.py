"""Tests for scopeflow/ops/nn/batch_norm.py: ``FusedBatchNormV3`` (training and inference)
and ``FusedBatchNormGradV3`` against NumPy, their gradients against finite differences, and
``tf.nn.fused_batch_norm``'s outputs as TF's (values read from TensorFlow 2.21)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.kernel_table import Case, cases_by_mode, check_case

RNG = np.random.default_rng(3)
X = RNG.standard_normal((2, 3, 4, 3)).astype(np.float32)
SCALE = np.float32([1.5, 0.5, 2.0])
OFFSET = np.float32([0.1, -0.2, 0.3])
MEAN = np.float32([0.2, -0.1, 0.0])
VAR = np.float32([1.2, 0.8, 2.0])


def _train(x, scale, offset, epsilon=1e-3):
    rows = x.reshape(-1, 3).astype(np.float64)
    mean, var = rows.mean(0), rows.var(0)
    y = (x - mean) / np.sqrt(var + epsilon) * scale + offset
    return [y, mean, var * len(rows) / (len(rows) - 1)]


def _infer(x, scale, offset, mean, var, epsilon=1e-3):
    return [(x - mean) / np.sqrt(var + epsilon) * scale + offset, mean, var]


def _grads(dy, x, scale, is_training, epsilon=1e-3):
    """FusedBatchNormGradV3's values, by the chain rule written out in NumPy."""
    rows, g = x.reshape(-1, 3).astype(np.float64), dy.reshape(-1, 3).astype(np.float64)
    mean, var = (rows.mean(0), rows.var(0)) if is_training else (MEAN, VAR)
    inv = 1 / np.sqrt(var + epsilon)
    xhat = (rows - mean) * inv
    dscale, doffset = (g * xhat).sum(0), g.sum(0)
    if is_training:
        dx = scale * inv * (g - doffset / len(rows) - xhat * dscale / len(rows))
    else:
        dx = g * scale * inv
    return [dx.reshape(x.shape), dscale, doffset]


def _grad_op(is_training):
    def build(dy, x):
        if is_training:
            saved = tf.nn.fused_batch_norm(x, SCALE, OFFSET)[0].op.outputs[3:6]
        else:
            saved = [tf.constant(MEAN), tf.constant(VAR), tf.zeros([0])]
        attrs = {"epsilon": 0.001, "data_format": "NHWC", "is_training": is_training}
        op = tf.get_default_graph().create_op(
            "FusedBatchNormGradV3", [dy, x, tf.constant(SCALE), *saved], attrs
        )
        return list(op.outputs[:3])

    return build


DY = RNG.standard_normal(X.shape).astype(np.float32)

# fmt: off
CASES = [
    Case("train", "FusedBatchNormV3",
         lambda x: list(tf.nn.fused_batch_norm(x, SCALE, OFFSET)), (X,),
         lambda x: _train(x, SCALE, OFFSET), tolerance=1e-4),
    Case("inference", "FusedBatchNormV3",
         lambda x: list(tf.nn.fused_batch_norm(x, SCALE, OFFSET, MEAN, VAR, is_training=False)),
         (X,), lambda x: _infer(x, SCALE, OFFSET, MEAN, VAR), tolerance=1e-5),
    Case("grad-train", "FusedBatchNormGradV3", _grad_op(True), (DY, X),
         lambda dy, x: _grads(dy, x, SCALE, True), tolerance=1e-4, modes=("full",)),
    Case("grad-inference", "FusedBatchNormGradV3", _grad_op(False), (DY, X),
         lambda dy, x: _grads(dy, x, SCALE, False), tolerance=1e-4, modes=("full",)),
]
# fmt: on


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


GRAD_CASES = [
    GradCase(
        "train",
        lambda x, s, o: tf.nn.fused_batch_norm(x, s, o)[0],
        (RNG.standard_normal((2, 2, 3, 2)), [1.5, 0.7], [0.1, -0.3]),
    ),
    GradCase(
        "inference",
        lambda x, s, o: tf.nn.fused_batch_norm(x, s, o, [0.1, 0.2], [1.1, 0.9], is_training=False)[
            0
        ],
        (RNG.standard_normal((2, 2, 3, 2)), [1.5, 0.7], [0.1, -0.3]),
    ),
]


@pytest.mark.parametrize("case", gradient_cases(GRAD_CASES))
def test_gradients_match_finite_differences(case):
    check_gradient_case(case, atol=1e-5)


def test_values_match_tensorflows(run):
    """TF 2.21's FusedBatchNormV3 on this input (tools: tf.raw_ops.FusedBatchNormV3): the
    batch variance output has Bessel's correction, the reserve space the biased one."""
    x = np.random.RandomState(0).randn(2, 4, 4, 3).astype(np.float32)
    y, mean, var = tf.nn.fused_batch_norm(x, [2.0] * 3, [0.0] * 3, epsilon=0.001)
    biased = y.op.outputs[4]
    values = run([mean, var, biased])
    np.testing.assert_allclose(values[0], [0.13947967, 0.17960408, -0.20484836], rtol=1e-6)
    np.testing.assert_allclose(values[1], [1.2457787, 0.95792997, 0.8793758], rtol=1e-6)
    np.testing.assert_allclose(values[2], [1.2068481, 0.92799467, 0.85189533], rtol=1e-6)
    y, mean, var = tf.nn.fused_batch_norm(
        x, [2.0] * 3, [0.0] * 3, [1.0] * 3, [3.0] * 3, exponential_avg_factor=0.5
    )
    values = run([mean, var])
    np.testing.assert_allclose(values[0], [0.5697398, 0.589802, 0.39757583], rtol=1e-6)
    np.testing.assert_allclose(values[1], [2.1228893, 1.978965, 1.939688], rtol=1e-6)


def test_inference_needs_mean_and_variance(graph):
    with pytest.raises(ValueError, match="Both `mean` and `variance` must be a 1D tensor"):
        tf.nn.fused_batch_norm(X, SCALE, OFFSET, is_training=False)


def test_channels_first_formats_match_tensorflows(graph):
    x = (np.random.RandomState(11).randn(2, 3, 2, 2) * 2 + 1).astype(np.float32)
    y, mean, variance = tf.nn.fused_batch_norm(
        tf.constant(x), [1.0, 2.0, 3.0], [0.0, 0.1, 0.2], data_format="NCHW", epsilon=0.01
    )
    assert y.op.get_attr("data_format") == b"NCHW" and mean.shape.as_list() == [3]
    inputs = tf.placeholder(tf.float32, [2, 3, 4, 5])
    inferred, _, _ = tf.nn.fused_batch_norm(
        inputs, [1.0] * 3, [0.0] * 3, [0.0] * 3, [1.0] * 3, is_training=False, data_format="NCHW"
    )
    assert [t.op.name for t in inferred.op.inputs[3:]] == [
        "FusedBatchNormV3_1/mean",  # converted in the op's scope, as TF's
        "FusedBatchNormV3_1/variance",
    ]
    (dx,) = tf.gradients(inferred, inputs)
    assert dx.op.type == "Transpose"  # TF's inference gradient: NHWC between transposes
    with tf.Session() as sess:  # TF 2.21's values
        value, m, v = sess.run([y, mean, variance])
        np.testing.assert_allclose(value[0, :, 0, 0], [1.640945, -0.30081657, 1.1680691], rtol=1e-5)
        np.testing.assert_allclose(m, [0.28783724, 1.2619518, 1.263588], rtol=1e-5)
        np.testing.assert_allclose(v, [7.515007, 2.1959496, 3.6618066], rtol=1e-5)
        grad = sess.run(dx, {inputs: np.ones((2, 3, 4, 5), np.float32)})
        np.testing.assert_allclose(grad[0, :, 0, 0], [1.0, 1.0, 1.0], rtol=1e-3)  # 1/sqrt(1+eps)
    with pytest.raises(ValueError, match="'data_format' of 'NCW' is not in the list"):
        tf.nn.fused_batch_norm(tf.constant(x), [1.0] * 3, [0.0] * 3, data_format="NCW")
