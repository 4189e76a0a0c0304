"""``tf.data.Dataset``: a pipeline of dataset ops in the graph, each a source or a
transformation of the dataset before it, with the structure of its elements (types and static
shapes) known while building.

>>> import numpy as np
>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     ds = tf.data.Dataset.from_tensor_slices(np.arange(5)).map(lambda x: x * 2).batch(2)
...     batch = ds.make_one_shot_iterator().get_next()
...     with tf.Session() as sess:
...         print(sess.run(batch), sess.run(batch), sess.run(batch))
[0 2] [4 6] [8]
"""

from __future__ import annotations

import numpy as np

from scopeflow.data import dataset_ops, function, options, ragged_variant, structure, values
from scopeflow.data import options as _options_module
from scopeflow.data.element_specs import NumpyIterator, element_spec
from scopeflow.data.iterator import Iterator, make_initializable, make_one_shot
from scopeflow.data.structure import Spec
from scopeflow.data.transforms import Transforms
from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.core.infer import constant_value
from scopeflow.ops.random.sampling import get_seed
from scopeflow.ragged.tensor import RaggedTensor

_ = dataset_ops  # registers the op types

AUTOTUNE = -1


# Dataset ops whose element dtypes attr is ``Toutput_types`` (TF's OpDefs); the others'
# is ``output_types``.
_T_OUTPUT_TYPES = {"TensorSliceDataset", "TensorDataset", "PaddedBatchDatasetV2"}


def _flat_attrs(op_type: str, specs) -> dict:
    flat = structure.flatten(specs)
    types = "Toutput_types" if op_type in _T_OUTPUT_TYPES else "output_types"
    return {
        types: [s.component_dtype for s in flat],
        "output_shapes": [s.component_shape for s in flat],
    }


def _int64(value, name: str) -> Tensor:
    return convert_to_tensor(value, dtype=dtypes.int64, name=name)


def _static_int(t: Tensor) -> int | None:
    value = constant_value(t)
    return None if value is None else int(value)


def _normalize(element) -> tuple:
    """The element's structure, and its components as tensors (made under
    ``normalize_element``, as TF names them)."""
    if structure.is_structure(element):
        leaves = structure.flatten(element)
    else:
        leaves = [element]
    with name_scope("normalize_element"):
        flat = [
            leaf
            if isinstance(leaf, (Tensor, RaggedTensor))
            else convert_to_tensor(leaf, name=f"component_{i}")
            for i, leaf in enumerate(leaves)
        ]
    if structure.is_structure(element):
        return structure.pack(element, flat), flat
    return flat[0], flat


