"""``tf.saved_model.utils``: ``TensorInfo`` protos of tensors, and tensors of ``TensorInfo``."""

from __future__ import annotations

from scopeflow.framework import dtypes
from scopeflow.framework.defaults import get_default_graph
from scopeflow.graph_io import tensor_util
from scopeflow.graph_io.protos import messages
from scopeflow.ops.sparse.tensor import SparseTensor


def build_tensor_info(tensor):
    """The ``TensorInfo`` proto of a ``Tensor`` (its name, dtype and shape) or of a
    ``SparseTensor`` (the names of its three tensors).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     info = tf.saved_model.utils.build_tensor_info(tf.placeholder(tf.float32, [None, 3]))
    >>> info.name, [d.size for d in info.tensor_shape.dim]
    ('Placeholder:0', [-1, 3])
    """
    info = messages().TensorInfo(dtype=dtypes.as_dtype(tensor.dtype).as_datatype_enum)
    info.tensor_shape.SetInParent()
    tensor_util.shape_proto(tensor.get_shape(), info.tensor_shape)
    if isinstance(tensor, SparseTensor):
        info.coo_sparse.values_tensor_name = tensor.values.name
        info.coo_sparse.indices_tensor_name = tensor.indices.name
        info.coo_sparse.dense_shape_tensor_name = tensor.dense_shape.name
    else:
        info.name = tensor.name
    return info


def build_tensor_info_from_op(op):
    """A ``TensorInfo`` naming an op (dtype ``DT_INVALID``, unknown shape), as TF1 stores a
    SavedModel's init op in its ``__saved_model_init_op`` signature."""
    info = messages().TensorInfo(name=op.name, dtype=messages().DT_INVALID)
    info.tensor_shape.unknown_rank = True
    return info


def _scoped(name: str, import_scope: str | None) -> str:
    if not import_scope:
        return name
    prefix = import_scope.rstrip("/") + "/"
    return "^" + prefix + name[1:] if name.startswith("^") else prefix + name


def get_tensor_from_tensor_info(tensor_info, graph=None, import_scope=None):
    """The ``Tensor`` or ``SparseTensor`` of ``graph`` (the default graph) that
    ``tensor_info`` names, its names prefixed with ``import_scope/`` when given.

    Raises:
        KeyError: ``graph`` has no such tensor.
        ValueError: ``tensor_info`` names no tensor (no encoding set).
    """
    graph = graph or get_default_graph()

    def tensor(name):
        return graph.get_tensor_by_name(_scoped(name, import_scope))

    encoding = tensor_info.WhichOneof("encoding")
    if encoding == "name":
        return tensor(tensor_info.name)
    if encoding == "coo_sparse":
        sparse = tensor_info.coo_sparse
        return SparseTensor(
            tensor(sparse.indices_tensor_name),
            tensor(sparse.values_tensor_name),
            tensor(sparse.dense_shape_tensor_name),
        )
    raise ValueError(
        f"Invalid TensorInfo.encoding: {encoding}. Expected `coo_sparse`, `composite_tensor`, "
        "or `name` for a dense tensor."
    )


def get_element_from_tensor_info(tensor_info, graph=None, import_scope=None):
    """The op or tensor of ``graph`` (the default graph) that ``tensor_info`` names."""
    graph = graph or get_default_graph()
    return graph.as_graph_element(_scoped(tensor_info.name, import_scope))
