"""``tf.data.experimental``'s transformations, as TF1 builds them: each returns a function of
a dataset for ``Dataset.apply`` (``map_and_batch``, ``shuffle_and_repeat``,
``parallel_interleave``, ``ignore_errors``, ``group_by_window``,
``bucket_by_sequence_length``...), or is a dataset (``Counter``, ``sample_from_datasets``,
``choose_from_datasets``) or tensors (``get_single_element``).

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     ds = tf.data.Dataset.range(7).apply(
...         tf.data.experimental.map_and_batch(lambda x: x * 2, 3))
...     batch = ds.make_one_shot_iterator().get_next()
...     with tf.Session() as sess:
...         print(sess.run(batch), sess.run(batch), sess.run(batch))
[0 2 4] [ 6  8 10] [12]
"""

from __future__ import annotations

import itertools

import numpy as np

from scopeflow.data import function, structure, values
from scopeflow.data import transform_values as tv
from scopeflow.data.dataset import AUTOTUNE, Dataset, _batch_dim, _int64
from scopeflow.data.structure import Spec
from scopeflow.data.transforms import function_attrs, make, spec_text
from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array.basic import identity
from scopeflow.ops.array.gather import gather
from scopeflow.ops.array.shape import expand_dims, squeeze
from scopeflow.ops.math.elementwise import less, less_equal, log, logical_and
from scopeflow.ops.math.reduction import reduce_min
from scopeflow.ops.math.selection import where
from scopeflow.ops.random.sampling import get_seed
from scopeflow.ops.random.stateless import stateless_categorical


def _seeds(seed) -> list:
    graph_seed, op_seed = get_seed(seed)
    return [_int64(graph_seed or 0, "seed"), _int64(op_seed or 0, "seed2")]


def map_and_batch(
    map_func, batch_size, num_parallel_batches=None, drop_remainder=False, num_parallel_calls=None
):
    """``map(map_func)`` then ``batch(batch_size, drop_remainder)``, fused into one
    ``MapAndBatchDataset`` op."""
    if num_parallel_batches is not None and num_parallel_calls is not None:
        raise ValueError(
            "`map_and_batch` allows only one of `num_parallel_batches` and "
            f"`num_parallel_calls` to be set, but `num_parallel_batches` was set to "
            f"{num_parallel_batches} and `num_parallel_calls` as set to {num_parallel_calls}."
        )

    @undo.atomic
    def apply(dataset):
        traced = function.TracedFunction(map_func, dataset._specs, "map_and_batch")
        size = _int64(batch_size, "batch_size")
        calls = num_parallel_calls
        if calls is None:
            calls = (
                batch_size if num_parallel_batches is None else batch_size * num_parallel_batches
            )
        calls = _int64(calls, "num_parallel_calls")
        drop = convert_to_tensor(drop_remainder, dtype=dtypes.bool, name="drop_remainder")
        dim = tensor_shape.TensorShape([_batch_dim(size, drop)])
        specs = structure.map_leaves(
            lambda s: s.reshaped(dim.concatenate(s.shape)), structure.specs_of(traced.structure)
        )
        inputs = [dataset._variant_tensor, *traced.captured, size, calls, drop]
        attrs = function_attrs(traced)
        return make(
            dataset, "MapAndBatchDataset", inputs, specs, preserve_cardinality=True, **attrs
        )

    return apply


def shuffle_and_repeat(buffer_size, count=None, seed=None):
    """``shuffle(buffer_size, seed)`` then ``repeat(count)`` in one
    ``ShuffleAndRepeatDataset`` op (a new order each pass)."""

    @undo.atomic
    def apply(dataset):
        size = _int64(buffer_size, "buffer_size")
        counted = _int64(-1 if count is None else count, "count")
        inputs = [dataset._variant_tensor, size, *_seeds(seed), counted]
        specs = dataset._specs
        return make(
            dataset, "ShuffleAndRepeatDataset", inputs, specs, reshuffle_each_iteration=True
        )

    return apply


