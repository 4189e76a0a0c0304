"""TF-Slim's summaries and queues helpers: add_histogram/scalar/image/zero_fraction_summary with
names, prefixes and print_summary, their plural forms, and slim.queues.QueueRunners running a
queue runner for the body of a with block. (The reference ran tf_slim.)

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
        x = tf.constant(np.array([[0.0, 1.0, 0.0, 2.0]], np.float32), name="acts")
        img = tf.zeros([1, 4, 4, 1], name="img")
        loss = tf.reduce_mean(x, name="loss")
        ops = [
            slim.summaries.add_histogram_summary(x),
            slim.summaries.add_scalar_summary(loss, prefix="losses"),
            slim.summaries.add_scalar_summary(loss, name="printed", print_summary=True),
            slim.summaries.add_zero_fraction_summary(x, prefix="sparsity"),
            slim.summaries.add_image_summary(img, name="pic"),
        ]
        ops += slim.summaries.add_histogram_summaries([x, loss], prefix="h")
        ops += slim.summaries.add_scalar_summaries([loss], prefix="s")
        ops += slim.summaries.add_zero_fraction_summaries([x])
        q = tf.FIFOQueue(4, tf.int32, shapes=[[]])
        tf.train.add_queue_runner(tf.train.QueueRunner(q, [q.enqueue(7)]))
        with tf.Session() as sess:
            with slim.queues.QueueRunners(sess):
                got = [int(sess.run(q.dequeue())) for _ in range(3)]
            merged = tf.summary.Summary.FromString(sess.run(tf.summary.merge_all()))
        return {
            "names": [op.name for op in ops],
            "collection": [t.name for t in tf.get_collection(tf.GraphKeys.SUMMARIES)],
            "tags": sorted(v.tag for v in merged.value),
            "zero": [v.simple_value for v in merged.value if "Fraction" in v.tag],
            "queue": got,
        }


EXPECTED = {
    "names": [
        "acts_1:0",
        "losses/loss:0",
        "Print:0",
        "sparsity/acts/Fraction_of_Zero_Values:0",
        "pic:0",
        "h/acts:0",
        "h/loss:0",
        "s/loss:0",
        "acts/Fraction_of_Zero_Values:0",
    ],
    "collection": [
        "acts_1:0",
        "losses/loss:0",
        "Print:0",
        "sparsity/acts/Fraction_of_Zero_Values:0",
        "pic:0",
        "h/acts:0",
        "h/loss:0",
        "s/loss:0",
        "acts/Fraction_of_Zero_Values:0",
    ],
    "tags": [
        "acts/Fraction_of_Zero_Values",
        "acts_1",
        "h/acts",
        "h/loss",
        "losses/loss",
        "pic/image/0",
        "printed",
        "s/loss",
        "sparsity/acts/Fraction_of_Zero_Values",
    ],
    "zero": [0.5, 0.5],
    "queue": [7, 7, 7],
}


def test_slim_summaries_queues_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
