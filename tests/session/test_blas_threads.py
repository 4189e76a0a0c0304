"""The thread policy (scopeflow/session/tuning.py, 3.; scopeflow/ops/kernels/parallel.py):
the first Session runs BLAS on one thread and scopeflow's kernel threads share out the cores
(``intra_op_parallelism_threads``), so BLAS threads x kernel threads never exceed the
session's count; the user's BLAS variables and the opt-out leave BLAS alone; results do not
depend on the session's thread count. The process-wide checks run in fresh processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.ops.kernels import parallel
from scopeflow.session import tuning

pytest.importorskip("threadpoolctl")

SCRIPT = """
import json, os
import numpy as np
import threadpoolctl
import scopeflow as tf
from scopeflow.session import tuning

def blas():
    return [i["num_threads"] for i in threadpoolctl.threadpool_info() if i["user_api"] == "blas"]

rng = np.random.default_rng(0)
a = rng.standard_normal((256, 512)).astype(np.float32)
b = rng.standard_normal((512, 256)).astype(np.float32)
before = blas()
config = tf.ConfigProto(intra_op_parallelism_threads=int(os.environ.get("INTRA", "0")))
with tf.Session(config=config) as sess:
    product = tf.matmul(a, b)
    value, again = sess.run(product), sess.run(product)
print(json.dumps({"before": before, "after": blas(), "tuned": tuning.tune_process().blas_threads,
                  "same": bool(np.array_equal(value, again)),
                  "numpy": bool(np.array_equal(value, a @ b))}))
"""

_VARIABLES = (
    "SCOPEFLOW_KEEP_BLAS_THREADS",
    "OPENBLAS_NUM_THREADS",
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "INTRA",
)


def _run(**env_values) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in _VARIABLES}
    env.update(env_values)
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, check=True
    )
    return json.loads(proc.stdout)


@pytest.mark.parametrize("intra", ["0", "1", "2", "5"])
def test_first_session_runs_blas_on_one_thread(intra):
    got = _run(INTRA=intra)
    assert got["tuned"] == tuning.BLAS_THREADS == 1
    assert got["after"] and set(got["after"]) == {1}
    # Same bits run after run, and NumPy's own product (now on one thread) agrees.
    assert got["same"] and got["numpy"]


@pytest.mark.parametrize(
    "variable", ["OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "SCOPEFLOW_KEEP_BLAS_THREADS"]
)
def test_the_users_blas_setting_wins(variable):
    got = _run(**{variable: "2"})
    assert got["tuned"] is None
    assert got["after"] == got["before"]
    assert got["same"]


def _threads_of(intra: int) -> int:
    graph = tf.Graph()
    with graph.as_default():
        config = tf.ConfigProto(intra_op_parallelism_threads=intra)
        return tf.Session(graph=graph, config=config)._threads.count


def test_kernel_threads_times_blas_threads_stay_within_the_session_count():
    for intra in (0, 1, 2, 3, 8):
        kernel = _threads_of(intra)
        assert kernel == (intra or parallel.default_count())
        blas = tuning.tune_process().blas_threads or 1
        assert kernel * blas <= (intra or parallel.default_count())


@pytest.fixture
def handoffs(monkeypatch):
    """The spans kernels hand to pool threads while the test runs."""
    pool = parallel._shared_pool()
    handed = []

    class Recording:
        def submit(self, fn, *args):
            handed.append(threading.current_thread().name)
            return pool.submit(fn, *args)

    monkeypatch.setattr(parallel, "_shared_pool", Recording)
    return handed


def test_elementwise_ops_split_only_from_16_megabytes(handoffs):
    threads = parallel.Threads(2)
    small = np.ones((1024, 1024), np.float32)  # 4 MB: one thread is faster
    np.testing.assert_array_equal(threads.split_ufunc(np.add, small, small), small + small)
    assert threads.elementwise_spans(1024, small.nbytes) == [(0, 1024)]
    assert handoffs == []
    large = np.ones((4096, 1024), np.float32)  # 16 MB
    np.testing.assert_array_equal(threads.split_ufunc(np.add, large, large), large + large)
    assert len(handoffs) == 1


def test_matmul_and_conv_step_values_do_not_depend_on_the_thread_count():
    rng = np.random.default_rng(3)
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float32, [None, 16, 16, 8])
        w = tf.constant(rng.standard_normal((3, 3, 8, 16)).astype(np.float32))
        v = tf.constant(rng.standard_normal((16 * 16 * 16, 64)).astype(np.float32))
        h = tf.nn.relu(tf.nn.conv2d(x, w, 1, "SAME"))
        y = tf.matmul(tf.reshape(h, [-1, 16 * 16 * 16]), v)
        fetches = [y, *tf.gradients(tf.reduce_sum(y * y), [x, w, v])]
    data = rng.standard_normal((64, 16, 16, 8)).astype(np.float32)
    results = []
    for intra in (1, 2, 0, 2):
        config = tf.ConfigProto(intra_op_parallelism_threads=intra)
        with tf.Session(graph=graph, config=config) as sess:
            results.append(sess.run(fetches, {x: data}))
    for other in results[1:]:
        for a, b in zip(results[0], other, strict=True):
            np.testing.assert_array_equal(a, b)
