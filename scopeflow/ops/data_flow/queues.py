"""``tf.QueueBase`` and its queues (``tf.FIFOQueue``, ``tf.RandomShuffleQueue``,
``tf.PaddingFIFOQueue``, ``tf.PriorityQueue``): graph builders over the ops of ``queue_ops``,
with TF1's op names (``fifo_queue``, ``fifo_queue_enqueue``, ``fifo_queue_Dequeue``...),
static shapes and build-time errors."""

from __future__ import annotations

from scopeflow.framework import dtypes as dtypes_lib
from scopeflow.framework import tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph_api import control_dependencies, device, name_scope
from scopeflow.ops.array.basic import stack
from scopeflow.ops.array.gather import gather
from scopeflow.ops.core.infer import apply_op, constant_value
from scopeflow.ops.data_flow import queue_ops  # noqa: F401  (registers the op types)
from scopeflow.ops.random.sampling import get_seed


def _as_type_list(dtypes) -> list:
    if isinstance(dtypes, (list, tuple)):
        return [dtypes_lib.as_dtype(d) for d in dtypes]
    return [dtypes_lib.as_dtype(dtypes)]


def _as_shape_list(shapes, unknown_dim_allowed: bool = False) -> list | None:
    if unknown_dim_allowed and (
        not isinstance(shapes, (list, tuple))
        or not shapes
        or any(s is None or isinstance(s, int) for s in shapes)
    ):
        raise ValueError("When providing partial shapes, a list of shapes must be provided.")
    if shapes is None:
        return None
    if isinstance(shapes, tensor_shape.TensorShape):
        shapes = [shapes]
    if not isinstance(shapes, (tuple, list)):
        raise TypeError(
            "Shapes must be a TensorShape or a list or tuple of TensorShapes, got "
            f"{type(shapes)} instead."
        )
    if all(s is None or isinstance(s, int) for s in shapes):
        shapes = [shapes]
    shapes = [tensor_shape.as_shape(s) for s in shapes]
    if not unknown_dim_allowed and any(not s.is_fully_defined() for s in shapes):
        raise ValueError(f"All shapes must be fully defined: {shapes}")
    if any(s.dims is None for s in shapes):
        raise ValueError(f"All shapes must have a defined rank: {shapes}")
    return shapes


def _as_name_list(names, dtypes) -> list | None:
    if names is None:
        return None
    if not isinstance(names, (list, tuple)):
        names = [names]
    if len(names) != len(dtypes):
        raise ValueError(
            "List of names must have the same length as the list of dtypes, received "
            f"len(names)={len(names)},len(dtypes)={len(dtypes)}"
        )
    return list(names)


def _make_queue(op_type: str, dtypes, shapes, attrs: dict, shared_name, name: str):
    attrs = {
        "component_types": dtypes,
        "shapes": shapes or [],
        "container": b"",
        "shared_name": (shared_name or "").encode(),
        **attrs,
    }
    with control_dependencies(None):  # TF builds queues in an init scope
        return apply_op(op_type, [], attrs, name=name)


def _common_shape(shapes):
    """The most specific shape all of ``shapes`` match (unknown where they differ)."""
    common = shapes[0]
    for shape in shapes[1:]:
        if common.ndims is None or shape.ndims is None or common.ndims != shape.ndims:
            return tensor_shape.unknown_shape()
        common = tensor_shape.TensorShape(
            [a if a == b else None for a, b in zip(common.as_list(), shape.as_list(), strict=True)]
        )
    return common


