"""Tests for scopeflow/train/session_run_hook.py: what a hook returns and receives."""

from __future__ import annotations

import scopeflow as tf


def test_session_run_args_defaults_and_fields():
    args = tf.train.SessionRunArgs({"loss": 1})
    assert args == ({"loss": 1}, None, None)
    assert (args.fetches, args.feed_dict, args.options) == ({"loss": 1}, None, None)


def test_session_run_context_records_a_stop_request():
    original = tf.train.SessionRunArgs("x:0", {"y:0": 1})
    context = tf.train.SessionRunContext(original_args=original, session="sess")
    assert context.original_args is original and context.session == "sess"
    assert not context.stop_requested
    context.request_stop()
    assert context.stop_requested


def test_the_base_hook_does_nothing():
    hook = tf.train.SessionRunHook()
    hook.begin()
    hook.after_create_session(None, None)
    assert hook.before_run(None) is None
    hook.after_run(None, tf.train.SessionRunValues(results=None, options=None, run_metadata=None))
    hook.end(None)
