"""Tests for scopeflow/ops/math/linalg_eig.py: ``SelfAdjointEigV2`` against NumPy (batches,
dtypes, only the lower triangle read), its gradient against finite differences, and the ops,
names, static shapes and build errors of TensorFlow 2.21 (records in
``tests/data/tf_reference/linalg_eig.json``, from ``linalg_eig.py`` beside it).
"""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.graph_checks import built, record_tests, setup_of, tf_reference
from tests.ops.kernel_table import Case, cases_by_mode, check_case
from tests.ops.math.linalg_records import diagonal_ops_v1

REFERENCE = tf_reference("linalg_eig")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]


# Where scopeflow does something else than TF 2.21: expression -> what it does instead.
DIFFERENCES = {
    # deliberate: TF 2.21 builds the V3 diagonal ops (with k and padding inputs).
    expr: built(
        diagonal_ops_v1(GROUPS["GRADIENTS"][expr]["ops"]), input_dtypes=["float32", "float32"]
    )
    for expr in GROUPS["GRADIENTS"]
}

(
    test_builds_tf1_ops_and_static_shapes,
    test_gradients_build_tf1_ops,
    test_build_errors,
    test_every_difference_is_a_recorded_expression,
) = record_tests(GROUPS, DIFFERENCES)

R = np.random.default_rng(5)


def hermitian(*shape, dtype=np.float64):
    a = R.standard_normal(shape)
    if np.dtype(dtype).kind == "c":
        a = a + 1j * R.standard_normal(shape)
    return ((a + np.conj(np.swapaxes(a, -1, -2))) / 2).astype(dtype)


def eigh(x):
    e, v = np.linalg.eigh(x.astype(np.float32) if x.dtype == np.float16 else x)
    return [e.astype(x.dtype), v.astype(x.dtype)]


S = hermitian(4, 3, 3)
H = hermitian(3, 3, dtype=np.complex64)
# Only the lower triangle is read: what is above it does not matter.
LOWER_ONLY = np.tril(S[0]) + np.triu(R.standard_normal((3, 3)), 1)

KERNEL_CASES = [
    Case("eigh", "SelfAdjointEigV2", lambda x: list(tf.self_adjoint_eig(x)), (S,), eigh,
         tolerance=1e-12),
    Case("eigh-lower", "SelfAdjointEigV2", lambda x: list(tf.linalg.eigh(x)), (LOWER_ONLY,),
         lambda x: eigh(np.tril(x) + np.tril(x, -1).T), tolerance=1e-12),
    Case("eigh-complex", "SelfAdjointEigV2", lambda x: list(tf.linalg.eigh(x)), (H,), eigh,
         tolerance=1e-5),
    Case("eigh-f32", "SelfAdjointEigV2", lambda x: list(tf.linalg.eigh(x)),
         (S.astype(np.float32),), eigh, tolerance=1e-5),
    Case("eigvalsh", "SelfAdjointEigV2", tf.self_adjoint_eigvals, (S,),
         lambda x: np.linalg.eigvalsh(x), tolerance=1e-12),
    Case("eigvalsh-half", "SelfAdjointEigV2", tf.linalg.eigvalsh, (S[0].astype(np.float16),),
         lambda x: eigh(x)[0], tolerance=1e-2),
    Case("eigvalsh-empty", "SelfAdjointEigV2", tf.linalg.eigvalsh, (np.zeros((2, 0, 0)),),
         np.zeros((2, 0))),
]  # fmt: skip


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(KERNEL_CASES))
def test_kernel(run, case, mode):
    check_case(run, case, mode)


GRAD_CASES = [
    GradCase("eigvalsh", tf.self_adjoint_eigvals, (S[:2],)),
    GradCase("eigh-values", lambda x: tf.self_adjoint_eig(x)[0], (S[0],)),
    # The eigenvectors' signs are arbitrary: differentiate something that does not see them.
    GradCase("eigh-vectors", lambda x: tf.square(tf.self_adjoint_eig(x)[1]), (S[:2],)),
    GradCase("eigh-both", lambda x: tf.self_adjoint_eig(x)[0][..., :1] * tf.square(
        tf.self_adjoint_eig(x)[1]), (LOWER_ONLY,)),
]  # fmt: skip


@pytest.mark.parametrize("case", gradient_cases(GRAD_CASES))
def test_gradient(case):
    check_gradient_case(case)


def test_eigenvectors_diagonalize_the_matrix(run):
    e, v = run(tf.linalg.eigh(S))
    np.testing.assert_allclose(v @ (e[..., None] * np.swapaxes(v, -1, -2)), S, atol=1e-12)
    assert (np.diff(e, axis=-1) >= 0).all()
