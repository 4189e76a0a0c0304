"""Tests for scopeflow/version.py: TF1's version names, at top level and under ``tf.version``."""

from __future__ import annotations

import scopeflow as tf


def test_tf1_version_names():
    assert tf.VERSION == tf.version.VERSION == "1.15.0"
    assert tf.GIT_VERSION == tf.version.GIT_VERSION == f"scopeflow-{tf.__version__}"
    assert tf.COMPILER_VERSION == tf.version.COMPILER_VERSION
