"""Tests for scopeflow/train/moving_averages.py: ``tf.train.ExponentialMovingAverage`` builds
TF1's shadow variables and update ops under TF1's names, computes TensorFlow's values, and its
``variables_to_restore`` loads averages through a ``Saver``.

The expected graphs and names are TensorFlow 2.21's (``tests/data/tf_reference/
moving_averages.json``, from ``moving_averages.py`` beside it); the expected values are
TensorFlow's too (``tests/data/moving_average_values.json``, by
``make_moving_average_values.py``).
"""

from __future__ import annotations

import json
import pathlib
import sys

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.train.moving_averages import assign_moving_average
from tests.ops.graph_checks import check_against, expected, setup_of, tf_reference

DATA = pathlib.Path(__file__).resolve().parents[1] / "data"
sys.path.insert(0, str(DATA))
from moving_averages_model import VARIANTS, values_after_each_step  # noqa: E402

REFERENCE = tf_reference("moving_averages")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]
VALUES = json.loads((DATA / "moving_average_values.json").read_text())


@pytest.fixture(autouse=True)
def graph():
    g = tf.Graph()
    with g.as_default():
        yield g


@pytest.fixture
def env(graph):
    names = {
        name: tf.placeholder(dtype, shape, name=name) for name, (dtype, shape) in SETUP.items()
    }
    return {"tf": tf, "np": np, **names}


@pytest.mark.parametrize("expr", list(GROUPS["APPLY"]))
def test_apply_builds_tf1s_graph(graph, env, expr):
    want = expected(GROUPS["APPLY"][expr], None)
    check_against(graph, env, expr, want)


@pytest.mark.parametrize("expr", list(GROUPS["NAMES"]))
def test_names(graph, env, expr):
    want = expected(GROUPS["NAMES"][expr], None)
    check_against(graph, env, expr, want)


@pytest.mark.parametrize("expr", list(GROUPS["ERRORS"]))
def test_errors(graph, env, expr):
    check_against(graph, env, expr, expected(GROUPS["ERRORS"][expr], None), left=None)


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_values_match_tensorflows(variant):
    np.testing.assert_allclose(values_after_each_step(tf, variant), VALUES[variant], rtol=1e-6)


def test_restoring_the_averages_into_the_variables(graph, tmp_path):
    w = tf.Variable([1.0, 2.0], name="w")
    b = tf.Variable(5.0, name="b", trainable=False)
    ema = tf.train.ExponentialMovingAverage(0.5)
    update = ema.apply([w])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(w.assign([3.0, 6.0]))
        sess.run(update)  # the average moves half way: [2, 4]
        path = tf.train.Saver().save(sess, str(tmp_path / "model"))
    assert sorted(tf.train.list_variables(path)) == [
        ("b", []),
        ("w", [2]),
        ("w/ExponentialMovingAverage", [2]),
    ]
    with tf.Graph().as_default():
        w = tf.Variable([0.0, 0.0], name="w")
        b = tf.Variable(0.0, name="b", trainable=False)
        ema = tf.train.ExponentialMovingAverage(0.5)
        saver = tf.train.Saver(ema.variables_to_restore())
        with tf.Session() as sess:
            saver.restore(sess, path)
            np.testing.assert_array_equal(sess.run(w), [2.0, 4.0])
            assert sess.run(b) == 5.0


def test_assign_moving_average_debiases_by_default(graph):
    avg = tf.Variable([0.0, 0.0], name="avg")
    update = assign_moving_average(avg, [4.0, 8.0], 0.9)
    assert update.op.name == "AssignMovingAvg"
    assert sorted(v.op.name for v in tf.global_variables()) == [
        "avg",
        "avg/biased",
        "avg/local_step",
    ]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run(update), [4.0, 8.0], rtol=1e-6)  # no pull to 0
        np.testing.assert_allclose(sess.run(update), [4.0, 8.0], rtol=1e-6)


def test_a_failed_apply_leaves_nothing_behind(graph):
    w = tf.Variable(1.0, name="w")
    unknown = tf.placeholder(tf.float32, [None])
    ema = tf.train.ExponentialMovingAverage(0.9)
    before = len(graph.get_operations())
    with pytest.raises(NotImplementedError, match="fully defined shape"):
        ema.apply([w, unknown])  # w's shadow is made before the tensor is refused
    assert len(graph.get_operations()) == before
    assert tf.moving_average_variables() == []
    assert ema.average(w) is None
    ema.apply([w])
    assert ema.average(w).name == "w/ExponentialMovingAverage:0"
