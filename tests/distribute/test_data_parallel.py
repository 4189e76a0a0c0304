"""``scopeflow.distribute.data_parallel``: the 8-device checks (eight_devices_checks.py) run
in a subprocess, since JAX reads its device count once; the checks that need no devices run
here."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

import pytest

import scopeflow as tf
from scopeflow import distribute

pytest.importorskip("jax")

HERE = pathlib.Path(__file__).resolve().parent


def test_eight_cpu_devices():
    env = dict(os.environ, XLA_FLAGS="--xla_force_host_platform_device_count=8")
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider"]
    done = subprocess.run(
        [*command, str(HERE / "eight_devices_checks.py")],
        env=env,
        cwd=HERE.parents[1],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-3000:]
    assert "11 passed" in done.stdout


def test_import_does_not_import_jax():
    code = "import sys, scopeflow.distribute; assert 'jax' not in sys.modules, 'jax imported'"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_numpy_session_is_refused():
    with tf.Graph().as_default(), tf.Session(executor="numpy") as sess:
        with pytest.raises(ValueError, match="runs the NumPy executor.*executor='jax'"):
            distribute.data_parallel(sess)


def test_bad_rules_are_refused_before_anything_runs():
    with tf.Graph().as_default():
        tf.get_variable("w", [3, 4])
        sess = tf.Session(executor="jax")
        with pytest.raises(TypeError, match="sharding rule 'w': expected a tuple"):
            distribute.data_parallel(sess, rules={"w": 3})
        with pytest.raises(ValueError, match="variable 'w' has shape \\[3, 4\\], 2 dimensions"):
            distribute.data_parallel(sess, rules={"w": (None, None, "data")})
        with pytest.raises(ValueError, match="sharding rule 'v' -> \\(None,\\) matches no var"):
            distribute.data_parallel(sess, rules={"v": (None,)})
        assert sess._jax.placement is None
