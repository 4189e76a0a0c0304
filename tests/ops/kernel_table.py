"""Table-driven kernel checks shared by the op-family kernel tests.

A :class:`Case` builds an op from placeholders fed with NumPy arrays and gives the expected
result: a NumPy reference function of the arrays, or the value itself. :func:`check_case`
builds it with the placeholders' shapes fully known, with every dimension unknown, or with
the rank unknown (the ``mode``), runs it, and checks the op type, the values (signed zeros
included), the dtype, and that the static shape inferred while building agrees with the
value's shape. Scalar results may come back as NumPy scalars, as TF's do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

import scopeflow as tf

MODES = ("full", "dims", "rank")


@dataclass(frozen=True)
class Case:
    id: str
    op_type: str
    build: Callable  # (*placeholders) -> Tensor or list of Tensors
    arrays: tuple  # the values fed to the placeholders
    reference: object  # (*arrays) -> array or list of arrays; or the expected value itself
    tolerance: float = 0.0
    modes: tuple = MODES  # the placeholder shapes to build with (see MODES)
    exact_static: bool = True  # in "full" mode, the static shape is fully known
    kwargs: dict = field(default_factory=dict)


def cases_by_mode(cases: list[Case]) -> list:
    """pytest params ``(case, mode)`` for every mode each case supports."""
    import pytest

    return [
        pytest.param(case, mode, id=f"{case.id}-{mode}") for case in cases for mode in case.modes
    ]


def placeholder_for(array: np.ndarray, mode: str):
    array = np.asarray(array)
    dtype = tf.as_dtype(array.dtype)
    if mode == "full":
        shape = array.shape
    elif mode == "dims":
        shape = [None] * array.ndim
    else:
        shape = None
    return tf.placeholder(dtype, shape)


def check_case(run, case: Case, mode: str) -> None:
    holders = [placeholder_for(a, mode) for a in case.arrays]
    out = case.build(*holders)
    outs = list(out) if isinstance(out, (list, tuple)) else [out]
    reference = case.reference
    expected = (
        reference(*[np.asarray(a) for a in case.arrays]) if callable(reference) else reference
    )
    expected = list(expected) if isinstance(expected, (list, tuple)) else [expected]
    values = run(outs, dict(zip(holders, case.arrays, strict=True)))
    assert len(values) == len(expected)
    for t, value, want in zip(outs, values, expected, strict=True):
        assert t.op.type == case.op_type
        assert isinstance(value, (np.ndarray, np.generic))
        value = np.asarray(value)
        assert value.dtype == t.dtype.as_numpy_dtype, (value.dtype, t.dtype)
        assert t.shape.is_compatible_with(value.shape), (t.shape, value.shape)
        if mode == "full" and case.exact_static:
            assert t.shape.as_list() == list(value.shape)
        want = np.asarray(want)
        assert value.shape == want.shape
        if case.tolerance:
            np.testing.assert_allclose(value, want, rtol=case.tolerance, atol=case.tolerance)
            continue
        np.testing.assert_array_equal(value, want)
        assert value.dtype == want.dtype or want.dtype == object
        if want.dtype.kind == "f":  # -0.0 stays -0.0 (round, negation...), as in TF
            numbers = ~np.isnan(want)
            assert (np.signbit(value)[numbers] == np.signbit(want)[numbers]).all()


def needs_ops(*op_types: str):
    """A skip mark for tests using op types another family registers (and gives kernels)."""
    import pytest

    from scopeflow.framework.registry import get_op_def, registered_op_types

    missing = [
        t for t in op_types if t not in registered_op_types() or get_op_def(t).kernel is None
    ]
    return pytest.mark.skipif(bool(missing), reason=f"needs kernels for {missing}")
