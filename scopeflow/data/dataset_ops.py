"""The op types of ``tf.data``: datasets (``TensorSliceDataset``, ``MapDataset``,
``BatchDatasetV2``...) and iterators (``OneShotIterator``, ``IteratorV2``, ``MakeIterator``,
``IteratorGetNext``, ``IteratorToStringHandle``, ``IteratorFromStringHandleV2``), and
``DatasetCardinality`` (``cardinality.py``'s rules), each registered once with its shape rule
and kernel. None is differentiable; all run on the host (``host_only``).

A dataset op outputs a ``variant`` scalar whose value is a :class:`values.DatasetValue` built
from its inputs' values, so a dataset built from placeholders reads them from the feeds of
the run that initializes its iterator. An iterator's state (the pass it is in) lives in the
session (``ctx.op_state``), so two sessions iterate independently. ``IteratorGetNext`` takes
the next element, or raises ``OutOfRangeError`` ("End of sequence") when there is none; an
element taken by a run that then fails is lost, as in TF1.
"""

from __future__ import annotations

import functools
import os
import threading

import numpy as np

from scopeflow.data import file_cache, function, values
from scopeflow.data.cardinality import cardinality_of
from scopeflow.framework import dtypes, errors, tensor_shape
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.control.assertions import node_note
from scopeflow.session.session import Session

_SCALAR = tensor_shape.TensorShape([])


def _variant_infer(inputs, attrs):
    return [(dtypes.variant, _SCALAR)]


def _resource_infer(inputs, attrs):
    return [(dtypes.resource, _SCALAR)]


class Handle:
    """An iterator op's value: the key of its state in the session."""

    __slots__ = ("key", "name")

    def __init__(self, key, name: str):
        self.key, self.name = key, name

    def __repr__(self) -> str:
        return f"<iterator {self.name}>"


def _object(value):
    """A dataset or iterator value; the JAX executor hands host values on as 0-d arrays."""
    if isinstance(value, np.ndarray) and value.dtype == object and value.ndim == 0:
        item = value[()]
        if isinstance(item, (values.DatasetValue, Handle)):
            return item
    return value


def _register(op_type: str, infer, kernel) -> None:
    def run(ctx, op, *inputs):
        return kernel(ctx, op, *(_object(v) for v in inputs))

    register_op(op_type, infer, kernel=run, grad=NOT_DIFFERENTIABLE, stateful=True, host_only=True)


def _fn(op, captured=(), attr: str = "f"):
    """The op's function, bound to the values of the outer tensors it captured."""
    fn = function.lookup(op.graph, op._attrs[attr])
    if isinstance(fn, function.TracedFunction):  # state of its own for this initialization
        fn = fn.instance()
    return functools.partial(fn, captured=list(captured)) if captured else fn


def _cycle_length(value) -> int:
    return os.cpu_count() or 1 if int(value) == -1 else int(value)  # -1: AUTOTUNE


def _cache(d, filename):
    name = np.asarray(filename).item()
    name = name.decode() if isinstance(name, bytes) else str(name)
    return file_cache.FileCache(d, name) if name else values.Cache(d)


_DATASET_KERNELS = {
    "TensorSliceDataset": lambda ctx, op, *c: values.TensorSlices(c),
    "TensorDataset": lambda ctx, op, *c: values.Tensors(c),
    "RangeDataset": lambda ctx, op, start, stop, step: values.Range(start, stop, step),
    "ZipDataset": lambda ctx, op, *children: values.Zip(children),
    "ConcatenateDataset": lambda ctx, op, a, b: values.Concatenate(a, b),
    # A function's captured tensors come after the input dataset (TF's other_arguments).
    "MapDataset": lambda ctx, op, d, *captured: values.Map(d, _fn(op, captured)),
    "ParallelMapDatasetV2": lambda ctx, op, d, *rest: values.Map(d, _fn(op, rest[:-1])),
    "FilterDataset": lambda ctx, op, d, *captured: values.Filter(d, _fn(op, captured, "predicate")),
    "FlatMapDataset": lambda ctx, op, d, *captured: values.FlatMap(d, _fn(op, captured)),
    "InterleaveDataset": lambda ctx, op, d, *rest: values.Interleave(
        d, _fn(op, rest[:-2]), _cycle_length(rest[-2]), int(rest[-1])
    ),
    "BatchDatasetV2": lambda ctx, op, d, size, drop: values.Batch(d, int(size), bool(drop)),
    "ShuffleDataset": lambda ctx, op, d, size, seed, seed2: values.Shuffle(
        d, int(size), int(seed), int(seed2), op._attrs["reshuffle_each_iteration"]
    ),
    "RepeatDataset": lambda ctx, op, d, count: values.Repeat(d, int(count)),
    "TakeDataset": lambda ctx, op, d, count: values.Take(d, int(count)),
    "SkipDataset": lambda ctx, op, d, count: values.Skip(d, int(count)),
    "PrefetchDataset": lambda ctx, op, d, size: values.Prefetch(d),
    "CacheDataset": lambda ctx, op, d, filename: _cache(d, filename),
    "OptionsDataset": lambda ctx, op, d: d,  # the options change nothing here (options.py)
}
for _op_type, _kernel in _DATASET_KERNELS.items():
    _register(_op_type, _variant_infer, _kernel)


