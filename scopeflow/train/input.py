"""TF1's queue-based input pipelines: the producers (``input_producer``,
``range_input_producer``, ``slice_input_producer``, ``string_input_producer``, with
``limit_epochs``) fill a queue from a tensor, and ``batch``/``shuffle_batch`` (and their
``_join`` forms) collect elements into batches, each queue with its ``QueueRunner`` and its
``fraction_..._full`` summary, built with TF 2.21's names.

``num_epochs`` counts in a local variable ``epochs`` (``CountUpTo``): once it is reached the
producer's runner gets ``OutOfRangeError``, closes its queue, and the consumers downstream
run out in turn (``OutOfRangeError`` from the last ``dequeue``).
"""

from __future__ import annotations

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph import GraphKeys
from scopeflow.framework.graph_api import control_dependencies, name_scope
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array.basic import identity, shape
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.gather import gather
from scopeflow.ops.array.partition import dynamic_partition
from scopeflow.ops.array.shape import size
from scopeflow.ops.control.assertions import Assert
from scopeflow.ops.control.cond import cond
from scopeflow.ops.control.grouping import no_op
from scopeflow.ops.core.build import maximum
from scopeflow.ops.core.infer import constant_value
from scopeflow.ops.data_flow.queues import FIFOQueue, PaddingFIFOQueue, RandomShuffleQueue
from scopeflow.ops.image.files import matching_files
from scopeflow.ops.math.sequence import range as range_op
from scopeflow.ops.random.sampling import random_shuffle
from scopeflow.ops.state.storage import count_up_to
from scopeflow.summary.summary_ops import scalar
from scopeflow.train.queue_runner import QueueRunner, add_queue_runner
from scopeflow.variables.variables import Variable


@undo.atomic
def limit_epochs(tensor, num_epochs=None, name=None):
    """``tensor``, until it has been evaluated ``num_epochs`` times (then ``OutOfRangeError``)."""
    if num_epochs is None:
        return tensor
    if num_epochs <= 0:
        raise ValueError(f"num_epochs must be > 0 not {num_epochs}.")
    with name_scope(name, "limit_epochs", [tensor]) as name:
        zero64 = constant(0, dtype=dtypes.int64)
        epochs = Variable(
            zero64, name="epochs", trainable=False, collections=[GraphKeys.LOCAL_VARIABLES]
        )
        counter = count_up_to(epochs, num_epochs)
        with control_dependencies([counter]):
            return identity(tensor, name=name)


@undo.atomic
def match_filenames_once(pattern, name=None):
    """A local variable (``matching_filenames``) holding the files matching the glob
    ``pattern`` when ``tf.local_variables_initializer()`` runs."""
    with name_scope(name, "matching_filenames", [pattern]) as name:
        return Variable(
            matching_files(pattern),
            name=name,
            trainable=False,
            validate_shape=False,
            collections=[GraphKeys.LOCAL_VARIABLES],
        )


@undo.atomic
def input_producer(
    input_tensor,
    element_shape=None,
    num_epochs=None,
    shuffle=True,
    seed=None,
    capacity=32,
    shared_name=None,
    summary_name=None,
    name=None,
    cancel_op=None,
):
    """A FIFO queue holding the rows of ``input_tensor`` (shuffled each epoch if asked), with
    a ``QueueRunner`` refilling it; ``num_epochs`` limits how often."""
    with name_scope(name, "input_producer", [input_tensor]):
        input_tensor = convert_to_tensor(input_tensor, name="input_tensor")
        element_shape = input_tensor.shape[1:].merge_with(tensor_shape.as_shape(element_shape))
        if not element_shape.is_fully_defined():
            raise ValueError(
                "Either `input_tensor` must have a fully defined shape or `element_shape` "
                "must be specified"
            )
        if shuffle:
            input_tensor = random_shuffle(input_tensor, seed=seed)
        input_tensor = limit_epochs(input_tensor, num_epochs)
        q = FIFOQueue(
            capacity=capacity,
            dtypes=[input_tensor.dtype.base_dtype],
            shapes=[element_shape],
            shared_name=shared_name,
            name=name,
        )
        enq = q.enqueue_many([input_tensor])
        add_queue_runner(QueueRunner(q, [enq], cancel_op=cancel_op))
        if summary_name is not None:
            scalar(summary_name, cast(q.size(), dtypes.float32) * (1.0 / capacity))
        return q


