"""The TFRecord queue pipeline of 2016-2017 programs: TFRecordWriter of tf.train.Examples,
string_input_producer with num_epochs, TFRecordReader, parse_single_example, decode_raw,
tf.train.batch with a smaller final batch, Coordinator and start_queue_runners until
OutOfRangeError, weighted sparse cross-entropy and RMSProp.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import os

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    path = os.path.join(str(workdir), "train.tfrecords")
    rng = np.random.RandomState(5)
    with tf.python_io.TFRecordWriter(path) as writer:
        for i in range(6):
            image = rng.randint(0, 255, (2, 2, 1)).astype(np.uint8)
            ex = tf.train.Example(
                features=tf.train.Features(
                    feature={
                        "image_raw": tf.train.Feature(
                            bytes_list=tf.train.BytesList(value=[image.tobytes()])
                        ),
                        "label": tf.train.Feature(int64_list=tf.train.Int64List(value=[i % 3])),
                        "weight": tf.train.Feature(float_list=tf.train.FloatList(value=[0.5 * i])),
                    }
                )
            )
            writer.write(ex.SerializeToString())
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(1)
        queue = tf.train.string_input_producer([path], num_epochs=2, shuffle=False)
        reader = tf.TFRecordReader()
        key, serialized = reader.read(queue)
        feats = tf.parse_single_example(
            serialized,
            features={
                "image_raw": tf.FixedLenFeature([], tf.string),
                "label": tf.FixedLenFeature([], tf.int64),
                "weight": tf.FixedLenFeature([], tf.float32, default_value=0.0),
            },
        )
        image = tf.decode_raw(feats["image_raw"], tf.uint8)
        image.set_shape([4])
        image = tf.cast(image, tf.float32) * (1.0 / 255) - 0.5
        label = tf.cast(feats["label"], tf.int32)
        images, labels, weights = tf.train.batch(
            [image, label, feats["weight"]],
            batch_size=4,
            num_threads=1,
            capacity=20,
            allow_smaller_final_batch=True,
        )
        w = tf.get_variable("w", [4, 3], initializer=tf.glorot_uniform_initializer())
        logits = tf.matmul(images, w)
        loss = tf.losses.sparse_softmax_cross_entropy(labels, logits, weights=weights)
        train = tf.train.RMSPropOptimizer(0.01).minimize(loss)
        with tf.Session() as sess:
            sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
            coord = tf.train.Coordinator()
            threads = tf.train.start_queue_runners(sess=sess, coord=coord)
            out = []
            try:
                while not coord.should_stop():
                    _, lv, lb = sess.run([train, loss, labels])
                    out.append([float(lv), lb.tolist()])
            except tf.errors.OutOfRangeError:
                out.append("done")
            finally:
                coord.request_stop()
            coord.join(threads)
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
            "local": [v.name for v in tf.local_variables()],
            "queue_runners": [qr.name for qr in tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS)],
            "names": [key.name, serialized.name, images.name, labels.name, loss.name],
            "steps": out,
        }


EXPECTED = {
    "vars": [["w:0", [4, 3]], ["w/RMSProp:0", [4, 3]], ["w/RMSProp_1:0", [4, 3]]],
    "local": ["input_producer/limit_epochs/epochs:0"],
    "queue_runners": ["input_producer", "batch/fifo_queue"],
    "names": [
        "ReaderReadV2:0",
        "ReaderReadV2:1",
        "batch:0",
        "batch:1",
        "sparse_softmax_cross_entropy_loss/value:0",
    ],
    "steps": [
        [1.0428022146224976, [0, 1, 2, 0]],
        [1.463446021080017, [1, 2, 0, 1]],
        [1.5667121410369873, [2, 0, 1, 2]],
        "done",
    ],
}


def test_queue_pipeline_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
