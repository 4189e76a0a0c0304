"""A SavedModel written the TF1 way and served back: a text classifier with a vocabulary lookup
table from an asset file, trained a few steps, saved with
tf.saved_model.builder.SavedModelBuilder (two meta graphs: serving with predict and classify
signatures from signature_def_utils and build_tensor_info, a training one with its own tag),
assets_collection, main_op (tables + local init), then loaded in fresh graphs with
tf.saved_model.loader.load (with and without import_scope) and maybe_saved_model_directory /
contains_saved_model, signatures run by their tensor names; tf.saved_model.simple_save too.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import os

import numpy as np
import pytest

import scopeflow as tf
from tests.programs.compare import close


def _build(tf, vocab_path):
    words = tf.placeholder(tf.string, [None, 3], name="words")
    vocab = tf.constant(vocab_path, name="vocab_path")
    tf.add_to_collection(tf.GraphKeys.ASSET_FILEPATHS, vocab)
    table = tf.lookup.StaticVocabularyTable(
        tf.lookup.TextFileInitializer(
            vocab,
            tf.string,
            tf.lookup.TextFileIndex.WHOLE_LINE,
            tf.int64,
            tf.lookup.TextFileIndex.LINE_NUMBER,
        ),
        num_oov_buckets=1,
    )
    ids = table.lookup(words)
    emb = tf.get_variable("emb", [5, 4], initializer=tf.random_uniform_initializer(-0.5, 0.5))
    pooled = tf.reduce_mean(tf.nn.embedding_lookup(emb, ids), 1)
    logits = tf.layers.dense(pooled, 3, name="cls")
    probs = tf.nn.softmax(logits, name="probs")
    return words, ids, logits, probs


def program(tf, workdir):
    workdir = str(workdir)
    vocab_path = os.path.join(workdir, "vocab.txt")
    with open(vocab_path, "w") as f:
        f.write("good\nbad\nok\nmeh\n")
    batch = np.array([[b"good", b"ok", b"zzz"], [b"bad", b"meh", b"bad"]], dtype=object)
    labels = np.array([0, 2])
    export_dir = os.path.join(workdir, "export", "1")
    out = {}
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(21)
        words, ids, logits, probs = _build(tf, vocab_path)
        y = tf.placeholder(tf.int64, [None], name="y")
        loss = tf.losses.sparse_softmax_cross_entropy(y, logits)
        step = tf.train.get_or_create_global_step()
        train = tf.train.GradientDescentOptimizer(0.5).minimize(loss, global_step=step)
        tf.get_variable(
            "served",
            [],
            tf.int64,
            initializer=tf.zeros_initializer(),
            collections=[tf.GraphKeys.LOCAL_VARIABLES],
        )
        with tf.Session() as sess:
            sess.run([tf.global_variables_initializer(), tf.tables_initializer()])
            for _ in range(3):
                sess.run(train, {words: batch, y: labels})
            out["trained"] = np.round(sess.run(probs, {words: batch}), 5).tolist()
            utils = tf.saved_model.utils
            sdu = tf.saved_model.signature_def_utils
            predict = sdu.predict_signature_def({"words": words}, {"probs": probs, "ids": ids})
            classes = tf.constant([b"pos", b"neg", b"mid"])
            top = tf.nn.top_k(probs, 2)
            sc = tf.saved_model.signature_constants
            classify = sdu.build_signature_def(
                inputs={
                    tf.saved_model.signature_constants.CLASSIFY_INPUTS: utils.build_tensor_info(
                        words
                    )
                },
                outputs={
                    sc.CLASSIFY_OUTPUT_CLASSES: utils.build_tensor_info(
                        tf.gather(classes, top.indices)
                    ),
                    sc.CLASSIFY_OUTPUT_SCORES: utils.build_tensor_info(top.values),
                },
                method_name=tf.saved_model.signature_constants.CLASSIFY_METHOD_NAME,
            )
            out["valid"] = [sdu.is_valid_signature(predict), sdu.is_valid_signature(classify)]
            out["predict_sig"] = [
                predict.method_name,
                predict.inputs["words"].name,
                predict.inputs["words"].dtype,
                [d.size for d in predict.inputs["words"].tensor_shape.dim],
            ]
            builder = tf.saved_model.builder.SavedModelBuilder(export_dir)
            builder.add_meta_graph_and_variables(
                sess,
                [tf.saved_model.tag_constants.SERVING],
                signature_def_map={
                    tf.saved_model.signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY: predict,
                    "classify": classify,
                },
                assets_collection=tf.get_collection(tf.GraphKeys.ASSET_FILEPATHS),
                main_op=tf.saved_model.main_op.main_op(),
            )
            builder.add_meta_graph([tf.saved_model.tag_constants.TRAINING])
            saved_path = builder.save()
    out["saved"] = os.path.relpath(
        saved_path.decode() if isinstance(saved_path, bytes) else saved_path, workdir
    )
    out["files"] = sorted(os.listdir(export_dir))
    out["assets"] = sorted(os.listdir(os.path.join(export_dir, "assets")))
    out["is_dir"] = [
        tf.saved_model.loader.maybe_saved_model_directory(export_dir),
        tf.saved_model.contains_saved_model(workdir),
    ]
    os.remove(vocab_path)  # the loaded model must read its own asset copy

    g2 = tf.Graph()
    with g2.as_default(), tf.Session() as sess:
        meta = tf.saved_model.loader.load(sess, ["serve"], export_dir)
        sig = meta.signature_def["serving_default"]
        got = sess.run(
            {k: v.name for k, v in sig.outputs.items()}, {sig.inputs["words"].name: batch}
        )
        out["served"] = [np.round(got["probs"], 5).tolist(), got["ids"].tolist()]
        csig = meta.signature_def["classify"]
        cls = sess.run(
            [csig.outputs["classes"].name, csig.outputs["scores"].name],
            {csig.inputs["inputs"].name: batch[:1]},
        )
        out["classify"] = [[c.decode() for c in cls[0][0]], np.round(cls[1], 5).tolist()]
        out["meta"] = [
            sorted(meta.signature_def),
            list(meta.meta_info_def.tags),
            sorted(sig.outputs),
            sig.outputs["probs"].name,
        ]
        out["loaded_vars"] = sorted(v.op.name for v in tf.global_variables())
        out["local"] = sorted(v.op.name for v in tf.local_variables())
    g3 = tf.Graph()
    with g3.as_default(), tf.Session() as sess:
        meta = tf.saved_model.loader.load(sess, ["train"], export_dir, import_scope="m")
        out["scoped"] = [
            sorted(meta.signature_def),
            g3.get_tensor_by_name("m/probs:0").shape.as_list(),
            float(sess.run("m/global_step:0")),
        ]
    g4 = tf.Graph()
    with g4.as_default():
        a = tf.placeholder(tf.float32, [None, 2], name="a")
        v = tf.Variable([[1.0], [-1.0]], name="v")
        b = tf.matmul(a, v, name="b")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            simple_dir = os.path.join(workdir, "simple")
            tf.saved_model.simple_save(sess, simple_dir, {"a": a}, {"b": b})
    with tf.Graph().as_default(), tf.Session() as sess:
        meta = tf.saved_model.loader.load(sess, [tf.saved_model.SERVING], simple_dir)
        sig = meta.signature_def["serving_default"]
        out["simple"] = [
            sig.method_name,
            sig.inputs["a"].name,
            sig.outputs["b"].name,
            sess.run(sig.outputs["b"].name, {"a:0": [[3.0, 1.0]]}).tolist(),
        ]
    return out


EXPECTED = {
    "trained": [
        [0.5192899703979492, 0.1473200023174286, 0.33340001106262207],
        [0.24720999598503113, 0.13005000352859497, 0.6227399706840515],
    ],
    "valid": [True, True],
    "predict_sig": ["tensorflow/serving/predict", "words:0", 7, [-1, 3]],
    "saved": "export/1/saved_model.pb",
    "files": ["assets", "saved_model.pb", "variables"],
    "assets": ["vocab.txt"],
    "is_dir": [True, False],
    "served": [
        [
            [0.3259499967098236, 0.2607499957084656, 0.4133000075817108],
            [0.29565998911857605, 0.2870100140571594, 0.4173299968242645],
        ],
        [[0, 2, 4], [1, 3, 1]],
    ],
    "classify": [["mid", "pos"], [[0.4133000075817108, 0.3259499967098236]]],
    "meta": [["classify", "serving_default"], ["serve"], ["ids", "probs"], "probs:0"],
    "loaded_vars": ["cls/bias", "cls/kernel", "emb", "global_step"],
    "local": ["served"],
    "scoped": [[], [None, 3], 0.0],
    "simple": ["tensorflow/serving/predict", "a:0", "b:0", [[2.0]]],
}


def test_saved_model_builder_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)


def test_string_attrs_run_after_import(tmp_path):
    # An imported GraphDef gives string attrs as str, built ops as bytes: the kernels take both.
    records = str(tmp_path / "r.tfrecord")
    zlib = tf.python_io.TFRecordOptions(tf.python_io.TFRecordCompressionType.ZLIB)
    with tf.python_io.TFRecordWriter(records, zlib) as writer:
        writer.write(b"abc")
    fixed = tmp_path / "f.bin"
    fixed.write_bytes(b"0123456789")
    g = tf.Graph()
    with g.as_default():
        s = tf.constant(["h\u00e9llo", "ab"])
        tf.strings.length(s, unit="BYTE", name="len_b")
        tf.strings.length(s, unit="UTF8_CHAR", name="len_u")
        tf.strings.substr(s, 1, 2, unit="UTF8_CHAR", name="sub_u")
        tf.as_string(tf.constant([3.5, 2.0]), width=10, fill="0", name="fmt")
        joins = [
            tf.strings.reduce_join(s, separator="|").name,
            tf.strings.join([s, s], separator="-").name,
            tf.strings.regex_replace(s, "[a-h]", "X").name,
            tf.strings.regex_full_match(s, "a.*").name,
        ]
        tf.io.decode_csv(
            ["1;;x", "2;3;y"], [[0], [7], ["?"]], field_delim=";", na_value="", name="csv"
        )
        for reader, path in [
            (tf.TFRecordReader(options=zlib), records),
            (tf.FixedLengthRecordReader(3, header_bytes=1), str(fixed)),
        ]:
            queue = tf.FIFOQueue(2, tf.string)
            queue.enqueue([path])
            reader.read(queue)
    with tf.Graph().as_default() as g2:
        tf.import_graph_def(g.as_graph_def(), name="")
        with tf.Session() as sess:
            sess.run(["fifo_queue_enqueue", "fifo_queue_1_enqueue"])
            got = sess.run(
                ["len_b:0", "len_u:0", "sub_u:0", "fmt:0", "ReaderReadV2:1", "ReaderReadV2_1:1",
                 *joins, "csv:1"]
            )  # fmt: skip
    assert g2.get_operation_by_name("len_b").get_attr("unit") in ("BYTE", b"BYTE")
    assert [v.tolist() if hasattr(v, "tolist") else v for v in got] == [
        [6, 2], [5, 2], ["\u00e9l".encode(), b"b"], [b"003.500000", b"002.000000"],
        b"abc", b"123", "h\u00e9llo|ab".encode(), ["h\u00e9llo-h\u00e9llo".encode(), b"ab-ab"],
        ["X\u00e9llo".encode(), b"XX"], [False, True], [7, 3],
    ]  # fmt: skip


def test_sparse_signature_and_builder_errors_match_tensorflow(tmp_path):
    export = str(tmp_path / "m")
    with tf.Graph().as_default():
        sp = tf.sparse_placeholder(tf.float32, [None, 4], name="sp")
        v = tf.Variable(2.0, name="v")
        out = tf.sparse_reduce_sum(sp, axis=1) * v
        info = tf.saved_model.utils.build_tensor_info(sp)
        assert info.WhichOneof("encoding") == "coo_sparse"
        assert [
            info.coo_sparse.values_tensor_name,
            info.coo_sparse.indices_tensor_name,
            info.coo_sparse.dense_shape_tensor_name,
        ] == ["sp/values:0", "sp/indices:0", "sp/shape:0"]
        assert [d.size for d in info.tensor_shape.dim] == [-1, 4]
        sig = tf.saved_model.signature_def_utils.predict_signature_def({"sp": sp}, {"out": out})
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            builder = tf.saved_model.builder.SavedModelBuilder(export)
            with pytest.raises(AssertionError, match="has not been saved yet"):
                builder.add_meta_graph(["serve"])
            builder.add_meta_graph_and_variables(sess, ["serve"], {"serving_default": sig})
            with pytest.raises(AssertionError, match="has already been saved"):
                builder.add_meta_graph_and_variables(sess, ["x"])
            builder.save()
        with pytest.raises(AssertionError, match="already exists, and isn't empty"):
            tf.saved_model.builder.SavedModelBuilder(export)
    with tf.Graph().as_default(), tf.Session() as sess:
        with pytest.raises(RuntimeError, match="tags 'nope' could not be found in SavedModel"):
            tf.saved_model.loader.load(sess, ["nope"], export)
        with pytest.raises(OSError, match="SavedModel file does not exist at"):
            tf.saved_model.loader.load(sess, ["serve"], str(tmp_path / "missing"))
        meta = tf.saved_model.loader.load(sess, ["serve"], export)
        sig = meta.signature_def["serving_default"]
        coo = sig.inputs["sp"].coo_sparse
        got = sess.run(
            sig.outputs["out"].name,
            {
                coo.indices_tensor_name: [[0, 1], [1, 3]],
                coo.values_tensor_name: [1.5, 2.5],
                coo.dense_shape_tensor_name: [2, 4],
            },
        )
        assert got.tolist() == [3.0, 5.0]
        back = tf.saved_model.utils.get_tensor_from_tensor_info(sig.inputs["sp"])
        assert type(back).__name__ == "SparseTensor" and back.indices.name == "sp/indices:0"


def test_tensorflow_written_text_model_serves_the_same_values():
    # Written by TF 2.21 (tests/data/make_text_saved_model.py); its vocabulary is the asset copy.
    export = os.path.join(os.path.dirname(__file__), "..", "data", "graph_io", "text_saved_model")
    with tf.Graph().as_default(), tf.Session() as sess:
        meta = tf.saved_model.loader.load(sess, ["serve"], export)
        sig = meta.signature_def["serving_default"]
        got = sess.run(
            {k: v.name for k, v in sig.outputs.items()},
            {sig.inputs["lines"].name: ["The CAT sat!", "a mat"]},
        )
    assert got["out"].tolist() == [[6.0, 9.0], [21.0, 24.0]]  # TF 2.21's values
    assert got["joined"].tolist() == [b"the_cat_sat", b"a_mat_"]
