"""Canned estimators driven the way TF1 pipelines drove them: a LinearClassifier on feature
columns (numeric, bucketized, vocabulary list, crossed) run by tf.estimator.train_and_evaluate
with a TrainSpec, an EvalSpec with a LatestExporter and a BestExporter fed by
build_parsing_serving_input_receiver_fn over make_parse_example_spec; the exported SavedModel
loaded and its classification signature run on serialized tf.train.Examples; then a
DNNRegressor warm-started (WarmStartSettings with renamed variables) from a checkpoint a plain
graph wrote, trained, evaluated and predicted.

The expected names and numbers were printed by the same program under TensorFlow 2.21 with
tensorflow-estimator 2.15 (``tf.compat.v1.estimator``; run with the stand-ins of
tools/canned_estimator_reference.py).
"""

import os

import numpy as np
import pytest

import scopeflow as tf
from tests.programs.compare import close

AGE = [22.0, 38.0, 50.0, 30.0, 41.0, 28.0, 61.0, 35.0]
X = [[1.0, 2.0], [2.0, 1.0], [3.0, 0.5], [0.0, 3.0], [1.5, 1.5], [2.5, 0.0], [0.5, 0.5], [1.0, 1.0]]
JOB = ["tech", "sales", "exec", "tech", "craft", "sales", "exec", "tech"]
LABEL = [0, 1, 2, 0, 1, 2, 2, 0]


def _columns(tf):
    fc = tf.feature_column
    job = fc.categorical_column_with_vocabulary_list(
        "job", ["tech", "sales", "exec"], num_oov_buckets=1
    )
    age = fc.bucketized_column(fc.numeric_column("age"), [30.0, 45.0])
    return [fc.numeric_column("x", shape=[2]), age, job, fc.crossed_column([age, job], 11)]


def _input_fn(tf, repeat):
    def input_fn():
        features = {
            "x": np.array(X, np.float32),
            "age": np.array(AGE, np.float32),
            "job": np.array(JOB),
        }
        ds = tf.data.Dataset.from_tensor_slices((features, np.array(LABEL, np.int64)))
        return ds.repeat(repeat).batch(4)

    return input_fn


def _example(tf, i):
    f = tf.train.Feature
    return tf.train.Example(
        features=tf.train.Features(
            feature={
                "x": f(float_list=tf.train.FloatList(value=X[i])),
                "age": f(float_list=tf.train.FloatList(value=[AGE[i]])),
                "job": f(bytes_list=tf.train.BytesList(value=[JOB[i].encode()])),
            }
        )
    ).SerializeToString()


