"""tf.logging on Python's logging: levels, the "tensorflow" logger, the counting helpers;
output compared with TensorFlow 2.21's compat.v1 for the same calls."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest

import scopeflow as tf


@pytest.fixture
def verbosity():
    old = tf.logging.get_verbosity()
    yield
    tf.logging.set_verbosity(old)


def test_levels_are_pythons():
    assert (tf.logging.DEBUG, tf.logging.INFO, tf.logging.WARN) == (10, 20, 30)
    assert (tf.logging.ERROR, tf.logging.FATAL) == (40, 50)
    assert tf.get_logger() is logging.getLogger("tensorflow")
    assert tf.logging.warn is tf.logging.warning


def test_set_verbosity_takes_numbers_and_names(verbosity):
    tf.logging.set_verbosity(tf.logging.ERROR)
    assert tf.logging.get_verbosity() == 40
    tf.logging.set_verbosity("DEBUG")
    assert tf.logging.get_verbosity() == 10


def test_records_name_the_callers_line(verbosity, caplog):
    tf.logging.set_verbosity(tf.logging.INFO)
    with caplog.at_level(logging.DEBUG, logger="tensorflow"):
        tf.logging.info("step %d", 3)
        tf.logging.debug("detail")
    first = caplog.records[0]
    assert (first.name, first.levelname, first.getMessage()) == ("tensorflow", "INFO", "step 3")
    assert first.filename == "test_tf_logging.py"
    assert first.funcName == "test_records_name_the_callers_line"
    assert caplog.records[1].levelname == "DEBUG"


def test_counting_helpers_count_per_call_site(verbosity, caplog):
    with caplog.at_level(logging.INFO, logger="tensorflow"):
        for i in range(5):
            tf.logging.log_every_n(tf.logging.INFO, "every %d", 2, i)
            tf.logging.log_first_n(tf.logging.INFO, "first %d", 2, i)
        tf.logging.log_if(tf.logging.INFO, "if %d", False, 1)
        tf.logging.log_if(tf.logging.INFO, "if %d", True, 2)
        tf.logging.vlog(tf.logging.INFO, "vlog %d", 7)
        tf.logging.TaskLevelStatusMessage("task")
    assert [r.getMessage() for r in caplog.records] == [
        "every 0", "first 0", "first 1", "every 2", "every 4", "if 2", "vlog 7", "task",
    ]  # fmt: skip
    assert caplog.records[-1].levelname == "ERROR"


SCRIPT = """
import scopeflow as tf
tf.logging.info("hidden")
tf.logging.warning("shown %d", 1)
tf.logging.set_verbosity(tf.logging.INFO)
tf.logging.info("now %s", "shown")
tf.logging.fatal("fatal")
tf.logging.error("after fatal")
"""


def test_default_output_is_tf1s():
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True)
    assert out.returncode == 0
    assert out.stderr.splitlines() == [
        "WARNING:tensorflow:shown 1",
        "INFO:tensorflow:now shown",
        "CRITICAL:tensorflow:fatal",
        "ERROR:tensorflow:after fatal",
    ]