class QueueBase:
    """A queue of tuples of tensors, kept in the session: the base of TF1's queues.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     q = tf.FIFOQueue(3, tf.int32)
    ...     put, take = q.enqueue_many([[1, 2]]), q.dequeue()
    ...     with tf.Session() as sess:
    ...         sess.run(put)
    ...         print(sess.run(take), sess.run(q.size()))
    1 1
    """

    def __init__(self, dtypes, shapes, names, queue_ref):
        self._dtypes = dtypes
        if shapes is not None:
            if len(shapes) != len(dtypes):
                raise ValueError(
                    "Queue shapes must have the same length as dtypes, received "
                    f"len(shapes)={len(shapes)}, len(dtypes)={len(dtypes)}"
                )
            self._shapes = [tensor_shape.TensorShape(s) for s in shapes]
        else:
            self._shapes = [tensor_shape.unknown_shape() for _ in dtypes]
        if names is not None and len(names) != len(dtypes):
            raise ValueError(
                "Queue names must have the same length as dtypes,received "
                f"len(names)={len(names)},len {len(dtypes)}"
            )
        self._names = names
        self._queue_ref = queue_ref
        self._name = queue_ref.op.name.split("/")[-1]

    @staticmethod
    def from_list(index, queues):
        """The queue ``queues[index]`` (``index`` a scalar tensor), chosen when the graph runs:
        TF's stack of the queues' handles and a gather from it. The queues must share their
        component dtypes and names; the shapes are those they have in common.

        Raises:
            TypeError: ``queues`` is not a list of queues, or their dtypes or names differ.
        """
        if not queues or not isinstance(queues, list):
            raise TypeError("A list of queues expected")
        if not all(isinstance(q, QueueBase) for q in queues):
            raise TypeError("A list of queues expected")
        dtypes = queues[0].dtypes
        if not all(dtypes == q.dtypes for q in queues[1:]):
            raise TypeError("Queues do not have matching component dtypes.")
        names = queues[0].names
        if not all(names == q.names for q in queues[1:]):
            raise TypeError("Queues do not have matching component names.")
        shapes = [_common_shape(parts) for parts in zip(*(q.shapes for q in queues), strict=True)]
        handles = stack([q.queue_ref for q in queues])
        return QueueBase(
            dtypes=dtypes, shapes=shapes, names=names, queue_ref=gather(handles, index)
        )

    @property
    def queue_ref(self):
        return self._queue_ref

    @property
    def name(self) -> str:
        return self._queue_ref.op.name

    @property
    def dtypes(self) -> list:
        return self._dtypes

    @property
    def shapes(self) -> list:
        return self._shapes

    @property
    def names(self) -> list | None:
        return self._names

    def _check_enqueue_dtypes(self, vals) -> list:
        if isinstance(vals, dict):
            if not self._names:
                raise ValueError("Queue must have names to enqueue a dictionary")
            if sorted(self._names, key=str) != sorted(vals.keys(), key=str):
                raise ValueError(
                    "Keys in dictionary to enqueue do not match names of Queue.  Dictionary: "
                    f"{sorted(vals.keys())},Queue: {sorted(self._names)}"
                )
            vals = [vals[k] for k in self._names]
        else:
            if self._names:
                raise ValueError("You must enqueue a dictionary in a Queue with names")
            if not isinstance(vals, (list, tuple)):
                vals = [vals]
        if len(vals) != len(self._dtypes):
            raise ValueError(
                f"Queue '{self.name}' has {len(self._dtypes)} components, got "
                f"{len(vals)} values to enqueue"
            )
        return [
            convert_to_tensor(v, dtype=d, name=f"component_{i}")
            for i, (v, d) in enumerate(zip(vals, self._dtypes, strict=True))
        ]

    @staticmethod
    def _scope_vals(vals) -> list:
        if isinstance(vals, (list, tuple)):
            return list(vals)
        return list(vals.values()) if isinstance(vals, dict) else [vals]

    @undo.atomic
    def enqueue(self, vals, name=None):
        """An op adding one element (a tensor, a list of them, or a dict by ``names``)."""
        with name_scope(name, f"{self._name}_enqueue", self._scope_vals(vals)) as scope:
            vals = self._check_enqueue_dtypes(vals)
            for val, shape in zip(vals, self._shapes, strict=True):
                val.shape.assert_is_compatible_with(shape)
            attrs = {"Tcomponents": [v.dtype.base_dtype for v in vals], "timeout_ms": -1}
            return get_default_graph().create_op(
                "QueueEnqueueV2", [self._queue_ref, *vals], attrs, name=scope
            )

    @undo.atomic
    def enqueue_many(self, vals, name=None):
        """An op adding the slices of ``vals`` along their first dimension."""
        with name_scope(name, f"{self._name}_EnqueueMany", self._scope_vals(vals)) as scope:
            vals = self._check_enqueue_dtypes(vals)
            batch_dim = tensor_shape.Dimension(vals[0].shape.with_rank_at_least(1)[0])
            for val, shape in zip(vals, self._shapes, strict=True):
                batch_dim = batch_dim.merge_with(val.shape.with_rank_at_least(1)[0])
                val.shape[1:].assert_is_compatible_with(shape)
            attrs = {"Tcomponents": [v.dtype.base_dtype for v in vals], "timeout_ms": -1}
            return get_default_graph().create_op(
                "QueueEnqueueManyV2", [self._queue_ref, *vals], attrs, name=scope
            )

    def _dequeue_return_value(self, tensors):
        if self._names:
            return {n: tensors[i] for i, n in enumerate(self._names)}
        return tensors[0] if len(tensors) == 1 else tensors

    def _dequeue(self, op_type: str, inputs: list, name: str, batch):
        attrs = {"component_types": self._dtypes, "timeout_ms": -1}
        op = get_default_graph().create_op(op_type, [self._queue_ref, *inputs], attrs, name=name)
        outputs = list(op.outputs)
        for output, shape in zip(outputs, self._shapes, strict=True):
            output.set_shape(
                shape if batch is False else tensor_shape.TensorShape([batch]).concatenate(shape)
            )
        return self._dequeue_return_value(outputs)

    @undo.atomic
    def dequeue(self, name=None):
        """Takes one element, waiting until there is one."""
        return self._dequeue("QueueDequeueV2", [], name or f"{self._name}_Dequeue", False)

    @undo.atomic
    def dequeue_many(self, n, name=None):
        """Takes ``n`` elements, stacked along a new first dimension."""
        name = name or f"{self._name}_DequeueMany"
        with name_scope(name) as scope:
            n = convert_to_tensor(n, dtype=dtypes_lib.int32, name="n")
        value = constant_value(n)
        batch = None if value is None else int(value)
        return self._dequeue("QueueDequeueManyV2", [n], scope, batch)

    @undo.atomic
    def dequeue_up_to(self, n, name=None):
        """As ``dequeue_many``, but a closed queue gives what it has left (at least one)."""
        name = name or f"{self._name}_DequeueUpTo"
        with name_scope(name) as scope:
            n = convert_to_tensor(n, dtype=dtypes_lib.int32, name="n")
        return self._dequeue("QueueDequeueUpToV2", [n], scope, None)

    @undo.atomic
    def close(self, cancel_pending_enqueues=False, name=None):
        """An op closing the queue (and cancelling waiting enqueues if asked)."""
        attrs = {"cancel_pending_enqueues": bool(cancel_pending_enqueues)}
        return get_default_graph().create_op(
            "QueueCloseV2", [self._queue_ref], attrs, name=name or f"{self._name}_Close"
        )

    @undo.atomic
    def is_closed(self, name=None):
        """A bool scalar: whether the queue is closed."""
        return apply_op("QueueIsClosedV2", [self._queue_ref], {}, name or f"{self._name}_Is_Closed")

    @undo.atomic
    def size(self, name=None):
        """An int32 scalar: the number of elements in the queue."""
        return apply_op("QueueSizeV2", [self._queue_ref], {}, name or f"{self._name}_Size")


