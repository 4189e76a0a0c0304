"""Estimator.train/evaluate/predict: checkpoints and files in model_dir, resuming, log lines,
the dict evaluate returns and its summaries, against what TF 2.21's tf.estimator (2.15)
gives for the same model (the numbers below were read from it)."""

from __future__ import annotations

import glob
import logging
import os

import numpy as np
import pytest

import scopeflow as tf

X = np.arange(8, dtype=np.float32)
Y = 2 * X
# TF 2.21 + tensorflow_estimator 2.15, same model, input and config, read from its run:
TF_LOSSES = {"step 1": 14.0, "step 3": 1.6576674, "step 5": 0.19627598}
TF_EVAL = {"loss": np.float32(0.84879595), "mae": np.float32(0.7708159), "global_step": 5}
TF_W = np.float32(1.7797669)


def model_fn(features, labels, mode, params):
    w = tf.get_variable("w", [1], initializer=tf.zeros_initializer())
    pred = features["x"] * w
    if mode == tf.estimator.ModeKeys.PREDICT:
        w_per_example = tf.tile(w, [tf.shape(pred)[0]])
        return tf.estimator.EstimatorSpec(mode, predictions={"y": pred, "w": w_per_example})
    loss = tf.reduce_mean(tf.square(pred - labels))
    optimizer = tf.train.GradientDescentOptimizer(params["lr"])
    train_op = optimizer.minimize(loss, global_step=tf.train.get_global_step())
    metrics = {"mae": tf.metrics.mean_absolute_error(labels, pred)}
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op, eval_metric_ops=metrics)


def train_input(num_epochs=None):
    return tf.estimator.inputs.numpy_input_fn(
        {"x": X}, Y, batch_size=4, num_epochs=num_epochs, shuffle=False
    )


def make(model_dir, **config):
    config = {"save_checkpoints_steps": 3, "log_step_count_steps": 2, **config}
    return tf.estimator.Estimator(
        model_fn, model_dir=str(model_dir), params={"lr": 0.01},
        config=tf.estimator.RunConfig(**config),
    )  # fmt: skip


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """An estimator trained 5 steps, as in TF's run; its training log."""
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logger = logging.getLogger("tensorflow")
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.INFO)
    try:
        est = make(tmp_path_factory.mktemp("model")).train(train_input(), steps=5)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
    return est, [r.getMessage() for r in records]


def test_train_writes_tf1s_files(trained):
    est, _ = trained
    names = sorted(os.listdir(est.model_dir))
    exts = ("data-00000-of-00001", "index", "meta")
    ckpts = [f"model.ckpt-{s}.{ext}" for s in (0, 3, 5) for ext in exts]
    assert [n for n in names if not n.startswith("events.out.tfevents.")] == sorted(
        ["checkpoint", "graph.pbtxt", *ckpts]
    )
    state = open(os.path.join(est.model_dir, "checkpoint")).read()
    assert state.splitlines()[0] == 'model_checkpoint_path: "model.ckpt-5"'
    assert est.latest_checkpoint() == os.path.join(est.model_dir, "model.ckpt-5")


def test_train_logs_tf1s_lines_and_losses(trained):
    _, lines = trained
    assert lines[0].startswith("Using config: {'_model_dir': ")
    assert lines[1:5] == [
        "Calling model_fn.", "Done calling model_fn.", "Create CheckpointSaverHook.",
        "Graph was finalized.",
    ]  # fmt: skip
    assert (
        "Saving checkpoints for 3 into " + os.path.join(trained[0].model_dir, "model.ckpt.")
        in lines
    )
    losses = [line for line in lines if line.startswith("loss = ")]
    assert losses[0] == "loss = 14.0, step = 1"
    assert [line.split(" (")[0] for line in losses[1:]] == [
        "loss = 1.6576674, step = 3", "loss = 0.19627598, step = 5",
    ]  # fmt: skip
    assert lines[-1] == "Loss for final step: 0.19627598."


