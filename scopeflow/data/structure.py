"""The structure of a dataset's elements, as ``tf.data`` sees it: tuples, namedtuples and
dicts (by sorted key) are structures; everything else, lists included, is one component
(a list becomes a tensor, as in TF's ``normalize_element``).

Each component has a spec (dtype and static shape); a dataset holds its element's structure
with :class:`Spec` leaves, from which ``output_types``, ``output_shapes`` and
``output_classes`` are read.

>>> from scopeflow.data import structure
>>> structure.flatten({"b": (1, 2), "a": 3})
[3, 1, 2]
>>> structure.pack({"b": (0, 0), "a": 0}, [30, 10, 20])
{'b': (10, 20), 'a': 30}
"""

from __future__ import annotations

from collections.abc import Callable

from scopeflow.data import ragged_variant
from scopeflow.framework import dtypes, tensor_shape
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.sparse.serialize import deserialize_sparse_variant, serialize_sparse_variant
from scopeflow.ops.sparse.tensor import SparseTensor
from scopeflow.ragged.spec import RaggedTensorSpec
from scopeflow.ragged.tensor import RaggedTensor


class Spec:
    """One component of an element: its dtype and static shape."""

    __slots__ = ("dtype", "shape")

    def __init__(self, dtype: dtypes.DType, shape: tensor_shape.TensorShape):
        self.dtype = dtypes.as_dtype(dtype).base_dtype
        self.shape = tensor_shape.TensorShape(shape)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.dtype!r}, {self.shape})"

    def reshaped(self, shape) -> Spec:
        """The same kind of spec with another shape."""
        return type(self)(self.dtype, shape)

    # What the dataset ops carry for this component: the tensor itself.
    @property
    def component_dtype(self) -> dtypes.DType:
        return self.dtype

    @property
    def component_shape(self) -> tensor_shape.TensorShape:
        return self.shape


class SparseSpec(Spec):
    """A ``SparseTensor`` component: its values' dtype and its dense shape. The dataset ops
    carry it serialized, as one variant tensor (``SerializeSparse``), as TF does."""

    __slots__ = ()

    @property
    def component_dtype(self) -> dtypes.DType:
        return dtypes.variant

    @property
    def component_shape(self) -> tensor_shape.TensorShape:
        return tensor_shape.unknown_shape()


class RaggedSpec(Spec):
    """A ``RaggedTensor`` component: its values' dtype, its full static shape, its ragged rank
    and row splits dtype. The dataset ops carry it as one variant tensor (a scalar, or a
    batch of them: ``ragged_variant.py``), as TF does."""

    __slots__ = ("ragged_rank", "row_splits_dtype")

    def __init__(self, dtype, shape, ragged_rank: int, row_splits_dtype=dtypes.int64):
        super().__init__(dtype, shape)
        self.ragged_rank, self.row_splits_dtype = ragged_rank, row_splits_dtype

    def reshaped(self, shape) -> Spec:
        """The spec of a batch (one more dimension, ragged), of a batch's rows (one fewer) or
        of the same rank with a more specific shape."""
        shape = tensor_shape.TensorShape(shape)
        grown = shape.ndims - self.shape.ndims if None not in (shape.ndims, self.shape.ndims) else 0
        return RaggedSpec(self.dtype, shape, self.ragged_rank + grown, self.row_splits_dtype)

    @property
    def component_dtype(self) -> dtypes.DType:
        return dtypes.variant

    @property
    def component_shape(self) -> tensor_shape.TensorShape:
        return tensor_shape.unknown_shape()


class NestedSpec(Spec):
    """A dataset component (``Dataset.window``'s elements): carried as its ``variant``
    tensor; ``inner`` is that dataset's element structure, ``wrap`` makes a dataset of a
    variant tensor and ``type_spec`` is its ``tf.data.DatasetSpec``."""

    __slots__ = ("inner", "wrap", "type_spec")

    def __init__(self, inner, wrap, type_spec):
        super().__init__(dtypes.variant, tensor_shape.TensorShape([]))
        self.inner, self.wrap, self.type_spec = inner, wrap, type_spec

    def reshaped(self, shape) -> Spec:
        return self


def to_components(tensors_structure) -> list:
    """The flat tensors the dataset ops carry for a structure of tensors: each
    ``SparseTensor`` serialized into one variant tensor."""
    return [
        serialize_sparse_variant(t)
        if isinstance(t, SparseTensor)
        else ragged_variant.to_variant(t)
        if isinstance(t, RaggedTensor)
        else getattr(t, "_variant_tensor", t)  # a dataset: its variant tensor
        for t in flatten(tensors_structure)
    ]


def from_components(specs, components: list):
    """The structure of tensors ``specs`` describes, from the flat tensors the dataset ops
    carry (sparse components deserialized)."""
    return pack(
        specs, [_from_component(s, c) for s, c in zip(flatten(specs), components, strict=True)]
    )