class FIFOQueue(QueueBase):
    """A queue handing out elements in the order they came (TF1's ``tf.FIFOQueue``)."""

    @undo.atomic
    def __init__(
        self, capacity, dtypes, shapes=None, names=None, shared_name=None, name="fifo_queue"
    ):
        dtypes = _as_type_list(dtypes)
        shapes = _as_shape_list(shapes)
        names = _as_name_list(names, dtypes)
        attrs = {"capacity": int(capacity)}
        with device("CPU"):  # as TF 2.21's: '/device:CPU:*' within the enclosing device
            ref = _make_queue("FIFOQueueV2", dtypes, shapes, attrs, shared_name, name)
        super().__init__(dtypes, shapes, names, ref)


class PaddingFIFOQueue(QueueBase):
    """A FIFO queue whose shapes may have unknown dimensions: ``dequeue_many`` pads each
    component with zeros to the largest shape in the batch."""

    @undo.atomic
    def __init__(
        self, capacity, dtypes, shapes, names=None, shared_name=None, name="padding_fifo_queue"
    ):
        dtypes = _as_type_list(dtypes)
        shapes = _as_shape_list(shapes, unknown_dim_allowed=True)
        names = _as_name_list(names, dtypes)
        if len(dtypes) != len(shapes):
            raise ValueError(
                f"Shapes must be provided for all components, but received {len(dtypes)} "
                f"dtypes and {len(shapes)} shapes."
            )
        attrs = {"capacity": int(capacity)}
        ref = _make_queue("PaddingFIFOQueueV2", dtypes, shapes, attrs, shared_name, name)
        super().__init__(dtypes, shapes, names, ref)


