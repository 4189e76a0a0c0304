"""Training loops run the TF1 "production" way, recorded so that scopeflow's run can be
compared with TensorFlow's: hook calls in order, log lines (times masked), checkpoint files.

Each scenario takes the ``tf`` module and a fresh directory and returns JSON-able data.
``tests/data/monitored_session_tf.json`` holds TensorFlow 2.21's results, made by

    /tmp/tfref/bin/python tests/train/monitored_scenarios.py > \
        tests/data/monitored_session_tf.json

and tests/train/test_monitored_session.py runs the same scenarios on scopeflow.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import sys
import tempfile

# TensorFlow reads the global step in the same run as the train op that increments it, so
# whether the step counter sees it move is a race there; that warning is tested on its own.
_RACY = "It seems that global step"


class _Lines(logging.Handler):
    def __init__(self):
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record):
        line = f"{record.levelname}:{record.getMessage()}"
        line = re.sub(r"\(\d+\.\d+ sec\)", "(<secs> sec)", line)
        line = re.sub(r"global_step/sec: [\d.e+-]+", "global_step/sec: <rate>", line)
        if _RACY not in line and not line.startswith("WARNING:From "):  # TF's deprecations
            self.lines.append(line)


@contextlib.contextmanager
def _logged():
    logger = logging.getLogger("tensorflow")
    handler, level, propagate = _Lines(), logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        yield handler.lines
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate


def _files(directory: str) -> list[str]:
    names = ("model.", "checkpoint", "graph.pbtxt")
    return sorted(f for f in os.listdir(directory) if f.startswith(names))


def _build(tf):
    """A linear model trained by gradient descent, with its global step."""
    step = tf.train.get_or_create_global_step()
    x = tf.constant([[1.0, 2.0]])
    w = tf.get_variable("w", [2, 1], initializer=tf.ones_initializer())
    loss = tf.reduce_sum(tf.square(tf.matmul(x, w) - 1.0), name="loss")
    train_op = tf.train.GradientDescentOptimizer(0.01).minimize(loss, global_step=step)
    return step, w, loss, train_op


def production_loop(tf, directory: str) -> dict:
    """Trains to step 7 saving every 5 steps, then a second process resumes to step 12."""
    result: dict = {"logs": [], "files": [], "w": []}
    for last_step in (7, 12):
        with tf.Graph().as_default(), _logged() as lines:
            step, w, loss, train_op = _build(tf)
            hooks = [
                tf.train.StopAtStepHook(last_step=last_step),
                tf.train.LoggingTensorHook({"loss": loss}, every_n_iter=3),
            ]
            with tf.train.MonitoredTrainingSession(
                checkpoint_dir=directory,
                hooks=hooks,
                save_checkpoint_steps=5,
                save_summaries_steps=None,
                log_step_count_steps=4,
            ) as sess:
                while not sess.should_stop():
                    sess.run(train_op)
        result["logs"].append([line.replace(directory, "<dir>") for line in lines])
        result["files"].append(_files(directory))
        reader = tf.train.load_checkpoint(directory)
        result["w"].append(reader.get_tensor("w").ravel().tolist())
    return result


def hook_order(tf, directory: str) -> dict:
    """What each hook and checkpoint listener is called with, in order, over 10 steps."""
    events: list = []

    class Recorder(tf.train.SessionRunHook):
        def __init__(self, name, fetch=None):
            self.name, self.fetch = name, fetch

        def begin(self):
            events.append([self.name, "begin"])

        def after_create_session(self, session, coord):
            events.append([self.name, "after_create_session"])

        def before_run(self, run_context):
            events.append([self.name, "before_run"])
            return None if self.fetch is None else tf.train.SessionRunArgs(self.fetch)

        def after_run(self, run_context, run_values):
            results = run_values.results
            events.append([self.name, "after_run", None if results is None else float(results)])

        def end(self, session):
            events.append([self.name, "end"])

    class Listener(tf.train.CheckpointSaverListener):
        def begin(self):
            events.append(["listener", "begin"])

        def before_save(self, session, global_step_value):
            events.append(["listener", "before_save", int(global_step_value)])

        def after_save(self, session, global_step_value):
            events.append(["listener", "after_save", int(global_step_value)])

        def end(self, session, global_step_value):
            events.append(["listener", "end", int(global_step_value)])

    with tf.Graph().as_default():
        step = tf.train.get_or_create_global_step()
        increment = tf.assign_add(step, 1)
        constant = tf.constant(2.5)
        hooks = [
            Recorder("a", constant),
            tf.train.CheckpointSaverHook(directory, save_steps=3, listeners=[Listener()]),
            Recorder("b"),
        ]
        with tf.train.MonitoredTrainingSession(
            hooks=hooks,
            chief_only_hooks=[Recorder("chief")],
            save_summaries_steps=None,
            save_checkpoint_secs=None,
        ) as sess:
            for _ in range(10):
                sess.run(increment)
    return {"events": events, "files": _files(directory)}


def step_counter(tf, directory: str) -> dict:
    """The steps at which StepCounterHook logs and LoggingTensorHook (every 4) logs."""
    with tf.Graph().as_default(), _logged() as lines:
        step = tf.train.get_or_create_global_step()
        increment = tf.assign_add(step, 1)
        tf.constant(7, name="count")
        hooks = [
            tf.train.StepCounterHook(every_n_steps=3),
            tf.train.LoggingTensorHook(["count"], every_n_iter=4, at_end=True),
            tf.train.StopAtStepHook(num_steps=10),
        ]
        with tf.train.MonitoredSession(hooks=hooks) as sess:
            runs = 0
            while not sess.should_stop():
                sess.run(increment)
                runs += 1
                lines.append(f"ran {runs}")
    return {"logs": lines}


def _event(event) -> list:
    """``[step, what]`` of an events-file record, what being its kind and, for summaries,
    the tags; for session logs, the status and checkpoint file name."""
    kind = event.WhichOneof("what")
    if kind == "summary":
        return [event.step, kind, sorted(v.tag for v in event.summary.value)]
    if kind == "session_log":
        path = os.path.basename(event.session_log.checkpoint_path)
        return [event.step, kind, event.session_log.status, path]
    return [event.step, kind]


def summaries(tf, directory: str) -> dict:
    """MonitoredTrainingSession's events file: the graph, START, checkpoints, the summaries
    each step and the step rate every 4 steps, for 6 steps. (Summaries every n > 1 steps fire
    at steps that depend, in TensorFlow, on whether the step's read of the global step ran
    before or after the train op's increment: a race.)"""
    with tf.Graph().as_default():
        step, w, loss, train_op = _build(tf)
        tf.summary.scalar("loss", loss)
        tf.summary.histogram("w", w)
        with tf.train.MonitoredTrainingSession(
            checkpoint_dir=directory,
            hooks=[tf.train.StopAtStepHook(last_step=6)],
            save_checkpoint_steps=5,
            save_summaries_steps=1,
            log_step_count_steps=4,
        ) as sess:
            while not sess.should_stop():
                sess.run(train_op)
    tf.summary.FileWriterCache.clear()
    files = [f for f in os.listdir(directory) if f.startswith("events.out.tfevents.")]
    events = [_event(e) for e in tf.train.summary_iterator(os.path.join(directory, files[0]))]
    return {"files": len(files), "events": events}


SCENARIOS = {
    "production_loop": production_loop,
    "hook_order": hook_order,
    "step_counter": step_counter,
    "summaries": summaries,
}


def run_all(tf) -> dict:
    results = {}
    for name, scenario in SCENARIOS.items():
        with tempfile.TemporaryDirectory() as directory:
            results[name] = scenario(tf, directory)
    return results


if __name__ == "__main__":
    import tensorflow.compat.v1 as tf_v1

    tf_v1.disable_v2_behavior()
    json.dump(run_all(tf_v1), sys.stdout, indent=1)
    sys.stdout.write("\n")