def _from_component(spec, component):
    if isinstance(spec, SparseSpec):
        return deserialize_sparse_variant(component, spec.dtype, spec.shape)
    if isinstance(spec, NestedSpec):
        return spec.wrap(component)
    if isinstance(spec, RaggedSpec):
        return ragged_variant.from_variant(
            component, spec.dtype, spec.shape, spec.ragged_rank, spec.row_splits_dtype
        )
    return component


def is_structure(value) -> bool:
    return isinstance(value, (tuple, dict))


def flatten(structure) -> list:
    """The components of ``structure``, depth first, dict values in sorted key order."""
    if isinstance(structure, dict):
        return [leaf for key in sorted(structure) for leaf in flatten(structure[key])]
    if isinstance(structure, tuple):
        return [leaf for item in structure for leaf in flatten(item)]
    return [structure]


def pack(structure, flat: list):
    """``flat`` put back into the shape of ``structure``."""
    return _pack(structure, iter(flat))


def _pack(structure, it):
    if isinstance(structure, dict):
        items = {key: _pack(structure[key], it) for key in sorted(structure)}
        return type(structure)((key, items[key]) for key in structure)
    if isinstance(structure, tuple):
        children = [_pack(item, it) for item in structure]
        if hasattr(structure, "_fields"):  # a namedtuple
            return type(structure)(*children)
        return tuple(children)
    return next(it)


def map_leaves(fn: Callable, structure):
    return pack(structure, [fn(leaf) for leaf in flatten(structure)])


def same_structure(a, b) -> bool:
    if isinstance(a, dict) or isinstance(b, dict):
        return (
            isinstance(a, dict)
            and isinstance(b, dict)
            and sorted(a) == sorted(b)
            and all(same_structure(a[k], b[k]) for k in a)
        )
    if isinstance(a, tuple) or isinstance(b, tuple):
        return (
            isinstance(a, tuple)
            and isinstance(b, tuple)
            and len(a) == len(b)
            and all(same_structure(x, y) for x, y in zip(a, b, strict=True))
        )
    return True


def specs_of(tensors_structure):
    """The structure of :class:`Spec` of a structure of tensors (:class:`SparseSpec` for a
    ``SparseTensor``, with its static dense shape)."""
    return map_leaves(_spec_of, tensors_structure)


def _spec_of(t) -> Spec:
    if hasattr(t, "_variant_tensor"):  # a dataset
        return t._nested_spec()
    if isinstance(t, SparseTensor):
        return SparseSpec(t.values.dtype, t.shape)
    if isinstance(t, RaggedTensor):
        return RaggedSpec(t.dtype, t.shape, t.ragged_rank, t.row_splits_dtype)
    return Spec(t.dtype, t.shape)


def types(specs):
    return map_leaves(lambda s: s.type_spec if isinstance(s, NestedSpec) else s.dtype, specs)


def shapes(specs):
    return map_leaves(lambda s: s.type_spec if isinstance(s, NestedSpec) else s.shape, specs)


def classes(specs):
    def leaf(s):
        if isinstance(s, NestedSpec):
            return s.type_spec
        if isinstance(s, RaggedSpec):  # TF gives the spec itself
            return RaggedTensorSpec(s.shape, s.dtype, s.ragged_rank, s.row_splits_dtype)
        return SparseTensor if isinstance(s, SparseSpec) else Tensor

    return map_leaves(leaf, specs)


def specs_from(output_types, output_shapes=None):
    """Specs from ``output_types`` and ``output_shapes`` (unknown shapes when ``None``), as
    ``Iterator.from_structure`` and ``Dataset.from_generator`` take them."""
    if output_shapes is None:
        return map_leaves(lambda t: Spec(t, tensor_shape.unknown_shape()), output_types)
    flat_types, flat_shapes = flatten(output_types), _flatten_shapes(output_types, output_shapes)
    return pack(output_types, [Spec(t, s) for t, s in zip(flat_types, flat_shapes, strict=True)])


def _flatten_shapes(output_types, output_shapes) -> list:
    """The shapes of ``output_shapes`` for the components of ``output_types`` (a shape may be
    given as a list or tuple of dims where the types have one component)."""
    if is_structure(output_types):
        if isinstance(output_types, dict):
            return [
                s
                for k in sorted(output_types)
                for s in _flatten_shapes(output_types[k], output_shapes[k])
            ]
        if not isinstance(output_shapes, (tuple, list)) or len(output_shapes) != len(output_types):
            raise ValueError(
                "The two structures don't have the same nested structure: output_types "
                f"{output_types} and output_shapes {output_shapes}."
            )
        return [
            s
            for t, shp in zip(output_types, output_shapes, strict=True)
            for s in _flatten_shapes(t, shp)
        ]
    return [tensor_shape.as_shape(output_shapes)]


def compatible(specs, other) -> bool:
    """Whether every shape of ``other`` fits the corresponding shape of ``specs``."""
    return all(
        b.shape.is_compatible_with(a.shape)
        for a, b in zip(flatten(specs), flatten(other), strict=True)
    )
