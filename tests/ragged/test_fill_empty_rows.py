"""Tests for scopeflow/ragged/fill_empty_rows.py (``tf.ragged_fill_empty_rows`` and its
gradient op): TF 2.21's values, names, build and run errors, gradient."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case

I64 = np.int64
CASES = [
    Case("rows-2-and-4-empty", "RaggedFillEmptyRows",
         lambda r, v, n, d: list(tf.ragged_fill_empty_rows(r, v, n, d)),
         (I64([0, 0, 2, 2]), np.float32([1, 2, 3, 4]), I64(4), np.float32(-1)),
         [I64([0, 0, 1, 2, 2, 3]), np.float32([1, 2, -1, 3, 4, -1]),
          np.array([False, True, False, True]), I64([0, 1, 3, 4])], modes=("full", "dims"),
         exact_static=False),
    # Values grouped by row, in input order within a row.
    Case("unsorted-rows", "RaggedFillEmptyRows",
         lambda r, v, n, d: list(tf.ragged_fill_empty_rows(r, v, n, d)),
         (I64([2, 0]), np.float32([1, 2]), I64(3), np.float32(-1)),
         [I64([0, 1, 2]), np.float32([2, -1, 1]), np.array([False, True, False]), I64([2, 0])],
         modes=("full", "dims"), exact_static=False),
    Case("strings-no-values-left-empty", "RaggedFillEmptyRows",
         lambda r, v, n, d: list(tf.ragged_fill_empty_rows(r, v, n, d)),
         (I64([0, 1]), np.array([b"a", b"b"]), I64(3), np.array(b"z")),
         [I64([0, 1, 2]), np.array([b"a", b"b", b"z"], dtype=object),
          np.array([False, False, True]), I64([0, 1])], modes=("full", "dims"),
         exact_static=False),
    Case("row-id-out-of-range", "RaggedFillEmptyRows",
         lambda r, v, n, d: list(tf.ragged_fill_empty_rows(r, v, n, d)),
         (I64([0, 3]), np.float32([1, 2]), I64(3), np.float32(-1)),
         Raises(tf.errors.InvalidArgumentError, "indices(1, 0) is invalid: 3 >= 3")),
    Case("grad-repeated-index", "RaggedFillEmptyRowsGrad",
         lambda r, g: list(tf.ragged_fill_empty_rows_grad(r, g)),
         (I64([0, 0]), np.float32([1, 2, 3])), [np.float32([1, 1]), np.float32(5)]),
    Case("grad-index-out-of-range", "RaggedFillEmptyRowsGrad",
         lambda r, g: list(tf.ragged_fill_empty_rows_grad(r, g)),
         (I64([0, 5]), np.float32([1, 2, 3])),
         Raises(tf.errors.InvalidArgumentError,
                "Elements in reverse index must be in [0, 3) but got 5")),
]  # fmt: skip


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


def test_gradient_is_tfs(run, graph):
    values, default = tf.constant([1.0, 2.0, 3.0, 4.0]), tf.constant(-1.0)
    out = tf.ragged_fill_empty_rows(
        tf.constant([0, 0, 2, 2], tf.int64), values, tf.constant(4, tf.int64), default
    )  # fmt: skip
    assert [op.name for op in graph.get_operations()][-1] == "RaggedFillEmptyRows"
    assert out.reverse_index_map.shape.as_list() == [4]
    grad_ys = tf.constant([1.0, 2, 3, 4, 5, 6])
    grads = tf.gradients(out.output_values, [values, default], grad_ys=grad_ys)
    assert grads[0].name == "gradients/RaggedFillEmptyRows_grad/RaggedFillEmptyRowsGrad:0"
    d_values, d_default = run(grads)
    assert (d_values.tolist(), d_default) == ([1.0, 2.0, 4.0, 5.0], 9.0)  # TF 2.21's
    # values reach the gradient only through the int64 reverse_index_map, which TF's
    # gradients do not follow: no gradient (TF 2.21 gives [None] too)
    assert tf.gradients(grads[0], values) == [None]


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        (([0, 0, 1], [[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]], 3, -1.0), ValueError,
         "Shape must be rank 1 but is rank 2"),
        (([0, 0, 1], [1.0, 2.0], 3, -1.0), ValueError, "Dimensions must be equal"),
        (([0, 0], [1.0, 2.0], [3], -1.0), ValueError, "Shape must be rank 0 but is rank 1"),
        ((tf.int32, [1.0, 2.0], 3, -1.0), TypeError,
         "Input 'value_rowids' of 'RaggedFillEmptyRows' Op has type int32 that does not match "
         "expected type of int64"),
        (([0], [1.0], 1, np.int32(1)), TypeError,
         "Input 'default_value' of 'RaggedFillEmptyRows' Op has type int32 that does not match "
         "type float32 of argument 'values'"),
    ],
)  # fmt: skip
def test_build_errors_are_tfs(graph, args, error, match):
    rowids, values, nrows, default = args
    rowids = tf.constant([0, 0], rowids) if isinstance(rowids, tf.DType) else tf.constant(
        rowids, tf.int64)  # fmt: skip
    with pytest.raises(error, match=match):
        tf.ragged_fill_empty_rows(rowids, tf.constant(values), tf.constant(nrows, tf.int64),
                                  tf.constant(default))  # fmt: skip
