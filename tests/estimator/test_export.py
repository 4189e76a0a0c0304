"""Estimator.export_saved_model: a SavedModel of the PREDICT graph that tf.saved_model's
loader reads back (TensorFlow's own loader read the same layout in the SavedModel tests)."""

from __future__ import annotations

import os

import numpy as np
import pytest

import scopeflow as tf


def model_fn(features, labels, mode):
    w = tf.get_variable("w", [1], initializer=tf.constant_initializer(3.0))
    y = features["x"] * w
    if mode == tf.estimator.ModeKeys.PREDICT:
        return tf.estimator.EstimatorSpec(mode, predictions={"y": y})
    loss = tf.reduce_mean(tf.square(y - labels))
    step = tf.assign_add(tf.train.get_global_step(), 1)
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=step)


@pytest.fixture(scope="module")
def estimator(tmp_path_factory):
    est = tf.estimator.Estimator(model_fn, str(tmp_path_factory.mktemp("model")))
    x = np.arange(4, dtype=np.float32)
    return est.train(tf.estimator.inputs.numpy_input_fn({"x": x}, x, shuffle=False), steps=1)


def raw_receiver():
    x = tf.placeholder(tf.float32, [None], name="x")
    return tf.estimator.export.ServingInputReceiver({"x": x}, {"x": x})


def test_export_writes_a_timestamped_saved_model_that_loads(estimator, tmp_path):
    path = estimator.export_saved_model(str(tmp_path), raw_receiver)
    assert isinstance(path, bytes) and os.path.dirname(path) == str(tmp_path).encode()
    assert sorted(os.listdir(path.decode())) == ["saved_model.pb", "variables"]
    with tf.Graph().as_default(), tf.Session() as sess:
        meta = tf.saved_model.loader.load(sess, ["serve"], path.decode())
        signature = meta.signature_def["serving_default"]
        assert signature.method_name == "tensorflow/serving/predict"
        x = sess.graph.get_tensor_by_name(signature.inputs["x"].name)
        y = sess.graph.get_tensor_by_name(signature.outputs["y"].name)
        np.testing.assert_allclose(sess.run(y, {x: [1.0, 2.0]}), [3.0, 6.0])


def test_parsing_receiver_and_export_outputs(estimator, tmp_path):
    spec = {"x": tf.FixedLenFeature([], tf.float32)}
    receiver_fn = tf.estimator.export.build_parsing_serving_input_receiver_fn(spec)
    path = estimator.export_saved_model(str(tmp_path), receiver_fn, as_text=True)
    assert "saved_model.pbtxt" in os.listdir(path.decode())
    with tf.Graph().as_default():
        receiver = receiver_fn()
        assert list(receiver.receiver_tensors) == ["examples"]
        assert receiver.receiver_tensors["examples"].name == "input_example_tensor:0"
        with pytest.raises(ValueError, match="Regression output value must be a float32"):
            tf.estimator.export.RegressionOutput(tf.constant(1))
        with pytest.raises(ValueError, match="Classification signatures can only accept a"):
            tf.estimator.export.ClassificationOutput(classes=tf.constant(["a"])).as_signature_def(
                {"a": tf.constant(1.0), "b": tf.constant(2.0)}
            )


def test_export_errors(tmp_path):
    est = tf.estimator.Estimator(model_fn, str(tmp_path / "untrained"))
    with pytest.raises(ValueError, match="Couldn't find trained model at"):
        est.export_saved_model(str(tmp_path), raw_receiver)
    with pytest.raises(ValueError, match="An input_receiver_fn must be defined."):
        est.export_saved_model(str(tmp_path), None)
    with pytest.raises(ValueError, match="features must be defined."):
        tf.estimator.export.ServingInputReceiver(None, {})


def test_train_and_evaluate_exports_the_final_model(tmp_path):
    config = tf.estimator.RunConfig(save_checkpoints_steps=2)
    est = tf.estimator.Estimator(model_fn, str(tmp_path), config=config)
    x = np.arange(4, dtype=np.float32)
    input_fn = tf.estimator.inputs.numpy_input_fn({"x": x}, x, 2, num_epochs=None, shuffle=False)
    final = tf.estimator.FinalExporter("final", raw_receiver)
    train = tf.estimator.TrainSpec(input_fn, max_steps=3)
    evaluate = tf.estimator.EvalSpec(input_fn, steps=1, exporters=final, throttle_secs=0)
    metrics, (exported,) = tf.estimator.train_and_evaluate(est, train, evaluate)
    assert metrics["global_step"] == 3
    assert os.listdir(tmp_path / "export" / "final") == [os.path.basename(exported.decode())]
    with pytest.raises(ValueError, match="`exporters` must have unique names"):
        tf.estimator.EvalSpec(input_fn, exporters=[final, final])
    with pytest.raises(ValueError, match="must be a positive number. Got 0"):
        tf.estimator.BestExporter(exports_to_keep=0)
