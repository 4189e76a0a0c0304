"""Kernels of scopeflow/ops/array_ops.py, slicing.py and linalg_ops.py against NumPy, their
run-time errors, and property tests (hypothesis) that the static shapes inferred while
building agree with the shapes the kernels produce, for the array ops of every module."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scopeflow as tf
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case

A = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
B = np.arange(6, dtype=np.int64).reshape(2, 3)
S = np.array([[b"a", b"bc"], [b"", b"d"]], dtype=object)
M = np.array([[4.0, 1.0, 2.0], [1.0, 3.0, 0.5], [2.0, 0.5, 5.0], [1.0, 1.0, 1.0]])

# fmt: off
CASES = [
    Case("reshape", "Reshape", lambda x: tf.reshape(x, [4, 6]), (A,), lambda a: a.reshape(4, 6)),
    Case("reshape-1", "Reshape", lambda x: tf.reshape(x, [-1, 4]), (A,),
         lambda a: a.reshape(-1, 4)),
    Case("reshape-flat", "Reshape", lambda x: tf.reshape(x, [-1]), (B,), lambda b: b.reshape(-1)),
    Case("reshape-scalar", "Reshape", lambda x: tf.reshape(x, []), (np.array([7], np.int32),),
         lambda v: v.reshape(())),
    Case("reshape-fed-shape", "Reshape", lambda x, s: tf.reshape(x, s),
         (A, np.array([3, -1, 2], np.int32)), lambda a, s: a.reshape(3, -1, 2),
         exact_static=False),
    Case("reshape-strings", "Reshape", lambda x: tf.reshape(x, [4]), (S,), lambda s: s.reshape(4)),
    Case("reshape-empty", "Reshape", lambda x: tf.reshape(x, [0, 5]),
         (np.zeros((0, 2), np.float64),), lambda z: z.reshape(0, 5)),
    Case("transpose", "Transpose", lambda x: tf.transpose(x, [2, 0, 1]), (A,),
         lambda a: a.transpose(2, 0, 1)),
    Case("transpose-2d", "Transpose", lambda x: tf.transpose(x, [1, 0]), (B,), lambda b: b.T),
    Case("conjugate-transpose", "ConjugateTranspose",
         lambda x: tf.transpose(x, [1, 0], conjugate=True),
         (np.array([[1 + 2j, 3], [4j, 5 - 1j]], np.complex64),), lambda c: c.T.conj()),
    Case("transpose-fed-perm", "Transpose", lambda x, p: tf.transpose(x, p),
         (A, np.array([1, 2, 0], np.int64)), lambda a, p: a.transpose(1, 2, 0),
         exact_static=False),
    Case("fill", "Fill", lambda d, v: tf.fill(d, v), (np.array([2, 3], np.int32), np.float32(1.5)),
         lambda d, v: np.full((2, 3), 1.5, np.float32), exact_static=False),
    Case("fill-int64-dims", "Fill", lambda d, v: tf.fill(d, v),
         (np.array([4], np.int64), np.array(True)), lambda d, v: np.ones(4, bool),
         exact_static=False),
    Case("fill-const-dims", "Fill", lambda v: tf.fill([2, 0, 3], v), (np.int32(-3),),
         lambda v: np.full((2, 0, 3), -3, np.int32)),
    Case("stack", "Pack", lambda x, y: tf.stack([x, y]), (A, A + 1),
         lambda a, b: np.stack([a, b])),
    Case("stack-axis", "Pack", lambda x, y: tf.stack([x, y], axis=-1), (B, B * 2),
         lambda a, b: np.stack([a, b], axis=-1)),
    Case("stack-scalars", "Pack", lambda x, y: tf.stack([x, y, x]),
         (np.float64(1), np.float64(2)), lambda a, b: np.array([1.0, 2.0, 1.0])),
    # A fully known shape is a Const: only unknown shapes make Shape ops.
    Case("shape", "Shape", lambda x: tf.shape(x), (A,), lambda a: np.array([2, 3, 4], np.int32),
         modes=("dims", "rank")),
    Case("shape-int64", "Shape", lambda x: tf.shape(x, out_type=tf.int64), (S,),
         lambda s: np.array([2, 2], np.int64), modes=("dims", "rank")),
    Case("shape-scalar", "Shape", lambda x: tf.shape(x), (np.float32(3),),
         lambda s: np.zeros(0, np.int32), modes=("rank",)),
    Case("shape_n", "ShapeN", lambda x, y: tf.shape_n([x, y], out_type=tf.int64)[1], (A, S),
         lambda a, s: np.array([2, 2], np.int64), modes=("dims", "rank")),
    Case("shape_n-first", "ShapeN", lambda x: tf.shape_n([x, x])[0], (A,),
         lambda a: np.array([2, 3, 4], np.int32), modes=("dims", "rank")),
    Case("stop_gradient", "StopGradient", lambda x: tf.stop_gradient(x), (B,), lambda b: b),
    Case("matrix_diag_part", "MatrixDiagPart", lambda x: tf.matrix_diag_part(x), (A,),
         lambda a: np.diagonal(a, axis1=1, axis2=2)),
    Case("matrix_diag_part-wide", "MatrixDiagPart", lambda x: tf.linalg.diag_part(x), (B,),
         lambda b: np.array([0, 4], np.int64)),
    Case("diag_part", "DiagPart", lambda x: tf.diag_part(x), (np.arange(9.0).reshape(3, 3),),
         lambda m: np.array([0.0, 4.0, 8.0])),
    Case("diag_part-rank4", "DiagPart", lambda x: tf.diag_part(x),
         (np.arange(36, dtype=np.int32).reshape(2, 3, 2, 3),),
         lambda t: np.array([[0, 7, 14], [21, 28, 35]], np.int32)),
    Case("qr", "Qr", lambda x: tf.qr(x), (M,), lambda m: np.linalg.qr(m), tolerance=1e-12),
    Case("qr-full", "Qr", lambda x: tf.qr(x, full_matrices=True), (M.astype(np.float32),),
         lambda m: np.linalg.qr(m, mode="complete"), tolerance=1e-5),
    Case("qr-batch", "Qr", lambda x: tf.qr(x), (A + np.eye(3, 4, dtype=np.float32),),
         lambda a: np.linalg.qr(a), tolerance=1e-4),
    Case("qr-half", "Qr", lambda x: tf.qr(x), (M.astype(np.float16),),
         lambda m: [v.astype(np.float16) for v in np.linalg.qr(m.astype(np.float32))],
         tolerance=1e-3),
    Case("slice", "Slice", lambda x: tf.slice(x, [1, 0, 1], [1, 2, 3]), (A,),
         lambda a: a[1:2, 0:2, 1:4]),
    Case("slice-size-1", "Slice", lambda x: tf.slice(x, [0, 1, 0], [-1, 2, -1]), (A,),
         lambda a: a[:, 1:3, :]),
    Case("slice-fed", "Slice", lambda x, b, s: tf.slice(x, b, s),
         (A, np.array([1, 1, 0], np.int64), np.array([1, -1, 2], np.int64)),
         lambda a, b, s: a[1:2, 1:, 0:2], exact_static=False),
    Case("slice-empty", "Slice", lambda x: tf.slice(x, [0, 3], [2, 0]), (B,),
         lambda b: b[:, 3:3]),
    Case("invert_permutation", "InvertPermutation", lambda p: tf.invert_permutation(p),
         (np.array([2, 0, 3, 1], np.int32),), lambda p: np.array([1, 3, 0, 2], np.int32)),
    Case("invert_permutation-int64", "InvertPermutation", lambda p: tf.invert_permutation(p),
         (np.array([0], np.int64),), lambda p: np.array([0], np.int64)),
    Case("diag", "Diag", lambda x: tf.diag(x), (np.array([1.0, 2.0]),),
         lambda d: np.array([[1.0, 0.0], [0.0, 2.0]])),
    Case("diag-rank2", "Diag", lambda x: tf.diag(x), (B,),
         lambda b: np.diag(b.reshape(-1)).reshape(2, 3, 2, 3)),
    Case("matrix_diag", "MatrixDiag", lambda x: tf.linalg.diag(x), (A[0],),
         lambda a: np.stack([np.diag(row) for row in a])),
    Case("matrix_set_diag", "MatrixSetDiag", lambda x, d: tf.linalg.set_diag(x, d),
         (A, -A[:, :, 0]), lambda a, d: _set_diagonal(a, d)),
    Case("matrix_set_diag-tall", "MatrixSetDiag", lambda x, d: tf.matrix_set_diag(x, d),
         (M, np.array([9.0, 8.0, 7.0])), lambda m, d: _set_diagonal(m, d)),
    Case("band_part-lower", "MatrixBandPart", lambda x: tf.linalg.band_part(x, -1, 0), (A,),
         lambda a: np.tril(a)),
    Case("band_part-band", "MatrixBandPart", lambda x: tf.matrix_band_part(x, 1, 2), (M,),
         lambda m: np.triu(np.tril(m, 2), -1)),
    Case("band_part-diagonal", "MatrixBandPart", lambda x: tf.linalg.band_part(x, 0, 0), (B,),
         lambda b: b * np.eye(2, 3, dtype=np.int64)),
    Case("triangular_solve", "MatrixTriangularSolve",
         lambda a, b: tf.linalg.triangular_solve(a, b), (M[:3], M[:3, :2]),
         lambda a, b: np.linalg.solve(np.tril(a), b), tolerance=1e-12),
    Case("triangular_solve-upper-adjoint", "MatrixTriangularSolve",
         lambda a, b: tf.matrix_triangular_solve(a, b, lower=False, adjoint=True),
         (M[None, :3], M[None, :3]), lambda a, b: np.linalg.solve(np.triu(a[0]).T, b[0])[None],
         tolerance=1e-12),
]

# Strided slices through ``t[...]``: (id, index), checked against NumPy's ``a[index]``.
INDEXES = [
    ("int", 1),
    ("negative-int", -1),
    ("slice", np.s_[1:]),
    ("reverse", np.s_[::-1]),
    ("negative-stride", np.s_[1, 2:0:-1, ::-2]),
    ("ellipsis", np.s_[..., 1]),
    ("ellipsis-middle", np.s_[0, ..., 1:3]),
    ("newaxis", np.s_[None, :, None]),
    ("newaxis-ellipsis", np.s_[..., None]),
    ("mixed", np.s_[1, None, ..., ::2]),
    ("clamped", np.s_[-10:10, 5:, 1:100:3]),
    ("empty", np.s_[2:1]),
    ("all-ints", np.s_[1, 2, 3]),
    ("no-index", ()),
]
CASES += [
    Case(f"strided-{name}", "StridedSlice", lambda x, i=index: x[i], (A,), lambda a, i=index: a[i])
    for name, index in INDEXES
]
CASES += [
    Case(f"strided_slice_grad-{name}", "StridedSliceGrad",
         lambda x, g, i=index: tf.gradients(x[i], x, grad_ys=g)[0], (A, A[index] + 1),
         lambda a, g, i=index: _scattered(a, g, i))
    for name, index in INDEXES
]
CASES += [
    Case("strided-strings", "StridedSlice", lambda x: x[:, 1], (S,), lambda s: s[:, 1]),
    Case("strided-tensor-bound", "StridedSlice", lambda x, k: x[k, ::-1], (A, np.int32(1)),
         lambda a, k: a[1, ::-1], exact_static=False),
    Case("strided-int64-bound", "StridedSlice", lambda x, k: x[:, :k], (B, np.int64(2)),
         lambda b, k: b[:, :2], exact_static=False),
]
CASES += [
    Case("placeholder-unfed", "Placeholder", lambda: tf.placeholder(tf.float32, [2]), (),
         Raises(tf.errors.InvalidArgumentError, "You must feed a value for placeholder tensor"),
         modes=("full",)),
]
# fmt: on


def _set_diagonal(a, d):
    out = a.copy()
    n = min(a.shape[-2:])
    out[..., np.arange(n), np.arange(n)] = d
    return out


def _scattered(a, g, index):
    out = np.zeros_like(a)
    out[index] = g
    return out


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_matches_numpy(run, case, mode):
    check_case(run, case, mode)


def test_qr_factors_reconstruct_the_input(run):
    q, r = run(tf.qr(tf.constant(A)))
    np.testing.assert_allclose(q @ r, A, atol=1e-4)
    np.testing.assert_allclose(np.triu(r), r)


# Shape arithmetic TF1 follows while building (expected shapes read from TF 2.21).
SHAPE_ARITHMETIC = [
    ("tf.reshape(x, [tf.shape(x)[0], -1])", [None, None]),
    ("tf.reshape(x, tf.concat([tf.shape(x)[:-1], [2, 2]], 0))", [None, 3, 2, 2]),
    ("tf.reshape(x, tf.stack([tf.shape(x)[0], 12]))", [None, 12]),
    ("tf.zeros(tf.shape(x)[1:])", [3, 4]),
    ("tf.fill(tf.concat([[2], tf.shape(x)[1:]], 0), 1.0)", [2, 3, 4]),
    ("tf.ones(tf.shape(x)[::-2])", [4, None]),
    ("tf.tile(x, [tf.shape(x)[0], 1, 2])", [None, 3, 8]),
]


@pytest.mark.parametrize(("expression", "shape"), SHAPE_ARITHMETIC)
def test_static_shapes_follow_shape_arithmetic(run, expression, shape):
    x = tf.placeholder(tf.float32, [None, 3, 4])
    t = eval(expression, {"tf": tf, "x": x})
    assert t.shape.as_list() == shape
    assert t.shape.is_compatible_with(run(t, {x: A}).shape)


# -- run-time errors ----------------------------------------------------------------------

# fmt: off
RUNTIME_ERRORS = [
    # (id, build from x (float32, unknown shape) and v (int32 vector), x fed, v fed, message)
    ("reshape-size", lambda x, v: tf.reshape(x, v), A, [5, 5, 1],
     "Input to reshape is a tensor with 24 values, but the requested shape has 25"),
    ("reshape-multiple", lambda x, v: tf.reshape(x, v), A, [5, -1, 1],
     "requested shape requires a multiple of 5"),
    ("reshape-two-wildcards", lambda x, v: tf.reshape(x, v), A, [-1, -1, 1],
     "Only one input size may be -1, not both 0 and 1"),
    ("reshape-negative", lambda x, v: tf.reshape(x, v), A, [-2, 3, 4],
     "Size 0 must be non-negative, not -2"),
    ("transpose-not-permutation", lambda x, v: tf.transpose(x, v), A, [0, 0, 1],
     "2 is missing from {0,0,1}"),
    ("transpose-length", lambda x, v: tf.transpose(x, v), A[0], [0, 1, 2],
     "transpose expects a vector of size 2. But input(1) is a vector of size 3"),
    ("fill-negative", lambda x, v: tf.fill(v, 1.0), A, [1, -1, 2], "Dimension -1 must be >= 0"),
    ("stack-shapes", lambda x, v: tf.stack([x, x[:1]]), A, [0],
     "Shapes of all inputs must match: values[0].shape = [2,3,4] != values[1].shape = "
     "[1,3,4]"),
    ("shrink-out-of-bounds", lambda x, v: x[v[0]], A, [5],
     "slice index 5 of dimension 0 out of bounds."),
    ("shrink-negative", lambda x, v: x[:, v[0]], A, [-4],
     "slice index -4 of dimension 1 out of bounds."),
    ("zero-stride", lambda x, v: x[:: v[0]], A, [0], "strides[0] must be non-zero"),
    ("too-many-indices", lambda x, v: x[1, 2, 3, 0], A, [0],
     "Index out of range using input dim 3; input has only 3 dims"),
    ("slice-size", lambda x, v: tf.slice(x, [1, 1, 0], v), A, [2, 2, 3],
     "Expected size[0] in [0, 1], but got 2"),
    ("slice-begin", lambda x, v: tf.slice(x, v, [1, 1, 1]), A, [0, 4, 0],
     "Expected begin[1] in [0, 3], but got 4"),
    ("matrix-diag-part-rank", lambda x, v: tf.matrix_diag_part(x), A[0, 0], [0],
     "input must be at least 2-dim, received shape: [4]"),
    ("diag-part-rank", lambda x, v: tf.diag_part(x), A, [0],
     "The rank of the tensor should be even and positive"),
    ("invert-permutation-duplicate", lambda x, v: tf.invert_permutation(v), A, [1, 0, 1],
     "1 is duplicated in the input."),
    ("invert-permutation-range", lambda x, v: tf.invert_permutation(v), A, [0, 2],
     "2 is not between 0 and 2"),
    ("strided-slice-grad-dy", lambda x, v: tf.gradients(x[1:], x, grad_ys=x)[0], A, [0],
     "shape of dy was [2, 3, 4] instead of [1, 3, 4]"),
    ("diag-scalar", lambda x, v: tf.diag(x), np.float32(1), [0], "Input must be at least rank 1"),
    ("matrix-diag-scalar", lambda x, v: tf.linalg.diag(x), np.float32(1), [0],
     "input must be at least 1-dim"),
    ("set-diag-shape", lambda x, v: tf.linalg.set_diag(x, x[:, 0]), A, [0],
     "Input shape: [2,3,4]\nDiagonal shape: [2,4]\nExpected diagonal shape: [2,3]"),
    ("band-part-lower", lambda x, v: tf.linalg.band_part(x, v[0], -1), A, [4],
     "num_lower must be negative or less or equal to number of rows (3)"),
    ("triangular-solve-singular", lambda x, v: tf.linalg.triangular_solve(x, x), A[0, :, :3],
     [0], "Input matrix is not invertible."),
    ("triangular-solve-shapes", lambda x, v: tf.linalg.triangular_solve(x, x), A[0], [0],
     "matrix must be a batch of square matrices"),
]
# fmt: on


@pytest.mark.parametrize(
    ("build", "x_value", "v_value", "message"),
    [pytest.param(*case[1:], id=case[0]) for case in RUNTIME_ERRORS],
)
def test_runtime_errors_name_the_problem(run, build, x_value, v_value, message):
    x = tf.placeholder(tf.float32, None, name="x")
    v = tf.placeholder(tf.int32, [None], name="v")
    out = build(x, v)
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        run(out, {x: x_value, v: v_value})
    assert message in info.value.message
    assert out.op.name in info.value.message  # the executor names the failing op


# -- property tests: static shapes agree with the kernels' results -----------------------

_PROPERTY = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _shapes(min_rank=0, max_rank=4, max_dim=4):
    return st.lists(st.integers(0, max_dim), min_size=min_rank, max_size=max_rank).map(tuple)


def _static_agrees(outputs, feeds: dict) -> None:
    """Runs ``outputs`` in a session and checks each value's shape against its static shape."""
    with tf.Session() as sess:
        values = sess.run(outputs, feeds)
    for t, value in zip(outputs, values, strict=True):
        assert t.shape.is_compatible_with(value.shape), (t.shape, value.shape)


