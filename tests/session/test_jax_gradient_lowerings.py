"""Lowerings of gradient ops no kernel case runs (``ResizeBilinearGrad``, ``LRNGrad``...)
agree with their NumPy kernels: the gradient cases (tests/ops/grad_check.py) whose gradient
graphs run them give the same values through both executors."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, build_gradient_graph
from tests.ops.kernel_table import ops_run
from tests.ops.test_coverage import _parametrized_cases

pytest.importorskip("jax")

from scopeflow.session.jax_lowering import LOWERINGS  # noqa: E402

# Gradient ops with a lowering whose values only gradient cases check.
GRADIENT_OPS = {
    "ResizeBilinearGrad",
    "ResizeBicubicGrad",
    "ResizeNearestNeighborGrad",
    "CropAndResizeGradImage",
    "CropAndResizeGradBoxes",
    "LRNGrad",
    "MaxPoolGradWithArgmax",
    "MaxPoolGradGradWithArgmax",
}


def _graph_and_types(case: GradCase):
    graph = tf.Graph()
    with graph.as_default():
        g = build_gradient_graph(case)
        grads = [t for t in g.grads if t is not None]
        types = ops_run(grads, g.holders + [g.w])
    return graph, g, grads, types


def _cases() -> list:
    found = []
    for case in _parametrized_cases():
        if isinstance(case, GradCase):
            types = _graph_and_types(case)[3] & GRADIENT_OPS
            if types:
                found.append(pytest.param(case, id=f"{'-'.join(sorted(types))}-{case.id}"))
    return sorted(found, key=lambda p: p.id)


CASES = _cases()


def test_every_gradient_op_listed_is_lowered_and_checked():
    assert GRADIENT_OPS <= set(LOWERINGS)
    checked = set().union(*(_graph_and_types(p.values[0])[3] for p in CASES))
    assert GRADIENT_OPS <= checked, sorted(GRADIENT_OPS - checked)


@pytest.mark.parametrize("case", CASES)
def test_gradient_lowering_agrees_with_numpy_kernel(case):
    graph, g, grads, _ = _graph_and_types(case)
    rng = np.random.default_rng(0)
    with graph.as_default():
        feed = {
            h: np.asarray(a, h.dtype.as_numpy_dtype)
            for h, a in zip(g.holders, case.inputs, strict=True)
        }
        feed[g.w] = rng.normal(size=g.w.shape.as_list()).astype(g.w.dtype.as_numpy_dtype)
        values = {}
        for executor in ("numpy", "jax"):
            with tf.Session(executor=executor) as sess:
                if g.init is not None:
                    sess.run(g.init, feed)
                values[executor] = sess.run(grads, feed)
    for want, got in zip(values["numpy"], values["jax"], strict=True):
        assert np.asarray(got).dtype == np.asarray(want).dtype
        np.testing.assert_allclose(got, want, rtol=2e-5, atol=2e-5)