class Dataset(Transforms):
    """A dataset: its op's ``variant`` tensor and its element's structure of specs."""

    def __init__(self, variant_tensor: Tensor, specs):
        self._variant_tensor = variant_tensor
        self._specs = specs

    # -- element structure -------------------------------------------------------------

    @property
    def output_types(self):
        return structure.types(self._specs)

    @property
    def output_shapes(self):
        return structure.shapes(self._specs)

    @property
    def output_classes(self):
        return structure.classes(self._specs)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} shapes: {self.output_shapes}, types: {self.output_types}>"

    @property
    def element_spec(self):
        """A ``tf.TensorSpec`` per component, in the element's structure."""
        return element_spec(self._specs)

    def options(self) -> options.Options:
        """The options set by ``with_options`` here and on the datasets this one reads."""
        return options.dataset_options(self._variant_tensor)

    @undo.atomic
    def with_options(self, options, name=None) -> Dataset:
        """The same elements, with ``options`` (a ``tf.data.Options``) merged into this
        dataset's (what each option does here: ``scopeflow/data/options.py``)."""
        token = _options_module.keep_options(get_default_graph(), options)
        specs = self._specs
        return _make("OptionsDataset", [self._variant_tensor], specs, serialized_options=token)

    @undo.atomic
    def cardinality(self) -> Tensor:
        """The number of elements (an int64 scalar when run): -1 when infinite
        (``tf.data.INFINITE_CARDINALITY``), -2 when unknown until a pass counts them."""
        op = get_default_graph().create_op(
            "DatasetCardinality", [self._variant_tensor], {}, name="DatasetCardinality"
        )
        return op.outputs[0]

    def as_numpy_iterator(self) -> NumpyIterator:
        """The elements as NumPy values, read by a session of this dataset's graph."""
        return NumpyIterator(self)

    def __iter__(self):
        raise RuntimeError(
            "`tf.data.Dataset` only supports Python-style iteration in eager mode; scopeflow "
            "runs graphs: use dataset.make_one_shot_iterator().get_next() and Session.run."
        )

    # -- sources -------------------------------------------------------------------------

    @staticmethod
    @undo.atomic
    def from_tensor_slices(tensors) -> Dataset:
        """Elements are the slices of ``tensors`` (a tensor, or a tuple/dict of them) along
        their first dimension."""
        element, flat = _normalize(tensors)
        first = tensor_shape.Dimension(None)
        for t in flat:
            if t.shape.ndims == 0:
                raise ValueError("Unbatching a tensor is only supported for rank >= 1")
            if t.shape.ndims is not None:
                first = first.merge_with(t.shape[0])
        specs = structure.map_leaves(_row_spec, element)
        components = [  # a ragged tensor: its rows, each encoded as a variant
            ragged_variant.to_variant(t, batched_input=True) if isinstance(t, RaggedTensor) else t
            for t in flat
        ]
        return _make("TensorSliceDataset", components, specs)

    @staticmethod
    @undo.atomic
    def from_tensors(tensors) -> Dataset:
        """One element: ``tensors`` (a tensor, or a tuple/dict of them)."""
        element, flat = _normalize(tensors)
        specs = structure.specs_of(element)
        return _make("TensorDataset", structure.to_components(element), specs)

    @staticmethod
    @undo.atomic
    def range(*args) -> Dataset:  # noqa: A003 - TF's name
        """``range(stop)``, ``range(start, stop)`` or ``range(start, stop, step)``, as int64
        scalars."""
        if not 1 <= len(args) <= 3:
            raise ValueError(f"Invalid arguments to range: {args}")
        start, stop, step = (0, args[0], 1) if len(args) == 1 else (*args, 1)[:3]
        inputs = [_int64(start, "start"), _int64(stop, "stop"), _int64(step, "step")]
        return _make("RangeDataset", inputs, Spec(dtypes.int64, []))

    @staticmethod
    @undo.atomic
    def zip(datasets) -> Dataset:  # noqa: A003 - TF's name
        """Elements are tuples (or dicts) of the elements of ``datasets``, until the shortest
        ends."""
        flat = structure.flatten(datasets)
        for d in flat:
            if not isinstance(d, Dataset):
                raise TypeError(
                    "Invalid input to `zip`. Inputs are expected to be (nested) structures of "
                    f"`tf.data.Dataset` objects but encountered object of type {type(d)}."
                )
        specs = structure.pack(datasets, [d._specs for d in flat])
        inputs = [d._variant_tensor for d in flat]
        return _make("ZipDataset", inputs, specs, N=len(inputs))

    @staticmethod
    @undo.atomic
    def from_generator(generator, output_types, output_shapes=None, args=None) -> Dataset:
        """Elements are what ``generator(*args)`` yields, converted to ``output_types`` and
        checked against ``output_shapes`` (unknown when not given); ``args`` are tensors whose
        values, read when an iterator is initialized, are passed as NumPy values (scalars as
        NumPy scalars, strings as bytes), as TF passes them."""
        if not callable(generator):
            raise TypeError("`generator` must be a Python callable.")
        args = () if args is None else tuple(convert_to_tensor(a, name="args") for a in args)
        specs = structure.specs_from(output_types, output_shapes)
        flat = structure.flatten(specs)

        def flatten(value):
            if structure.is_structure(specs) and not structure.same_structure(specs, value):
                raise TypeError(f"expected {output_types}")
            return structure.flatten(value) if structure.is_structure(specs) else [value]

        graph = get_default_graph()
        ids = graph._store("data_generators", list)
        ids.append(generator)
        undo.record(ids.pop)
        seed = Dataset.from_tensors((np.int64(len(ids) - 1), *args))

        def source(element):
            given = [np.asarray(a)[()] if np.ndim(a) == 0 else np.asarray(a) for a in element[1:]]
            return values.Generator(lambda: generator(*given), flat, output_types, flatten)

        token = function.register(graph, source)
        return _make("FlatMapDataset", [seed._variant_tensor], specs, f=token, Targuments=[])

    # -- transformations -------------------------------------------------------------------

    @undo.atomic
    def map(self, map_func, num_parallel_calls=None) -> Dataset:  # noqa: A003 - TF's name
        """Elements are ``map_func(element)`` (a tuple element is passed as arguments)."""
        traced = function.TracedFunction(map_func, self._specs, "map")
        specs = structure.specs_of(traced.structure)
        attrs = _function_attrs(traced)
        inputs = [self._variant_tensor, *traced.captured]
        if num_parallel_calls is None:
            return _make("MapDataset", inputs, specs, preserve_cardinality=True, **attrs)
        inputs.append(_int64(num_parallel_calls, "num_parallel_calls"))
        return _make("ParallelMapDatasetV2", inputs, specs, deterministic="default", **attrs)

    @undo.atomic
    def filter(self, predicate) -> Dataset:  # noqa: A003 - TF's name
        """The elements for which ``predicate(element)`` is true."""
        traced = function.TracedFunction(predicate, self._specs, "filter")
        out = traced.structure
        if not isinstance(out, Tensor) or out.dtype != dtypes.bool or not _is_scalar(out):
            spec = out if isinstance(out, Tensor) else None
            got = (
                f"TensorSpec(shape={_shape_tuple(spec.shape)}, dtype={spec.dtype!r}, name=None)"
                if spec is not None
                else repr(out)
            )
            raise ValueError(
                "Invalid `predicate`. `predicate` must return a `tf.bool` scalar tensor, but its "
                f"return type is {got}."
            )
        attrs = _function_attrs(traced, "predicate")
        inputs = [self._variant_tensor, *traced.captured]
        return _make("FilterDataset", inputs, self._specs, **attrs)

    @undo.atomic
    def flat_map(self, map_func) -> Dataset:
        """The elements of the datasets ``map_func(element)`` returns, one after another."""
        traced = self._dataset_function(map_func, "flat_map")
        inputs = [self._variant_tensor, *traced.captured]
        return _make("FlatMapDataset", inputs, traced.dataset._specs, **_function_attrs(traced))

    @undo.atomic
    def interleave(self, map_func, cycle_length=None, block_length=None, num_parallel_calls=None):
        """The elements of the datasets ``map_func`` returns for ``cycle_length`` input
        elements at a time, ``block_length`` from each in turn."""
        traced = self._dataset_function(map_func, "interleave")
        inputs = [
            self._variant_tensor,
            *traced.captured,
            _int64(AUTOTUNE if cycle_length is None else cycle_length, "cycle_length"),
            _int64(1 if block_length is None else block_length, "block_length"),
        ]
        specs = traced.dataset._specs
        return _make("InterleaveDataset", inputs, specs, **_function_attrs(traced))

    def _dataset_function(self, map_func, method: str) -> function.TracedFunction:
        traced = function.TracedFunction(map_func, self._specs, method)
        if traced.dataset is None:
            raise TypeError(
                f"The `map_func` argument must return a `Dataset` object. Got "
                f"{type(traced.structure)!r}."
            )
        return traced

    @undo.atomic
    def batch(self, batch_size, drop_remainder=False) -> Dataset:
        """Elements are ``batch_size`` consecutive elements stacked (the last batch may be
        smaller unless ``drop_remainder``)."""
        size = _int64(batch_size, "batch_size")
        drop = convert_to_tensor(drop_remainder, dtype=dtypes.bool, name="drop_remainder")
        dim = _batch_dim(size, drop)
        specs = structure.map_leaves(
            lambda s: s.reshaped(tensor_shape.TensorShape([dim]).concatenate(s.shape)),
            self._specs,
        )
        inputs = [self._variant_tensor, size, drop]
        return _make("BatchDatasetV2", inputs, specs, parallel_copy=False)

    @undo.atomic
    def padded_batch(
        self, batch_size, padded_shapes=None, padding_values=None, drop_remainder=False
    ) -> Dataset:
        """Like :meth:`batch`, each component padded to ``padded_shapes`` (``None``
        dimensions: to the longest in the batch) with ``padding_values`` (zeros, ``b""``)."""
        size = _int64(batch_size, "batch_size")
        flat = structure.flatten(self._specs)
        for spec in flat:
            if isinstance(spec, structure.RaggedSpec):
                raise TypeError(
                    "`padded_batch` is only supported for datasets that produce tensor elements "
                    "but type spec of elements in the input dataset is not a subclass of "
                    f"TensorSpec: `{element_spec(spec)}`."
                )
        if any(isinstance(s, structure.SparseSpec) for s in flat):
            raise NotImplementedError(
                "padded_batch of an element with a SparseTensor component: use batch(), which "
                "batches sparse components, or make them dense (tf.sparse.to_dense) first."
            )
        if padded_shapes is None:
            wanted = [s.shape for s in flat]
        else:
            wanted = _flat_padded_shapes(self._specs, padded_shapes)
        shape_tensors = []
        for spec, shape in zip(flat, wanted, strict=True):
            if not spec.shape.is_compatible_with(shape):
                raise ValueError(
                    f"The padded shape {_shape_tuple(shape)} is not compatible with the shape "
                    f"{_shape_tuple(spec.shape)} of the corresponding input component."
                )
            if shape.ndims is None:
                raise ValueError("Padded shapes must have a known rank; give padded_shapes.")
            dims = [-1 if d is None else d for d in shape.as_list()]
            shape_tensors.append(convert_to_tensor(np.int64(dims)))
        pads = _padding_values(flat, padding_values, self._specs)
        drop = convert_to_tensor(drop_remainder, dtype=dtypes.bool, name="drop_remainder")
        dim = _batch_dim(size, drop)
        specs = structure.pack(
            self._specs,
            [
                Spec(s.dtype, tensor_shape.TensorShape([dim]).concatenate(shape))
                for s, shape in zip(flat, wanted, strict=True)
            ],
        )
        inputs = [self._variant_tensor, size, *shape_tensors, *pads, drop]
        return _make("PaddedBatchDatasetV2", inputs, specs, N=len(flat), parallel_copy=False)

    @undo.atomic
    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=None) -> Dataset:
        """The elements in a random order drawn with a buffer of ``buffer_size`` elements;
        ``seed`` (with the graph seed, as random ops) fixes the order."""
        size = _int64(buffer_size, "buffer_size")
        graph_seed, op_seed = get_seed(seed)
        seeds = [_int64(graph_seed or 0, "seed"), _int64(op_seed or 0, "seed2")]
        reshuffle = True if reshuffle_each_iteration is None else bool(reshuffle_each_iteration)
        inputs = [self._variant_tensor, size, *seeds]
        return _make("ShuffleDataset", inputs, self._specs, reshuffle_each_iteration=reshuffle)

    @undo.atomic
    def repeat(self, count=None) -> Dataset:
        """The elements ``count`` times over (forever when ``None`` or -1)."""
        counted = _int64(-1 if count is None else count, "count")
        return _make("RepeatDataset", [self._variant_tensor, counted], self._specs)

    @undo.atomic
    def take(self, count) -> Dataset:
        """The first ``count`` elements (all when -1)."""
        return _make("TakeDataset", [self._variant_tensor, _int64(count, "count")], self._specs)

    @undo.atomic
    def skip(self, count) -> Dataset:
        """The elements after the first ``count`` (none when -1)."""
        return _make("SkipDataset", [self._variant_tensor, _int64(count, "count")], self._specs)

    @undo.atomic
    def prefetch(self, buffer_size) -> Dataset:
        """The same elements (scopeflow computes each when it is asked for)."""
        size = _int64(buffer_size, "buffer_size")
        return _make("PrefetchDataset", [self._variant_tensor, size], self._specs)

    @undo.atomic
    def cache(self, filename="") -> Dataset:
        """The same elements, the first complete pass kept in memory and replayed by later
        passes; with a ``filename``, kept in the file ``<filename>.scopeflow-cache``
        (scopeflow's own format, ``file_cache.py``), which later passes, sessions and
        programs read instead of this dataset."""
        name = convert_to_tensor(filename, dtype=dtypes.string, name="filename")
        return _make("CacheDataset", [self._variant_tensor, name], self._specs)

    @undo.atomic
    def concatenate(self, dataset) -> Dataset:
        """This dataset's elements, then ``dataset``'s."""
        if structure.types(self._specs) != structure.types(dataset._specs) or not (
            structure.same_structure(self._specs, dataset._specs)
        ):
            raise TypeError(
                f"Two datasets to concatenate have different types {self.output_types} and "
                f"{dataset.output_types}"
            )
        specs = structure.pack(
            self._specs,
            [
                a.reshaped(a.shape.most_specific_compatible_shape(b.shape))
                for a, b in zip(
                    structure.flatten(self._specs), structure.flatten(dataset._specs), strict=True
                )
            ],
        )
        inputs = [self._variant_tensor, dataset._variant_tensor]
        return _make("ConcatenateDataset", inputs, specs)

    def apply(self, transformation_func) -> Dataset:
        """``transformation_func(self)``, which must return a dataset."""
        dataset = transformation_func(self)
        if not isinstance(dataset, Dataset):
            raise TypeError("`transformation_func` must return a `tf.data.Dataset` object.")
        return dataset

    # -- iterators -------------------------------------------------------------------------

    def make_one_shot_iterator(self) -> Iterator:
        """An iterator over this dataset that needs no initialization (the dataset must not
        capture placeholders or variables)."""
        return make_one_shot(self._variant_tensor, self._specs)

    def make_initializable_iterator(self, shared_name=None) -> Iterator:
        """An iterator whose ``initializer`` starts a pass over this dataset, reading the
        values of the tensors it was built from (placeholders: from that run's feeds)."""
        return make_initializable(self._variant_tensor, self._specs, shared_name)