def test_variables_of_the_latest_checkpoint(trained):
    est, _ = trained
    assert est.get_variable_names() == ["global_step", "w"]
    np.testing.assert_allclose(est.get_variable_value("w"), [TF_W], rtol=1e-6)
    assert repr(est.get_variable_value("global_step")) == "np.int64(5)"  # TF's type


def test_evaluate_returns_tf1s_dict_and_writes_summaries(trained):
    est, _ = trained
    results = est.evaluate(train_input(num_epochs=1))
    assert sorted(results) == ["global_step", "loss", "mae"]
    assert isinstance(results["loss"], np.float32) and isinstance(results["global_step"], np.int64)
    for key, value in TF_EVAL.items():
        np.testing.assert_allclose(results[key], value, rtol=1e-6)
    (events,) = glob.glob(os.path.join(est.model_dir, "eval", "events.out.tfevents.*"))
    tags = {
        v.tag: v for e in tf.train.summary_iterator(events) if e.step == 5 for v in e.summary.value
    }
    assert sorted(tags) == ["checkpoint_path", "loss", "mae"]
    assert tags["mae"].simple_value == pytest.approx(TF_EVAL["mae"])
    assert tags["checkpoint_path"].tensor.string_val == [est.latest_checkpoint().encode()]


def test_evaluate_steps_name_and_checkpoint_path(trained):
    est, _ = trained
    first = os.path.join(est.model_dir, "model.ckpt-0")
    results = est.evaluate(train_input(), steps=1, name="first", checkpoint_path=first)
    assert results["global_step"] == 0 and results["loss"] == pytest.approx(np.mean(X[:4] ** 2 * 4))
    assert os.listdir(est.eval_dir("first")) and est.eval_dir("first").endswith("eval_first")


def test_predict_yields_examples_batches_and_keys(trained):
    est, _ = trained
    input_fn = tf.estimator.inputs.numpy_input_fn({"x": X[:3]}, batch_size=2, shuffle=False)
    examples = list(est.predict(input_fn))
    assert len(examples) == 3 and sorted(examples[0]) == ["w", "y"]
    np.testing.assert_allclose([e["y"] for e in examples], X[:3] * TF_W, rtol=1e-6)
    batches = list(est.predict(input_fn, predict_keys=["y"], yield_single_examples=False))
    assert [sorted(b) for b in batches] == [["y"], ["y"]] and len(batches[1]["y"]) == 1
    with pytest.raises(ValueError, match="Expected to run at least one output from"):
        next(est.predict(input_fn, predict_keys=["nope"]))


def test_training_resumes_from_the_latest_checkpoint(tmp_path, caplog):
    est = make(tmp_path).train(train_input(), steps=5)
    with caplog.at_level(logging.INFO, logger="tensorflow"):
        est.train(train_input(), max_steps=7)
        est.train(train_input(), max_steps=7)
    assert f"Restoring parameters from {tmp_path / 'model.ckpt-5'}" in caplog.messages
    assert "Loss for final step: 1.3214228." in caplog.messages  # TF's value
    assert caplog.messages[-1] == "Skipping training since max_steps has already saved."
    assert est.get_variable_value("global_step") == 7
    assert est.train(train_input(), steps=2).get_variable_value("global_step") == 9


def test_keep_checkpoint_max_and_an_input_that_ends(tmp_path):
    est = make(tmp_path, save_checkpoints_steps=1, keep_checkpoint_max=2)
    est.train(train_input(num_epochs=2))  # 4 batches, then the input ends
    assert sorted(glob.glob(str(tmp_path / "model.ckpt-*.index"))) == [
        str(tmp_path / "model.ckpt-3.index"), str(tmp_path / "model.ckpt-4.index"),
    ]  # fmt: skip


def test_model_fn_may_declare_any_subset_and_a_dataset_input(tmp_path):
    seen = {}

    def small_model_fn(features, mode, config):
        seen.update(mode=mode, config=config)
        w = tf.get_variable("w", [], initializer=tf.ones_initializer())
        loss = tf.reduce_sum(features * w)
        step = tf.assign_add(tf.train.get_global_step(), 1)
        return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=step)

    def input_fn():
        return tf.data.Dataset.from_tensor_slices(np.ones([6, 2], np.float32)).batch(2)

    est = tf.estimator.Estimator(small_model_fn, model_dir=str(tmp_path))
    est.train(input_fn)
    assert seen["mode"] == "train" and seen["config"].model_dir == str(tmp_path)
    assert est.get_variable_value("global_step") == 3
    assert est.evaluate(input_fn)["loss"] == pytest.approx(4.0)


