"""The TF 1.x Get Started guide's custom_estimator.py with its iris_data.py, run unchanged
(on a small iris-like table held in memory instead of the downloaded CSV): numeric feature
columns, train_input_fn (Dataset.from_tensor_slices of a features dict, seeded shuffle,
repeat, batch), eval_input_fn, my_model (tf.feature_column.input_layer, tf.layers.dense
hidden units, PREDICT/EVAL/TRAIN EstimatorSpecs, tf.metrics.accuracy with a summary of
its update op, Adagrad), an Estimator with params trained, evaluated ('Test set accuracy')
and asked for predictions printed as 'Prediction is ... expected ...'. Printed lines,
evaluate()'s results and probabilities were printed by the same script under TensorFlow
2.21 (``tensorflow.compat.v1``, v2 behaviour disabled; tensorflow-estimator 2.15)."""

import contextlib
import io
import os

import numpy as np

import scopeflow as tf
from tests.programs.compare import close

CSV_COLUMN_NAMES = ["SepalLength", "SepalWidth", "PetalLength", "PetalWidth", "Species"]
SPECIES = ["Setosa", "Versicolor", "Virginica"]


def load_data():
    rng = np.random.RandomState(8)
    centres = np.array([[5.0, 3.4, 1.5, 0.2], [5.9, 2.8, 4.3, 1.3], [6.6, 3.0, 5.5, 2.0]])
    rows = []
    for label, c in enumerate(centres):
        for _ in range(20):
            rows.append(list(np.round(c + rng.randn(4) * 0.3, 1)) + [label])
    rng.shuffle(rows)
    data = np.array(rows)
    train, test = data[:45], data[45:]

    def split(part):
        features = {n: part[:, i].astype(np.float32) for i, n in enumerate(CSV_COLUMN_NAMES[:4])}
        return features, part[:, 4].astype(np.int64)

    return split(train), split(test)


def script(tf, model_dir):
    def train_input_fn(features, labels, batch_size):
        dataset = tf.data.Dataset.from_tensor_slices((dict(features), labels))
        dataset = dataset.shuffle(1000, seed=2).repeat().batch(batch_size)
        return dataset

    def eval_input_fn(features, labels, batch_size):
        features = dict(features)
        if labels is None:
            inputs = features
        else:
            inputs = (features, labels)
        dataset = tf.data.Dataset.from_tensor_slices(inputs)
        assert batch_size is not None, "batch_size must not be None"
        dataset = dataset.batch(batch_size)
        return dataset

    def my_model(features, labels, mode, params):
        net = tf.feature_column.input_layer(features, params["feature_columns"])
        for units in params["hidden_units"]:
            net = tf.layers.dense(net, units=units, activation=tf.nn.relu)
        logits = tf.layers.dense(net, params["n_classes"], activation=None)
        predicted_classes = tf.argmax(logits, 1)
        if mode == tf.estimator.ModeKeys.PREDICT:
            predictions = {
                "class_ids": predicted_classes[:, tf.newaxis],
                "probabilities": tf.nn.softmax(logits),
                "logits": logits,
            }
            return tf.estimator.EstimatorSpec(mode, predictions=predictions)
        loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
        accuracy = tf.metrics.accuracy(labels=labels, predictions=predicted_classes, name="acc_op")
        metrics = {"accuracy": accuracy}
        tf.summary.scalar("accuracy", accuracy[1])
        if mode == tf.estimator.ModeKeys.EVAL:
            return tf.estimator.EstimatorSpec(mode, loss=loss, eval_metric_ops=metrics)
        assert mode == tf.estimator.ModeKeys.TRAIN
        optimizer = tf.train.AdagradOptimizer(learning_rate=0.1)
        train_op = optimizer.minimize(loss, global_step=tf.train.get_global_step())
        return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)

    (train_x, train_y), (test_x, test_y) = load_data()
    my_feature_columns = []
    for key in train_x.keys():
        my_feature_columns.append(tf.feature_column.numeric_column(key=key))
    classifier = tf.estimator.Estimator(
        model_fn=my_model,
        model_dir=model_dir,
        config=tf.estimator.RunConfig(tf_random_seed=17),
        params={"feature_columns": my_feature_columns, "hidden_units": [10, 10], "n_classes": 3},
    )
    classifier.train(input_fn=lambda: train_input_fn(train_x, train_y, 10), steps=30)
    eval_result = classifier.evaluate(input_fn=lambda: eval_input_fn(test_x, test_y, 10))
    print("\nTest set accuracy: {accuracy:0.3f}\n".format(**eval_result))
    expected = ["Setosa", "Versicolor", "Virginica"]
    predict_x = {
        "SepalLength": [5.1, 5.9, 6.9],
        "SepalWidth": [3.3, 3.0, 3.1],
        "PetalLength": [1.7, 4.2, 5.4],
        "PetalWidth": [0.5, 1.5, 2.1],
    }
    predictions = classifier.predict(
        input_fn=lambda: eval_input_fn(predict_x, labels=None, batch_size=10)
    )
    probabilities = []
    for pred_dict, expec in zip(predictions, expected, strict=True):
        template = '\nPrediction is "{}" ({:.1f}%), expected "{}"'
        class_id = pred_dict["class_ids"][0]
        probability = pred_dict["probabilities"][class_id]
        probabilities.append(pred_dict["probabilities"].tolist())
        print(template.format(SPECIES[class_id], 100 * probability, expec))
    variables = classifier.get_variable_names()
    return {
        "eval": {k: float(v) for k, v in sorted(eval_result.items())},
        "probabilities": probabilities,
        "variables": [v for v in variables if "Adagrad" not in v],
        "kernel": classifier.get_variable_value("dense/kernel")[0].tolist(),
    }


def program(tf, workdir):
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        out = script(tf, os.path.join(str(workdir), "iris"))
    out["printed"] = [line for line in printed.getvalue().splitlines() if line]
    return out


EXPECTED = {
    "eval": {"accuracy": 0.800000011920929, "global_step": 30.0, "loss": 0.444868266582489},
    "probabilities": [
        [0.9098898768424988, 0.07570638507604599, 0.014403710141777992],
        [0.044954292476177216, 0.43766680359840393, 0.5173789262771606],
        [0.022122064605355263, 0.2874967157840729, 0.6903812885284424],
    ],
    "variables": [
        "dense/bias",
        "dense/kernel",
        "dense_1/bias",
        "dense_1/kernel",
        "dense_2/bias",
        "dense_2/kernel",
        "global_step",
    ],
    "kernel": [
        -0.20643779635429382,
        0.014933869242668152,
        -0.6247634291648865,
        0.30445414781570435,
        -0.23264534771442413,
        -0.47013986110687256,
        0.4619806706905365,
        0.35429084300994873,
        -0.5235115885734558,
        -0.24309270083904266,
    ],
    "printed": [
        "Test set accuracy: 0.800",
        'Prediction is "Setosa" (91.0%), expected "Setosa"',
        'Prediction is "Virginica" (51.7%), expected "Versicolor"',
        'Prediction is "Virginica" (69.0%), expected "Virginica"',
    ],
}


def test_iris_custom_estimator_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
