"""tf.keras.estimator.model_to_estimator: train, evaluate and predict give tf_keras 2.21's
fit, evaluate and predict numbers (same weights, data and batches); the first checkpoint,
names, errors."""

import numpy as np
import pytest

import scopeflow as tf

keras = tf.keras
X = (np.arange(24, dtype=np.float32).reshape(8, 3) % 5 - 2) / 4
Y = np.array([[0.5], [-1.0], [1.5], [0.0], [2.0], [-0.5], [1.0], [0.25]], np.float32)
WEIGHTS = [
    np.linspace(-1, 1, 12).reshape(3, 4).astype(np.float32),
    np.array([0.1, -0.1, 0.2, 0.0], np.float32),
    np.linspace(0.5, -0.5, 4).reshape(4, 1).astype(np.float32),
    np.array([0.05], np.float32),
]


def _regressor(compiled=True):
    inputs = keras.Input((3,), name="x")
    hidden = keras.layers.Dense(4, activation="relu", name="h")(inputs)
    model = keras.Model(inputs, keras.layers.Dense(1, name="y")(hidden))
    model.set_weights(WEIGHTS)
    if compiled:
        model.compile(keras.optimizers.SGD(0.1), "mse", metrics=["mae"])
    return model


def _input_fn(labels=True, key="x"):
    return tf.estimator.inputs.numpy_input_fn(
        {key: X}, Y if labels else None, batch_size=4, num_epochs=1, shuffle=False
    )


def test_train_evaluate_predict_equal_keras_fit_evaluate_predict(tmp_path):
    with tf.Graph().as_default():
        est = keras.estimator.model_to_estimator(_regressor(), model_dir=str(tmp_path))
    assert sorted(p.name for p in (tmp_path / "keras").iterdir()) == [
        "checkpoint",
        "keras_model.ckpt.data-00000-of-00001",
        "keras_model.ckpt.index",
        "keras_model.ckpt.meta",
    ]
    before = [p["y"][0] for p in est.predict(_input_fn(labels=False))]  # tf_keras's predict
    np.testing.assert_allclose(before[:5], [0.27727276, 0.05, 0.05, 0.05, -0.17727272], 1e-6)
    est.train(_input_fn())
    results = est.evaluate(_input_fn())
    assert sorted(results) == ["global_step", "loss", "mean_absolute_error"]
    assert results["global_step"] == 2
    np.testing.assert_allclose(results["loss"], 0.9865319, rtol=1e-6)
    np.testing.assert_allclose(results["mean_absolute_error"], 0.8014914, rtol=1e-6)
    after = [p["y"][0] for p in est.predict(_input_fn(labels=False))]
    np.testing.assert_allclose(
        after,
        [0.5748133, 0.18331933, 0.3729142, 0.18331933, 0.171015, 0.5748133, 0.18331933, 0.3729142],
        rtol=1e-6,
    )
    assert est.get_variable_names() == [
        "global_step",
        "h/bias",
        "h/kernel",
        "training/SGD/decay",
        "training/SGD/learning_rate",
        "training/SGD/momentum",
        "y/bias",
        "y/kernel",
    ]
    np.testing.assert_allclose(
        est.get_variable_value("h/bias"), [0.173532, -0.07495454, 0.1790101, -0.06947643], 1e-5
    )
    np.testing.assert_allclose(
        est.get_variable_value("y/kernel").ravel(),
        [0.5405718, 0.19570892, -0.07802842, -0.42289135],
        rtol=1e-5,
    )


