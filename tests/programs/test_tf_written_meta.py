"""A .meta and checkpoint TensorFlow 2.21 wrote (tests/data/make_tf_image_meta.py) resumed by
scopeflow from the files alone: import_meta_graph, restore, the train op, loss and metric ops
found through the collections TF stored, PNG bytes decoded in a map_fn over a string batch
(TensorArray scatter of strings), resize, standardization, conv, batch norm in training mode
with its moving-average updates, Adam, streaming accuracy: three steps give TF's losses.

The PNGs are encoded here by scopeflow from the same pixels TF encoded (the bytes may differ,
the decoded pixels do not).
"""

import json
import os

import numpy as np
import pytest

import scopeflow as tf

META = os.path.join(os.path.dirname(__file__), "..", "data", "graph_io", "tf_image_meta")
# TF 2.21's own run of the same three steps (make_tf_image_meta.py prints them).
TF_LOSSES = [1.0986123085021973, 0.9849468469619751, 0.8527392148971558]
TF_ACCURACY = 0.75


def test_tensorflow_written_meta_trains_to_its_losses():
    rng = np.random.RandomState(0)
    images = (rng.rand(4, 8, 8, 3) * 255).astype(np.uint8)
    labels = np.array([0, 1, 2, 1])
    with tf.Graph().as_default():
        pngs = tf.Session().run([tf.image.encode_png(i) for i in images])
    with tf.Graph().as_default():
        saver = tf.train.import_meta_graph(os.path.join(META, "model.ckpt.meta"))
        train, loss = tf.get_collection("train")[0], tf.get_collection("loss")[0]
        acc, acc_up = tf.get_collection("acc")[0], tf.get_collection("acc_up")[0]
        feed = {"raw:0": pngs, "y:0": labels}
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            saver.restore(sess, os.path.join(META, "model.ckpt"))
            losses = [
                float(sess.run([loss, train], {**feed, "training:0": True})[0]) for _ in range(3)
            ]
            sess.run(acc_up, feed)
            accuracy = float(sess.run(acc))
    # Adam's first steps through batch norm amplify float32 summation-order noise a little.
    assert losses == pytest.approx(TF_LOSSES, rel=5e-4)
    assert accuracy == TF_ACCURACY


def test_map_fn_over_strings_and_string_tensor_arrays():
    with tf.Graph().as_default():
        lengths = tf.map_fn(tf.strings.length, tf.constant(["a", "bb"]), dtype=tf.int32)
        doubled = tf.map_fn(lambda s: tf.strings.join([s, s]), tf.constant(["a", "bb"]))
        ta = tf.TensorArray(tf.string, 2).write(0, "x").write(1, tf.constant("yz"))
        split = tf.TensorArray(tf.string, 2).split(tf.constant(["p", "q", "r", "s"]), [2, 2])
        got = tf.Session().run([lengths, doubled, ta.stack(), split.concat()])
    assert [v.tolist() for v in got] == [  # TF 2.21's values
        [1, 2], [b"aa", b"bbbb"], [b"x", b"yz"], [b"p", b"q", b"r", b"s"],
    ]  # fmt: skip


def test_graph_with_dataset_functions_says_what_to_do_on_import():
    g = tf.Graph()
    with g.as_default():
        ds = tf.data.Dataset.range(5).map(lambda v: v * 2)
        batch = tf.data.make_one_shot_iterator(ds).get_next()
        tf.identity(tf.cast(batch, tf.float32) * 3.0, name="model")
    with tf.Graph().as_default():
        with pytest.raises(NotImplementedError, match="function library, which scopeflow"):
            tf.import_graph_def(g.as_graph_def(), name="")


LSTM_META = os.path.join(os.path.dirname(__file__), "..", "data", "graph_io", "tf_lstm_meta")
# TF 2.21's run (make_tf_lstm_meta.py prints it): [loss, global gradient norm] per step.
TF_LSTM_STEPS = [
    [0.3480645716190338, 1.1686214208602905],
    [0.31836530566215515, 1.1068956851959229],
    [0.27570274472236633, 1.0116029977798462],
]


def test_tensorflow_written_lstm_meta_trains_to_its_losses():
    # TF's sharded embedding_lookup stitches with ParallelDynamicStitch (unknown op before).
    rng = np.random.RandomState(1)
    ids = rng.randint(0, 20, (4, 5)).astype(np.int64)
    ys = rng.rand(4, 1).astype(np.float32)
    with tf.Graph().as_default():
        saver = tf.train.import_meta_graph(os.path.join(LSTM_META, "model.ckpt.meta"))
        train, loss, norm, merged = (
            tf.get_collection(k)[0] for k in ("train", "loss", "norm", "merged")
        )
        feed = {"ids:0": ids, "y:0": ys}
        with tf.Session() as sess:
            saver.restore(sess, os.path.join(LSTM_META, "model.ckpt"))
            steps = [[float(v) for v in sess.run([loss, norm, train], feed)[:2]] for _ in range(3)]
            average = sess.run("dense/bias/ExponentialMovingAverage:0")
            summary = tf.Summary.FromString(sess.run(merged, feed))
    assert np.allclose(steps, TF_LSTM_STEPS, rtol=1e-5)
    assert average.tolist() == pytest.approx([0.08805088698863983], rel=1e-5)
    assert [v.tag for v in summary.value] == ["loss", "pred"]


def test_tensorflow_written_op_sweep_imports_and_runs_to_its_values():
    # ~95 ops of a GraphDef TF 2.21 wrote (tests/data/make_tf_op_sweep.py), run after import.
    data = os.path.join(os.path.dirname(__file__), "..", "data", "graph_io")
    with open(os.path.join(data, "tf_op_sweep.pb"), "rb") as f:
        graph_def = tf.GraphDef.FromString(f.read())
    with open(os.path.join(data, "tf_op_sweep.json")) as f:
        expected = json.load(f)
    with tf.Graph().as_default():
        tf.import_graph_def(graph_def, name="")
        with tf.Session() as sess:
            got = sess.run({key: name for key, (name, _) in expected.items()})
    for key, (_, want) in expected.items():
        value = np.asarray(got[key])
        if isinstance(want, dict):
            assert [b.decode("latin-1") for b in value.ravel().tolist()] == want["bytes"], key
        else:
            np.testing.assert_allclose(
                value.astype(np.float64), want, rtol=1e-4, atol=1e-5, err_msg=key
            )