def parallel_interleave(
    map_func,
    cycle_length,
    block_length=1,
    sloppy=False,
    buffer_output_elements=None,
    prefetch_input_elements=None,
):
    """``interleave``'s elements (in its order: ``sloppy`` allows any order, scopeflow keeps
    this one), ``LegacyParallelInterleaveDatasetV2`` as TF builds it; the buffer sizes are
    accepted (nothing is computed ahead here)."""

    @undo.atomic
    def apply(dataset):
        traced = dataset._dataset_function(map_func, "parallel_interleave")
        inputs = [
            dataset._variant_tensor,
            *traced.captured,
            _int64(cycle_length, "cycle_length"),
            _int64(block_length, "block_length"),
            _int64(
                2 * block_length if buffer_output_elements is None else buffer_output_elements,
                "buffer_output_elements",
            ),
            _int64(
                2 * cycle_length if prefetch_input_elements is None else prefetch_input_elements,
                "prefetch_input_elements",
            ),
        ]
        deterministic = "default" if sloppy is None else ("false" if sloppy else "true")
        attrs = {**function_attrs(traced), "deterministic": deterministic}
        specs = traced.dataset._specs
        return make(dataset, "LegacyParallelInterleaveDatasetV2", inputs, specs, **attrs)

    return apply


def copy_to_device(target_device, source_device="/cpu:0"):
    """The same dataset: scopeflow's only device is the CPU, where TF's copy is the
    identity too."""
    return lambda dataset: dataset


def prefetch_to_device(device, buffer_size=None):
    """``prefetch(buffer_size)`` (autotuned when ``None``) on the CPU, scopeflow's only
    device."""
    return lambda dataset: dataset.prefetch(AUTOTUNE if buffer_size is None else buffer_size)


def ignore_errors(log_warning=False):
    """The elements computed without error (``IgnoreErrorsDataset``): a ``map`` just before
    skips the elements its function fails on; an error from further up ends the pass."""

    @undo.atomic
    def apply(dataset):
        specs = dataset._specs
        return make(
            dataset,
            "IgnoreErrorsDataset",
            [dataset._variant_tensor],
            specs,
            log_warning=bool(log_warning),
        )

    return apply


@undo.atomic
def get_single_element(dataset):
    """The only element of ``dataset``, as tensors (``InvalidArgumentError`` when run if it
    has none or more than one)."""
    if not isinstance(dataset, Dataset):
        raise TypeError(f"`dataset` must be a `tf.data.Dataset` object, got {dataset!r}.")
    flat = structure.flatten(dataset._specs)
    attrs = {
        "output_types": [s.component_dtype for s in flat],
        "output_shapes": [s.component_shape for s in flat],
    }
    op = get_default_graph().create_op(
        "DatasetToSingleElement", [dataset._variant_tensor], attrs, name="DatasetToSingleElement"
    )
    return structure.from_components(dataset._specs, list(op.outputs))


def enumerate_dataset(start=0):
    """``Dataset.enumerate(start)``, for ``apply``."""
    return lambda dataset: dataset.enumerate(start)


def unbatch():
    """``Dataset.unbatch()``, for ``apply``."""
    return lambda dataset: dataset.unbatch()


def scan(initial_state, scan_func):
    """``Dataset.scan(initial_state, scan_func)``, for ``apply``."""
    return lambda dataset: dataset.scan(initial_state, scan_func)


def take_while(predicate):
    """``Dataset.take_while(predicate)``, for ``apply``."""
    return lambda dataset: dataset.take_while(predicate)


def unique():
    """``Dataset.unique()``, for ``apply``."""
    return lambda dataset: dataset.unique()


@undo.atomic
def Counter(start=0, step=1, dtype=dtypes.int64):  # noqa: N802 - TF's name
    """``start``, ``start + step``, ... forever, as ``dtype`` scalars (a ``scan`` over an
    endless dataset, as TF builds it)."""
    with name_scope("counter"):
        start = convert_to_tensor(start, dtype=dtype, name="start")
        step = convert_to_tensor(step, dtype=dtype, name="step")
        endless = Dataset.from_tensors(np.int32(0)).repeat(None)
        return endless.scan(start, lambda state, _: (state + step, state))


