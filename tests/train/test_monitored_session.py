"""Tests for scopeflow/train/monitored_session.py, scaffold.py and session_manager.py: a TF1
"production" training loop runs and resumes from its checkpoint directory, hooks are called
in TF1's order, errors end a session as in TF1. The loops of tests/train/monitored_scenarios.py
are compared with TensorFlow 2.21's records (tests/data/monitored_session_tf.json).
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

import scopeflow as tf
from tests.train import monitored_scenarios

REFERENCE = json.loads(
    (pathlib.Path(__file__).parents[1] / "data" / "monitored_session_tf.json").read_text()
)


@pytest.fixture(autouse=True)
def graph():
    g = tf.Graph()
    with g.as_default():
        yield g
    tf.summary.FileWriterCache.clear()  # the hooks' writers, one per directory


# -- the production loop, against TensorFlow's records ---------------------------------------


def test_production_loop_logs_saves_and_resumes_as_tf1(tmp_path):
    ours = monitored_scenarios.production_loop(tf, str(tmp_path))
    theirs = REFERENCE["production_loop"]
    assert ours["logs"] == theirs["logs"]
    assert ours["files"] == theirs["files"]  # model.ckpt-<step>.{index,data,meta}, graph.pbtxt
    np.testing.assert_allclose(ours["w"], theirs["w"], rtol=1e-6)


def test_hook_and_listener_calls_in_tf1s_order(tmp_path):
    ours = monitored_scenarios.hook_order(tf, str(tmp_path))
    theirs = REFERENCE["hook_order"]
    assert ours["events"] == theirs["events"]
    assert ours["files"] == theirs["files"]


def test_step_counter_and_logging_fire_at_tf1s_steps(tmp_path):
    assert monitored_scenarios.step_counter(tf, str(tmp_path)) == REFERENCE["step_counter"]


def test_summaries_and_checkpoints_in_the_events_file_as_tf1(tmp_path):
    # FileWriter(logdir, graph) (the writer FileWriterCache makes) writes the GraphDef, then
    # the MetaGraphDef, as TF1's.
    ours = monitored_scenarios.summaries(tf, str(tmp_path))
    theirs = REFERENCE["summaries"]
    assert theirs["events"][1:3] == [[0, "graph_def"], [0, "meta_graph_def"]]
    assert ours == theirs


def test_tensorboard_reads_the_training_summaries(tmp_path):
    accumulator = pytest.importorskip("tensorboard.backend.event_processing.event_accumulator")
    monitored_scenarios.summaries(tf, str(tmp_path))
    events = accumulator.EventAccumulator(str(tmp_path))
    events.Reload()
    assert events.Tags()["scalars"] == ["loss_1", "global_step/sec"]
    assert events.Tags()["histograms"] == ["w_1"]
    assert events.Tags()["graph"]
    assert [e.step for e in events.Scalars("loss_1")] == [1, 2, 3, 4, 5, 6]
    losses = [e.value for e in events.Scalars("loss_1")]
    assert losses == sorted(losses, reverse=True)  # it trains


def test_training_goes_on_without_tensorboard(tmp_path, monkeypatch, caplog):
    def missing(logdir):
        raise ImportError("... pip install scopeflow[tensorboard]")

    monkeypatch.setattr(tf.summary.FileWriterCache, "get", staticmethod(missing))
    step, w, loss, train_op = monitored_scenarios._build(tf)
    tf.summary.scalar("loss", loss)
    with tf.train.MonitoredTrainingSession(
        checkpoint_dir=str(tmp_path), hooks=[tf.train.StopAtStepHook(last_step=3)]
    ) as sess:
        while not sess.should_stop():
            sess.run(train_op)
    assert tf.train.latest_checkpoint(str(tmp_path)).endswith("model.ckpt-3")
    assert "No events file is written to" in caplog.text
    assert "scopeflow[tensorboard]" in caplog.text


# -- resuming ---------------------------------------------------------------------------------


def _model():
    step = tf.train.get_or_create_global_step()
    w = tf.get_variable("w", initializer=0.0)
    train_op = tf.group(tf.assign_add(w, 1.0), tf.assign_add(step, 1))
    return step, w, train_op


def test_a_killed_loop_resumes_from_its_last_checkpoint(tmp_path):
    """A process dying mid-loop (simulated: an error ends the session, so no hook's ``end``
    saves) resumes from the last periodic checkpoint, not from scratch."""
    step, w, train_op = _model()
    with pytest.raises(KeyboardInterrupt):
        with tf.train.MonitoredTrainingSession(
            checkpoint_dir=str(tmp_path), save_checkpoint_steps=4
        ) as sess:
            while True:
                sess.run(train_op)
                if sess.run(step) == 6:
                    raise KeyboardInterrupt
    assert tf.train.latest_checkpoint(str(tmp_path)) == str(tmp_path / "model.ckpt-4")
    with tf.Graph().as_default():
        step, w, train_op = _model()
        hooks = [tf.train.StopAtStepHook(last_step=9)]
        with tf.train.MonitoredTrainingSession(checkpoint_dir=str(tmp_path), hooks=hooks) as sess:
            assert sess.run([step, w]) == [4, 4.0]
            while not sess.should_stop():
                sess.run(train_op)
        assert tf.train.latest_checkpoint(str(tmp_path)) == str(tmp_path / "model.ckpt-9")
        assert tf.train.load_variable(str(tmp_path), "w") == 9.0


def test_the_restored_saver_keeps_deleting_the_oldest_checkpoints(tmp_path):
    step, w, train_op = _model()
    saver = tf.train.Saver(max_to_keep=2)
    scaffold = tf.train.Scaffold(saver=saver)
    for last in (3, 6):
        with tf.train.MonitoredTrainingSession(
            checkpoint_dir=str(tmp_path),
            scaffold=scaffold,
            save_checkpoint_steps=1,
            hooks=[tf.train.StopAtStepHook(last_step=last)],
        ) as sess:
            while not sess.should_stop():
                sess.run(train_op)
    state = tf.train.get_checkpoint_state(str(tmp_path))
    assert [os.path.basename(p) for p in state.all_model_checkpoint_paths] == [
        "model.ckpt-5",
        "model.ckpt-6",
    ]
    assert sorted(f for f in os.listdir(tmp_path) if f.endswith(".index")) == [
        "model.ckpt-5.index",
        "model.ckpt-6.index",
    ]


def test_singular_monitored_session_restores_a_given_checkpoint(tmp_path):
    step, w, train_op = _model()
    saver = tf.train.Saver()  # before the session finalizes the graph, as TF needs
    with tf.train.SingularMonitoredSession(checkpoint_dir=str(tmp_path)) as sess:
        assert isinstance(sess.raw_session(), tf.Session)
        sess.run(train_op)
        path = saver.save(sess.raw_session(), str(tmp_path / "m"), global_step=1)
    with tf.train.SingularMonitoredSession(checkpoint_filename_with_path=path) as sess:
        assert sess.run(w) == 1.0
    assert sess.raw_session() is None


# -- Scaffold ---------------------------------------------------------------------------------


def test_scaffold_defaults_have_tf1s_names_and_collections(graph):
    tf.get_variable("w", [2])
    tf.get_variable("lv", [], collections=[tf.GraphKeys.LOCAL_VARIABLES])
    scaffold = tf.train.Scaffold().finalize()
    assert scaffold.init_op.name == "group_deps"
    assert [op.name for op in scaffold.init_op.control_inputs] == ["init", "init_1"]
    assert scaffold.ready_op.name == "concat:0"
    assert scaffold.ready_for_local_init_op.name == "concat_1:0"
    assert scaffold.local_init_op.name == "group_deps_1"
    assert [op.name for op in scaffold.local_init_op.control_inputs] == [
        "init_2",
        "init_all_tables",
        "init_3",
    ]
    assert graph.get_operation_by_name("report_uninitialized_resources/Const").type == "Const"
    assert tf.get_collection(tf.GraphKeys.INIT_OP) == [scaffold.init_op]
    assert tf.get_collection(tf.GraphKeys.READY_OP) == [scaffold.ready_op]
    assert tf.get_collection(tf.GraphKeys.SAVERS) == [scaffold.saver]
    assert scaffold.init_fn is None and scaffold.init_feed_dict is None
    assert graph.finalized
    with pytest.raises(RuntimeError, match="Graph is finalized"):
        tf.constant(1)


def test_scaffold_takes_ops_from_their_collections():
    tf.get_variable("w", [2])
    init = tf.no_op(name="my_init")
    tf.add_to_collection(tf.GraphKeys.INIT_OP, init)
    assert tf.train.Scaffold().finalize().init_op is init


def test_scaffold_refuses_two_items_in_a_collection():
    tf.add_to_collection(tf.GraphKeys.READY_OP, tf.constant(1))
    tf.add_to_collection(tf.GraphKeys.READY_OP, tf.constant(2))
    with pytest.raises(RuntimeError, match=r'More than one item in the collection "ready_op"'):
        tf.train.Scaffold().finalize()


def test_scaffold_init_fn_and_feed_dict_and_copy():
    start = tf.placeholder(tf.float32, [])
    w = tf.get_variable("w", initializer=0.0)
    v = tf.get_variable("v", initializer=0.0)
    init = tf.group(tf.assign(w, start), v.initializer)
    calls = []

    def init_fn(scaffold, sess):
        calls.append(scaffold)
        sess.run(tf.assign(v, 5.0))

    scaffold = tf.train.Scaffold(init_op=init, init_feed_dict={start: 3.0}, init_fn=init_fn)
    copy = tf.train.Scaffold(copy_from_scaffold=scaffold)
    assert copy.init_op is init and copy.init_feed_dict == {start: 3.0}
    with pytest.raises(TypeError, match="copy_from_scaffold is not a Scaffold"):
        tf.train.Scaffold(copy_from_scaffold=object())
    creator = tf.train.ChiefSessionCreator(scaffold=scaffold)
    with pytest.raises(RuntimeError, match="Graph is finalized"):
        with tf.train.MonitoredSession(session_creator=creator) as sess:
            assert sess.run(w) == 3.0
            sess.run(tf.assign(v, 1.0))  # inside the session the graph is finalized
    assert calls == [scaffold]


def test_a_model_the_init_op_leaves_uninitialized_is_refused():
    tf.get_variable("w", [1])
    scaffold = tf.train.Scaffold(init_op=tf.no_op())
    with pytest.raises(RuntimeError, match="Init operations did not make model ready.*w"):
        tf.train.MonitoredSession(tf.train.ChiefSessionCreator(scaffold=scaffold))


# -- run, should_stop, close ------------------------------------------------------------------


def test_run_after_a_stop_request_is_refused_and_close_twice_too(graph):
    step, w, train_op = _model()
    sess = tf.train.MonitoredSession(hooks=[tf.train.StopAtStepHook(num_steps=1)])
    assert sess.graph is graph and not sess.should_stop()
    sess.run(train_op)
    assert sess.should_stop()
    with pytest.raises(RuntimeError, match="Run called even after should_stop requested."):
        sess.run(train_op)
    sess.close()
    assert sess.should_stop() and sess.graph is None
    assert not graph.finalized  # it was not finalized before the session
    with pytest.raises(RuntimeError, match="Session is already closed."):
        sess.close()


def test_a_graph_finalized_before_stays_finalized(graph):
    _model()
    tf.train.Scaffold().finalize()
    tf.train.MonitoredSession().close()
    assert graph.finalized


class _Recorder(tf.train.SessionRunHook):
    def __init__(self):
        self.calls = []

    def begin(self):
        self.calls.append("begin")

    def end(self, session):
        self.calls.append("end")


def test_an_error_in_run_propagates_without_the_hooks_end():
    x = tf.placeholder(tf.float32, [])
    y = x * 2.0
    recorder = _Recorder()
    with pytest.raises(tf.errors.InvalidArgumentError, match="placeholder"):
        with tf.train.MonitoredSession(hooks=[recorder]) as sess:
            sess.run(y)
    assert recorder.calls == ["begin"]


def test_out_of_range_ends_the_loop_cleanly_with_the_hooks_end():
    x = tf.placeholder(tf.float32, [])
    y = x * 2.0
    inputs = iter([1.0, 2.0])
    seen = []

    def feed():
        try:
            return {x: next(inputs)}
        except StopIteration:
            raise tf.errors.OutOfRangeError(None, None, "End of sequence") from None

    recorder = _Recorder()
    with tf.train.MonitoredSession(hooks=[tf.train.FeedFnHook(feed), recorder]) as sess:
        while not sess.should_stop():
            seen.append(float(sess.run(y)))
    assert seen == [2.0, 4.0] and recorder.calls == ["begin", "end"]


def test_step_fn_request_stop_ends_the_loop():
    step, w, train_op = _model()

    def step_fn(step_context):
        value = step_context.run_with_hooks(train_op)
        if step_context.session.run(step) == 2:
            step_context.request_stop()
        return value

    with tf.train.MonitoredSession() as sess:
        while not sess.should_stop():
            sess.run_step_fn(step_fn)
        assert sess.run(w) == 2.0
    with pytest.raises(ValueError, match="`step_fn` may either have one `step_context`"):
        with tf.train.MonitoredSession() as sess:
            sess.run_step_fn(lambda context, extra: None)


def test_hook_feeds_conflicting_with_the_users_are_refused():
    x = tf.placeholder(tf.float32, [])
    with tf.train.MonitoredSession(hooks=[tf.train.FeedFnHook(lambda: {x: 1.0})]) as sess:
        assert sess.run(x) == 1.0
        with pytest.raises(RuntimeError, match="Same tensor is fed by a SessionRunHook and user"):
            sess.run(x, feed_dict={x: 2.0})


# -- threads and the coordinator --------------------------------------------------------------


class _ThreadHook(tf.train.SessionRunHook):
    """Starts a thread with the session's coordinator, as queue runners did."""

    def __init__(self, target):
        self._target = target

    def after_create_session(self, session, coord):
        def run():
            with coord.stop_on_exception():
                self._target(coord)

        thread = threading.Thread(target=run)
        coord.register_thread(thread)
        thread.start()