DatasetV1 = Dataset


def _function_attrs(traced: function.TracedFunction, attr: str = "f") -> dict:
    """The op's function (kept in the graph under a token) and its captured inputs' types."""
    token = function.register(get_default_graph(), traced)
    return {attr: token, "Targuments": [t.dtype.base_dtype for t in traced.captured]}


def _make(op_type: str, inputs: list, specs, **attrs) -> Dataset:
    graph = get_default_graph()
    op = graph.create_op(op_type, inputs, {**attrs, **_flat_attrs(op_type, specs)}, name=op_type)
    return Dataset(op.outputs[0], specs)


def _row_spec(t) -> Spec:
    """The spec of a slice of ``t`` along its first dimension."""
    if isinstance(t, RaggedTensor):
        rank = t.ragged_rank - 1
        return structure.RaggedSpec(t.dtype, t.shape[1:], rank, t.row_splits_dtype)
    return Spec(t.dtype, t.shape[1:])


def _is_scalar(t: Tensor) -> bool:
    return t.shape.is_compatible_with(tensor_shape.TensorShape([]))


def _shape_tuple(shape) -> str:
    if shape.ndims is None:
        return "<unknown>"
    return str(tuple(shape.as_list()))


def _batch_dim(size: Tensor, drop: Tensor):
    dropping = constant_value(drop)
    return _static_int(size) if dropping is not None and bool(dropping) else None


