"""SignatureDefs and TensorInfos: the protos TF1's helpers build, and their errors."""

from __future__ import annotations

import pytest

import scopeflow as tf
from scopeflow.graph_io.protos import messages


def _graph():
    g = tf.Graph()
    with g.as_default():
        examples = tf.placeholder(tf.string, [None], name="examples")
        scores = tf.placeholder(tf.float32, [None, 3], name="scores")
        classes = tf.placeholder(tf.string, [None, 3], name="classes")
        ids = tf.placeholder(tf.int64, name="ids")
    return g, examples, scores, classes, ids


def test_predict_signature_def():
    _, examples, scores, _, ids = _graph()
    sig = tf.saved_model.signature_def_utils.predict_signature_def(
        {"examples": examples}, {"scores": scores, "ids": ids}
    )
    assert sig.method_name == "tensorflow/serving/predict"
    assert sorted(sig.outputs) == ["ids", "scores"]
    assert sig.outputs["ids"].tensor_shape.unknown_rank
    assert sig.outputs["scores"].dtype == messages().DT_FLOAT
    assert tf.saved_model.is_valid_signature(sig)
    with pytest.raises(ValueError, match="Prediction `inputs` cannot be None or empty"):
        tf.saved_model.predict_signature_def({}, {"s": scores})
    with pytest.raises(ValueError, match="Prediction `outputs` cannot be None or empty"):
        tf.saved_model.predict_signature_def({"e": examples}, None)


def test_classification_signature_def():
    _, examples, scores, classes, ids = _graph()
    sig = tf.saved_model.classification_signature_def(examples, classes, scores)
    assert sig.method_name == tf.saved_model.CLASSIFY_METHOD_NAME
    assert sig.inputs["inputs"].name == "examples:0"
    assert sorted(sig.outputs) == ["classes", "scores"]
    assert tf.saved_model.is_valid_signature(sig)
    only_scores = tf.saved_model.classification_signature_def(examples, None, scores)
    assert list(only_scores.outputs) == ["scores"]
    with pytest.raises(ValueError, match="`classes` and `scores` cannot both be None"):
        tf.saved_model.classification_signature_def(examples, None, None)
    with pytest.raises(ValueError, match="input tensors must be of type string"):
        tf.saved_model.classification_signature_def(scores, classes, None)
    with pytest.raises(ValueError, match="classes must be of type string"):
        tf.saved_model.classification_signature_def(examples, ids, None)
    with pytest.raises(ValueError, match="scores must be a float Tensor"):
        tf.saved_model.classification_signature_def(examples, None, ids)
    with pytest.raises(ValueError, match="`examples` cannot be None"):
        tf.saved_model.classification_signature_def(None, classes, None)


def test_regression_signature_def():
    _, examples, scores, _, ids = _graph()
    sig = tf.saved_model.regression_signature_def(examples, scores)
    assert sig.method_name == "tensorflow/serving/regress"
    assert (list(sig.inputs), list(sig.outputs)) == (["inputs"], ["outputs"])
    assert tf.saved_model.is_valid_signature(sig)
    with pytest.raises(ValueError, match="output tensors must be of type float"):
        tf.saved_model.regression_signature_def(examples, ids)
    with pytest.raises(ValueError, match="to be of type Tensor"):
        tf.saved_model.regression_signature_def("examples:0", scores)
    with pytest.raises(ValueError, match="`predictions` cannot be None"):
        tf.saved_model.regression_signature_def(examples, None)


def test_is_valid_signature_checks_keys_and_dtypes():
    _, examples, scores, classes, ids = _graph()
    info = tf.saved_model.build_tensor_info
    assert not tf.saved_model.is_valid_signature(None)
    regress = tf.saved_model.build_signature_def(
        {"inputs": info(examples)}, {"outputs": info(ids)}, tf.saved_model.REGRESS_METHOD_NAME
    )
    assert not tf.saved_model.is_valid_signature(regress)
    classify = tf.saved_model.build_signature_def(
        {"inputs": info(examples)}, {"other": info(scores)}, tf.saved_model.CLASSIFY_METHOD_NAME
    )
    assert not tf.saved_model.is_valid_signature(classify)
    assert not tf.saved_model.is_valid_signature(tf.saved_model.build_signature_def(
        {"x": info(examples)}, {"y": info(scores)}, "custom/method"
    ))  # fmt: skip


def test_build_signature_def_with_constant_defaults():
    g, examples, *_ = _graph()
    with g.as_default():
        k = tf.constant([1, 2], name="k")
        sig = tf.saved_model.build_signature_def(
            {"e": tf.saved_model.build_tensor_info(examples)}, defaults={"k": k}
        )
        assert list(sig.defaults["k"].int_val) == [1, 2] or sig.defaults["k"].tensor_content
        with pytest.raises(ValueError, match="Unable to convert"):
            tf.saved_model.build_signature_def(defaults={"k": tf.identity(k)})
    assert not sig.method_name


def test_tensor_info_round_trips_dense_and_sparse_tensors():
    g = tf.Graph()
    with g.as_default():
        sparse = tf.sparse_placeholder(tf.float32, [4, 5], name="sp")
        info = tf.saved_model.utils.build_tensor_info(sparse)
        assert info.WhichOneof("encoding") == "coo_sparse"
        assert info.coo_sparse.values_tensor_name == "sp/values:0"
        assert [d.size for d in info.tensor_shape.dim] == [4, 5]
        back = tf.saved_model.get_tensor_from_tensor_info(info)
        assert back.values is g.get_tensor_by_name("sp/values:0")
        dense = tf.saved_model.build_tensor_info(tf.constant(1.0, name="c"))
        assert dense.tensor_shape.ByteSize() == 0 and dense.HasField("tensor_shape")
        assert tf.saved_model.get_tensor_from_tensor_info(dense, graph=g).name == "c:0"
    with pytest.raises(ValueError, match="Invalid TensorInfo.encoding"):
        tf.saved_model.get_tensor_from_tensor_info(messages().TensorInfo(), graph=g)
    with pytest.raises(KeyError):
        tf.saved_model.get_tensor_from_tensor_info(dense, graph=g, import_scope="nowhere")


def test_main_op_initializes_variables_and_main_op_with_restore_runs_after_it():
    with tf.Graph().as_default() as g:
        v = tf.Variable(3.0, name="v")
        local = tf.get_variable("l", initializer=4.0, collections=[tf.GraphKeys.LOCAL_VARIABLES])
        restore = tf.assign(v, 10.0).op
        op = tf.saved_model.main_op_with_restore(restore.name)
        with tf.Session(graph=g) as sess:
            sess.run(tf.saved_model.main_op.main_op())
            assert sess.run([v, local]) == [3.0, 4.0]
            sess.run(op)
            assert sess.run(v) == 10.0


def test_the_constants_tf1_exposes():
    assert tf.saved_model.tag_constants.SERVING == tf.saved_model.SERVING == "serve"
    assert (tf.saved_model.TRAINING, tf.saved_model.GPU, tf.saved_model.TPU) == (
        "train", "gpu", "tpu",
    )  # fmt: skip
    assert tf.saved_model.signature_constants.PREDICT_OUTPUTS == "outputs"
    assert tf.saved_model.SAVED_MODEL_FILENAME_PB == "saved_model.pb"
    assert tf.saved_model.VARIABLES_DIRECTORY == tf.saved_model.VARIABLES_FILENAME == "variables"
    assert tf.saved_model.MAIN_OP_KEY == "saved_model_main_op"
    assert tf.saved_model.Builder is tf.saved_model.builder.SavedModelBuilder
    assert tf.saved_model.load is tf.saved_model.loader.load