def _holders(arrays, known: bool):
    return [tf.placeholder(tf.as_dtype(a.dtype), a.shape if known else None) for a in arrays]


@st.composite
def _index(draw, rank: int):
    """A random ``t[...]`` index for a tensor of ``rank``: ints, slices with any bounds and
    strides, at most one ellipsis, new axes."""
    items = []
    dims_left = rank
    ellipsis = draw(st.booleans())
    n = draw(st.integers(0, rank + 2))
    bound = st.one_of(st.none(), st.integers(-6, 6))
    for _ in range(n):
        kind = draw(st.sampled_from(["int", "slice", "newaxis", "ellipsis"]))
        if kind == "ellipsis" and ellipsis:
            items.append(Ellipsis)
            ellipsis = False
        elif kind == "newaxis":
            items.append(None)
        elif dims_left == 0:
            continue
        elif kind == "int":
            items.append(draw(st.integers(-1, 0)))  # always in range: dims are >= 1
            dims_left -= 1
        else:
            step = draw(st.one_of(st.none(), st.integers(-3, 3).filter(bool)))
            items.append(slice(draw(bound), draw(bound), step))
            dims_left -= 1
    return tuple(items)


@_PROPERTY
@given(data=st.data(), shape=_shapes(min_rank=1, max_rank=4).map(lambda s: tuple(d + 1 for d in s)))
def test_strided_slice_static_shape_matches_numpy(data, shape):
    index = data.draw(_index(len(shape)))
    value = np.arange(int(np.prod(shape)), dtype=np.int32).reshape(shape)
    with tf.Graph().as_default():
        known = tf.placeholder(tf.int32, shape)
        dims = tf.placeholder(tf.int32, [None] * len(shape))
        outputs = [known[index], dims[index]]
        assert outputs[0].shape.as_list() == list(value[index].shape)
        with tf.Session() as sess:
            got = sess.run(outputs, {known: value, dims: value})
    for v in got:
        np.testing.assert_array_equal(v, value[index])
    assert outputs[1].shape.is_compatible_with(got[1].shape)


