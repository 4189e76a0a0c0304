"""A canned LinearRegressor as TF1 tutorials ran it: numeric, bucketized, vocabulary-list and
hashed crossed columns, a weight_column, an FTRL optimizer with l1 regularisation,
numpy_input_fn for training (no shuffle, epochs) and evaluation, tf.estimator.add_metrics with
an RMSE metric_fn, predict, export_savedmodel (the TF1 name) with a parsing serving receiver
from make_parse_example_spec, then the SavedModel loaded by tf.saved_model.loader.load in a
fresh graph and its regression signature run on serialized tf.train.Examples.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled; tf.estimator from the tensorflow-estimator
2.15 package, as tools/canned_estimator_reference.py loads it).
"""

import os

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    rng = np.random.RandomState(12)
    n = 16
    rooms = rng.uniform(1, 6, n).astype(np.float32)
    age = rng.uniform(0, 60, n).astype(np.float32)
    zone = np.array(["north", "south", "east", "west"])[rng.randint(0, 4, n)]
    weight = rng.uniform(0.5, 2.0, n).astype(np.float32)
    price = (2.0 * rooms - 0.05 * age + (zone == "south") * 3.0 + rng.randn(n) * 0.1).astype(
        np.float32
    )
    rooms_col = tf.feature_column.numeric_column("rooms")
    age_col = tf.feature_column.numeric_column("age")
    age_buckets = tf.feature_column.bucketized_column(age_col, boundaries=[10.0, 30.0, 50.0])
    zone_col = tf.feature_column.categorical_column_with_vocabulary_list(
        "zone", ["north", "south", "east", "west"]
    )
    crossed = tf.feature_column.crossed_column([age_buckets, "zone"], hash_bucket_size=7)
    columns = [rooms_col, age_buckets, zone_col, crossed]
    config = tf.estimator.RunConfig(
        tf_random_seed=3, save_summary_steps=1000, log_step_count_steps=1000
    )
    model_dir = os.path.join(workdir, "model")
    est = tf.estimator.LinearRegressor(
        feature_columns=columns,
        model_dir=model_dir,
        weight_column="w",
        optimizer=tf.train.FtrlOptimizer(0.5, l1_regularization_strength=0.01),
        config=config,
    )
    features = {"rooms": rooms, "age": age, "zone": zone, "w": weight}
    train_fn = tf.estimator.inputs.numpy_input_fn(
        features, price, batch_size=8, num_epochs=5, shuffle=False
    )
    est.train(train_fn)

    def rmse_fn(labels, predictions):
        return {"rmse": tf.metrics.root_mean_squared_error(labels, predictions["predictions"])}

    est = tf.estimator.add_metrics(est, rmse_fn)
    eval_fn = tf.estimator.inputs.numpy_input_fn(
        features, price, batch_size=16, num_epochs=1, shuffle=False
    )
    metrics = est.evaluate(eval_fn, name="holdout")
    predict_fn = tf.estimator.inputs.numpy_input_fn(
        {k: v[:3] for k, v in features.items()}, batch_size=3, num_epochs=1, shuffle=False
    )
    preds = [float(p["predictions"][0]) for p in est.predict(predict_fn)]
    spec = tf.feature_column.make_parse_example_spec(columns)
    receiver = tf.estimator.export.build_parsing_serving_input_receiver_fn(spec)
    export_dir = est.export_savedmodel(os.path.join(workdir, "export"), receiver)
    if isinstance(export_dir, bytes):
        export_dir = export_dir.decode()

    def example(i):
        return tf.train.Example(
            features=tf.train.Features(
                feature={
                    "rooms": tf.train.Feature(float_list=tf.train.FloatList(value=[rooms[i]])),
                    "age": tf.train.Feature(float_list=tf.train.FloatList(value=[age[i]])),
                    "zone": tf.train.Feature(
                        bytes_list=tf.train.BytesList(value=[zone[i].encode()])
                    ),
                }
            )
        ).SerializeToString()

    g = tf.Graph()
    with g.as_default(), tf.Session() as sess:
        meta = tf.saved_model.loader.load(sess, [tf.saved_model.tag_constants.SERVING], export_dir)
        signature = meta.signature_def["regression"]
        served = sess.run(
            signature.outputs["outputs"].name,
            {signature.inputs["inputs"].name: [example(i) for i in range(3)]},
        )
    return {
        "variables": sorted([n, list(s)] for n, s in tf.train.list_variables(model_dir)),
        "metrics": {k: float(v) for k, v in metrics.items()},
        "predictions": preds,
        "signatures": sorted(meta.signature_def.keys()),
        "regression_io": [
            sorted(signature.inputs.keys()),
            sorted(signature.outputs.keys()),
            signature.method_name,
        ],
        "served": served[:, 0].tolist(),
        "spec": sorted(spec.keys()),
        "eval_dir": sorted(os.listdir(model_dir))[:1]
        + [os.path.isdir(os.path.join(model_dir, "eval_holdout"))],
    }


EXPECTED = {
    "variables": [
        ["global_step", []],
        ["linear/linear_model/age_bucketized/weights", [4, 1]],
        ["linear/linear_model/age_bucketized/weights/part_0/Ftrl", [4, 1]],
        ["linear/linear_model/age_bucketized/weights/part_0/Ftrl_1", [4, 1]],
        ["linear/linear_model/age_bucketized_X_zone/weights", [7, 1]],
        ["linear/linear_model/age_bucketized_X_zone/weights/part_0/Ftrl", [7, 1]],
        ["linear/linear_model/age_bucketized_X_zone/weights/part_0/Ftrl_1", [7, 1]],
        ["linear/linear_model/bias_weights", [1]],
        ["linear/linear_model/bias_weights/part_0/Ftrl", [1]],
        ["linear/linear_model/bias_weights/part_0/Ftrl_1", [1]],
        ["linear/linear_model/rooms/weights", [1, 1]],
        ["linear/linear_model/rooms/weights/part_0/Ftrl", [1, 1]],
        ["linear/linear_model/rooms/weights/part_0/Ftrl_1", [1, 1]],
        ["linear/linear_model/zone/weights", [4, 1]],
        ["linear/linear_model/zone/weights/part_0/Ftrl", [4, 1]],
        ["linear/linear_model/zone/weights/part_0/Ftrl_1", [4, 1]],
    ],
    "metrics": {
        "average_loss": 1.0051662921905518,
        "label/mean": 6.6614603996276855,
        "loss": 18.17145538330078,
        "prediction/mean": 6.706514835357666,
        "rmse": 1.097977638244629,
        "global_step": 10.0,
    },
    "predictions": [3.338141679763794, 8.853874206542969, 4.8218255043029785],
    "signatures": ["predict", "regression", "serving_default"],
    "regression_io": [["inputs"], ["outputs"], "tensorflow/serving/regress"],
    "served": [3.338141679763794, 8.853874206542969, 4.8218255043029785],
    "spec": ["age", "rooms", "zone"],
    "eval_dir": ["checkpoint", True],
}


def test_linear_regressor_export_matches_tensorflow(tmp_path):
    close(program(tf, str(tmp_path)), EXPECTED)
