"""Keras' thresholded confusion metrics (AUC, Precision, Recall, TruePositives...,
SensitivityAtSpecificity...) with predictions outside [0, 1]: where the thresholds are evenly
spaced, TF 2.21's Keras clips predictions to [0, 1] and buckets them (so 2.0 is not above a
1 + epsilon threshold and -0.5 is above a -epsilon one); other thresholds compare ``p > t``.
Expected numbers from TF 2.21 (tf_keras) in graph mode."""

import numpy as np
import pytest

import scopeflow as tf

# (metric, y_true, y_pred, sample_weight, result, variables' values or None)
CASES = [
    (
        "AUC(num_thresholds=3)",
        [0, 1, 1, 0],
        [-0.5, 2.0, 1.5, -1.0],
        None,
        1.0,
        [[2.0, 2.0, 0.0], [0.0, 2.0, 2.0], [2.0, 0.0, 0.0], [0.0, 0.0, 2.0]],
    ),
    (
        "AUC(num_thresholds=3, curve='PR', summation_method='minoring')",
        [0, 1, 1, 0],
        [-0.5, 0.3, 0.8, 1.5],
        None,
        0.25,
        [[2.0, 1.0, 0.0], [0.0, 1.0, 2.0], [2.0, 1.0, 0.0], [0.0, 1.0, 2.0]],
    ),
    ("AUC()", [0, 1, 1, 0], [0.2, 1.5, 0.8, -0.3], None, 1.0, None),
    ("AUC(curve='PR')", [0, 1, 1, 0], [-0.5, 0.3, 0.8, 1.5], [1.0, 2.0, 0.5, 3.0], 0.272637, None),
    ("AUC(summation_method='majoring')", [0, 1, 1, 0], [-0.5, 0.3, 0.8, 1.5], None, 0.5, None),
    (
        "AUC(thresholds=[0.25, 0.5, 0.75])",
        [0, 1, 1, 0],
        [-0.5, 2.0, 1.5, -1.0],
        None,
        1.0,
        [
            [2.0, 2.0, 2.0, 2.0, 0.0],
            [0.0, 2.0, 2.0, 2.0, 2.0],
            [2.0, 0.0, 0.0, 0.0, 0.0],
            [0.0, 0.0, 0.0, 0.0, 2.0],
        ],
    ),
    (
        "AUC(thresholds=[0.1, 0.5, 0.7])",
        [0, 1, 1, 0],
        [0.2, 1.5, 0.8, -0.3],
        None,
        0.5,
        [
            [2.0, 2.0, 2.0, 2.0, 1.0],
            [1.0, 1.0, 2.0, 2.0, 2.0],
            [1.0, 1.0, 0.0, 0.0, 0.0],
            [0.0, 0.0, 0.0, 0.0, 1.0],
        ],
    ),
    (
        "AUC(num_thresholds=7)",
        [1, 1, 0, 1, 0],
        [0.8333334, 0.5, 0.6666667, 0.16666667, 0.3333333],
        None,
        0.5,
        [
            [3.0, 2.0, 2.0, 1.0, 1.0, 0.0, 0.0],
            [0.0, 0.0, 1.0, 1.0, 2.0, 2.0, 2.0],
            [2.0, 2.0, 1.0, 1.0, 0.0, 0.0, 0.0],
            [0.0, 1.0, 1.0, 2.0, 2.0, 3.0, 3.0],
        ],
    ),
    (
        "Precision(thresholds=[0.0, 0.5, 1.0])",
        [0, 1, 1, 0],
        [-0.5, 2.0, 1.5, -1.0],
        None,
        [1.0, 1.0, 0.0],
        [[2.0, 2.0, 0.0], [0.0, 0.0, 0.0]],
    ),
    (
        "Recall(thresholds=[0.0, 0.5, 1.0])",
        [0, 1, 1, 0],
        [0.2, 1.5, 0.8, -0.3],
        None,
        [1.0, 1.0, 0.0],
        [[2.0, 2.0, 0.0], [0.0, 0.0, 2.0]],
    ),
    (
        "Recall(thresholds=[0.25, 0.5, 0.75])",
        [0, 1, 1, 0],
        [-0.5, 2.0, 1.5, -1.0],
        None,
        [1.0, 1.0, 1.0],
        [[2.0, 2.0, 2.0], [0.0, 0.0, 0.0]],
    ),
    (
        "TruePositives(thresholds=[0.0, 0.5, 1.0])",
        [1, 1, 1],
        [1.0000001, 1.0, 0.0],
        None,
        [2.0, 2.0, 0.0],
        [[2.0, 2.0, 0.0]],
    ),
    (
        "TrueNegatives(thresholds=[0.0, 0.5, 1.0])",
        [0, 0, 0],
        [2.0, -1.0, 0.0],
        None,
        [2.0, 2.0, 3.0],
        [[2.0, 2.0, 3.0]],
    ),
    (
        "FalsePositives(thresholds=[0.0, 0.25, 0.5, 0.75, 1.0])",
        [0, 0, 0, 0],
        [2.0, -1.0, 0.5, 0.9],
        None,
        [3.0, 3.0, 2.0, 2.0, 0.0],
        [[3.0, 3.0, 2.0, 2.0, 0.0]],
    ),
    (
        "FalseNegatives(thresholds=[0.0, 0.5, 1.0])",
        [1, 1, 1],
        [1.5, -1.0, 0.5],
        None,
        [1.0, 2.0, 3.0],
        [[1.0, 2.0, 3.0]],
    ),
    (
        "SensitivityAtSpecificity(0.5, num_thresholds=5)",
        [0, 1, 1, 0],
        [-0.5, 0.3, 0.8, 1.5],
        None,
        1.0,
        [
            [2.0, 2.0, 1.0, 1.0, 0.0],
            [1.0, 1.0, 1.0, 1.0, 2.0],
            [1.0, 1.0, 1.0, 1.0, 0.0],
            [0.0, 0.0, 1.0, 1.0, 2.0],
        ],
    ),
    (
        "PrecisionAtRecall(0.5, num_thresholds=5)",
        [0, 1, 1, 0],
        [-0.5, 2.0, 1.5, -1.0],
        None,
        1.0,
        [
            [2.0, 2.0, 2.0, 2.0, 0.0],
            [2.0, 2.0, 2.0, 2.0, 2.0],
            [0.0, 0.0, 0.0, 0.0, 0.0],
            [0.0, 0.0, 0.0, 0.0, 2.0],
        ],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_confusion_metric_matches_tf_outside_unit_interval(case):
    make, y_true, y_pred, weight, expected, variables = case
    with tf.Graph().as_default():
        metric = eval("tf.keras.metrics." + make)
        weight = None if weight is None else tf.constant(weight)
        update = metric.update_state(tf.constant(y_true, tf.float32), tf.constant(y_pred), weight)
        result = metric.result()
        with tf.Session() as sess:
            sess.run(tf.variables_initializer(metric.variables))
            sess.run(update)
            np.testing.assert_allclose(sess.run(result), expected, rtol=1e-5, atol=1e-6)
            if variables is not None:
                got = [sess.run(v).tolist() for v in metric.variables]
                np.testing.assert_allclose(got, variables, rtol=1e-5)


def test_auc_default_buckets_a_prediction_on_a_threshold_below_it():
    # with 3 thresholds (-eps, 0.5, 1 + eps) a prediction of 0.5 is not above 0.5 (TF: 0.75)
    with tf.Graph().as_default():
        metric = tf.keras.metrics.AUC(num_thresholds=3)
        update = metric.update_state([0.0, 1.0, 1.0, 0.0], [0.0, 1.0, 0.5, 0.5])
        with tf.Session() as sess:
            sess.run(tf.variables_initializer(metric.variables))
            sess.run(update)
            assert sess.run(metric.result()) == pytest.approx(0.75, rel=1e-5)
            assert sess.run(metric.variables[0]).tolist() == [2.0, 1.0, 0.0]
