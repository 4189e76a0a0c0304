"""Floating-point warnings (scopeflow/ops/kernels/quiet.py): silenced once per run on the run's
thread and the pool threads working for it, and by each kernel outside a run."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.ops.kernels import quiet
from scopeflow.ops.kernels.parallel import Threads


def test_outside_a_run_quiet_silences_numpy():
    assert not quiet.inside_run()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with quiet.quiet():
            assert np.isinf(np.float32(1.0) / np.float32(0.0))
        with pytest.raises(RuntimeWarning), np.errstate(all="warn"):
            _ = np.float32(1.0) / np.float32(0.0)


def test_a_run_marks_its_thread_and_the_pool_threads_then_restores_them():
    seen = []

    def probe(a, b):
        seen.append((quiet.inside_run(), np.geterr()["divide"]))

    with quiet.silenced():
        assert quiet.inside_run() and quiet.quiet() is quiet.quiet()  # nothing to enter
        Threads(2).run_spans(probe, [(0, 1), (1, 2), (2, 3), (3, 4)])
    assert not quiet.inside_run()
    assert seen == [(True, "ignore")] * 4


@pytest.mark.parametrize("size", [3, 1 << 23])  # one span; spans on two threads (32 MB)
def test_runs_give_inf_and_nan_without_warnings(size):
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None])
        outs = [tf.log(x), 1.0 / x, tf.cast(x * 1e38, tf.float16), tf.nn.relu(x) / x]
        values = np.full(size, -1.0, np.float32)
        values[0] = 0.0
        with tf.Session(config=tf.ConfigProto(intra_op_parallelism_threads=2)) as sess:
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                log, inverse, half, ratio = sess.run(outs, {x: values})
    assert np.isneginf(log[0]) and np.isnan(log[1])
    assert np.isinf(inverse[0]) and inverse[1] == -1
    assert np.isneginf(half[1]) and np.isnan(ratio[0])
    assert not quiet.inside_run()
