"""More of TF1's queue machinery: maybe_batch with enqueue_many and a keep mask, batch with
enqueue_many, a FIFOQueue with named components, a PaddingFIFOQueue, QueueBase.from_list
picking a queue at run time, input_producer with an element shape, and a
ConditionalAccumulator averaging two gradients.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    out = {}
    g = tf.Graph()
    with g.as_default():
        data = tf.constant(np.arange(12, dtype=np.float32).reshape(6, 2))
        keep = tf.constant([True, False, True, True, False, True])
        batched = tf.train.maybe_batch([data], keep, batch_size=2, enqueue_many=True)
        many = tf.train.batch(
            [data, tf.range(6)], batch_size=4, enqueue_many=True, capacity=10, name="many"
        )
        q = tf.FIFOQueue(10, [tf.int32, tf.string], shapes=[[], []], names=["n", "s"])
        enq = q.enqueue_many({"n": [1, 2, 3], "s": ["a", "b", "c"]})
        deq = q.dequeue_many(2)
        size = q.size()
        q2 = tf.PaddingFIFOQueue(5, [tf.float32], shapes=[[None, 2]])
        enq2 = q2.enqueue([tf.ones([3, 2])])
        deq2 = q2.dequeue()
        qs = [tf.FIFOQueue(3, tf.int32, shapes=[[]], name=f"q{i}") for i in range(2)]
        puts = [qq.enqueue(i + 10) for i, qq in enumerate(qs)]
        pick = tf.QueueBase.from_list(tf.constant(1), qs)
        got = pick.dequeue()
        inp = tf.train.input_producer(
            tf.constant([[1, 2], [3, 4]]), element_shape=[2], num_epochs=1, shuffle=False
        )
        row = inp.dequeue()
        acc = tf.ConditionalAccumulator(tf.float32, shape=[2])
        apply_ops = [
            acc.apply_grad([1.0, 2.0], local_step=0),
            acc.apply_grad([3.0, 6.0], local_step=0),
        ]
        take = acc.take_grad(2)
        with tf.Session() as sess:
            sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
            coord = tf.train.Coordinator()
            threads = tf.train.start_queue_runners(sess, coord)
            out["maybe"] = [sess.run(batched).tolist() for _ in range(2)]
            m = sess.run(many)
            out["many"] = [m[0].tolist(), m[1].tolist()]
            sess.run(enq)
            d = sess.run(deq)
            out["named"] = [
                sorted(d),
                d["n"].tolist(),
                [s.decode() for s in d["s"]],
                int(sess.run(size)),
            ]
            sess.run(enq2)
            out["padded"] = sess.run(deq2).tolist()
            sess.run(puts)
            out["from_list"] = int(sess.run(got))
            out["input_producer"] = [sess.run(row).tolist() for _ in range(2)]
            sess.run(apply_ops)
            out["accumulator"] = sess.run(take).tolist()
            coord.request_stop()
            coord.join(threads)
        out["names"] = [t.name for t in (batched, many[0], deq["n"], size, deq2, got, row, take)]
        out["runners"] = [r.name for r in tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS)]
    return out


EXPECTED = {
    "maybe": [[[0.0, 1.0], [4.0, 5.0]], [[6.0, 7.0], [10.0, 11.0]]],
    "many": [[[0.0, 1.0], [2.0, 3.0], [4.0, 5.0], [6.0, 7.0]], [0, 1, 2, 3]],
    "named": [["n", "s"], [1, 2], ["a", "b"], 1],
    "padded": [[1.0, 1.0], [1.0, 1.0], [1.0, 1.0]],
    "from_list": 11,
    "input_producer": [[1, 2], [3, 4]],
    "accumulator": [2.0, 4.0],
    "names": [
        "batch:0",
        "many:0",
        "fifo_queue_DequeueMany:0",
        "fifo_queue_Size:0",
        "padding_fifo_queue_Dequeue:0",
        "GatherV2_Dequeue:0",
        "FIFOQueueV2_Dequeue:0",
        "ResourceAccumulatorTakeGradient:0",
    ],
    "runners": ["batch/fifo_queue", "many/fifo_queue", "input_producer/FIFOQueueV2"],
}


def test_queue_machinery_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
