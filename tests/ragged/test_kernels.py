"""Kernel and gradient cases of scopeflow/ragged/kernels.py (RaggedTensorToTensor,
RaggedTensorToSparse, RaggedRange, RaggedGather). Expected values and messages are TF 2.21's
(compat.v1, graph mode) for the same inputs."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.ragged.indexing import gather
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case

SPLITS = np.int64([0, 2, 3, 3])  # [[1, 2], [3], []]
INNER_SPLITS = np.int64([0, 2, 3, 4])  # with SPLITS: [[[1, 2], [3]], [[4]], []]


def _rt(values, *splits):
    return tf.RaggedTensor.from_nested_row_splits(values, list(splits), validate=False)


def _sparse(st):
    return [st.indices, st.values, st.dense_shape]


def _ragged(rt):
    return [rt.flat_values.op.outputs[i] for i in range(len(rt.flat_values.op.outputs))]


CASES = [
    Case(
        "to_tensor_default",
        "RaggedTensorToTensor",
        lambda v, s: _rt(v, s).to_tensor(default_value=-1),
        (np.int32([1, 2, 3]), SPLITS),
        np.int32([[1, 2], [3, -1], [-1, -1]]),
        exact_static=False,
    ),
    Case(
        "to_tensor_shape",
        "RaggedTensorToTensor",
        lambda v, s: _rt(v, s).to_tensor(shape=[2, 1]),
        (np.int32([1, 2, 3]), SPLITS),
        np.int32([[1], [3]]),
        modes=("full", "dims"),
    ),
    Case(
        "to_tensor_two_levels",
        "RaggedTensorToTensor",
        lambda v, s, t: _rt(v, s, t).to_tensor(),
        (np.float32([1, 2, 3, 4]), SPLITS, INNER_SPLITS),
        np.float32([[[1, 2], [3, 0]], [[4, 0], [0, 0]], [[0, 0], [0, 0]]]),
        exact_static=False,
    ),
    Case(
        "to_tensor_inner_default",
        "RaggedTensorToTensor",
        lambda v, s, d: _rt(v, s).to_tensor(default_value=d),
        (np.int32([[1, 2], [3, 4], [5, 6]]), SPLITS, np.int32([7, 8])),
        np.int32([[[1, 2], [3, 4]], [[5, 6], [7, 8]], [[7, 8], [7, 8]]]),
        exact_static=False,
    ),
    Case(
        "to_sparse",
        "RaggedTensorToSparse",
        lambda v, s: _sparse(_rt(v, s).to_sparse()),
        (np.int32([1, 2, 3]), SPLITS),
        [np.int64([[0, 0], [0, 1], [1, 0]]), np.int32([1, 2, 3]), np.int64([3, 2])],
        exact_static=False,
    ),
    Case(
        "to_sparse_two_levels",
        "RaggedTensorToSparse",
        lambda v, s, t: _sparse(_rt(v, s, t).to_sparse()),
        (np.int32([1, 2, 3, 4]), SPLITS, INNER_SPLITS),
        [
            np.int64([[0, 0, 0], [0, 0, 1], [0, 1, 0], [1, 0, 0]]),
            np.int32([1, 2, 3, 4]),
            np.int64([3, 2, 2]),
        ],
        exact_static=False,
    ),
    Case(
        "to_sparse_inner",
        "RaggedTensorToSparse",
        lambda v, s: _sparse(_rt(v, s).to_sparse()),
        (np.int32([[1, 2], [3, 4], [5, 6]]), SPLITS),
        [
            np.int64([[0, 0, 0], [0, 0, 1], [0, 1, 0], [0, 1, 1], [1, 0, 0], [1, 0, 1]]),
            np.int32([1, 2, 3, 4, 5, 6]),
            np.int64([3, 2, 2]),
        ],
        exact_static=False,
    ),
    Case(
        "range",
        "RaggedRange",
        lambda a, b, c: _ragged(tf.ragged.range(a, b, c)),
        (np.int32([0, 5]), np.int32([4, 1]), np.int32([2, -2])),
        [np.int64([0, 2, 4]), np.int32([0, 2, 5, 3])],
        exact_static=False,
    ),
    Case(
        "range_float_broadcast",
        "RaggedRange",
        lambda a, b, c: _ragged(tf.ragged.range(a, b, c)),
        (np.float32([0.5]), np.float32(2.0), np.float32(0.5)),
        [np.int64([0, 3]), np.float32([0.5, 1.0, 1.5])],
        exact_static=False,
    ),
    Case(
        "range_zero_delta",
        "RaggedRange",
        lambda a, b, c: _ragged(tf.ragged.range(a, b, c)),
        (np.int32([1]), np.int32([3]), np.int32(0)),
        Raises(tf.errors.InvalidArgumentError, "Requires delta != 0"),
    ),
    Case(
        "gather_rows",
        "RaggedGather",
        lambda v, s, i: _ragged(gather(_rt(v, s), i)),
        (np.int32([1, 2, 3]), SPLITS, np.int64([2, 0])),
        [np.int64([0, 0, 2]), np.int32([1, 2])],
        exact_static=False,
        modes=("full", "dims"),  # TF too needs the indices' rank
    ),
    Case(
        "gather_matrix_of_rows",
        "RaggedGather",
        lambda v, s, i: _ragged(gather(_rt(v, s), i)),
        (np.int32([1, 2, 3]), SPLITS, np.int32([[1], [0]])),
        [np.int64([0, 1, 2]), np.int64([0, 1, 3]), np.int32([3, 1, 2])],
        modes=("full",),
        exact_static=False,
    ),
    Case(
        "gather_two_levels",
        "RaggedGather",
        lambda v, s, t, i: _ragged(gather(_rt(v, s, t), i)),
        (np.int32([1, 2, 3, 4]), SPLITS, INNER_SPLITS, np.int64([2, 0])),
        [np.int64([0, 0, 2]), np.int64([0, 2, 3]), np.int32([1, 2, 3])],
        exact_static=False,
        modes=("full", "dims"),  # TF too needs the indices' rank
    ),
    Case(
        "gather_out_of_range",
        "RaggedGather",
        lambda v, s, i: _ragged(gather(_rt(v, s), i)),
        (np.int32([1, 2, 3]), SPLITS, np.int64([5])),
        Raises(tf.errors.InvalidArgumentError, "indices[0] = 5 is not in [0, 3)"),
        modes=("full", "dims"),  # TF too needs the indices' rank
    ),
]


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel(run, case, mode):
    check_case(run, case, mode)


GRADIENTS = [
    GradCase(
        "to_tensor_cut_and_padded",
        lambda v, d: _rt(v, SPLITS).to_tensor(default_value=d, shape=[3, 1]),
        (np.array([1.0, 2.0, 3.0]), np.array(5.0)),
    ),
    GradCase(
        "to_tensor_inner",
        lambda v: _rt(v, SPLITS).to_tensor(),
        (np.arange(6.0).reshape(3, 2),),
    ),
    GradCase("to_sparse", lambda v: _rt(v, SPLITS).to_sparse().values, (np.array([1.0, 2, 3]),)),
    GradCase(
        "gather",
        lambda v: gather(_rt(v, SPLITS), [2, 0, 0]).flat_values,
        (np.array([1.0, 2.0, 3.0]),),
    ),
]


@pytest.mark.parametrize("case", gradient_cases(GRADIENTS))
def test_gradient(case):
    check_gradient_case(case)


def test_gradients_match_tensorflow(graph, run):
    # TF: to_tensor(default_value=d, shape=[3, 1]) * [[1], [2], [3]] gives values [1, 0, 2]
    # (its IndexedSlices, dense) and d 3; a gather of rows [2, 0, 0] weighted 1, 10, 100, 1000
    # gives values [101, 1010, 0]; to_sparse's values weighted 1, 10, 100 give [1, 10, 100].
    v, d = tf.constant([1.0, 2.0, 3.0]), tf.constant(5.0)
    rt = tf.RaggedTensor.from_row_splits(v, [0, 2, 3, 3])
    padded = rt.to_tensor(default_value=d, shape=[3, 1]) * tf.constant([[1.0], [2.0], [3.0]])
    gathered = gather(rt, [2, 0, 0]).flat_values * tf.constant([1.0, 10.0, 100.0, 1000.0])
    sparse = rt.to_sparse().values * tf.constant([1.0, 10.0, 100.0])
    grads = run(tf.gradients(padded, [v, d]) + tf.gradients(gathered, v) + tf.gradients(sparse, v))
    np.testing.assert_array_equal(grads[0], [1.0, 0.0, 2.0])
    assert grads[1] == 3.0
    np.testing.assert_array_equal(grads[2], [101.0, 1010.0, 0.0])
    np.testing.assert_array_equal(grads[3], [1.0, 10.0, 100.0])
