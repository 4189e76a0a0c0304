"""The op types of the transformations in ``transforms.py`` and ``experimental_ops.py``
(``ShardDataset``, ``UnbatchDataset``, ``TakeWhileDataset``, ``ScanDataset``,
``ReduceDataset``, ``UniqueDataset``, ``MapAndBatchDataset``, ``ShuffleAndRepeatDataset``,
``LegacyParallelInterleaveDatasetV2``, ``IgnoreErrorsDataset``, ``DatasetToSingleElement``,
``DirectedInterleaveDataset``, ``RandomDataset``, ``GroupByWindowDataset``,
``DatasetToTFRecord``, ``WindowDataset``), registered as
``dataset_ops.py`` registers its own: host-only, not differentiable, inputs as TF's OpDefs
order them (the input dataset, then state, then a function's captured tensors, then
scalars)."""

from __future__ import annotations

import functools

import numpy as np

from scopeflow.data import function, values
from scopeflow.data import transform_values as tv
from scopeflow.data.dataset_ops import (
    _cycle_length,
    _fn,
    _get_next_infer,
    _register,
    _variant_infer,
)
from scopeflow.data.tfrecord import TFRecordWriter


def _scan(ctx, op, d, *rest):
    n = len(op._attrs["Tstate"])
    return tv.Scan(d, rest[:n], _fn(op, rest[n:]))


def _reduce(ctx, op, d, *rest):
    n = len(op._attrs["Tstate"])
    out = tv.reduce(d, rest[:n], _fn(op, rest[n:]))
    return out[0] if len(out) == 1 else tuple(out)


def _single(ctx, op, d):
    out = tv.single_element(d)
    return out[0] if len(out) == 1 else tuple(out)


def _map_and_batch(ctx, op, d, *rest):
    captured, size, _, drop = rest[:-3], *rest[-3:]
    return values.Batch(values.Map(d, _fn(op, captured)), int(size), bool(drop))


def _shuffle_and_repeat(ctx, op, d, size, seed, seed2, count):
    reshuffle = op._attrs["reshuffle_each_iteration"]
    return values.Repeat(values.Shuffle(d, int(size), int(seed), int(seed2), reshuffle), int(count))


def _parallel_interleave(ctx, op, d, *rest):
    captured, cycle, block = rest[:-4], rest[-4], rest[-3]
    return values.Interleave(d, _fn(op, captured), _cycle_length(cycle), int(block))


def _group_by_window(ctx, op, d, *captured):
    counts = [
        len(op._attrs[f"T{name}_other_arguments"])
        for name in ("key_func", "reduce_func", "window_size_func")
    ]
    key_args = captured[: counts[0]]
    reduce_args = captured[counts[0] : counts[0] + counts[1]]
    size_args = captured[counts[0] + counts[1] :]
    reducer = function.lookup(op.graph, op._attrs["reduce_func"])
    return tv.GroupByWindow(
        d,
        _fn(op, key_args, "key_func"),
        functools.partial(reducer, captured=list(reduce_args)),
        _fn(op, size_args, "window_size_func"),
    )


def _write_records(ctx, op, d, filename, compression):
    kind = _text(compression)
    writer = TFRecordWriter(_text(filename), kind if kind in ("GZIP", "ZLIB") else "")
    with writer:  # an unknown compression writes plain records, as TF
        for element in d.elements():
            writer.write(np.asarray(element[0]).item())
    return ()


def _text(value) -> str:
    value = np.asarray(value).item()
    return value.decode() if isinstance(value, bytes) else str(value)


_KERNELS = {
    "ShardDataset": lambda ctx, op, d, n, i: tv.Shard(d, int(n), int(i)),
    "UnbatchDataset": lambda ctx, op, d: tv.Unbatch(d),
    "TakeWhileDataset": lambda ctx, op, d, *c: tv.TakeWhile(d, _fn(op, c, "predicate")),
    "ScanDataset": _scan,
    "UniqueDataset": lambda ctx, op, d: tv.Unique(d),
    "MapAndBatchDataset": _map_and_batch,
    "ShuffleAndRepeatDataset": _shuffle_and_repeat,
    "LegacyParallelInterleaveDatasetV2": _parallel_interleave,
    "IgnoreErrorsDataset": lambda ctx, op, d: tv.IgnoreErrors(d),
    "DirectedInterleaveDataset": lambda ctx, op, s, *data: tv.DirectedInterleave(
        s, list(data), op._attrs["stop_on_empty_dataset"]
    ),
    "RandomDataset": lambda ctx, op, seed, seed2: tv.RandomSeeds(int(seed), int(seed2)),
    "GroupByWindowDataset": _group_by_window,
    "WindowDataset": lambda ctx, op, d, size, shift, stride, drop: tv.Windows(
        d, int(size), int(shift), int(stride), bool(drop)
    ),
}
for _op_type, _kernel in _KERNELS.items():
    _register(_op_type, _variant_infer, _kernel)
_register("ReduceDataset", _get_next_infer, _reduce)
_register("DatasetToTFRecord", lambda inputs, attrs: [], _write_records)
_register("DatasetToSingleElement", _get_next_infer, _single)
