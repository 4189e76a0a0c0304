"""Table-driven kernel checks shared by the op-family kernel tests.

A :class:`Case` builds an op from placeholders fed with NumPy arrays and gives the expected
result: a NumPy reference function of the arrays, or the value itself; for kernels without an
exact reference (random samples), a property the values must have (:class:`Holds`); for a
kernel whose job is to fail, the error (:class:`Raises`). :func:`check_case` builds it with the
placeholders' shapes fully known, with every dimension unknown, or with the rank unknown (the
``mode``), runs it, and checks the op type, the values (signed zeros included), the dtype, and
that the static shape inferred while building agrees with the value's shape. Scalar results
may come back as NumPy scalars, as TF's do.

Cases are data: ``tests/ops/test_coverage.py`` finds every case a test is parametrized with,
builds it (:func:`build_case`) and counts the kernels that compute the checked values
(:func:`ops_run`), so a new case counts without being declared anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.framework.registry import get_op_def, registered_op_types

MODES = ("full", "dims", "rank")


@dataclass(frozen=True)
class Case:
    id: str
    op_type: str
    build: Callable  # (*placeholders) -> Tensor or list of Tensors
    arrays: tuple  # the values fed to the placeholders
    # (*arrays) -> array or list of arrays; the expected value itself; a Holds or a Raises
    reference: object
    tolerance: float = 0.0
    modes: tuple = MODES  # the placeholder shapes to build with (see MODES)
    exact_static: bool = True  # in "full" mode, the static shape is fully known


@dataclass(frozen=True)
class Holds:
    """A case's reference for values with no exact expectation: ``predicate(*values)`` is
    true (say what it checks in ``what``)."""

    what: str
    predicate: Callable


@dataclass(frozen=True)
class Raises:
    """A case's reference for a kernel whose job is to fail: running raises ``error`` with
    ``message`` in it. Such a case checks only the kernel of its own op type."""

    error: type
    message: str


def cases_by_mode(cases: list[Case]) -> list:
    """pytest params ``(case, mode)`` for every mode each case supports."""
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


def build_case(case: Case, mode: str) -> tuple[list, list]:
    """The placeholders a case is fed through and the tensors it checks, built in the default
    graph."""
    holders = [placeholder_for(a, mode) for a in case.arrays]
    out = case.build(*holders)
    return holders, list(out) if isinstance(out, (list, tuple)) else [out]


def ops_run(tensors, fed) -> set[str]:
    """The op types that run to compute ``tensors`` when the tensors ``fed`` are fed: their
    ancestors through data and control edges, stopping at fed tensors."""
    fed = set(fed)
    types: set[str] = set()
    seen = set()
    stack = [t if isinstance(t, tf.Operation) else t.op for t in tensors]
    while stack:
        op = stack.pop()
        if op in seen or any(t in fed for t in op.outputs):
            continue
        seen.add(op)
        types.add(op.type)
        stack.extend(t.op for t in op.inputs)
        stack.extend(op.control_inputs)
    return types


def checked_kernels(case: Case) -> set[str]:
    """The op types whose kernels ``case`` checks, in every mode it runs in."""
    if isinstance(case.reference, Raises):
        return {case.op_type}
    types: set[str] = set()
    for mode in case.modes:
        with tf.Graph().as_default():
            holders, outs = build_case(case, mode)
            types |= ops_run(outs, holders)
    return types


def check_case(run, case: Case, mode: str) -> None:
    holders, outs = build_case(case, mode)
    reference = case.reference
    feeds = dict(zip(holders, case.arrays, strict=True))
    if isinstance(reference, Raises):
        assert [t.op.type for t in outs] == [case.op_type] * len(outs)
        with pytest.raises(reference.error, match=re.escape(reference.message)):
            run(outs, feeds)
        return
    if isinstance(reference, Holds):
        expected = None
    elif callable(reference):
        expected = reference(*[np.asarray(a) for a in case.arrays])
    else:
        expected = reference
    values = run(outs, feeds)
    if expected is None:
        assert len(values) == len(outs)
    else:
        expected = list(expected) if isinstance(expected, (list, tuple)) else [expected]
        assert len(values) == len(expected)
    for i, (t, value) in enumerate(zip(outs, values, strict=True)):
        assert t.op.type == case.op_type
        assert isinstance(value, (np.ndarray, np.generic, bytes))
        # A scalar string comes back as bytes, as from TF1's run.
        value = np.asarray(value, dtype=object if isinstance(value, bytes) else None)
        dtype = np.dtype(t.dtype.as_numpy_dtype)
        if dtype.names:  # a quantized type: run returns its plain integers, as TF's does
            dtype = dtype[0]
        assert value.dtype == dtype, (value.dtype, t.dtype)
        assert t.shape.is_compatible_with(value.shape), (t.shape, value.shape)
        if mode == "full" and case.exact_static:
            assert t.shape.as_list() == list(value.shape)
        if expected is None:
            continue
        want = np.asarray(expected[i])
        if want.dtype.names:  # quantized expectations: their integers
            want = want.view(want.dtype[0])
        assert value.shape == want.shape
        if case.tolerance:
            np.testing.assert_allclose(value, want, rtol=case.tolerance, atol=case.tolerance)
            continue
        np.testing.assert_array_equal(value, want)
        assert value.dtype == want.dtype or want.dtype == object
        if want.dtype.kind == "f":  # -0.0 stays -0.0 (round, negation...), as in TF
            numbers = ~np.isnan(want)
            assert (np.signbit(value)[numbers] == np.signbit(want)[numbers]).all()
    if isinstance(reference, Holds):
        assert reference.predicate(*[np.asarray(v) for v in values]), reference.what


def needs_ops(*op_types: str):
    """A skip mark for tests using op types another family registers (and gives kernels)."""
    missing = [
        t for t in op_types if t not in registered_op_types() or get_op_def(t).kernel is None
    ]
    return pytest.mark.skipif(bool(missing), reason=f"needs kernels for {missing}")
