"""Graph.as_graph_def, tf.train.write_graph, tf.make_tensor_proto/make_ndarray."""

from __future__ import annotations

import pathlib

import numpy as np
import pytest
from google.protobuf import text_format

import scopeflow as tf
from scopeflow.framework.registry import registered_op_types
from scopeflow.graph_io import op_defs
from scopeflow.graph_io.protos import messages
from tests.data.graph_io import graphs

DATA = pathlib.Path(__file__).resolve().parents[1] / "data" / "graph_io"
# Attrs TensorFlow 2.x adds that carry no meaning for a TF1 graph (colocation hints, a TF2
# bookkeeping flag scopeflow has no use for).
IGNORED_ATTRS = {"_class", "_has_manual_control_dependencies"}


def _tf_graph_def(name: str):
    graph_def = messages().GraphDef()
    text_format.Parse((DATA / name).read_text(), graph_def, allow_unknown_field=True)
    return graph_def


def _attr_difference(ours, theirs) -> list[str]:
    diffs = []
    for key in (set(ours.attr) | set(theirs.attr)) - IGNORED_ATTRS:
        if key not in ours.attr or key not in theirs.attr:
            diffs.append(f"{key} only in {'ours' if key in ours.attr else 'TF'}")
        elif ours.attr[key].HasField("tensor"):
            a, b = (tf.make_ndarray(n.attr[key].tensor) for n in (ours, theirs))
            if a.dtype != b.dtype or a.shape != b.shape or not np.array_equal(a, b):
                diffs.append(f"{key}: {a!r} != {b!r}")
        elif ours.attr[key] != theirs.attr[key]:
            diffs.append(f"{key}: {ours.attr[key]} != {theirs.attr[key]}")
    return diffs


def test_forward_graph_matches_tensorflows_node_by_node():
    g = tf.Graph()
    with g.as_default():
        graphs.build_forward(tf)
    ours = {n.name: n for n in g.as_graph_def().node}
    theirs = {n.name: n for n in _tf_graph_def("forward_graph.pbtxt").node}
    assert set(theirs) - set(ours) == {"init"}  # TF's script also made an initializer
    assert set(ours) <= set(theirs)
    for name, node in ours.items():
        other = theirs[name]
        assert (node.op, list(node.input), node.device) == (
            other.op,
            list(other.input),
            other.device,
        ), name
        assert _attr_difference(node, other) == [], name


def test_nodes_carry_inputs_control_inputs_devices_and_type_attrs():
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, [None, 2], name="x")
        with tf.device("/cpu:0"):
            parts = tf.split(x, 2, axis=1, name="split")
        one = tf.constant(1.0, name="one")
        with tf.control_dependencies([x.op]):
            tf.add(parts[1], one, name="y")
    nodes = {n.name: n for n in g.as_graph_def().node}
    assert list(nodes["y"].input) == ["split:1", "one", "^x"]
    assert nodes["split"].device == "/device:CPU:0"
    assert nodes["split"].attr["num_split"].i == 2
    assert nodes["split"].attr["T"].type == tf.float32.as_datatype_enum
    assert nodes["y"].attr["T"].type == tf.float32.as_datatype_enum
    assert list(nodes["x"].attr["shape"].shape.dim[0:2]) == [
        messages().TensorShapeProto.Dim(size=-1),
        messages().TensorShapeProto.Dim(size=2),
    ]


def test_add_shapes_and_from_version():
    g = tf.Graph()
    with g.as_default():
        a = tf.placeholder(tf.float32, [None, 3], name="a")
        version = g.version
        tf.reduce_sum(a, axis=1, name="s")
    graph_def = g.as_graph_def(from_version=version, add_shapes=True)
    assert [n.name for n in graph_def.node] == ["s/reduction_indices", "s"]
    shape = graph_def.node[1].attr["_output_shapes"].list.shape[0]
    assert [d.size for d in shape.dim] == [-1]
    assert graph_def.versions.producer > 0


def test_an_op_type_tensorflow_lacks_is_refused_naming_it(monkeypatch):
    g = tf.Graph()
    with g.as_default():
        c = tf.constant(1.0, name="c")
    monkeypatch.setattr(c.op._op_def, "type", "NoSuchTfOp")
    with pytest.raises(ValueError, match="'c' has type 'NoSuchTfOp', which TensorFlow"):
        g.as_graph_def()


def test_every_registered_op_type_has_tensorflows_op_def():
    missing = [t for t in registered_op_types() if op_defs.tf_op_def(t) is None]
    assert missing == [], (
        "tools/make_tf_op_defs.py regenerates scopeflow/graph_io/tf_op_defs.json from "
        f"TensorFlow: {missing}"
    )


def test_write_graph_text_and_binary(tmp_path):
    g = tf.Graph()
    with g.as_default():
        tf.constant([1.0, 2.0], name="c")
    text = tf.train.write_graph(g, str(tmp_path / "d"), "g.pbtxt")
    binary = tf.train.write_graph(g.as_graph_def(), str(tmp_path), "g.pb", as_text=False)
    parsed = text_format.Parse(pathlib.Path(text).read_text(), tf.GraphDef())
    assert parsed == tf.GraphDef.FromString(pathlib.Path(binary).read_bytes())
    assert parsed.node[0].attr["value"].tensor.dtype == 1


@pytest.mark.parametrize(
    "value",
    [
        3.0,
        [1.0, 2.0],
        np.arange(6, dtype=np.int64).reshape(2, 3),
        [True, False],
        [b"ab", "c"],
        np.array([1 + 2j, 3j], np.complex64),
        np.float16([1.5, -2.0]),
        np.uint16([1, 65535]),
        np.zeros((0, 3), np.float32),
    ],
)
def test_make_tensor_proto_round_trips(value):
    expected = np.asarray(
        value,
        dtype=object if isinstance(value, list) and isinstance(value[0], (str, bytes)) else None,
    )
    got = tf.make_ndarray(tf.make_tensor_proto(value))
    if expected.dtype == object:
        assert got.tolist() == [b"ab", b"c"]
    else:
        np.testing.assert_array_equal(got, expected)
        assert got.shape == expected.shape


def test_make_tensor_proto_encodings_are_tensorflows():
    assert tf.make_tensor_proto([1.0, 2.0]).tensor_content == np.float32([1, 2]).tobytes()
    filled = tf.make_tensor_proto(0.5, shape=[2, 3])
    assert list(filled.float_val) == [0.5] and len(filled.tensor_content) == 0
    np.testing.assert_array_equal(tf.make_ndarray(filled), np.full((2, 3), 0.5, np.float32))
    assert list(tf.make_tensor_proto([True]).bool_val) == [True]


def test_make_ndarray_rejects_lying_fields_without_allocating():
    proto = tf.make_tensor_proto([1.0, 2.0])
    proto.tensor_shape.dim[0].size = 3
    with pytest.raises(ValueError, match="does not fit shape"):
        tf.make_ndarray(proto)
    huge = tf.make_tensor_proto(1.0, shape=[1])
    huge.tensor_shape.dim[0].size = 1 << 40
    with pytest.raises(ValueError, match="would allocate"):
        tf.make_ndarray(huge)