@_PROPERTY
@given(shape=_shapes(), data=st.data())
def test_reshape_transpose_and_tile_static_shapes(shape, data):
    value = np.zeros(shape, np.float32)
    size = value.size
    # A reshape target: the shape's dims shuffled, one of them perhaps replaced by -1.
    target = list(data.draw(st.permutations(shape))) if shape else []
    if target and size and data.draw(st.booleans()):
        target[data.draw(st.integers(0, len(target) - 1))] = -1
    perm = data.draw(st.permutations(range(len(shape))))
    multiples = data.draw(st.lists(st.integers(0, 3), min_size=len(shape), max_size=len(shape)))
    for known in (True, False):
        with tf.Graph().as_default():
            (x,) = _holders([value], known)
            outs = [tf.reshape(x, target), tf.transpose(x, perm), tf.tile(x, multiples)]
            if known:
                want = [
                    value.reshape(target).shape,
                    value.transpose(perm).shape,
                    np.tile(value, multiples).shape if shape else (),
                ]
                assert [tuple(t.shape.as_list()) for t in outs] == want
            _static_agrees(outs, {x: value})


@_PROPERTY
@given(shape=_shapes(min_rank=1), data=st.data())
def test_concat_pad_split_static_shapes(shape, data):
    rank = len(shape)
    axis = data.draw(st.integers(-rank, rank - 1))
    other = list(shape)
    other[axis] = data.draw(st.integers(0, 3))
    a, b = np.ones(shape, np.float32), np.zeros(other, np.float32)
    paddings = data.draw(
        st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2)), min_size=rank, max_size=rank)
    )
    mode = data.draw(st.sampled_from(["CONSTANT", "REFLECT", "SYMMETRIC"]))
    if mode == "REFLECT" and 0 in shape:  # TF rejects REFLECT along an empty dimension
        mode = "SYMMETRIC"
    if mode != "CONSTANT":  # mirrored paddings must stay below (REFLECT) or at the dim
        cap = [max(d - 1, 0) if mode == "REFLECT" else d for d in shape]
        paddings = [(min(p, c), min(q, c)) for (p, q), c in zip(paddings, cap, strict=True)]
    for known in (True, False):
        with tf.Graph().as_default():
            x, y = _holders([a, b], known)
            outs = [tf.concat([x, y], axis), tf.pad(x, paddings, mode=mode)]
            outs += tf.split(x, [1, -1], axis) if shape[axis] >= 1 else []
            outs += tf.unstack(x, num=shape[axis], axis=axis) if shape[axis] else []
            if known:
                assert outs[0].shape.as_list() == list(np.concatenate([a, b], axis).shape)
                assert outs[1].shape.as_list() == list(np.pad(a, paddings, mode=mode.lower()).shape)
            _static_agrees(outs, {x: a, y: b})


