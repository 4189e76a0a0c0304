"""TF's spelling of shapes and dtypes in error messages, and TF's text for the NumPy errors a
kernel lets through (a broadcast, a matrix product, a division by zero).

TF's kernels print a shape as ``[2,3]`` (no spaces, ``?`` for an unknown dimension) and a
dtype by its C++ name (``float``, ``double``, ``half``); conformance checks match those texts.
"""

from __future__ import annotations

import numpy as np

_TF_KERNEL_TYPE_NAMES = {"float32": "float", "float64": "double", "float16": "half"}


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


def kernel_text(op, args, cause: Exception) -> str | None:
    """TF's message for a NumPy error raised inside ``op``'s kernel, or None to keep its own."""
    shapes = [np.shape(a) for a in args if not hasattr(a, "op_def")]
    message = str(cause)
    if isinstance(cause, ZeroDivisionError):
        return message
    if type(cause) is not ValueError or len(shapes) < 2:
        return None
    if "could not be broadcast" in message and len(shapes) == 2:
        return f"Incompatible shapes: {shape_str(shapes[0])} vs. {shape_str(shapes[1])}"
    if op.type == "MatMul" and "mismatch in its core dimension" in message:
        return f"Matrix size-incompatible: In[0]: {shape_str(shapes[0])}, In[1]: " + shape_str(
            shapes[1]
        )
    return None
