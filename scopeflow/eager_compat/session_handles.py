"""Session tensor handles: ``tf.get_session_handle`` keeps a value in the session between
runs, ``Session.run`` returns a :class:`TensorHandle` for it, ``tf.get_session_tensor`` reads
it back in a later run and ``tf.delete_session_tensor`` frees it (TF 2.21's compat.v1 op types
``GetSessionHandle``, ``GetSessionTensor``, ``DeleteSessionTensor``).

Differences from TF 2.21: a ``TensorHandle`` fed to ``feed_dict`` is fed as its handle string
(TF 2.21 fails with ``InvalidArgumentError``; feeding ``h.handle`` works in both), and a handle
no longer referenced is not deleted for you: call ``h.delete()`` (values go with the session).
"""

from __future__ import annotations

from scopeflow.framework import dtypes
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.device import DeviceSpec
from scopeflow.framework.graph_api import colocate_with, device
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array.basic import placeholder
from scopeflow.ops.core.infer import apply_op
from scopeflow.ops.data_flow import session_handle_ops
from scopeflow.session.fetch import FETCH_WRAPPERS


def get_session_handle(data, name=None):
    """A string handle to ``data``'s value, which the session keeps after the run that fetches
    it (``Session.run`` returns a :class:`TensorHandle`).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default(), tf.Session() as sess:
    ...     h = sess.run(tf.get_session_handle(tf.constant([1.0, 2.0]) * 2.0))
    ...     p, t = tf.get_session_tensor(h.handle, tf.float32)
    ...     print(h.handle.split(";")[:2], sess.run(t + 1.0, feed_dict={p: h.handle}))
    ['GetSessionHandle', '0'] [3. 5.]
    """
    if not isinstance(data, Tensor):
        raise TypeError("`data` must be of type Tensor.")
    with colocate_with(data):
        return apply_op("GetSessionHandle", [data], {"T": data.dtype.base_dtype}, name=name)


def _handle_device(handle: str) -> str:
    device_name = str(handle).split(";")[-1]
    DeviceSpec.from_string(device_name)  # a bad handle fails as TF's device parsing does
    return device_name


def get_session_tensor(handle, dtype, name=None):
    """``(placeholder, tensor)``: feed ``handle`` (a string from a :class:`TensorHandle`) to
    the placeholder and ``tensor`` is the value the session keeps for it."""
    dtype = dtypes.as_dtype(dtype)
    with device(_handle_device(handle)):
        holder = placeholder(dtypes.string)
        tensor = apply_op("GetSessionTensor", [holder], {"dtype": dtype}, name=name)
    return holder, tensor


def delete_session_tensor(handle, name=None):
    """``(placeholder, op)``: running ``op`` with ``handle`` fed to the placeholder frees the
    value the session keeps for it."""
    with device(_handle_device(handle)):
        holder = placeholder(dtypes.string)
        deleter = get_default_graph().create_op("DeleteSessionTensor", [holder], {}, name)
    return holder, deleter


class TensorHandle:
    """A value kept in a session, as ``Session.run`` returns it for ``tf.get_session_handle``:
    ``handle`` (its string), ``eval()`` (its value), ``delete()``."""

    def __init__(self, handle, dtype, session):
        self._handle = handle.decode() if isinstance(handle, bytes) else str(handle)
        self._dtype = dtypes.as_dtype(dtype)
        self._session = session
        self._deleted = False

    def __str__(self) -> str:
        return self._handle

    @property
    def handle(self) -> str:
        """The handle string to feed to ``get_session_tensor``'s placeholder."""
        return self._handle

    def get_raw_handle(self) -> str:
        return self._handle

    def to_numpy_array(self) -> str:
        return self._handle

    def _session_feed_value(self) -> str:
        return self._handle

    def _check_alive(self) -> None:
        if self._deleted:
            raise TypeError(f"Persistent tensor {self._handle} may have already been deleted.")

    def _ops(self, kind: str):
        """The reader or deleter pair of this handle's graph and dtype, made once per graph."""
        graph = self._session.graph
        cache = graph.__dict__.setdefault("_session_handle_ops", {})
        key = (kind, self._dtype)
        if key not in cache:
            with graph.as_default():
                if kind == "read":
                    cache[key] = get_session_tensor(self._handle, self._dtype)
                else:
                    cache[key] = delete_session_tensor(self._handle)
        return cache[key]

    def eval(self):
        """The value the session keeps for this handle."""
        self._check_alive()
        holder, reader = self._ops("read")
        return self._session.run(reader, feed_dict={holder: self._handle})

    def delete(self) -> None:
        """Frees the value in the session; the handle is no use afterwards."""
        self._check_alive()
        holder, deleter = self._ops("delete")
        self._deleted = True
        self._session.run(deleter, feed_dict={holder: self._handle})


def _wrap_fetched(value, tensor, session) -> TensorHandle:
    return TensorHandle(value, tensor.op.inputs[0].dtype.base_dtype, session)


FETCH_WRAPPERS[session_handle_ops.HANDLE_OP] = _wrap_fetched