def program(tf, workdir):
    workdir = str(workdir)
    out = {}
    columns = _columns(tf)
    config = tf.estimator.RunConfig(
        tf_random_seed=7, save_checkpoints_steps=3, log_step_count_steps=None
    )
    linear = tf.estimator.LinearClassifier(
        columns,
        model_dir=os.path.join(workdir, "linear"),
        n_classes=3,
        config=config,
        optimizer=tf.train.FtrlOptimizer(0.3, l1_regularization_strength=0.01),
    )
    serving_fn = tf.estimator.export.build_parsing_serving_input_receiver_fn(
        tf.feature_column.make_parse_example_spec(columns)
    )
    exporters = [
        tf.estimator.LatestExporter("latest", serving_fn, exports_to_keep=1),
        tf.estimator.BestExporter("best", serving_fn, exports_to_keep=1),
    ]
    train_spec = tf.estimator.TrainSpec(_input_fn(tf, None), max_steps=6)
    eval_spec = tf.estimator.EvalSpec(
        _input_fn(tf, 1),
        steps=None,
        exporters=exporters,
        start_delay_secs=0,
        throttle_secs=0,
        name="holdout",
    )
    result = tf.estimator.train_and_evaluate(linear, train_spec, eval_spec)
    metrics = result[0]
    out["metrics"] = {k: round(float(v), 5) for k, v in sorted(metrics.items())}
    out["eval_dir"] = sorted(
        "events" if n.startswith("events.out.tfevents") else n
        for n in os.listdir(os.path.join(workdir, "linear"))
    )
    best = tf.estimator.BestExporter(
        "best2", serving_fn, event_file_pattern="eval_holdout/*.tfevents.*", exports_to_keep=2
    )
    base = os.path.join(workdir, "best2")
    worse = best.export(linear, base, None, {"loss": metrics["loss"] + 0.5}, False)
    better = best.export(linear, base, None, {"loss": metrics["loss"] - 0.5}, False)
    again = best.export(linear, base, None, {"loss": metrics["loss"] + 0.2}, False)
    out["best2"] = [worse is None, better is not None, again is None, len(os.listdir(base))]
    out["linear_vars"] = [[n, s] for n, s in tf.train.list_variables(linear.model_dir)]
    out["bias"] = np.round(
        linear.get_variable_value("linear/linear_model/bias_weights"), 5
    ).tolist()
    latest = os.path.join(workdir, "linear", "export", "latest")
    stamps = os.listdir(latest)
    out["exports"] = [len(stamps), sorted(os.listdir(os.path.join(workdir, "linear", "export")))]
    export_dir = os.path.join(latest, stamps[0])
    with tf.Graph().as_default(), tf.Session() as sess:
        meta = tf.saved_model.loader.load(sess, ["serve"], export_dir)
        sig = meta.signature_def["classification"]
        got = sess.run(
            {k: v.name for k, v in sig.outputs.items()},
            {sig.inputs["inputs"].name: [_example(tf, i) for i in range(3)]},
        )
        out["signatures"] = sorted(meta.signature_def)
        out["served"] = [
            [c.decode() for c in got["classes"][0]],
            np.round(got["scores"], 5).tolist(),
        ]
        out["serve_inputs"] = sorted(meta.signature_def["predict"].inputs)
        out["serve_outputs"] = sorted(meta.signature_def["predict"].outputs)

    pre_dir = os.path.join(workdir, "pre")
    with tf.Graph().as_default():
        rng = np.random.RandomState(3)
        tf.Variable(rng.randn(2, 3).astype(np.float32), name="old/h/w")
        tf.Variable(rng.randn(3).astype(np.float32), name="old/h/b")
        tf.Variable(rng.randn(3, 1).astype(np.float32), name="old/out/w")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            ckpt = tf.train.Saver().save(sess, os.path.join(pre_dir, "model.ckpt"))
    warm = tf.estimator.WarmStartSettings(
        ckpt,
        vars_to_warm_start=".*(hiddenlayer_0|logits)/kernel|.*hiddenlayer_0/bias",
        var_name_to_prev_var_name={
            "dnn/hiddenlayer_0/kernel": "old/h/w",
            "dnn/hiddenlayer_0/bias": "old/h/b",
            "dnn/logits/kernel": "old/out/w",
        },
    )
    dnn = tf.estimator.DNNRegressor(
        [3],
        [tf.feature_column.numeric_column("x", shape=[2])],
        model_dir=os.path.join(workdir, "dnn"),
        optimizer="Adagrad",
        warm_start_from=warm,
        config=tf.estimator.RunConfig(tf_random_seed=1, log_step_count_steps=None),
    )

    def reg_input():
        ds = tf.data.Dataset.from_tensor_slices(
            ({"x": np.array(X, np.float32)}, np.array(AGE, np.float32)[:, None] / 50.0)
        )
        return ds.batch(8)

    dnn.train(lambda: reg_input().repeat(), steps=4)
    out["dnn_eval"] = {k: round(float(v), 5) for k, v in sorted(dnn.evaluate(reg_input).items())}
    out["dnn_pred"] = [round(float(p["predictions"][0]), 5) for p in dnn.predict(reg_input)][:4]
    out["dnn_vars"] = [n for n, _ in tf.train.list_variables(dnn.model_dir)]
    return out


