"""The ``tf.data.Dataset`` methods TF1 input pipelines use beyond ``dataset.py``'s:
``list_files``, ``shard``, ``unbatch``, ``enumerate``, ``reduce``, ``take_while``, ``scan``
and ``unique``, as a mixin :class:`Dataset` inherits. Each builds the dataset op TF1 builds
(``ShardDataset``, ``UnbatchDataset``...; ``enumerate`` zips a ``range``), with the element
structure TF infers: ``scan`` and ``reduce`` trace their function again with relaxed state
shapes until the state's shapes stop changing, as TF does.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     ds = tf.data.Dataset.range(10).shard(3, 1).scan(tf.constant(0, tf.int64),
...                                                    lambda s, x: (s + x, s + x))
...     total = tf.data.Dataset.range(5).reduce(tf.constant(0, tf.int64), lambda s, x: s + x)
...     it = ds.make_one_shot_iterator().get_next()
...     with tf.Session() as sess:
...         print([int(sess.run(it)) for _ in range(3)], sess.run(total))
[1, 5, 12] 10
"""

from __future__ import annotations

import numpy as np

from scopeflow.data import function, structure, transform_ops
from scopeflow.data.element_specs import DatasetSpec, element_spec
from scopeflow.data.structure import SparseSpec
from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph_api import control_dependencies, name_scope
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array.basic import identity, shape
from scopeflow.ops.control.assertions import Assert
from scopeflow.ops.image.files import matching_files
from scopeflow.ops.math.elementwise import greater, maximum
from scopeflow.ops.strings.join import reduce_join, string_join

_ = transform_ops  # registers the op types

_UNIQUE_TYPES = (dtypes.int32, dtypes.int64, dtypes.string)


def make(dataset, op_type: str, inputs: list, specs, **attrs):
    """A dataset of ``dataset``'s base class (or of the class ``dataset``), made by a new
    ``op_type`` op."""
    flat = structure.flatten(specs)
    attrs["output_types"] = [s.component_dtype for s in flat]
    attrs["output_shapes"] = [s.component_shape for s in flat]
    op = get_default_graph().create_op(op_type, inputs, attrs, name=op_type)
    cls = dataset if isinstance(dataset, type) else type(dataset)
    base = next(c for c in cls.__mro__ if Transforms in c.__bases__)
    return base(op.outputs[0], specs)


def function_attrs(traced: function.TracedFunction, attr: str = "f") -> dict:
    token = function.register(get_default_graph(), traced)
    return {attr: token, "Targuments": [t.dtype.base_dtype for t in traced.captured]}


def check_predicate(traced: function.TracedFunction) -> None:
    out = traced.structure
    if not (
        isinstance(out, Tensor)
        and out.dtype == dtypes.bool
        and out.shape.is_compatible_with(tensor_shape.TensorShape([]))
    ):
        raise ValueError(
            "Invalid `predicate`. `predicate` must return a `tf.bool` scalar tensor but its "
            f"return type is {spec_text(out)}."
        )


def spec_text(t) -> str:
    """``t`` as TF writes a ``tf.TensorSpec`` in its messages."""
    if not isinstance(t, Tensor):
        return repr(t)
    dims = "<unknown>" if t.shape.ndims is None else tuple(t.shape.as_list())
    return f"TensorSpec(shape={dims}, dtype={t.dtype!r}, name=None)"


def trace_with_state(func, initial_state, element_specs, method: str):
    """(traced function, relaxed state specs, the state tensors): ``func(state, element)``
    traced until the shapes of the new state it returns fit the state's specs."""
    with name_scope("initial_state"):
        state = structure.map_leaves(
            lambda v: v if isinstance(v, Tensor) else convert_to_tensor(v), initial_state
        )
    if any(not isinstance(t, Tensor) for t in structure.flatten(state)):
        raise NotImplementedError(f"Dataset.{method} with a SparseTensor state: use dense state.")
    specs = structure.specs_of(state)
    while True:
        traced = function.TracedFunction(func, (specs, element_specs), method)
        new_state = traced.structure
        if method == "scan":
            if not (isinstance(new_state, tuple) and len(new_state) == 2):
                raise TypeError(
                    "The scan function must return a pair comprising the new state and the "
                    "output value."
                )
            new_state = new_state[0]
        if not structure.same_structure(specs, new_state):
            raise TypeError(
                "The element classes for the new state must match the initial state. "
                f"Expected {structure.types(specs)}; got {new_state}."
            )
        new_specs = structure.specs_of(new_state)
        if structure.types(new_specs) != structure.types(specs):
            raise TypeError(
                "The element types for the new state must match the initial state. Expected "
                f"{structure.types(specs)}; got {structure.types(new_specs)}."
            )
        old, new = structure.flatten(specs), structure.flatten(new_specs)
        relaxed = [
            a.reshaped(a.shape.most_specific_compatible_shape(b.shape))
            for a, b in zip(old, new, strict=True)
        ]
        if all(_same_shape(a.shape, r.shape) for a, r in zip(old, relaxed, strict=True)):
            return traced, specs, structure.flatten(state)
        specs = structure.pack(specs, relaxed)


