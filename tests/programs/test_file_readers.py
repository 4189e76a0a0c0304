"""The file readers of TF1 input pipelines: CIFAR-10's binary format through match_filenames_once,
string_input_producer, FixedLengthRecordReader and decode_raw (label byte, CHW image
transposed to HWC); GZIP TFRecords written with TFRecordOptions and read with read_up_to and
parse_example; WholeFileReader; OutOfRangeError at the end and num_records_produced.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import os

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    rng = np.random.RandomState(4)
    root = str(workdir)
    # CIFAR-10 binary: 1 label byte + 3x4x4 image bytes per record, two files
    for k in range(2):
        recs = []
        for i in range(3):
            recs.append(bytes([k * 3 + i]) + rng.randint(0, 255, 48).astype(np.uint8).tobytes())
        with open(os.path.join(root, f"data_batch_{k}.bin"), "wb") as f:
            f.write(b"".join(recs))
    opts = tf.python_io.TFRecordOptions(tf.python_io.TFRecordCompressionType.GZIP)
    with tf.python_io.TFRecordWriter(os.path.join(root, "ex.tfrecord.gz"), options=opts) as w:
        for i in range(4):
            ex = tf.train.Example(
                features=tf.train.Features(
                    feature={
                        "x": tf.train.Feature(float_list=tf.train.FloatList(value=[i, i * 0.5])),
                        "tag": tf.train.Feature(bytes_list=tf.train.BytesList(value=[b"t%d" % i])),
                    }
                )
            )
            w.write(ex.SerializeToString())
    for i in range(2):
        with open(os.path.join(root, f"note{i}.txt"), "w") as f:
            f.write(f"hello {i}\n")
    out = {}
    g = tf.Graph()
    with g.as_default():
        files = tf.train.match_filenames_once(os.path.join(root, "data_batch_*.bin"))
        fq = tf.train.string_input_producer(files, shuffle=False, num_epochs=1)
        reader = tf.FixedLengthRecordReader(record_bytes=49)
        key, value = reader.read(fq)
        raw = tf.decode_raw(value, tf.uint8)
        label = tf.cast(tf.strided_slice(raw, [0], [1]), tf.int32)
        image = tf.transpose(tf.reshape(tf.strided_slice(raw, [1], [49]), [3, 4, 4]), [1, 2, 0])
        gz = tf.train.string_input_producer(
            [os.path.join(root, "ex.tfrecord.gz")], shuffle=False, num_epochs=1
        )
        treader = tf.TFRecordReader(options=opts)
        _, serialized = treader.read_up_to(gz, 3)
        parsed = tf.parse_example(
            serialized,
            {
                "x": tf.FixedLenFeature([2], tf.float32),
                "tag": tf.FixedLenFeature([], tf.string),
            },
        )
        wq = tf.train.string_input_producer(
            [os.path.join(root, f"note{i}.txt") for i in range(2)], shuffle=False, num_epochs=1
        )
        wkey, wval = tf.WholeFileReader().read(wq)
        with tf.Session() as sess:
            sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
            coord = tf.train.Coordinator()
            threads = tf.train.start_queue_runners(sess, coord)
            recs = []
            for _ in range(6):
                k, lab, img = sess.run([key, label, image])
                recs.append(
                    [os.path.basename(k.decode()), lab.tolist(), int(img.sum()), list(img.shape)]
                )
            px, pt = sess.run([parsed["x"], parsed["tag"]])
            px2 = sess.run(parsed["x"])
            wf = [sess.run([wkey, wval]) for _ in range(2)]
            try:
                sess.run(value)
                end = "more"
            except tf.errors.OutOfRangeError as e:
                end = type(e).__name__
            nrec = int(sess.run(reader.num_records_produced()))
            coord.request_stop()
            coord.join(threads)
        out["records"] = recs
        out["parsed"] = [px.tolist(), [t.decode() for t in pt], px2.tolist()]
        out["whole"] = [[os.path.basename(k.decode()), v.decode()] for k, v in wf]
        out["end"] = end
        out["num_records"] = nrec
        out["names"] = [
            t.name for t in (files, key, value, raw, label, image, serialized, parsed["x"], wkey)
        ]
    return out


EXPECTED = {
    "records": [
        ["data_batch_0.bin:0", [0], 6234, [4, 4, 3]],
        ["data_batch_0.bin:1", [1], 7468, [4, 4, 3]],
        ["data_batch_0.bin:2", [2], 6176, [4, 4, 3]],
        ["data_batch_1.bin:0", [3], 6110, [4, 4, 3]],
        ["data_batch_1.bin:1", [4], 6046, [4, 4, 3]],
        ["data_batch_1.bin:2", [5], 6100, [4, 4, 3]],
    ],
    "parsed": [[[0.0, 0.0], [1.0, 0.5], [2.0, 1.0]], ["t0", "t1", "t2"], [[3.0, 1.5]]],
    "whole": [["note0.txt", "hello 0\n"], ["note1.txt", "hello 1\n"]],
    "end": "OutOfRangeError",
    "num_records": 6,
    "names": [
        "matching_filenames:0",
        "ReaderReadV2:0",
        "ReaderReadV2:1",
        "DecodeRaw:0",
        "Cast:0",
        "transpose:0",
        "ReaderReadUpToV2:1",
        "ParseExample/ParseExampleV2:1",
        "ReaderReadV2_1:0",
    ],
}


def test_file_readers_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