@undo.atomic
def choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset=False):
    """The next element of ``datasets[i]`` for each ``i`` of ``choice_dataset`` (int64
    scalars); a dataset that has ended is skipped, or ends the result when
    ``stop_on_empty_dataset``."""
    spec = structure.flatten(choice_dataset._specs)
    if (
        len(spec) != 1
        or spec[0].dtype != dtypes.int64
        or not spec[0].shape.is_compatible_with(tensor_shape.TensorShape([]))
    ):
        raise TypeError(
            "Invalid `choice_dataset`. Elements of `choice_dataset` must be scalar `tf.int64` "
            f"tensors but are {_spec_text(spec)}."
        )
    return _directed_interleave(choice_dataset, list(datasets), stop_on_empty_dataset)


def _spec_text(flat: list) -> str:
    texts = [
        f"TensorSpec(shape={tuple(s.shape.as_list()) if s.shape.ndims is not None else None}, "
        f"dtype={s.dtype!r}, name=None)"
        for s in flat
    ]
    return texts[0] if len(texts) == 1 else f"({', '.join(texts)})"


def _directed_interleave(selector, datasets: list, stop_on_empty: bool):
    if not datasets:
        raise ValueError("Invalid `datasets`. `datasets` should not be empty.")
    first = datasets[0]._specs
    for d in datasets[1:]:
        if not structure.same_structure(first, d._specs) or (
            structure.types(first) != structure.types(d._specs)
        ):
            raise TypeError("Invalid `datasets`. `datasets` must have compatible element specs.")
    flats = [structure.flatten(d._specs) for d in datasets]
    specs = structure.pack(
        first,
        [
            Spec(parts[0].dtype, _most_specific([p.shape for p in parts]))
            for parts in zip(*flats, strict=True)
        ],
    )
    inputs = [selector._variant_tensor, *(d._variant_tensor for d in datasets)]
    attrs = {"N": len(datasets), "stop_on_empty_dataset": bool(stop_on_empty)}
    return make(selector, "DirectedInterleaveDataset", inputs, specs, **attrs)


def _most_specific(shapes: list):
    out = shapes[0]
    for s in shapes[1:]:
        out = out.most_specific_compatible_shape(s)
    return out


@undo.atomic
def sample_from_datasets(datasets, weights=None, seed=None, stop_on_empty_dataset=False):
    """Elements drawn from ``datasets`` at random, dataset ``i`` with probability
    ``weights[i]`` (equal when ``None``; a dataset of weight vectors changes them per draw),
    as TF builds it (seeds from a ``RandomDataset``, ``stateless_categorical`` on the log
    weights); ``seed`` fixes the choices, which are TF's for the same seeds."""
    datasets = list(datasets)
    n = len(datasets)
    if weights is None:  # uniform
        logits = constant([[1.0] * n], dtypes.float32)
    elif not isinstance(weights, Dataset):
        weights = convert_to_tensor(weights, name="weights")
        if weights.dtype not in (dtypes.float32, dtypes.float64):
            raise TypeError(
                "Invalid `weights`. `weights` type must be either `tf.float32` or `tf.float64` "
                f"but is {weights.dtype!r}."
            )
        if not weights.shape.is_compatible_with(tensor_shape.TensorShape([n])):
            raise ValueError(
                "Invalid `weights`. The shape of `weights` should be compatible with "
                f"`[len(datasets)]` but is {weights.shape}."
            )
        logits = expand_dims(log(weights, name="logits"), 0)
    seeds = make(Dataset, "RandomDataset", _seeds(seed), Spec(dtypes.int64, []))
    pairs = seeds.batch(2)

    def choose(logits_, seed_pair):
        return squeeze(stateless_categorical(logits_, 1, seed=seed_pair), [0, 1])

    if isinstance(weights, Dataset):
        logits_ds = weights.map(lambda w: expand_dims(log(w, name="logits"), 0))
        selector = Dataset.zip((logits_ds, pairs)).map(choose)
    else:
        selector = pairs.map(lambda seed_pair: choose(logits, seed_pair))
    return _directed_interleave(selector, datasets, stop_on_empty_dataset)