@undo.atomic
def string_input_producer(
    string_tensor,
    num_epochs=None,
    shuffle=True,
    seed=None,
    capacity=32,
    shared_name=None,
    name=None,
    cancel_op=None,
):
    """A queue of the strings (file names) of ``string_tensor``, as ``input_producer``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     q = tf.train.string_input_producer(["a.csv", "b.csv"], shuffle=False)
    >>> q.name
    'input_producer'
    """
    not_null_err = "string_input_producer requires a non-null input tensor"
    if not isinstance(string_tensor, Tensor) and not string_tensor:
        raise ValueError(not_null_err)
    with name_scope(name, "input_producer", [string_tensor]) as name:
        string_tensor = convert_to_tensor(string_tensor, dtype=dtypes.string)
        with control_dependencies([Assert(size(string_tensor) > 0, [not_null_err])]):
            string_tensor = identity(string_tensor)
        return input_producer(
            input_tensor=string_tensor,
            element_shape=[],
            num_epochs=num_epochs,
            shuffle=shuffle,
            seed=seed,
            capacity=capacity,
            shared_name=shared_name,
            name=name,
            summary_name=f"fraction_of_{capacity}_full",
            cancel_op=cancel_op,
        )


@undo.atomic
def range_input_producer(
    limit, num_epochs=None, shuffle=True, seed=None, capacity=32, shared_name=None, name=None
):
    """A queue of the integers ``0 .. limit-1`` (the PTB reader's batch index).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     i = tf.train.range_input_producer(3, shuffle=False).dequeue()
    ...     with tf.Session() as sess:
    ...         coord = tf.train.Coordinator()
    ...         threads = tf.train.start_queue_runners(sess, coord)
    ...         print([int(sess.run(i)) for _ in range(4)])
    ...         coord.request_stop()
    ...         coord.join(threads)
    [0, 1, 2, 0]
    """
    with name_scope(name, "input_producer", [limit]) as name:
        range_tensor = range_op(limit)
        return input_producer(
            range_tensor,
            [],
            num_epochs,
            shuffle,
            seed,
            capacity,
            shared_name,
            f"fraction_of_{capacity}_full",
            name,
        )


@undo.atomic
def slice_input_producer(
    tensor_list, num_epochs=None, shuffle=True, seed=None, capacity=32, shared_name=None, name=None
):
    """One row of each tensor of ``tensor_list`` at a time (the same row of each)."""
    with name_scope(name, "input_producer", tensor_list):
        tensor_list = [convert_to_tensor(t) for t in tensor_list]
        if not tensor_list:
            raise ValueError("Expected at least one tensor in slice_input_producer().")
        range_size = shape(tensor_list[0])[0]
        queue = range_input_producer(
            range_size,
            num_epochs=num_epochs,
            shuffle=shuffle,
            seed=seed,
            capacity=capacity,
            shared_name=shared_name,
        )
        index = queue.dequeue()
        return [gather(t, index) for t in tensor_list]


# -- batching ---------------------------------------------------------------------------------


def _as_tensor_list(tensors) -> list:
    if isinstance(tensors, dict):
        return [tensors[k] for k in sorted(tensors, key=str)]
    return list(tensors) if isinstance(tensors, (list, tuple)) else [tensors]


def _as_original_type(original, tensor_list):
    if isinstance(original, dict):
        if len(original) == 1:
            tensor_list = [tensor_list]
        return {k: tensor_list[i] for i, k in enumerate(sorted(original, key=str))}
    return tensor_list


