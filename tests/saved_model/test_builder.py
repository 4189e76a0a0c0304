"""SavedModelBuilder and simple_save: the directory they write (as TensorFlow writes it), what
loading it back gives, and TF1's errors for misuse."""

from __future__ import annotations

import json
import pathlib

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.graph_io.protos import messages
from scopeflow.saved_model.loader import parse_saved_model
from tests.data.saved_model import make_saved_models as models

DATA = pathlib.Path(__file__).resolve().parents[1] / "data" / "saved_model"
VALUES = json.loads((DATA / "values.json").read_text())


@pytest.fixture
def vocab(tmp_path):
    path = tmp_path / "vocab.txt"
    path.write_text(models.VOCAB)
    return str(path)


@pytest.fixture
def exported(tmp_path, vocab):
    export_dir = str(tmp_path / "model")
    models.write(tf, export_dir, vocab)
    return export_dir


def test_the_directory_holds_the_pb_the_variables_and_the_assets(exported):
    found = sorted(str(p.relative_to(exported)) for p in pathlib.Path(exported).rglob("*"))
    assert found == [
        "assets", "assets/vocab.txt", "saved_model.pb", "variables",
        "variables/variables.data-00000-of-00001", "variables/variables.index",
    ]  # fmt: skip
    assert (pathlib.Path(exported) / "assets" / "vocab.txt").read_text() == models.VOCAB
    assert tf.train.list_variables(f"{exported}/variables/variables") == [
        ("dense/b", [2]), ("dense/w", [3, 2]),
    ]  # fmt: skip


def test_our_saved_model_matches_the_one_tensorflow_wrote_for_the_same_code(exported):
    ours, theirs = parse_saved_model(exported), parse_saved_model(DATA / "tf_multi")
    assert ours.saved_model_schema_version == theirs.saved_model_schema_version == 1
    assert len(ours.meta_graphs) == len(theirs.meta_graphs) == 2
    for mine, tfs in zip(ours.meta_graphs, theirs.meta_graphs, strict=True):
        assert list(mine.meta_info_def.tags) == list(tfs.meta_info_def.tags)
        assert mine.meta_info_def.stripped_default_attrs == tfs.meta_info_def.stripped_default_attrs
        assert mine.signature_def == tfs.signature_def
        assert sorted(mine.collection_def) == sorted(tfs.collection_def)
        for key in ("saved_model_assets", "saved_model_main_op", "variables"):
            assert mine.collection_def.get(key) == tfs.collection_def.get(key), key
        theirs_nodes = {n.name: n for n in tfs.graph_def.node}
        for node in mine.graph_def.node:
            other = theirs_nodes[node.name]
            assert node.op == other.op, node.name
            if node.name.startswith("save/"):
                continue  # TF's sharded saver has more save/ nodes (ShardedFilename...)
            assert sorted(node.input) == sorted(other.input), node.name  # control inputs' order
            tf_only = {"_output_shapes", "_has_manual_control_dependencies"}
            assert set(node.attr) == set(other.attr) - tf_only, node.name
            assert node.attr["_class"] == other.attr["_class"], node.name  # colocation groups
        assert mine.saver_def.restore_op_name == tfs.saver_def.restore_op_name
        assert mine.saver_def.filename_tensor_name == tfs.saver_def.filename_tensor_name


@pytest.mark.parametrize("import_scope", [None, "scope"])
def test_loading_ours_restores_values_runs_the_main_op_and_feeds_the_assets(exported, import_scope):
    prefix = f"{import_scope}/" if import_scope else ""
    with tf.Session(graph=tf.Graph()) as sess:
        meta = tf.saved_model.loader.load(sess, ["serve"], exported, import_scope=import_scope)
        signature = meta.signature_def["serving_default"]
        assert signature.inputs["x"].name == "x:0"  # the proto is not scoped, as in TF1
        x = tf.saved_model.utils.get_tensor_from_tensor_info(
            signature.inputs["x"], import_scope=import_scope
        )
        got = sess.run(f"{prefix}y:0", {x: models.FEED})
        np.testing.assert_allclose(got, VALUES["tf_multi"])
        assert sess.run(f"{prefix}counter:0") == VALUES["counter"]
        assert [v.name for v in tf.global_variables()] == [
            f"{prefix}dense/w:0", f"{prefix}dense/b:0",
        ]  # fmt: skip


