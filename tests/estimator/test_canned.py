"""The canned estimators (DNN, Linear and DNNLinearCombined Classifier/Regressor) against TF1's:
for each scenario of ``tests/data/canned_estimators.json`` (recorded from
tensorflow-estimator 2.15's ``tf.compat.v1.estimator`` classes on TF 2.21 by
``tools/canned_estimator_reference.py``), scopeflow trains the same estimator on the same data
from the same starting values (a DNN's random ones are loaded by ``warm_start_from``) and must
give TF's checkpoint names, trained values, ``evaluate()`` results and predictions."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import scopeflow as tf

RECORDS = json.loads((Path(__file__).parent.parent / "data/canned_estimators.json").read_text())
SCENARIOS = {s["name"]: s for s in RECORDS["scenarios"]}


def _columns(names):
    fc = tf.feature_column
    cat = fc.categorical_column_with_vocabulary_list("c", ["a", "b", "c"])
    made = {
        "x": fc.numeric_column("x", shape=[2]),
        "c": cat,
        "c_embedding": fc.embedding_column(cat, 2),
        "c_indicator": fc.indicator_column(cat),
        # the census tutorial's kinds of columns
        "age_buckets": fc.bucketized_column(fc.numeric_column("age"), [25, 35, 45]),
        "education": fc.categorical_column_with_vocabulary_list(
            "education", ["Bachelors", "HS-grad", "Masters"]
        ),
        "occupation": fc.categorical_column_with_hash_bucket("occupation", 20),
        "education_x_occupation": fc.crossed_column(["education", "occupation"], 50),
    }
    return [made[n] for n in names]


def _features():
    data = RECORDS["data"]
    return {
        "x": np.array(data["x"], np.float32),
        "c": np.array(data["c"]),
        "w": np.array(data["w"], np.float32),
        "age": np.array(data["age"], np.float32),
        "education": np.array(data["education"]),
        "occupation": np.array(data["occupation"]),
    }


def _labels(spec):
    labels = np.array(spec["labels"])
    return labels.astype(np.float32) if labels.dtype.kind == "f" else labels


def _input(spec, num_epochs):
    return tf.estimator.inputs.numpy_input_fn(
        _features(), _labels(spec), batch_size=6, num_epochs=num_epochs, shuffle=False
    )


def _start_checkpoint(values: dict, directory):
    """Warm-start settings loading the DNN's recorded starting values (None: none)."""
    if not values:
        return None
    with tf.Graph().as_default():
        for name, value in values.items():
            tf.Variable(np.array(value, np.float32), name=name)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            path = tf.train.Saver().save(sess, str(directory / "start"))
    return tf.estimator.WarmStartSettings(path, vars_to_warm_start="dnn/")


@pytest.fixture(scope="module", params=sorted(SCENARIOS))
def trained(request, tmp_path_factory):
    spec = SCENARIOS[request.param]
    directory = tmp_path_factory.mktemp(spec["name"])
    cls = getattr(tf.estimator, spec["cls"])
    kwargs = {arg: _columns(names) for arg, names in spec["columns"].items()}
    kwargs.update(spec["kwargs"], model_dir=str(directory / "model"))
    for arg, ftrl in spec.get("ftrl", {}).items():  # an optimizer instance
        kwargs[arg] = tf.train.FtrlOptimizer(**ftrl)
    warm = _start_checkpoint(spec["start"], directory)
    if warm is not None:  # the baselines have no warm start
        kwargs["warm_start_from"] = warm
    est = cls(**kwargs)
    est.train(_input(spec, None), steps=RECORDS["steps"])
    return spec, est


def test_checkpoint_names_and_trained_values(trained):
    spec, est = trained
    assert est.get_variable_names() == spec["names"]
    for name, value in spec["variables"].items():
        np.testing.assert_allclose(est.get_variable_value(name), value, rtol=2e-4, atol=1e-6)


def test_evaluate(trained):
    spec, est = trained
    results = est.evaluate(_input(spec, 1))
    assert sorted(results) == sorted(spec["metrics"])
    for key, value in spec["metrics"].items():
        np.testing.assert_allclose(results[key], value, rtol=2e-4, atol=1e-6, err_msg=key)


