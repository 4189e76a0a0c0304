"""The NumPy kernels of scopeflow/ops/sparse/ against dense NumPy, with placeholders of known,
unknown and unranked shapes, and their run-time errors (TF's messages, as
``InvalidArgumentError`` naming the op)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case

# A 2x3 sparse tensor in row-major order, and its dense value.
IDX = np.array([[0, 0], [0, 2], [1, 1]], np.int64)
VALS = np.array([1.0, 2.0, 3.0], np.float32)
SHAPE = np.array([2, 3], np.int64)
DENSE = np.array([[1.0, 0.0, 2.0], [0.0, 3.0, 0.0]], np.float32)
B = np.arange(6, dtype=np.float32).reshape(3, 2) - 2.0
SPARSE = (IDX, VALS, SHAPE)
UNSORTED = np.array([[1, 1], [0, 2], [0, 0]], np.int64)


def dense_of(indices, values, shape, default=0):
    """The dense NumPy array of a sparse value (repeated indices add up)."""
    out = np.full(tuple(shape), default, dtype=np.asarray(values).dtype)
    np.add.at(out, tuple(np.asarray(indices).T), values)
    return out


def sp(i, v, s):
    return tf.SparseTensor(i, v, s)


def parts(x: tf.SparseTensor) -> list:
    return [x.indices, x.values, x.dense_shape]


def _matmul_case(id, adjoint_a, adjoint_b, values=VALS, tolerance=1e-6):
    """``op(A) @ op(B)`` for the sparse ``A`` holding ``values``; ``B`` of ``values``' dtype
    (complex when they are)."""
    a_op = dense_of(IDX, values, SHAPE)
    a_op = a_op.conj().T if adjoint_a else a_op
    inner = a_op.shape[1]
    b_op = np.arange(inner * 2).reshape(inner, 2) - 2.0
    b_op = (b_op + 1j * b_op[::-1] if values.dtype.kind == "c" else b_op).astype(values.dtype)
    b_arg = b_op.conj().T if adjoint_b else b_op
    return Case(
        id,
        "SparseTensorDenseMatMul",
        lambda i, v, s, b: tf.sparse_tensor_dense_matmul(sp(i, v, s), b, adjoint_a, adjoint_b),
        (IDX, values, SHAPE, b_arg),
        (a_op @ b_op).astype(values.dtype),
        tolerance=tolerance,
        exact_static=False,
    )


# fmt: off
CASES = [
    # -- SparseToDense
    Case("to_dense", "SparseToDense", lambda i, v, s: tf.sparse.to_dense(sp(i, v, s)), SPARSE,
         DENSE, exact_static=False),
    Case("to_dense-default", "SparseToDense",
         lambda i, v, s: tf.sparse.to_dense(sp(i, v, s), default_value=-1.0), SPARSE,
         np.where(DENSE == 0, -1.0, DENSE).astype(np.float32), exact_static=False),
    Case("to_dense-strings", "SparseToDense",
         lambda i, v, s: tf.sparse.to_dense(sp(i, v, s), default_value=""),
         (IDX[:2], np.array([b"a", b"bc"], object), SHAPE),
         np.array([[b"a", b"", b"bc"], [b"", b"", b""]], object), exact_static=False),
    Case("sparse_to_dense-vector", "SparseToDense",
         lambda i, v: tf.sparse_to_dense(i, [5], v, default_value=-1),
         (np.array([0, 3], np.int32), np.array([7, 8], np.int32)),
         np.array([7, -1, -1, 8, -1], np.int32)),
    Case("sparse_to_dense-scalar-value", "SparseToDense",
         lambda i: tf.sparse_to_dense(i, [2, 2], 1.5), (np.array([[0, 1], [1, 0]], np.int64),),
         np.array([[0, 1.5], [1.5, 0]], np.float32)),
    Case("to_dense-unsorted-unvalidated", "SparseToDense",
         lambda i, v, s: tf.sparse.to_dense(sp(i, v, s), validate_indices=False),
         (UNSORTED, VALS, SHAPE), dense_of(UNSORTED, VALS, SHAPE), exact_static=False),
    Case("to_dense-out-of-bounds", "SparseToDense", lambda i, v, s: tf.sparse.to_dense(sp(i, v, s)),
         (np.array([[0, 0], [2, 1]], np.int64), VALS[:2], SHAPE),
         Raises(tf.errors.InvalidArgumentError,
                "indices[1] = [2,1] is out of bounds: need 0 <= index < [2,3]")),
    Case("to_dense-unsorted", "SparseToDense", lambda i, v, s: tf.sparse.to_dense(sp(i, v, s)),
         (UNSORTED, VALS, SHAPE),
         Raises(tf.errors.InvalidArgumentError,
                "indices[1] = [0,2] is out of order. Many sparse ops require sorted indices.")),
    Case("to_dense-repeated", "SparseToDense", lambda i, v, s: tf.sparse.to_dense(sp(i, v, s)),
         (np.array([[0, 1], [0, 1]], np.int64), VALS[:2], SHAPE),
         Raises(tf.errors.InvalidArgumentError, "indices[1] = [0,1] is repeated")),
    Case("to_dense-unvalidated-out-of-bounds", "SparseToDense",
         lambda i, v, s: tf.sparse.to_dense(sp(i, v, s), validate_indices=False),
         (np.array([[5, 0]], np.int64), VALS[:1], SHAPE),
         Raises(tf.errors.InvalidArgumentError,
                "Indices are not valid (out of bounds).  Shape: [2,3]")),
    Case("sparse_to_dense-values", "SparseToDense",
         lambda i, v: tf.sparse_to_dense(i, [3], v),
         (np.array([0, 1], np.int64), np.array([1.0, 2.0, 3.0], np.float32)),
         Raises(tf.errors.InvalidArgumentError,
                "sparse_values has incorrect shape [3], should be [] or [2]")),
    # -- SparseTensorDenseMatMul
    _matmul_case("matmul", False, False),
    _matmul_case("matmul-adjoint_a", True, False),
    _matmul_case("matmul-adjoint_b", False, True),
    _matmul_case("matmul-adjoint_both", True, True),
    _matmul_case("matmul-complex-adjoints", True, True, (VALS * (1 + 2j)).astype(np.complex64)),
    _matmul_case("matmul-complex", False, False, (VALS * (1 - 2j)).astype(np.complex128)),
    _matmul_case("matmul-float16", False, True, VALS.astype(np.float16), tolerance=1e-3),
    _matmul_case("matmul-int32", True, False, np.array([1, 2, 3], np.int32)),
    Case("matmul-repeated", "SparseTensorDenseMatMul",
         lambda i, v, s, b: tf.sparse_tensor_dense_matmul(sp(i, v, s), b),
         (np.array([[0, 1], [0, 1]], np.int64), VALS[:2], SHAPE, B),
         np.array([[3.0 * B[1, 0], 3.0 * B[1, 1]], [0.0, 0.0]], np.float32), exact_static=False),
    Case("matmul-k-out-of-bounds", "SparseTensorDenseMatMul",
         lambda i, v, s, b: tf.sparse_tensor_dense_matmul(sp(i, v, s), b),
         (np.array([[0, 3]], np.int64), VALS[:1], SHAPE, B),
         Raises(tf.errors.InvalidArgumentError, "k (3) from index[0,1] out of bounds (>=3)")),
    Case("matmul-m-out-of-bounds", "SparseTensorDenseMatMul",
         lambda i, v, s, b: tf.sparse_tensor_dense_matmul(sp(i, v, s), b, adjoint_a=True),
         (np.array([[0, 5]], np.int64), VALS[:1], SHAPE, B[:2]),
         Raises(tf.errors.InvalidArgumentError, "m (5) from index[0,1] out of bounds (>=3)")),
    Case("matmul-inner", "SparseTensorDenseMatMul",
         lambda i, v, s, b: tf.sparse_tensor_dense_matmul(sp(i, v, s), b), (*SPARSE, B[:2]),
         Raises(tf.errors.InvalidArgumentError,
                "Cannot multiply A and B because inner dimension does not match: 3 vs. 2.")),
    # -- SparseTensorDenseAdd, SparseDenseCwiseMul/Div
    Case("dense_add", "SparseTensorDenseAdd", lambda i, v, s, d: tf.sparse_add(sp(i, v, s), d),
         (*SPARSE, B.T), lambda i, v, s, d: DENSE + d),
    Case("dense_add-repeated", "SparseTensorDenseAdd",
         lambda i, v, s, d: tf.sparse_add(d, sp(i, v, s)),
         (np.array([[1, 2], [1, 2]], np.int64), VALS[:2], SHAPE, B.T),
         lambda i, v, s, d: d + dense_of(i, v, s)),
    Case("dense_add-out-of-bounds", "SparseTensorDenseAdd",
         lambda i, v, s, d: tf.sparse_add(sp(i, v, s), d),
         (np.array([[0, 4]], np.int64), VALS[:1], SHAPE, B.T),
         Raises(tf.errors.InvalidArgumentError,
                "Sparse tensor has an invalid index on dimension 1: a_indices(0,1) = 4, dense "
                "tensor shape: 2 3")),
    Case("dense_add-shape", "SparseTensorDenseAdd",
         lambda i, v, s, d: tf.sparse_add(sp(i, v, s), d), (*SPARSE, B),
         Raises(tf.errors.InvalidArgumentError,
                "Dimension 0 does not equal (no broadcasting is supported): sparse side 2 vs "
                "dense side 3")),
    Case("mul-broadcast", "SparseDenseCwiseMul", lambda i, v, s, d: (sp(i, v, s) * d).values,
         (*SPARSE, np.array([2.0, -1.0, 0.5], np.float32)),
         np.array([2.0, 1.0, -3.0], np.float32), exact_static=False),
    Case("mul-scalar", "SparseDenseCwiseMul", lambda i, v, s, d: (sp(i, v, s) * d).values,
         (*SPARSE, np.float32(-2.0)), -2 * VALS, exact_static=False),
    Case("div", "SparseDenseCwiseDiv", lambda i, v, s, d: (sp(i, v, s) / d).values,
         (*SPARSE, np.array([[2.0], [4.0]], np.float32)),
         np.array([0.5, 1.0, 0.75], np.float32), exact_static=False),
    Case("div-int", "SparseDenseCwiseDiv", lambda i, v, s, d: (sp(i, v, s) / d).values,
         (IDX, np.array([-7, 7, 9], np.int32), SHAPE, np.int32(2)),
         np.array([-3, 3, 4], np.int32), exact_static=False),
    Case("div-zero", "SparseDenseCwiseDiv", lambda i, v, s, d: (sp(i, v, s) / d).values,
         (*SPARSE, np.array([1.0, 0.0, 2.0], np.float32)),
         Raises(tf.errors.InvalidArgumentError, "SparseDenseCwiseDiv cannot divide by zero")),
    Case("mul-incompatible", "SparseDenseCwiseMul", lambda i, v, s, d: (sp(i, v, s) * d).values,
         (*SPARSE, np.ones(2, np.float32)),
         Raises(tf.errors.InvalidArgumentError,
                "SparseDenseBinaryOpShared broadcasts dense to sparse only; got incompatible "
                "shapes: [2,3] vs. [2]")),
    # -- SparseAdd, SparseConcat
    Case("sparse_add", "SparseAdd",
         lambda i, v, s, j, w: parts(tf.sparse_add(sp(i, v, s), sp(j, w, s))),
         (*SPARSE, np.array([[0, 1], [0, 2], [1, 2]], np.int64),
          np.array([5.0, -2.0, 6.0], np.float32)),
         [np.array([[0, 0], [0, 1], [0, 2], [1, 1], [1, 2]]),
          np.array([1.0, 5.0, 0.0, 3.0, 6.0], np.float32), SHAPE], exact_static=False),
    Case("sparse_add-threshold", "SparseAdd",
         lambda i, v, s, j, w: parts(tf.sparse_add(sp(i, v, s), sp(j, w, s), threshold=0.5)),
         (*SPARSE, np.array([[0, 2], [1, 0]], np.int64), np.array([-1.75, 0.25], np.float32)),
         [np.array([[0, 0], [1, 0], [1, 1]]), np.array([1.0, 0.25, 3.0], np.float32), SHAPE],
         exact_static=False),
    Case("sparse_add-repeated", "SparseAdd",
         lambda i, v, s: parts(tf.sparse_add(sp(i, v, s), sp(i, v, s))),
         (np.array([[0, 0], [0, 0]], np.int64), VALS[:2], SHAPE),
         [np.array([[0, 0], [0, 0]]), np.array([2.0, 4.0], np.float32), SHAPE],
         exact_static=False),
    Case("sparse_add-shapes", "SparseAdd",
         lambda i, v, s, t: tf.sparse_add(sp(i, v, s), sp(i, v, t)).values,
         (*SPARSE, np.array([2, 4], np.int64)),
         Raises(tf.errors.InvalidArgumentError,
                "Operands' shapes do not match: got 3 and 4 for dimension 1")),
    Case("concat-1", "SparseConcat",
         lambda i, v, s, j, w, t: parts(tf.sparse_concat(1, [sp(i, v, s), sp(j, w, t)])),
         (*SPARSE, np.array([[0, 0], [1, 0]], np.int64), np.array([5.0, 6.0], np.float32),
          np.array([2, 1], np.int64)),
         [np.array([[0, 0], [0, 2], [0, 3], [1, 1], [1, 3]]),
          np.array([1.0, 2.0, 5.0, 3.0, 6.0], np.float32), np.array([2, 4])],
         exact_static=False),
    Case("concat-0", "SparseConcat",
         lambda i, v, s: parts(tf.sparse_concat(0, [sp(i, v, s), sp(i, v, s)])), SPARSE,
         [np.concatenate([IDX, IDX + [2, 0]]), np.tile(VALS, 2), np.array([4, 3])],
         exact_static=False),
    Case("concat-shapes", "SparseConcat",
         lambda i, v, s, t: tf.sparse_concat(1, [sp(i, v, s), sp(i, v, t)]).values,
         (*SPARSE, np.array([3, 3], np.int64)),
         Raises(tf.errors.InvalidArgumentError,
                "Input shapes must match: expected 2 for dimension 0 but got 3 at position 1")),
    # -- SparseReduceSum, SparseReduceSumSparse
    Case("reduce_sum-axis1", "SparseReduceSum",
         lambda i, v, s: tf.sparse_reduce_sum(sp(i, v, s), 1), SPARSE, DENSE.sum(1),
         exact_static=False),
    Case("reduce_sum-all", "SparseReduceSum", lambda i, v, s: tf.sparse_reduce_sum(sp(i, v, s)),
         SPARSE, np.float32(6.0), exact_static=False),
    Case("reduce_sum-keepdims", "SparseReduceSum",
         lambda i, v, s: tf.sparse_reduce_sum(sp(i, v, s), [-2], keepdims=True), SPARSE,
         DENSE.sum(0, keepdims=True), exact_static=False),
    Case("reduce_sum-int-3d", "SparseReduceSum",
         lambda i, v, s: tf.sparse_reduce_sum(sp(i, v, s), [0, 2]),
         (np.array([[0, 1, 1], [1, 1, 0], [1, 0, 2]], np.int64), np.array([4, 5, 6], np.int64),
          np.array([2, 2, 3], np.int64)), np.array([6, 9], np.int64), exact_static=False),
    Case("reduce_sum-axis", "SparseReduceSum",
         lambda i, v, s: tf.sparse_reduce_sum(sp(i, v, s), 2), SPARSE,
         Raises(tf.errors.InvalidArgumentError,
                "Invalid reduction dimension 2, for input with 2 dimensions.")),
    Case("reduce_sum_sparse", "SparseReduceSumSparse",
         lambda i, v, s: parts(tf.sparse_reduce_sum_sparse(sp(i, v, s), 1)),
         (UNSORTED, VALS, SHAPE), [np.array([[0], [1]]), np.array([5.0, 1.0], np.float32),
                                   np.array([2])], exact_static=False),
    Case("reduce_sum_sparse-keepdims", "SparseReduceSumSparse",
         lambda i, v, s: parts(tf.sparse_reduce_sum_sparse(sp(i, v, s), 0, keepdims=True)),
         SPARSE, [np.array([[0, 0], [0, 1], [0, 2]]), DENSE.sum(0), np.array([1, 3])],
         exact_static=False),
    # -- SparseReorder, SparseReshape, SparseSlice, SparseFillEmptyRows
    Case("reorder", "SparseReorder",
         lambda i, v, s: parts(tf.sparse_reorder(sp(i, v, s)))[:2], (UNSORTED, VALS, SHAPE),
         [UNSORTED[::-1], VALS[::-1]], exact_static=False),
    Case("transpose", "SparseReorder",
         lambda i, v, s: parts(tf.sparse.transpose(sp(i, v, s)))[:2], SPARSE,
         lambda i, v, s: [np.argwhere(DENSE.T), DENSE.T[DENSE.T != 0]], exact_static=False),
    Case("reshape", "SparseReshape",
         lambda i, v, s: [tf.sparse_reshape(sp(i, v, s), [3, -1]).indices,
                          tf.sparse_reshape(sp(i, v, s), [3, -1]).dense_shape], SPARSE,
         [np.array([[0, 0], [1, 0], [2, 0]]), np.array([3, 2])], exact_static=False,
         modes=("dims", "rank")),
    Case("reshape-rank3", "SparseReshape",
         lambda i, v, s, n: tf.sparse_reshape(sp(i, v, s), n).indices,
         (*SPARSE, np.array([1, -1, 2], np.int64)),
         np.array([[0, 0, 0], [0, 1, 0], [0, 2, 0]]), exact_static=False),
    Case("reshape-size", "SparseReshape",
         lambda i, v, s, n: tf.sparse_reshape(sp(i, v, s), n).indices,
         (*SPARSE, np.array([4, -1], np.int64)),
         Raises(tf.errors.InvalidArgumentError,
                "Input to reshape is a SparseTensor with 6 dense values, but the requested "
                "shape requires a multiple of 4. input_shape=[2,3] output_shape=[4,1]")),
    Case("slice", "SparseSlice",
         lambda i, v, s: parts(tf.sparse_slice(sp(i, v, s), [0, 1], [2, 5])), SPARSE,
         [np.array([[0, 1], [1, 0]]), np.array([2.0, 3.0], np.float32), np.array([2, 2])],
         exact_static=False),
    Case("slice-outside", "SparseSlice",
         lambda i, v, s: parts(tf.sparse_slice(sp(i, v, s), [5, 5], [2, 2])), SPARSE,
         [np.zeros((0, 2), np.int64), np.zeros(0, np.float32), np.array([0, 0])],
         exact_static=False),
    Case("fill_empty_rows", "SparseFillEmptyRows",
         lambda i, v, s: [*parts(tf.sparse_fill_empty_rows(sp(i, v, s), -1.0)[0])[:2],
                          tf.sparse_fill_empty_rows(sp(i, v, s), -1.0)[1]],
         (np.array([[3, 0], [1, 2]], np.int64), VALS[:2], np.array([5, 3], np.int64)),
         [np.array([[0, 0], [1, 2], [2, 0], [3, 0], [4, 0]]),
          np.array([-1.0, 2.0, -1.0, 1.0, -1.0], np.float32),
          np.array([True, False, True, False, True])], exact_static=False),
    Case("fill_empty_rows-bad-row", "SparseFillEmptyRows",
         lambda i, v, s: tf.sparse_fill_empty_rows(sp(i, v, s), -1.0)[1],
         (np.array([[7, 0]], np.int64), VALS[:1], SHAPE),
         Raises(tf.errors.InvalidArgumentError, "indices(0, 0) is invalid: 7 >= 2")),
    # -- SegmentSum, SparseSegmentSum/Mean/SqrtN
    Case("segment_sum", "SegmentSum", lambda d, i: tf.segment_sum(d, i),
         (np.arange(8.0).reshape(4, 2), np.array([0, 0, 2, 2], np.int32)),
         np.array([[2.0, 4.0], [0.0, 0.0], [10.0, 12.0]]), exact_static=False),
    Case("segment_sum-unsorted", "SegmentSum", lambda d, i: tf.segment_sum(d, i),
         (np.arange(3.0), np.array([0, 2, 1], np.int64)),
         Raises(tf.errors.InvalidArgumentError, "segment ids are not increasing")),
    Case("segment_sum-negative", "SegmentSum", lambda d, i: tf.segment_sum(d, i),
         (np.arange(3.0), np.array([-1, 0, 1], np.int64)),
         Raises(tf.errors.InvalidArgumentError,
                "Segment id -1 out of range [0, 2), possibly because 'segment_ids' input is not "
                "sorted.")),
    Case("sparse_segment_sum", "SparseSegmentSum",
         lambda d, i, s: tf.sparse_segment_sum(d, i, s),
         (np.arange(8.0, dtype=np.float32).reshape(4, 2), np.array([0, 1, 3, 3]),
          np.array([0, 0, 2, 2])),
         np.array([[2.0, 4.0], [0.0, 0.0], [12.0, 14.0]], np.float32), exact_static=False),
    Case("sparse_segment_mean", "SparseSegmentMean",
         lambda d, i, s: tf.sparse_segment_mean(d, i, s),
         (np.arange(8.0).reshape(4, 2), np.array([0, 1, 3], np.int32), np.array([0, 0, 2])),
         np.array([[1.0, 2.0], [0.0, 0.0], [6.0, 7.0]]), exact_static=False),
    Case("sparse_segment_sqrt_n-num_segments", "SparseSegmentSqrtNWithNumSegments",
         lambda d, i, s: tf.sparse_segment_sqrt_n(d, i, s, num_segments=4),
         (np.arange(8.0).reshape(4, 2), np.array([0, 1, 3]), np.array([0, 0, 2])),
         np.array([[2 / np.sqrt(2), 4 / np.sqrt(2)], [0, 0], [6.0, 7.0], [0, 0]]),
         tolerance=1e-12),
    Case("sparse_segment_sum-num_segments", "SparseSegmentSumWithNumSegments",
         lambda d, i, s: tf.sparse_segment_sum(d, i, s, num_segments=3),
         (np.arange(4.0).reshape(4, 1), np.array([3, 3]), np.array([1, 1])),
         np.array([[0.0], [6.0], [0.0]])),
    Case("sparse_segment_mean-num_segments", "SparseSegmentMeanWithNumSegments",
         lambda d, i, s: tf.sparse_segment_mean(d, i, s, num_segments=2),
         (np.arange(4.0).reshape(4, 1), np.zeros(0, np.int64), np.zeros(0, np.int64)),
         np.zeros((2, 1))),
    Case("sparse_segment_sqrt_n", "SparseSegmentSqrtN",
         lambda d, i, s: tf.sparse_segment_sqrt_n(d, i, s),
         (np.arange(4.0), np.array([1, 2, 3, 0]), np.array([0, 0, 0, 0])),
         np.array([6.0 / 2.0]), exact_static=False),
    Case("sparse_segment_sum-index", "SparseSegmentSum",
         lambda d, i, s: tf.sparse_segment_sum(d, i, s),
         (np.arange(4.0), np.array([0, 5]), np.array([0, 0])),
         Raises(tf.errors.InvalidArgumentError, "Bad: indices[1] == 5 out of range [0, 4)")),
    Case("sparse_segment_sum-over", "SparseSegmentSumWithNumSegments",
         lambda d, i, s: tf.sparse_segment_sum(d, i, s, num_segments=2),
         (np.arange(4.0), np.array([0, 1]), np.array([0, 2])),
         Raises(tf.errors.InvalidArgumentError, "segment ids must be < num_segments")),
    Case("sparse_segment_sum-sizes", "SparseSegmentSum",
         lambda d, i, s: tf.sparse_segment_sum(d, i, s),
         (np.arange(4.0), np.array([0, 1]), np.array([0])),
         Raises(tf.errors.InvalidArgumentError, "segment_ids and indices should have same size."),
         modes=("dims", "rank")),
]
# fmt: on


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_matches_numpy(run, case, mode):
    check_case(run, case, mode)


def test_kernel_errors_name_the_op(run):
    x = tf.SparseTensor([[0, 5]], [1.0], [2, 3])
    with pytest.raises(tf.errors.InvalidArgumentError, match="node SparseToDense ") as info:
        run(tf.sparse.to_dense(x))
    assert info.value.op.name == "SparseToDense"


def test_large_random_product_matches_dense(run):
    rng = np.random.default_rng(0)
    dense = rng.standard_normal((50, 40)) * (rng.random((50, 40)) < 0.1)
    indices = np.argwhere(dense)
    b = rng.standard_normal((40, 7))
    x = tf.SparseTensor(indices, dense[tuple(indices.T)], dense.shape)
    for adjoint_a, left in ((False, dense), (True, dense.T)):
        operand = b if not adjoint_a else rng.standard_normal((50, 7))
        product = run(tf.sparse_tensor_dense_matmul(x, operand, adjoint_a=adjoint_a))
        np.testing.assert_allclose(product, left @ operand, rtol=1e-12, atol=1e-12)
