"""Tests for scopeflow/ops/nn/pooling3d.py: ``MaxPool3D``/``AvgPool3D`` and their gradient
ops against direct NumPy loops over windows, gradients against finite differences."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.kernel_table import Case, cases_by_mode, check_case

RNG = np.random.default_rng(11)
VOL = RNG.standard_normal((2, 3, 5, 4, 2)).astype(np.float32)
K, S = [1, 2, 3, 2, 1], [1, 1, 2, 2, 1]


def _windows(x, same):
    """Yields (output index, the window's real voxels) for ksize K and strides S."""
    outs, starts = [], []
    for size, k, s in zip(x.shape[1:4], K[1:4], S[1:4], strict=True):
        out = -(-size // s) if same else (size - k) // s + 1
        before = max((out - 1) * s + k - size, 0) // 2 if same else 0
        outs.append(out)
        starts.append([i * s - before for i in range(out)])
    for idx in itertools.product(*map(range, outs)):
        sl = tuple(
            slice(max(st[i], 0), min(st[i] + k, size))
            for st, i, k, size in zip(starts, idx, K[1:4], x.shape[1:4], strict=True)
        )
        yield idx, (slice(None), *sl)


def naive_pool(x, same, reduce):
    outs = [idx for idx, _ in _windows(x, same)]
    shape = np.max(outs, axis=0) + 1
    y = np.zeros((x.shape[0], *shape, x.shape[4]))
    for idx, sl in _windows(x, same):
        y[(slice(None), *idx)] = reduce(x[sl].reshape(x.shape[0], -1, x.shape[4]), axis=1)
    return y


def naive_max_grad(x, dy, same):
    dx = np.zeros(x.shape)
    for idx, sl in _windows(x, same):
        window = x[sl]
        for b in range(x.shape[0]):
            for c in range(x.shape[4]):
                part = window[b, ..., c]
                at = np.unravel_index(np.argmax(part), part.shape)
                target = tuple(s.start + a for s, a in zip(sl[1:], at, strict=True))
                dx[(b, *target, c)] += dy[(b, *idx, c)]
    return dx


DY_SAME = RNG.standard_normal(naive_pool(VOL, True, np.max).shape).astype(np.float32)

# fmt: off
CASES = [
    Case("max-same", "MaxPool3D", lambda x: tf.nn.max_pool3d(x, K, S, "SAME"), (VOL,),
         lambda x: naive_pool(x, True, np.max), tolerance=1e-7),
    Case("max-valid", "MaxPool3D", lambda x: tf.nn.max_pool3d(x, K, S, "VALID"), (VOL,),
         lambda x: naive_pool(x, False, np.max), tolerance=1e-7),
    Case("avg-same", "AvgPool3D", lambda x: tf.nn.avg_pool3d(x, K, S, "SAME"), (VOL,),
         lambda x: naive_pool(x, True, np.mean), tolerance=1e-6),
    Case("max-grad", "MaxPool3DGrad",
         lambda x, dy: tf.gradients(tf.nn.max_pool3d(x, K, S, "SAME"), x, dy)[0], (VOL, DY_SAME),
         lambda x, dy: naive_max_grad(x, dy, True), tolerance=1e-6, modes=("full",)),
    Case("avg-grad", "AvgPool3DGrad",
         lambda x, dy: tf.gradients(tf.nn.avg_pool3d(x, K, S, "SAME"), x, dy)[0], (VOL, DY_SAME),
         lambda x, dy: _avg_grad(x, dy), tolerance=1e-6, modes=("full",)),
    Case("max-grad-grad", "MaxPool3DGradGrad",
         lambda x, g: tf.get_default_graph().create_op(
             "MaxPool3DGradGrad", [x, tf.nn.max_pool3d(x, K, S, "SAME"), g],
             {"ksize": K, "strides": S, "padding": "SAME", "data_format": "NDHWC"}).outputs[0],
         (VOL, VOL), lambda x, g: _grad_grad(x, g), tolerance=1e-7, modes=("full",)),
]
# fmt: on


def _avg_grad(x, dy):
    dx = np.zeros(x.shape)
    for idx, sl in _windows(x, True):
        count = np.prod([s.stop - s.start for s in sl[1:]])
        dx[sl] += dy[(slice(None), *idx)][:, None, None, None] / count
    return dx


def _grad_grad(x, g):
    """MaxPool3DGradGrad: each window's ``g`` at the window's maximum."""
    y = naive_pool(x, True, np.max)
    out = np.zeros(y.shape)
    for idx, sl in _windows(x, True):
        for b in range(x.shape[0]):
            for c in range(x.shape[4]):
                part = x[sl][b, ..., c]
                at = np.unravel_index(np.argmax(part), part.shape)
                target = tuple(s.start + a for s, a in zip(sl[1:], at, strict=True))
                out[(b, *idx, c)] = g[(b, *target, c)]
    return out


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


SMALL = RNG.permutation(48).reshape(1, 2, 4, 3, 2) / 10.0  # distinct values: no ties
ATTRS = {"ksize": K, "strides": S, "padding": "SAME", "data_format": "NDHWC"}


def _grad_op(op_type):
    """``op_type`` of SMALL (and its max pooling) with ``g`` as its last input."""

    def build(g):
        x = tf.constant(SMALL)
        inputs = [x, tf.nn.max_pool3d(x, K, S, "SAME")]
        if op_type == "AvgPool3DGrad":
            inputs = [tf.constant(list(SMALL.shape))]
        return tf.get_default_graph().create_op(op_type, [*inputs, g], ATTRS).outputs[0]

    return build


GRAD_CASES = [
    GradCase("max-pool3d", lambda x: tf.nn.max_pool3d(x, K, S, "SAME"), (SMALL,)),
    GradCase("avg-pool3d", lambda x: tf.nn.avg_pool3d(x, K, S, "SAME"), (SMALL,)),
    GradCase("max-pool3d-grad", _grad_op("MaxPool3DGrad"), (RNG.standard_normal((1, 2, 2, 2, 2)),)),
    GradCase(
        "max-pool3d-grad-grad", _grad_op("MaxPool3DGradGrad"), (RNG.standard_normal(SMALL.shape),)
    ),
    GradCase("avg-pool3d-grad", _grad_op("AvgPool3DGrad"), (RNG.standard_normal((1, 2, 2, 2, 2)),)),
]


@pytest.mark.parametrize("case", gradient_cases(GRAD_CASES))
def test_gradients_match_finite_differences(case):
    check_gradient_case(case)


def test_errors(graph):
    with pytest.raises(NotImplementedError, match="NDHWC"):
        tf.nn.max_pool3d(VOL, 2, 2, "SAME", data_format="NCDHW")
    with pytest.raises(ValueError, match="rank 5"):
        tf.nn.avg_pool3d(VOL[0], 2, 2, "SAME")
