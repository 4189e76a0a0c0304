"""Tests for scopeflow/framework/sentinels.py."""

from __future__ import annotations

from scopeflow.framework import sentinels
from scopeflow.ops.control import cond
from scopeflow.session import numpy_executor


def test_dead_is_one_framework_value_shared_by_cond_and_the_executor():
    assert cond.DEAD is numpy_executor.DEAD is sentinels.DEAD
    assert repr(sentinels.DEAD) == "<dead>"
