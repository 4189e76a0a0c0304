"""Tensors kept in the session between runs: ``GetSessionHandle`` stores its input's value and
outputs a string handle, ``GetSessionTensor`` gives the value of a handle back,
``DeleteSessionTensor`` removes it, as TF's session store.

A handle reads ``"<op name>;<id>;<device>"``, the id counting the handles the session has made
(``GetSessionHandle;0;/job:localhost/replica:0/task:0/device:CPU:0``), as TF 2.21's. The
values live in the session (one store per session, gone with it).
"""

from __future__ import annotations

import threading

import numpy as np

from scopeflow.framework import dtypes, errors, tensor_shape
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op

HANDLE_OP = "GetSessionHandle"  # Session.run wraps its value in a TensorHandle
HANDLE_DEVICE = "/job:localhost/replica:0/task:0/device:CPU:0"
_STORE = ("session tensor store",)  # the key of the session's one store
_CPP_NAMES = {"float32": "float", "float64": "double", "float16": "half"}  # TF's wording


class SessionStore:
    """The tensors one session keeps by handle."""

    def __init__(self):
        self.lock = threading.Lock()
        self.values: dict[str, np.ndarray] = {}
        self.next_id = 0

    def put(self, name: str, value) -> str:
        with self.lock:
            handle = f"{name};{self.next_id};{HANDLE_DEVICE}"
            self.next_id += 1
            self.values[handle] = value
        return handle


def _store(ctx) -> SessionStore:
    return ctx.op_state(_STORE, SessionStore)


def _handle_of(handle) -> str:
    h = np.asarray(handle, dtype=object).item()
    return h.decode() if isinstance(h, bytes) else str(h)


def _get_handle_kernel(ctx, op, value):
    value = np.array(value, copy=True) if isinstance(value, np.ndarray) else value
    return np.array(_store(ctx).put(op.name, value).encode(), dtype=object)


def _get_tensor_kernel(ctx, op, handle):
    key = _handle_of(handle)
    store = _store(ctx)
    with store.lock:
        value = store.values.get(key)
    if value is None:
        raise errors.InvalidArgumentError(
            None, op, f"The tensor with handle '{key}' is not in the session store."
        )
    want = op._attrs["dtype"]
    array = np.asarray(value)
    got = dtypes.string if array.dtype == object else dtypes.as_dtype(array.dtype)
    if got != want:
        raise errors.InternalError(
            None,
            op,
            f"Output 0 of type {_CPP_NAMES.get(got.name, got.name)} does not match declared "
            f"output type {_CPP_NAMES.get(want.name, want.name)} for node {op.name}",
        )
    return value


def _delete_kernel(ctx, op, handle):
    key = _handle_of(handle)
    store = _store(ctx)
    with store.lock:
        if store.values.pop(key, None) is None:
            raise errors.InvalidArgumentError(
                None, op, f"Failed to delete a tensor with handle '{key}' in the session store."
            )
    return ()


def _get_handle_infer(inputs, attrs):
    return [(dtypes.string, tensor_shape.TensorShape([]))]


def _get_tensor_infer(inputs, attrs):
    return [(attrs["dtype"], tensor_shape.TensorShape(None))]


_FACTS = {"grad": NOT_DIFFERENTIABLE, "stateful": True}
register_op("GetSessionHandle", _get_handle_infer, kernel=_get_handle_kernel, **_FACTS)
register_op("GetSessionTensor", _get_tensor_infer, kernel=_get_tensor_kernel, **_FACTS)
register_op("DeleteSessionTensor", lambda i, a: [], kernel=_delete_kernel, **_FACTS)