def _validate(tensor_list, what: str) -> list:
    tensor_list = [convert_to_tensor(t) for t in tensor_list]
    if not tensor_list:
        raise ValueError(f"Expected at least one tensor in {what}().")
    return tensor_list


def _dtypes(tensor_list_list) -> list:
    types = [t.dtype.base_dtype for t in tensor_list_list[0]]
    for other in tensor_list_list[1:]:
        other_types = [t.dtype.base_dtype for t in other]
        if other_types != types:
            raise TypeError(
                "Expected types to be consistent: "
                f"{', '.join(x.name for x in types)} vs. {', '.join(x.name for x in other_types)}."
            )
    return types


def _shapes(tensor_list_list, shapes, enqueue_many: bool) -> list:
    if shapes is not None:
        return shapes
    merged = []
    for i in range(len(tensor_list_list[0])):
        shape = None
        for tl in tensor_list_list:
            s = tl[i].shape
            if s.ndims is None:
                raise ValueError(f"Cannot infer Tensor's rank: {tl[i]}")
            if enqueue_many:
                s = s.with_rank_at_least(1)[1:]
            shape = s if shape is None else shape.merge_with(s)
        merged.append(shape.as_list())
    return merged


def _validate_keep_input(keep_input, enqueue_many: bool):
    keep_input = convert_to_tensor(keep_input)
    if keep_input.shape.ndims is None:
        raise ValueError("`keep_input` dimensions must be known at graph construction.")
    if not enqueue_many and keep_input.shape.ndims == 1:
        raise ValueError("`keep_input` cannot be a vector when `enqueue_many=False`.")
    if keep_input.shape.ndims > 1:
        raise ValueError("`keep_input` must be 0 or 1 dimensions.")
    return keep_input


def _kept(enqueue_fn, tensor_list, keep_input):
    """An op enqueuing ``tensor_list`` where ``keep_input`` says (TF's ``maybe_*``): a vector
    picks rows (``DynamicPartition``), a scalar enqueues or not (a ``cond`` unless known)."""
    if keep_input.shape.ndims == 1:
        select = cast(keep_input, dtypes.int32)
        return enqueue_fn([dynamic_partition(t, select, num_partitions=2)[1] for t in tensor_list])
    known = constant_value(keep_input)
    if known is not None:
        return enqueue_fn(tensor_list) if bool(known) else no_op()
    return cond(keep_input, lambda: enqueue_fn(tensor_list), no_op)


def _enqueue(queue, tensor_list_list, threads: int, enqueue_many: bool, keep_input) -> None:
    enqueue_fn = queue.enqueue_many if enqueue_many else queue.enqueue
    if len(tensor_list_list) == 1:
        enqueue_ops = [_kept(enqueue_fn, tensor_list_list[0], keep_input)] * threads
    else:
        enqueue_ops = [_kept(enqueue_fn, tl, keep_input) for tl in tensor_list_list]
    add_queue_runner(QueueRunner(queue, enqueue_ops))


def _dequeue(queue, batch_size, allow_smaller_final_batch: bool, name: str):
    if allow_smaller_final_batch:
        return queue.dequeue_up_to(batch_size, name=name)
    return queue.dequeue_many(batch_size, name=name)


def _check_sparse(tensor_list_list) -> None:
    for tl in tensor_list_list:
        for t in tl:
            if hasattr(t, "dense_shape"):
                raise NotImplementedError(
                    "tf.train.batch of a SparseTensor is not supported: batch its "
                    "tf.sparse.to_dense value, or use tf.data's batch."
                )