def test_a_thread_stops_the_session_through_its_coordinator():
    step, w, train_op = _model()
    started = threading.Event()

    def worker(coord):
        started.wait()
        coord.request_stop()

    with tf.train.MonitoredSession(hooks=[_ThreadHook(worker)]) as sess:
        sess.run(train_op)
        started.set()
        while not sess.should_stop():
            sess.run(train_op)


def test_a_threads_error_is_raised_by_the_session():
    def worker(coord):
        raise ValueError("input thread failed")

    one = tf.constant(1)
    with pytest.raises(ValueError, match="input thread failed"):
        with tf.train.MonitoredSession(hooks=[_ThreadHook(worker)]) as sess:
            while not sess.should_stop():
                sess.run(one)


def test_close_waits_for_the_threads_to_stop():
    stopped = []

    def worker(coord):
        coord.wait_for_stop()
        stopped.append(True)

    one = tf.constant(1)
    with tf.train.MonitoredSession(hooks=[_ThreadHook(worker)]) as sess:
        sess.run(one)
    assert stopped == [True]


# -- creators, MonitoredTrainingSession options ----------------------------------------------


def test_a_worker_waits_for_a_chief_that_is_not_in_this_process():
    tf.get_variable("w", [1])
    with pytest.raises(tf.errors.DeadlineExceededError, match="not ready after waiting 1 secs"):
        tf.train.MonitoredTrainingSession(is_chief=False, max_wait_secs=1)


