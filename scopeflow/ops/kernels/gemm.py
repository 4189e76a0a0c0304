"""Matrix products split over kernel threads: a large product is cut into spans of its
result's rows (whole matrices of a batch first), or of its columns when it has too few rows,
each span one single-thread BLAS call writing into its slice of the result.

BLAS runs on one thread in a session (``scopeflow/session/tuning.py``), so without a split a
product uses one core whatever ``intra_op_parallelism_threads`` says. Handing a span to a
pool thread costs 50-100 us on the shared 2-core VM (a woken thread, then the caller woken
when it is done), about the time one core takes for 5-10 MFLOP of float32 GEMM (~90
GFLOP/s). Measured there at load average ~1 ([m, k] x [k, n] float32, two threads against
one): 4 MFLOP took 1.7x as long split, 14 MFLOP 1.35x, 34 MFLOP 0.85-0.98x, 67-103 MFLOP
(the MLP benchmark's products) 0.6-0.7x, 530 MFLOP 0.55x. So every span gets at least
:data:`SPAN_FLOPS` of work and :data:`MIN_ROWS` rows (each span packs all of the right-hand
matrix): products under 2 x 16 MFLOP are not split, nor are those whose rows do not make two
such spans (an LSTM cell's [32, 512] x [512, 1024]). The spans are
claimed by whichever thread is free and the caller waits for the spans, not for the pool
threads (:func:`~scopeflow.ops.kernels.parallel.run_claimed`), so a pool thread that a
loaded machine starts late does not keep the caller waiting. Under heavy load (load average
~8 on the 2 cores) no split gains: a span's thread is descheduled and the caller waits.

**Same bits as one call.** OpenBLAS computes each block of rows of the result with
instruction sequences that depend on where the block starts: its kernels take rows in
groups (12 for float32 on the Haswell kernels it picks for AMD EPYC) and treat a short group
at the end differently, so a span boundary inside a group changes how some rows round (a
float32 product split at row 64 differs from the unsplit one in the last bits). Spans
therefore start at multiples of a *row granule*, the least of :data:`_GRANULES` for which
this process's BLAS gives split products bit-identical to whole ones, found once per dtype
by :func:`row_granule` on a probe product; where no candidate does (another BLAS), products
are not split. A single-row span would go to NumPy's matrix-vector path, so every span has
a granule of rows or more. ``A @ A.T`` (NumPy's ``syrk`` path) is not split, nor are dtypes
that NumPy does not hand to BLAS. With one thread (``Threads(1)``) this is ``np.matmul``.
Batches split into whole matrices are bit-identical too: NumPy calls BLAS once per matrix
either way.

**Column spans.** A product with too few rows for two spans of :data:`MIN_ROWS` (an LSTM
cell's [32, 512] x [512, 1024], its input gradient [32, 1024] x [1024, 512]) is cut into
spans of columns instead, ``a @ b[:, i:j]``: each span packs all of the small left-hand
matrix and only its own part of the right-hand one. Their starts are multiples of a
*column granule* found as the row granule is (:func:`column_granule`, probed at several
inner sizes). Only float32 products are split so: float64's column spans differed from
the whole product in the last bits at some inner sizes whatever the granule, complex64's
with OpenBLAS's Haswell kernels.
The LSTM benchmark's training step took 322 ms with column spans against 403 ms without
(2-core Xeon VM, load ~4.7, interleaved runs, minimum of 5 each).
"""

from __future__ import annotations

import functools
import math

import numpy as np

from scopeflow.ops.kernels.parallel import Threads, run_claimed

