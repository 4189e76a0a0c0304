"""TF's spelling of shapes and dtypes in error messages, and TF's text for the NumPy errors a
kernel lets through (a broadcast, a matrix product, a division by zero).

TF's kernels print a shape as ``[2,3]`` (no spaces, ``?`` for an unknown dimension) and a
dtype by its C++ name (``float``, ``double``, ``half``); conformance checks match those texts.
"""

from __future__ import annotations

import re

import numpy as np

from scopeflow.framework import errors

_TF_KERNEL_TYPE_NAMES = {"float32": "float", "float64": "double", "float16": "half"}

_RESHAPE_SIZES = re.compile(
    r"cannot reshape array of shape .*\(size (\d+)\) into shape .*\(size (\d+)\)"
)


def shape_str(shape) -> str:
    """A shape as TF's kernels print it.

    >>> shape_str((2, 3)), shape_str([None, 3]), shape_str(())
    ('[2,3]', '[?,3]', '[]')
    """
    dims = shape.as_list() if hasattr(shape, "as_list") else list(shape)
    return "[" + ",".join("?" if d is None else str(int(d)) for d in dims) + "]"


def kernel_type_name(dtype) -> str:
    """A dtype by the name TF's kernel messages use (``float32`` is ``float``).

    >>> kernel_type_name(np.dtype("float64")), kernel_type_name(np.dtype("int32"))
    ('double', 'int32')
    """
    name = getattr(getattr(dtype, "base_dtype", dtype), "name", str(dtype))
    return _TF_KERNEL_TYPE_NAMES.get(name, name)


def check_attr_in(op_type: str, attr: str, value: str, allowed: tuple[str, ...]) -> None:
    """TF's ValueError for a string attr outside its op definition's allowed values.

    >>> check_attr_in("AvgPool", "padding", "same", ("SAME", "VALID"))
    Traceback (most recent call last):
    ...
    ValueError: Attr 'padding' of 'AvgPool' Op passed string 'same' not in: "SAME", "VALID".
    """
    if value not in allowed:
        listed = ", ".join(f'"{a}"' for a in allowed)
        raise ValueError(
            f"Attr '{attr}' of '{op_type}' Op passed string '{value}' not in: {listed}."
        )


def scatter_shapes_text(indices: tuple, updates: tuple, shape: tuple) -> str | None:
    """TF's message when a scatter's ``updates`` do not have the shape its ``indices`` and
    output ``shape`` call for (``indices.shape[:-1] + shape[indices.shape[-1]:]``), or None.

    >>> scatter_shapes_text((2, 1), (3,), (4,))
    'Dimensions [0,1) of indices[shape=[2,1]] must match dimensions [0,1) of updates[shape=[3]]'
    """
    depth, batch = indices[-1], len(indices) - 1
    leading = (
        f"Dimensions [0,{batch}) of indices[shape={shape_str(indices)}] must match dimensions "
        f"[0,{batch}) of updates[shape={shape_str(updates)}]"
    )
    trailing = (
        f"Dimensions [{depth},{len(shape)}) of input[shape={shape_str(shape)}] must match "
        f"dimensions [{batch},{len(updates)}) of updates[shape={shape_str(updates)}]"
    )
    if len(updates) < batch or tuple(updates[:batch]) != tuple(indices[:batch]):
        return leading
    if len(updates) - batch != len(shape) - depth or tuple(updates[batch:]) != tuple(shape[depth:]):
        return trailing
    return None


def kernel_text(op, args, cause: Exception) -> str | None:
    """TF's message for a NumPy error raised inside ``op``'s kernel, or None to keep its own."""
    shapes = [np.shape(a) for a in args if not hasattr(a, "op_def")]
    message = str(cause)
    if isinstance(cause, ZeroDivisionError):
        return message
    if type(cause) not in (ValueError, TypeError) or len(shapes) < 2:  # (JAX: TypeError)
        return None
    if len(shapes) == 2 and (
        "could not be broadcast" in message or "incompatible shapes for broadcasting" in message
    ):
        return f"Incompatible shapes: {shape_str(shapes[0])} vs. {shape_str(shapes[1])}"
    if op.type in ("MatMul", "BatchMatMulV2") and (
        "mismatch in its core dimension" in message or "contracting dimensions" in message
    ):
        text = f"Matrix size-incompatible: In[0]: {shape_str(shapes[0])}, In[1]: "
        if op.type == "MatMul":
            return text + shape_str(shapes[1])
        flags = f"{int(bool(op._attrs['adj_x']))} {int(bool(op._attrs['adj_y']))}"
        return f"{text}{shape_str(shapes[1])} {flags}"
    sizes = _RESHAPE_SIZES.search(message)
    if op.type == "Reshape" and sizes:
        return (
            f"Input to reshape is a tensor with {sizes[1]} values, but the requested shape has "
            f"{sizes[2]}"
        )
    return None


def check_batch_depth(op) -> None:
    """TF's run-time refusal of a window's strides or dilations in the batch and depth
    dimensions (the graph builds with them, as TF's)."""
    strides, dilations = op._attrs["strides"], op._attrs.get("dilations") or [1] * 4
    if strides[0] != 1 or strides[3] != 1:
        raise errors.UnimplementedError(
            None,
            op,
            "Current implementation does not yet support strides in the batch and depth "
            "dimensions.",
        )
    if dilations[0] != 1 or dilations[3] != 1:
        raise errors.InvalidArgumentError(
            None,
            op,
            "Current implementation does not yet support dilations in the batch and depth "
            "dimensions.",
        )


def check_pool_batch(op) -> None:
    """TF's run-time refusal of a pooling window or stride over the batch (the graph builds
    with one, as TF's)."""
    if op._attrs["ksize"][0] != 1 or op._attrs["strides"][0] != 1:
        raise errors.UnimplementedError(
            None, op, "Pooling is not yet supported on the batch dimension."
        )