def test_a_worker_with_only_local_variables_starts():
    lv = tf.get_variable("lv", initializer=3.0, collections=[tf.GraphKeys.LOCAL_VARIABLES])
    with tf.train.MonitoredSession(tf.train.WorkerSessionCreator()) as sess:
        assert sess.run(lv) == 3.0


def test_monitored_training_session_hooks_and_defaults(tmp_path):
    _model()
    chief, user = _Recorder(), _Recorder()
    sess = tf.train.MonitoredTrainingSession(
        checkpoint_dir=str(tmp_path),
        hooks=[user],
        chief_only_hooks=[chief],
    )
    kinds = [type(h).__name__ for h in sess._hooks]
    assert kinds == [
        "_Recorder",
        "StepCounterHook",
        "SummarySaverHook",
        "CheckpointSaverHook",
        "_Recorder",
    ]
    assert sess._hooks[0] is chief and sess._hooks[-1] is user
    assert sess._hooks[2]._timer._every_steps == 100  # TF1's defaults
    assert sess._hooks[3]._timer._every_secs == 600
    sess.close()
    with tf.Graph().as_default():
        tf.get_variable("lv", [], collections=[tf.GraphKeys.LOCAL_VARIABLES])
        worker = tf.train.MonitoredTrainingSession(
            is_chief=False, checkpoint_dir=str(tmp_path), hooks=[user], chief_only_hooks=[chief]
        )
        assert worker._hooks == [user]
        worker.close()