class _WindowReducer:
    """``reduce_func(key, window_dataset)`` traced once: the window is a dataset in the
    function's graph that reads the window the kernel hands over (by its number)."""

    def __init__(self, reduce_func, specs):
        self.windows: dict[int, tv.Window] = {}
        self.numbers = itertools.count()

        def traced_func(key, number):
            token = function.register(
                get_default_graph(), lambda element: self.windows[int(element[0])]
            )
            source = Dataset.from_tensors(number)._variant_tensor
            window = make(Dataset, "FlatMapDataset", [source], specs, f=token, Targuments=[])
            return reduce_func(key, window)

        key = Spec(dtypes.int64, [])
        self.traced = function.TracedFunction(traced_func, (key, key), "group_by_window")
        if self.traced.dataset is None:
            raise TypeError(
                "Invalid `reduce_func`. `reduce_func` must return a single `tf.data.Dataset` "
                f"object but its return type is {self.traced.structure!r}."
            )

    def __call__(self, key: int, window, captured=()):
        number = next(self.numbers)
        self.windows[number] = window
        reduced = self.traced([np.int64(key), np.int64(number)], captured)
        return values.Released(reduced, lambda: self.windows.pop(number, None))


def _scalar_int64_function(func, specs, what: str) -> function.TracedFunction:
    traced = function.TracedFunction(func, specs, what)
    out = traced.structure
    if not (
        isinstance(out, Tensor)
        and out.dtype == dtypes.int64
        and out.shape.is_compatible_with(tensor_shape.TensorShape([]))
    ):
        raise ValueError(
            f"Invalid `{what}`. `{what}` must return a single `tf.int64` scalar tensor but its "
            f"return type is {spec_text(out)}."
        )
    return traced


def group_by_window(key_func, reduce_func, window_size=None, window_size_func=None):
    """Elements grouped by ``key_func(element)`` (int64); every ``window_size`` elements of a
    group (``window_size_func(key)``), and the rest of each group at the end in key order,
    become ``reduce_func(key, window_dataset)``'s elements."""
    if (window_size is None) == (window_size_func is None):
        raise ValueError(
            "Either the `window_size` argument or the `window_size_func` argument must be "
            "specified."
        )

    @undo.atomic
    def apply(dataset):
        size_func = window_size_func
        if size_func is None:  # made in the function's graph (an outer tensor: captured)
            if isinstance(window_size, Tensor):
                size_func = lambda key: identity(window_size)  # noqa: E731
            else:
                size_func = lambda key: _int64(window_size, "window_size")  # noqa: E731
        key_traced = _scalar_int64_function(key_func, dataset._specs, "key_func")
        size_traced = _scalar_int64_function(size_func, Spec(dtypes.int64, []), "window_size_func")
        reducer = _WindowReducer(reduce_func, dataset._specs)
        graph = get_default_graph()
        traced = [key_traced, reducer.traced, size_traced]
        attrs = {
            "key_func": function.register(graph, key_traced),
            "reduce_func": function.register(graph, reducer),
            "window_size_func": function.register(graph, size_traced),
        }
        for name, t in zip(("key_func", "reduce_func", "window_size_func"), traced, strict=True):
            attrs[f"T{name}_other_arguments"] = [c.dtype.base_dtype for c in t.captured]
        captured = [c for t in traced for c in t.captured]
        specs = reducer.traced.dataset._specs
        inputs = [dataset._variant_tensor, *captured]
        return make(dataset, "GroupByWindowDataset", inputs, specs, **attrs)

    return apply


