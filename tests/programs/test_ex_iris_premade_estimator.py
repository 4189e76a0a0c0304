"""The TF 1.x Get Started guide's premade_estimator.py with its iris_data.py, run unchanged
(on a small iris-like table held in memory instead of the downloaded CSV): numeric feature
columns, train_input_fn (Dataset.from_tensor_slices of a features dict, seeded shuffle,
repeat, batch), eval_input_fn, a DNNClassifier with two hidden layers of 10 units trained,
evaluated ('Test set accuracy') and asked for predictions printed as 'Prediction is ...
expected ...'. Printed lines, evaluate()'s results, probabilities, variable names and a kernel
row were printed by the same script under TensorFlow 2.21 (``tensorflow.compat.v1``, v2
behaviour disabled; tensorflow-estimator 2.15's DNNClassifier, TF1's)."""

import contextlib
import io
import os

import scopeflow as tf
from tests.programs.compare import close
from tests.programs.test_ex_iris_custom_estimator import SPECIES, load_data


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

    (train_x, train_y), (test_x, test_y) = load_data()
    my_feature_columns = []
    for key in train_x.keys():
        my_feature_columns.append(tf.feature_column.numeric_column(key=key))
    classifier = tf.estimator.DNNClassifier(
        feature_columns=my_feature_columns,
        hidden_units=[10, 10],
        n_classes=3,
        model_dir=model_dir,
        config=tf.estimator.RunConfig(tf_random_seed=17),
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
        "kernel": classifier.get_variable_value("dnn/hiddenlayer_0/kernel")[0].tolist(),
    }


def program(tf, workdir):
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        out = script(tf, os.path.join(str(workdir), "iris"))
    out["printed"] = [line for line in printed.getvalue().splitlines() if line]
    return out


EXPECTED = {
    "eval": {
        "accuracy": 0.8666666746139526,
        "average_loss": 0.38058897852897644,
        "global_step": 30.0,
        "loss": 2.854417324066162,
    },
    "probabilities": [
        [0.9740298390388489, 0.024855894967913628, 0.0011142130242660642],
        [0.01859431527554989, 0.5133025050163269, 0.4681032598018646],
        [0.0010995795018970966, 0.2985382378101349, 0.7003622055053711],
    ],
    "variables": [
        "dnn/hiddenlayer_0/bias",
        "dnn/hiddenlayer_0/kernel",
        "dnn/hiddenlayer_1/bias",
        "dnn/hiddenlayer_1/kernel",
        "dnn/logits/bias",
        "dnn/logits/kernel",
        "global_step",
    ],
    "kernel": [
        -0.252451092004776,
        0.2778814435005188,
        -0.5377538800239563,
        0.30445414781570435,
        -0.22698035836219788,
        -0.4619116485118866,
        0.3633037507534027,
        0.3533017933368683,
        -0.578876256942749,
        -0.25393354892730713,
    ],
    "printed": [
        "Test set accuracy: 0.867",
        'Prediction is "Setosa" (97.4%), expected "Setosa"',
        'Prediction is "Versicolor" (51.3%), expected "Versicolor"',
        'Prediction is "Virginica" (70.0%), expected "Virginica"',
    ],
}


def test_iris_premade_estimator_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
