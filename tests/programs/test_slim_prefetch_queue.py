"""TF-Slim's prefetch_queue as train_image_classifier used it: a list of tensors, a dict (its
components in sorted order) filled by two threads, a dynamically padded one, run under
slim.queues.QueueRunners; values, names, shapes, the fraction-full summaries and the queue
runners. (The reference ran tf_slim's data.prefetch_queue.)

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    slim = tf.contrib.slim
    g = tf.Graph()
    with g.as_default():
        images = tf.constant(np.arange(24, dtype=np.float32).reshape(2, 3, 4))
        labels = tf.constant([3, 5])
        q1 = slim.prefetch_queue.prefetch_queue([images, labels], capacity=4)
        q2 = slim.prefetch_queue.prefetch_queue(
            {"y": labels, "x": images}, num_threads=2, name="named"
        )
        seq = tf.range(tf.size(labels) + 1)
        q3 = slim.prefetch_queue.prefetch_queue([seq], dynamic_pad=True)
        a, b = q1.dequeue()
        d = q2.dequeue()
        s3 = q3.dequeue_many(2)
        with tf.Session() as sess:
            with slim.queues.QueueRunners(sess):
                av, bv = sess.run([a, b])
                dv = sess.run(d)
                sv = sess.run(s3)
            summ = tf.summary.Summary.FromString(sess.run(tf.summary.merge_all()))
        return {
            "values": [float(av.sum()), bv.tolist(), sorted(dv), dv["y"].tolist(), sv.tolist()],
            "names": [q1.name, q2.name, q3.name, a.name, d["x"].name, s3.name],
            "shapes": [a.shape.as_list(), d["x"].shape.as_list(), s3.shape.as_list()],
            "summaries": sorted(v.tag for v in summ.value),
            "runners": [r.name for r in tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS)],
            "types": [q1.queue_ref.op.type, q3.queue_ref.op.type],
        }


EXPECTED = {
    "values": [276.0, [3, 5], ["x", "y"], [3, 5], [[0, 1, 2], [0, 1, 2]]],
    "names": [
        "prefetch_queue/fifo_queue",
        "named/fifo_queue",
        "prefetch_queue_1/padding_fifo_queue",
        "fifo_queue_Dequeue:0",
        "fifo_queue_Dequeue_1:0",
        "padding_fifo_queue_DequeueMany:0",
    ],
    "shapes": [[2, 3, 4], [2, 3, 4], [2, 3]],
    "summaries": [
        "named/fraction_of_8_full",
        "prefetch_queue/fraction_of_4_full",
        "prefetch_queue_1/fraction_of_8_full",
    ],
    "runners": [
        "prefetch_queue/fifo_queue",
        "named/fifo_queue",
        "prefetch_queue_1/padding_fifo_queue",
    ],
    "types": ["FIFOQueueV2", "PaddingFIFOQueueV2"],
}


def test_slim_prefetch_queue_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