def test_the_main_op_gets_the_copied_asset_path_fed(tmp_path, vocab):
    export_dir = str(tmp_path / "model")
    with tf.Session(graph=tf.Graph()) as sess:
        asset = tf.constant(vocab, name="vocab_path")
        seen = tf.get_variable("seen", dtype=tf.string, initializer="", trainable=False,
                               collections=[tf.GraphKeys.LOCAL_VARIABLES])  # fmt: skip
        main_op = tf.group(tf.assign(seen, asset), name="remember_asset")
        builder = tf.saved_model.Builder(export_dir)
        builder.add_meta_graph_and_variables(sess, ["serve"], assets_collection=[asset],
                                             legacy_init_op=main_op)  # fmt: skip
        builder.save()
    with tf.Session(graph=tf.Graph()) as sess:
        tf.saved_model.load(sess, ["serve"], export_dir)
        assert sess.run("seen:0").decode() == f"{export_dir}/assets/vocab.txt"


def test_as_text_writes_a_pbtxt_that_loads(tmp_path):
    export_dir = str(tmp_path / "text")
    with tf.Session(graph=tf.Graph()) as sess:
        v = tf.Variable([1.0, 2.0], name="v")
        sess.run(v.initializer)
        builder = tf.saved_model.builder.SavedModelBuilder(export_dir)
        builder.add_meta_graph_and_variables(sess, ["a", "b"], clear_devices=True)
        assert builder.save(as_text=True) == f"{export_dir}/saved_model.pbtxt".encode()
    text = (tmp_path / "text" / "saved_model.pbtxt").read_text()
    assert "saved_model_schema_version: 1" in text and "version: V2" in text  # as TF writes
    with tf.Session(graph=tf.Graph()) as sess:
        tf.saved_model.loader.load(sess, {"b", "a"}, export_dir)
        np.testing.assert_array_equal(sess.run("v:0"), [1.0, 2.0])


def test_a_model_without_variables_saves_and_loads(tmp_path):
    export_dir = str(tmp_path / "m")
    with tf.Session(graph=tf.Graph()) as sess:
        x = tf.placeholder(tf.float32, name="x")
        tf.saved_model.simple_save(sess, export_dir, {"x": x}, {"y": tf.square(x, name="y")})
    assert not list((tmp_path / "m" / "variables").iterdir())
    with tf.Session(graph=tf.Graph()) as sess:
        meta = tf.saved_model.load(sess, [tf.saved_model.SERVING], export_dir)
        assert not meta.HasField("saver_def")
        assert sess.run("y:0", {"x:0": 3.0}) == 9.0


def test_simple_save_writes_one_serving_predict_signature(tmp_path):
    export_dir = str(tmp_path / "m")
    with tf.Session(graph=tf.Graph()) as sess:
        x = tf.placeholder(tf.float32, [None, 3], name="x")
        v = tf.Variable([[2.0], [1.0], [-1.0]], name="v")
        scores = tf.matmul(x, v, name="scores")
        sess.run(tf.global_variables_initializer())
        tf.saved_model.simple_save(sess, export_dir, {"x": x}, {"scores": scores})
    ours = parse_saved_model(export_dir).meta_graphs[0]
    theirs = parse_saved_model(DATA / "tf_simple").meta_graphs[0]
    assert ours.signature_def == theirs.signature_def
    assert list(ours.meta_info_def.tags) == ["serve"]
    assert not any(node.device for node in ours.graph_def.node)


def test_strip_default_attrs_leaves_out_default_values():
    with tf.Graph().as_default():
        tf.matmul(tf.ones([2, 2]), tf.ones([2, 2]), name="mm")
        full = tf.train.export_meta_graph()
        stripped = tf.train.export_meta_graph(strip_default_attrs=True)
    node = {n.name: n for n in full.graph_def.node}["mm"]
    assert {"transpose_a", "transpose_b", "T"} <= set(node.attr)
    node = {n.name: n for n in stripped.graph_def.node}["mm"]
    assert "transpose_a" not in node.attr and "T" in node.attr
    assert stripped.meta_info_def.stripped_default_attrs


