"""Tests for ``tf.space_to_batch_nd``, ``tf.batch_to_space_nd``, ``tf.space_to_batch`` and
``tf.batch_to_space`` (scopeflow/ops/array/space_batch.py): TF1's ops and names (TensorFlow
2.21's records, ``tests/data/tf_reference/space_batch.json``), the kernels against a loop
over blocks and the gradients against finite differences."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.graph_checks import check_against, expected, setup_of, tf_reference
from tests.ops.kernel_table import Case, cases_by_mode, check_case

REFERENCE = tf_reference("space_batch")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]

DIFFERENCES: dict = {}


@pytest.mark.parametrize("expr", list(GROUPS["EXPRESSIONS"]))
def test_builds_tf1s_graph(graph, env, expr):
    want = expected(GROUPS["EXPRESSIONS"][expr], DIFFERENCES.get(expr))
    check_against(graph, env, expr, want)


@pytest.mark.parametrize("expr", list(GROUPS["ERRORS"]))
def test_build_errors(graph, env, expr):
    want = expected(GROUPS["ERRORS"][expr], DIFFERENCES.get(expr))
    check_against(graph, env, expr, want, left=None)


def _space_to_batch(x, block, pads):
    """TF's definition, block offset by block offset: output batch ``(offset, b)`` holds
    ``padded[b, offset + block * i]``."""
    m = len(block)
    padded = np.pad(x, [(0, 0), *pads, *[(0, 0)] * (x.ndim - m - 1)])
    outs = []
    for offset in itertools.product(*[range(b) for b in block]):
        index = tuple(slice(o, None, b) for o, b in zip(offset, block, strict=True))
        outs.append(padded[(slice(None), *index)])
    return np.concatenate(outs, axis=0)


def _batch_to_space(x, block, crops):
    m, prod = len(block), int(np.prod(block))
    batch = x.shape[0] // prod
    full = np.zeros(
        (batch, *[s * b for s, b in zip(x.shape[1 : m + 1], block, strict=True)], *x.shape[m + 1 :])
    )
    for k, offset in enumerate(itertools.product(*[range(b) for b in block])):
        index = tuple(slice(o, None, b) for o, b in zip(offset, block, strict=True))
        full[(slice(None), *index)] = x[k * batch : (k + 1) * batch]
    ends = [s - c[1] for s, c in zip(full.shape[1 : m + 1], crops, strict=True)]
    return full[(slice(None), *[slice(c[0], e) for c, e in zip(crops, ends, strict=True)])].astype(
        x.dtype
    )


RNG = np.random.default_rng(11)
X = RNG.standard_normal((2, 4, 6, 3))
Y = RNG.standard_normal((12, 2, 3, 2))
S = RNG.standard_normal((3, 5, 2)).astype(np.float32)
# fmt: off
CASES = [
    Case("s2b", "SpaceToBatchND", lambda x: tf.space_to_batch_nd(x, [2, 3], [[0, 0], [0, 0]]),
         (X,), lambda x: _space_to_batch(x, [2, 3], [(0, 0), (0, 0)])),
    Case("s2b-padded", "SpaceToBatchND",
         lambda x: tf.space_to_batch_nd(x, [2, 2], [[1, 1], [0, 2]]), (X,),
         lambda x: _space_to_batch(x, [2, 2], [(1, 1), (0, 2)])),
    Case("s2b-1d", "SpaceToBatchND", lambda x: tf.space_to_batch_nd(x, [3], [[1, 0]]), (S,),
         lambda x: _space_to_batch(x, [3], [(1, 0)])),
    Case("s2b-int", "SpaceToBatchND", lambda x: tf.space_to_batch(x, [[0, 0], [0, 0]], 2),
         (np.arange(48, dtype=np.int32).reshape(1, 4, 4, 3),),
         lambda x: _space_to_batch(x, [2, 2], [(0, 0), (0, 0)])),
    Case("b2s", "BatchToSpaceND", lambda x: tf.batch_to_space_nd(x, [2, 3], [[0, 0], [0, 0]]),
         (Y,), lambda x: _batch_to_space(x, [2, 3], [(0, 0), (0, 0)])),
    Case("b2s-cropped", "BatchToSpaceND",
         lambda x: tf.batch_to_space_nd(x, [3, 2], [[1, 2], [0, 1]]), (Y,),
         lambda x: _batch_to_space(x, [3, 2], [(1, 2), (0, 1)])),
    Case("b2s-square", "BatchToSpaceND", lambda x: tf.batch_to_space(x, [[0, 1], [1, 0]], 2),
         (Y[:8].astype(np.float32),), lambda x: _batch_to_space(x, [2, 2], [(0, 1), (1, 0)])),
]
# fmt: on


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


GRADIENTS = [
    GradCase("s2b", lambda x: tf.space_to_batch_nd(x, [2, 2], [[1, 1], [0, 2]]), (X[:1],)),
    GradCase("b2s", lambda x: tf.batch_to_space_nd(x, [3, 2], [[1, 2], [0, 1]]), (Y[:6],)),
]


@pytest.mark.parametrize("case", gradient_cases(GRADIENTS))
def test_gradients(case):
    check_gradient_case(case)


def test_round_trip(graph):
    x = tf.constant(X)
    back = tf.batch_to_space_nd(
        tf.space_to_batch_nd(x, [2, 3], [[2, 0], [1, 2]]), [2, 3], [[2, 0], [1, 2]]
    )
    np.testing.assert_array_equal(tf.Session().run(back), X)


def test_required_space_to_batch_paddings_matches_tf(graph):
    shape = tf.placeholder(tf.int32, [2])
    paddings, crops = tf.required_space_to_batch_paddings(shape, [4, 4])
    based = tf.required_space_to_batch_paddings([5, 7], [2, 3], base_paddings=[[1, 0], [0, 2]])
    plain = tf.required_space_to_batch_paddings([5, 7], [2, 3])
    assert paddings.name == "required_space_to_batch_paddings/paddings:0"
    assert crops.name == "required_space_to_batch_paddings/crops:0"
    assert paddings.shape.as_list() == [2, 2] and paddings.dtype == tf.int32
    with tf.Session() as sess:
        got = sess.run([paddings, crops], {shape: [9, 3]})
        np.testing.assert_array_equal(got[0], [[0, 3], [0, 1]])
        np.testing.assert_array_equal(got[1], [[0, 3], [0, 1]])
        got = sess.run(based)
        np.testing.assert_array_equal(got[0], [[1, 0], [0, 2]])
        np.testing.assert_array_equal(got[1], [[0, 0], [0, 0]])
        np.testing.assert_array_equal(sess.run(plain[0]), [[0, 1], [0, 2]])
    with pytest.raises(ValueError):
        tf.required_space_to_batch_paddings([5, 7, 1], [2, 3])