def test_predict(trained):
    spec, est = trained
    rows = list(est.predict(_input(spec, 1)))[:2]
    for row, expected in zip(rows, spec["predictions"], strict=True):
        assert sorted(row) == sorted(expected)
        for key, value in expected.items():
            if row[key].dtype == object:
                assert [s.decode() for s in row[key]] == value
            else:
                np.testing.assert_allclose(row[key], value, rtol=2e-4, atol=1e-6, err_msg=key)


X1 = np.array([[0.0], [1.0], [2.0], [3.0]], np.float32)


def _one_column():
    return [tf.feature_column.numeric_column("x")]


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"n_classes": 1}, ValueError, "n_classes must be > 2: 1."),
        ({"label_vocabulary": "ab"}, TypeError, "label_vocabulary should be a list or a tuple"),
        ({"loss_reduction": "none"}, ValueError, "Invalid loss_reduction: none"),
    ],
)
def test_constructor_errors(kwargs, error, words, tmp_path):
    with pytest.raises(error, match=words):
        tf.estimator.DNNClassifier([2], _one_column(), model_dir=str(tmp_path), **kwargs)


@pytest.mark.parametrize(
    ("optimizer", "words"),
    [
        ("Nesterov", "Unsupported optimizer name: Nesterov. Supported names are: "),
        (object(), "The given object is not an Optimizer instance"),
    ],
)
def test_optimizer_errors(optimizer, words, tmp_path):
    est = tf.estimator.LinearRegressor(_one_column(), str(tmp_path), optimizer=optimizer)
    train = tf.estimator.inputs.numpy_input_fn({"x": X1}, X1, batch_size=4, shuffle=False)
    with pytest.raises(ValueError, match=words):
        est.train(train, steps=1)


def test_optimizer_as_callable_and_missing_labels(tmp_path):
    est = tf.estimator.LinearClassifier(
        _one_column(), str(tmp_path), optimizer=lambda: tf.train.GradientDescentOptimizer(0.1)
    )
    est.train(
        tf.estimator.inputs.numpy_input_fn(
            {"x": X1}, np.array([0, 0, 1, 1]), batch_size=4, shuffle=False
        ),
        steps=1,
    )
    assert "linear/linear_model/x/weights" in est.get_variable_names()
    with pytest.raises(ValueError, match="You must provide a labels Tensor. Given: None."):
        est.evaluate(tf.estimator.inputs.numpy_input_fn({"x": X1}, batch_size=4, shuffle=False))


def test_linear_sdca_is_refused(tmp_path):
    class LinearSDCA:
        pass

    with pytest.raises(NotImplementedError, match="use optimizer='Ftrl'"):
        tf.estimator.LinearClassifier(_one_column(), str(tmp_path), optimizer=LinearSDCA())


def test_export_saved_model_signatures(tmp_path):
    column = tf.feature_column.numeric_column("x")
    est = tf.estimator.DNNClassifier([2], [column], model_dir=str(tmp_path / "model"))
    train = tf.estimator.inputs.numpy_input_fn(
        {"x": X1}, np.array([0, 0, 1, 1]), batch_size=4, shuffle=False
    )
    est.train(train, steps=1)
    receiver = tf.estimator.export.build_parsing_serving_input_receiver_fn(
        tf.feature_column.make_parse_example_spec([column])
    )
    path = est.export_saved_model(str(tmp_path / "export"), receiver)
    with tf.Session(graph=tf.Graph()) as sess:
        meta = tf.saved_model.loader.load(sess, ["serve"], path.decode())
    signatures = {
        key: (sig.method_name, sorted(sig.outputs)) for key, sig in meta.signature_def.items()
    }
    classify = ("tensorflow/serving/classify", ["classes", "scores"])
    assert signatures == {
        "serving_default": classify,
        "classification": classify,
        "regression": ("tensorflow/serving/regress", ["outputs"]),
        "predict": (
            "tensorflow/serving/predict",
            [
                "all_class_ids",
                "all_classes",
                "class_ids",
                "classes",
                "logistic",
                "logits",
                "probabilities",
            ],
        ),
    }
