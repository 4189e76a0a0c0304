"""A custom-model_fn Estimator with the TF1 training machinery around it: numpy_input_fn
inputs, EstimatorSpec with training_hooks / evaluation_hooks / a Scaffold holding a Saver,
tf.train.LoggingTensorHook and a custom SessionRunHook recording values through
SessionRunArgs, RunConfig's keep_checkpoint_max and save_checkpoints_steps, evaluate with a
name, and tf.estimator.experimental.stop_if_no_decrease_hook in train_and_evaluate's
TrainSpec ending training early.

The expected names and numbers were printed by the same program under TensorFlow 2.21 with
tensorflow-estimator 2.15 (``tf.compat.v1.estimator``; run with the stand-ins of
tools/canned_estimator_reference.py).
"""

import os

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    workdir = str(workdir)
    rng = np.random.RandomState(12)
    xs = rng.randn(16, 3).astype(np.float32)
    ys = (xs @ np.array([[0.5], [-1.0], [2.0]], np.float32) + 0.1).astype(np.float32)
    w0 = rng.randn(3, 1).astype(np.float32) * 0.1
    seen = {"train": [], "eval": []}

    class Record(tf.train.SessionRunHook):
        def __init__(self, key, tensor_name):
            self._key, self._name = key, tensor_name

        def before_run(self, run_context):
            return tf.train.SessionRunArgs(
                {"v": tf.get_default_graph().get_tensor_by_name(self._name)}
            )

        def after_run(self, run_context, run_values):
            seen[self._key].append(round(float(run_values.results["v"]), 5))

    def model_fn(features, labels, mode, params):
        w = tf.get_variable("w", initializer=w0)
        b = tf.get_variable("b", [1], initializer=tf.zeros_initializer())
        pred = tf.add(tf.matmul(features["x"], w), b, name="pred")
        if mode == tf.estimator.ModeKeys.PREDICT:
            return tf.estimator.EstimatorSpec(mode, predictions={"y": pred})
        loss = tf.losses.mean_squared_error(labels, pred)
        tf.identity(loss, name="loss_value")
        step = tf.train.get_global_step()
        train_op = tf.train.MomentumOptimizer(params["lr"], 0.5).minimize(loss, global_step=step)
        scaffold = tf.train.Scaffold(saver=tf.train.Saver(max_to_keep=2))
        return tf.estimator.EstimatorSpec(
            mode,
            loss=loss,
            train_op=train_op,
            scaffold=scaffold,
            eval_metric_ops={"mae": tf.metrics.mean_absolute_error(labels, pred)},
            training_hooks=[
                Record("train", "loss_value:0"),
                tf.train.LoggingTensorHook({"loss": "loss_value"}, every_n_iter=2),
            ],
            evaluation_hooks=[Record("eval", "loss_value:0")],
        )

    config = tf.estimator.RunConfig(
        save_checkpoints_steps=2, keep_checkpoint_max=2, log_step_count_steps=None, tf_random_seed=3
    )
    est = tf.estimator.Estimator(model_fn, os.path.join(workdir, "m"), config, {"lr": 0.3})
    train_in = tf.estimator.inputs.numpy_input_fn(
        {"x": xs}, ys, batch_size=4, num_epochs=None, shuffle=False
    )
    eval_in = tf.estimator.inputs.numpy_input_fn(
        {"x": xs}, ys, batch_size=8, num_epochs=1, shuffle=False
    )
    stop = tf.estimator.experimental.stop_if_no_decrease_hook(
        est,
        "loss",
        max_steps_without_decrease=2,
        min_steps=0,
        run_every_secs=None,
        run_every_steps=1,
        eval_dir=est.eval_dir("val"),
    )
    result = tf.estimator.train_and_evaluate(
        est,
        tf.estimator.TrainSpec(train_in, max_steps=40, hooks=[stop]),
        tf.estimator.EvalSpec(eval_in, steps=None, name="val", throttle_secs=0),
    )
    out = {"final": {k: round(float(v), 5) for k, v in sorted(result[0].items())}}
    out["stopped_at"] = int(est.get_variable_value("global_step"))
    out["files"] = sorted(n for n in os.listdir(est.model_dir) if "ckpt" in n)
    ev = est.evaluate(eval_in, name="test")
    out["eval"] = {k: round(float(v), 5) for k, v in sorted(ev.items())}
    out["eval_dirs"] = sorted(n for n in os.listdir(est.model_dir) if n.startswith("eval"))
    out["seen"] = seen
    out["ckpts"] = os.path.basename(tf.train.latest_checkpoint(est.model_dir))
    out["state"] = [
        os.path.basename(p)
        for p in tf.train.get_checkpoint_state(est.model_dir).all_model_checkpoint_paths
    ]
    out["pred"] = [round(float(p["y"][0]), 5) for p in est.predict(eval_in)][:3]
    return out


EXPECTED = {
    "final": {"global_step": 4.0, "loss": 36.62145, "mae": 4.49369},
    "stopped_at": 4,
    "files": [
        "model.ckpt-2.data-00000-of-00001",
        "model.ckpt-2.index",
        "model.ckpt-2.meta",
        "model.ckpt-4.data-00000-of-00001",
        "model.ckpt-4.index",
        "model.ckpt-4.meta",
    ],
    "eval": {"global_step": 4.0, "loss": 36.62145, "mae": 4.49369},
    "eval_dirs": ["eval_test", "eval_val"],
    "seen": {
        "train": [11.7155, 2.96852, 18.84999, 9.01476],
        "eval": [16.57276, 13.97991, 12.91096, 60.33195, 12.91096, 60.33195],
    },
    "ckpts": "model.ckpt-4",
    "state": ["model.ckpt-2", "model.ckpt-4"],
    "pred": [6.13105, -3.49259, 2.38413],
}


def test_estimator_hooks_match_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
