"""tf.contrib.summary: the ops, tags, steps and values TF 2.21's summary_ops_v2 (TF 1.15's
tf.contrib.summary, in graph mode) builds and writes for the same calls, recorded from the
reference TF; events files read back with tf.train.summary_iterator."""

import os

import numpy as np
import pytest

import scopeflow as tf

cs = tf.contrib.summary


def _events(logdir):
    out = []
    for name in sorted(os.listdir(logdir)):
        for event in tf.train.summary_iterator(os.path.join(logdir, name)):
            for value in event.summary.value:
                out.append((event.step, value))
    return out


def test_writes_tfs_tags_steps_and_values(graph, tmp_path):
    tf.train.get_or_create_global_step()
    writer = cs.create_file_writer(
        str(tmp_path), max_queue=3, flush_millis=1000, filename_suffix=".x", name="wr"
    )
    assert [(op.name, op.type) for op in graph.get_operations()][4:] == [
        ("SummaryWriter", "SummaryWriter"),
        ("CreateSummaryFileWriter/logdir", "Const"),
        ("CreateSummaryFileWriter/max_queue", "Const"),
        ("CreateSummaryFileWriter/flush_millis", "Const"),
        ("CreateSummaryFileWriter/filename_suffix", "Const"),
        ("CreateSummaryFileWriter", "CreateSummaryFileWriter"),
    ]
    with writer.as_default(), cs.always_record_summaries():
        with tf.name_scope("outer"):
            a = cs.scalar("loss", tf.constant(0.5), step=3)
            b = cs.scalar("acc", 0.25, family="fam")
        c = cs.histogram("h", tf.constant([1.0, 2.0, 3.0]))
        d = cs.image("img", tf.zeros([2, 2, 2, 3]), max_images=1, step=4)
        e = cs.audio("aud", tf.zeros([1, 8]), sample_rate=8000, max_outputs=1, step=4)
        f = cs.generic("gen", tf.constant([1, 2]), step=5)
    assert a.name == "outer/loss/Const_1:0" and a.dtype == tf.bool
    assert b.name == "outer/fam/acc/Const:0"
    writes = [(op.name, op.type) for op in graph.get_operations() if op.type.startswith("Write")]
    assert writes == [
        ("outer/loss", "WriteScalarSummary"),
        ("outer/fam/acc", "WriteScalarSummary"),
        ("h", "WriteHistogramSummary"),
        ("img", "WriteImageSummary"),
        ("aud", "WriteAudioSummary"),
        ("gen", "WriteSummary"),
    ]
    assert cs.all_summary_ops() == [a, b, c, d, e, f]
    assert [op.name for op in cs.summary_writer_initializer_op()] == ["CreateSummaryFileWriter"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(cs.summary_writer_initializer_op())
        assert sess.run([a, b, c, d, e, f]) == [True] * 6
        sess.run(writer.close())
    [name] = os.listdir(tmp_path)
    assert name.startswith("events.out.tfevents.") and name.endswith(".x")
    events = sorted(_events(tmp_path), key=lambda sv: sv[1].tag)
    assert [(step, v.tag) for step, v in events] == [
        (4, "aud/audio"),
        (0, "fam/outer/fam/acc"),
        (5, "gen"),
        (0, "h"),
        (4, "img/image"),
        (3, "outer/loss"),
    ]
    audio, acc, gen, histo, img, loss = (v for _, v in events)
    assert (loss.simple_value, acc.simple_value) == (0.5, 0.25)
    assert (histo.histo.num, histo.histo.sum, histo.histo.sum_squares) == (3, 6, 14)
    assert list(histo.histo.bucket) == [0, 1, 0, 1, 0, 1, 0]
    assert (img.image.height, img.image.width, img.image.colorspace) == (2, 2, 3)
    assert img.image.encoded_image_string.startswith(b"\x89PNG")
    assert (audio.audio.sample_rate, audio.audio.length_frames) == (8000, 8)
    assert audio.audio.content_type == "audio/wav"
    assert gen.tensor.tensor_content == np.array([1, 2], np.int32).tobytes()
    assert not gen.HasField("metadata")


def test_recording_contexts(graph, tmp_path):
    gs = tf.train.get_or_create_global_step()
    writer = cs.create_file_writer(str(tmp_path))
    nothing = cs.scalar("x", 1.0)
    assert nothing.type == "NoOp" and cs.all_summary_ops() == []
    with writer.as_default():
        default = cs.scalar("default", 1.0, step=1)  # contrib records only when asked
        should_default = cs.should_record_summaries()
    with writer.as_default(), cs.never_record_summaries():
        never = cs.scalar("never", 1.0, step=1)
    with writer.as_default(), cs.record_summaries_every_n_global_steps(2, gs):
        every = cs.scalar("every", 2.0)
    assert [op.type for op in graph.get_operations() if op.name.startswith("every")].count(
        "WriteScalarSummary"
    ) == 1
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(writer.init())
        assert sess.run([default, never, should_default]) == [False, False, False]
        assert sess.run(every)
        sess.run(gs.assign(1))
        assert not sess.run(every)
        sess.run(gs.assign(2))
        assert sess.run(every)
        sess.run(cs.flush(writer))
        assert [(s, v.tag, v.simple_value) for s, v in _events(tmp_path)] == [
            (0, "every", 2.0),
            (2, "every", 2.0),
        ]


def test_writer_state_errors_and_new_files(graph, tmp_path):
    writer = cs.create_file_writer(str(tmp_path))
    with writer.as_default(), cs.always_record_summaries():
        loss = cs.scalar("loss", tf.constant(0.5), step=3)
        nan = cs.histogram("nanh", tf.constant([np.nan]), step=1)
        inf = cs.histogram("infh", tf.constant([np.inf, 1.0]), family="f", step=1)
        meta = cs.generic("gm", tf.constant("hi"), metadata=b"\x12\x03abc", step=2)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.NotFoundError, match="does not exist"):
            sess.run(loss)
        sess.run(cs.summary_writer_initializer_op())
        sess.run(cs.summary_writer_initializer_op())  # a second init changes nothing
        with pytest.raises(
            tf.errors.InvalidArgumentError, match="Nan in summary histogram for: nanh"
        ):
            sess.run(nan)
        with pytest.raises(
            tf.errors.InvalidArgumentError, match="Infinity in summary histogram for: f/f/infh"
        ):
            sess.run(inf)
        sess.run(meta)
        sess.run(writer.close())
        with pytest.raises(tf.errors.NotFoundError, match="does not exist"):
            sess.run(loss)
        sess.run(writer.init())
        sess.run(loss)
    files = sorted(os.listdir(tmp_path))
    assert len(files) == 2 and all(f.endswith(".v2") for f in files)  # TF: one file per init
    tags = [(s, v.tag) for s, v in _events(tmp_path)]
    assert sorted(tags) == [(2, "gm"), (3, "loss")]
    [gm] = [v for _, v in _events(tmp_path) if v.tag == "gm"]
    assert gm.metadata.display_name == "abc" and gm.tensor.string_val == [b"hi"]


