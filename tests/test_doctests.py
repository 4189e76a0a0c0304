"""The ``>>>`` examples in public docstrings are correct."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "scopeflow.gradients",
    "scopeflow.ops.cond",
    "scopeflow.session.session",
    "scopeflow.framework.device",
    "scopeflow.framework.graph",
    "scopeflow.framework.graph_api",
    "scopeflow.framework.constant",
    "scopeflow.framework.tensor",
    "scopeflow.ops.array_ops",
    "scopeflow.ops.control_flow_ops",
    "scopeflow.ops.math_ops",
    "scopeflow.ops.broadcasting",
    "scopeflow.ops.matmul_ops",
    "scopeflow.ops.reduction_ops",
    "scopeflow.ops.selection_ops",
    "scopeflow.ops.clip_ops",
    "scopeflow.losses.losses_impl",
    "scopeflow.regularizers",
    "scopeflow.train.learning_rate_decay",
    "scopeflow.train.optimizer",
    "scopeflow.train.optimizers",
    "scopeflow.train.training_util",
    "scopeflow.ops.random_ops",
    "scopeflow.tools.variable_table",
    "scopeflow.variables.template",
    "scopeflow.variables.variables",
    "scopeflow.variables.variable_scope",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0
    assert result.failed == 0
