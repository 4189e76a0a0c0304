"""tf.math.sobol_sample (SobolSample) against numbers from the reference TensorFlow (TF 2.21)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case

# TF: tf.math.sobol_sample(3, 6)
FIRST_SIX = [
    [0.5, 0.5, 0.5],
    [0.75, 0.25, 0.25],
    [0.25, 0.75, 0.75],
    [0.375, 0.375, 0.625],
    [0.875, 0.875, 0.125],
    [0.625, 0.125, 0.875],
]
# TF: tf.math.sobol_sample(2, 4, skip=3, dtype=tf.float64)
SKIPPED = [[0.375, 0.375], [0.875, 0.875], [0.625, 0.125], [0.125, 0.625]]


def _sobol(dtype=tf.float32):
    return lambda dim, n, skip: tf.math.sobol_sample(dim, n, skip, dtype=dtype)


def _args(dim, n, skip=0):
    return (np.int32(dim), np.int32(n), np.int32(skip))


CASES = [
    # fed sizes: the static shape is [None, None]
    Case("first", "SobolSample", _sobol(), _args(3, 6), np.float32(FIRST_SIX),
         exact_static=False),
    Case("skip", "SobolSample", _sobol(tf.float64), _args(2, 4, 3), np.float64(SKIPPED),
         exact_static=False),
    Case("no-dim", "SobolSample", _sobol(), _args(0, 2),
         Raises(tf.errors.InvalidArgumentError, "dim must be at least one")),
    Case("too-many-dims", "SobolSample", _sobol(), _args(21201, 2),
         Raises(tf.errors.InvalidArgumentError, "dim must be at most 21200")),
    Case("no-results", "SobolSample", _sobol(), _args(2, 0),
         Raises(tf.errors.InvalidArgumentError, "num_results must be at least one")),
    Case("negative-skip", "SobolSample", _sobol(), _args(2, 2, -1),
         Raises(tf.errors.InvalidArgumentError, "skip must be non-negative")),
]  # fmt: skip


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


def test_names_and_static_shape_as_tf(graph):
    t = tf.math.sobol_sample(3, 6)
    assert t.name == "sobol/SobolSample:0"
    assert [op.name for op in graph.get_operations()] == [
        "sobol/SobolSample/dim",
        "sobol/SobolSample/num_results",
        "sobol/SobolSample/skip",
        "sobol/SobolSample",
    ]
    assert t.shape.as_list() == [6, 3]
    assert tf.math.sobol_sample(tf.placeholder(tf.int32), 3).shape.as_list() == [3, None]


TF_LAST_COLUMNS = [
    [0.9814453125, 0.9931640625, 0.4150390625, 0.4462890625],
    [0.7314453125, 0.7431640625, 0.6650390625, 0.1962890625],
    [0.2314453125, 0.2431640625, 0.1650390625, 0.6962890625],
]


def test_last_dimensions_are_tfs(graph):
    # TF: tf.math.sobol_sample(21200, 40, skip=1000, dtype=tf.float64)[:3, -4:]
    got = tf.Session().run(tf.math.sobol_sample(21200, 3, skip=1000, dtype=tf.float64))
    np.testing.assert_array_equal(got[:, -4:], TF_LAST_COLUMNS)


def test_errors_while_building(graph):
    with pytest.raises(TypeError, match="not in list of allowed values: float32, float64"):
        tf.math.sobol_sample(2, 2, dtype=tf.int32)
    with pytest.raises(ValueError, match="Shape must be rank 0 but is rank 1"):
        tf.math.sobol_sample([2], 2)


def test_skip_past_two_to_the_thirty_is_refused(graph):
    # TF's kernel overflows there (tf.math.sobol_sample(1, 1, skip=2**30 - 2) gives -9.3e-10).
    with pytest.raises(tf.errors.InvalidArgumentError, match="less than 2\\*\\*30"):
        tf.Session().run(tf.math.sobol_sample(1, 1, skip=2**30 - 1))