def test_noop_writer_and_helpers(graph, tmp_path):
    writer = cs.create_file_writer(None)
    with writer.as_default(), cs.always_record_summaries():
        assert cs.scalar("x", 1.0).type == "NoOp"
    assert writer.init().type == "NoOp" and writer.close().type == "NoOp"
    assert cs.flush().type == "NoOp"
    assert cs.eval_dir("/m") == "/m/eval" and cs.eval_dir("/m", "b") == "/m/eval_b"
    with pytest.raises(NotImplementedError, match="add_graph"):
        cs.graph(graph)
    with pytest.raises(RuntimeError, match="No default tf.contrib.summary.SummaryWriter"):
        cs.initialize()
    real = cs.create_summary_file_writer(str(tmp_path))
    with real.as_default(), tf.Session() as sess:
        cs.initialize(session=sess)
        sess.run(real.close())
    assert len(os.listdir(tmp_path)) == 1


def test_tpu_estimator_host_call_writes_each_step(tmp_path):
    """The TPU-era host_call pattern (TF's CPU path initializes the graph's writers after the
    session is made and flushes them at the end)."""
    summaries = tmp_path / "summaries"

    def host_call_fn(gs, loss):
        with cs.create_file_writer(str(summaries)).as_default():
            with cs.always_record_summaries():
                cs.scalar("loss", loss[0], step=gs[0])
                return cs.all_summary_ops()

    def model_fn(features, labels, mode, params):
        w = tf.get_variable("w", [], initializer=tf.constant_initializer(2.0))
        loss = tf.reduce_mean(tf.square(features * w - labels))
        gs = tf.train.get_global_step()
        train = tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=gs)
        host_call = (host_call_fn, [tf.reshape(gs, [1]), tf.reshape(loss, [1])])
        return tf.contrib.tpu.TPUEstimatorSpec(mode, loss=loss, train_op=train, host_call=host_call)

    def input_fn(params):
        data = tf.data.Dataset.from_tensor_slices(([1.0, 2.0], [3.0, 6.0]))
        return data.repeat().batch(params["batch_size"])

    config = tf.contrib.tpu.RunConfig(model_dir=str(tmp_path / "model"))
    est = tf.contrib.tpu.TPUEstimator(model_fn, config=config, use_tpu=False, train_batch_size=2)
    est.train(input_fn, max_steps=3)
    events = _events(summaries)
    # loss = 2.5 (w - 3)^2 before each step; w += 0.5 (3 - w) each step (gradient 5 (w - 3))
    assert [(v.tag, round(v.simple_value, 4)) for _, v in events] == [
        ("loss", 2.5),
        ("loss", 0.625),
        ("loss", 0.1562),
    ]
    # the step read in the training run (as in TF, before or after its increment)
    steps = [s for s, _ in events]
    assert steps in ([0, 1, 2], [1, 2, 3])