def _padded_batch_kernel(ctx, op, d, size, *rest):
    n = op._attrs["N"]
    shapes, pads, drop = rest[:n], rest[n : 2 * n], rest[2 * n]
    return values.PaddedBatch(d, int(size), list(shapes), list(pads), bool(drop))


_register("PaddedBatchDatasetV2", _variant_infer, _padded_batch_kernel)
_register(
    "DatasetCardinality",
    lambda inputs, attrs: [(dtypes.int64, _SCALAR)],
    lambda ctx, op, d: np.int64(cardinality_of(d)),
)


# -- iterators ----------------------------------------------------------------------------


class _IteratorState:
    """The session's state of one iterator: the pass it is in (``None``: not initialized)."""

    __slots__ = ("lock", "elements")

    def __init__(self):
        self.lock = threading.Lock()
        self.elements = None


def _iterator_key(op):
    shared = op._attrs.get("shared_name", "")
    return ("iterator", op._attrs.get("container", ""), shared) if shared else op


def _iterator_v2_kernel(ctx, op):
    return Handle(_iterator_key(op), op.name)


def _one_shot_kernel(ctx, op):
    state = ctx.op_state(op, _IteratorState)
    with state.lock:
        if state.elements is None:
            dataset = function.lookup(op.graph, op._attrs["dataset_factory"])
            value = Session(graph=op.graph, executor="numpy").run(dataset)
            state.elements = value.elements()
    return Handle(op, op.name)


def _from_string_handle_kernel(ctx, op, name):
    """The iterator a string handle names (``IteratorToStringHandle`` gives its op's name)."""
    name = np.asarray(name).item()
    name = name.decode() if isinstance(name, bytes) else str(name)
    target = op.graph._ops_by_name.get(name)
    if target is None or target.type not in ("IteratorV2", "OneShotIterator"):
        raise errors.InvalidArgumentError(
            None,
            op,
            f"'{name}' is not the string handle of an iterator of this graph." + node_note(op),
        )
    if target._attrs["output_types"] != op._attrs["output_types"]:
        raise errors.InvalidArgumentError(
            None,
            op,
            f"The iterator '{name}' gives elements of types {target._attrs['output_types']}, "
            f"the handle's iterator expects {op._attrs['output_types']}." + node_note(op),
        )
    return Handle(_iterator_key(target), name)


def _make_iterator_kernel(ctx, op, dataset, handle):
    state = ctx.op_state(handle.key, _IteratorState)
    with state.lock:
        state.elements = dataset.elements()
    return ()


def _get_next_kernel(ctx, op, handle):
    state = ctx.op_state(handle.key, _IteratorState)
    with state.lock:
        if state.elements is None:
            raise errors.FailedPreconditionError(
                None,
                op,
                "GetNext() failed because the iterator has not been initialized. Ensure that "
                "you have run the initializer operation for this iterator before getting the "
                "next element." + node_note(op),
            )
        try:
            element = next(state.elements)
        except StopIteration:
            raise errors.OutOfRangeError(None, op, "End of sequence" + node_note(op)) from None
        except errors.OpError as e:
            raise type(e)(None, op, e.message + node_note(op)) from None
    out = [_checked(op, i, v) for i, v in enumerate(element)]
    return out[0] if len(out) == 1 else tuple(out)


def _checked(op, i: int, value):
    """``value`` as the ``i``-th output's dtype; its shape must fit the static shape."""
    dtype = op._attrs["output_types"][i]
    if dtype in (dtypes.string, dtypes.variant):  # variant: serialized sparse tensors
        array = np.asarray(value, dtype=object)
    else:
        array = np.asarray(value)
        if array.dtype != dtype.as_numpy_dtype:
            array = array.astype(dtype.as_numpy_dtype)
    if not op._attrs["output_shapes"][i].is_compatible_with(array.shape):
        raise errors.InvalidArgumentError(
            None,
            op,
            f"An element of component {i} has shape {list(array.shape)}, incompatible with "
            f"the iterator's static shape {op._attrs['output_shapes'][i]}" + node_note(op),
        )
    return array


def _get_next_infer(inputs, attrs):
    return list(zip(attrs["output_types"], attrs["output_shapes"], strict=True))


def _string_handle_kernel(ctx, op, handle):
    return np.asarray(handle.name.encode(), dtype=object)


_register("IteratorV2", _resource_infer, _iterator_v2_kernel)
_register("OneShotIterator", _resource_infer, _one_shot_kernel)
_register("IteratorFromStringHandleV2", _resource_infer, _from_string_handle_kernel)
_register("MakeIterator", lambda inputs, attrs: [], _make_iterator_kernel)
_register("IteratorGetNext", _get_next_infer, _get_next_kernel)
_register(
    "IteratorToStringHandle",
    lambda inputs, attrs: [(dtypes.string, _SCALAR)],
    _string_handle_kernel,
)
