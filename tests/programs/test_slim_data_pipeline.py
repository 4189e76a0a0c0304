"""TF-Slim's data pipeline as train_image_classifier built it: TFRecords read through
slim.dataset.Dataset (a glob of files, TFRecordReader), slim.tfexample_decoder's
TFExampleDecoder with Image (raw format, reshaped), Tensor, BoundingBox, LookupTensor and
ItemHandlerCallback handlers, and slim.dataset_data_provider.DatasetDataProvider (parallel_read
over a FIFO common queue, record_key); items, names, shapes, summaries and queue runners.
(The reference ran tf_slim's data modules.)

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import os

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    slim = tf.contrib.slim
    rng = np.random.RandomState(41)
    path = os.path.join(str(workdir), "train-00000.tfrecord")
    with tf.python_io.TFRecordWriter(path) as writer:
        for i in range(4):
            pixels = rng.randint(0, 255, (2, 2, 3)).astype(np.uint8)
            n = i % 2 + 1
            feature = {
                "image/encoded": tf.train.Feature(
                    bytes_list=tf.train.BytesList(value=[pixels.tobytes()])
                ),
                "image/format": tf.train.Feature(bytes_list=tf.train.BytesList(value=[b"raw"])),
                "image/class/label": tf.train.Feature(int64_list=tf.train.Int64List(value=[i])),
                "image/object/bbox/ymin": tf.train.Feature(
                    float_list=tf.train.FloatList(value=[0.1 * i] * n)
                ),
                "image/object/bbox/xmin": tf.train.Feature(
                    float_list=tf.train.FloatList(value=[0.2] * n)
                ),
                "image/object/bbox/ymax": tf.train.Feature(
                    float_list=tf.train.FloatList(value=[0.5] * n)
                ),
                "image/object/bbox/xmax": tf.train.Feature(
                    float_list=tf.train.FloatList(value=[0.9] * n)
                ),
                "image/name": tf.train.Feature(
                    bytes_list=tf.train.BytesList(value=[b"cat" if i % 2 else b"dog"])
                ),
            }
            ex = tf.train.Example(features=tf.train.Features(feature=feature))
            writer.write(ex.SerializeToString())
    g = tf.Graph()
    with g.as_default():
        keys_to_features = {
            "image/encoded": tf.FixedLenFeature((), tf.string, default_value=""),
            "image/format": tf.FixedLenFeature((), tf.string, default_value="raw"),
            "image/class/label": tf.FixedLenFeature([1], tf.int64),
            "image/object/bbox/ymin": tf.VarLenFeature(tf.float32),
            "image/object/bbox/xmin": tf.VarLenFeature(tf.float32),
            "image/object/bbox/ymax": tf.VarLenFeature(tf.float32),
            "image/object/bbox/xmax": tf.VarLenFeature(tf.float32),
            "image/name": tf.FixedLenFeature((), tf.string),
        }
        table = tf.contrib.lookup.index_table_from_tensor(tf.constant(["dog", "cat"]))
        decoder = slim.tfexample_decoder
        items_to_handlers = {
            "image": decoder.Image(shape=[2, 2, 3]),
            "label": decoder.Tensor("image/class/label", shape=[]),
            "bbox": decoder.BoundingBox(["ymin", "xmin", "ymax", "xmax"], "image/object/bbox/"),
            "name_id": decoder.LookupTensor("image/name", table),
            "label_plus": decoder.ItemHandlerCallback(
                ["image/class/label"], lambda d: d["image/class/label"] + 10
            ),
        }
        dataset = slim.dataset.Dataset(
            data_sources=os.path.join(str(workdir), "train-*.tfrecord"),
            reader=tf.TFRecordReader,
            decoder=decoder.TFExampleDecoder(keys_to_features, items_to_handlers),
            num_samples=4,
            items_to_descriptions={"image": "a 2x2 image"},
            num_classes=4,
        )
        provider = slim.dataset_data_provider.DatasetDataProvider(
            dataset, num_readers=1, shuffle=False, num_epochs=1
        )
        image, label, bbox, name_id, plus, key = provider.get(
            ["image", "label", "bbox", "name_id", "label_plus", "record_key"]
        )
        with tf.Session() as sess:
            sess.run([tf.local_variables_initializer(), tf.tables_initializer()])
            coord = tf.train.Coordinator()
            threads = tf.train.start_queue_runners(sess, coord)
            rows = []
            for _ in range(4):
                im, lb, bb, ni, pl, k = sess.run([image, label, bbox, name_id, plus, key])
                rows.append(
                    [
                        int(im.sum()),
                        int(lb),
                        bb.tolist(),
                        int(ni),
                        pl.tolist(),
                        k.decode().split("/")[-1],
                    ]
                )
            coord.request_stop()
            coord.join(threads)
        return {
            "rows": rows,
            "items": sorted(provider.list_items()),
            "num_samples": provider.num_samples(),
            "num_classes": dataset.num_classes,
            "names": [image.name, label.name, bbox.name, name_id.name, key.name],
            "shapes": [image.shape.as_list(), label.shape.as_list(), bbox.shape.as_list()],
            "summaries": [t.name for t in tf.get_collection(tf.GraphKeys.SUMMARIES)],
            "runners": [r.name for r in tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS)],
        }


EXPECTED = {
    "rows": [
        [
            1697,
            0,
            [[0.0, 0.20000000298023224, 0.5, 0.8999999761581421]],
            0,
            [10],
            "train-00000.tfrecord:0",
        ],
        [
            1973,
            1,
            [
                [0.10000000149011612, 0.20000000298023224, 0.5, 0.8999999761581421],
                [0.10000000149011612, 0.20000000298023224, 0.5, 0.8999999761581421],
            ],
            1,
            [11],
            "train-00000.tfrecord:274",
        ],
        [
            2159,
            2,
            [[0.20000000298023224, 0.20000000298023224, 0.5, 0.8999999761581421]],
            0,
            [12],
            "train-00000.tfrecord:564",
        ],
        [
            1315,
            3,
            [
                [0.30000001192092896, 0.20000000298023224, 0.5, 0.8999999761581421],
                [0.30000001192092896, 0.20000000298023224, 0.5, 0.8999999761581421],
            ],
            1,
            [13],
            "train-00000.tfrecord:838",
        ],
    ],
    "items": ["bbox", "image", "label", "label_plus", "name_id", "record_key"],
    "num_samples": 4,
    "num_classes": 4,
    "names": [
        "Reshape_4:0",
        "Reshape_5:0",
        "transpose:0",
        "hash_table_Lookup/LookupTableFindV2:0",
        "parallel_read/common_queue_Dequeue:0",
    ],
    "shapes": [[2, 2, 3], [], [None, 4]],
    "summaries": [
        "parallel_read/filenames/fraction_of_32_full:0",
        "parallel_read/fraction_of_256_full:0",
    ],
    "runners": ["parallel_read/filenames", "parallel_read/common_queue"],
}


def test_slim_data_pipeline_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
