"""Tests for scopeflow/graph_io/__init__.py's public message classes that TF 2.21 exports at
the top level: ``tf.TensorInfo`` (what ``build_tensor_info`` returns) and
``tf.NameAttrList``, with TF's fields and text format."""

from __future__ import annotations

import scopeflow as tf


def test_tensor_info_is_what_build_tensor_info_returns(graph):
    info = tf.saved_model.utils.build_tensor_info(tf.placeholder(tf.float32, [2], name="x"))
    assert isinstance(info, tf.TensorInfo)
    assert str(tf.TensorInfo(name="x:0", dtype=1)) == 'name: "x:0"\ndtype: DT_FLOAT\n'
    assert tf.TensorInfo.FromString(info.SerializeToString()) == info


def test_name_attr_list_text_format():
    assert str(tf.NameAttrList(name="f")) == 'name: "f"\n'
