"""More ``tf.data.experimental`` transformations, as TF builds them: ``group_by_reducer``
(with ``Reducer``; ``ExperimentalGroupByReducerDataset``), ``dense_to_sparse_batch``
(``DenseToSparseBatchDataset``, ``Dataset.sparse_batch``), ``assert_cardinality``
(``AssertCardinalityDataset``) and ``pad_to_cardinality`` (a ``concatenate`` of padding, as
TF), each with its op's kernel and value.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     reducer = tf.data.experimental.Reducer(
...         lambda key: tf.constant(0, tf.int64), lambda s, x: s + x, lambda s: s)
...     ds = tf.data.Dataset.range(10).apply(
...         tf.data.experimental.group_by_reducer(lambda x: x % 3, reducer))
...     [int(v) for v in ds.as_numpy_iterator()]
[18, 12, 15]
"""

from __future__ import annotations

import numpy as np

from scopeflow.data import cardinality, function, structure, values
from scopeflow.data.cardinality import INFINITE_CARDINALITY, UNKNOWN_CARDINALITY
from scopeflow.data.dataset import Dataset, _int64
from scopeflow.data.dataset_ops import _fn, _register, _variant_infer
from scopeflow.data.structure import SparseSpec, Spec
from scopeflow.data.transforms import function_attrs, make, trace_with_state
from scopeflow.framework import dtypes, errors, tensor_shape, undo
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array.basic import zeros
from scopeflow.ops.math.elementwise import subtract

_invalid = values._invalid

# -- group_by_reducer -----------------------------------------------------------------------


class Reducer:
    """How ``group_by_reducer`` reduces a group: ``init_func(key)`` starts its state,
    ``reduce_func(state, element)`` takes in each element, ``finalize_func(state)`` gives the
    group's element."""

    def __init__(self, init_func, reduce_func, finalize_func):
        self._init_func, self._reduce_func = init_func, reduce_func
        self._finalize_func = finalize_func

    @property
    def init_func(self):
        return self._init_func

    @property
    def reduce_func(self):
        return self._reduce_func

    @property
    def finalize_func(self):
        return self._finalize_func


class GroupedReduce(values.DatasetValue):
    """One element per key, in the order keys first appear: its group's final state."""

    def __init__(self, child, key_fn, init_fn, reduce_fn, finalize_fn):
        self.child, self.key_fn, self.init_fn = child, key_fn, init_fn
        self.reduce_fn, self.finalize_fn = reduce_fn, finalize_fn

    def elements(self):
        states: dict[int, list] = {}
        for element in self.child.elements():
            key = int(self.key_fn(element)[0])
            state = states.get(key)
            if state is None:
                state = self.init_fn([np.int64(key)])
            states[key] = self.reduce_fn([*state, *element])
        for state in states.values():
            yield self.finalize_fn(list(state))


def _group_by_reducer_kernel(ctx, op, d, *captured):
    names = ("key_func", "init_func", "reduce_func", "finalize_func")
    fns, start = [], 0
    for name in names:
        n = len(op._attrs[f"T{name}_other_arguments"])
        fns.append(_fn(op, captured[start : start + n], name))
        start += n
    return GroupedReduce(d, *fns)


_register("ExperimentalGroupByReducerDataset", _variant_infer, _group_by_reducer_kernel)


def _check_key_func(traced) -> None:
    out = traced.structure
    if not (
        isinstance(out, Tensor)
        and out.dtype == dtypes.int64
        and out.shape.is_compatible_with(tensor_shape.TensorShape([]))
    ):
        specs = structure.specs_of(out)
        types = structure.map_leaves(lambda s: f"<dtype: '{s.dtype.name}'>", specs)
        shapes = structure.map_leaves(lambda s: s.shape, specs)
        raise ValueError(
            "Invalid `key_func`. Expected `key_func` to return a scalar tf.int64 tensor, but "
            f"instead `key_func` has output types={types} and shapes={shapes}."
        )


