"""``SparseTensor`` (three dense tensors: ``indices``, ``values``, ``dense_shape``), its fetched
value ``SparseTensorValue``, and ``sparse_placeholder``.

A ``SparseTensor`` is not an op's output: it only groups three tensors. ``Session.run`` fetches
and feeds it through the three (see ``_session_fetches``/``_session_feeds`` below, the protocol
``scopeflow/session/fetch.py`` reads), so it comes back as a ``SparseTensorValue``.
"""

from __future__ import annotations

import collections
import functools

import numpy as np

from scopeflow.framework import defaults, dtypes, tensor_shape
from scopeflow.framework.constant import convert_to_tensor, register_tensor_conversion_function
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.tensor import Tensor
from scopeflow.framework.traceback_filter import api_boundary
from scopeflow.ops.array.basic import placeholder, placeholder_with_default
from scopeflow.ops.core.infer import shape_value

TensorShape = tensor_shape.TensorShape


class SparseTensorValue(collections.namedtuple("SparseTensorValue", "indices values dense_shape")):
    """The value of a ``SparseTensor``: NumPy ``indices`` [N, rank], ``values`` [N] and
    ``dense_shape`` [rank], as ``Session.run`` returns it and as feeds take it."""

    __slots__ = ()


class SparseTensor:
    """A sparse tensor: ``values[i]`` sits at ``indices[i]`` (int64, [N, rank], row-major order
    by convention) of a dense tensor of shape ``dense_shape`` (int64, [rank]); the rest is 0.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     sp = tf.SparseTensor(indices=[[0, 0], [1, 2]], values=[1.0, 2.0], dense_shape=[2, 3])
    ...     with tf.Session() as sess:
    ...         print(sess.run(tf.sparse.to_dense(sp)))
    [[1. 0. 0.]
     [0. 0. 2.]]
    """

    def __init__(self, indices, values, dense_shape):
        with name_scope(None, "SparseTensor", _tensors_of([indices, values, dense_shape])):
            indices = convert_to_tensor(indices, name="indices", dtype=dtypes.int64)
            values = convert_to_tensor(values, name="values")
            dense_shape = convert_to_tensor(dense_shape, name="dense_shape", dtype=dtypes.int64)
        indices_shape = indices.shape.with_rank(2)
        values_shape = values.shape.with_rank(1)
        dense_shape_shape = dense_shape.shape.with_rank(1)
        indices_shape[0].assert_is_compatible_with(values_shape[0])
        indices_shape[1].assert_is_compatible_with(dense_shape_shape[0])
        self._indices = indices
        self._values = values
        self._dense_shape = dense_shape
        self._shape = shape_value(dense_shape)

    @classmethod
    def from_value(cls, sparse_tensor_value) -> SparseTensor:
        """A ``SparseTensor`` of constants holding a ``SparseTensorValue`` (or the tensor)."""
        if not isinstance(sparse_tensor_value, (SparseTensor, SparseTensorValue)):
            raise TypeError(
                f"Argument sparse_tensor_value={sparse_tensor_value} is neither a SparseTensor "
                "nor SparseTensorValue."
            )
        value = sparse_tensor_value
        return SparseTensor(value.indices, value.values, value.dense_shape)

    @property
    def indices(self) -> Tensor:
        """The positions of the values: int64, ``[N, rank]``."""
        return self._indices

    @property
    def values(self) -> Tensor:
        """The values: ``[N]``."""
        return self._values

    @property
    def dense_shape(self) -> Tensor:
        """The shape of the dense tensor: int64, ``[rank]``."""
        return self._dense_shape

    @property
    def dtype(self) -> dtypes.DType:
        return self._values.dtype

    @property
    def op(self):
        """The op producing ``values``."""
        return self._values.op

    @property
    def graph(self):
        return self._indices.graph

    @property
    def shape(self) -> tensor_shape.TensorShape:
        """The static shape of the dense tensor, as far as known while building."""
        return self._shape

    def get_shape(self) -> tensor_shape.TensorShape:
        return self._shape

    def set_shape(self, shape) -> None:
        """Refines the static dense shape; ``ValueError`` if ``shape`` contradicts it."""
        self._shape = self._shape.merge_with(tensor_shape.as_shape(shape))

    def with_values(self, new_values) -> SparseTensor:
        """The same indices and dense shape with other ``values``."""
        return SparseTensor(self._indices, new_values, self._dense_shape)

    @api_boundary
    def eval(self, feed_dict=None, session=None) -> SparseTensorValue:
        """Computes this sparse tensor in ``session`` or the default session."""
        return defaults.run_in_session(self, feed_dict, session, "evaluate tensor using `eval()`")

    def __repr__(self) -> str:
        return (
            f"SparseTensor(indices={self._indices}, values={self._values}, "
            f"dense_shape={self._dense_shape})"
        )

    # -- Session.run's protocol for composite tensors -------------------------------------

    def _session_fetches(self) -> list[Tensor]:
        return [self._indices, self._values, self._dense_shape]

    @staticmethod
    def _session_value(values) -> SparseTensorValue:
        return SparseTensorValue(*values)

    def _session_feeds(self, value) -> list[tuple[Tensor, object]]:
        """``(component, value)`` pairs for a fed ``(indices, values, dense_shape)``."""
        if isinstance(value, (tuple, list)) and len(value) == 3:
            return list(zip(self._session_fetches(), value, strict=True))
        kind = TypeError if not isinstance(value, (tuple, list, np.ndarray)) else ValueError
        raise kind(
            f"Cannot feed value {value!r} to a SparseTensor (values {self._values.name}): "
            "expected a tf.SparseTensorValue or an (indices, values, dense_shape) tuple."
        )


