"""A TF1 text pipeline on ragged tensors, end to end: words split into a RaggedTensor, hashed
and embedded through map_flat_values, padded with to_tensor, averaged, trained a step; then the
graph exported to a GraphDef and imported again. The losses are TF 2.21's (compat.v1) for the
same program."""

from __future__ import annotations

import numpy as np

import scopeflow as tf


def test_a_ragged_text_pipeline_trains_and_round_trips_as_tf_does():
    g = tf.Graph()
    with g.as_default():
        sentences = tf.placeholder(tf.string, [None])
        words = tf.strings.split(sentences, result_type="RaggedTensor")
        ids = tf.ragged.map_flat_values(tf.strings.to_hash_bucket_fast, words, 10)
        params = tf.get_variable("emb", [10, 3], initializer=tf.ones_initializer())
        emb = tf.ragged.map_flat_values(tf.nn.embedding_lookup, params, ids)
        dense = emb.to_tensor()
        mean = tf.reduce_sum(dense, 1) / tf.cast(ids.row_lengths(), tf.float32)[:, None]
        loss = tf.reduce_sum(mean**2)
        train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
        feed = {sentences: ["a b c", "d"]}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            assert sess.run([loss, train], feed)[0] == 6.0
            np.testing.assert_allclose(sess.run(loss, feed), 4.29037, rtol=1e-5)
        graph_def = g.as_graph_def()
    ops = {n.op for n in graph_def.node}
    assert {"StringSplitV2", "RaggedTensorToTensor"} <= ops
    with tf.Graph().as_default():
        tf.import_graph_def(graph_def, name="")
        with tf.Session() as sess:
            sess.run("emb/Assign")
            padded = sess.run(dense.name, {sentences.name: ["a b c", "d"]})
    np.testing.assert_array_equal(padded[1], [[1.0] * 3, [0.0] * 3, [0.0] * 3])
    assert padded.shape == (2, 3, 3)
