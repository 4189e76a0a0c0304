"""Writes tests/data/graph_io/text_saved_model: a SavedModel TensorFlow 2.21 builds in graph
mode for tests/programs/test_saved_model_builder.py (a vocabulary table from an asset file,
regex_replace, lower, split, safe_embedding_lookup_sparse, reduce_join, decode_csv).

Run with the reference TensorFlow: TF_USE_LEGACY_KERAS=1 /tmp/tfref/bin/python
tests/data/make_text_saved_model.py
"""

import os
import shutil
import tempfile

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
d = os.path.join(os.path.dirname(os.path.abspath(__file__)), "graph_io", "text_saved_model")
shutil.rmtree(d, ignore_errors=True)
vocab = os.path.join(tempfile.mkdtemp(), "vocab.txt")
with open(vocab, "w") as f:
    f.write("the\ncat\nsat\nmat\n")
with tf.Graph().as_default():
    lines = tf.placeholder(tf.string, [None], name="lines")
    clean = tf.strings.regex_replace(tf.strings.lower(lines), "[^a-z ]", "")
    words = tf.strings.split(clean, sep=" ")
    table = tf.lookup.StaticVocabularyTable(
        tf.lookup.TextFileInitializer(
            vocab,
            tf.string,
            tf.lookup.TextFileIndex.WHOLE_LINE,
            tf.int64,
            tf.lookup.TextFileIndex.LINE_NUMBER,
        ),
        1,
    )
    ids = table.lookup(words)
    emb = tf.get_variable("emb", initializer=np.arange(10, dtype=np.float32).reshape(5, 2))
    vec = tf.nn.safe_embedding_lookup_sparse(emb, ids, combiner="mean")
    joined = tf.strings.reduce_join(
        tf.sparse.to_dense(words, default_value=""), axis=1, separator="_"
    )
    csv = tf.io.decode_csv(tf.constant(["1;2"]), [[0], [0]], field_delim=";")
    total = tf.add_n([tf.cast(c, tf.float32) for c in csv])
    out = tf.identity(vec * total, name="out")
    with tf.Session() as s:
        s.run([tf.global_variables_initializer(), tf.tables_initializer()])
        print(s.run([out, joined], {lines: ["The CAT sat!", "a mat"]}))
        b = tf.saved_model.builder.SavedModelBuilder(d)
        sig = tf.saved_model.signature_def_utils.predict_signature_def(
            {"lines": lines}, {"out": out, "joined": joined}
        )
        b.add_meta_graph_and_variables(
            s,
            ["serve"],
            {"serving_default": sig},
            main_op=tf.tables_initializer(),
            assets_collection=tf.get_collection(tf.GraphKeys.ASSET_FILEPATHS),
        )
        b.save()
shutil.rmtree(os.path.dirname(vocab))
