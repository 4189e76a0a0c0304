"""Table-driven kernel checks for the math op families (math, matmul, selection and reduction
ops): a :class:`Case` is built from placeholders with the fed arrays' shapes known, with every
dimension unknown, or with the rank unknown, run, and checked for op type, dtype, static shape
and value. Scalar results may come back as NumPy scalars, as TF's do."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

import scopeflow as tf

MODES = ("full", "dims", "rank")


@dataclass(frozen=True)
class Case:
    """``build(*placeholders)`` fed ``arrays`` must give ``expected`` (or ``expected(*arrays)``)
    with its dtype, from an op of ``op_type``."""

    id: str
    op_type: str
    build: Callable
    arrays: tuple
    expected: object
    tolerance: float = 0.0
    modes: tuple = MODES
    exact_static: bool = True  # built with known shapes, the static shape is the value's


def placeholder(array: np.ndarray, mode: str):
    dtype = tf.as_dtype(np.asarray(array).dtype)
    shape = {"full": np.shape(array), "dims": [None] * np.ndim(array), "rank": None}[mode]
    return tf.placeholder(dtype, shape)


def check(run, case: Case, mode: str) -> None:
    """Builds ``case`` from placeholders of ``mode``, runs it and checks op type, dtype,
    static shape and value."""
    holders = [placeholder(a, mode) for a in case.arrays]
    out = case.build(*holders)
    value = run(out, dict(zip(holders, case.arrays, strict=True)))
    expected = case.expected
    expected = np.asarray(expected(*case.arrays) if callable(expected) else expected)
    assert out.op.type == case.op_type
    assert np.asarray(value).dtype == expected.dtype == out.dtype.as_numpy_dtype
    assert np.shape(value) == expected.shape
    assert out.shape.is_compatible_with(np.shape(value)), (out.shape, np.shape(value))
    if mode == "full" and case.exact_static:
        assert out.shape.as_list() == list(np.shape(value))
    if case.tolerance:
        np.testing.assert_allclose(value, expected, rtol=case.tolerance, atol=case.tolerance)
    else:
        np.testing.assert_array_equal(value, expected)
    if expected.dtype.kind == "f":  # -0.0 stays -0.0 (round), as in TF
        numbers = ~np.isnan(expected)
        assert (np.signbit(value)[numbers] == np.signbit(expected)[numbers]).all()
