"""scopeflow/ops/kernels/spin.py: the kernel threads' pool and events, with and without
watching before sleeping."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

from scopeflow.ops.kernels import spin


@pytest.fixture(params=[0.0, 300.0], ids=["sleep", "watch"])
def spin_us(request, monkeypatch):
    monkeypatch.setattr(spin, "SPIN_US", request.param)
    monkeypatch.setattr(spin, "_load", [time.monotonic() + 3600, True])  # as on a quiet machine
    return request.param


def test_pool_runs_calls_and_returns_their_results(spin_us):
    pool = spin.Pool(2, "test-spin")
    tasks = [pool.submit(pow, k, 2) for k in range(50)]
    assert [t.result() for t in tasks] == [k * k for k in range(50)]
    assert len(pool._threads) <= 2


def test_pool_threads_are_named_daemons(spin_us):
    pool = spin.Pool(3, "test-spin-names")
    names = [pool.submit(lambda: threading.current_thread()).result() for _ in range(3)]
    assert all(t.daemon and t.name.startswith("test-spin-names_") for t in names)


def test_a_failure_is_raised_by_result_and_the_pool_goes_on(spin_us):
    pool = spin.Pool(1, "test-spin-fail")
    failed = pool.submit(int, "not a number")
    with pytest.raises(ValueError, match="invalid literal"):
        failed.result()
    assert pool.submit(int, "7").result() == 7


def test_an_idle_thread_wakes_for_new_work(spin_us):
    pool = spin.Pool(1, "test-spin-idle")
    assert pool.submit(abs, -1).result() == 1
    time.sleep(0.01)  # past the watching: the thread sleeps
    assert pool.submit(abs, -2).result() == 2


def test_event_wait_returns_once_set_from_another_thread(spin_us):
    event = spin.Event()
    assert not event.is_set()
    threading.Timer(0.002, event.set).start()
    event.wait()
    assert event.is_set()


def test_watching_ends_when_the_flag_changes():
    if spin._watcher() is None:
        pytest.skip("numba cannot compile the watcher here")
    fn, per_us = spin._watcher()
    flag = np.zeros(1, np.int64)
    assert not fn(flag, 0, 100)  # unchanged: gives up after its iterations
    assert fn(flag, 1, 10**9)  # already different: returns at once
    threading.Timer(0.005, lambda: flag.__setitem__(0, 5)).start()
    start = time.perf_counter()
    assert fn(flag, 0, int(per_us * 5e6))  # would watch 5 s: the change ends it
    assert time.perf_counter() - start < 2.0


def test_a_loaded_machine_does_not_watch(monkeypatch):
    monkeypatch.setattr(spin, "SPIN_US", 10**7)  # 10 s, were it to watch
    monkeypatch.setattr(spin, "_load", [time.monotonic() + 3600, False])
    start = time.perf_counter()
    spin.watch(np.zeros(1, np.int64), 0)
    assert time.perf_counter() - start < 1.0


def test_blas_that_numba_loads_gets_numpys_thread_count():
    script = (
        "import numpy, threadpoolctl\n"
        "threadpoolctl.threadpool_limits(1, user_api='blas')\n"
        "import scipy.linalg  # SciPy's own OpenBLAS, as numba's first compilation loads it\n"
        "from scopeflow.ops.kernels import spin\n"
        "spin._match_blas_threads()\n"
        "print(sorted({i['num_threads'] for i in threadpoolctl.threadpool_info()"
        " if i['user_api'] == 'blas'}))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[1]"