def test_sequential_adam_dataset_metric_names_map_and_export(tmp_path):
    x, y = X, np.array([0, 1, 2, 1, 0, 2, 1, 0])
    with tf.Graph().as_default():
        model = keras.Sequential(
            [keras.layers.Dense(3, activation="softmax", input_shape=(3,), name="d")]
        )
        model.set_weights(
            [
                np.linspace(-1, 1, 9).reshape(3, 3).astype(np.float32),
                np.array([0.1, 0.0, -0.1], np.float32),
            ]
        )
        model.compile(
            keras.optimizers.Adam(0.05), "sparse_categorical_crossentropy", metrics=["accuracy"]
        )
        est = keras.estimator.model_to_estimator(
            model, model_dir=str(tmp_path), metric_names_map={"acc": "accuracy"}
        )

    def input_fn():  # one tensor of features: the model's only input
        return tf.data.Dataset.from_tensor_slices((x, y)).batch(4)

    est.train(input_fn)
    results = est.evaluate(input_fn)  # tf_keras 2.21: fit then evaluate, batch_size=4
    np.testing.assert_allclose([results["loss"], results["accuracy"]], [1.056249, 0.625], 1e-6)
    np.testing.assert_allclose(
        est.get_variable_value("d/kernel").ravel(),
        [
            -1.0852406,
            -0.65277523,
            -0.59973776,
            -0.29602852,
            0.09442243,
            0.26607633,
            0.5945675,
            0.6500386,
            1.0735768,
        ],
        rtol=1e-6,
    )
    np.testing.assert_allclose(
        est.get_variable_value("d/bias"), [0.05548228, 0.0599644, -0.19981147], rtol=1e-6
    )
    assert "training/Adam/d/kernel/m" in est.get_variable_names()
    receiver = tf.estimator.export.build_raw_serving_input_receiver_fn(
        {"d_input": tf.placeholder(tf.float32, [None, 3])}
    )
    path = est.export_saved_model(str(tmp_path / "export"), receiver)
    with tf.Graph().as_default(), tf.Session() as sess:
        meta = tf.saved_model.loader.load(sess, ["serve"], path.decode())
        signature = meta.signature_def["serving_default"]
        scores = sess.run(signature.outputs["d"].name, {signature.inputs["d_input"].name: x[:2]})
    assert scores.shape == (2, 3)


def test_errors(tmp_path):
    with tf.Graph().as_default():
        model = _regressor()
        with pytest.raises(ValueError, match="Either `keras_model` or `keras_model_path`"):
            keras.estimator.model_to_estimator()
        with pytest.raises(ValueError, match="but not both"):
            keras.estimator.model_to_estimator(model, keras_model_path="m.h5")
        with pytest.raises(ValueError, match='must be one of "checkpoint" or "saver"'):
            keras.estimator.model_to_estimator(model, checkpoint_format="ckpt")
        with pytest.raises(NotImplementedError, match="checkpoint_format='saver'"):
            keras.estimator.model_to_estimator(model, checkpoint_format="checkpoint")
        with pytest.raises(ValueError, match="has not been compiled yet"):
            keras.estimator.model_to_estimator(_regressor(compiled=False))
        est = keras.estimator.model_to_estimator(
            model, model_dir=str(tmp_path), metric_names_map={"mae": "m"}
        )
    with pytest.raises(KeyError, match="expected inputs keys"):
        est.train(_input_fn(key="features"))
    with pytest.raises(ValueError, match="Invalid `metric_names_map`"):
        est.evaluate(_input_fn())


def test_sample_weights_from_features_equal_keras_fit_with_sample_weight(tmp_path):
    weights = np.array([1, 0.5, 2, 0, 1, 1, 3, 0.25], np.float32)
    with tf.Graph().as_default():
        model = _regressor(compiled=False)
        model.compile(keras.optimizers.SGD(0.1), "mse", metrics=["mae"], weighted_metrics=["mae"])
        est = keras.estimator.model_to_estimator(model, model_dir=str(tmp_path))

    def input_fn():  # {"features", "sample_weights"}: TF's way to weigh the examples
        features = {"features": {"x": X}, "sample_weights": weights}
        return tf.data.Dataset.from_tensor_slices((features, Y)).batch(4)

    est.train(input_fn)
    results = est.evaluate(input_fn)  # tf_keras 2.21: fit and evaluate with sample_weight
    np.testing.assert_allclose(
        [results["loss"], results["mean_absolute_error"], results["weighted_mean_absolute_error"]],
        [1.0309863, 0.84774804, 0.8865798],
        rtol=1e-6,
    )
    np.testing.assert_allclose(
        est.get_variable_value("h/bias"), [0.19758381, -0.06689363, 0.17128012, -0.09319731], 1e-6
    )
    np.testing.assert_allclose(est.get_variable_value("y/bias"), [0.3368632], rtol=1e-6)


