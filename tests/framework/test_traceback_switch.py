"""Tests for the switch in scopeflow/framework/traceback_filter.py that
``tf.debugging.enable_traceback_filtering``/``disable_traceback_filtering``/
``is_traceback_filtering_enabled`` turn: on by default, per thread, as TF 2.21's."""

from __future__ import annotations

import os
import sys
import threading
import traceback

import pytest

import scopeflow as tf
from scopeflow.framework import traceback_filter

PACKAGE = os.path.dirname(tf.__file__) + os.sep


def _library_frames(e: BaseException) -> list:
    return [f for f in traceback.extract_tb(e.__traceback__) if f.filename.startswith(PACKAGE)]


def _sharing_error() -> ValueError:
    with tf.Graph().as_default():
        tf.get_variable("w", [2])
        with pytest.raises(ValueError, match="already exists") as info:
            tf.get_variable("w", [2])
    return info.value


@pytest.mark.skipif(sys.version_info < (3, 11), reason="filtering needs Python 3.11")
def test_disabling_keeps_every_frame_in_this_thread_only(monkeypatch):
    monkeypatch.delenv(traceback_filter.ENV_VAR, raising=False)
    assert tf.debugging.is_traceback_filtering_enabled()
    assert _library_frames(_sharing_error()) == []
    tf.debugging.disable_traceback_filtering()
    try:
        assert not tf.debugging.is_traceback_filtering_enabled()
        assert _library_frames(_sharing_error()) != []
        other = []
        thread = threading.Thread(
            target=lambda: other.append(tf.debugging.is_traceback_filtering_enabled())
        )
        thread.start()
        thread.join()
        assert other == [True]  # TF's switch is per thread
    finally:
        tf.debugging.enable_traceback_filtering()
    assert tf.debugging.is_traceback_filtering_enabled()
    assert _library_frames(_sharing_error()) == []
