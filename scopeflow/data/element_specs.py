"""What a dataset is, seen from outside: ``Dataset.element_spec`` (a ``tf.TensorSpec`` per
component, in the element's structure), ``tf.data.DatasetSpec`` (the type of a dataset), and
``tf.data.NumpyIterator`` (``Dataset.as_numpy_iterator()``: its elements as NumPy values)."""

from __future__ import annotations

from scopeflow.data import structure
from scopeflow.data.structure import SparseSpec
from scopeflow.framework import errors, tensor_shape
from scopeflow.framework.tensor_spec import TensorSpec
from scopeflow.ops.sparse.spec import SparseTensorSpec
from scopeflow.ragged.spec import RaggedTensorSpec
from scopeflow.session.session import Session


def _tensor_spec(spec):
    if isinstance(spec, structure.NestedSpec):
        return spec.type_spec
    if isinstance(spec, structure.RaggedSpec):
        return RaggedTensorSpec(spec.shape, spec.dtype, spec.ragged_rank, spec.row_splits_dtype)
    if isinstance(spec, SparseSpec):
        return SparseTensorSpec(spec.shape, spec.dtype)
    return TensorSpec(spec.shape, spec.dtype)


def element_spec(specs):
    """The ``tf.TensorSpec`` of each component of a dataset's element, in its structure."""
    return structure.map_leaves(_tensor_spec, specs)


class DatasetSpec:
    """The type of a dataset: its ``element_spec`` and ``dataset_shape`` (``[]`` for one
    dataset).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     tf.data.DatasetSpec.from_value(tf.data.Dataset.range(3))
    DatasetSpec(TensorSpec(shape=(), dtype=tf.int64, name=None), TensorShape([]))
    """

    def __init__(self, element_spec, dataset_shape=()):
        self._element_spec = element_spec
        self._dataset_shape = tensor_shape.as_shape(dataset_shape)

    @property
    def element_spec(self):
        return self._element_spec

    @staticmethod
    def from_value(value) -> DatasetSpec:
        """The spec of the dataset ``value``."""
        return DatasetSpec(value.element_spec)

    def _serialize(self):
        return (self._element_spec, self._dataset_shape)

    def __eq__(self, other) -> bool:
        return type(other) is type(self) and self._serialize() == other._serialize()

    def __hash__(self) -> int:
        return hash(repr(self))

    def __repr__(self) -> str:
        return f"DatasetSpec({self._element_spec!r}, {self._dataset_shape!r})"


class NumpyIterator:
    """The elements of a dataset as NumPy values (``Dataset.as_numpy_iterator()``), read
    through a one-shot iterator added to the dataset's graph, run by a session of its own.

    TF1's graph mode refuses ``as_numpy_iterator`` ("only supported in eager mode"); scopeflow
    runs it, so the dataset must not need feeds (placeholders) or initialized variables.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     list(tf.data.Dataset.range(3).map(lambda x: x * 2).as_numpy_iterator())
    [np.int64(0), np.int64(2), np.int64(4)]
    """

    def __init__(self, dataset):
        graph = dataset._variant_tensor.graph
        with graph.as_default():
            self._next = dataset.make_one_shot_iterator().get_next()
        self._session = Session(graph=graph)

    def __iter__(self):
        return self

    def __next__(self):
        if self._session is None:
            raise StopIteration
        try:
            return self._session.run(self._next)
        except errors.OutOfRangeError:
            self._session.close()
            self._session = None
            raise StopIteration from None

    def next(self):
        """The next element (Python 2's spelling, kept by TF)."""
        return self.__next__()

    def __repr__(self) -> str:
        return f"NumpyIterator(iterator={self._next!r})"
