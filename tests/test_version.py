"""Tests for scopeflow/version.py: TF1's version names, at top level and under ``tf.version``."""

from __future__ import annotations

import scopeflow as tf


def test_tf1_version_names():
    assert tf.VERSION == tf.version.VERSION == "1.15.0"
    assert tf.GIT_VERSION == tf.version.GIT_VERSION == f"scopeflow-{tf.__version__}"
    assert tf.COMPILER_VERSION == tf.version.COMPILER_VERSION


def test_graph_def_version_is_the_producer_written_into_graph_defs():
    from scopeflow.graph_io.export import PRODUCER

    assert tf.GRAPH_DEF_VERSION == tf.version.GRAPH_DEF_VERSION == PRODUCER == 2474
    assert tf.GRAPH_DEF_VERSION_MIN_CONSUMER == tf.GRAPH_DEF_VERSION_MIN_PRODUCER == 0
    with tf.Graph().as_default() as g:
        tf.constant(1.0)
    assert g.as_graph_def().versions.producer == tf.GRAPH_DEF_VERSION
