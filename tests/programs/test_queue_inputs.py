"""The other queue inputs of TF1 programs: slice_input_producer over two epochs without
shuffling, tf.train.batch with dynamic_pad (a scalar label beside a variable-length sequence)
and allow_smaller_final_batch, range_input_producer, limit_epochs and batch_join, run by
start_queue_runners until OutOfRangeError.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    feats = np.arange(20, dtype=np.float32).reshape(10, 2)
    labels = np.arange(10, dtype=np.int32)
    out = {}
    g = tf.Graph()
    with g.as_default():
        x, y = tf.train.slice_input_producer(
            [tf.constant(feats), tf.constant(labels)], num_epochs=2, shuffle=False
        )
        seq = tf.range(tf.mod(y, 3) + 1)
        bx, by, bseq = tf.train.batch(
            [x, y, seq], batch_size=4, dynamic_pad=True, allow_smaller_final_batch=True
        )
        idx = tf.train.range_input_producer(5, num_epochs=1, shuffle=False).dequeue()
        limited = tf.train.limit_epochs(tf.constant([1, 2]), num_epochs=2)
        joined = tf.train.batch_join([[tf.constant(1.0)], [tf.constant(2.0)]], batch_size=3)
        with tf.Session() as sess:
            sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
            coord = tf.train.Coordinator()
            threads = tf.train.start_queue_runners(sess, coord)
            batches = []
            try:
                while True:
                    a, b, c = sess.run([bx, by, bseq])
                    batches.append([a.tolist(), b.tolist(), c.tolist()])
            except tf.errors.OutOfRangeError:
                pass
            ids = []
            try:
                while True:
                    ids.append(int(sess.run(idx)))
            except tf.errors.OutOfRangeError:
                pass
            lim = [sess.run(limited).tolist() for _ in range(2)]
            try:
                sess.run(limited)
                lim.append("more")
            except tf.errors.OutOfRangeError as e:
                lim.append(type(e).__name__)
            j = sorted(sess.run(joined).tolist())
            coord.request_stop()
            coord.join(threads)
        out["batches"] = batches
        out["ids"] = ids
        out["limited"] = lim
        out["joined_len"] = len(j)
        out["names"] = [t.name for t in (x, y, bx, by, bseq, idx, limited, joined)]
        out["queue_runners"] = [qr.name for qr in tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS)]
        out["locals"] = [v.name for v in tf.local_variables()]
    return out


EXPECTED = {
    "batches": [
        [
            [[0.0, 1.0], [2.0, 3.0], [4.0, 5.0], [6.0, 7.0]],
            [0, 1, 2, 3],
            [[0, 0, 0], [0, 1, 0], [0, 1, 2], [0, 0, 0]],
        ],
        [
            [[8.0, 9.0], [10.0, 11.0], [12.0, 13.0], [14.0, 15.0]],
            [4, 5, 6, 7],
            [[0, 1, 0], [0, 1, 2], [0, 0, 0], [0, 1, 0]],
        ],
        [
            [[16.0, 17.0], [18.0, 19.0], [0.0, 1.0], [2.0, 3.0]],
            [8, 9, 0, 1],
            [[0, 1, 2], [0, 0, 0], [0, 0, 0], [0, 1, 0]],
        ],
        [
            [[4.0, 5.0], [6.0, 7.0], [8.0, 9.0], [10.0, 11.0]],
            [2, 3, 4, 5],
            [[0, 1, 2], [0, 0, 0], [0, 1, 0], [0, 1, 2]],
        ],
        [
            [[12.0, 13.0], [14.0, 15.0], [16.0, 17.0], [18.0, 19.0]],
            [6, 7, 8, 9],
            [[0, 0, 0], [0, 1, 0], [0, 1, 2], [0, 0, 0]],
        ],
    ],
    "ids": [0, 1, 2, 3, 4],
    "limited": [[1, 2], [1, 2], "OutOfRangeError"],
    "joined_len": 3,
    "names": [
        "input_producer/GatherV2:0",
        "input_producer/GatherV2_1:0",
        "batch:0",
        "batch:1",
        "batch:2",
        "input_producer_1_Dequeue:0",
        "limit_epochs:0",
        "batch_join:0",
    ],
    "queue_runners": [
        "input_producer/input_producer",
        "batch/padding_fifo_queue",
        "input_producer_1",
        "batch_join/fifo_queue",
    ],
    "locals": [
        "input_producer/input_producer/limit_epochs/epochs:0",
        "input_producer_1/limit_epochs/epochs:0",
        "limit_epochs/epochs:0",
    ],
}


def test_queue_inputs_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
