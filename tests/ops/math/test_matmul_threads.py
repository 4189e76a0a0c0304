"""MatMul and BatchMatMulV2 split over a session's kernel threads
(scopeflow/ops/kernels/gemm.py): one thread is exactly ``np.matmul``; split products are
bit-identical to the unsplit ones (spans start at multiples of the row granule found for this
process's BLAS; products with few rows are split by columns) and the same run after run;
small, integer, half-precision and ``A @ A.T`` products are not split; the gradients of a
training step give the same bits on 1, 2 and 3 threads. Splits are forced on small products
by lowering ``gemm.SPAN_FLOPS``."""

from __future__ import annotations

import threading
from concurrent.futures import Future

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.ops.kernels import gemm, parallel
from scopeflow.ops.kernels.parallel import Threads, run_claimed
from scopeflow.session import tuning

RNG = np.random.default_rng(13)


def _array(shape, dtype):
    x = RNG.standard_normal(shape)
    if np.dtype(dtype).kind == "c":
        x = x + 1j * RNG.standard_normal(shape)
    return x.astype(dtype)


@pytest.fixture
def one_thread_blas():
    """BLAS on one thread, as in a session, and the granules found afresh under it."""
    if tuning.tune_process().blas_threads != 1:
        pytest.skip("BLAS's thread count is the user's here (tuning.py, 3.)")
    gemm.row_granule.cache_clear()
    gemm.column_granule.cache_clear()
    yield
    gemm.row_granule.cache_clear()
    gemm.column_granule.cache_clear()


@pytest.fixture
def handoffs(monkeypatch):
    """The spans handed to pool threads while the test runs (one entry per hand-off)."""
    pool = parallel._shared_pool()
    handed = []

    class Recording:
        def submit(self, fn, *args):
            handed.append(fn)
            return pool.submit(fn, *args)

    monkeypatch.setattr(parallel, "_shared_pool", Recording)
    return handed


@pytest.fixture
def split_small(monkeypatch):
    monkeypatch.setattr(gemm, "SPAN_FLOPS", 1)


# (m, k, n): spans have at least gemm.SMALL_MNK multiply-adds, so the first three split, the
# others do not (a span would be too small).
SHAPES = [(128, 96, 640), (100, 37, 2003), (400, 300, 40), (391, 190, 33), (50, 640, 70)]


@pytest.mark.usefixtures("one_thread_blas", "split_small")
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.complex64, np.complex128])
@pytest.mark.parametrize(("ta", "tb"), [(False, False), (True, False), (False, True), (True, True)])
def test_split_products_are_bit_identical_and_deterministic(dtype, ta, tb, handoffs):
    granule = gemm.row_granule(np.dtype(dtype))
    for m, k, n in SHAPES:
        a = _array((k, m), dtype).T if ta else _array((m, k), dtype)
        b = _array((n, k), dtype).T if tb else _array((k, n), dtype)
        expected = np.matmul(a, b)
        for count in (2, 3, 5):
            before = len(handoffs)
            got = [gemm.matmul(Threads(count), a, b) for _ in range(3)]
            for value in got:
                assert value.dtype == expected.dtype and value.shape == expected.shape
                np.testing.assert_array_equal(value, expected)
            spans = gemm.row_spans(m, count, granule, gemm._least_rows(n * k)) if granule else []
            assert (len(handoffs) > before) == (len(spans) > 1), (m, k, n, count, granule)
            assert len(spans) > 1 or (m, k, n) in SHAPES[3:] or not granule


# (m, k, n): too few rows for two spans of gemm.MIN_ROWS, enough columns for two of
# gemm.SMALL_MNK multiply-adds.
WIDE = [(32, 96, 2000), (7, 300, 3001), (47, 64, 1600)]


@pytest.mark.usefixtures("one_thread_blas", "split_small")
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.complex64, np.complex128])
@pytest.mark.parametrize(("ta", "tb"), [(False, False), (True, False), (False, True), (True, True)])
def test_products_with_few_rows_split_by_columns_bit_identically(dtype, ta, tb, handoffs):
    columns = gemm.column_granule(np.dtype(dtype))
    # Only float32 is split. Its column spans keep the bits with OpenBLAS's SkylakeX kernels,
    # not with its Haswell ones (an AVX2 CPU, or OPENBLAS_CORETYPE=Haswell): the probe then
    # finds no granule, and nothing splits.
    assert columns == 0 or np.dtype(dtype).char == "f"
    for m, k, n in WIDE:
        a = _array((k, m), dtype).T if ta else _array((m, k), dtype)
        b = _array((n, k), dtype).T if tb else _array((k, n), dtype)
        expected = np.matmul(a, b)
        before = len(handoffs)
        for _ in range(2):
            np.testing.assert_array_equal(gemm.matmul(Threads(2), a, b), expected)
        assert (len(handoffs) > before) == (columns > 0), (m, k, n, dtype)
    out = np.empty((32, 2000), dtype)
    a, b = _array((32, 96), dtype), _array((96, 2000), dtype)
    assert gemm.matmul(Threads(3), a, b, out=out) is out
    np.testing.assert_array_equal(out, a @ b)


