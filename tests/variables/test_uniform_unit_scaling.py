"""Tests for ``tf.uniform_unit_scaling_initializer`` (scopeflow/variables/initializers.py):
op names and config as TF 2.21's ``compat.v1`` builds them, values inside TF's bound
``factor * sqrt(3 / fan_in)`` and spread across it, one draw per seed."""

from __future__ import annotations

import math

import numpy as np
import pytest

import scopeflow as tf


def test_names_and_config_are_tf1s():
    with tf.Graph().as_default():
        init = tf.uniform_unit_scaling_initializer(factor=1.15, seed=3)
        assert init.get_config() == {"factor": 1.15, "seed": 3, "dtype": "float32"}
        tf.get_variable("v", [4, 3], initializer=init)
        names = [op.name for op in tf.get_default_graph().get_operations()]
    assert names == [
        "v/Initializer/random_uniform/shape",
        "v/Initializer/random_uniform/min",
        "v/Initializer/random_uniform/max",
        "v/Initializer/random_uniform/RandomUniform",
        "v/Initializer/random_uniform/sub",
        "v/Initializer/random_uniform/mul",
        "v/Initializer/random_uniform",
        "v",
        "v/Assign",
        "v/read",
    ]
    assert tf.initializers.uniform_unit_scaling is tf.uniform_unit_scaling_initializer


@pytest.mark.parametrize("shape, fan", [([400, 50], 400), ([3, 3, 16, 50], 144), ([50], 1)])
def test_values_fill_tf1s_bound(shape, fan):
    limit = 2.0 * math.sqrt(3 / fan)
    with tf.Graph().as_default():
        v = tf.get_variable(
            "v", shape, initializer=tf.uniform_unit_scaling_initializer(2.0, seed=1)
        )
        with tf.Session() as sess:
            sess.run(v.initializer)
            values = sess.run(v)
    assert np.abs(values).max() <= limit
    assert np.abs(values).max() > 0.9 * limit and values.min() < 0 < values.max()