def bucket_by_sequence_length(
    element_length_func,
    bucket_boundaries,
    bucket_batch_sizes,
    padded_shapes=None,
    padding_values=None,
    pad_to_bucket_boundary=False,
    no_padding=False,
    drop_remainder=False,
):
    """Elements batched with others of similar length: ``element_length_func(element)``
    picks the bucket (``bucket_boundaries``), each bucket batched by its size in
    ``bucket_batch_sizes`` and padded (``padded_batch``), by ``group_by_window`` as TF."""
    if len(bucket_batch_sizes) != len(bucket_boundaries) + 1:
        raise ValueError(
            "`len(bucket_batch_sizes)` must equal `len(bucket_boundaries) + 1` but "
            f"`len(bucket_batch_sizes)={len(bucket_batch_sizes)}` and "
            f"`len(bucket_boundaries)={len(bucket_boundaries)}`."
        )
    if pad_to_bucket_boundary:
        raise NotImplementedError(
            "bucket_by_sequence_length(pad_to_bucket_boundary=True) is not supported; pass "
            "padded_shapes with the longest length instead."
        )
    batch_sizes = constant(list(bucket_batch_sizes), dtypes.int64)

    def element_to_bucket_id(*args):
        length = element_length_func(*args)
        lows = [np.iinfo(np.int32).min, *bucket_boundaries]
        highs = [*bucket_boundaries, np.iinfo(np.int32).max]
        length = convert_to_tensor(length)
        lows_t, highs_t = constant(lows, length.dtype), constant(highs, length.dtype)
        fits = logical_and(less_equal(lows_t, length), less(length, highs_t))
        return reduce_min(where(fits))

    def window_size_fn(bucket_id):
        return gather(batch_sizes, bucket_id)

    def batching_fn(bucket_id, grouped):
        batch_size = window_size_fn(bucket_id)
        if no_padding:
            return grouped.batch(batch_size, drop_remainder=drop_remainder)
        shapes = padded_shapes or structure.map_leaves(lambda s: s.shape, grouped._specs)
        return grouped.padded_batch(batch_size, shapes, padding_values, drop_remainder)

    def apply(dataset):
        return dataset.apply(
            group_by_window(element_to_bucket_id, batching_fn, window_size_func=window_size_fn)
        )

    return apply


class TFRecordWriter:
    """Writes the elements of a dataset of scalar strings to the TFRecord file ``filename``
    (``compression_type``: ``"GZIP"``, ``"ZLIB"`` or ``None``) when the op ``write``
    returns runs (``DatasetToTFRecord``).

    >>> import os, tempfile, scopeflow as tf
    >>> path = os.path.join(tempfile.mkdtemp(), "r.tfrecord")
    >>> with tf.Graph().as_default():
    ...     writer = tf.data.experimental.TFRecordWriter(path)
    ...     write = writer.write(tf.data.Dataset.from_tensor_slices([b"a", b"bc"]))
    ...     tf.Session().run(write)
    >>> list(tf.python_io.tf_record_iterator(path))
    [b'a', b'bc']
    """

    def __init__(self, filename, compression_type=None):
        self._filename = convert_to_tensor(filename, dtypes.string, name="filename")
        self._compression_type = convert_to_tensor(
            compression_type or "", dtypes.string, name="compression_type"
        )

    @undo.atomic
    def write(self, dataset):
        """The op that writes ``dataset``'s elements, one record each."""
        if not isinstance(dataset, Dataset):
            raise TypeError(
                f"Invalid `dataset.` Expected a `tf.data.Dataset` object but got {type(dataset)}."
            )
        flat = structure.flatten(dataset._specs)
        scalar = tensor_shape.TensorShape([])
        if (
            len(flat) != 1
            or flat[0].dtype != dtypes.string
            or not (flat[0].shape.is_compatible_with(scalar))
        ):
            raise TypeError(
                "Invalid `dataset`. Expected a`dataset` that produces scalar `tf.string` "
                "elements, but got a dataset which produces elements with shapes "
                f"{dataset.output_shapes} and types {dataset.output_types}."
            )
        inputs = [dataset._variant_tensor, self._filename, self._compression_type]
        return get_default_graph().create_op(
            "DatasetToTFRecord", inputs, {}, name="DatasetToTFRecord"
        )


__all__ = [
    "Counter",
    "TFRecordWriter",
    "bucket_by_sequence_length",
    "choose_from_datasets",
    "copy_to_device",
    "enumerate_dataset",
    "get_single_element",
    "group_by_window",
    "ignore_errors",
    "map_and_batch",
    "parallel_interleave",
    "prefetch_to_device",
    "sample_from_datasets",
    "scan",
    "shuffle_and_repeat",
    "take_while",
    "unbatch",
    "unique",
]