@_PROPERTY
@given(shape=_shapes(min_rank=1, max_rank=3), index_shape=_shapes(max_rank=2), data=st.data())
def test_gather_and_slice_static_shapes(shape, index_shape, data):
    rank = len(shape)
    shape = tuple(d + 1 for d in shape)
    axis = data.draw(st.integers(-rank, rank - 1))
    params = np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape)
    indices = np.asarray(
        data.draw(
            st.lists(
                st.integers(0, shape[axis] - 1),
                min_size=int(np.prod(index_shape)),
                max_size=int(np.prod(index_shape)),
            )
        ),
        np.int32,
    ).reshape(index_shape)
    begin = [data.draw(st.integers(0, d)) for d in shape]
    size = [data.draw(st.integers(-1, d - b)) for d, b in zip(shape, begin, strict=True)]
    for known in (True, False):
        with tf.Graph().as_default():
            p, i = _holders([params, indices], known)
            outs = [tf.gather(p, i, axis=axis), tf.slice(p, begin, size)]
            with tf.Session() as sess:
                got = sess.run(outs, {p: params, i: indices})
            np.testing.assert_array_equal(got[0], np.take(params, indices, axis=axis))
            for t, v in zip(outs, got, strict=True):
                assert t.shape.is_compatible_with(v.shape)
                if known:
                    assert t.shape.as_list() == list(v.shape)
