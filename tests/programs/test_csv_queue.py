"""A CSV queue pipeline: string_input_producer over two files for two epochs, TextLineReader
skipping headers, decode_csv with defaults, tf.train.batch with allow_smaller_final_batch, a
hand-made FIFOQueue with its own QueueRunner, Coordinator and start_queue_runners, trained until
OutOfRangeError.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import os

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    rng = np.random.RandomState(14)
    files = []
    for k in range(2):
        path = os.path.join(str(workdir), f"part-{k}.csv")
        with open(path, "w") as f:
            f.write("a,b,label\n")
            for _ in range(5):
                a, b = rng.rand(2)
                f.write(f"{a:.4f},{b:.4f},{int(a + b > 1)}\n")
        files.append(path)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(8)
        fq = tf.train.string_input_producer(files, num_epochs=2, shuffle=False, name="files")
        reader = tf.TextLineReader(skip_header_lines=1, name="csv_reader")
        key, line = reader.read(fq)
        a, b, label = tf.decode_csv(line, record_defaults=[[0.0], [0.0], [0]], name="decode")
        feats = tf.stack([a, b], name="features")
        xb, yb, kb = tf.train.batch(
            [feats, label, key],
            batch_size=4,
            num_threads=1,
            capacity=16,
            allow_smaller_final_batch=True,
            name="batch",
        )
        # a hand-made queue with its own QueueRunner
        q = tf.FIFOQueue(8, [tf.float32], shapes=[[]], name="noise_queue")
        enq = q.enqueue_many([tf.random_uniform([4], seed=3)])
        tf.train.add_queue_runner(tf.train.QueueRunner(q, [enq]))
        noise = q.dequeue_many(2)
        logits = tf.squeeze(tf.layers.dense(xb, 1, name="clf"), 1)
        loss = tf.losses.sigmoid_cross_entropy(yb, logits)
        train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
        with tf.Session() as sess:
            sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
            coord = tf.train.Coordinator()
            threads = tf.train.start_queue_runners(sess, coord=coord)
            losses, sizes, keys = [], [], []
            try:
                while not coord.should_stop():
                    _, lv, kv = sess.run([train, loss, kb])
                    losses.append(float(lv))
                    sizes.append(len(kv))
                    keys.append([os.path.basename(k.decode()) for k in kv])
            except tf.errors.OutOfRangeError:
                done = True
            nv = sess.run(noise)
            coord.request_stop()
            coord.join(threads, stop_grace_period_secs=5)
        runners = sorted(r.name for r in g.get_collection(tf.GraphKeys.QUEUE_RUNNERS))
    return {
        "names": [
            key.name,
            line.name,
            a.name,
            feats.name,
            xb.name,
            yb.name,
            kb.name,
            noise.name,
            loss.name,
        ],
        "shapes": [xb.shape.as_list(), yb.shape.as_list()],
        "local": [v.name for v in g.get_collection("local_variables")],
        "runners": runners,
        "losses": losses,
        "sizes": sizes,
        "keys": keys,
        "done": done,
        "noise_len": len(nv),
    }


EXPECTED = {
    "names": [
        "ReaderReadV2:0",
        "ReaderReadV2:1",
        "decode:0",
        "features:0",
        "batch:0",
        "batch:1",
        "batch:2",
        "noise_queue_DequeueMany:0",
        "sigmoid_cross_entropy_loss/value:0",
    ],
    "shapes": [[None, 2], [None]],
    "local": ["files/limit_epochs/epochs:0"],
    "runners": ["batch/fifo_queue", "files", "noise_queue"],
    "losses": [
        0.4972228407859802,
        0.6505802273750305,
        0.5080757141113281,
        0.6005754470825195,
        0.5606390237808228,
    ],
    "sizes": [4, 4, 4, 4, 4],
    "keys": [
        ["part-0.csv:2", "part-0.csv:3", "part-0.csv:4", "part-0.csv:5"],
        ["part-0.csv:6", "part-1.csv:2", "part-1.csv:3", "part-1.csv:4"],
        ["part-1.csv:5", "part-1.csv:6", "part-0.csv:2", "part-0.csv:3"],
        ["part-0.csv:4", "part-0.csv:5", "part-0.csv:6", "part-1.csv:2"],
        ["part-1.csv:3", "part-1.csv:4", "part-1.csv:5", "part-1.csv:6"],
    ],
    "done": True,
    "noise_len": 2,
}


def test_csv_queue_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
