"""MonitoredTrainingSession's checkpoint directories shared with TensorFlow itself: each
resumes the other's training, and TensorFlow imports the ``.meta`` scopeflow's hook wrote;
the recorded TensorFlow loops (tests/data/monitored_session_tf.json) are what TensorFlow does
now.

Runs only when ``SCOPEFLOW_TF_PYTHON`` names a Python interpreter with TensorFlow installed
(``SCOPEFLOW_TF_PYTHON=/path/to/tf-venv/bin/python pytest tests/reference``); TensorFlow runs
in that interpreter, never in this process.
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import textwrap

import pytest

import scopeflow as tf

TF_PYTHON = os.environ.get("SCOPEFLOW_TF_PYTHON")
ROOT = pathlib.Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    not TF_PYTHON, reason="set SCOPEFLOW_TF_PYTHON to a Python with TensorFlow to compare"
)

# The same model in both libraries: ``tf`` is whichever is running.
MODEL = """
step = tf.train.get_or_create_global_step()
w = tf.get_variable("w", initializer=0.0)
train_op = tf.group(tf.assign_add(w, 1.0), tf.assign_add(step, 1), name="train")
"""

LOOP = """
with tf.train.MonitoredTrainingSession(
    checkpoint_dir=directory, hooks=[tf.train.StopAtStepHook(last_step=last_step)]
) as sess:
    first = [int(v) for v in sess.run([step, w])]
    while not sess.should_stop():
        sess.run(train_op)
"""


def _run_tf(script: str, directory: str, last_step: int = 0):
    prelude = textwrap.dedent(
        f"""
        import json, os
        os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
        import tensorflow.compat.v1 as tf
        tf.disable_v2_behavior()
        directory, last_step = {directory!r}, {last_step}
        """
    )
    done = subprocess.run(
        [TF_PYTHON, "-c", prelude + textwrap.dedent(script)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _run_here(directory: str, last_step: int) -> list[int]:
    namespace = {"tf": tf, "directory": directory, "last_step": last_step}
    with tf.Graph().as_default():
        exec(MODEL + LOOP, namespace)
    tf.summary.FileWriterCache.clear()
    return namespace["first"]


def test_tensorflow_resumes_our_training_and_imports_our_meta_graph(tmp_path):
    assert _run_here(str(tmp_path), 3) == [0, 0]
    script = (
        MODEL
        + LOOP
        + """
latest = tf.train.latest_checkpoint(directory)
tf.reset_default_graph()
saver = tf.train.import_meta_graph(latest + ".meta")
with tf.Session() as sess:
    saver.restore(sess, latest)
    sess.run("train")
    print(json.dumps([first, os.path.basename(latest), float(sess.run("w:0"))]))
"""
    )
    assert _run_tf(script, str(tmp_path), 5) == [[3, 3], "model.ckpt-5", 6.0]


def test_we_resume_tensorflows_training(tmp_path):
    script = MODEL + LOOP + "\nprint(json.dumps(first))"
    assert _run_tf(script, str(tmp_path), 4) == [0, 0]
    assert _run_here(str(tmp_path), 6) == [4, 4]
    assert tf.train.load_variable(str(tmp_path), "w") == 6.0


def test_the_recorded_tensorflow_loops_are_current():
    done = subprocess.run(
        [TF_PYTHON, str(ROOT / "tests" / "train" / "monitored_scenarios.py")],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    recorded = json.loads((ROOT / "tests" / "data" / "monitored_session_tf.json").read_text())
    assert json.loads(done.stdout) == recorded