def test_warm_start_from_another_model_dir(trained, tmp_path):
    est = tf.estimator.Estimator(
        model_fn, model_dir=str(tmp_path), params={"lr": 0.0},
        warm_start_from=trained[0].model_dir,
    )  # fmt: skip
    est.train(train_input(), steps=1)
    np.testing.assert_allclose(est.get_variable_value("w"), [TF_W], rtol=1e-6)
    assert est.get_variable_value("global_step") == 1  # global_step is not trainable


def test_saving_listeners_are_called_around_each_save(tmp_path):
    steps = []

    class Listener(tf.train.CheckpointSaverListener):
        def after_save(self, session, global_step_value):
            steps.append(global_step_value)

    make(tmp_path).train(train_input(), steps=4, saving_listeners=[Listener()])
    assert steps == [0, 3, 4]
    with pytest.raises(ValueError, match="There should be a CheckpointSaverHook"):
        make(tmp_path, save_checkpoints_steps=None).train(
            train_input(), steps=1, saving_listeners=[Listener()]
        )


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"steps": 1, "max_steps": 1}, ValueError, "Can not provide both steps and max_steps."),
        ({"steps": 0}, ValueError, "Must specify steps > 0, given: 0"),
        ({"max_steps": -1}, ValueError, "Must specify max_steps > 0, given: -1"),
        ({"hooks": [1]}, TypeError, "Hooks must be a SessionRunHook, given: 1"),
        ({"saving_listeners": [1]}, TypeError, "saving_listeners must be a list of"),
    ],
)
def test_train_arguments_are_checked(tmp_path, kwargs, error, message):
    with pytest.raises(error, match=message):
        make(tmp_path).train(train_input(), **kwargs)


def test_construction_errors(tmp_path):
    with pytest.raises(ValueError, match="model_fn must be provided to Estimator."):
        tf.estimator.Estimator(None)
    with pytest.raises(ValueError, match="config must be an instance of `RunConfig`"):
        tf.estimator.Estimator(model_fn, params={}, config={})
    config = tf.estimator.RunConfig(model_dir=str(tmp_path / "a"))
    with pytest.raises(ValueError, match="`model_dir` are set both in constructor and"):
        tf.estimator.Estimator(model_fn, str(tmp_path / "b"), config=config, params={})

    class Overriding(tf.estimator.Estimator):
        def train(self, input_fn):
            return self

    with pytest.raises(ValueError, match=r"cannot override members of Estimator.*\['train'\]"):
        Overriding(model_fn, params={})


def test_run_time_errors(tmp_path):
    est = make(tmp_path)
    with pytest.raises(ValueError, match="Could not find trained model in model_dir"):
        est.get_variable_names()

    def no_labels(features, mode):
        return tf.estimator.EstimatorSpec(mode, loss=tf.constant(0.0), train_op=tf.no_op())

    with pytest.raises(ValueError, match="model_fn does not take labels, but input_fn returns"):
        tf.estimator.Estimator(no_labels, str(tmp_path)).train(train_input(), steps=1)
    with pytest.raises(ValueError, match="model_fn should return an EstimatorSpec."):
        features_only = tf.estimator.inputs.numpy_input_fn({"x": X}, shuffle=False)
        tf.estimator.Estimator(lambda features: None, str(tmp_path)).train(features_only)


def metric_named(name):
    def fn(features, labels, mode):
        loss = tf.constant(1.0)
        metrics = {name: tf.metrics.mean(loss)}
        return tf.estimator.EstimatorSpec(mode, loss=loss, eval_metric_ops=metrics)

    return fn


