"""The first Session keeps freed buffers in the process (glibc's mmap and trim thresholds),
unless SCOPEFLOW_KEEP_FREED_MEMORY=0 says not to."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

SCRIPT = """
import scopeflow as tf
from scopeflow.session import allocator
before = allocator.keep_freed_memory.cache_info().currsize
with tf.Session() as sess:
    print(before, allocator.keep_freed_memory(), sess.run(tf.constant(2.0) * 3))
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
