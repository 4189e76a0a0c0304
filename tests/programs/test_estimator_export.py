"""tf.estimator with a custom model_fn (params, EstimatorSpec per mode, PredictOutput export output,
tf.metrics RMSE), trained on a tf.data input_fn, evaluated, predicted, exported with
export_saved_model and a serving_input_receiver_fn, and loaded back with
tf.saved_model.loader.load to run its serving signature.

TF 2.21 has no tf.estimator, so the training numbers are scopeflow's own, checked for
consistency (the eval loss equals a NumPy forward pass over the checkpoint's values, RMSE is its
root, predict equals the served signature). The export itself was checked against TF 2.21:
its ``tf.saved_model.loader.load`` of this SavedModel gave the same signature (``x_in:0`` to
``out/BiasAdd:0``, ``tensorflow/serving/predict``), variables and served values.
"""

import os

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    rng = np.random.RandomState(10)
    xs = rng.rand(32, 3).astype(np.float32)
    ys = (xs @ np.array([[1.0], [-2.0], [0.5]], np.float32) + 0.3).astype(np.float32)
    model_dir = os.path.join(str(workdir), "model")

    def model_fn(features, labels, mode, params):
        x = features["x"]
        h = tf.layers.dense(x, params["hidden"], activation=tf.nn.relu, name="h")
        pred = tf.layers.dense(h, 1, name="out")
        if mode == tf.estimator.ModeKeys.PREDICT:
            return tf.estimator.EstimatorSpec(
                mode,
                predictions={"y": pred},
                export_outputs={"serving_default": tf.estimator.export.PredictOutput({"y": pred})},
            )
        loss = tf.losses.mean_squared_error(labels, pred)
        step = tf.train.get_global_step()
        train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=step)
        metrics = {"rmse": tf.metrics.root_mean_squared_error(labels, pred)}
        return tf.estimator.EstimatorSpec(
            mode, loss=loss, train_op=train_op, eval_metric_ops=metrics
        )

    def input_fn():
        ds = tf.data.Dataset.from_tensor_slices(({"x": xs}, ys))
        return ds.batch(8).repeat(2)

    config = tf.estimator.RunConfig(
        tf_random_seed=4, save_summary_steps=100, log_step_count_steps=None
    )
    est = tf.estimator.Estimator(model_fn, model_dir=model_dir, params={"hidden": 5}, config=config)
    est.train(input_fn, steps=6)
    ev = est.evaluate(lambda: tf.data.Dataset.from_tensor_slices(({"x": xs}, ys)).batch(16))
    preds = [
        p["y"][0]
        for p in est.predict(lambda: tf.data.Dataset.from_tensor_slices({"x": xs[:3]}).batch(3))
    ]

    def serving_input_receiver_fn():
        inp = tf.placeholder(tf.float32, [None, 3], name="x_in")
        return tf.estimator.export.ServingInputReceiver({"x": inp}, {"x": inp})

    export_dir = est.export_saved_model(
        os.path.join(str(workdir), "export"), serving_input_receiver_fn
    )
    if isinstance(export_dir, bytes):
        export_dir = export_dir.decode()
    g = tf.Graph()
    with g.as_default(), tf.Session() as sess:
        meta = tf.saved_model.loader.load(sess, [tf.saved_model.tag_constants.SERVING], export_dir)
        sig = meta.signature_def["serving_default"]
        in_name = sig.inputs["x"].name
        out_name = sig.outputs["y"].name
        served = sess.run(out_name, {in_name: xs[:3]})
        keys = sorted(meta.signature_def.keys())
        method = sig.method_name
    w = {k: tf.train.load_variable(model_dir, k) for k, _ in tf.train.list_variables(model_dir)}
    hidden = np.maximum(xs @ w["h/kernel"] + w["h/bias"], 0)
    numpy_loss = float(np.mean((hidden @ w["out/kernel"] + w["out/bias"] - ys) ** 2))
    return {
        "numpy_loss_matches": bool(np.isclose(numpy_loss, ev["loss"], rtol=1e-5)),
        "ckpt": sorted([k, v] for k, v in tf.train.list_variables(model_dir)),
        "eval": {k: float(v) for k, v in ev.items()},
        "preds": [float(p) for p in preds],
        "served": [float(v) for v in served[:, 0]],
        "sig": [in_name, out_name, method],
        "keys": keys,
        "export_files": sorted(os.listdir(export_dir)),
        "variables_files": sorted(os.listdir(os.path.join(export_dir, "variables"))),
    }


EXPECTED = {
    "numpy_loss_matches": True,
    "ckpt": [
        ["global_step", []],
        ["h/bias", [5]],
        ["h/kernel", [3, 5]],
        ["out/bias", [1]],
        ["out/kernel", [5, 1]],
    ],
    "eval": {"loss": 0.436128169298172, "rmse": 0.6604000329971313, "global_step": 6.0},
    "preds": [0.2113986611366272, -0.3703947067260742, -0.43835195899009705],
    "served": [0.2113986611366272, -0.3703947067260742, -0.43835195899009705],
    "sig": ["x_in:0", "out/BiasAdd:0", "tensorflow/serving/predict"],
    "keys": ["serving_default"],
    "export_files": ["saved_model.pb", "variables"],
    "variables_files": ["variables.data-00000-of-00001", "variables.index"],
}


def test_estimator_export_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