def group_by_reducer(key_func, reducer):
    """Elements grouped by ``key_func(element)`` (an int64 scalar) and each group reduced by
    ``reducer`` (a :class:`Reducer`): one element per key, at the end of the input."""

    @undo.atomic
    def apply(dataset):
        key = function.TracedFunction(key_func, dataset._specs, "group_by_reducer")
        _check_key_func(key)
        key_spec = Spec(dtypes.int64, tensor_shape.TensorShape([]))
        init = function.TracedFunction(reducer.init_func, key_spec, "group_by_reducer")
        reduce_, state_specs, _ = trace_with_state(
            reducer.reduce_func, init.structure, dataset._specs, "group_by_reducer"
        )
        finalize = function.TracedFunction(reducer.finalize_func, state_specs, "group_by_reducer")
        traced = {
            "key_func": key,
            "init_func": init,
            "reduce_func": reduce_,
            "finalize_func": finalize,
        }
        attrs, captured = {}, []
        for name, t in traced.items():
            f = function_attrs(t, name)
            attrs[name] = f[name]
            attrs[f"T{name}_other_arguments"] = f["Targuments"]
            captured.extend(t.captured)
        specs = structure.specs_of(finalize.structure)
        inputs = [dataset._variant_tensor, *captured]
        return make(dataset, "ExperimentalGroupByReducerDataset", inputs, specs, **attrs)

    return apply


# -- dense_to_sparse_batch ------------------------------------------------------------------


class DenseToSparse(values.DatasetValue):
    """Batches of ``size`` elements as one ``SparseTensor`` (serialized) each: dense shape
    ``[n] + row_shape`` (a ``-1`` dimension: the batch's largest), every value of each
    element kept, in row-major order."""

    def __init__(self, child, size: int, row_shape):
        if size <= 0:
            raise _invalid("Batch size must be greater than zero.")
        self.child, self.size = child, size
        self.row_shape = [int(d) for d in np.reshape(row_shape, [-1])]

    def elements(self):
        it = self.child.elements()

        def step():  # an element's error loses the batch taken so far, as TF's
            batch: list = []
            while len(batch) < self.size:
                try:
                    batch.append(np.asarray(next(it)[0]))
                except StopIteration:
                    break
            if not batch:
                raise StopIteration
            return [self._sparse(batch)]

        return values.Steps(step)

    def _sparse(self, batch: list) -> np.ndarray:
        row = self.row_shape
        for part in batch:
            text = f"Input element had shape ([{','.join(map(str, part.shape))}]) that is "
            wanted = f"the row shape ([{','.join(map(str, row))}])."
            if part.ndim != len(row):
                raise _invalid(text + "incompatible with " + wanted)
            if any(0 <= r < d for d, r in zip(part.shape, row, strict=True)):
                raise errors.DataLossError(None, None, text + "larger than " + wanted)
        dims = [
            max((p.shape[i] for p in batch), default=0) if r < 0 else r for i, r in enumerate(row)
        ]
        indices, vals = [], []
        for n, part in enumerate(batch):
            where = np.array(list(np.ndindex(*part.shape)), dtype=np.int64).reshape(-1, part.ndim)
            indices.append(np.concatenate([np.full((len(where), 1), n, np.int64), where], 1))
            vals.append(part.reshape(-1))
        out = np.empty(3, dtype=object)
        out[0] = np.concatenate(indices).astype(np.int64)
        out[1] = np.concatenate(vals)
        out[2] = np.int64([len(batch), *dims])
        return out


def _dense_to_sparse_kernel(ctx, op, d, size, row_shape):
    return DenseToSparse(d, int(size), row_shape)


_register("DenseToSparseBatchDataset", _variant_infer, _dense_to_sparse_kernel)


