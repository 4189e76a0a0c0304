"""The compiled optimizer updates (scopeflow/ops/kernels/compiled.py, numba): ``ApplyAdam`` and
``ApplyMomentum`` on large variables give the bits of the NumPy kernels, plain and Nesterov,
float32 and float64, on one thread and in spans; small variables and other dtypes stay in
NumPy; without numba the kernels compute with NumPy."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.ops.kernels import compiled
from scopeflow.ops.kernels.parallel import Threads

pytest.importorskip("numba")

_SHAPE = (1030, 257)  # 265k elements: compiled; odd, so the vectorized loop has a remainder


def _steps(op_type: str, dtype, nesterov: bool, intra: int, shape=_SHAPE) -> list[np.ndarray]:
    rng = np.random.default_rng(7)
    graph = tf.Graph()
    with graph.as_default():
        slots = ("var", "m", "v") if op_type == "ApplyAdam" else ("var", "accum")
        variables = [
            tf.Variable(np.abs(rng.standard_normal(shape)).astype(dtype) * 0.1, name=name)
            for name in slots
        ]
        grad = tf.placeholder(dtype, shape)
        if op_type == "ApplyAdam":
            scalars = [tf.constant(x, dtype) for x in (0.9**3, 0.999**3, 0.01, 0.9, 0.999, 1e-8)]
            inputs = [v._ref() for v in variables] + scalars + [grad]
        else:
            lr, momentum = tf.constant(0.05, dtype), tf.constant(0.9, dtype)
            inputs = [v._ref() for v in variables] + [lr, grad, momentum]
        step = graph.create_op(op_type, inputs, {"use_nesterov": nesterov}).outputs[0]
    config = tf.ConfigProto(intra_op_parallelism_threads=intra)
    with tf.Session(graph=graph, config=config) as sess:
        sess.run(tf.variables_initializer(variables))
        for _ in range(3):
            sess.run(step, {grad: rng.standard_normal(shape).astype(dtype)})
        return sess.run(variables)


def _numpy_only(monkeypatch):
    monkeypatch.setattr(compiled, "for_arrays", lambda least, *arrays: None)


@pytest.mark.parametrize("op_type", ["ApplyAdam", "ApplyMomentum"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("nesterov", [False, True])
def test_compiled_update_gives_numpys_bits(op_type, dtype, nesterov, monkeypatch):
    fast = {intra: _steps(op_type, dtype, nesterov, intra) for intra in (1, 2)}
    _numpy_only(monkeypatch)
    plain = _steps(op_type, dtype, nesterov, 1)
    for values in fast.values():
        for a, b in zip(plain, values, strict=True):
            assert a.dtype == b.dtype
            np.testing.assert_array_equal(a.view(np.uint8), b.view(np.uint8))


def test_large_update_uses_the_compiled_loop(monkeypatch):
    calls = []
    original = compiled.run
    monkeypatch.setattr(compiled, "run", lambda *a: calls.append(a[1]) or original(*a))
    _steps("ApplyAdam", np.float32, False, 1)
    assert calls and all(loop is compiled.loops().adam for loop in calls)
    calls.clear()
    _steps("ApplyAdam", np.float32, False, 1, shape=(10, 10))  # small: NumPy
    _steps("ApplyMomentum", np.float32, False, 1, shape=(300, 100))  # small for Momentum
    _steps("ApplyAdam", np.float16, False, 1)  # not float32/64: NumPy
    assert not calls


def test_for_arrays_refuses_mixed_or_small_arrays():
    least = compiled.ADAM_MIN_SIZE
    big = np.zeros(least, np.float32)
    assert compiled.for_arrays(least, big, big.copy()) is compiled.loops()
    assert compiled.for_arrays(least, big, big.astype(np.float64)) is None
    assert compiled.for_arrays(least, big, big[:-1]) is None
    assert compiled.for_arrays(least, big[:-1], big[:-1]) is None
    assert compiled.for_arrays(least, big.astype(np.int32)) is None
    assert compiled.for_arrays(least + 1, big) is None


def test_run_writes_every_span_of_non_contiguous_input():
    loops = compiled.loops()
    n = 1 << 20  # 4 MB: two spans on two threads
    rng = np.random.default_rng(0)
    var = rng.standard_normal((n // 64, 64)).astype(np.float32)
    accum = np.asfortranarray(rng.standard_normal(var.shape).astype(np.float32))
    grad = rng.standard_normal(var.shape).astype(np.float32)
    new_var, new_accum = np.empty_like(var), np.empty_like(var)
    f = np.float32
    compiled.run(
        Threads(2), loops.momentum, (var, accum, grad), (f(0.1), f(0.9)), (new_var, new_accum)
    )
    want_accum = accum * f(0.9) + grad
    np.testing.assert_array_equal(new_accum, want_accum)
    np.testing.assert_array_equal(new_var, var - f(0.1) * want_accum)


def test_numba_off_by_environment(monkeypatch):
    monkeypatch.setenv("SCOPEFLOW_NUMBA", "0")
    compiled.loops.cache_clear()
    try:
        assert compiled.loops() is None
        big = np.zeros(compiled.ADAM_MIN_SIZE, np.float32)
        assert compiled.for_arrays(compiled.ADAM_MIN_SIZE, big) is None
    finally:
        monkeypatch.delenv("SCOPEFLOW_NUMBA")
        compiled.loops.cache_clear()
    assert compiled.loops() is not None