class RandomShuffleQueue(QueueBase):
    """A queue handing out a random element, keeping ``min_after_dequeue`` until closed."""

    @undo.atomic
    def __init__(
        self,
        capacity,
        min_after_dequeue,
        dtypes,
        shapes=None,
        names=None,
        seed=None,
        shared_name=None,
        name="random_shuffle_queue",
    ):
        dtypes = _as_type_list(dtypes)
        shapes = _as_shape_list(shapes)
        names = _as_name_list(names, dtypes)
        seed1, seed2 = get_seed(seed)
        if shared_name is not None and seed is None and seed1 is not None:
            raise NotImplementedError(
                "RandomShuffleQueue(shared_name=...) under a graph seed without an op seed: "
                "TF derives the op seed from an MD5 of the name; pass seed= explicitly."
            )
        attrs = {
            "capacity": int(capacity),
            "min_after_dequeue": int(min_after_dequeue),
            "seed": seed1 or 0,
            "seed2": seed2 or 0,
        }
        ref = _make_queue("RandomShuffleQueueV2", dtypes, shapes, attrs, shared_name, name)
        super().__init__(dtypes, shapes, names, ref)


class PriorityQueue(QueueBase):
    """A queue handing out the element of lowest priority first: each element starts with an
    int64 scalar priority, followed by components of ``types`` with their (required, fully
    defined) ``shapes``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     q = tf.PriorityQueue(4, [tf.string], shapes=[[]])
    ...     put = q.enqueue_many([[2, 1], ["b", "a"]])
    ...     with tf.Session() as sess:
    ...         sess.run(put)
    ...         print(sess.run(q.dequeue()))
    [np.int64(1), b'a']
    """

    @undo.atomic
    def __init__(
        self, capacity, types, shapes=None, names=None, shared_name=None, name="priority_queue"
    ):
        types = _as_type_list(types)
        if shapes is None:
            raise TypeError(
                "Expected list for 'shapes' argument to 'priority_queue_v2' Op, not None."
            )
        shapes = _as_shape_list(shapes)
        attrs = {"capacity": int(capacity)}
        ref = _make_queue("PriorityQueueV2", types, shapes, attrs, shared_name, name)
        priority_shapes = [tensor_shape.TensorShape([]), *shapes]
        super().__init__([dtypes_lib.int64, *types], priority_shapes, names, ref)


__all__ = ["FIFOQueue", "PaddingFIFOQueue", "PriorityQueue", "QueueBase", "RandomShuffleQueue"]
