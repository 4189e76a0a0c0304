"""``tf.TensorArray``: TF1's list of tensors with one dtype, built from the ``TensorArray*V3``
ops under TF1's names (``TensorArrayStack/TensorArrayGatherV3``,
``TensorArrayUnstack/TensorArrayScatter/TensorArrayScatterV3``...).

A ``TensorArray`` object is a handle plus a ``flow`` tensor; each write returns a new object
with the new flow, sharing the handle and what is known of the element shape. In a
``tf.while_loop`` a TensorArray may be a loop variable (its flow is what the loop carries).

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     ta = tf.TensorArray(tf.float32, size=3).unstack([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
...     doubled = tf.TensorArray(tf.float32, size=3)
...     for i in range(3):
...         doubled = doubled.write(i, ta.read(i) * 2.0)
...     out = doubled.stack()
...     with tf.Session() as sess:
...         print(out.name, sess.run(out).tolist())
TensorArrayStack/TensorArrayGatherV3:0 [[2.0, 4.0], [6.0, 8.0], [10.0, 12.0]]
"""

from __future__ import annotations

from contextlib import nullcontext

import numpy as np

from scopeflow.framework import dtypes, tensor_shape
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array.basic import identity
from scopeflow.ops.array.basic import shape as shape_of
from scopeflow.ops.array.cast import cast
from scopeflow.ops.control import tensor_array_ops  # noqa: F401 - registers the ops
from scopeflow.ops.core.infer import apply_op, constant_value
from scopeflow.ops.math.sequence import range as range_

TensorShape = tensor_shape.TensorShape


class _Shared:
    """What every TensorArray object on one handle knows: dtype, size, element shape."""

    __slots__ = ("colocation", "dtype", "dynamic_size", "element_shape", "infer_shape", "size")

    def __init__(self, dtype, size, dynamic_size: bool, infer_shape: bool, element_shape):
        self.dtype = dtype
        self.size = size
        self.dynamic_size = dynamic_size
        self.infer_shape = infer_shape
        self.element_shape = element_shape
        # As TF1's colocate_with_first_write_call: the first value written, which later
        # writes are placed with (None: not colocated).
        self.colocation: list | None = []


