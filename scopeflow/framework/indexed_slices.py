"""``tf.IndexedSlices``: a tensor that is nonzero only in some rows, kept as those rows.

Row ``values[i]`` of the dense tensor (shape ``dense_shape``) sits at ``indices[i]`` along
its first dimension; repeated indices add up. The gradient of ``tf.gather`` and
``tf.nn.embedding_lookup`` with respect to the table is one, as in TF1, so an optimizer
updates only the rows a batch looked up. ``tf.convert_to_tensor`` makes one dense (the
conversion is registered beside ``UnsortedSegmentSum``, in ``ops/array/gather.py``);
``Session.run`` returns an :data:`IndexedSlicesValue` for one, and feeds one from a
``(values, indices, dense_shape)`` tuple.
"""

from __future__ import annotations

import collections

from scopeflow.framework import dtypes, tensor_shape
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.tensor import Tensor


class IndexedSlices:
    """Rows ``values`` at ``indices`` (along the first dimension) of a tensor of shape
    ``dense_shape``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     table = tf.placeholder(tf.float32, [5, 2])
    ...     (grad,) = tf.gradients(tf.gather(table, [3, 0, 3]), table)
    ...     value = tf.Session().run(grad, {table: [[1, 2]] * 5})
    >>> type(grad).__name__, grad.values.shape.as_list(), grad.shape.as_list()
    ('IndexedSlices', [3, 2], [5, 2])
    >>> value.indices
    array([3, 0, 3], dtype=int32)
    """

    def __init__(self, values, indices, dense_shape=None):
        self._values = values
        self._indices = indices
        self._dense_shape = dense_shape

    @property
    def values(self) -> Tensor:
        """The rows: shape ``[len(indices)] + dense_shape[1:]``."""
        return self._values

    @property
    def indices(self) -> Tensor:
        """The 1-D int tensor of the rows' positions along the dense first dimension."""
        return self._indices

    @property
    def dense_shape(self) -> Tensor | None:
        """The 1-D int tensor of the dense shape, or ``None`` when not known."""
        return self._dense_shape

    @property
    def shape(self) -> tensor_shape.TensorShape:
        """The dense tensor's static shape, as far as ``dense_shape`` tells while building."""
        return _static_shape(self._dense_shape)

    @property
    def name(self) -> str:
        return self._values.name

    @property
    def device(self) -> str:
        return self._values.device

    @property
    def op(self):
        """The op making ``values``."""
        return self._values.op

    @property
    def dtype(self) -> dtypes.DType:
        return self._values.dtype

    @property
    def graph(self):
        return self._values.graph

    def __str__(self) -> str:
        shape = "" if self._dense_shape is None else f", dense_shape={self._dense_shape}"
        return f"IndexedSlices(indices={self._indices}, values={self._values}{shape})"

    def __neg__(self) -> IndexedSlices:
        return IndexedSlices(-self._values, self._indices, self._dense_shape)

    # -- Session.run's protocol for composite tensors (session/fetch.py, session.py) -------

    def _session_fetches(self) -> list[Tensor]:
        shape = [] if self._dense_shape is None else [self._dense_shape]
        return [self._values, self._indices, *shape]

    @staticmethod
    def _session_value(values) -> IndexedSlicesValue:
        return IndexedSlicesValue(*values, *[None] * (3 - len(values)))

    def _session_feeds(self, value) -> list[tuple[Tensor, object]]:
        """``(component, value)`` pairs for a fed ``(values, indices, dense_shape)`` (or an
        ``IndexedSlicesValue``), paired as TF1 pairs them."""
        if not isinstance(value, (tuple, list)):
            raise TypeError(
                f"Cannot feed value {value!r} to an IndexedSlices (values {self._values.name}): "
                "expected a tf.IndexedSlicesValue or a (values, indices, dense_shape) tuple."
            )
        return list(zip(self._session_fetches(), value, strict=False))


# What ``Session.run`` returns for a fetched ``IndexedSlices``: NumPy arrays (``dense_shape``
# is ``None`` when the IndexedSlices has none).
IndexedSlicesValue = collections.namedtuple(
    "IndexedSlicesValue", ["values", "indices", "dense_shape"]
)


def _static_shape(dense_shape: Tensor | None) -> tensor_shape.TensorShape:
    """The shape a 1-D shape tensor holds while building: a constant's value, or the static
    shape of ``x`` in ``tf.shape(x)``; else only its rank."""
    if dense_shape is None:
        return tensor_shape.unknown_shape()
    op = dense_shape.op
    if op.type == "Const":
        return tensor_shape.TensorShape([int(d) for d in op._attrs["value"]])
    if op.type == "Shape":
        return op.inputs[0].shape
    return tensor_shape.unknown_shape(dense_shape.shape.num_elements())


def convert_to_tensor_or_indexed_slices(value, dtype=None, name=None):
    """``value`` itself when it is an ``IndexedSlices``, else ``convert_to_tensor(value)``.

    Raises:
        ValueError: ``dtype`` differs from the IndexedSlices' dtype.
    """
    if isinstance(value, IndexedSlices):
        if dtype is not None and not dtypes.as_dtype(dtype).is_compatible_with(value.dtype):
            raise ValueError(
                "Incompatible tensor conversion requested to `dtype` "
                f"{dtypes.as_dtype(dtype).name} for `value` ({value}) with dtype "
                f"{value.dtype.name}."
            )
        return value
    return convert_to_tensor(value, dtype=dtype, name=name)


__all__ = ["IndexedSlices", "IndexedSlicesValue", "convert_to_tensor_or_indexed_slices"]