def with_rank(t: Tensor, rank: int, most: int | None = None) -> tensor_shape.TensorShape:
    """``t``'s static shape, checked as TF's shape functions check an input: rank ``rank``, or
    between ``rank`` and ``most``."""
    ndims = t.shape.ndims
    if most is None:
        if ndims not in (None, rank):
            raise ValueError(f"Shape must be rank {rank} but is rank {ndims}")
        return t.shape.with_rank(rank)
    if ndims is not None and not rank <= ndims <= most:
        raise ValueError(f"Shape must be at most rank {most} but is rank {ndims}")
    return t.shape


def shaped_like_inputs(grad_fn):
    """``grad_fn`` with each input's gradient given that input's static shape, as TF1's
    ``tf.gradients`` sets it."""

    @functools.wraps(grad_fn)
    def wrapper(op, *grads):
        results = grad_fn(op, *grads)
        for t, g in zip(op.inputs, results, strict=True):
            if isinstance(g, Tensor):
                g.set_shape(t.shape)
        return results

    return wrapper


def _tensors_of(values: list) -> list:
    return [v for v in values if isinstance(v, Tensor)]


def _refuse_dense_conversion(value, dtype=None, name=None, as_ref=False):
    raise TypeError(
        f"Failed to convert elements of {value!r} to Tensor: a SparseTensor is not a dense "
        "Tensor. Use tf.sparse.to_dense(x) for its dense value, or x.values for its values."
    )


register_tensor_conversion_function(SparseTensor, _refuse_dense_conversion)


def is_sparse(x) -> bool:
    """Whether ``x`` is a ``SparseTensor`` or a ``SparseTensorValue``."""
    return isinstance(x, (SparseTensor, SparseTensorValue))


def as_sparse(x) -> SparseTensor:
    """``x`` as a ``SparseTensor`` (a ``SparseTensorValue`` becomes constants), as TF1's
    sparse ops take their inputs."""
    if isinstance(x, SparseTensorValue):
        return SparseTensor.from_value(x)
    if not isinstance(x, SparseTensor):
        raise TypeError(f"Input must be a SparseTensor, got {type(x).__name__}: {x!r}")
    return x


def convert_to_tensor_or_sparse_tensor(value, dtype=None, name=None):
    """``value`` as a ``SparseTensor`` when it is sparse (a ``SparseTensorValue`` becomes
    constants), else as a ``Tensor`` (``tf.convert_to_tensor``).

    Raises:
        RuntimeError: a sparse ``value``'s dtype is not ``dtype`` (TF1's type and words).
    """
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
    if isinstance(value, SparseTensorValue):
        value = SparseTensor.from_value(value)
    if isinstance(value, SparseTensor):
        if dtype is not None and not dtype.is_compatible_with(value.dtype):
            raise RuntimeError(
                f"Sparse dtype mismatch. Requested: {dtype.name},  Actual: {value.dtype.name}"
            )
        return value
    return convert_to_tensor(value, dtype=dtype, name=name)


def sparse_placeholder(dtype, shape=None, name=None) -> SparseTensor:
    """A ``SparseTensor`` whose three tensors are fed: ``<name>/indices`` and
    ``<name>/values`` (placeholders) and ``<name>/shape`` (a placeholder, or, when ``shape``
    is given, a ``PlaceholderWithDefault`` holding it with -1 for unknown dimensions).
    Feed it a ``SparseTensorValue`` or an ``(indices, values, dense_shape)`` tuple.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.sparse_placeholder(tf.float32, shape=[None, 4], name="x")
    ...     total = tf.sparse_reduce_sum(x)
    ...     with tf.Session() as sess:
    ...         print(sess.run(total, {x: ([[0, 1], [2, 3]], [1.5, 2.0], [3, 4])}))
    3.5
    >>> x.indices.name, x.values.name, x.dense_shape.name, x.shape.as_list()
    ('x/indices:0', 'x/values:0', 'x/shape:0', [None, 4])
    """
    shape_name = None if name is None else name + "/shape"
    if shape is None:
        rank = None
        dense_shape = placeholder(dtypes.int64, [rank], name=shape_name)
        known = tensor_shape.unknown_shape()
    else:
        if isinstance(shape, Tensor):
            rank = shape.shape[0].value
            known = shape_value(shape)
        else:
            rank = len(shape)
            dims = [tensor_shape.dimension_value(d) for d in shape]
            known = TensorShape([None if d in (None, -1) else d for d in dims])
            shape = convert_to_tensor(
                [-1 if d is None else d for d in dims],
                dtype=dtypes.int64,
                name=None if name is None else name + "/shape_default",
            )
        dense_shape = placeholder_with_default(shape, shape.shape, name=shape_name)
    values = placeholder(dtype, [None], name=None if name is None else name + "/values")
    indices = placeholder(
        dtypes.int64, [None, rank], name=None if name is None else name + "/indices"
    )
    result = SparseTensor(indices, values, dense_shape)
    result.set_shape(known)
    return result


# The names ``import scopeflow as tf`` exports from this module.
__all__ = [
    "SparseTensor",
    "SparseTensorValue",
    "convert_to_tensor_or_sparse_tensor",
    "sparse_placeholder",
]
