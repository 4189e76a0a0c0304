"""Tests for scopeflow/testing/helpers.py: ``tf.test``'s small helpers as TF 2.21's."""

from __future__ import annotations

import os
import platform
import unittest

import pytest

import scopeflow as tf


def test_build_queries():
    assert tf.test.is_built_with_xla() is False  # as TF 2.21's CPU wheel
    machine = platform.machine().lower()
    assert tf.test.is_cpu_target_available("x86") == (machine in ("x86_64", "amd64"))
    assert tf.test.is_cpu_target_available("aarch64") == (machine in ("aarch64", "arm64"))
    with pytest.raises(AssertionError, match="Unknown CPU target: cpu"):
        tf.test.is_cpu_target_available("cpu")


def test_disable_with_predicate_skips_at_run_time():
    class Case(unittest.TestCase):
        @tf.test.disable_with_predicate(lambda: True, "not here")
        def test_skipped(self):
            raise AssertionError("ran")

        @tf.test.disable_with_predicate(lambda: False, "not here")
        def test_run(self):
            pass

    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(Case).run(result)
    assert result.skipped[0][1] == "not here" and result.testsRun == 2 and not result.failures


def test_with_eager_op_as_function_returns_the_class():
    class Case:
        pass

    assert tf.test.with_eager_op_as_function(Case) is Case
    assert tf.test.with_eager_op_as_function(only_as_function=True)(Case) is Case


class _Base:
    @staticmethod
    def which():
        return "base"

    def name(self):
        return "base"


class _Child(_Base):
    pass


def test_stub_out_for_testing_restores_what_it_replaced():
    stubs = tf.test.StubOutForTesting()
    stubs.Set(os.path, "exists", lambda path: True)
    stubs.Set(_Base, "which", lambda: "stub")
    child = _Child()
    stubs.SmartSet(child, "name", lambda self: "smart")
    assert (os.path.exists("/no/such/file"), _Base.which(), child.name()) == (True, "stub", "smart")
    assert "name" in _Child.__dict__  # set on the object's class, as TF's
    stubs.CleanUp()
    assert (os.path.exists("/no/such/file"), _Base.which(), child.name()) == (False, "base", "base")
    assert isinstance(_Base.__dict__["which"], staticmethod)
    with pytest.raises(AttributeError, match="Attribute not found"):
        stubs.SmartSet(child, "missing", 1)


def test_sync_devices_is_eager_only_as_in_tf():
    with pytest.raises(RuntimeError, match=r"must only be called in Eager mode, outside tf.fun"):
        tf.test.experimental.sync_devices()
    assert not hasattr(tf.test, "sync_devices")
