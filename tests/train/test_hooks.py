"""Tests for scopeflow/train/basic_session_run_hooks.py: each stock hook fires at TF1's steps
and says TF1's words; bad arguments raise TF1's errors. (The hooks' order and logs over whole
loops are compared with TensorFlow's in test_monitored_session.py.)"""

from __future__ import annotations

import logging

import numpy as np
import pytest

import scopeflow as tf


@pytest.fixture(autouse=True)
def graph():
    g = tf.Graph()
    with g.as_default():
        yield g
    tf.summary.FileWriterCache.clear()  # the hooks' writers, one per directory


@pytest.fixture
def logs(caplog):
    caplog.set_level(logging.INFO, logger="tensorflow")
    return caplog


def _counter():
    step = tf.train.get_or_create_global_step()
    return step, tf.assign_add(step, 1)


def _train(hooks, steps=None):
    """Runs the increment until a hook stops (or ``steps`` runs); the runs made."""
    step, increment = _counter()
    runs = 0
    with tf.train.MonitoredSession(hooks=hooks) as sess:
        while not sess.should_stop() and runs != steps:
            sess.run(increment)
            runs += 1
    return runs


# -- SecondOrStepTimer ------------------------------------------------------------------------


def test_timer_needs_exactly_one_period():
    with pytest.raises(ValueError, match="Either every_secs or every_steps should be provided"):
        tf.train.SecondOrStepTimer()
    with pytest.raises(ValueError, match="Can not provide both every_secs and every_steps"):
        tf.train.SecondOrStepTimer(every_secs=1, every_steps=1)


def test_timer_by_seconds(monkeypatch):
    now = [100.0]
    monkeypatch.setattr("time.time", lambda: now[0])
    timer = tf.train.SecondOrStepTimer(every_secs=10)
    assert timer.should_trigger_for_step(1)
    assert timer.update_last_triggered_step(1) == (None, None)
    now[0] = 105.0
    assert not timer.should_trigger_for_step(2)
    now[0] = 110.0
    assert timer.should_trigger_for_step(3) and not timer.should_trigger_for_step(1)
    assert timer.update_last_triggered_step(5) == (10.0, 4)
    assert timer.last_triggered_step() == 5


# -- StopAtStepHook ---------------------------------------------------------------------------


def test_stop_at_step_counts_from_the_step_at_creation():
    assert _train([tf.train.StopAtStepHook(num_steps=4)]) == 4
    with tf.Graph().as_default():
        assert _train([tf.train.StopAtStepHook(last_step=3)]) == 3


def test_stop_at_step_arguments_and_global_step():
    with pytest.raises(ValueError, match="One of num_steps or last_step must be specified"):
        tf.train.StopAtStepHook()
    with pytest.raises(ValueError, match="Only one of num_steps or last_step can be specified"):
        tf.train.StopAtStepHook(num_steps=1, last_step=1)
    with pytest.raises(RuntimeError, match="Global step should be created to use StopAtStepHook"):
        tf.train.StopAtStepHook(num_steps=1).begin()


# -- CheckpointSaverHook ----------------------------------------------------------------------


class _Listener(tf.train.CheckpointSaverListener):
    def __init__(self, stop_at=None):
        self.saved, self.stop_at = [], stop_at

    def after_save(self, session, global_step_value):
        self.saved.append(int(global_step_value))
        return global_step_value == self.stop_at


def test_checkpoint_saver_steps_and_basename(tmp_path):
    listener = _Listener()
    hook = tf.train.CheckpointSaverHook(
        str(tmp_path), save_steps=4, checkpoint_basename="net", listeners=[listener]
    )
    _train([hook], steps=9)
    assert listener.saved == [0, 4, 8, 9]
    assert tf.train.latest_checkpoint(str(tmp_path)) == str(tmp_path / "net-9")


def test_a_listener_can_stop_the_training(tmp_path, logs):
    listener = _Listener(stop_at=2)
    hook = tf.train.CheckpointSaverHook(str(tmp_path), save_steps=2, listeners=[listener])
    assert _train([hook]) == 2
    assert "A CheckpointSaverListener requested that training be stopped." in logs.text