def _batch_any(
    tensors_list, batch_size, threads, capacity, enqueue_many, shapes, allow_smaller_final_batch,
    shared_name, name, default_name, keep_input=True, dynamic_pad=False, min_after_dequeue=None,
    seed=None,
):  # fmt: skip
    """Every batcher: the lists of ``tensors_list`` enqueued (by ``threads`` threads, or one a
    list) into a FIFO queue (padding with ``dynamic_pad``), or with ``min_after_dequeue`` a
    ``RandomShuffleQueue``, then dequeued ``batch_size`` at a time."""
    shuffle = min_after_dequeue is not None
    originals = tensors_list[0]
    tensor_list_list = [_as_tensor_list(t) for t in tensors_list]
    _check_sparse(tensor_list_list)
    flat = [t for tl in tensor_list_list for t in tl]
    with name_scope(name, default_name, flat) as name:
        if shuffle and capacity <= min_after_dequeue:
            raise ValueError(
                f"capacity {capacity} must be bigger than min_after_dequeue {min_after_dequeue}."
            )
        tensor_list_list = [_validate(tl, default_name) for tl in tensor_list_list]
        keep_input = _validate_keep_input(keep_input, enqueue_many)
        types = _dtypes(tensor_list_list)
        shapes = _shapes(tensor_list_list, shapes, enqueue_many)
        if shuffle:
            queue = RandomShuffleQueue(
                capacity=capacity,
                min_after_dequeue=min_after_dequeue,
                seed=seed,
                dtypes=types,
                shapes=shapes,
                shared_name=shared_name,
            )
        else:
            queue_class = PaddingFIFOQueue if dynamic_pad else FIFOQueue
            queue = queue_class(
                capacity=capacity, dtypes=types, shapes=shapes, shared_name=shared_name
            )
        _enqueue(queue, tensor_list_list, threads, enqueue_many, keep_input)
        if shuffle:
            spare = capacity - min_after_dequeue
            full = cast(maximum(0, queue.size() - min_after_dequeue), dtypes.float32) * (
                1.0 / spare
            )
            scalar(f"fraction_over_{min_after_dequeue}_of_{spare}_full", full)
        else:
            full = cast(queue.size(), dtypes.float32) * (1.0 / capacity)
            scalar(f"fraction_of_{capacity}_full", full)
        dequeued = _dequeue(queue, batch_size, allow_smaller_final_batch, name)
        return _as_original_type(originals, dequeued)


def _sets(tensors_list) -> list:
    """The lists of tensors of a ``*_join`` batcher (at least one)."""
    if not tensors_list:
        raise ValueError("Expected at least one set of tensors")
    return list(tensors_list)


def batch(
    tensors,
    batch_size,
    num_threads=1,
    capacity=32,
    enqueue_many=False,
    shapes=None,
    dynamic_pad=False,
    allow_smaller_final_batch=False,
    shared_name=None,
    name=None,
):
    """Batches of ``tensors`` (a list or dict) through a FIFO queue filled by ``num_threads``
    threads; ``allow_smaller_final_batch`` gives the rest once the input ran out."""
    return _batch_any(
        [tensors], batch_size, num_threads, capacity, enqueue_many, shapes,
        allow_smaller_final_batch, shared_name, name, "batch", dynamic_pad=dynamic_pad,
    )  # fmt: skip


def batch_join(
    tensors_list,
    batch_size,
    capacity=32,
    enqueue_many=False,
    shapes=None,
    dynamic_pad=False,
    allow_smaller_final_batch=False,
    shared_name=None,
    name=None,
):
    """As ``batch``, with one enqueue thread per list of tensors in ``tensors_list``."""
    return _batch_any(
        _sets(tensors_list), batch_size, 1, capacity, enqueue_many, shapes,
        allow_smaller_final_batch, shared_name, name, "batch_join", dynamic_pad=dynamic_pad,
    )  # fmt: skip


def shuffle_batch(
    tensors,
    batch_size,
    capacity,
    min_after_dequeue,
    num_threads=1,
    seed=None,
    enqueue_many=False,
    shapes=None,
    allow_smaller_final_batch=False,
    shared_name=None,
    name=None,
):
    """Batches of ``tensors`` drawn at random from a queue holding at least
    ``min_after_dequeue`` elements (until its input runs out)."""
    return _batch_any(
        [tensors], batch_size, num_threads, capacity, enqueue_many, shapes,
        allow_smaller_final_batch, shared_name, name, "shuffle_batch",
        min_after_dequeue=min_after_dequeue, seed=seed,
    )  # fmt: skip