EXPECTED = {
    "metrics": {"accuracy": 1.0, "average_loss": 0.13897, "global_step": 6.0, "loss": 0.55586},
    "eval_dir": [
        "checkpoint",
        "eval_holdout",
        "events",
        "export",
        "graph.pbtxt",
        "model.ckpt-0.data-00000-of-00001",
        "model.ckpt-0.index",
        "model.ckpt-0.meta",
        "model.ckpt-3.data-00000-of-00001",
        "model.ckpt-3.index",
        "model.ckpt-3.meta",
        "model.ckpt-6.data-00000-of-00001",
        "model.ckpt-6.index",
        "model.ckpt-6.meta",
    ],
    "best2": [False, True, True, 2],
    "linear_vars": [
        ["global_step", []],
        ["linear/linear_model/age_bucketized/weights", [3, 3]],
        ["linear/linear_model/age_bucketized/weights/part_0/Ftrl", [3, 3]],
        ["linear/linear_model/age_bucketized/weights/part_0/Ftrl_1", [3, 3]],
        ["linear/linear_model/age_bucketized_X_job/weights", [11, 3]],
        ["linear/linear_model/age_bucketized_X_job/weights/part_0/Ftrl", [11, 3]],
        ["linear/linear_model/age_bucketized_X_job/weights/part_0/Ftrl_1", [11, 3]],
        ["linear/linear_model/bias_weights", [3]],
        ["linear/linear_model/bias_weights/part_0/Ftrl", [3]],
        ["linear/linear_model/bias_weights/part_0/Ftrl_1", [3]],
        ["linear/linear_model/job/weights", [4, 3]],
        ["linear/linear_model/job/weights/part_0/Ftrl", [4, 3]],
        ["linear/linear_model/job/weights/part_0/Ftrl_1", [4, 3]],
        ["linear/linear_model/x/weights", [2, 3]],
        ["linear/linear_model/x/weights/part_0/Ftrl", [2, 3]],
        ["linear/linear_model/x/weights/part_0/Ftrl_1", [2, 3]],
    ],
    "bias": [0.153889998793602, -0.1837099939584732, -0.017170000821352005],
    "exports": [1, ["best", "latest"]],
    "signatures": ["classification", "predict", "serving_default"],
    "served": [
        ["0", "1", "2"],
        [
            [0.9160900115966797, 0.03009999915957451, 0.0538100004196167],
            [0.07100000232458115, 0.7041500210762024, 0.22484999895095825],
            [0.003809999907389283, 0.012489999644458294, 0.9836900234222412],
        ],
    ],
    "serve_inputs": ["examples"],
    "serve_outputs": [
        "all_class_ids",
        "all_classes",
        "class_ids",
        "classes",
        "logits",
        "probabilities",
    ],
    "dnn_eval": {
        "average_loss": 0.78603,
        "global_step": 4.0,
        "label/mean": 0.7625,
        "loss": 6.28822,
        "prediction/mean": -0.02168,
    },
    "dnn_pred": [0.12512, 0.06895, -0.57139, 0.12512],
    "dnn_vars": [
        "dnn/hiddenlayer_0/bias",
        "dnn/hiddenlayer_0/bias/t_0/Adagrad",
        "dnn/hiddenlayer_0/kernel",
        "dnn/hiddenlayer_0/kernel/t_0/Adagrad",
        "dnn/logits/bias",
        "dnn/logits/bias/t_0/Adagrad",
        "dnn/logits/kernel",
        "dnn/logits/kernel/t_0/Adagrad",
        "global_step",
    ],
}


def test_canned_train_and_evaluate_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)


def test_best_exporter_checks_match_tensorflow():
    with pytest.raises(ValueError, match="`compare_fn` must not be None"):
        tf.estimator.BestExporter(compare_fn=None)
    with pytest.raises(ValueError, match="must include best_eval_result argument"):
        tf.estimator.BestExporter(compare_fn=lambda a, b: True)
    with pytest.raises(ValueError, match="must include current_eval_result argument"):
        tf.estimator.BestExporter(compare_fn=lambda best_eval_result, b: True)
    with pytest.raises(ValueError, match=r"has following not expected args: \['z'\]"):
        tf.estimator.BestExporter(compare_fn=lambda best_eval_result, current_eval_result, z: 1)
    with pytest.raises(ValueError, match="must be a positive number. Got 0"):
        tf.estimator.BestExporter(exports_to_keep=0)
    assert tf.estimator.BestExporter().name == "best_exporter"