def dense_to_sparse_batch(batch_size, row_shape):
    """Batches of ``batch_size`` elements (one tensor each) as ``SparseTensor``s of dense
    shape ``[batch, *row_shape]`` (a ``None``/-1 dimension: the batch's largest)."""

    @undo.atomic
    def apply(dataset):
        flat = structure.flatten(dataset._specs)
        if len(flat) != 1 or isinstance(flat[0], SparseSpec):
            raise TypeError(
                "dense_to_sparse_batch needs a dataset whose elements are one dense tensor."
            )
        shape_ = tensor_shape.as_shape(row_shape)
        dims = [-1 if d is None else d for d in shape_.as_list()]
        row = convert_to_tensor(np.int64(dims).reshape([-1]), dtype=dtypes.int64)
        size = _int64(batch_size, "DenseToSparseBatchDataset/batch_size")
        spec = SparseSpec(flat[0].dtype, tensor_shape.TensorShape([None]).concatenate(shape_))
        return make(
            dataset, "DenseToSparseBatchDataset", [dataset._variant_tensor, size, row], spec
        )

    return apply


# -- rebatch --------------------------------------------------------------------------------


class Rebatch(values.DatasetValue):
    """The rows of the input's batches batched again: ``sizes[0]`` rows, then ``sizes[1]``...
    (cycling); a last, shorter batch unless ``drop_remainder``."""

    def __init__(self, child, sizes, drop_remainder: bool):
        self.child, self.drop_remainder = child, drop_remainder
        self.sizes = [int(n) for n in np.reshape(sizes, [-1])]
        if not self.sizes or any(n < 0 for n in self.sizes):
            raise _invalid("batch_sizes must be a non-empty vector of non-negative numbers.")

    def elements(self):
        it, rows, pending = self.child.elements(), [], []
        state = {"turn": 0, "first": None}

        def next_row():
            while not rows:
                element = next(it)
                rows.extend(
                    [np.asarray(c)[i] for c in element] for i in range(np.shape(element[0])[0])
                )
            row = rows.pop(0)
            if state["first"] is None:
                state["first"] = row
            return row

        def step():
            size = self.sizes[state["turn"] % len(self.sizes)]
            while len(pending) < size:
                try:
                    pending.append(next_row())
                except StopIteration:
                    break
                except errors.OpError:  # the batch taken so far is lost, as TF's
                    pending.clear()
                    raise
            if state["first"] is None or (
                len(pending) < size and (self.drop_remainder or not pending)
            ):
                raise StopIteration
            state["turn"] += 1
            batch = pending[:size]
            del pending[:size]
            first = state["first"]
            return [_rows(batch, c, first[c]) for c in range(len(first))]

        return values.Steps(step)


def _rows(batch: list, c: int, like) -> np.ndarray:
    if not batch:
        like = np.asarray(like)
        return np.zeros([0, *like.shape], like.dtype)
    return np.stack([values.as_array(row[c]) for row in batch])


_register(
    "RebatchDatasetV2",
    _variant_infer,
    lambda ctx, op, d, sizes, drop: Rebatch(d, sizes, bool(drop)),
)


def rebatch(dataset, batch_size, drop_remainder=False):
    """``Dataset.rebatch``: the rows of ``dataset``'s batches batched again by
    ``batch_size`` (an int, or a list of sizes used in turn)."""
    flat = structure.flatten(dataset._specs)
    if any(s.shape.ndims == 0 for s in flat):
        raise ValueError(
            "Invalid `batch_sizes`. Expected dataset with rank of >= 1 but found a dataset with "
            "scalar elements. Fix the issue by adding the `batch` transformation to the "
            "dataset."
        )
    sizes = np.int64(batch_size).reshape([-1])
    same = len(set(sizes.tolist())) == 1
    dense = dataset.map(lambda *x: x[0] if len(x) == 1 else x)  # TF's normalize_to_dense

    def respec(spec):
        rows = spec.shape[0].value if spec.shape.ndims else None
        known = same and (drop_remainder or (rows is not None and rows % int(sizes[0]) == 0))
        dim = int(sizes[0]) if known else None
        return spec.reshaped(tensor_shape.TensorShape([dim]).concatenate(spec.shape[1:]))

    specs = structure.map_leaves(respec, dataset._specs)
    flat_specs = structure.flatten(specs)
    attrs = {
        "output_types": [s.component_dtype for s in flat_specs],
        "output_shapes": [s.component_shape for s in flat_specs],
    }
    with name_scope("RebatchDatasetV2") as scope:  # the op takes its scope's name, as TF's
        inputs = [
            dense._variant_tensor,
            convert_to_tensor(sizes, dtype=dtypes.int64, name="batch_sizes"),
            convert_to_tensor(drop_remainder, dtype=dtypes.bool, name="drop_remainder"),
        ]
        op = get_default_graph().create_op("RebatchDatasetV2", inputs, attrs, name=scope)
    return type(dense)(op.outputs[0], specs)


