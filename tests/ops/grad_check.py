"""Finite-difference checks of registered gradients, shared by the op gradient tests.

A :class:`GradCase` is data: ``build(*xs)`` makes ``y`` from placeholders (float64, or
complex128 when the inputs are complex) and ``inputs`` are the arrays at which it is
differentiated. :func:`check_gradient_case` asks ``tf.gradients(y, xs, grad_ys=w)`` for random
weights ``w`` and compares the result with central differences of ``sum(w * y)`` (for complex
inputs, TF1's convention: ``dL/d(re x) + 1j * dL/d(im x)`` for ``L = re(sum(conj(w) * y))``):
only the op under test is differentiated, so a wrong gradient elsewhere cannot hide or cause a
failure here.

``tests/ops/test_coverage.py`` finds every case a test is parametrized with and builds it
(:func:`build_gradient_graph`): the ops on the paths from ``xs`` to ``y`` have their gradients
checked, and the ops computing ``y`` and the gradients their kernels; so a new case counts
without being declared anywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest

import scopeflow as tf


@dataclass(frozen=True)
class GradCase:
    id: str
    build: Callable  # (*xs) -> Tensor
    inputs: tuple  # the arrays at which to differentiate
    # differentiate with respect to the references of variables holding the inputs (as
    # optimizers do), not placeholders; each evaluation first assigns the inputs' values
    refs: bool = False


def gradient_cases(cases: list[GradCase]) -> list:
    """pytest params, one per case, named by the cases' ids."""
    return [pytest.param(case, id=case.id) for case in cases]


@dataclass(frozen=True)
class GradGraph:
    holders: list  # the placeholders fed with the inputs
    xs: list  # what y is differentiated with respect to: the holders, or variables' references
    init: object  # with refs, the op assigning the holders' values to the variables
    y: object
    w: object  # the placeholder fed with the weights of y
    grads: list  # tf.gradients(y, xs, grad_ys=w), None where not connected


def _dtype(case: GradCase):
    return tf.complex128 if any(np.iscomplexobj(a) for a in case.inputs) else tf.float64


def build_gradient_graph(case: GradCase) -> GradGraph:
    """The graph :func:`check_gradient_case` runs, built in the default graph."""
    dtype = _dtype(case)
    inputs = [np.asarray(a, dtype.as_numpy_dtype) for a in case.inputs]
    holders = [tf.placeholder(dtype, a.shape) for a in inputs]
    xs, init = holders, None
    if case.refs:
        variables = [tf.Variable(h, name=f"x{i}") for i, h in enumerate(holders)]
        xs, init = [v._ref() for v in variables], tf.group(*(v.initializer for v in variables))
    y = case.build(*xs)
    w = tf.placeholder(y.dtype.base_dtype, y.shape)
    return GradGraph(holders, xs, init, y, w, tf.gradients(y, xs, grad_ys=w))


def _dense(value) -> np.ndarray:
    """A fetched gradient as an array: an ``IndexedSlicesValue``'s rows added up in place."""
    if not isinstance(value, tf.IndexedSlicesValue):
        return np.asarray(value)
    dense = np.zeros(value.dense_shape, value.values.dtype)
    np.add.at(dense, value.indices, value.values)
    return dense


def check_gradient_case(case: GradCase, *, delta=1e-6, atol=1e-6, seed=0):
    """Asserts that the gradients of ``case`` match central differences (relative tolerance
    1e-5, 1e-6 for complex inputs).

    Returns the analytic gradients (NumPy arrays, ``None`` where not connected).
    """
    rng = np.random.default_rng(seed)
    dtype = _dtype(case)
    rtol = 1e-6 if dtype.is_complex else 1e-5
    inputs = [np.asarray(a, dtype.as_numpy_dtype) for a in case.inputs]
    with tf.Graph().as_default():
        g = build_gradient_graph(case)
        # a complex y of real inputs (tf.complex, an RFFT) keeps its imaginary part in the loss
        wide = np.complex128 if dtype.is_complex or g.y.dtype.is_complex else np.float64
        with tf.Session() as sess:

            def evaluate(fetch, values, weights=None):
                feeds = dict(zip(g.holders, values, strict=True))
                if g.init is not None:
                    sess.run(g.init, feeds)
                return sess.run(fetch, feeds if weights is None else {**feeds, g.w: weights})

            y_value = np.asarray(evaluate(g.y, inputs))
            w_value = rng.standard_normal(y_value.shape)
            if g.y.dtype.is_complex:
                w_value = w_value + 1j * rng.standard_normal(y_value.shape)
            w_value = w_value.astype(y_value.dtype)
            analytic = [
                None if t is None else _dense(evaluate(t, inputs, w_value)) for t in g.grads
            ]

            def loss(values):
                out = evaluate(g.y, values)
                return float(np.real(np.sum(np.conj(w_value) * np.asarray(out, wide))))

            steps = (delta, 1j * delta) if dtype.is_complex else (delta,)
            for i, (a, grad) in enumerate(zip(inputs, analytic, strict=True)):
                numeric = np.zeros(a.shape, a.dtype)
                flat = numeric.reshape(-1)
                for k in range(a.size):
                    for step in steps:
                        up, down = [v.copy() for v in inputs], [v.copy() for v in inputs]
                        up[i].reshape(-1)[k] += step
                        down[i].reshape(-1)[k] -= step
                        flat[k] += (loss(up) - loss(down)) / (2 * delta) * (step / delta)
                if grad is None:
                    np.testing.assert_allclose(
                        numeric, 0.0, atol=atol, err_msg=f"input {i}: gradient is None"
                    )
                    continue
                assert grad.shape == a.shape, f"input {i}: gradient shape {grad.shape} != {a.shape}"
                np.testing.assert_allclose(
                    grad, numeric, rtol=rtol, atol=atol, err_msg=f"input {i}"
                )
    return analytic
