"""``tf.contrib.slim.prefetch_queue``: ``prefetch_queue``, a queue that a queue runner keeps
filled with ``tensors`` (often a batch) so the training step dequeues them ready-made."""

from __future__ import annotations

from scopeflow.framework import dtypes
from scopeflow.framework.graph_api import name_scope
from scopeflow.ops.array.cast import cast
from scopeflow.ops.data_flow.queues import FIFOQueue, PaddingFIFOQueue
from scopeflow.summary.summary_ops import scalar
from scopeflow.train.queue_runner import QueueRunner, add_queue_runner

__all__ = ["prefetch_queue"]


def prefetch_queue(
    tensors, capacity=8, num_threads=1, dynamic_pad=False, shared_name=None, name=None
):
    """A ``FIFOQueue`` (``PaddingFIFOQueue`` with ``dynamic_pad``) of ``tensors`` (a list,
    or a dict whose keys name the components, in sorted order), filled by ``num_threads``
    queue-runner threads, with a ``fraction_of_<capacity>_full`` summary.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     queue = tf.contrib.slim.prefetch_queue.prefetch_queue([tf.constant([1, 2])])
    ...     with tf.Session() as sess, tf.contrib.slim.queues.QueueRunners(sess):
    ...         print(sess.run(queue.dequeue()).tolist())
    [1, 2]
    """
    if isinstance(tensors, dict):
        names = sorted(tensors)
        tensor_list = [tensors[n] for n in names]
    else:
        names = None
        tensor_list = tensors
    with name_scope(name, "prefetch_queue", tensor_list):
        kind = PaddingFIFOQueue if dynamic_pad else FIFOQueue
        queue = kind(
            capacity=capacity,
            dtypes=[t.dtype for t in tensor_list],
            shapes=[t.get_shape() for t in tensor_list],
            names=names,
            shared_name=shared_name,
        )
        enqueue_op = queue.enqueue(tensors)
        add_queue_runner(QueueRunner(queue, [enqueue_op] * num_threads))
        scalar(
            f"fraction_of_{capacity}_full",
            cast(queue.size(), dtypes.float32) * (1.0 / capacity),
        )
        return queue