# -- cardinality ----------------------------------------------------------------------------


class AssertCardinality(values.DatasetValue):
    """The elements, ``FailedPreconditionError`` when there are more or fewer than
    ``expected`` (-1: endless)."""

    def __init__(self, child, expected: int):
        self.child, self.expected = child, expected

    def elements(self):
        it, seen = self.child.elements(), [0]

        def step():  # the count's error, once reached, is raised by every later call, as TF's
            try:
                element = next(it)
            except StopIteration:
                if seen[0] == self.expected:
                    raise
                n = seen[0]
                raise errors.FailedPreconditionError(
                    None,
                    None,
                    f"Input dataset was expected to contain {self._words()} but contained only "
                    f"{n} {_elements(n)}.",
                ) from None
            seen[0] += 1
            if 0 <= self.expected < seen[0]:
                n = seen[0]
                raise errors.FailedPreconditionError(
                    None,
                    None,
                    f"Input dataset was expected to contain {self._words()} but contained at "
                    f"least {n} {_elements(n)}.",
                )
            return element

        return values.Steps(step)

    def _words(self) -> str:
        if self.expected == INFINITE_CARDINALITY:
            return "an infinite number of elements"
        return f"{self.expected} {_elements(self.expected)}"


def _elements(n: int) -> str:
    return "element" if n == 1 else "elements"


_register(
    "AssertCardinalityDataset",
    _variant_infer,
    lambda ctx, op, d, n: AssertCardinality(d, int(n)),
)
cardinality._RULES[AssertCardinality] = lambda d: d.expected


def _sparse_batches(d) -> int:
    n = cardinality.cardinality_of(d.child)
    return n if n < 0 else -(-n // d.size)


cardinality._RULES[DenseToSparse] = _sparse_batches
cardinality._RULES[GroupedReduce] = lambda d: UNKNOWN_CARDINALITY


def assert_cardinality(expected_cardinality):
    """The same elements; the iterator fails (``FailedPreconditionError``) once there are
    more or fewer than ``expected_cardinality``, which ``cardinality()`` reports."""

    @undo.atomic
    def apply(dataset):
        n = _int64(expected_cardinality, "expected_cardinality")
        return make(
            dataset, "AssertCardinalityDataset", [dataset._variant_tensor, n], dataset._specs
        )

    return apply


def pad_to_cardinality(cardinality, mask_key="valid"):
    """The elements of a dataset of dicts, each with ``mask_key: True``, then elements of
    zeros with ``mask_key: False`` up to ``cardinality`` elements (built as TF builds it:
    ``cardinality()``, a ``repeat`` of one padding element, ``concatenate``)."""

    @undo.atomic
    def apply(dataset):
        if not isinstance(dataset._specs, dict):
            raise ValueError("`pad_to_cardinality` requires its input dataset to be a dictionary.")
        missing = subtract(np.int64(cardinality), dataset.cardinality(), name="sub")
        padding = {k: _zeros(s) for k, s in dataset._specs.items()}
        padding[mask_key] = False
        filler = Dataset.from_tensors(padding).repeat(missing)
        flagged = dataset.map(lambda x: {**x, mask_key: True})
        return flagged.concatenate(filler)

    return apply


def _zeros(spec):
    if not spec.shape.is_fully_defined():
        raise ValueError(
            f"`pad_to_cardinality` needs components of fully known shapes, got {spec.shape}."
        )
    if spec.dtype == dtypes.string:
        return constant(b"", dtype=spec.dtype, shape=spec.shape.as_list(), name="zeros")
    return zeros(spec.shape.as_list(), spec.dtype)


__all__ = [
    "Reducer",
    "assert_cardinality",
    "dense_to_sparse_batch",
    "group_by_reducer",
    "pad_to_cardinality",
]