def test_the_granule_is_found_for_float32():
    # OpenBLAS (NumPy's wheels) on x86-64 and ARM: some granule keeps the bits.
    assert gemm.row_granule(np.dtype(np.float32)) in gemm._GRANULES


def test_row_spans_start_at_granules_and_cover_the_rows():
    cases = [(128, 2, 12), (784, 2, 12), (512, 3, 4), (24, 2, 12), (30, 8, 12), (1000, 8, 12)]
    for m, pieces, granule in cases:
        spans = gemm.row_spans(m, pieces, granule)
        assert spans[0][0] == 0 and spans[-1][1] == m and len(spans) <= pieces
        for (a, b), (c, _) in zip(spans, spans[1:], strict=False):
            assert b == c and a % granule == 0 and b - a >= granule
        # The caller's span (the first) is the longest but for the rows left over at the end
        # (a granule at most): a pool thread starts late.
        lengths = [b - a for a, b in spans]
        assert lengths[0] + granule > max(lengths), (m, pieces, spans)
    assert gemm.row_spans(128, 2, 12) == [(0, 72), (72, 128)]
    assert gemm.row_spans(23, 2, 12) == [(0, 23)]
    assert gemm.row_spans(100, 4, 12, least=30) == [(0, 60), (60, 100)]  # 3 granules at least
    assert gemm.row_spans(48, 2, 12, least=24) == [(0, 24), (24, 48)]
    # A long shortest span pushes cuts towards the end: they still fall on granules.
    for m in range(1, 400, 7):
        for pieces, granule, least in [(2, 12, 48), (3, 4, 48), (2, 8, 100), (4, 12, 30)]:
            spans = gemm.row_spans(m, pieces, granule, least)
            assert spans[0][0] == 0 and spans[-1][1] == m
            for a, b in spans:
                assert a % granule == 0 and (b - a >= max(least, granule) or len(spans) == 1)


@pytest.mark.usefixtures("one_thread_blas", "split_small")
def test_small_integer_half_and_self_products_are_one_call(handoffs, monkeypatch):
    threads = Threads(2)
    x = _array((200, 64), np.float32)
    cases = [
        (x, x.T),  # NumPy's syrk path for A @ A.T: not split
        (x.astype(np.float16), x.T.astype(np.float16)),
        ((x * 10).astype(np.int32), (x.T * 10).astype(np.int32)),
        (x, _array((64, 1), np.float32)),  # a matrix-vector product
    ]
    for a, b in cases:
        np.testing.assert_array_equal(gemm.matmul(threads, a, b), np.matmul(a, b))
    monkeypatch.setattr(gemm, "SPAN_FLOPS", 1 << 24)
    small = _array((200, 64), np.float32), _array((64, 64), np.float32)
    np.testing.assert_array_equal(gemm.matmul(threads, *small), np.matmul(*small))
    assert handoffs == []
    with pytest.raises(ValueError, match="mismatch"):
        gemm.matmul(threads, np.ones((3, 4)), np.ones((5, 2)))


@pytest.mark.usefixtures("one_thread_blas", "split_small")
@pytest.mark.parametrize(
    ("x_shape", "y_shape"),
    [
        ((6, 50, 40), (6, 40, 30)),  # whole matrices per span
        ((1, 100, 40), (3, 40, 30)),  # broadcast batch of one
        ((2, 1, 100, 40), (3, 40, 30)),
        ((1, 130, 400), (400, 300)),  # one matrix: split by rows
        ((7, 30, 20), (20, 10)),
    ],
)
def test_split_batch_products_are_bit_identical(x_shape, y_shape, handoffs):
    x, y = _array(x_shape, np.float32), _array(y_shape, np.float32)
    expected = np.matmul(x, y)
    for count in (2, 3):
        got = gemm.batch_matmul(Threads(count), x, y)
        assert got.shape == expected.shape
        np.testing.assert_array_equal(got, expected)
    assert handoffs
    with pytest.raises(ValueError):
        gemm.batch_matmul(Threads(2), np.ones((2, 3, 4)), np.ones((3, 5, 2)))


