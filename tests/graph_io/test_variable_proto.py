"""``Variable.to_proto(export_scope)`` and ``Variable.from_proto(variable_def, import_scope)``:
the ``VariableDef`` texts below are TF 2.21's (tf.compat.v1, graph mode) for the same graphs."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import scopeflow as tf

W_DEF = (
    'variable_name: "outer/w:0"\ninitializer_name: "outer/w/Assign"\n'
    'snapshot_name: "outer/w/read:0"\ninitial_value_name: "outer/w/Initializer/ones:0"\n'
    "trainable: true\n"
)
R_DEF_SCOPED = (
    'variable_name: "r:0"\ninitializer_name: "r/Assign"\n'
    'snapshot_name: "r/Read/ReadVariableOp:0"\nis_resource: true\n'
    'initial_value_name: "r/Initializer/random_uniform:0"\n'
)
PART_DEF_SCOPED = (
    'variable_name: "pv/part_1:0"\ninitializer_name: "pv/part_1/Assign"\n'
    'snapshot_name: "pv/part_1/read:0"\nsave_slice_info_def {\n  full_name: "pv"\n'
    "  full_shape: 4\n  full_shape: 2\n  var_offset: 2\n  var_offset: 0\n"
    "  var_shape: 2\n  var_shape: 2\n}\n"
    'initial_value_name: "pv/part_1/Initializer/random_uniform:0"\ntrainable: true\n'
)


def _build():
    with tf.variable_scope("outer"):
        w = tf.get_variable("w", [2, 3], initializer=tf.ones_initializer())
        r = tf.get_variable("r", [2], use_resource=True, trainable=False)
    return w, r


def test_signatures_are_tfs():
    assert str(inspect.signature(tf.Variable.to_proto)) == "(self, export_scope=None)"
    assert str(inspect.signature(tf.Variable.from_proto)) == "(variable_def, import_scope=None)"


def test_to_proto_ref_resource_and_export_scope(graph):
    w, r = _build()
    assert str(w.to_proto()) == W_DEF
    assert str(w.to_proto(export_scope="outer")) == W_DEF.replace("outer/", "")
    assert str(r.to_proto(export_scope="outer")) == R_DEF_SCOPED
    assert w.to_proto(export_scope="other") is None


def test_to_proto_of_a_partition_strips_its_full_name(graph):
    with tf.variable_scope("part", partitioner=tf.fixed_size_partitioner(2)):
        pv = tf.get_variable("pv", [4, 2])
    assert str(list(pv)[1].to_proto(export_scope="part")) == PART_DEF_SCOPED


def test_from_proto_wraps_the_same_ops(graph):
    w, r = _build()
    w2 = tf.Variable.from_proto(w.to_proto())
    r2 = tf.Variable.from_proto(r.to_proto())
    assert type(w2) is type(w) and w2 is not w
    assert (w2.name, w2.op.name, w2.initializer.name, w2.trainable) == (
        "outer/w:0", "outer/w", "outer/w/Assign", True,
    )  # fmt: skip
    assert type(r2) is type(r) and (r2.name, r2.trainable, r2.handle.name) == (
        "outer/r:0", False, "outer/r:0",
    )  # fmt: skip
    with tf.Session() as sess:
        sess.run(w2.initializer)
        np.testing.assert_array_equal(sess.run(w), np.ones((2, 3), np.float32))


def test_from_proto_under_an_import_scope(graph):
    source = tf.Graph()
    with source.as_default():
        w, _ = _build()
    tf.import_graph_def(source.as_graph_def(), name="imp")
    v = tf.Variable.from_proto(w.to_proto(export_scope="outer"), import_scope="imp/outer")
    assert (v.name, v.initializer.name, v.value().name, v.initial_value.name) == (
        "imp/outer/w:0", "imp/outer/w/Assign", "imp/outer/w/read:0",
        "imp/outer/w/Initializer/ones:0",
    )  # fmt: skip
    with pytest.raises(KeyError, match="The name 'nope/outer/w:0' refers to a Tensor which"):
        tf.Variable.from_proto(w.to_proto(), import_scope="nope")


def test_a_variable_in_a_custom_collection_is_exported_by_name(graph):
    w, _ = _build()
    tf.add_to_collection("mine", w)
    meta = tf.train.export_meta_graph()
    assert list(meta.collection_def["mine"].node_list.value) == ["outer/w:0"]