def test_without_a_checkpoint_dir_nothing_is_saved(tmp_path):
    _model()
    sess = tf.train.MonitoredTrainingSession()
    assert sess._hooks == []
    sess.close()


def test_a_master_in_another_process_is_refused():
    with pytest.raises(NotImplementedError, match="no tf.train.Server of this process"):
        tf.train.MonitoredTrainingSession(master="grpc://localhost:2")


def test_session_manager_needs_something_to_initialize_with():
    manager = tf.train.SessionManager()
    with pytest.raises(RuntimeError, match="no init_op or init_fn or local_init_op"):
        manager.prepare_session("")
    with pytest.raises(ValueError, match="must also pass a local_init_op"):
        tf.train.SessionManager(ready_for_local_init_op=tf.constant([""]))


def test_session_manager_recover_session(tmp_path):
    w = tf.get_variable("w", initializer=2.0)
    saver = tf.train.Saver()
    manager = tf.train.SessionManager(ready_op=tf.report_uninitialized_variables())
    sess, restored = manager.recover_session("", saver=saver, checkpoint_dir=str(tmp_path))
    assert not restored
    sess.run(w.initializer)
    saver.save(sess, str(tmp_path / "model.ckpt"), global_step=1)
    sess, restored = manager.recover_session("", saver=saver, checkpoint_dir=str(tmp_path))
    assert restored and sess.run(w) == 2.0


