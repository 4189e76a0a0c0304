"""Tests for scopeflow/framework/behavior.py: TF1's variable and control-flow switches (TF
2.21's compat.v1 answers False to both queries after ``disable_v2_behavior``)."""

from __future__ import annotations

import pytest

import scopeflow as tf


def test_queries_and_disabling_keep_tf1s():
    tf.disable_resource_variables()
    tf.disable_control_flow_v2()
    assert tf.resource_variables_enabled() is False
    assert tf.control_flow_v2_enabled() is False


@pytest.mark.parametrize(
    ("enable", "match"),
    [
        (tf.enable_resource_variables, "reference variables"),
        (tf.enable_control_flow_v2, "Switch, Merge"),
    ],
)
def test_enabling_v2_is_refused(enable, match):
    with pytest.raises(NotImplementedError, match=match):
        enable()
