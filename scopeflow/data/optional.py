"""``tf.experimental.Optional`` (``tf.data.experimental.Optional``): a value that may be
absent, as a ``variant`` tensor, and ``Iterator.get_next_as_optional()``, whose optional is
empty at the end of the dataset instead of raising ``OutOfRangeError``.

Its ops are TF's: ``OptionalFromValue``, ``OptionalNone``, ``IteratorGetNextAsOptional``,
``OptionalHasValue`` and ``OptionalGetValue`` (``InvalidArgumentError`` "The given optional
does not have a value." when empty); host-only, not differentiable.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     it = tf.data.Dataset.range(1).make_one_shot_iterator()
...     opt = it.get_next_as_optional()
...     with tf.Session() as sess:
...         print(sess.run([opt.has_value(), opt.get_value()]), sess.run(opt.has_value()))
[np.True_, np.int64(0)] False
"""

from __future__ import annotations

import numpy as np

from scopeflow.data import dataset_ops, structure
from scopeflow.data.element_specs import element_spec
from scopeflow.data.structure import Spec
from scopeflow.framework import dtypes, errors, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.control.assertions import node_note
from scopeflow.ops.sparse.tensor import SparseTensor

_SCALAR = tensor_shape.TensorShape([])


class OptionalValue:
    """An optional's value in a run: its flat components, or ``None`` when empty."""

    __slots__ = ("components",)

    def __init__(self, components):
        self.components = components

    def __repr__(self) -> str:
        return "<optional: empty>" if self.components is None else "<optional: value>"


def _unwrap(value):
    if isinstance(value, np.ndarray) and value.dtype == object and value.ndim == 0:
        return value[()]
    return value


def _register(op_type: str, infer, kernel) -> None:
    def run(ctx, op, *inputs):
        return kernel(ctx, op, *(_unwrap(dataset_ops._object(v)) for v in inputs))

    register_op(op_type, infer, kernel=run, grad=NOT_DIFFERENTIABLE, stateful=True, host_only=True)


def _variant(inputs, attrs):
    return [(dtypes.variant, _SCALAR)]


def _get_value_kernel(ctx, op, optional):
    if optional.components is None:
        raise errors.InvalidArgumentError(
            None, op, "The given optional does not have a value." + node_note(op)
        )
    out = [dataset_ops._checked(op, i, v) for i, v in enumerate(optional.components)]
    return out[0] if len(out) == 1 else tuple(out)


def _next_as_optional_kernel(ctx, op, handle):
    state = ctx.op_state(handle.key, dataset_ops._IteratorState)
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
            return OptionalValue(None)
        except errors.OpError as e:
            raise type(e)(None, op, e.message + node_note(op)) from None
    return OptionalValue([dataset_ops._checked(op, i, v) for i, v in enumerate(element)])


_register("OptionalFromValue", _variant, lambda ctx, op, *c: OptionalValue(list(c)))
_register("OptionalNone", _variant, lambda ctx, op: OptionalValue(None))
_register(
    "OptionalHasValue",
    lambda inputs, attrs: [(dtypes.bool, _SCALAR)],
    lambda ctx, op, optional: np.bool_(optional.components is not None),
)
_register("OptionalGetValue", dataset_ops._get_next_infer, _get_value_kernel)
_register("IteratorGetNextAsOptional", _variant, _next_as_optional_kernel)


def _attrs(specs) -> dict:
    flat = structure.flatten(specs)
    return {
        "output_types": [s.component_dtype for s in flat],
        "output_shapes": [s.component_shape for s in flat],
    }


def _specs_from_element_spec(spec):
    return structure.map_leaves(lambda s: Spec(s.dtype, s.shape), spec)


class Optional:
    """A value that may be absent: ``has_value()`` and ``get_value()`` read it when run."""

    def __init__(self, variant_tensor: Tensor, specs):
        self._variant_tensor = variant_tensor
        self._specs = specs

    @staticmethod
    @undo.atomic
    def from_value(value) -> Optional:
        """An optional holding ``value`` (a tensor, or a tuple/dict of them)."""
        with name_scope("optional") as scope:
            with name_scope("value"):
                value = structure.map_leaves(
                    lambda v: v if isinstance(v, (Tensor, SparseTensor)) else convert_to_tensor(v),
                    value,
                )
            specs = structure.specs_of(value)
            components = structure.to_components(value)
            if not components:
                raise ValueError(
                    "Attr 'Toutput_types' of 'OptionalFromValue' Op passed list of length 0 "
                    "less than minimum 1."
                )
            attrs = {"Toutput_types": [t.dtype.base_dtype for t in components]}
            op = get_default_graph().create_op("OptionalFromValue", components, attrs, name=scope)
        return Optional(op.outputs[0], specs)

    @staticmethod
    @undo.atomic
    def empty(element_spec) -> Optional:
        """An optional without a value, for values of ``element_spec`` (``tf.TensorSpec``s)."""
        op = get_default_graph().create_op("OptionalNone", [], {}, name="OptionalNone")
        return Optional(op.outputs[0], _specs_from_element_spec(element_spec))

    @property
    def element_spec(self):
        """The ``tf.TensorSpec`` structure of the value."""
        return element_spec(self._specs)

    @undo.atomic
    def has_value(self, name=None) -> Tensor:
        """A bool scalar: whether the optional holds a value."""
        op = get_default_graph().create_op(
            "OptionalHasValue", [self._variant_tensor], {}, name=name or "OptionalHasValue"
        )
        return op.outputs[0]

    @undo.atomic
    def get_value(self, name=None):
        """The value (``InvalidArgumentError`` when run on an empty optional)."""
        op = get_default_graph().create_op(
            "OptionalGetValue",
            [self._variant_tensor],
            _attrs(self._specs),
            name=name or "OptionalGetValue",
        )
        return structure.from_components(self._specs, list(op.outputs))


class OptionalSpec:
    """The type of an optional: the ``element_spec`` of its value
    (``tf.data.experimental.OptionalStructure``)."""

    def __init__(self, element_spec):
        self._element_spec = element_spec

    @property
    def element_spec(self):
        return self._element_spec

    @property
    def value_type(self):
        return Optional

    @staticmethod
    def from_value(value) -> OptionalSpec:
        return OptionalSpec(value.element_spec)

    def __eq__(self, other) -> bool:
        return type(other) is type(self) and self._element_spec == other._element_spec

    def __hash__(self) -> int:
        return hash(repr(self))

    def __repr__(self) -> str:
        return f"OptionalSpec({self._element_spec!r})"


@undo.atomic
def get_next_as_optional(iterator, name=None) -> Optional:
    """An optional holding the next element of ``iterator``: empty at the end (the op of
    ``Iterator.get_next_as_optional``)."""
    specs = iterator._specs
    op = get_default_graph().create_op(
        "IteratorGetNextAsOptional",
        [iterator._iterator_resource],
        _attrs(specs),
        name=name or "IteratorGetNextAsOptional",
    )
    return Optional(op.outputs[0], specs)


__all__ = ["Optional", "OptionalSpec", "get_next_as_optional"]