def test_checkpoint_saver_finds_its_saver(tmp_path):
    step, increment = _counter()
    with pytest.raises(ValueError, match="You cannot provide both saver and scaffold"):
        tf.train.CheckpointSaverHook(str(tmp_path), 1, saver=tf.train.Saver(), scaffold=1)
    hook = tf.train.CheckpointSaverHook(str(tmp_path), save_steps=1)
    with pytest.raises(RuntimeError, match="No items in collection savers"):
        hook._get_saver()
    saver = tf.train.Saver()
    tf.add_to_collection(tf.GraphKeys.SAVERS, saver)
    assert hook._get_saver() is saver


# -- StepCounterHook --------------------------------------------------------------------------


def test_step_counter_warns_when_the_global_step_does_not_move(logs):
    step = tf.train.get_or_create_global_step()
    one = tf.constant(1)
    with tf.train.MonitoredSession(hooks=[tf.train.StepCounterHook(every_n_steps=2)]) as sess:
        for _ in range(8):
            sess.run(one)
    warnings = [r for r in logs.records if "has not been increased" in r.getMessage()]
    assert len(warnings) == 5  # TF1 logs the first 5
    assert "Current value (could be stable): 0 vs previous value: 0." in warnings[0].getMessage()
    assert step.name == "global_step:0"


def test_step_counter_arguments():
    with pytest.raises(ValueError, match="exactly one of every_n_steps and every_n_secs"):
        tf.train.StepCounterHook(every_n_steps=None)
    with pytest.raises(RuntimeError, match="Global step should be created to use StepCounter"):
        tf.train.StepCounterHook().begin()


# -- LoggingTensorHook ------------------------------------------------------------------------


def test_logging_tensor_hook_lines(logs):
    step, increment = _counter()
    a = tf.constant([1.5, 0.000001], name="a")
    tf.constant(3, name="b")
    hook = tf.train.LoggingTensorHook(["b", a], every_n_iter=2, at_end=True)
    with tf.train.MonitoredSession(hooks=[hook]) as sess:
        for _ in range(3):
            sess.run(increment)
    lines = [r.getMessage() for r in logs.records if r.getMessage().startswith("b = ")]
    assert len(lines) == 3  # iterations 0 and 2, and the end
    # A tensor is its own tag, printed as TF1 prints it; suppress=True, as TF1.
    tagged = 'b = 3, Tensor("a:0", shape=(2,), dtype=float32) = [1.5      0.000001]'
    assert lines[0] == tagged
    assert lines[1].startswith(tagged + " (")
    assert lines[1].endswith(" sec)")


def test_logging_tensor_hook_arguments():
    a = tf.constant(1.0, name="a")
    with pytest.raises(ValueError, match="exactly one of every_n_iter and every_n_secs"):
        tf.train.LoggingTensorHook([a])
    with pytest.raises(ValueError, match="invalid every_n_iter=0"):
        tf.train.LoggingTensorHook([a], every_n_iter=0)
    tf.identity_n([a, a], name="pair")
    with pytest.raises(ValueError, match="Name pair is ambiguous"):
        tf.train.LoggingTensorHook(["pair"], every_n_iter=1).begin()
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="should have graph attribute"):
            tf.train.LoggingTensorHook([a], every_n_iter=1).begin()


# -- NanTensorHook, FinalOpsHook, FeedFnHook, GlobalStepWaiterHook, SummarySaverHook ---------


def test_nan_loss_fails_the_training(logs):
    loss = tf.placeholder(tf.float32, [])
    with pytest.raises(tf.train.NanLossDuringTrainingError) as info:
        with tf.train.MonitoredSession(hooks=[tf.train.NanTensorHook(loss)]) as sess:
            sess.run(loss, {loss: 1.0})
            sess.run(loss, {loss: np.nan})
    assert str(info.value) == "NaN loss during training."
    assert isinstance(info.value, RuntimeError)
    assert "Model diverged with loss = NaN." in logs.text


