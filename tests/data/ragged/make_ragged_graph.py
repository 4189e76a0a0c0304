"""Writes ``ragged_ops.pb`` (a GraphDef TensorFlow builds with its ragged and Unicode ops) and
``ragged_ops_values.json`` (what TensorFlow computes for each output), read by
``tests/ragged/test_tf_graphs.py``. Run it with the reference TensorFlow:

    TF_USE_LEGACY_KERAS=1 /tmp/tfref/bin/python tests/data/ragged/make_ragged_graph.py
"""

import json
import pathlib

import numpy as np
import tensorflow.compat.v1 as tf

HERE = pathlib.Path(__file__).resolve().parent


def build():
    rt = tf.ragged.constant([["a", "b"], ["c"]])
    sparse = tf.SparseTensor([[0, 0], [1, 0]], ["p", "q"], [2, 1])
    return {
        "cross": tf.ragged.cross([rt, [["x"], ["y"]]]).flat_values,
        "cross_hashed": tf.ragged.cross_hashed([rt, sparse], 10).flat_values,
        "ngrams": tf.strings.ngrams(rt, 2, pad_values="#").flat_values,
        "decode_offsets": tf.strings.unicode_decode_with_offsets(["hé"], "UTF-8")[1].flat_values,
        "encode": tf.strings.unicode_encode(tf.ragged.constant([[104, 233]]), "UTF-16-BE"),
        "transcode": tf.strings.unicode_transcode(["hé"], "UTF-8", "UTF-32-BE"),
        "script": tf.strings.unicode_script([104, 1041]),
        "gather": tf.gather(tf.ragged.constant([[1], [2, 3]]), [1, 0]).flat_values,
        "range": tf.ragged.range([2, 3], dtype=tf.int64).flat_values,
        "to_sparse": tf.ragged.constant([[1.5], [2.5, 3]]).to_sparse().indices,
        "to_tensor": tf.ragged.constant([[1.5], [2.5, 3]]).to_tensor(default_value=-1.0),
        "split": tf.strings.split(["a b", "c"], result_type="RaggedTensor").to_tensor(),
    }


def main():
    tf.disable_v2_behavior()
    graph = tf.Graph()
    with graph.as_default():
        outputs = build()
        with tf.Session() as sess:
            values = sess.run(outputs)
    (HERE / "ragged_ops.pb").write_bytes(graph.as_graph_def().SerializeToString())

    def plain(v):
        v = np.asarray(v)
        return [x.decode("latin-1") for x in v.reshape(-1)] if v.dtype == object else v.tolist()

    table = {k: {"name": t.name, "value": plain(values[k])} for k, t in outputs.items()}
    (HERE / "ragged_ops_values.json").write_text(json.dumps(table, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
