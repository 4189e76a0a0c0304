"""Tests for scopeflow/ops/math/einsum.py (``Einsum``) and ``BroadcastTo``
(scopeflow/ops/math/broadcasting.py): kernels against NumPy, gradients against finite
differences, and the equation errors. TF's names and values for both are checked in
tests/ops/nn/test_extras.py."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.kernel_table import Case, cases_by_mode, check_case

RNG = np.random.default_rng(11)
A = RNG.standard_normal((2, 3))
B = RNG.standard_normal((3, 4))
M = RNG.standard_normal((2, 3, 4))
N = RNG.standard_normal((2, 4, 5))
SQ = RNG.standard_normal((3, 3))


def _einsum(equation):
    return lambda *xs: tf.einsum(equation, *xs)


# fmt: off
CASES = [
    Case("matmul", "Einsum", _einsum("ij,jk->ik"), (A, B), lambda a, b: a @ b, 1e-12),
    Case("implicit-output", "Einsum", _einsum("ij,jk"), (A, B), lambda a, b: a @ b, 1e-12),
    Case("batch", "Einsum", _einsum("bij,bjk->bik"), (M, N), lambda m, n: m @ n, 1e-12),
    Case("ellipsis", "Einsum", _einsum("...ij,jk->...ik"), (M, N[0]), lambda m, k: m @ k,
         1e-12),
    Case("transpose", "Einsum", _einsum("ij->ji"), (A,), lambda a: a.T),
    Case("sum", "Einsum", _einsum("ij->"), (A,), lambda a: np.sum(a), 1e-12),
    Case("diag", "Einsum", _einsum("ii->i"), (SQ,), np.diag),
    # A repeated output label: the raw op only (tf.einsum refuses it while building, as TF).
    Case("untrace", "Einsum", lambda x: tf.raw_ops.Einsum(inputs=[x], equation="i->ii"),
         (SQ[0],), np.diag),
    Case("int", "Einsum", _einsum("i,i->"), (np.int32([1, 2]), np.int32([3, 4])), np.int32(11)),
    # Three and four operands: contracted two at a time (TF's order: tests/ops/nn/test_extras.py).
    Case("chain", "Einsum", _einsum("ij,jk,kl->il"), (A, B, B.T), lambda a, b, c: a @ b @ c,
         1e-12),
    Case("chain-ellipsis", "Einsum", _einsum("...ij,jk,kl->...il"), (M, N[0], N[0].T),
         lambda m, b, c: m @ b @ c, 1e-12),
    Case("outer-three", "Einsum", _einsum("bi,bj,bk->bijk"), (A, A, A),
         lambda x, y, z: np.einsum("bi,bj,bk->bijk", x, y, z), 1e-12),
    Case("broadcast_to", "BroadcastTo", lambda x: tf.broadcast_to(x, [3, 2, 3]), (A[0],),
         lambda x: np.broadcast_to(x, (3, 2, 3)), modes=("full", "dims")),
    Case("broadcast_to-ones", "BroadcastTo", lambda x: tf.broadcast_to(x, [2, 3]),
         (A[:1],), lambda x: np.broadcast_to(x, (2, 3)), modes=("full", "dims")),
]
# fmt: on


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


GRADIENTS = [
    GradCase("matmul", _einsum("ij,jk->ik"), (A, B)),
    GradCase("batch", _einsum("bij,bjk->bik"), (M, N)),
    GradCase("ellipsis-broadcast", _einsum("...ij,jk->...ik"), (M, N[0])),
    GradCase("ellipsis-unbroadcast", _einsum("...ij,...jk->...ik"), (M[:1], N)),
    GradCase("reduce-other", _einsum("ij,jk->i"), (A, B)),
    GradCase("transpose-sum", _einsum("bij->jb"), (M,)),
    GradCase("sum", _einsum("ij->"), (A,)),
    GradCase("diag", _einsum("ii->i"), (SQ,)),
    GradCase("trace", _einsum("ii"), (SQ,)),
    GradCase("outer", _einsum("i,j->ij"), (A[0], B[0])),
    GradCase("broadcast_to", lambda x: tf.broadcast_to(x, [4, 2, 3]), (A,)),
    GradCase("complex", _einsum("ij,jk->ik"), (A + 1j * A, B - 2j * B)),
    GradCase("chain", _einsum("ij,jk,kl->il"), (A, B, B.T)),
]


@pytest.mark.parametrize("case", gradient_cases(GRADIENTS))
def test_gradients(case):
    check_gradient_case(case)


def test_more_than_two_operands_make_one_einsum_per_contraction(graph):
    a, b, c, d = (tf.constant(x) for x in (A, B, B.T, A.T))
    out = tf.einsum("ij,jk,kl,lm->im", a, b, c, d)
    assert [op.type for op in tf.get_default_graph().get_operations()][4:] == ["Einsum"] * 3
    np.testing.assert_allclose(tf.Session().run(out), A @ B @ B.T @ A.T, rtol=1e-12)


@pytest.mark.parametrize(
    ("equation", "message"),
    [("i1,jk->ik", "Subscripts have to be letters"), ("ij,jk", None)],
)
def test_equation_errors(graph, equation, message):
    if message is None:
        assert tf.einsum(equation, tf.constant(A), tf.constant(B)).shape.as_list() == [2, 4]
        return
    with pytest.raises(ValueError, match=message):
        tf.einsum(equation, tf.constant(A), tf.constant(B))


def test_dimensions_of_a_label_must_agree(graph):
    with pytest.raises(ValueError, match="Expected dimension 3 for label 'j'"):
        tf.einsum("ij,jk->ik", tf.constant(A), tf.constant(A))
