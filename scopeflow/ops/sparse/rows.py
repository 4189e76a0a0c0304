"""NumPy helpers the sparse kernels share: the rows of an ``indices`` matrix in row-major
order, TF's checks of them (bounds, order) with TF's wording, and sums by position."""

from __future__ import annotations

import numpy as np


def index_text(row) -> str:
    """An index row or a shape as TF's messages write it: ``[5,0]``."""
    return "[" + ",".join(str(int(v)) for v in np.reshape(row, -1)) + "]"


def row_major_order(indices: np.ndarray) -> np.ndarray:
    """The stable permutation putting the rows of ``indices`` [N, rank] in row-major order."""
    if indices.shape[1] == 0:
        return np.arange(indices.shape[0])
    return np.lexsort(indices.T[::-1])


def row_ids(*matrices: np.ndarray) -> list[np.ndarray]:
    """For each of ``matrices`` (index rows of one rank), an int per row, equal for equal rows
    across all of them and increasing with the row-major order of the rows."""
    joined = np.concatenate(matrices)
    if joined.shape[1] == 0:
        ids = np.zeros(len(joined), np.int64)
    elif joined.shape[1] == 1:
        ids = joined[:, 0]
    else:
        ids = np.unique(joined, axis=0, return_inverse=True)[1].reshape(-1)
    return np.split(ids, np.cumsum([len(m) for m in matrices[:-1]]))


def occurrences(ids: np.ndarray) -> np.ndarray:
    """For each entry of ``ids``, how many equal entries come before it."""
    order = np.argsort(ids, kind="stable")
    ordered = ids[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    first = np.repeat(starts, np.diff(np.r_[starts, len(ids)]))
    counts = np.empty(len(ids), np.int64)
    counts[order] = np.arange(len(ids)) - first
    return counts


def step_signs(indices: np.ndarray) -> np.ndarray:
    """For each row after the first, the sign of its row-major comparison with the previous
    row: 1 in order, 0 repeated, -1 out of order."""
    diff = indices[1:] - indices[:-1]
    nonzero = diff != 0
    first = nonzero.argmax(axis=1) if diff.shape[1] else np.zeros(len(diff), np.int64)
    signs = np.sign(diff[np.arange(len(diff)), first]) if diff.shape[1] else first
    return np.where(nonzero.any(axis=1), signs, 0)


def out_of_bounds(indices: np.ndarray, dims) -> np.ndarray:
    """Which rows of ``indices`` fall outside ``[0, dims)`` in some dimension."""
    return ((indices < 0) | (indices >= np.asarray(dims, np.int64))).any(axis=1)


def check_valid_order(indices: np.ndarray, dims) -> None:
    """TF's ``validate_indices`` check: each row in bounds, strictly after the previous one."""
    bad_bounds = out_of_bounds(indices, dims)
    signs = step_signs(indices)
    bad = bad_bounds.copy()
    bad[1:] |= signs <= 0
    if not bad.any():
        return
    i = int(np.argmax(bad))
    row = index_text(indices[i])
    if bad_bounds[i]:
        raise ValueError(
            f"indices[{i}] = {row} is out of bounds: need 0 <= index < {index_text(dims)}"
        )
    if signs[i - 1] < 0:
        raise ValueError(
            f"indices[{i}] = {row} is out of order. Many sparse ops require sorted indices.\n"
            "    Use `tf.sparse.reorder` to create a correctly ordered copy."
        )
    raise ValueError(f"indices[{i}] = {row} is repeated")


def sums_at(positions: np.ndarray, values: np.ndarray, count: int) -> np.ndarray:
    """``out[p] = sum of values[i] where positions[i] == p`` for ``p`` in ``[0, count)``
    (sums over the first axis of ``values``)."""
    if values.ndim == 1 and values.dtype.kind == "f":
        return np.bincount(positions, values, count).astype(values.dtype)
    out = np.zeros((count, *values.shape[1:]), values.dtype)
    if len(positions):
        order = np.argsort(positions, kind="stable")
        ordered = positions[order]
        starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
        out[ordered[starts]] = np.add.reduceat(values[order], starts, axis=0)
    return out
