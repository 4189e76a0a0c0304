"""Process-wide tuning done by the first Session (scopeflow/session/tuning.py): freed buffers
kept in the process (glibc's mmap and trim thresholds) unless SCOPEFLOW_KEEP_FREED_MEMORY=0,
and OpenBLAS's idle workers spinning 2^20 cycles instead of 2^28 unless the user set
OPENBLAS_THREAD_TIMEOUT, opted out, or other threads are running. Each check runs in a fresh
process."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

SCRIPT = """
import scopeflow as tf
from scopeflow.session import tuning
before = tuning.tune_process.cache_info().currsize
with tf.Session() as sess:
    print(before, tuning.tune_process().kept_freed_memory, sess.run(tf.constant(2.0) * 3))
"""


def _run(env_value):
    env = dict(os.environ)
    env.pop("SCOPEFLOW_KEEP_FREED_MEMORY", None)
    if env_value is not None:
        env["SCOPEFLOW_KEEP_FREED_MEMORY"] = env_value
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, check=True
    )
    return proc.stdout.split()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc only")
def test_first_session_tunes_malloc():
    before, tuned, value = _run(None)
    assert before == "0"  # importing scopeflow alone changes nothing
    assert value == "6.0"
    import ctypes.util

    libc = ctypes.util.find_library("c") or ""
    if "musl" not in libc:
        assert tuned == "True"


def test_environment_switch_leaves_malloc_alone():
    _, tuned, value = _run("0")
    assert (tuned, value) == ("False", "6.0")


BLAS_SCRIPT = """
import os, threading
import numpy as np
import scopeflow as tf
from scopeflow.session import tuning
if os.environ.get("START_THREAD"):
    stop = threading.Event()
    threading.Thread(target=stop.wait, daemon=True).start()
a = np.arange(300 * 300, dtype=np.float64).reshape(300, 300) / 1e4
before = a @ a
with tf.Session() as sess:
    value = sess.run(tf.matmul(a, a))
after = a @ a
print(tuning.tune_process().shortened_blas_spin, os.environ.get("OPENBLAS_THREAD_TIMEOUT"),
      np.array_equal(before, after), np.allclose(value, before))
"""


def _run_blas(**env_values):
    env = dict(os.environ)
    for name in ("OPENBLAS_THREAD_TIMEOUT", "SCOPEFLOW_KEEP_BLAS_SPIN", "START_THREAD"):
        env.pop(name, None)
    # BLAS's thread count stays as it was (its own test: test_blas_threads.py), so the
    # products before and after the restart are comparable bit for bit.
    env["SCOPEFLOW_KEEP_BLAS_THREADS"] = "1"
    env.update(env_values)
    proc = subprocess.run(
        [sys.executable, "-c", BLAS_SCRIPT], capture_output=True, text=True, env=env, check=True
    )
    return proc.stdout.split()


def _numpy_uses_openblas() -> bool:
    import numpy as np

    config = np.show_config(mode="dicts") or {}
    blas = config.get("Build Dependencies", {}).get("blas", {})
    return "openblas" in str(blas.get("name", "")).lower()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="OpenBLAS on Linux only")
def test_first_session_shortens_openblas_spin_and_blas_still_works():
    applied, timeout, same, right = _run_blas()
    assert (same, right) == ("True", "True")  # BLAS restarted cleanly: same products
    if _numpy_uses_openblas():
        assert (applied, timeout) == ("True", "20")


def test_blas_spin_is_left_alone_when_asked_or_unsafe():
    # The user's own setting wins; the opt-out and running threads leave BLAS untouched.
    assert _run_blas(OPENBLAS_THREAD_TIMEOUT="24")[:2] == ["False", "24"]
    assert _run_blas(SCOPEFLOW_KEEP_BLAS_SPIN="1")[:2] == ["False", "None"]
    assert _run_blas(START_THREAD="1")[:2] == ["False", "None"]