# -- misuse, as TF1 reports it ------------------------------------------------------------


def test_an_existing_non_empty_directory_is_refused(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(AssertionError, match="already exists, and isn't empty"):
        tf.saved_model.builder.SavedModelBuilder(str(tmp_path))
    tf.saved_model.builder.SavedModelBuilder(str(tmp_path / "new"))  # created
    tf.saved_model.builder.SavedModelBuilder(str(tmp_path / "new"))  # empty: accepted


def test_meta_graphs_must_come_variables_first_and_only_once(tmp_path):
    builder = tf.saved_model.builder.SavedModelBuilder(str(tmp_path / "m"))
    with tf.Session(graph=tf.Graph()) as sess:
        tf.constant(1.0)
        with pytest.raises(AssertionError, match="has not been saved yet"):
            builder.add_meta_graph(["serve"])
        builder.add_meta_graph_and_variables(sess, ["serve"])
        with pytest.raises(AssertionError, match="has already been saved"):
            builder.add_meta_graph_and_variables(sess, ["train"])


def test_bad_signature_maps_are_refused(tmp_path):
    builder = tf.saved_model.builder.SavedModelBuilder(str(tmp_path / "m"))
    with tf.Session(graph=tf.Graph()) as sess:
        x = tf.placeholder(tf.float32, name="x")
        good = tf.saved_model.predict_signature_def({"x": x}, {"y": x})
        with pytest.raises(KeyError, match="__saved_model_init_op.*reserved"):
            builder.add_meta_graph_and_variables(sess, ["s"], {"__saved_model_init_op": good})
        no_dtype = messages().SignatureDef()
        no_dtype.inputs["x"].name = "x:0"
        with pytest.raises(AssertionError, match="must have the dtype field set"):
            builder.add_meta_graph_and_variables(sess, ["s"], {"bad": no_dtype})
        no_name = messages().SignatureDef()
        no_name.outputs["y"].dtype = messages().DT_FLOAT
        with pytest.raises(AssertionError, match="one of the 'encoding' fields"):
            builder.add_meta_graph_and_variables(sess, ["s"], {"bad": no_name})


def test_bad_main_ops_and_assets_are_refused(tmp_path):
    builder = tf.saved_model.builder.SavedModelBuilder(str(tmp_path / "m"))
    with tf.Session(graph=tf.Graph()) as sess:
        c = tf.constant(1.0)
        with pytest.raises(TypeError, match="to be an Operation"):
            builder.add_meta_graph_and_variables(sess, ["s"], main_op=c)
        tf.add_to_collection("saved_model_main_op", tf.no_op())
        with pytest.raises(ValueError, match="already contains one or more main ops"):
            builder.add_meta_graph_and_variables(sess, ["s"], main_op=tf.no_op())
        with pytest.raises(TypeError, match="must be of type constant"):
            builder.add_meta_graph_and_variables(
                sess, ["s"], assets_collection=[tf.identity(tf.constant("p"))]
            )
        with pytest.raises(TypeError, match="must be of dtype string"):
            builder.add_meta_graph_and_variables(sess, ["s"], assets_collection=[c])
        with pytest.raises(TypeError, match="a list or set of strings"):
            builder.add_meta_graph_and_variables(sess, "serve")


def test_uninitialized_variables_fail_before_anything_is_written(tmp_path):
    builder = tf.saved_model.builder.SavedModelBuilder(str(tmp_path / "m"))
    with tf.Session(graph=tf.Graph()) as sess:
        tf.Variable(1.0, name="v")
        with pytest.raises(tf.errors.FailedPreconditionError, match="uninitialized"):
            builder.add_meta_graph_and_variables(sess, ["serve"])
    assert not tf.saved_model.maybe_saved_model_directory(str(tmp_path / "m"))
    assert not list((tmp_path / "m" / "variables").iterdir())


def test_tf2_object_api_says_what_to_use_instead():
    with pytest.raises(NotImplementedError, match="SavedModelBuilder"):
        tf.saved_model.save(object(), "/nonexistent")
    with pytest.raises(NotImplementedError, match="loader.load"):
        tf.saved_model.load_v2("/nonexistent")