def test_a_preempted_run_is_retried_on_a_new_session(tmp_path, caplog):
    """An AbortedError or UnavailableError (a lost worker, in TF1) closes the session and
    makes a new one, restored from the checkpoint directory; the run is then retried."""
    caplog.set_level("INFO", logger="tensorflow")
    step, w, train_op = _model()
    created = []
    failures = [tf.errors.AbortedError(None, None, "worker lost")]

    class Flaky(tf.train.SessionRunHook):
        def after_create_session(self, session, coord):
            created.append(session)

        def before_run(self, run_context):
            if failures and run_context.session.run(step) == 2:
                raise failures.pop()

    hooks = [Flaky(), tf.train.StopAtStepHook(last_step=4)]
    with tf.train.MonitoredTrainingSession(
        checkpoint_dir=str(tmp_path), hooks=hooks, save_checkpoint_steps=1
    ) as sess:
        while not sess.should_stop():
            sess.run(train_op)
    assert tf.train.load_variable(str(tmp_path), "w") == 4.0  # no step lost, none repeated
    assert len(created) == 2 and created[0] is not created[1]
    assert "worker lost" in caplog.text


_KILLED_SCRIPT = """
import sys
import scopeflow as tf

step = tf.train.get_or_create_global_step()
w = tf.get_variable("w", initializer=0.0)
train_op = tf.group(tf.assign_add(w, 1.0), tf.assign_add(step, 1))
with tf.train.MonitoredTrainingSession(checkpoint_dir=sys.argv[1], save_checkpoint_steps=20,
                                       save_summaries_steps=None) as sess:
    while not sess.should_stop():
        sess.run(train_op)
"""


def test_a_process_killed_mid_training_resumes_from_its_checkpoint(tmp_path):
    """SIGKILL, at whatever point of a step or a save: the checkpoint directory still names a
    whole checkpoint, and the next run restores it."""
    process = subprocess.Popen([sys.executable, "-c", _KILLED_SCRIPT, str(tmp_path)])
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            latest = tf.train.latest_checkpoint(str(tmp_path))
            if latest and int(latest.rsplit("-", 1)[1]) >= 60:
                break
            time.sleep(0.05)
    finally:
        process.kill()
        process.wait()
    latest = tf.train.latest_checkpoint(str(tmp_path))
    saved = int(latest.rsplit("-", 1)[1])
    assert saved >= 60 and saved % 20 == 0
    step, w, train_op = _model()
    hooks = [tf.train.StopAtStepHook(num_steps=5)]
    with tf.train.MonitoredTrainingSession(checkpoint_dir=str(tmp_path), hooks=hooks) as sess:
        restored = tf.train.latest_checkpoint(str(tmp_path))
        first = sess.run([step, w])
        while not sess.should_stop():
            sess.run(train_op)
    restored_step = int(restored.rsplit("-", 1)[1])
    assert restored_step >= saved and first == [restored_step, float(restored_step)]
    assert tf.train.load_variable(str(tmp_path), "w") == restored_step + 5


def test_the_meta_graph_a_checkpoint_hook_wrote_restores_and_trains(tmp_path):
    step, w, train_op = _model()
    hooks = [tf.train.StopAtStepHook(last_step=3)]
    with tf.train.MonitoredTrainingSession(checkpoint_dir=str(tmp_path), hooks=hooks) as sess:
        while not sess.should_stop():
            sess.run(train_op)
    latest = tf.train.latest_checkpoint(str(tmp_path))
    with tf.Graph().as_default():
        saver = tf.train.import_meta_graph(latest + ".meta")
        with tf.Session() as sess:
            saver.restore(sess, latest)
            sess.run(train_op.name)
            assert (sess.run("w:0"), sess.run("global_step:0")) == (4.0, 4)
