"""Tests for scopeflow/summary/default_writer.py: ``tf.summary.all_v2_summary_ops`` and
``tf.summary.initialize`` (TF 2.21's compat.v1 names over ``tf.contrib.summary``'s writers)."""

from __future__ import annotations

import pytest

import scopeflow as tf


def test_no_default_writer_as_tf(graph):
    assert tf.summary.all_v2_summary_ops() == []
    with pytest.raises(RuntimeError, match="No default tf.contrib.summary.SummaryWriter found"):
        tf.summary.initialize()


def test_ops_written_through_the_default_writer(graph, tmp_path):
    writer = tf.contrib.summary.create_file_writer(str(tmp_path))
    with writer.as_default(), tf.contrib.summary.always_record_summaries():
        written = tf.contrib.summary.scalar("loss", 0.25, step=1)
        with pytest.raises(ValueError, match="session must be passed if no default session"):
            tf.summary.initialize()
        assert tf.summary.all_v2_summary_ops() == [written]
        assert tf.contrib.summary.all_summary_ops() == [written]
        with tf.Session() as sess:
            tf.summary.initialize(session=sess)
            assert sess.run(written)
            sess.run(writer.close())
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("events.out")]


def test_get_summary_description_reads_a_tensor_summary_node_as_tf():
    node = tf.NodeDef(name="s", op="TensorSummary")
    node.attr["description"].s = b'{"typeHint": "scalar"}'
    description = tf.summary.get_summary_description(node)
    assert isinstance(description, tf.summary.SummaryDescription)
    assert description.SerializeToString() == b"\n\x06scalar"  # TF 2.21's bytes
    with pytest.raises(ValueError, match="Can't get_summary_description on Const"):
        tf.summary.get_summary_description(tf.NodeDef(name="c", op="Const"))
    node.attr["description"].s = b'{"bad": 1}'
    with pytest.raises(Exception, match='has no field named "bad"'):
        tf.summary.get_summary_description(node)