def _mlp_step_values(intra: int) -> list:
    """An MLP's loss and gradients (the benchmark's shapes, a smaller batch) on ``intra``
    threads."""
    rng = np.random.default_rng(0)
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float32, [None, 784])
        h = x
        weights = []
        for width in (512, 512, 10):
            w = tf.constant(rng.standard_normal((h.shape[1].value, width)).astype(np.float32))
            weights.append(w)
            h = tf.matmul(h, w * 0.05)
            h = tf.nn.relu(h) if width > 10 else h
        loss = tf.reduce_sum(h * h)
        fetches = [loss, *tf.gradients(loss, [x, *weights])]
    data = rng.standard_normal((96, 784)).astype(np.float32)
    config = tf.ConfigProto(intra_op_parallelism_threads=intra)
    with tf.Session(graph=graph, config=config) as sess:
        return sess.run(fetches, {x: data})


def test_training_step_gradients_do_not_depend_on_the_thread_count(handoffs):
    one = _mlp_step_values(1)
    assert handoffs == []  # one thread: every product is np.matmul on the caller
    for intra in (2, 3):
        for a, b in zip(one, _mlp_step_values(intra), strict=True):
            np.testing.assert_array_equal(a, b)
    assert handoffs  # the large products and their gradients were split


def test_run_claimed_runs_every_span_once_and_reraises():
    ran: list[tuple[int, int]] = []
    names = set()
    lock = threading.Lock()

    def span(a, b):
        with lock:
            ran.append((a, b))
            names.add(threading.current_thread().name)

    spans = [(i, i + 1) for i in range(9)]
    run_claimed(Threads(3), span, spans)
    assert sorted(ran) == spans
    ran.clear()
    run_claimed(Threads(1), span, spans)
    assert ran == spans and threading.current_thread().name in names

    def failing(a, b):
        if a == 4:
            raise ZeroDivisionError("span 4")

    with pytest.raises(ZeroDivisionError, match="span 4"):
        run_claimed(Threads(2), failing, spans)


def test_run_claimed_does_not_wait_for_a_pool_thread_that_never_starts(monkeypatch):
    class Stalled:  # a pool whose threads are all busy: nothing it is given ever starts
        def submit(self, fn, *args):
            return Future()

    monkeypatch.setattr(parallel, "_shared_pool", Stalled)
    ran = []
    run_claimed(Threads(2), lambda a, b: ran.append(a), [(0, 1), (1, 2), (2, 3)])
    assert ran == [0, 1, 2]  # all on the calling thread, the stalled lane cancelled


@pytest.mark.usefixtures("one_thread_blas")
def test_few_rows_times_a_transposed_matrix_is_swapped_with_the_same_bits():
    # dy @ W.T of a dense layer with a small batch: computed as (W @ dy.T).T, BLAS's rows
    # the long side; every element's bits are np.matmul's.
    cases = [(1, 64, 300), (7, 131, 1000), (32, 1024, 512), (64, 300, 129), (33, 2048, 70)]
    for m, k, n in cases:
        a, b = _array((m, k), np.float32), _array((n, k), np.float32).T
        # Swapped where the probe finds the same bits (OpenBLAS's SkylakeX kernels, not its
        # Haswell ones)
        assert gemm._swapped(a, b) == (n >= 2 * m and gemm._swap_exact(np.dtype(np.float32)))
        expected = np.matmul(a, b)
        for threads in (Threads(1), Threads(2)):
            got = gemm.matmul(threads, a, b)
            assert got.flags.c_contiguous
            np.testing.assert_array_equal(got, expected)
            out = np.empty((m, n), np.float32)
            assert gemm.matmul(threads, a, b, out=out) is out
            np.testing.assert_array_equal(out, expected)
    # Not swapped: float64 (whose swapped bits can differ), many rows, a C-ordered right side.
    a64, b64 = _array((32, 131), np.float64), _array((300, 131), np.float64).T
    wide = _array((128, 64), np.float32), _array((512, 64), np.float32).T
    plain = _array((32, 64), np.float32), _array((64, 512), np.float32)
    assert not any(gemm._swapped(a, b) for a, b in [(a64, b64), wide, plain])
