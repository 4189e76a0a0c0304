"""Tests for scopeflow/ops/random/binomial.py (``tf.random.stateless_binomial``): TF 2.21's
samples bit for bit (inversion and BTRS, flipped probabilities, broadcasting, half and double
parameters, edge cases), names and errors."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, cases_by_mode, check_case

F32, F64 = np.float32, np.float64


def _binomial(dtype=tf.int32):
    return lambda shape, seed, c, p: tf.random.stateless_binomial(shape, seed, c, p, dtype)


CASES = [
    Case("inversion", "StatelessRandomBinomial", _binomial(),
         (np.int32([6]), np.int32([1, 2]), F32(5), F32(0.3)), np.int32([3, 2, 2, 2, 3, 2]),
         modes=("full",), exact_static=False),
    Case("btrs", "StatelessRandomBinomial", _binomial(),
         (np.int32([6]), np.int32([3, 4]), F32(100), F32(0.4)),
         np.int32([46, 42, 48, 41, 33, 42]), modes=("full",), exact_static=False),
    # counts [3, 1] and probs [3] broadcast to [3, 3]; probs above 0.5 sample the failures.
    Case("flipped-broadcast", "StatelessRandomBinomial", _binomial(tf.float32),
         (np.int32([4, 3, 3]), np.int32([5, 6]), F32([[10], [200], [7]]),
          F32([0.9, 0.95, 0.6])),
         F32([[[10, 10, 7], [182, 188, 129], [6, 7, 4]],
              [[8, 10, 7], [181, 193, 135], [7, 7, 6]],
              [[9, 10, 7], [177, 197, 119], [6, 6, 3]],
              [[8, 10, 8], [175, 189, 115], [7, 7, 5]]]), modes=("full",), exact_static=False),
    # No trials, p = 0, p = 1, then two draws.
    Case("edges-int64-double", "StatelessRandomBinomial", _binomial(tf.int64),
         (np.int32([2, 5]), np.int32([7, 8]), F64([0, 3, 10, 4, 20]),
          F64([0.5, 0, 1, 0.5, 0.5])),
         np.int64([[0, 0, 10, 3, 9], [0, 0, 10, 2, 15]]), modes=("full",), exact_static=False),
    Case("half", "StatelessRandomBinomial", _binomial(tf.float16),
         (np.int32([5]), np.int32([9, 9]), np.float16(30), np.float16(0.5)),
         np.float16([16, 19, 15, 14, 12]), modes=("full",), exact_static=False),
    Case("million-trials", "StatelessRandomBinomial", _binomial(),
         (np.int32([3]), np.int32([1, 1]), F64(1e6), F64(0.3)),
         np.int32([300189, 299943, 299855]), modes=("full",), exact_static=False),
    Case("nan-probability", "StatelessRandomBinomial", _binomial(tf.float32),
         (np.int32([2]), np.int32([1, 1]), F32(5), F32(np.nan)), F32([np.nan, np.nan]),
         modes=("full",), exact_static=False),
]  # fmt: skip


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


def test_names_and_static_shape_are_tfs(run, graph):
    b = tf.random.stateless_binomial([3, 2], [1, 2], [5.0, 50.0], [0.3, 0.7])
    assert [op.name for op in graph.get_operations()] == [
        "stateless_random_binomial/shape", "stateless_random_binomial/probs",
        "stateless_random_binomial/counts",
        "stateless_random_binomial/StatelessRandomBinomial/seed",
        "stateless_random_binomial/StatelessRandomBinomial",
    ]  # fmt: skip
    assert (b.dtype, b.shape.as_list()) == (tf.int32, [3, 2])
    assert run(b).tolist() == [[3, 27], [2, 38], [2, 32]]  # TF 2.21's


def test_errors_are_tfs(run):
    with pytest.raises(ValueError, match="Dimension must be 2 but is 3"):
        tf.random.stateless_binomial([2], [1, 2, 3], 5.0, 0.5)
    with pytest.raises(TypeError, match="not in list of allowed values"):
        tf.random.stateless_binomial([2], [1, 2], 5.0, 0.5, output_dtype=tf.string)
    wrong = tf.random.stateless_binomial([4], [1, 2], [1.0, 2.0], 0.5)
    with pytest.raises(tf.errors.InvalidArgumentError, match="must end with broadcasted shape"):
        run(wrong)