def shuffle_batch_join(
    tensors_list,
    batch_size,
    capacity,
    min_after_dequeue,
    seed=None,
    enqueue_many=False,
    shapes=None,
    allow_smaller_final_batch=False,
    shared_name=None,
    name=None,
):
    """As ``shuffle_batch``, with one enqueue thread per list in ``tensors_list``."""
    return _batch_any(
        _sets(tensors_list), batch_size, 1, capacity, enqueue_many, shapes,
        allow_smaller_final_batch, shared_name, name, "shuffle_batch_join",
        min_after_dequeue=min_after_dequeue, seed=seed,
    )  # fmt: skip


def maybe_batch(
    tensors,
    keep_input,
    batch_size,
    num_threads=1,
    capacity=32,
    enqueue_many=False,
    shapes=None,
    dynamic_pad=False,
    allow_smaller_final_batch=False,
    shared_name=None,
    name=None,
):
    """As ``batch``, enqueuing only where the bool ``keep_input`` is true (a scalar, or a
    vector over the rows with ``enqueue_many``)."""
    return _batch_any(
        [tensors], batch_size, num_threads, capacity, enqueue_many, shapes,
        allow_smaller_final_batch, shared_name, name, "batch", keep_input, dynamic_pad,
    )  # fmt: skip


def maybe_batch_join(
    tensors_list,
    keep_input,
    batch_size,
    capacity=32,
    enqueue_many=False,
    shapes=None,
    dynamic_pad=False,
    allow_smaller_final_batch=False,
    shared_name=None,
    name=None,
):
    """As ``batch_join``, enqueuing only where ``keep_input`` is true."""
    return _batch_any(
        _sets(tensors_list), batch_size, 1, capacity, enqueue_many, shapes,
        allow_smaller_final_batch, shared_name, name, "batch_join", keep_input, dynamic_pad,
    )  # fmt: skip


def maybe_shuffle_batch(
    tensors,
    batch_size,
    capacity,
    min_after_dequeue,
    keep_input,
    num_threads=1,
    seed=None,
    enqueue_many=False,
    shapes=None,
    allow_smaller_final_batch=False,
    shared_name=None,
    name=None,
):
    """As ``shuffle_batch``, enqueuing only where ``keep_input`` is true."""
    return _batch_any(
        [tensors], batch_size, num_threads, capacity, enqueue_many, shapes,
        allow_smaller_final_batch, shared_name, name, "shuffle_batch", keep_input,
        min_after_dequeue=min_after_dequeue, seed=seed,
    )  # fmt: skip


def maybe_shuffle_batch_join(
    tensors_list,
    batch_size,
    capacity,
    min_after_dequeue,
    keep_input,
    seed=None,
    enqueue_many=False,
    shapes=None,
    allow_smaller_final_batch=False,
    shared_name=None,
    name=None,
):
    """As ``shuffle_batch_join``, enqueuing only where ``keep_input`` is true."""
    return _batch_any(
        _sets(tensors_list), batch_size, 1, capacity, enqueue_many, shapes,
        allow_smaller_final_batch, shared_name, name, "shuffle_batch_join", keep_input,
        min_after_dequeue=min_after_dequeue, seed=seed,
    )  # fmt: skip


__all__ = [
    "batch",
    "batch_join",
    "input_producer",
    "limit_epochs",
    "match_filenames_once",
    "maybe_batch",
    "maybe_batch_join",
    "maybe_shuffle_batch",
    "maybe_shuffle_batch_join",
    "range_input_producer",
    "shuffle_batch",
    "shuffle_batch_join",
    "slice_input_producer",
    "string_input_producer",
]
