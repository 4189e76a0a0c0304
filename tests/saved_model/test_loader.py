"""loader.load on SavedModels TensorFlow wrote (tests/data/saved_model), and on missing,
mismatched, truncated and corrupted ones: TF1's errors, the graph left as it was."""

from __future__ import annotations

import json
import pathlib
import random
import shutil

import numpy as np
import pytest

import scopeflow as tf
from tests.data.saved_model import make_saved_models as models

DATA = pathlib.Path(__file__).resolve().parents[1] / "data" / "saved_model"
VALUES = json.loads((DATA / "values.json").read_text())


def test_tensorflows_saved_model_loads_restores_and_runs_its_main_op():
    with tf.Session(graph=tf.Graph()) as sess:
        meta = tf.saved_model.loader.load(sess, ["serve"], str(DATA / "tf_multi"))
        signature = meta.signature_def["serving_default"]
        assert tf.saved_model.is_valid_signature(signature)
        y = sess.run(signature.outputs["y"].name, {signature.inputs["x"].name: models.FEED})
        np.testing.assert_allclose(y, VALUES["tf_multi"], rtol=1e-6)
        assert sess.run("counter:0") == VALUES["counter"]
        assets = tf.get_collection(tf.saved_model.ASSETS_KEY)
        assert [a.type_url for a in assets] == ["type.googleapis.com/tensorflow.AssetFileDef"]


def test_tensorflows_second_meta_graph_loads_under_an_import_scope():
    with tf.Session(graph=tf.Graph()) as sess:
        meta = tf.saved_model.loader.load(
            sess, ["gpu", "train"], DATA / "tf_multi", import_scope="s"
        )
        assert list(meta.meta_info_def.tags) == ["train", "gpu"]
        assert [v.name for v in tf.global_variables()] == ["s/dense/w:0", "s/dense/b:0"]
        y = sess.run("s/y:0", {"s/x:0": models.FEED})
        np.testing.assert_allclose(y, VALUES["tf_multi"], rtol=1e-6)


def test_tensorflows_simple_save_loads():
    with tf.Session(graph=tf.Graph()) as sess:
        meta = tf.saved_model.load(sess, [tf.saved_model.tag_constants.SERVING], DATA / "tf_simple")
        signature = meta.signature_def[tf.saved_model.DEFAULT_SERVING_SIGNATURE_DEF_KEY]
        scores = tf.saved_model.utils.get_tensor_from_tensor_info(signature.outputs["scores"])
        got = sess.run(scores, {"x:0": models.FEED})
        np.testing.assert_allclose(got, VALUES["tf_simple"], rtol=1e-6)


def test_missing_tags_raise_tf1s_runtime_error_listing_the_tag_sets():
    with tf.Session(graph=tf.Graph()) as sess:
        with pytest.raises(RuntimeError) as info:
            tf.saved_model.loader.load(sess, ["bogus"], str(DATA / "tf_multi"))
        assert sess.graph.get_operations() == []
    message = str(info.value)
    assert message.startswith(
        "MetaGraphDef associated with tags 'bogus' could not be found in SavedModel, with "
        "available tags '[{'serve'}, "
    )
    assert "saved_model_cli" in message


def test_maybe_saved_model_directory(tmp_path):
    assert tf.saved_model.maybe_saved_model_directory(str(DATA / "tf_simple"))
    assert tf.saved_model.loader.maybe_saved_model_directory(DATA / "tf_multi")
    assert not tf.saved_model.contains_saved_model(str(tmp_path))


def test_a_directory_without_a_saved_model_raises_ioerror(tmp_path):
    with tf.Session(graph=tf.Graph()) as sess:
        with pytest.raises(OSError, match="SavedModel file does not exist at"):
            tf.saved_model.loader.load(sess, ["serve"], str(tmp_path))


def _copy(tmp_path) -> pathlib.Path:
    return pathlib.Path(shutil.copytree(DATA / "tf_multi", tmp_path / "model"))


def test_a_truncated_saved_model_pb_raises_ioerror_naming_it(tmp_path):
    model = _copy(tmp_path)
    pb = model / "saved_model.pb"
    pb.write_bytes(pb.read_bytes()[:-37])
    with tf.Session(graph=tf.Graph()) as sess:
        with pytest.raises(OSError, match=r"Cannot parse file .*saved_model\.pb"):
            tf.saved_model.loader.load(sess, ["serve"], str(model))


def test_a_corrupted_checkpoint_raises_data_loss_and_leaves_the_graph_unchanged(tmp_path):
    model = _copy(tmp_path)
    data = model / "variables" / "variables.data-00000-of-00001"
    raw = bytearray(data.read_bytes())
    raw[5] ^= 0xFF
    data.write_bytes(bytes(raw))
    with tf.Session(graph=tf.Graph()) as sess:
        with pytest.raises(tf.errors.DataLossError):
            tf.saved_model.loader.load(sess, ["serve"], str(model))
        assert sess.graph.get_operations() == []


def test_missing_variables_raise_and_leave_the_graph_unchanged(tmp_path):
    model = _copy(tmp_path)
    shutil.rmtree(model / "variables")
    with tf.Session(graph=tf.Graph()) as sess:
        with pytest.raises(ValueError, match="not a valid checkpoint"):
            tf.saved_model.loader.load(sess, ["serve"], str(model))
        assert sess.graph.get_operations() == []


EXPECTED = (OSError, RuntimeError, ValueError, KeyError, tf.errors.OpError)


@pytest.mark.parametrize("seed", range(6))
def test_random_byte_corruption_raises_only_named_errors(tmp_path, seed):
    model = _copy(tmp_path)
    rng = random.Random(seed)
    pb = model / "saved_model.pb"
    raw = bytearray(pb.read_bytes())
    for _ in range(4):
        raw[rng.randrange(len(raw))] = rng.randrange(256)
    pb.write_bytes(bytes(raw))
    with tf.Session(graph=tf.Graph()) as sess:
        try:
            tf.saved_model.loader.load(sess, ["serve"], str(model))
        except EXPECTED:
            assert sess.graph.get_operations() == []
