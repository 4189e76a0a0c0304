"""slim.tfexample_decoder's handlers on single serialized examples: Image of PNG and JPEG bytes
(three channels as uint8, one as float32), Tensor reshaped by shape_keys features, a densified
SparseTensor from index and value features, a BackupHandler falling back from an empty
feature, and BoundingBox's error. (The reference ran tf_slim's tfexample_decoder.)

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    slim = tf.contrib.slim
    decoder = slim.tfexample_decoder
    rng = np.random.RandomState(43)
    pixels = rng.randint(0, 255, (3, 2, 3)).astype(np.uint8)
    g = tf.Graph()
    with g.as_default():
        png = tf.Session().run(tf.image.encode_png(tf.constant(pixels)))
        jpg = tf.Session().run(tf.image.encode_jpeg(tf.constant(pixels), quality=100))

        def example(encoded, fmt):
            feature = {
                "image/encoded": tf.train.Feature(bytes_list=tf.train.BytesList(value=[encoded])),
                "image/format": tf.train.Feature(bytes_list=tf.train.BytesList(value=[fmt])),
                "dims": tf.train.Feature(int64_list=tf.train.Int64List(value=[2, 3])),
                "flat": tf.train.Feature(float_list=tf.train.FloatList(value=[1, 2, 3, 4, 5, 6])),
                "idx": tf.train.Feature(int64_list=tf.train.Int64List(value=[0, 3])),
                "val": tf.train.Feature(float_list=tf.train.FloatList(value=[0.5, 1.5])),
                "empty": tf.train.Feature(float_list=tf.train.FloatList(value=[])),
            }
            return tf.train.Example(features=tf.train.Features(feature=feature)).SerializeToString()

        keys_to_features = {
            "image/encoded": tf.FixedLenFeature((), tf.string),
            "image/format": tf.FixedLenFeature((), tf.string),
            "dims": tf.VarLenFeature(tf.int64),
            "flat": tf.VarLenFeature(tf.float32),
            "idx": tf.VarLenFeature(tf.int64),
            "val": tf.VarLenFeature(tf.float32),
            "empty": tf.VarLenFeature(tf.float32),
        }
        handlers = {
            "image": decoder.Image(channels=3),
            "gray": decoder.Image(channels=1, dtype=tf.float32),
            "matrix": decoder.Tensor("flat", shape_keys="dims"),
            "sparse": decoder.SparseTensor(
                "idx", "val", shape=[5], densify=True, default_value=-1.0
            ),
            "backup": decoder.BackupHandler(decoder.Tensor("empty"), decoder.Tensor("val")),
        }
        dec = decoder.TFExampleDecoder(keys_to_features, handlers)
        out = {"items": dec.list_items()}
        for fmt, data in (("png", png), ("jpeg", jpg)):
            items = dec.decode(tf.constant(example(data, fmt.encode())))
            with tf.Session() as sess:
                got = sess.run(items)
            # each framework's JPEG encoder makes its own bytes: only shapes compared there
            sums = [int(got[0].sum()), float(got[1].sum())] if fmt == "png" else []
            out[fmt] = [
                *sums,
                list(got[0].shape),
                list(got[1].shape),
                got[2].tolist(),
                got[3].tolist(),
                got[4].tolist(),
            ]
            out[fmt + "_names"] = [t.name for t in items]
        try:
            decoder.BoundingBox(["a", "b"])
        except ValueError as e:
            out["bbox_err"] = str(e)
    return out


EXPECTED = {
    "items": ["image", "gray", "matrix", "sparse", "backup"],
    "png": [
        1703,
        589.0,
        [3, 2, 3],
        [3, 2, 1],
        [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]],
        [0.5, -1.0, -1.0, 1.5, -1.0],
        [0.5, 1.5],
    ],
    "png_names": [
        "case/cond/Merge:0",
        "case_1/cond/Merge:0",
        "SparseToDense_1:0",
        "SparseToDense_2:0",
        "cond/Merge:0",
    ],
    "jpeg": [
        [3, 2, 3],
        [3, 2, 1],
        [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]],
        [0.5, -1.0, -1.0, 1.5, -1.0],
        [0.5, 1.5],
    ],
    "jpeg_names": [
        "case_2/cond/Merge:0",
        "case_3/cond/Merge:0",
        "SparseToDense_5:0",
        "SparseToDense_6:0",
        "cond_1/Merge:0",
    ],
    "bbox_err": "BoundingBox expects 4 keys but got 2",
}


def test_slim_tfexample_decoder_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
