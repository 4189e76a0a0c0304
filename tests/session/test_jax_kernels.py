"""Every op's kernel cases (tests/ops/kernel_table.py) run through the JAX executor agree with
the NumPy executor within per-dtype tolerances; the lowering tables cover the registry."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.framework.registry import registered_op_types
from tests.ops.kernel_table import Case, Holds, Raises, build_case
from tests.ops.test_coverage import _parametrized_cases

pytest.importorskip("jax")

from scopeflow.session.jax_lowering import HOST_ONLY, LOWERINGS  # noqa: E402

# Relative and absolute tolerance per result dtype: XLA's float32 transcendental functions,
# sums and convolutions are ordered differently from NumPy's.
TOLERANCE = {"float16": 1e-2, "bfloat16": 2e-2, "float32": 2e-5, "float64": 1e-12}
TOLERANCE.update({"complex64": 2e-5, "complex128": 1e-12})
# Cases whose values may differ by design, and why.
DIFFERENT = {
    "cast-float-int32": "float -> int of NaN/inf/out of range: XLA saturates, NumPy wraps",
    "cast-float-uint8": "float -> int of NaN/inf/out of range: XLA saturates, NumPy wraps",
}
# Lowerings known not to agree yet (to do), by case id.
KNOWN = {
    "in-top-k-0-int32": "InTopKV2: k fed as a value; the lowering needs it while tracing",
    "in-top-k-0-int64": "InTopKV2: k fed as a value; the lowering needs it while tracing",
    "in-top-k-1-int32": "InTopKV2: k fed as a value; the lowering needs it while tracing",
    "in-top-k-1-int64": "InTopKV2: k fed as a value; the lowering needs it while tracing",
    "critical-section-execute": "tf.CriticalSection runs on the NumPy executor only",
}

# Cases left to the NumPy kernel tests: more dtypes of a sampler whose lowering is checked on
# float32 (and matrix, edge and integer-rate cases) already; XLA compiles its gamma and
# Poisson samplers anew for each, 2-4 s a case, a tenth of the suite's JAX time.
SAME_LOWERING = {
    "gamma-float16",
    "gamma-float64",
    "poisson-float16",
    "poisson-float64",
    "poisson-int32",
    "poisson-int64",
    "poisson-edges-int",
}


def _cases() -> list:
    cases = [
        c
        for c in _parametrized_cases()
        if isinstance(c, Case) and not isinstance(c.reference, Raises) and c.id not in SAME_LOWERING
    ]
    cases.sort(key=lambda c: (c.op_type, c.id))
    return [
        pytest.param(
            c,
            id=f"{c.op_type}-{c.id}",
            marks=[pytest.mark.xfail(reason=KNOWN[c.id])] if c.id in KNOWN else [],
        )
        for c in cases
    ]


def test_every_op_type_has_a_lowering_or_a_reason_it_runs_on_the_host():
    types = set(registered_op_types())
    missing = sorted(types - set(LOWERINGS) - set(HOST_ONLY))
    assert missing == [], (
        f"op types with neither a JAX lowering nor a HOST_ONLY reason: {missing}; add one in "
        "scopeflow/session/jax_lowering/"
    )
    assert sorted(set(LOWERINGS) & set(HOST_ONLY)) == []


def _run(executor: str, case: Case):
    with tf.Graph().as_default():
        holders, outs = build_case(case, "full")
        tf.set_random_seed(7)
        with tf.Session(executor=executor) as sess:
            sess.run(tf.global_variables_initializer())  # the cases of the stateful ops
            return outs, sess.run(outs, dict(zip(holders, case.arrays, strict=True)))


@pytest.mark.parametrize("case", _cases())
def test_kernel_case_agrees_with_numpy_executor(case):
    try:
        outs, want = _run("numpy", case)
    except (tf.errors.OpError, ValueError, TypeError):
        pytest.skip("fails on the NumPy executor too")
    outs, got = _run("jax", case)
    if isinstance(case.reference, Holds) or case.id in DIFFERENT:
        for t, value in zip(outs, got, strict=True):
            assert np.asarray(value).dtype == t.dtype.as_numpy_dtype
        if isinstance(case.reference, Holds):
            assert case.reference.predicate(*[np.asarray(v) for v in got]), case.reference.what
        return
    for t, w, g in zip(outs, want, got, strict=True):
        w, g = np.asarray(w), np.asarray(g)
        assert g.dtype == w.dtype, (t.name, g.dtype, w.dtype)
        assert g.shape == w.shape, (t.name, g.shape, w.shape)
        tol = max(TOLERANCE.get(w.dtype.name, 0.0), case.tolerance)
        if tol and w.dtype.kind in "fc":
            np.testing.assert_allclose(g, w, rtol=tol, atol=tol, err_msg=t.name)
        else:
            np.testing.assert_array_equal(g, w, err_msg=t.name)