def test_two_outputs_dict_labels_and_batch_norm(tmp_path):
    ya, yb = Y, np.array([0, 1, 1, 0, 1, 0, 0, 1])
    with tf.Graph().as_default():
        inputs = keras.Input((3,), name="x")
        h = keras.layers.BatchNormalization(name="bn")(keras.layers.Dense(4, name="h")(inputs))
        h = keras.layers.Activation("relu")(h)
        a = keras.layers.Dense(1, name="a")(h)
        b = keras.layers.Dense(2, activation="softmax", name="b")(h)
        model = keras.Model(inputs, [a, b])
        model.set_weights(
            [
                np.linspace(-1, 1, w.size).reshape(w.shape).astype(np.float32)
                + (1.5 if "variance" in v.name else 0.0)
                for w, v in zip(model.get_weights(), model.weights, strict=True)
            ]
        )
        model.compile(
            keras.optimizers.Adam(0.01),
            {"a": "mse", "b": "sparse_categorical_crossentropy"},
            loss_weights={"a": 1.0, "b": 0.5},
            metrics={"b": ["accuracy"]},
        )
        est = keras.estimator.model_to_estimator(model, model_dir=str(tmp_path))

    def input_fn():
        return tf.data.Dataset.from_tensor_slices(({"x": X}, {"a": ya, "b": yb})).batch(4)

    est.train(lambda: input_fn().repeat(2))
    results = est.evaluate(input_fn)
    assert sorted(results) == ["b_acc", "global_step", "loss"] and results["b_acc"] == 0.5
    # tf_keras 2.21's fit, two epochs of two batches: the trainable weights
    np.testing.assert_allclose(
        est.get_variable_value("bn/beta"), [-1.0099205, -0.34314722, 0.29452202, 0.9614163], 1e-6
    )
    np.testing.assert_allclose(
        est.get_variable_value("a/kernel").ravel(),
        [-0.9895233, -0.3227838, 0.29962668, 0.9815671],
        rtol=1e-6,
    )
    np.testing.assert_allclose(est.get_variable_value("b/bias"), [-0.9600098, 0.9600098], 1e-6)
    # as TF's model_to_estimator: only trainable variables are warm-started, so the moving
    # statistics start from their initializers (zeros, ones), not from the Keras model's
    assert np.abs(est.get_variable_value("bn/moving_mean")).max() < 0.1
    predictions = list(
        est.predict(lambda: tf.data.Dataset.from_tensor_slices({"x": X[:2]}).batch(2))
    )
    assert sorted(predictions[0]) == ["a", "b"] and predictions[0]["b"].shape == (2,)


def test_keras_model_path_warm_starts_from_the_saved_weights(tmp_path):
    kernel, bias = np.array([[0.5], [-0.25]], np.float32), np.array([0.125], np.float32)
    with tf.Graph().as_default():
        model = keras.Sequential([keras.layers.Dense(1, input_shape=(2,), name="d")])
        model.set_weights([kernel, bias])
        model.compile(keras.optimizers.SGD(0.1), "mse")
        model.save(str(tmp_path / "model.h5"))
    with pytest.raises(ValueError, match="does not exist"):
        keras.estimator.model_to_estimator(keras_model_path=str(tmp_path / "missing.h5"))
    est = keras.estimator.model_to_estimator(
        keras_model_path=str(tmp_path / "model.h5"), model_dir=str(tmp_path / "est")
    )
    x, y = X[:4, :2], Y[:4]
    input_fn = tf.estimator.inputs.numpy_input_fn(
        {"d_input": x}, y, batch_size=4, num_epochs=1, shuffle=False
    )
    results = est.evaluate(input_fn)  # no training yet: the saved model's weights
    assert results["global_step"] == 0
    np.testing.assert_allclose(results["loss"], np.mean((x @ kernel + bias - y) ** 2), rtol=1e-6)
