"""Records what TF1's canned estimators compute, for tests/estimator/test_canned.py.

Run with a Python that has TensorFlow and tensorflow-estimator (the 2.15 package, whose
``tf.compat.v1.estimator`` classes are TF1's; on TF 2.21 it needs the stand-ins below for the
modules TF dropped, which the canned estimators never call)::

    /tmp/tfref/bin/python tools/canned_estimator_reference.py

It writes ``tests/data/canned_estimators.json``: for each scenario its spec
(the estimator, its arguments, feature columns, data, steps) and what TF produced: the
starting values of the trainable variables (random for a DNN, then loaded into both
frameworks by ``warm_start_from``), the checkpoint's variable names after training, the
trained variables' values, ``evaluate()``'s results and the first predictions.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
import types
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent.parent / "tests/data/canned_estimators.json"
X = [[1.0, 2.0], [2.0, 1.0], [3.0, 0.5], [0.0, 3.0], [1.5, 1.5], [2.5, 0.0]]
C = [["a"], ["b"], ["c"], ["a"], ["c"], ["b"]]
W = [1.0, 2.0, 0.5, 1.0, 1.5, 1.0]
AGE = [22.0, 38.0, 50.0, 30.0, 41.0, 28.0]
EDUCATION = ["Bachelors", "HS-grad", "Masters", "HS-grad", "Bachelors", "Masters"]
OCCUPATION = ["Tech", "Sales", "Exec", "Tech", "Craft", "Sales"]
DATA = {"x": X, "c": C, "w": W, "age": AGE, "education": EDUCATION, "occupation": OCCUPATION}
SCENARIOS = [
    {
        "name": "dnn_binary",
        "cls": "DNNClassifier",
        "columns": {"feature_columns": ["x"]},
        "labels": [1, 0, 0, 1, 1, 0],
        "kwargs": {"hidden_units": [3]},
    },
    {
        "name": "dnn_multiclass_vocab",
        "cls": "DNNClassifier",
        "columns": {"feature_columns": ["x", "c_embedding"]},
        "labels": [["q"], ["r"], ["s"], ["q"], ["s"], ["r"]],
        "kwargs": {
            "hidden_units": [4, 3],
            "n_classes": 3,
            "label_vocabulary": ["q", "r", "s"],
            "weight_column": "w",
        },
    },
    {
        "name": "dnn_regressor_bn",
        "cls": "DNNRegressor",
        "columns": {"feature_columns": ["x", "c_indicator"]},
        "labels": [[0.5, 1.0], [1.0, 0.0], [2.0, 1.5], [0.0, 0.5], [1.0, 1.0], [1.5, 0.0]],
        "kwargs": {
            "hidden_units": [3],
            "label_dimension": 2,
            "batch_norm": True,
            "optimizer": "SGD",
        },
    },
    {
        "name": "linear_binary",
        "cls": "LinearClassifier",
        "columns": {"feature_columns": ["x", "c"]},
        "labels": [1, 0, 0, 1, 1, 0],
        "kwargs": {"weight_column": "w"},
    },
    {
        "name": "linear_multiclass",
        "cls": "LinearClassifier",
        "columns": {"feature_columns": ["x", "c"]},
        "labels": [0, 1, 2, 0, 2, 1],
        "kwargs": {"n_classes": 3},
    },
    {
        "name": "wide_deep_binary",
        "cls": "DNNLinearCombinedClassifier",
        "columns": {"linear_feature_columns": ["x", "c"], "dnn_feature_columns": ["x"]},
        "labels": [1, 0, 0, 1, 1, 0],
        "kwargs": {"dnn_hidden_units": [3]},
    },
    {
        "name": "wide_deep_regressor",
        "cls": "DNNLinearCombinedRegressor",
        "columns": {"linear_feature_columns": ["c"], "dnn_feature_columns": ["x", "c_embedding"]},
        "labels": [0.5, 1.0, 2.0, 0.0, 1.0, 1.5],
        "kwargs": {"dnn_hidden_units": [3, 2], "dnn_optimizer": "SGD", "weight_column": "w"},
    },
    {
        "name": "baseline_binary",
        "cls": "BaselineClassifier",
        "columns": {},
        "labels": [1, 0, 0, 1, 1, 1],
        "kwargs": {"weight_column": "w"},
    },
    {
        "name": "baseline_regressor",
        "cls": "BaselineRegressor",
        "columns": {},
        "labels": [[0.5, 1.0], [1.0, 0.0], [2.0, 1.5], [0.0, 0.5], [1.0, 1.0], [1.5, 0.0]],
        "kwargs": {"label_dimension": 2},
    },
    {
        "name": "census_linear",
        "cls": "LinearClassifier",
        "columns": {
            "feature_columns": ["age_buckets", "education", "occupation", "education_x_occupation"]
        },
        "labels": [0, 1, 1, 0, 1, 0],
        "kwargs": {},
        "ftrl": {
            "optimizer": {
                "learning_rate": 0.1,
                "l1_regularization_strength": 1.0,
                "l2_regularization_strength": 1.0,
            }
        },
    },
    {
        "name": "census_wide_deep",
        "cls": "DNNLinearCombinedClassifier",
        "columns": {
            "linear_feature_columns": ["age_buckets", "education_x_occupation"],
            "dnn_feature_columns": ["age_buckets", "c_embedding"],
        },
        "labels": [0, 1, 1, 0, 1, 0],
        "kwargs": {"dnn_hidden_units": [4]},
    },
    {
        "name": "linear_regressor",
        "cls": "LinearRegressor",
        "columns": {"feature_columns": ["x"]},
        "labels": [0.5, 1.0, 2.0, 0.0, 1.0, 1.5],
        "kwargs": {"optimizer": "Adagrad"},
    },
]
STEPS = 3


def columns(fc, names):
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


def _tensorflow():
    os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow.compat.v1 as tf
    import tensorflow.python.distribute as distribute
    import tensorflow.python.tpu as tpu
    from tensorflow.python.util import tf_export

    stub = types.ModuleType("tensorflow.python.distribute.estimator_training")
    stub.should_run_distribute_coordinator = lambda config: False
    sys.modules[stub.__name__] = distribute.estimator_training = stub
    tf_export.ESTIMATOR_API_NAME = "estimator"
    names = ("_estimator_api_names", "_estimator_api_constants")
    tf_export.API_ATTRS["estimator"] = tf_export._Attributes(*names)
    tf_export.API_ATTRS_V1["estimator"] = tf_export._Attributes(*(n + "_v1" for n in names))

    class Anything(types.ModuleType):
        def __getattr__(self, name):
            if name.startswith("__"):
                raise AttributeError(name)
            return type(name, (), {"__init__": lambda self, *a, **k: None})

    for _ in range(20):
        try:
            from tensorflow_estimator.python.estimator.canned import (
                baseline,
                dnn,
                dnn_linear_combined,
                linear,
            )
            from tensorflow_estimator.python.estimator.estimator import WarmStartSettings
            from tensorflow_estimator.python.estimator.inputs import numpy_io

            break
        except ImportError as error:
            found = re.search(r"cannot import name '(\w+)' from '([\w.]+)'", str(error))
            if not found or found.group(2) != "tensorflow.python.tpu":
                raise
            for key in [k for k in sys.modules if k.startswith("tensorflow_estimator")]:
                del sys.modules[key]
            module = Anything(f"{found.group(2)}.{found.group(1)}")
            sys.modules[module.__name__] = module
            setattr(tpu, found.group(1), module)
    tf.disable_v2_behavior()
    classes = {
        c: getattr(module, c)
        for module in (baseline, dnn, linear, dnn_linear_combined)
        for c in ("Baseline", "DNN", "Linear", "DNNLinearCombined")
        for c in (c + "Classifier", c + "Regressor")
        if hasattr(module, c)
    }
    return tf, classes, numpy_io.numpy_input_fn, WarmStartSettings


def _features():
    return {
        "x": np.array(X, np.float32),
        "c": np.array(C),
        "w": np.array(W, np.float32),
        "age": np.array(AGE, np.float32),
        "education": np.array(EDUCATION),
        "occupation": np.array(OCCUPATION),
    }


def _labels(spec):
    labels = np.array(spec["labels"])
    return labels.astype(np.float32) if labels.dtype.kind == "f" else labels


def _is_slot(name):
    return name == "global_step" or re.search(r"/(Adagrad|Ftrl|Adam|RMSProp|Momentum)(_1)?$", name)


def run(tf, classes, numpy_input_fn, settings, spec):
    fc = tf.feature_column
    cls = classes[spec["cls"]]

    def make(**kw):
        made = {arg: columns(fc, names) for arg, names in spec["columns"].items()}
        for arg, ftrl in spec.get("ftrl", {}).items():  # an optimizer instance
            made[arg] = tf.train.FtrlOptimizer(**ftrl)
        return cls(**made, **spec["kwargs"], **kw)

    def train():
        return numpy_input_fn(
            _features(), _labels(spec), batch_size=6, num_epochs=None, shuffle=False
        )

    once = numpy_input_fn(_features(), _labels(spec), batch_size=6, num_epochs=1, shuffle=False)
    probe = make(model_dir=tempfile.mkdtemp()).train(train(), steps=1)
    rng = np.random.RandomState(0)
    start = {}
    for name in probe.get_variable_names():
        value = probe.get_variable_value(name)
        if name.startswith("dnn/") and not _is_slot(name) and "moving_" not in name:
            start[name] = rng.uniform(-0.5, 0.5, value.shape).astype(np.float32).tolist()
    warm = None
    if start:
        warm = tempfile.mkdtemp() + "/start"
        with tf.Graph().as_default():
            for name, value in start.items():
                tf.Variable(np.array(value, np.float32), name=name)
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                tf.train.Saver().save(sess, warm)
    # Only the DNN's variables: a wide-and-deep model's linear part starts from zeros.
    warm = warm and settings(warm, vars_to_warm_start="dnn/")
    warm = {"warm_start_from": warm} if warm else {}  # the baselines have no warm start
    est = make(model_dir=tempfile.mkdtemp(), **warm).train(train(), steps=STEPS)
    names = est.get_variable_names()
    metrics = {k: float(v) for k, v in est.evaluate(once).items()}
    predictions = []
    for i, row in enumerate(est.predict(once)):
        if i == 2:
            break
        predictions.append(
            {
                k: v.tolist() if v.dtype != object else [s.decode() for s in v]
                for k, v in row.items()
            }
        )
    trained = {n: est.get_variable_value(n).tolist() for n in names if not _is_slot(n)}
    return {
        **spec,
        "start": start,
        "names": names,
        "metrics": metrics,
        "predictions": predictions,
        "variables": trained,
    }


def main():
    tf, classes, numpy_input_fn, settings = _tensorflow()
    records = {
        "data": DATA,
        "steps": STEPS,
        "scenarios": [run(tf, classes, numpy_input_fn, settings, s) for s in SCENARIOS],
    }
    OUT.write_text(json.dumps(records, indent=1) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
