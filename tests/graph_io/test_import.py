"""tf.import_graph_def: TF's and our GraphDefs rebuilt as ops that run; bad input refused
before anything is added."""

from __future__ import annotations

import json
import pathlib

import numpy as np
import pytest
from google.protobuf import text_format

import scopeflow as tf
from tests.data.graph_io import graphs

DATA = pathlib.Path(__file__).resolve().parents[1] / "data" / "graph_io"
VALUES = json.loads((DATA / "values.json").read_text())


def _forward_graph_def():
    g = tf.Graph()
    with g.as_default():
        graphs.build_forward(tf)
    return g.as_graph_def()


def _check_forward_outputs(sess, graph, prefix: str = ""):
    names = [f"{prefix}{n}" for n in VALUES["frozen_outputs"]]
    fetched = sess.run([graph.get_tensor_by_name(n) for n in names], {
        graph.get_tensor_by_name(f"{prefix}x:0"): graphs.FEED,
        graph.get_tensor_by_name(f"{prefix}img:0"): graphs.IMAGE,
    })  # fmt: skip
    for name, value in zip(VALUES["frozen_outputs"], fetched, strict=True):
        expected = np.asarray(VALUES["forward"][name.split(":")[0]])
        np.testing.assert_allclose(value, expected, rtol=1e-5, atol=1e-6, err_msg=name)


def test_tensorflows_frozen_graph_runs_with_tensorflows_outputs():
    graph_def = tf.GraphDef.FromString((DATA / "frozen.pb").read_bytes())
    with tf.Graph().as_default() as g:
        tf.import_graph_def(graph_def, name="")
        with tf.Session() as sess:
            _check_forward_outputs(sess, g)


def test_tensorflows_graph_with_variables_imports_initializes_and_runs():
    graph_def = text_format.Parse((DATA / "forward_graph.pbtxt").read_text(), tf.GraphDef())
    with tf.Graph().as_default() as g:
        tf.import_graph_def(graph_def)
        with tf.Session() as sess:
            sess.run(g.get_operation_by_name("import/init"))
            _check_forward_outputs(sess, g, "import/")


def test_our_graph_def_round_trips_under_a_prefix():
    graph_def = _forward_graph_def()
    with tf.Graph().as_default() as g:
        tf.import_graph_def(graph_def, name="a")
        tf.import_graph_def(graph_def, name="a")
        assert g.get_operation_by_name("a_1/w/read").type == "Identity"
        again = {n.name: n for n in g.as_graph_def().node}
        assert again["a/cc"].input == ["a/x", "a/mul_1", "a/cc/axis"]
        assert tf.constant(0, name="a").op.name == "a_2"
        init = [g.get_operation_by_name(f"a/{v}/Assign") for v in ("w", "b", "k")]
        with tf.Session() as sess:
            sess.run(init)
            _check_forward_outputs(sess, g, "a/")


def test_input_map_and_return_elements():
    graph_def = _forward_graph_def()
    with tf.Graph().as_default() as g:
        x = tf.constant(graphs.FEED, name="feed")
        gate = tf.no_op(name="gate")
        r, sm_op = tf.import_graph_def(
            graph_def, input_map={"x:0": x, "^sm": gate}, return_elements=["r:0", "sm"]
        )
        assert r.name == "import/r:0" and sm_op.name == "import/sm"
        assert g.get_operation_by_name("import/MatMul").inputs[0] is x
        assert g.get_operation_by_name("import/ident").control_inputs == [gate]
        with tf.Session() as sess:
            sess.run([g.get_operation_by_name(f"import/{v}/Assign") for v in ("w", "b")])
            np.testing.assert_allclose(sess.run(r), VALUES["forward"]["r"], rtol=1e-5)


def _nodes(*specs):
    graph_def = tf.GraphDef()
    for name, op, inputs in specs:
        node = graph_def.node.add(name=name, op=op)
        node.input.extend(inputs)
        if op == "Const":
            node.attr["dtype"].type = tf.float32.as_datatype_enum
            node.attr["value"].tensor.CopyFrom(tf.make_tensor_proto(1.0))
        elif op in ("Identity", "AddV2"):
            node.attr["T"].type = tf.float32.as_datatype_enum
    return graph_def


@pytest.mark.parametrize(
    "graph_def, error, match",
    [
        (_nodes(("c", "Const", []), ("n", "NoSuchOp", ["c"])), tf.errors.NotFoundError,
         "Op type not registered 'NoSuchOp'.*node 'n'"),
        (_nodes(("c", "Const", []), ("c", "Identity", ["c"])), ValueError,
         "Duplicate node name in graph: 'c'"),
        (_nodes(("c", "Const", []), ("i", "Identity", ["missing"])), ValueError,
         "Node 'i': Unknown input node 'missing'"),
        (_nodes(("c", "Const", []), ("a", "AddV2", ["c", "b"]), ("b", "Identity", ["a"])),
         ValueError, "cycle: node 'a'"),
        (_nodes(("c", "Const", []), ("i", "Identity", ["c:3"])), ValueError,
         "Node 'i': input 'c:3' names output 3 of 'c', which has 1 outputs"),
    ],
)  # fmt: skip
def test_bad_graph_defs_leave_the_graph_unchanged(graph_def, error, match):
    with tf.Graph().as_default() as g:
        tf.constant(0.0, name="before")
        with pytest.raises(error, match=match):
            tf.import_graph_def(graph_def)
        assert [op.name for op in g.get_operations()] == ["before"]
        assert tf.constant(0.0, name="import").op.name == "import"


def test_an_attr_of_the_wrong_type_is_refused_naming_the_node():
    graph_def = _nodes(("c", "Const", []), ("i", "Identity", ["c"]))
    graph_def.node[1].attr["T"].i = 3
    with tf.Graph().as_default() as g:
        with pytest.raises(ValueError, match="Node 'i': attr 'T' of op type Identity must be"):
            tf.import_graph_def(graph_def)
        assert g.get_operations() == []


def test_mapped_and_returned_names_must_exist():
    graph_def = _nodes(("c", "Const", []))
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match=r"not found in graph_def: \['y:0'\]"):
            tf.import_graph_def(graph_def, input_map={"y": tf.constant(1.0)})
        with pytest.raises(ValueError, match="return_element 'z:0' not found"):
            tf.import_graph_def(graph_def, return_elements=["z:0"])
