"""``tf.train.Saver`` on a finalized graph as TF 2.21 (checked in the reference TF): TF's Saver
adds its save/restore ops to the variables' graph, so building one there is TF's
``RuntimeError``; a deferred build, a ``saver_def`` or nothing to save adds nothing."""

from __future__ import annotations

import pytest

import scopeflow as tf

FINALIZED = "^Graph is finalized and cannot be modified."


def test_saver_of_a_finalized_graph_raises_runtime_error(graph):
    v = tf.Variable(1.0, name="v")
    graph.finalize()
    with pytest.raises(RuntimeError, match=FINALIZED):
        tf.train.Saver()
    with pytest.raises(RuntimeError, match=FINALIZED):
        tf.train.Saver([v])
    saver = tf.train.Saver(defer_build=True)
    with pytest.raises(RuntimeError, match=FINALIZED):
        saver.build()


def test_the_variables_graph_decides_not_the_default_graph():
    other = tf.Graph()
    with other.as_default():
        v = tf.Variable(1.0, name="v")
    other.finalize()
    with tf.Graph().as_default():
        with pytest.raises(RuntimeError, match=FINALIZED):
            tf.train.Saver([v])


def test_savers_that_add_no_ops_work_on_a_finalized_graph(graph):
    tf.Variable(1.0, name="v")
    saver_def = tf.train.Saver().as_saver_def()
    graph.finalize()
    assert tf.train.Saver(saver_def=saver_def).as_saver_def().max_to_keep == 5
    with tf.Graph().as_default() as empty:
        empty.finalize()
        tf.train.Saver(allow_empty=True)
        with pytest.raises(ValueError, match="No variables to save"):  # checked first, as TF
            tf.train.Saver()