def _same_shape(a, b) -> bool:
    return a.ndims == b.ndims and (a.ndims is None or a.as_list() == b.as_list())


def _state_attrs(traced, state: list) -> dict:
    return {**function_attrs(traced), "Tstate": [t.dtype.base_dtype for t in state]}


class Transforms:
    """The transformations of this module, for ``Dataset`` (``self._variant_tensor`` and
    ``self._specs``)."""

    @classmethod
    @undo.atomic
    def list_files(cls, file_pattern, shuffle=None, seed=None, name=None):
        """The files matching the glob ``file_pattern`` (a string or a vector of them), sorted,
        then shuffled unless ``shuffle=False`` (``seed`` fixes the order); no match fails the
        iterator's initialization with ``InvalidArgumentError``.

        >>> import os, tempfile, scopeflow as tf
        >>> root = tempfile.mkdtemp()
        >>> for n in ("b.txt", "a.txt"):
        ...     _ = open(os.path.join(root, n), "w").write("")
        >>> with tf.Graph().as_default():
        ...     ds = tf.data.Dataset.list_files(os.path.join(root, "*.txt"), shuffle=False)
        ...     f = ds.make_one_shot_iterator().get_next()
        ...     with tf.Session() as sess:
        ...         print([os.path.basename(sess.run(f)) for _ in range(2)])
        [b'a.txt', b'b.txt']
        """
        with name_scope("list_files"):
            pattern = convert_to_tensor(file_pattern, dtype=dtypes.string, name="file_pattern")
            files = matching_files(pattern)
            condition = greater(shape(files)[0], 0, name="match_not_empty")
            message = string_join(
                ["No files matched pattern: ", reduce_join(pattern, separator=", ")],
                name="message",
            )
            check = Assert(condition, [message], summarize=1, name="assert_not_empty")
            with control_dependencies([check]):
                files = identity(files)
            dataset = cls.from_tensor_slices(files)
            if shuffle is None or shuffle:
                buffer_size = maximum(shape(files, out_type=dtypes.int64)[0], 1)
                dataset = dataset.shuffle(buffer_size, seed=seed)
        return dataset

    @undo.atomic
    def shard(self, num_shards, index, name=None):
        """Every ``num_shards``-th element from the ``index``-th (``InvalidArgumentError``
        when the iterator starts if ``index`` is not in ``[0, num_shards)``)."""
        inputs = [
            self._variant_tensor,
            convert_to_tensor(num_shards, dtype=dtypes.int64, name="num_shards"),
            convert_to_tensor(index, dtype=dtypes.int64, name="index"),
        ]
        return make(self, "ShardDataset", inputs, self._specs, require_non_empty=False)

    @undo.atomic
    def unbatch(self, name=None):
        """The slices of each element along its first dimension (``batch``'s inverse)."""
        flat = structure.flatten(self._specs)
        if any(isinstance(s, SparseSpec) for s in flat):
            raise NotImplementedError(
                "unbatch of an element with a SparseTensor component: make it dense first."
            )
        if any(s.shape.ndims == 0 for s in flat):
            raise ValueError("Cannot unbatch an input with scalar components.")
        known = [s.shape[0].value for s in flat if s.shape.ndims and s.shape[0].value is not None]
        if len(set(known)) > 1:
            a, b = known[0], next(d for d in known if d != known[0])
            raise ValueError(
                "`unbatch()` is only supported for datasets of elements whose components have "
                f"a matching leading dimension. Encountered both {a} and {b}."
            )
        specs = structure.map_leaves(
            lambda s: s.reshaped(s.shape[1:] if s.shape.ndims is not None else s.shape),
            self._specs,
        )
        return make(self, "UnbatchDataset", [self._variant_tensor], specs)

    @undo.atomic
    def enumerate(self, start=0, name=None):  # noqa: A003 - TF's name
        """Pairs ``(i, element)``, ``i`` counting from ``start`` (int64): a ``range`` zipped
        with this dataset, as TF builds it."""
        counter = self.range(start, np.iinfo(np.int64).max)
        return self.zip((counter, self))

    @undo.atomic
    def take_while(self, predicate, name=None):
        """The elements before the first for which ``predicate(element)`` is false."""
        traced = function.TracedFunction(predicate, self._specs, "take_while")
        check_predicate(traced)
        attrs = function_attrs(traced, "predicate")
        inputs = [self._variant_tensor, *traced.captured]
        return make(self, "TakeWhileDataset", inputs, self._specs, **attrs)

    @undo.atomic
    def scan(self, initial_state, scan_func, name=None):
        """``scan_func(state, element)`` returns ``(new_state, output)``: the outputs, with
        the state carried from ``initial_state`` through the elements."""
        traced, _, state = trace_with_state(scan_func, initial_state, self._specs, "scan")
        specs = structure.specs_of(traced.structure[1])
        inputs = [self._variant_tensor, *state, *traced.captured]
        attrs = _state_attrs(traced, state)
        attrs.update(preserve_cardinality=True, use_default_device=True)
        return make(self, "ScanDataset", inputs, specs, **attrs)

    @undo.atomic
    def reduce(self, initial_state, reduce_func, name=None):
        """The state after ``reduce_func(state, element)`` has taken in every element, from
        ``initial_state``: tensors (in the state's structure) computed when run."""
        traced, specs, state = trace_with_state(reduce_func, initial_state, self._specs, "reduce")
        flat = structure.flatten(specs)
        attrs = {
            **_state_attrs(traced, state),
            "output_types": [s.dtype for s in flat],
            "output_shapes": [s.shape for s in flat],
            "use_inter_op_parallelism": True,
        }
        inputs = [self._variant_tensor, *state, *traced.captured]
        op = get_default_graph().create_op("ReduceDataset", inputs, attrs, name="ReduceDataset")
        return structure.pack(specs, list(op.outputs))

    def _nested_spec(self) -> structure.NestedSpec:
        """This dataset as a component of another's element (``window``)."""
        base = next(c for c in type(self).__mro__ if Transforms in c.__bases__)
        specs = self._specs
        return structure.NestedSpec(
            specs, lambda t: base(t, specs), DatasetSpec(element_spec(specs))
        )

    @undo.atomic
    def window(self, size, shift=None, stride=1, drop_remainder=False, name=None):
        """Elements are windows: datasets (one per component, in the element's structure) of
        ``size`` elements, ``stride`` apart, a window every ``shift`` elements (``size``
        when ``None``); the last windows are shorter unless ``drop_remainder``.

        >>> import scopeflow as tf
        >>> with tf.Graph().as_default():
        ...     ds = tf.data.Dataset.range(7).window(3, 2).flat_map(lambda w: w.batch(3))
        ...     [b.tolist() for b in ds.as_numpy_iterator()]
        [[0, 1, 2], [2, 3, 4], [4, 5, 6], [6]]
        """
        inputs = [
            self._variant_tensor,
            convert_to_tensor(size, dtype=dtypes.int64, name="size"),
            convert_to_tensor(size if shift is None else shift, dtype=dtypes.int64, name="shift"),
            convert_to_tensor(stride, dtype=dtypes.int64, name="stride"),
            convert_to_tensor(drop_remainder, dtype=dtypes.bool, name="drop_remainder"),
        ]
        base = next(c for c in type(self).__mro__ if Transforms in c.__bases__)

        def nested(spec):
            inner = base(None, spec)
            return inner._nested_spec()

        specs = structure.map_leaves(nested, self._specs)
        return make(self, "WindowDataset", inputs, specs)

    @undo.atomic
    def unique(self, name=None):
        """Each element once, at its first occurrence (one int32, int64 or string
        component)."""
        flat = structure.flatten(self._specs)
        if len(flat) != 1:
            raise TypeError(
                "`tf.data.Dataset.unique` only supports inputs with a single `tf.int32`, "
                "`tf.int64`, or `tf.string` component."
            )
        if flat[0].dtype not in _UNIQUE_TYPES or isinstance(flat[0], SparseSpec):
            raise TypeError(
                "`tf.data.Dataset.unique` does not support type "
                f"<dtype: '{flat[0].dtype.name}'> -- only `tf.int32`, `tf.int64`, and `tf.string` "
                "are supported."
            )
        return make(self, "UniqueDataset", [self._variant_tensor], self._specs)


__all__ = ["Transforms"]
