"""The ``TensorArray*V3`` ops: a per-run list of tensors behind a ``resource`` handle.

``TensorArrayV3`` makes the list when a run reaches it; the handle (a Python object at run
time) travels through the graph - into loops, through ``Enter`` - and every read or write
names it. Each write returns a new ``flow`` scalar, which orders the reads after the writes
(and is what a ``tf.while_loop`` carries from one iteration to the next). Errors are TF1's,
with the array named after the op that made it.
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, errors, tensor_shape
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.error_text import shape_str
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.core.infer import apply_op, check_dtype_in

TensorShape = tensor_shape.TensorShape
_FLOW = (dtypes.float32, TensorShape([]))


class RuntimeArray:
    """The list one ``TensorArrayV3`` op makes in one run."""

    __slots__ = (
        "name", "dtype", "values", "read", "dynamic", "clear_after_read", "element", "identical",
        "aggregate", "grads",
    )  # fmt: skip

    def __init__(self, name, dtype, size: int, dynamic: bool, clear: bool, element, identical):
        self.name = name
        self.dtype = dtype
        self.values: list = [None] * size
        self.read = [False] * size
        self.dynamic = dynamic
        self.clear_after_read = clear
        self.element = element  # the element shape, once known: a tuple, or None
        self.identical = identical  # all elements have one shape (TF's infer_shape)
        self.aggregate = False  # a gradient array: a second write to an index adds to it
        self.grads: dict = {}  # gradient source ("gradients", "gradients_1"...) -> its array

    def fail(self, message: str):
        return ValueError(f"TensorArray {self.name}: {message}")

    def write(self, index: int, value: np.ndarray) -> None:
        if not isinstance(value, np.ndarray):  # a string element comes as bytes
            value = np.asarray(value, dtype=self.dtype)
        size = len(self.values)
        if index < 0:
            raise self.fail(f"Tried to write to index {index}: indices are never negative")
        if index >= size:
            if not self.dynamic:
                raise self.fail(
                    f"Tried to write to index {index} but array is not resizeable and size "
                    f"is: {size}"
                )
            self.values.extend([None] * (index + 1 - size))
            self.read.extend([False] * (index + 1 - size))
        if self.aggregate and self.values[index] is not None:
            self.values[index] = self.values[index] + value
            return
        if self.values[index] is not None or self.read[index]:
            raise self.fail(
                f"Could not write to TensorArray index {index} because it has already been "
                "written to."
            )
        if value.dtype != self.dtype:
            raise ValueError(
                f"TensorArray dtype is {self.dtype} but Op is trying to write dtype {value.dtype}."
            )
        if self.identical and self.element is not None and value.shape != self.element:
            raise self.fail(
                f"Could not write to TensorArray index {index} because the value shape is "
                f"{shape_str(value.shape)} which is incompatible with the TensorArray's inferred "
                f"element shape: {shape_str(self.element)} (consider setting infer_shape=False)."
            )
        if self.identical and self.element is None:
            self.element = value.shape
        self.values[index] = value

    def gradient(self, source: str) -> RuntimeArray:
        """The array gradients from ``source`` write into (made on first use, per run)."""
        grad = self.grads.get(source)
        if grad is None:
            grad = RuntimeArray(
                f"{self.name}@{source}", self.dtype, len(self.values), self.dynamic, False,
                self.element, self.identical,
            )  # fmt: skip
            grad.aggregate = True
            self.grads[source] = grad
        return grad

    def get(self, index: int) -> np.ndarray:
        size = len(self.values)
        if not 0 <= index < size:
            raise ValueError(f"Tried to read from index {index} but array size is: {size}")
        value = self.values[index]
        if value is None:
            if self.read[index]:
                raise self.fail(
                    f"Could not read index {index} twice because it was cleared after a "
                    "previous read (perhaps try setting clear_after_read = false?)."
                )
            if self.element is None:
                raise self.fail(
                    f"Could not read from TensorArray index {index}.  Furthermore, the element "
                    "shape is not fully defined: <unknown>.  Write it first, or set the full "
                    "element_shape of the TensorArray to read zeros from unwritten elements."
                )
            return np.zeros(self.element, self.dtype)
        if self.clear_after_read:
            self.values[index] = None
            self.read[index] = True
        return value

    def stacked(self, op, indices, element=None) -> np.ndarray:
        """The elements at ``indices`` stacked; for none, zeros of the array's element shape
        or else ``element`` (the gather's own fully defined ``element_shape``), as TF."""
        if len(indices) == 0:
            element = self.element if self.element is not None else element
            if element is None:
                raise errors.UnimplementedError(
                    None,
                    op,
                    "TensorArray has size zero, but element shape <unknown> is not fully "
                    "defined. Currently only static shapes are supported when packing "
                    "zero-size TensorArrays.",
                )
            return np.zeros((0, *element), self.dtype)
        return np.stack([self.get(int(i)) for i in indices])


def _static_shape(attr_shape) -> tuple | None:
    shape = tensor_shape.as_shape(attr_shape)
    return tuple(shape.as_list()) if shape.is_fully_defined() else None


# -- TensorArrayV3 ------------------------------------------------------------------------


def _array_infer(inputs, attrs):
    check_dtype_in("TensorArrayV3", "size", inputs[0], (dtypes.int32,))
    return [(dtypes.resource, TensorShape([2])), _FLOW]


def _array_kernel(ctx, op, size):
    size = int(size)
    if size < 0:
        raise ValueError(f"Size should be >= 0, saw: {size}")
    attrs = op._attrs
    array = RuntimeArray(
        op.name,
        attrs["dtype"].as_numpy_dtype,
        size,
        attrs["dynamic_size"],
        attrs["clear_after_read"],
        _static_shape(attrs["element_shape"]),
        attrs["identical_element_shapes"],
    )
    return array, np.float32(0)


register_op(
    "TensorArrayV3", _array_infer, kernel=_array_kernel, grad=NOT_DIFFERENTIABLE, stateful=True
)


def _flow_infer(op_type: str, n_inputs: int):
    def infer(inputs, attrs):
        if len(inputs) != n_inputs:
            raise ValueError(f"{op_type} takes {n_inputs} inputs")
        return [_FLOW]

    return infer


def _write_kernel(ctx, op, array, index, value, flow):
    array.write(int(index), value)
    return np.float32(0)


def _read_infer(inputs, attrs):
    check_dtype_in("TensorArrayReadV3", "index", inputs[1], (dtypes.int32,))
    return [(attrs["dtype"], tensor_shape.unknown_shape())]  # TensorArray.read sets it


def _read_kernel(ctx, op, array, index, flow):
    return array.get(int(index))


def _gather_infer(inputs, attrs):
    check_dtype_in("TensorArrayGatherV3", "indices", inputs[1], (dtypes.int32,))
    element = tensor_shape.as_shape(attrs["element_shape"])
    return [(attrs["dtype"], TensorShape([None]).concatenate(element))]


def _gather_kernel(ctx, op, array, indices, flow):
    return array.stacked(op, np.ravel(indices), _static_shape(op._attrs["element_shape"]))


def _scatter_kernel(ctx, op, array, indices, value, flow):
    indices = np.ravel(indices)
    if len(indices) != value.shape[0]:
        raise ValueError(
            f"Expected len(indices) == values.shape[0], but saw: {len(indices)} vs. "
            f"{value.shape[0]}"
        )
    for i, index in enumerate(indices):
        array.write(int(index), value[i])
    return np.float32(0)


def _concat_infer(inputs, attrs):
    rest = tensor_shape.as_shape(attrs["element_shape_except0"])
    value = TensorShape([None]).concatenate(rest)
    return [(attrs["dtype"], value), (dtypes.int64, TensorShape([None]))]


def _concat_kernel(ctx, op, array, flow):
    values = [array.get(i) for i in range(len(array.values))]
    if not values:
        return np.zeros((0,), array.dtype), np.zeros((0,), np.int64)
    for i, v in enumerate(values):
        if v.ndim and values[0].ndim and v.shape[1:] != values[0].shape[1:]:
            raise ValueError(  # TF 2.21's words
                "TensorArray has inconsistent shapes.  Index 0 has (excepting dimension 0) shape: "
                f"{shape_str(values[0].shape[1:])} but index {i} has (excepting dimension 0) "
                f"shape: {shape_str(v.shape[1:])}"
            )
        if v.ndim == 0:
            raise ValueError(
                f"TensorArray {array.name}: Concat saw a value of shape {list(v.shape)} at "
                f"index {i}, which does not match {list(values[0].shape)} after its first "
                "dimension."
            )
    lengths = np.array([v.shape[0] for v in values], np.int64)
    return np.concatenate(values), lengths


def _split_kernel(ctx, op, array, value, lengths, flow):
    lengths = np.ravel(lengths)
    if value.ndim == 0:
        raise ValueError("Expected value to be at least a vector, but received shape: []")
    if int(lengths.sum()) != value.shape[0]:
        raise ValueError(
            "Expected sum of lengths to be equal to values.shape[0], but sum of lengths is "
            f"{int(lengths.sum())} and value's shape is: {list(value.shape)}"
        )
    start = 0
    for i, n in enumerate(lengths):
        array.write(i, value[start : start + int(n)])
        start += int(n)
    return np.float32(0)


def _size_infer(inputs, attrs):
    return [(dtypes.int32, TensorShape([]))]


def _size_kernel(ctx, op, array, flow):
    return np.int32(len(array.values))


def _close_infer(inputs, attrs):
    return []


def _close_kernel(ctx, op, array):
    array.values = [None] * len(array.values)
    return ()


def _grad_array_infer(inputs, attrs):
    return [(dtypes.resource, TensorShape([2])), _FLOW]


def _grad_array_kernel(ctx, op, array, flow):
    return array.gradient(op._attrs["source"]), np.float32(0)


# -- gradients: each op's gradient reads or writes the gradient array of its array ---------


def _grad_source(t) -> str:
    """Which ``tf.gradients`` call ``t`` belongs to: its name up to the last scope starting
    with ``gradients`` (TF1's ``_GetGradSource``)."""
    parts = t.name.split("/")
    marks = [i for i, p in enumerate(parts) if p.startswith("gradients")]
    if not marks:
        raise ValueError(
            f"Expected op/tensor name to start with gradients (excluding scope), got: {t.name}"
        )
    return "/".join(parts[: marks[-1] + 1])


def _gradient_array(handle, flow, source: str):
    """The gradient array's handle and a flow that follows its creation."""
    with name_scope("TensorArrayGrad"), get_default_graph().colocate_with(handle):  # as TF1
        g_handle, _ = apply_op(
            "TensorArrayGradV3", [handle, flow], {"source": source}, name="TensorArrayGradV3"
        )
        with get_default_graph().control_dependencies([g_handle]):
            g_flow = apply_op("Identity", [flow], name="gradient_flow")
    return g_handle, g_flow


def _barrier(op, flow):
    """``flow`` made to follow ``op``'s own output flow (TF1's ``write_barrier``)."""
    flow_out = apply_op("Identity", [op._outputs[0]], name="flow_out")
    with get_default_graph().control_dependencies([flow_out]):
        return apply_op("Identity", [flow], name="write_barrier")


def _read_grad(op, grad):
    handle, index, flow = op.inputs
    g_handle, g_flow = _gradient_array(handle, flow, _grad_source(grad))
    with name_scope("TensorArrayWrite"):
        written = apply_op(
            "TensorArrayWriteV3", [g_handle, index, grad, g_flow], name="TensorArrayWriteV3"
        )
    return [None, None, written]


def _write_grad(op, flow):
    handle, index = op.inputs[:2]
    flow = _barrier(op, flow)
    g_handle, g_flow = _gradient_array(handle, flow, _grad_source(flow))
    attrs = {"dtype": op.inputs[2].dtype.base_dtype}
    grad = apply_op("TensorArrayReadV3", [g_handle, index, g_flow], attrs, "TensorArrayReadV3")
    grad.set_shape(op.inputs[2].shape)
    return [None, None, grad, flow]


def _gather_grad(op, grad):
    handle, indices, flow = op.inputs
    g_handle, g_flow = _gradient_array(handle, flow, _grad_source(grad))
    with name_scope("TensorArrayScatter"):
        written = apply_op(
            "TensorArrayScatterV3", [g_handle, indices, grad, g_flow], name="TensorArrayScatterV3"
        )
    return [None, None, written]


def _scatter_grad(op, flow):
    handle, indices, value = op.inputs[:3]
    flow = _barrier(op, flow)
    g_handle, g_flow = _gradient_array(handle, flow, _grad_source(flow))
    attrs = {"dtype": value.dtype.base_dtype, "element_shape": tensor_shape.unknown_shape()}
    grad = apply_op(
        "TensorArrayGatherV3", [g_handle, indices, g_flow], attrs, "TensorArrayGatherV3"
    )
    grad.set_shape(value.shape)
    return [None, None, grad, flow]


def _concat_grad(op, grad, _lengths_grad):
    handle, flow = op.inputs
    g_handle, g_flow = _gradient_array(handle, flow, _grad_source(grad))
    with name_scope("TensorArraySplit"):
        lengths = op._outputs[1]
        written = apply_op(
            "TensorArraySplitV3", [g_handle, grad, lengths, g_flow], name="TensorArraySplitV3"
        )
    return [None, written]


def _split_grad(op, flow):
    handle, value = op.inputs[:2]
    flow = _barrier(op, flow)
    g_handle, g_flow = _gradient_array(handle, flow, _grad_source(flow))
    attrs = {"dtype": value.dtype.base_dtype, "element_shape_except0": tensor_shape.unknown_shape()}
    grad, _ = apply_op("TensorArrayConcatV3", [g_handle, g_flow], attrs, "TensorArrayConcatV3")
    grad.set_shape(value.shape)
    return [None, grad, None, flow]


register_op(
    "TensorArrayGradV3",
    _grad_array_infer,
    kernel=_grad_array_kernel,
    grad=NOT_DIFFERENTIABLE,
    stateful=True,
)

_STATEFUL = {"stateful": True}
register_op(
    "TensorArrayWriteV3",
    _flow_infer("TensorArrayWriteV3", 4),
    kernel=_write_kernel,
    grad=_write_grad,
    **_STATEFUL,
)
register_op("TensorArrayReadV3", _read_infer, kernel=_read_kernel, grad=_read_grad, **_STATEFUL)
register_op(
    "TensorArrayGatherV3",
    _gather_infer,
    kernel=_gather_kernel,
    grad=_gather_grad,
    **_STATEFUL,
)
register_op(
    "TensorArrayScatterV3",
    _flow_infer("TensorArrayScatterV3", 4),
    kernel=_scatter_kernel,
    grad=_scatter_grad,
    **_STATEFUL,
)
register_op(
    "TensorArrayConcatV3",
    _concat_infer,
    kernel=_concat_kernel,
    grad=_concat_grad,
    **_STATEFUL,
)
register_op(
    "TensorArraySplitV3",
    _flow_infer("TensorArraySplitV3", 4),
    kernel=_split_kernel,
    grad=_split_grad,
    **_STATEFUL,
)
register_op(
    "TensorArraySizeV3", _size_infer, kernel=_size_kernel, grad=NOT_DIFFERENTIABLE, **_STATEFUL
)
register_op(
    "TensorArrayCloseV3",
    _close_infer,
    kernel=_close_kernel,
    grad=NOT_DIFFERENTIABLE,
    **_STATEFUL,
)