@pytest.mark.parametrize(
    "fn, kwargs, message",
    [
        (model_fn, {"steps": 0}, "Must specify steps > 0, given: 0"),
        (metric_named("loss"), {}, 'Metric with name "loss" is not allowed, because Estimator'),
        (metric_named("global_step"), {}, "Metric with name `global_step` is not allowed"),
    ],
)
def test_evaluate_errors(tmp_path, fn, kwargs, message):
    est = tf.estimator.Estimator(fn, str(tmp_path), params={} if fn is model_fn else None)
    with pytest.raises(ValueError, match=message):
        est.evaluate(train_input(num_epochs=1), **kwargs)


def test_add_metrics_extends_evaluation_only(trained):
    def metric_fn(labels, predictions, features, config):
        assert config.model_dir == trained[0].model_dir
        return {"mae": tf.metrics.mean(features["x"]), "total": tf.metrics.mean(labels)}

    def model_fn_with_predictions(features, labels, mode, params):
        spec = model_fn(features, labels, mode, params)
        return spec._replace(predictions={"p": features["x"]})

    base = tf.estimator.Estimator(
        model_fn_with_predictions, trained[0].model_dir, params={"lr": 0.01}
    )
    results = tf.estimator.add_metrics(base, metric_fn).evaluate(train_input(num_epochs=1))
    assert sorted(results) == ["global_step", "loss", "mae", "total"]
    assert results["mae"] == pytest.approx(X.mean()) and results["total"] == pytest.approx(Y.mean())
    with pytest.raises(ValueError, match=r"has following not expected args: \['mode'\]"):
        tf.estimator.add_metrics(base, lambda mode: {})


def test_a_classifier_with_tf_metrics_matches_tf(tmp_path):
    x = np.stack([np.arange(12, dtype=np.float32), np.arange(12, dtype=np.float32)[::-1]], 1) / 12
    y = (np.arange(12) % 3 == 0).astype(np.int64)

    def classifier_fn(features, labels, mode):
        logits = tf.layers.dense(features, 2, kernel_initializer=tf.zeros_initializer(), name="out")
        classes = tf.argmax(logits, 1)
        if mode == tf.estimator.ModeKeys.PREDICT:
            return tf.estimator.EstimatorSpec(mode, predictions=classes)
        loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
        optimizer = tf.train.AdamOptimizer(0.1)
        train_op = optimizer.minimize(loss, global_step=tf.train.get_global_step())
        metrics = {
            "acc": tf.metrics.accuracy(labels, classes),
            "auc": tf.metrics.auc(labels, tf.nn.softmax(logits)[:, 1]),
        }
        return tf.estimator.EstimatorSpec(
            mode, loss=loss, train_op=train_op, eval_metric_ops=metrics
        )

    def input_fn(labels, epochs):
        return tf.estimator.inputs.numpy_input_fn(x, labels, 5, epochs, shuffle=False)

    config = tf.estimator.RunConfig(save_checkpoints_steps=4, keep_checkpoint_max=2)
    est = tf.estimator.Estimator(classifier_fn, str(tmp_path), config=config)
    est.train(input_fn(y, None), max_steps=9)
    assert sorted(glob.glob(str(tmp_path / "*.index"))) == [
        str(tmp_path / "model.ckpt-8.index"), str(tmp_path / "model.ckpt-9.index"),
    ]  # fmt: skip
    results = est.evaluate(input_fn(y, 1))  # TF 2.21's values for the same model and data:
    expected = {"acc": 0.6666667, "auc": 0.625, "loss": 0.55522114, "global_step": 9}
    assert results == pytest.approx(expected, rel=1e-6)
    assert est.evaluate(input_fn(y, None), steps=2)["acc"] == pytest.approx(0.6)
    assert [p.tolist() for p in est.predict(input_fn(None, 1), yield_single_examples=False)] == [
        [0] * 5, [0] * 5, [0] * 2,
    ]  # fmt: skip
    assert est.get_variable_names() == [
        "beta1_power", "beta2_power", "global_step",
        "out/bias", "out/bias/Adam", "out/bias/Adam_1",
        "out/kernel", "out/kernel/Adam", "out/kernel/Adam_1",
    ]  # fmt: skip