def test_nan_loss_can_stop_instead():
    loss = tf.placeholder(tf.float32, [])
    hook = tf.train.NanTensorHook(loss, fail_on_nan_loss=False)
    with tf.train.MonitoredSession(hooks=[hook]) as sess:
        sess.run(loss, {loss: np.nan})
        assert sess.should_stop()


def test_final_ops_run_at_the_end():
    step, increment = _counter()
    hook = tf.train.FinalOpsHook({"step": step})
    with tf.train.MonitoredSession(hooks=[hook]) as sess:
        sess.run(increment)
        sess.run(increment)
        assert hook.final_ops_values is None
    assert hook.final_ops_values == {"step": 2}


def test_feed_fn_feeds_each_run():
    x = tf.placeholder(tf.float32, [])
    values = iter([1.0, 2.0])
    with tf.train.MonitoredSession(hooks=[tf.train.FeedFnHook(lambda: {x: next(values)})]) as s:
        assert [float(s.run(x)), float(s.run(x))] == [1.0, 2.0]


def test_global_step_waiter_passes_a_reached_step():
    assert _train([tf.train.GlobalStepWaiterHook(0), tf.train.StopAtStepHook(1)]) == 1
    with tf.Graph().as_default():
        with pytest.raises(RuntimeError, match="to use _GlobalStepWaiterHook"):
            tf.train.GlobalStepWaiterHook(1).begin()


def test_summary_saver_hook_arguments():
    with pytest.raises(ValueError, match="Exactly one of scaffold or summary_op must be provided"):
        tf.train.SummarySaverHook(save_steps=1)


class _Writer:
    """Records what a hook writes."""

    def __init__(self):
        self.calls = []

    def add_summary(self, summary, global_step=None):
        if hasattr(summary, "SerializeToString"):  # a Summary proto, not a summary op's value
            summary = summary.SerializeToString()
        self.calls.append(("summary", summary, int(global_step)))

    def add_session_log(self, session_log, global_step=None):
        self.calls.append(("session_log", session_log.status, int(global_step)))

    def flush(self):
        self.calls.append(("flush",))


def test_summary_saver_writes_start_then_each_steps_summaries():
    step, increment = _counter()
    summary = tf.summary.scalar("x", tf.constant(1.5))
    writer = _Writer()
    hook = tf.train.SummarySaverHook(save_steps=1, summary_writer=writer, summary_op=summary)
    _train([hook, tf.train.StopAtStepHook(last_step=3)])
    serialized = tf.Summary(value=[tf.Summary.Value(tag="x", simple_value=1.5)])
    expected = serialized.SerializeToString()
    assert writer.calls == [
        ("session_log", tf.SessionLog.START, 1),
        ("summary", expected, 1),
        ("summary", expected, 2),
        ("summary", expected, 3),
        ("flush",),
    ]


def test_summary_saver_without_summaries_writes_only_start():
    writer = _Writer()
    scaffold = tf.train.Scaffold()
    hook = tf.train.SummarySaverHook(save_steps=1, summary_writer=writer, scaffold=scaffold)
    step, increment = _counter()
    with tf.train.MonitoredSession(
        tf.train.ChiefSessionCreator(scaffold=scaffold), hooks=[hook]
    ) as sess:
        sess.run(increment)
    assert scaffold.summary_op is None  # merge_all() of no summaries
    assert writer.calls == [("session_log", tf.SessionLog.START, 1), ("flush",)]


def test_step_counter_writes_the_rate_as_a_summary():
    writer = _Writer()
    hook = tf.train.StepCounterHook(every_n_steps=2, summary_writer=writer)
    _train([hook], steps=5)
    assert [(kind, step) for kind, _, step in writer.calls] == [("summary", 3), ("summary", 5)]
    rate = tf.Summary.FromString(writer.calls[0][1]).value[0]
    assert rate.tag == "global_step/sec" and rate.simple_value > 0


def test_profiler_hook_says_what_to_use_instead():
    with pytest.raises(NotImplementedError, match="StepCounterHook"):
        tf.train.ProfilerHook(save_steps=10, output_dir="/tmp")
