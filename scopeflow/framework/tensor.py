"""``Tensor``: a symbolic handle on one output of an ``Operation``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scopeflow.framework import defaults, tensor_shape
from scopeflow.framework.object_identity import Reference
from scopeflow.framework.traceback_filter import api_boundary

if TYPE_CHECKING:
    from scopeflow.framework.dtypes import DType
    from scopeflow.framework.operation import Operation

# Operators that op libraries may install on Tensor (and that Variable forwards).
OVERLOADABLE_OPERATORS = (
    "__add__",
    "__radd__",
    "__sub__",
    "__rsub__",
    "__mul__",
    "__rmul__",
    "__truediv__",
    "__rtruediv__",
    "__floordiv__",
    "__rfloordiv__",
    "__mod__",
    "__rmod__",
    "__pow__",
    "__rpow__",
    "__matmul__",
    "__rmatmul__",
    "__lt__",
    "__le__",
    "__gt__",
    "__ge__",
    "__and__",
    "__rand__",
    "__or__",
    "__ror__",
    "__xor__",
    "__rxor__",
    "__neg__",
    "__abs__",
    "__invert__",
    "__getitem__",
)


class Tensor:
    """One output of an op: its dtype and static shape, named ``"<op name>:<index>"``.

    >>> import scopeflow as tf
    >>> x = tf.placeholder(tf.float32, [None, 3], name="x")
    >>> x.name, x.shape.as_list()
    ('x:0', [None, 3])
    """

    # NumPy defers to our reflected operators (``np.ones(3) + t``).
    __array_priority__ = 100

    def __init__(self, op: Operation, value_index: int, dtype: DType, shape):
        self._op = op
        self._value_index = value_index
        self._dtype = dtype
        self._shape = shape
        self._consumers: list[Operation] = []
        self._name = f"{op.name}:{value_index}"

    @property
    def op(self) -> Operation:
        return self._op

    @property
    def value_index(self) -> int:
        return self._value_index

    @property
    def dtype(self) -> DType:
        return self._dtype

    @property
    def graph(self):
        return self._op.graph

    @property
    def name(self) -> str:
        return self._name

    @property
    def device(self) -> str:
        return self._op.device

    @property
    def shape(self) -> tensor_shape.TensorShape:
        return self._shape

    def get_shape(self) -> tensor_shape.TensorShape:
        """The static shape (``None`` for dimensions unknown while building)."""
        return self._shape

    def set_shape(self, shape) -> None:
        """Refines the static shape; raises ``ValueError`` if ``shape`` contradicts it."""
        self._shape = merge_shapes(self._shape, tensor_shape.as_shape(shape))

    @property
    def ndim(self) -> int:
        """The rank of the static shape, -1 when unknown (TF's ``Tensor.ndim``)."""
        rank = self._shape.rank
        return -1 if rank is None else rank

    def ref(self) -> Reference:
        """A hashable reference to this tensor, for sets and dict keys."""
        return Reference(self)

    def experimental_ref(self) -> Reference:
        """TF's older name of :meth:`ref`."""
        return self.ref()

    def consumers(self) -> list[Operation]:
        """The ops that take this tensor as an input."""
        return list(self._consumers)

    @api_boundary
    def eval(self, feed_dict=None, session=None) -> Any:
        """Computes this tensor in ``session`` or the default session."""
        return defaults.run_in_session(self, feed_dict, session, "evaluate tensor using `eval()`")

    @classmethod
    def _override_operator(cls, operator: str, func) -> None:
        if operator not in OVERLOADABLE_OPERATORS:
            raise ValueError(f"operator '{operator}' cannot be overloaded on Tensor")
        setattr(cls, operator, func)

    # Tensors compare and hash by identity, as in TF1 graph mode (use tf.equal for values).
    __hash__ = object.__hash__

    def __eq__(self, other):
        return self is other

    def __ne__(self, other):
        return self is not other

    def __bool__(self):
        raise TypeError(
            "Using a `tf.Tensor` as a Python `bool` is not allowed. Use `if t is not None:` "
            "instead of `if t:` to test if a tensor is defined, and use TensorFlow ops such "
            "as tf.cond to execute subgraphs conditioned on the value of a tensor."
        )

    def __len__(self):
        raise TypeError(
            f"len is not well defined for symbolic Tensors. ({self.name}) Please call "
            "`x.shape` rather than `len(x)` for shape information."
        )

    def __iter__(self):
        raise TypeError(
            f"Tensor objects are only iterable when eager execution is enabled; '{self.name}' "
            "is symbolic. To iterate over its rows use tf.unstack or tf.map_fn."
        )

    def __array__(self, dtype=None, copy=None):
        raise NotImplementedError(
            f"Cannot convert a symbolic Tensor ({self.name}) to a numpy array. Run it in a "
            "Session (sess.run(t) or t.eval()) to get its value."
        )

    def __repr__(self) -> str:
        return f"<tf.Tensor '{self.name}' shape={self._shape} dtype={self._dtype.name}>"

    def __str__(self) -> str:
        shape = "" if self._shape.ndims is None else f", shape={self._shape}"
        return f'Tensor("{self.name}"{shape}, dtype={self._dtype.name})'


def merge_shapes(a: tensor_shape.TensorShape, b: tensor_shape.TensorShape):
    """The shape combining what ``a`` and ``b`` know, with TF1's shape-inference errors.

    >>> merge_shapes(tensor_shape.TensorShape([2, None]), tensor_shape.TensorShape([None, 3]))
    TensorShape([Dimension(2), Dimension(3)])

    Raises:
        ValueError: "Shapes must be equal rank, ..." or "Dimension 0 in both shapes must be
            equal, ..." when they contradict each other.
    """
    if a.ndims is not None and b.ndims is not None:
        if a.ndims != b.ndims:
            raise ValueError(f"Shapes must be equal rank, but are {a.ndims} and {b.ndims}")
        for i, (x, y) in enumerate(zip(a.as_list(), b.as_list(), strict=True)):
            if x is not None and y is not None and x != y:
                raise ValueError(
                    f"Dimension {i} in both shapes must be equal, but are {x} and {y}. "
                    f"Shapes are {shape_text(a)} and {shape_text(b)}."
                )
    return a.merge_with(b)


def shape_text(shape: tensor_shape.TensorShape) -> str:
    """A shape as TF's shape-inference errors write it: ``[2,?]``, or ``?`` for unknown rank."""
    if shape.ndims is None:
        return "?"
    return "[" + ",".join("?" if d is None else str(d) for d in shape.as_list()) + "]"


def check_scatter_nd_shapes(target: tensor_shape.TensorShape, indices, updates) -> None:
    """TF's shape rule for scattering ``updates`` at ``indices`` (static shapes) into a tensor
    of shape ``target``: ``updates.shape == indices.shape[:-1] + target[indices.shape[-1]:]``.

    Raises:
        ValueError: the known dimensions disagree (TF's words: both parts, then the merge's).
    """
    if indices.ndims is None or updates.ndims is None or indices.ndims == 0:
        return
    depth = indices[-1].value
    if depth is None:
        return
    outer = indices.ndims - 1
    prefix_indices, prefix_updates = indices[:outer], updates[:outer]
    try:
        merge_shapes(prefix_indices, prefix_updates)
    except ValueError as e:
        raise ValueError(
            f"Dimensions [0,{outer}) of indices[shape={shape_text(indices)}] = "
            f"{shape_text(prefix_indices)} must match dimensions [0,{outer}) of "
            f"updates[shape={shape_text(updates)}] = {shape_text(prefix_updates)}: {e}"
        ) from None
    if target.ndims is None:
        return
    suffix_target, suffix_updates = target[min(depth, target.ndims) :], updates[outer:]
    try:
        merge_shapes(suffix_target, suffix_updates)
    except ValueError as e:
        raise ValueError(
            f"Dimensions [{depth},{target.ndims}) of input[shape={shape_text(target)}] = "
            f"{shape_text(suffix_target)} must match dimensions [{outer},{updates.ndims}) of "
            f"updates[shape={shape_text(updates)}] = {shape_text(suffix_updates)}: {e}"
        ) from None


def check_segment_ids_shape(data: tensor_shape.TensorShape, ids: tensor_shape.TensorShape):
    """TF's static check that ``data``'s shape starts with the segment ids' (both known)."""
    if ids.ndims > data.ndims:
        raise ValueError(f"Shape must be at least rank {ids.ndims} but is rank {data.ndims}")
    for a, b in zip(data.as_list()[: ids.ndims], ids.as_list(), strict=True):
        if a is not None and b is not None and a != b:
            raise ValueError(f"Dimensions must be equal, but are {a} and {b}")