SPAN_FLOPS = 1 << 24  # the least work (2 m n k) worth a thread hand-off
# The least multiply-adds (m n k) of a span. OpenBLAS's SkylakeX builds (NumPy 2.4's wheels)
# compute products up to about a million multiply-adds with separate small-matrix kernels,
# which round differently from its blocked ones: a span under that could differ from the
# whole product. Spans of SPAN_FLOPS are far above it; this floor holds when that is lowered.
SMALL_MNK = 1 << 21
# The least rows of a span. Every span packs the whole right-hand matrix for its rows, so a
# short span spends its time packing: on a 2-core Xeon (OpenBLAS SkylakeX kernels), an LSTM
# cell's [32, 512] x [512, 1024] took 0.41 ms on one thread and 0.69-0.76 ms split into two
# spans of 16 rows; the MLP's [128, 784] x [784, 512], 0.85 ms whole, 0.69 ms as 72 + 56 rows.
MIN_ROWS = 48
SWAP_ROWS = 64  # products with at most this many rows and a transposed right side: see _product
LEAD = 1.25  # the calling thread's span against each pool thread's (see row_spans)
_GRANULES = (4, 8, 12, 16, 24, 32, 48, 64, 96)  # row granules tried, least first
_BLAS_CHARS = frozenset("fdFD")  # float32/64, complex64/128: the dtypes NumPy hands to BLAS
# Dtypes whose products may be split by columns (see column_granule): float64's column spans
# differed from whole products in the last bits for some inner sizes (431, 512) whatever the
# granule (OpenBLAS 0.3.31, SkylakeX kernels), float32's never did. complex64's passed the
# probe with the Haswell kernels (an AVX2 CPU) and then differed on a [47, 64] x [64, 1600].
_COLUMN_CHARS = frozenset("f")
_COLUMN_PROBE_DEPTHS = (131, 431, 512, 1031)  # inner sizes of the column probe


@functools.cache
def row_granule(dtype: np.dtype) -> int:
    """The least row count ``g`` of :data:`_GRANULES` such that products of ``dtype``
    matrices split at multiples of ``g`` rows equal the unsplit product bit for bit, with
    the BLAS of this process (checked on a probe product); 0 when none does. The probe's
    rows are odd, so that the kernels meet their edge cases, each span has
    :data:`SMALL_MNK` multiply-adds or more, as the spans of real splits have, and BLAS runs
    on one thread, as in a session (``scopeflow/session/tuning.py``)."""
    try:
        import threadpoolctl
    except ImportError:  # a dependency; without it BLAS's threads cannot be limited
        return 0
    with threadpoolctl.threadpool_limits(1, user_api="blas"):  # as in a session
        return _probe_granules(dtype)


def _probe_granules(dtype: np.dtype) -> int:
    for g in _GRANULES:
        m, k, n = 16 * g + 7, 131, 1031  # spans of 5 g rows or more: SMALL_MNK and above
        a, b = _probe_operand((m, k), dtype), _probe_operand((k, n), dtype)
        # Each operand in both memory orders (a transposed view is Fortran-ordered): BLAS
        # takes another kernel for each.
        layouts = [(x, y) for x in (a, np.asfortranarray(a)) for y in (b, np.asfortranarray(b))]
        if all(
            np.array_equal(x[start:stop] @ y, whole[start:stop])
            for x, y in layouts
            for whole in [x @ y]
            for start, stop in ((0, 5 * g), (5 * g, 11 * g), (11 * g, m))
        ):
            return g
    return 0


@functools.cache
def column_granule(dtype: np.dtype) -> int:
    """As :func:`row_granule`, for products split by columns of the result (each span
    ``a @ b[:, i:j]``), checked for each inner size of :data:`_COLUMN_PROBE_DEPTHS`; 0 for
    dtypes other than float32."""
    if dtype.char not in _COLUMN_CHARS:
        return 0
    try:
        import threadpoolctl
    except ImportError:
        return 0
    with threadpoolctl.threadpool_limits(1, user_api="blas"):
        for g in _GRANULES:
            if all(_columns_split_exactly(dtype, g, k) for k in _COLUMN_PROBE_DEPTHS):
                return g
    return 0


