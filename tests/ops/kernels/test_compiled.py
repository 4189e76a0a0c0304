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
    _steps("ApplyMomentum", np.float32, False, 1, shape=(300, 100))  # small for Momentum
    _steps("ApplyAdam", np.float16, False, 1)  # not float32/64: NumPy
    assert not calls
    # A small Adam update: compiled once numba is loaded (one call instead of a dozen),
    # in NumPy while it is not (a model without large variables never loads numba).
    _steps("ApplyAdam", np.float32, False, 1, shape=(10, 10))
    assert calls and all(loop is compiled.loops().adam for loop in calls)
    calls.clear()
    monkeypatch.setattr(compiled, "loaded", lambda: False)
    _steps("ApplyAdam", np.float32, False, 1, shape=(10, 10))
    assert not calls


@pytest.mark.parametrize("shape", [(), (7,), (10, 10)])
def test_small_adam_updates_compiled_give_numpys_bits(shape, monkeypatch):
    compiled.loops()
    fast = _steps("ApplyAdam", np.float32, False, 1, shape=shape)
    _numpy_only(monkeypatch)
    plain = _steps("ApplyAdam", np.float32, False, 1, shape=shape)
    for a, b in zip(plain, fast, strict=True):
        assert a.shape == b.shape == shape
        np.testing.assert_array_equal(
            np.reshape(a, -1).view(np.uint8), np.reshape(b, -1).view(np.uint8)
        )


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


def _batch_norm(dtype, intra: int, shape=(16, 16, 16, 24)) -> list[np.ndarray]:
    """y, the batch mean and unbiased variance, and the three gradients of a training
    fused batch norm over ``shape`` (98k elements: compiled)."""
    rng = np.random.default_rng(11)
    x_value = (rng.standard_normal(shape) * 3 + 1).astype(dtype)
    dy_value = rng.standard_normal(shape).astype(dtype)
    channels = shape[-1]
    with tf.Graph().as_default():
        x = tf.constant(x_value)
        scale = tf.constant(rng.uniform(0.5, 2, channels).astype(np.float32))
        offset = tf.constant(rng.standard_normal(channels).astype(np.float32))
        y, mean, variance = tf.nn.fused_batch_norm(x, scale, offset)
        grads = tf.gradients(y, [x, scale, offset], grad_ys=tf.constant(dy_value))
        config = tf.ConfigProto(intra_op_parallelism_threads=intra)
        with tf.Session(config=config) as sess:
            return sess.run([y, mean, variance, *grads])


def _batch_norm_reference(shape=(16, 16, 16, 24)) -> list[np.ndarray]:
    """The same values in float64 NumPy, by the formulas."""
    rng = np.random.default_rng(11)
    x = (rng.standard_normal(shape) * 3 + 1).astype(np.float32).astype(np.float64)
    dy = rng.standard_normal(shape).astype(np.float32).astype(np.float64)
    channels = shape[-1]
    scale = rng.uniform(0.5, 2, channels).astype(np.float32).astype(np.float64)
    offset = rng.standard_normal(channels).astype(np.float32).astype(np.float64)
    rows, g = x.reshape(-1, channels), dy.reshape(-1, channels)
    count = len(rows)
    mean, var = rows.mean(0), rows.var(0)
    inv = 1 / np.sqrt(var + 1e-3)
    xhat = (rows - mean) * inv
    dscale, doffset = (g * xhat).sum(0), g.sum(0)
    dx = scale * inv * (g - doffset / count - xhat * dscale / count)
    y = xhat * scale + offset
    return [y.reshape(shape), mean, var * count / (count - 1), dx.reshape(shape), dscale, doffset]


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16])
def test_compiled_batch_norm_matches_the_formulas(dtype, monkeypatch):
    calls = []
    original = compiled.for_arrays

    def recording(least, *arrays):
        found = original(least, *arrays)
        calls.append(found is not None)
        return found

    monkeypatch.setattr(compiled, "for_arrays", recording)
    got = _batch_norm(dtype, 1)
    assert calls and all(calls)  # the forward and the gradient both compiled
    # (float32 scale and offset: float64 inputs are as close as float32 parameters allow)
    tolerance = {np.float16: 2e-2, np.float32: 2e-5, np.float64: 2e-6}[dtype]
    for value, want in zip(got, _batch_norm_reference(), strict=True):
        np.testing.assert_allclose(value, want, rtol=tolerance, atol=tolerance * 10)


def test_compiled_batch_norm_same_bits_on_any_thread_count_and_near_numpy(monkeypatch):
    one = _batch_norm(np.float32, 1)
    for values in (_batch_norm(np.float32, 2), _batch_norm(np.float32, 3)):
        for a, b in zip(one, values, strict=True):
            np.testing.assert_array_equal(a, b)
    _numpy_only(monkeypatch)
    plain = _batch_norm(np.float32, 1)
    for a, b in zip(one, plain, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-4)


def test_loops_compile_without_a_writable_cache(monkeypatch):
    import numba

    real = numba.njit

    def no_cache(*args, **options):
        if options.get("cache"):
            raise RuntimeError("cannot cache function: no locator available")
        return real(*args, **options)

    monkeypatch.setattr(numba, "njit", no_cache)
    compiled.loops.cache_clear()
    try:
        loops = compiled.loops()
        out = np.empty(4, np.float32)
        ones = np.ones(4, np.float32)
        loops.momentum(ones, ones, ones, np.float32(0.5), np.float32(0.5), out, np.empty_like(out))
        np.testing.assert_array_equal(out, np.float32(0.25))
    finally:
        compiled.loops.cache_clear()
