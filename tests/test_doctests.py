"""The ``>>>`` examples in public docstrings are correct."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "scopeflow.gradients",
    "scopeflow.ops.control.cond",
    "scopeflow.session.session",
    "scopeflow.framework.device",
    "scopeflow.framework.graph",
    "scopeflow.framework.graph_api",
    "scopeflow.framework.constant",
    "scopeflow.framework.tensor",
    "scopeflow.ops.array.basic",
    "scopeflow.ops.control.grouping",
    "scopeflow.ops.math.division",
    "scopeflow.ops.math.broadcasting",
    "scopeflow.ops.math.matmul",
    "scopeflow.ops.math.reduction",
    "scopeflow.ops.math.selection",
    "scopeflow.ops.math.clip",
    "scopeflow.losses.losses_impl",
    "scopeflow.regularizers",
    "scopeflow.train.learning_rate_decay",
    "scopeflow.train.optimizer",
    "scopeflow.train.optimizers",
    "scopeflow.train.training_util",
    "scopeflow.ops.random.sampling",
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