def _columns_split_exactly(dtype: np.dtype, g: int, k: int) -> bool:
    m = 37
    width = -(-max(5 * g, -(-SMALL_MNK // (m * k))) // g) * g  # SMALL_MNK and above
    n = 3 * width + 7
    a, b = _probe_operand((m, k), dtype), _probe_operand((k, n), dtype)
    layouts = [(x, y) for x in (a, np.asfortranarray(a)) for y in (b, np.asfortranarray(b))]
    return all(
        np.array_equal(x @ y[:, start:stop], whole[:, start:stop])
        for x, y in layouts
        for whole in [x @ y]
        for start, stop in ((0, width), (width, 2 * width), (2 * width, n))
    )


@functools.cache
def _swap_exact(dtype: np.dtype) -> bool:
    """Whether ``(b.T @ a.T).T`` equals ``a @ b`` bit for bit, for a C-ordered ``a`` and a
    transposed (Fortran-ordered) ``b``, with this process's BLAS on one thread (checked on
    probe products)."""
    try:
        import threadpoolctl
    except ImportError:
        return False
    with threadpoolctl.threadpool_limits(1, user_api="blas"):
        for m, k, n in ((7, 131, 257), (32, 512, 1000), (61, 1031, 130)):
            a = _probe_operand((m, k), dtype)
            b = np.asfortranarray(_probe_operand((k, n), dtype))
            if not np.array_equal(a @ b, (b.T @ a.T).T):
                return False
    return True


def _swapped(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether ``a @ b`` is computed faster as ``(b.T @ a.T).T``: ``a`` C-ordered with at
    most :data:`SWAP_ROWS` rows, ``b`` a transposed view of a C-ordered matrix (a dense
    layer's input gradient ``dy @ W.T``), float32, where that gives the same bits (float64's
    swapped products differed in the last bits for some shapes, [32, 131] x [131, 300])."""
    return (
        a.shape[0] <= SWAP_ROWS
        and b.shape[1] >= 2 * a.shape[0]
        and a.flags.c_contiguous
        and b.flags.f_contiguous
        and not b.flags.c_contiguous
        and a.dtype == b.dtype == np.float32
        and _swap_exact(a.dtype)
    )


def _product(a: np.ndarray, b: np.ndarray, out=None) -> np.ndarray:
    """``np.matmul(a, b, out=out)`` for matrices, swapped where :func:`_swapped` says so:
    BLAS then takes the long side as its rows (OpenBLAS SkylakeX, one thread: [32, 1024] x
    [1024, 512] with a transposed right-hand side 0.52 ms as is, 0.36 ms swapped; [16, 1024] x
    [1024, 1024] 0.82 against 0.49 ms; from 128 rows on, no gain)."""
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[0] or not _swapped(a, b):
        return np.matmul(a, b, out=out)
    result = np.matmul(b.T, a.T)  # C-ordered [n, m]
    if out is None:
        return np.ascontiguousarray(result.T)
    np.copyto(out, result.T)
    return out


def _probe_operand(shape: tuple, dtype: np.dtype) -> np.ndarray:
    rng = np.random.default_rng(shape)
    x = rng.standard_normal(shape)
    if dtype.kind == "c":
        x = x + 1j * rng.standard_normal(shape)
    return x.astype(dtype)


def row_spans(m: int, pieces: int, granule: int, least: int = 1) -> list[tuple[int, int]]:
    """``range(m)`` cut into at most ``pieces`` spans that start at multiples of ``granule``,
    each at least ``granule`` and ``least`` long: the first about :data:`LEAD` times as long
    as each of the others, which are near-equal.

    The calling thread claims the first span at once, while a pool thread starts its span
    only once woken (70 us median on the 2-core VM, more when its core was idle a while and
    its caches are cold): with equal halves the caller would wait for it. Measured on a
    128 x 784 x 512 float32 product with cold caches: 1.9 ms with the caller's half the
    smaller (60 of 128 rows), 1.5 ms with 72 rows, 1.4 ms with 84. Where the spans fall does
    not change the product's bits (they start at multiples of the row granule).

    >>> row_spans(128, 2, 12)
    [(0, 72), (72, 128)]
    >>> row_spans(784, 2, 12)
    [(0, 432), (432, 784)]
    >>> row_spans(32, 2, 12, least=16)  # two spans would leave one of 12 rows
    [(0, 32)]
    >>> row_spans(100, 2, 12, least=48)  # spans start at multiples of the granule
    [(0, 48), (48, 100)]
    """
    units = -(-max(least, granule) // granule)  # granules in the shortest span
    pieces = max(1, min(pieces, m // granule // units))
    total, shortest = LEAD + pieces - 1, units * granule
    bounds = [0]
    for i in range(1, pieces):
        cut = granule * round(m * (LEAD + i - 1) / (total * granule))
        last = (m - (pieces - i) * shortest) // granule * granule  # room for the spans after
        bounds.append(min(max(cut, bounds[-1] + shortest), last))
    bounds.append(m)
    return list(zip(bounds[:-1], bounds[1:], strict=True))


def _least_rows(nk: int) -> int:
    """The fewest rows of a span of a product whose rows each take ``nk`` multiply-adds."""
    return max(MIN_ROWS, -(-SPAN_FLOPS // (2 * nk)), -(-SMALL_MNK // nk))


def _granule(threads: Threads, a: np.ndarray, b: np.ndarray, flops: int) -> tuple[int, int]:
    """(spans, row granule) for a product of ``flops``: (1, 0) unless it is large, on BLAS,
    and can be split without changing its bits."""
    if threads.count == 1 or flops < 2 * SPAN_FLOPS:
        return 1, 0
    if a.dtype != b.dtype or a.dtype.char not in _BLAS_CHARS or np.may_share_memory(a, b):
        return 1, 0
    return min(threads.count, flops // SPAN_FLOPS), row_granule(a.dtype)


def matmul(threads: Threads, a: np.ndarray, b: np.ndarray, out=None) -> np.ndarray:
    """``np.matmul(a, b)`` for matrices (transposed views included), its rows (or columns)
    split over ``threads`` when large; the same bits whatever the thread count. ``out``: an
    array of the result's shape and dtype to write it into (None: a new one).

    >>> a, b = np.ones((256, 512), np.float32), np.ones((512, 256), np.float32)
    >>> float(matmul(Threads(2), a, b)[255, 255])
    512.0
    """
    if threads.count == 1 or a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[0]:
        return _product(a, b, out)  # (and NumPy's own error for shapes that do not match)
    (m, k), n = a.shape, b.shape[1]
    pieces, granule = _granule(threads, a, b, 2 * m * n * k)
    if pieces == 1 or n < 2 or m < 2:
        return _product(a, b, out)
    spans = row_spans(m, pieces, granule, _least_rows(n * k)) if granule else []
    if len(spans) > 1:
        if out is None:
            out = np.empty((m, n), a.dtype)
        run_claimed(threads, lambda i, j: np.matmul(a[i:j], b, out=out[i:j]), spans)
        return out
    # Too few rows (an LSTM cell's [32, 512] x [512, 1024]): spans of columns, each packing
    # all of the small left-hand matrix and its own part of the right-hand one.
    columns = column_granule(a.dtype)
    spans = row_spans(n, pieces, columns, _least_rows(m * k)) if columns else []
    if len(spans) < 2:
        return _product(a, b, out)
    if out is None:
        out = np.empty((m, n), a.dtype)
    run_claimed(threads, lambda i, j: _product(a, b[:, i:j], out[:, i:j]), spans)
    return out


def batch_matmul(threads: Threads, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``np.matmul(x, y)`` for stacks of matrices (leading dimensions broadcast), split over
    ``threads`` when large: into whole matrices of the first batch dimension when it has
    enough of them, else by rows of every matrix as :func:`matmul`.

    >>> x, y = np.ones((4, 128, 256), np.float32), np.ones((256, 512), np.float32)
    >>> batch_matmul(Threads(2), x, y).shape
    (4, 128, 512)
    """
    if threads.count == 1 or x.ndim < 2 or y.ndim < 2:
        return np.matmul(x, y)
    if x.ndim == 2 and y.ndim == 2:
        return matmul(threads, x, y)
    (m, k), (k2, n) = x.shape[-2:], y.shape[-2:]
    try:
        batch = np.broadcast_shapes(x.shape[:-2], y.shape[:-2])
    except ValueError:
        return np.matmul(x, y)
    if k != k2 or not batch or n < 2:
        return np.matmul(x, y)
    pieces, granule = _granule(threads, x, y, 2 * math.prod(batch) * m * n * k)
    if pieces == 1:
        return np.matmul(x, y)
    out = np.empty(batch + (m, n), x.dtype)
    ndim = out.ndim
    if batch[0] >= pieces:

        def matrices(i, j):
            xs, ys = (t[i:j] if t.ndim == ndim and t.shape[0] != 1 else t for t in (x, y))
            np.matmul(xs, ys, out=out[i:j])

        per_matrix = 2 * math.prod(batch[1:]) * m * n * k
        run_claimed(threads, matrices, row_spans(batch[0], pieces, 1, -(-SPAN_FLOPS // per_matrix)))
    elif granule and m >= 2 * granule:

        def rows(i, j):
            np.matmul(x[..., i:j, :], y, out=out[..., i:j, :])

        least = max(_least_rows(math.prod(batch) * n * k), -(-SMALL_MNK // (n * k)))
        run_claimed(threads, rows, row_spans(m, pieces, granule, least))
    else:
        return np.matmul(x, y)
    return out
