"""A process killed (SIGKILL) in the middle of ``Saver.save`` leaves the previous checkpoint
restorable and the ``checkpoint`` state file naming it.

A child process saves a first checkpoint, then starts a second save that a patched function
stops at a chosen point; the test kills it there and inspects the directory.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import scopeflow as tf

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

CHILD = textwrap.dedent(
    """
    import os, sys, time
    import numpy as np
    import scopeflow as tf
    from scopeflow.train import bundle, files

    directory, stop_at, global_step = sys.argv[1], sys.argv[2], sys.argv[3] == "step"

    def stop():
        print("STOPPED", flush=True)
        time.sleep(60)

    a = tf.Variable(np.zeros(1000, np.float32), name="a")
    b = tf.Variable(np.zeros(1000, np.float32), name="b")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        step = lambda i: i if global_step else None
        saver.save(sess, os.path.join(directory, "m"), global_step=step(1))
        sess.run([a.assign(a + 1.0), b.assign(b + 1.0)])
        if stop_at == "mid-data":  # after the first tensor's bytes are written
            encode = bundle._tensor_bytes
            calls = []
            def slow_encode(*args):
                calls.append(1)
                if len(calls) == 2:
                    stop()
                return encode(*args)
            bundle._tensor_bytes = slow_encode
        else:  # before the n-th rename: 1 data, 2 index, 3 state file
            nth = {"before-index": 2, "before-state": 3}[stop_at]
            replace = os.replace
            calls = []
            def slow_replace(src, dst):
                calls.append(dst)
                if len(calls) == nth:
                    stop()
                return replace(src, dst)
            files.os.replace = slow_replace
        saver.save(sess, os.path.join(directory, "m"), global_step=step(2))
    """
)


def _kill_mid_save(directory: str, stop_at: str, global_step: bool) -> None:
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    args = [sys.executable, "-c", CHILD, directory, stop_at, "step" if global_step else "none"]
    child = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        line = child.stdout.readline()
        assert line == b"STOPPED\n", child.stderr.read().decode()[-2000:]
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait(timeout=30)
        child.stdout.close()
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL


def _restored(prefix: str) -> dict:
    with tf.Graph().as_default():
        a = tf.Variable(np.full(1000, 7.0, np.float32), name="a")
        b = tf.Variable(np.full(1000, 7.0, np.float32), name="b")
        with tf.Session() as sess:
            tf.train.Saver().restore(sess, prefix)
            return {"a": sess.run(a), "b": sess.run(b)}


@pytest.mark.parametrize(
    "stop_at, global_step",
    [
        ("mid-data", True),
        ("mid-data", False),  # overwriting the same prefix
        ("before-index", True),
        ("before-state", True),
    ],
)
def test_killed_save_leaves_the_previous_checkpoint(tmp_path, stop_at, global_step):
    directory = str(tmp_path)
    _kill_mid_save(directory, stop_at, global_step)
    first = os.path.join(directory, "m-1" if global_step else "m")
    assert tf.train.latest_checkpoint(directory) == first
    values = _restored(first)
    np.testing.assert_array_equal(values["a"], np.zeros(1000))
    np.testing.assert_array_equal(values["b"], np.zeros(1000))
    names = os.listdir(directory)
    # the kill really happened while writing: the unfinished files are temporary ones
    assert any(".tempstate" in n for n in names)
    if stop_at != "before-state":
        assert not tf.train.checkpoint_exists(os.path.join(directory, "m-2"))
    else:  # the second checkpoint is complete; only the state file was not yet updated
        np.testing.assert_array_equal(_restored(os.path.join(directory, "m-2"))["a"], 1.0)
