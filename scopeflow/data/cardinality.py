"""A dataset's number of elements (``Dataset.cardinality()``,
``tf.data.experimental.cardinality``): what the ``DatasetCardinality`` op (``dataset_ops.py``)
computes from the dataset's value when the session runs it, by TF's rules for each kind of
dataset: ``INFINITE_CARDINALITY`` (-1) for a dataset without end, ``UNKNOWN_CARDINALITY`` (-2)
where only a pass could tell (``filter``, ``flat_map``, a generator, files, and ``map`` as
TF1's graph mode builds it)."""

from __future__ import annotations

from scopeflow.data import file_cache, saved_files, transform_values, values

INFINITE_CARDINALITY = -1
UNKNOWN_CARDINALITY = -2
_ENDLESS = (INFINITE_CARDINALITY, UNKNOWN_CARDINALITY)


def _repeat(d) -> int:
    n = cardinality_of(d.child)
    if d.count < 0:
        return 0 if n == 0 else INFINITE_CARDINALITY
    if d.count == 0:
        return 0
    return n if n in _ENDLESS else d.count * n


def _take(d) -> int:
    n = cardinality_of(d.child)
    if n == UNKNOWN_CARDINALITY:
        return n
    if n == INFINITE_CARDINALITY:
        return INFINITE_CARDINALITY if d.count < 0 else d.count
    return n if d.count < 0 else min(n, d.count)


def _skip(d) -> int:
    n = cardinality_of(d.child)
    if n in _ENDLESS:
        return n
    return 0 if d.count < 0 else max(0, n - d.count)


def _zip(d) -> int:
    sizes = [cardinality_of(c) for c in d.children]
    if UNKNOWN_CARDINALITY in sizes:
        return UNKNOWN_CARDINALITY
    finite = [n for n in sizes if n != INFINITE_CARDINALITY]
    return min(finite) if finite else INFINITE_CARDINALITY


def _concatenate(d) -> int:
    sizes = [cardinality_of(d.first), cardinality_of(d.second)]
    for special in _ENDLESS:  # infinite wins over unknown
        if special in sizes:
            return special
    return sum(sizes)


def _batch(d) -> int:
    n = cardinality_of(d.child)
    if n in _ENDLESS:
        return n
    return n // d.size + (1 if n % d.size and not d.drop_remainder else 0)


def _windows(d) -> int:
    n = cardinality_of(d.child)
    return n if n in _ENDLESS else transform_values.window_count(n, d)


_RULES = {
    transform_values.Windows: _windows,
    values.TensorSlices: lambda d: d.components[0].shape[0],
    values.Tensors: lambda d: 1,
    values.Range: lambda d: len(d.range),
    values.Zip: _zip,
    values.Concatenate: _concatenate,
    values.Batch: _batch,
    values.PaddedBatch: _batch,
    values.Shuffle: lambda d: cardinality_of(d.child),
    values.Repeat: _repeat,
    values.Take: _take,
    values.Skip: _skip,
    values.Prefetch: lambda d: cardinality_of(d.child),
    values.Cache: lambda d: cardinality_of(d.child),
    file_cache.FileCache: lambda d: cardinality_of(d.child),
    saved_files.Loaded: lambda d: d.num_elements,  # as saved
    saved_files.Snapshot: lambda d: cardinality_of(d.child),
}


def cardinality_of(dataset: values.DatasetValue) -> int:
    """The number of elements of a dataset's value, -1 (infinite) or -2 (unknown)."""
    rule = _RULES.get(type(dataset))
    return UNKNOWN_CARDINALITY if rule is None else int(rule(dataset))