class TensorArray:
    """A list of tensors of one ``dtype``, written and read by index while a graph runs."""

    def __init__(
        self,
        dtype,
        size=None,
        dynamic_size=None,
        clear_after_read=None,
        tensor_array_name=None,
        handle=None,
        flow=None,
        infer_shape=True,
        element_shape=None,
        colocate_with_first_write_call=True,
        name=None,
    ):
        dtype = dtypes.as_dtype(dtype).base_dtype
        if handle is not None:
            if flow is None:
                raise ValueError("flow must not be None if handle is not None.")
            if size is not None:
                raise ValueError("Cannot provide both a handle and size at the same time")
            if element_shape is not None or dynamic_size is not None:
                raise ValueError(
                    "Cannot provide both a handle and element_shape or dynamic_size at the same "
                    "time"
                )
            self._handle, self._flow = handle, flow
            shared = _Shared(dtype, None, False, infer_shape, tensor_shape.unknown_shape())
            shared.colocation = [] if colocate_with_first_write_call else None
            self._shared = shared
            return
        if size is None:
            raise ValueError("Argument `size` must be provided if handle is not provided.")
        if flow is not None:
            raise ValueError("flow must be None if handle is None")
        element = (
            tensor_shape.unknown_shape()
            if element_shape is None
            else tensor_shape.as_shape(element_shape)
        )
        dynamic = bool(dynamic_size)
        clear = True if clear_after_read is None else bool(clear_after_read)
        with name_scope(name, "TensorArray", [size]) as scope:
            size_t = convert_to_tensor(size, dtype=dtypes.int32, name="size")
            attrs = {
                "dtype": dtype,
                "element_shape": element,
                "dynamic_size": dynamic,
                "clear_after_read": clear,
                "identical_element_shapes": bool(infer_shape),
                "tensor_array_name": tensor_array_name or "",
            }
            graph = size_t.graph
            with (  # as TF1: placed by its first write
                graph.device(None) if colocate_with_first_write_call else nullcontext(),
                graph.colocate_with(None, ignore_existing=True)
                if colocate_with_first_write_call
                else nullcontext(),
            ):
                self._handle, self._flow = apply_op("TensorArrayV3", [size_t], attrs, name=scope)
        self._shared = _Shared(dtype, size, dynamic, bool(infer_shape), element)
        self._shared.colocation = [] if colocate_with_first_write_call else None

    # -- properties --------------------------------------------------------------------------

    @property
    def handle(self) -> Tensor:
        return self._handle

    @property
    def flow(self) -> Tensor:
        return self._flow

    @property
    def dtype(self):
        return self._shared.dtype

    @property
    def element_shape(self) -> TensorShape:
        return self._shared.element_shape

    @property
    def dynamic_size(self) -> bool:
        return self._shared.dynamic_size

    def with_flow(self, flow: Tensor) -> TensorArray:
        """This array with another flow (what a loop or ``identity`` hands back)."""
        copy = object.__new__(TensorArray)
        copy._handle, copy._flow, copy._shared = self._handle, flow, self._shared
        return copy

    def _merge_element_shape(self, shape: TensorShape) -> None:
        shared = self._shared
        if not shared.infer_shape:
            return
        if not shape.is_compatible_with(shared.element_shape):
            raise ValueError(
                f"Inconsistent shapes: saw {shape} but expected {shared.element_shape} "
            )
        shared.element_shape = shared.element_shape.merge_with(shape)

    def _placed_with_first_write(self, value: Tensor):
        """Writes are colocated with the first value written, as TF1's."""
        first = self._shared.colocation
        if first is None:
            return nullcontext()
        if not first:
            first.append(value)
        return value.graph.colocate_with(first[0])

    def _value(self, value, name: str) -> Tensor:
        value = convert_to_tensor(value, dtype_hint=self.dtype, name=name)
        if value.dtype.base_dtype != self.dtype:
            raise TypeError(
                f"TensorArray dtype is {self.dtype.name} but the value written is "
                f"{value.dtype.base_dtype.name} ('{value.name}'). Cast it to {self.dtype.name}."
            )
        return value

    # -- writing ---------------------------------------------------------------------------

    def write(self, index, value, name=None) -> TensorArray:
        """Writes ``value`` at ``index``; returns the array with the new flow."""
        with name_scope(name, "TensorArrayWrite", [self._handle, index, value]):
            value = self._value(value, "value")
            self._merge_element_shape(value.shape)
            with (
                self._placed_with_first_write(value),
                name_scope(None, "TensorArrayWriteV3", []) as scope,
            ):
                index = convert_to_tensor(index, dtype=dtypes.int32, name="index")
                flow = apply_op(
                    "TensorArrayWriteV3", [self._handle, index, value, self._flow], name=scope
                )
        return self.with_flow(flow)

    def scatter(self, indices, value, name=None) -> TensorArray:
        """Writes ``value[i]`` at ``indices[i]``."""
        with name_scope(name, "TensorArrayScatter", [self._handle, value, indices]):
            value = self._value(value, "value")
            if value.shape.ndims is not None:
                self._merge_element_shape(TensorShape(value.shape.as_list()[1:]))
            with (
                self._placed_with_first_write(value),
                name_scope(None, "TensorArrayScatterV3", []) as scope,
            ):
                indices = convert_to_tensor(indices, dtype=dtypes.int32, name="indices")
                flow = apply_op(
                    "TensorArrayScatterV3", [self._handle, indices, value, self._flow], name=scope
                )
        return self.with_flow(flow)

    def unstack(self, value, name=None) -> TensorArray:
        """Writes the slices of ``value`` along its first axis at 0, 1, 2..."""
        with name_scope(name, "TensorArrayUnstack", [self._handle, value]):
            count = shape_of(value)[0]  # as TF1: a Python or NumPy value is converted twice
            return self.scatter(range_(0, count), value)

    def split(self, value, lengths, name=None) -> TensorArray:
        """Writes consecutive pieces of ``value`` (along axis 0) of the given ``lengths``."""
        with name_scope(name, "TensorArraySplit", [self._handle, value, lengths]):
            value = self._value(value, "value")
            known = None if isinstance(lengths, Tensor) else np.asarray(lengths)
            with self._placed_with_first_write(value):
                lengths = cast(lengths, dtypes.int64)
                if value.shape.ndims is not None and known is not None and known.size:
                    if known.max() == known.min():
                        rest = value.shape.as_list()[1:]
                        self._merge_element_shape(TensorShape([int(known.flat[0]), *rest]))
                flow = apply_op(
                    "TensorArraySplitV3",
                    [self._handle, value, lengths, self._flow],
                    name="TensorArraySplitV3",
                )
        return self.with_flow(flow)

    # -- reading ---------------------------------------------------------------------------

    def read(self, index, name=None) -> Tensor:
        """The element at ``index``."""
        with name_scope(name, "TensorArrayReadV3", []) as scope:
            index = convert_to_tensor(index, dtype=dtypes.int32, name="index")
            value = apply_op(
                "TensorArrayReadV3", [self._handle, index, self._flow], {"dtype": self.dtype},
                name=scope,
            )  # fmt: skip
        value.set_shape(self.element_shape)
        return value

    def gather(self, indices, name=None) -> Tensor:
        """The elements at ``indices``, stacked along a new first axis."""
        with name_scope(name, "TensorArrayGatherV3", []) as scope:
            indices = convert_to_tensor(indices, dtype=dtypes.int32, name="indices")
            attrs = {"dtype": self.dtype, "element_shape": self.element_shape}
            return apply_op(
                "TensorArrayGatherV3", [self._handle, indices, self._flow], attrs, name=scope
            )

    def stack(self, name=None) -> Tensor:
        """All the elements, stacked along a new first axis."""
        with self._handle.graph.colocate_with(self._handle):  # as TF1's
            return self._stack(name)

    def _stack(self, name) -> Tensor:
        with name_scope(name, "TensorArrayStack", [self._handle]):
            size = self.size()
            value = self.gather(range_(0, size), name=name)  # TF1: stack(name="s") is s/s
            known = constant_value(size)
            if known is not None and self.element_shape.ndims is not None:
                value.set_shape([int(known), *self.element_shape.as_list()])
            return value

    def concat(self, name=None) -> Tensor:
        """All the elements joined along their first axis."""
        element = self.element_shape
        rest = element[1:] if element.ndims else tensor_shape.unknown_shape()
        attrs = {"dtype": self.dtype, "element_shape_except0": rest}
        with name_scope(name, "TensorArrayConcatV3", []) as scope:
            value, _ = apply_op("TensorArrayConcatV3", [self._handle, self._flow], attrs, scope)
        if element.ndims:
            first = None
            if self._shared.infer_shape:
                size = constant_value(self.size())
                if size is not None and element[0].value is not None:
                    first = int(size) * element[0].value
            value.set_shape([first, *rest.as_list()])
        return value

    def size(self, name=None) -> Tensor:
        """The number of elements (a constant unless the array is dynamically sized)."""
        size = self._shared.size
        if not self.dynamic_size and size is not None:
            return (
                size
                if isinstance(size, Tensor)
                else constant(size, dtype=dtypes.int32, name=name or "Const")
            )
        with name_scope(name, "TensorArraySizeV3", []) as scope:
            return apply_op("TensorArraySizeV3", [self._handle, self._flow], name=scope)

    def identity(self) -> TensorArray:
        """This array with its flow through an ``Identity`` (to hang control deps on)."""
        return self.with_flow(identity(self._flow))

    def close(self, name=None):
        """Frees the elements (``TensorArrayCloseV3``)."""
        with name_scope(name, "TensorArrayCloseV3", []) as scope:
            return get_default_graph().create_op("TensorArrayCloseV3", [self._handle], name=scope)

    def __repr__(self) -> str:
        return f"<tf.TensorArray '{self._handle.op.name}' dtype={self.dtype.name}>"


__all__ = ["TensorArray"]
