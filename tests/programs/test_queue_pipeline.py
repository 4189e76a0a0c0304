"""The TFRecord queue pipeline of 2016-2017 programs: TFRecordWriter of tf.train.Examples,
string_input_producer with num_epochs, TFRecordReader, parse_single_example, decode_raw,
tf.train.batch with a smaller final batch, Coordinator and start_queue_runners until
OutOfRangeError, weighted sparse cross-entropy and RMSProp. Shuffled, the same program runs
string_input_producer(shuffle=True) and tf.train.shuffle_batch with min_after_dequeue and
seeds, once the batch queue holds both epochs (TF's picks are then the seeded Philox order;
earlier they race the reader thread).

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import os
import time

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir, shuffle=False):
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
        if shuffle:
            queue = tf.train.string_input_producer([path], num_epochs=2, shuffle=True, seed=4)
        else:
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
        batching = {"batch_size": 4, "num_threads": 1, "capacity": 20}
        batching["allow_smaller_final_batch"] = True
        if shuffle:
            images, labels, weights = tf.train.shuffle_batch(
                [image, label, feats["weight"]], min_after_dequeue=2, seed=3, **batching
            )
        else:
            images, labels, weights = tf.train.batch([image, label, feats["weight"]], **batching)
        w = tf.get_variable("w", [4, 3], initializer=tf.glorot_uniform_initializer())
        logits = tf.matmul(images, w)
        loss = tf.losses.sparse_softmax_cross_entropy(labels, logits, weights=weights)
        train = tf.train.RMSPropOptimizer(0.01).minimize(loss)
        with tf.Session() as sess:
            sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
            coord = tf.train.Coordinator()
            threads = tf.train.start_queue_runners(sess=sess, coord=coord)
            if shuffle:
                size = g.get_tensor_by_name("shuffle_batch/random_shuffle_queue_Size:0")
                while sess.run(size) < 12:  # both epochs queued: the picks no longer race
                    time.sleep(0.01)
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

EXPECTED_SHUFFLED = dict(
    EXPECTED,
    queue_runners=["input_producer", "shuffle_batch/random_shuffle_queue"],
    names=[
        "ReaderReadV2:0",
        "ReaderReadV2:1",
        "shuffle_batch:0",
        "shuffle_batch:1",
        "sparse_softmax_cross_entropy_loss/value:0",
    ],
    steps=[
        [1.558815836906433, [2, 2, 0, 0]],
        [1.0554636716842651, [1, 0, 2, 1]],
        [1.462099552154541, [2, 0, 1, 1]],
        "done",
    ],
)


def test_queue_pipeline_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)


def test_shuffle_queue_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path, shuffle=True), EXPECTED_SHUFFLED)
