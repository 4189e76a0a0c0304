"""A queue-fed trainer resumed from its .meta file, as TF1 scripts did it: TFRecord files
through string_input_producer (num_epochs), a TFRecordReader and parse_single_example, a
py_func feature transform, tf.train.batch into a small classifier; trained, saved (the Saver
writes the MetaGraphDef with its queue_runners collection as QueueRunnerDefs); then a fresh
graph rebuilt by tf.train.import_meta_graph alone (tensors found by name and collection),
restored, its queue runners started from the imported collection, trained until the input
ran out (OutOfRangeError through the Coordinator), and an import under import_scope.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import os

import numpy as np
import pytest

import scopeflow as tf
from tests.programs.compare import close


def _write(tf, path, rng, n):
    with tf.python_io.TFRecordWriter(path) as w:
        for _ in range(n):
            x = rng.randn(3).astype(np.float32)
            ex = tf.train.Example(
                features=tf.train.Features(
                    feature={
                        "x": tf.train.Feature(float_list=tf.train.FloatList(value=x.tolist())),
                        "y": tf.train.Feature(
                            int64_list=tf.train.Int64List(value=[int(x.sum() > 0)])
                        ),
                    }
                )
            )
            w.write(ex.SerializeToString())


def program(tf, workdir):
    workdir = str(workdir)
    rng = np.random.RandomState(4)
    files = [os.path.join(workdir, f"part-{i}.tfrecord") for i in range(2)]
    for f in files:
        _write(tf, f, rng, 6)
    ckpt = os.path.join(workdir, "model.ckpt")
    out = {}
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(9)
        names = tf.train.string_input_producer(files, num_epochs=2, shuffle=False)
        _, record = tf.TFRecordReader().read(names)
        parsed = tf.parse_single_example(
            record,
            {"x": tf.FixedLenFeature([3], tf.float32), "y": tf.FixedLenFeature([], tf.int64)},
        )
        scaled = tf.py_func(
            lambda a: (a * 2.0).astype(np.float32),
            [parsed["x"]],
            tf.float32,
            stateful=False,
            name="scale",
        )
        scaled.set_shape([3])
        x, y = tf.train.batch([scaled, parsed["y"]], batch_size=4, name="input_batch")
        logits = tf.layers.dense(x, 2, name="clf")
        loss = tf.losses.sparse_softmax_cross_entropy(y, logits)
        step = tf.train.get_or_create_global_step()
        train = tf.train.GradientDescentOptimizer(0.2).minimize(loss, global_step=step)
        tf.add_to_collection("train_op", train)
        tf.add_to_collection("loss", loss)
        saver = tf.train.Saver()
        out["runners"] = [qr.name for qr in tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS)]
        with tf.Session() as sess:
            sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
            coord = tf.train.Coordinator()
            threads = tf.train.start_queue_runners(sess, coord)
            out["first"] = [float(sess.run([loss, train])[0]) for _ in range(2)]
            coord.request_stop()
            coord.join(threads)
            saver.save(sess, ckpt, global_step=step)
    meta_path = tf.train.latest_checkpoint(workdir) + ".meta"
    out["meta"] = os.path.basename(meta_path)
    g2 = tf.Graph()
    with g2.as_default():
        restorer = tf.train.import_meta_graph(meta_path)
        runners = tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS)
        out["imported_runners"] = [
            [
                qr.name,
                [op.name for op in qr.enqueue_ops],
                qr.close_op.name,
                qr.cancel_op.name,
                [t.__name__ for t in qr.queue_closed_exception_types],
            ]
            for qr in runners
        ]
        train = tf.get_collection("train_op")[0]
        loss = tf.get_collection("loss")[0]
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            restorer.restore(sess, tf.train.latest_checkpoint(workdir))
            coord = tf.train.Coordinator()
            threads = tf.train.start_queue_runners(sess, coord)
            losses = []
            try:
                while not coord.should_stop():
                    losses.append(float(sess.run([loss, train])[0]))
            except tf.errors.OutOfRangeError:
                out["ran_out"] = True
            finally:
                coord.request_stop()
            coord.join(threads)
            out["resumed"] = losses
            out["step"] = int(sess.run("global_step:0"))
    g3 = tf.Graph()
    with g3.as_default():
        tf.train.import_meta_graph(meta_path, import_scope="again")
        qr = tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS)[0]
        out["scoped"] = [qr.name, qr.enqueue_ops[0].name]
    return out


EXPECTED = {
    "runners": ["input_producer", "input_batch/fifo_queue"],
    "first": [3.3410115242004395, 3.859801769256592],
    "meta": "model.ckpt-2.meta",
    "imported_runners": [
        [
            "input_producer",
            ["input_producer/input_producer_EnqueueMany"],
            "input_producer/input_producer_Close",
            "input_producer/input_producer_Close_1",
            ["OutOfRangeError"],
        ],
        [
            "input_batch/fifo_queue",
            ["input_batch/fifo_queue_enqueue"],
            "input_batch/fifo_queue_Close",
            "input_batch/fifo_queue_Close_1",
            ["OutOfRangeError"],
        ],
    ],
    "ran_out": True,
    "resumed": [
        1.024956464767456,
        0.7319577932357788,
        0.1927148699760437,
        0.36376070976257324,
        0.1738463044166565,
        0.1497132033109665,
    ],
    "step": 8,
    "scoped": ["again/input_producer", "again/input_producer/input_producer_EnqueueMany"],
}


def test_queue_meta_resume_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)


def test_queue_runner_proto_round_trip_and_checks():
    with tf.Graph().as_default():
        q = tf.FIFOQueue(3, tf.float32, name="q")
        qr = tf.train.QueueRunner(
            q,
            [q.enqueue(1.0)],
            queue_closed_exception_types=(tf.errors.OutOfRangeError, tf.errors.CancelledError),
        )
        proto = qr.to_proto()
        assert (proto.queue_name, list(proto.enqueue_op_name), proto.close_op_name) == (
            "q",
            ["q_enqueue"],
            "q_Close",
        )
        assert list(proto.queue_closed_exception_types) == [11, 1]  # TF's error codes
        assert qr.to_proto(export_scope="elsewhere") is None
        again = tf.train.QueueRunner.from_proto(proto)
        assert again.queue is q.queue_ref.op and again.cancel_op.name == "q_Close_1"
        assert again.queue_closed_exception_types == (
            tf.errors.OutOfRangeError,
            tf.errors.CancelledError,
        )
        with pytest.raises(ValueError, match="mutually exclusive"):
            tf.train.QueueRunner(q, queue_runner_def=proto)
