"""tf.train.Supervisor: default ops from the graph, restore from logdir, queue runners,
managed_session's stop on OutOfRangeError and re-raise of other errors."""

from __future__ import annotations

import pytest

import scopeflow as tf


def test_supervisor_runs_a_ptb_style_loop_and_saves(tmp_path):
    with tf.Graph().as_default():
        i = tf.train.range_input_producer(3, shuffle=False).dequeue()
        w = tf.get_variable("w", initializer=0.0)
        step = tf.train.get_or_create_global_step()
        train = tf.group(tf.assign_add(w, tf.cast(i, tf.float32)), tf.assign_add(step, 1))
        sv = tf.train.Supervisor(logdir=str(tmp_path), save_model_secs=0, save_summaries_secs=0)
        assert tf.get_default_graph().finalized
        with sv.managed_session() as sess:
            for _ in range(4):
                sess.run(train)
            sv.saver.save(sess, str(tmp_path / "model"), global_step=sv.global_step)
            assert not sv.should_stop()
        assert sess._closed
        assert sv.should_stop()
    assert (tmp_path / "model-4.index").exists() and (tmp_path / "graph.pbtxt").exists()
    with tf.Graph().as_default():  # a new supervisor restores from the logdir's checkpoint
        w = tf.get_variable("w", initializer=0.0)
        tf.train.get_or_create_global_step()
        sv = tf.train.Supervisor(logdir=str(tmp_path), save_model_secs=0, save_summaries_secs=0)
        with sv.managed_session() as sess:
            assert sess.run(w) == 3.0  # 0 + 1 + 2 + 0


def test_supervisor_managed_session_ends_quietly_on_out_of_range():
    with tf.Graph().as_default():
        (i,) = tf.train.slice_input_producer([tf.range(3)], num_epochs=1, shuffle=False)
        sv = tf.train.Supervisor()
        got = []
        with sv.managed_session() as sess:
            while not sv.should_stop():
                got.append(int(sess.run(i)))
    assert got == [0, 1, 2]


def test_supervisor_managed_session_re_raises_other_errors():
    with tf.Graph().as_default():
        tf.get_variable("w", initializer=0.0)
        sv = tf.train.Supervisor()
        with pytest.raises(ValueError, match="boom"), sv.managed_session():
            raise ValueError("boom")