def _flat_padded_shapes(specs, padded_shapes) -> list:
    if structure.is_structure(specs):
        return [tensor_shape.as_shape(s) for s in _flatten_up_to(specs, padded_shapes)]
    return [tensor_shape.as_shape(padded_shapes)]


def _flatten_up_to(specs, value) -> list:
    """``value``'s items at the components of ``specs`` (a shape there is one item)."""
    if isinstance(specs, dict):
        return [item for k in sorted(specs) for item in _flatten_up_to(specs[k], value[k])]
    if isinstance(specs, tuple):
        if len(value) != len(specs):
            raise ValueError(
                f"The two structures don't have the same sequence length. Input structure has "
                f"length {len(specs)}, while shallow structure has length {len(value)}."
            )
        return [item for s, v in zip(specs, value, strict=True) for item in _flatten_up_to(s, v)]
    return [value]


def _padding_values(flat_specs, padding_values, specs) -> list:
    if padding_values is None:
        return [
            constant(b"" if s.dtype == dtypes.string else 0, dtype=s.dtype, name="padding_value")
            for s in flat_specs
        ]
    given = (
        _flatten_up_to(specs, padding_values) if structure.is_structure(specs) else [padding_values]
    )
    out = []
    for spec, value in zip(flat_specs, given, strict=True):
        t = convert_to_tensor(value, dtype=spec.dtype, name="padding_value")
        if t.shape.ndims not in (0, None):
            raise ValueError(f"Padding value should be a scalar, but is not: {t}")
        out.append(t)
    return out
