"""Writes queue_pipelines.json: the (name, type) of every op TF 2.21 compat.v1 builds for the
queue-based input pipelines that tests/train/test_queues.py builds with scopeflow.

    TF_CPP_MIN_LOG_LEVEL=3 /tmp/tfref/bin/python tests/data/queues/make_queue_pipelines.py
"""

import json
import pathlib

import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

GRAPHS = {
    "range_input_producer": lambda: tf.train.range_input_producer(5, shuffle=False).dequeue(),
    "range_input_producer_epochs": lambda: tf.train.range_input_producer(
        5, num_epochs=2, shuffle=True, seed=3
    ).dequeue(),
    "string_input_producer": lambda: tf.train.string_input_producer(["a", "b"]).dequeue(),
    "slice_input_producer": lambda: tf.train.slice_input_producer(
        [tf.constant([[1.0, 2.0], [3.0, 4.0]]), tf.constant([0, 1])], shuffle=False
    ),
    "batch": lambda: tf.train.batch([tf.constant([1.0, 2.0]), tf.constant(3)], 4),
    "batch_smaller_final": lambda: tf.train.batch(
        {"x": tf.constant([1.0, 2.0])}, 4, num_threads=2, allow_smaller_final_batch=True
    ),
    "shuffle_batch": lambda: tf.train.shuffle_batch(
        [tf.constant([1.0, 2.0])], 4, capacity=20, min_after_dequeue=5, seed=1
    ),
    "batch_enqueue_many": lambda: tf.train.batch(
        [tf.constant([[1.0], [2.0]])], 2, enqueue_many=True
    ),
    "batch_join": lambda: tf.train.batch_join([[tf.constant(1.0)], [tf.constant(2.0)]], 2),
}

out = {}
for key, build in GRAPHS.items():
    g = tf.Graph()
    with g.as_default():
        build()
        runners = g.get_collection(tf.GraphKeys.QUEUE_RUNNERS)
        out[key] = {
            "ops": [[op.name, op.type] for op in g.get_operations()],
            "queue_runners": [
                [qr.name, [op.name for op in qr.enqueue_ops], qr.close_op.name, qr.cancel_op.name]
                for qr in runners
            ],
            "summaries": [t.op.name for t in g.get_collection(tf.GraphKeys.SUMMARIES)],
            "local_variables": [v.name for v in g.get_collection(tf.GraphKeys.LOCAL_VARIABLES)],
        }
path = pathlib.Path(__file__).with_name("queue_pipelines.json")
path.write_text(json.dumps(out, indent=1) + "\n")
print("wrote", path)
