"""``scopeflow.distribute.initialize``: two local processes train one model over their 4
CPU devices (two_process_worker.py), and the settings are checked before JAX is asked."""

from __future__ import annotations

import os
import pathlib
import socket
import subprocess
import sys

import pytest

from scopeflow import distribute

pytest.importorskip("jax")

WORKER = pathlib.Path(__file__).resolve().parent / "two_process_worker.py"
ROOT = WORKER.parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("localhost", 0))
        return s.getsockname()[1]


def test_two_processes_train_as_one():
    env = dict(
        os.environ,
        XLA_FLAGS="--xla_force_host_platform_device_count=2",
        SCOPEFLOW_COORDINATOR=f"localhost:{_free_port()}",
        SCOPEFLOW_NUM_PROCESSES="2",
        # This checkout's scopeflow, not another one installed
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    workers = [
        subprocess.Popen(
            [sys.executable, str(WORKER)],
            env=dict(env, SCOPEFLOW_PROCESS_ID=str(i)),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for i in range(2)
    ]
    outputs = []
    try:
        for worker in workers:
            outputs.append(worker.communicate(timeout=300)[0])
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
    for i, (worker, output) in enumerate(zip(workers, outputs, strict=True)):
        assert worker.returncode == 0, output[-4000:]
        assert f"process {i} of 2: 4 devices" in output
    assert outputs[0].rpartition("draws ")[2] == outputs[1].rpartition("draws ")[2]


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"SCOPEFLOW_NUM_PROCESSES": "two"}, "SCOPEFLOW_NUM_PROCESSES='two' is not an integer"),
        (
            {"SCOPEFLOW_COORDINATOR": "host0:1234"},
            "got coordinator_address='host0:1234' but not SCOPEFLOW_NUM_PROCESSES, "
            "SCOPEFLOW_PROCESS_ID",
        ),
    ],
)
def test_partial_or_bad_settings_raise(monkeypatch, environment, message):
    for name in distribute.hosts.ENVIRONMENT.values():
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=message):
        distribute.initialize()


def test_arguments_win_over_the_environment(monkeypatch):
    monkeypatch.setenv("SCOPEFLOW_PROCESS_ID", "oops")
    with pytest.raises(ValueError, match="got process_id=1 but not SCOPEFLOW_COORDINATOR"):
        distribute.initialize(process_id=1)
