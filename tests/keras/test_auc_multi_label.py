"""Keras AUC with ``multi_label=True`` (one curve per label, averaged or ``label_weights``-
weighted) and ``label_weights`` without it (per-label weights of the counts), as TF 2.21's
Keras (tf_keras, graph mode) computes them; numbers from the reference TF."""

import numpy as np
import pytest

import scopeflow as tf

Y_TRUE = [[0, 0, 1], [1, 0, 0], [0, 1, 1], [1, 0, 1], [1, 1, 0], [1, 1, 0], [0, 0, 0], [1, 1, 0]]
Y_PRED = [
    [0.65, 0.28, 0.68],
    [0.59, 0.02, 0.56],
    [0.26, 0.42, 0.28],
    [0.69, 0.44, 0.16],
    [0.54, 0.78, 0.31],
    [0.22, 0.39, 0.94],
    [0.98, 0.67, 0.9],
    [0.85, 0.38, 0.09],
]
Y_PRED_OUT = [
    [0.75, 0.59, 0.28],
    [0.06, 0.35, 0.45],
    [0.13, 0.17, 0.43],
    [1.08, 0.64, 0.15],
    [0.14, 0.43, 0.03],
    [0.02, 0.52, -0.16],
    [0.47, 0.28, 0.83],
    [0.89, 0.81, 0.8],
]  # some outside [0, 1]
WEIGHTS = [1.0, 2.0, 0.5, 1.0, 0.0, 3.0, 1.0, 1.5]
# (metric, y_pred, sample_weight, TF's result, variables' shape)
CASES = [
    ("AUC(num_thresholds=5, multi_label=True)", Y_PRED, None, 0.463889, [5, 3]),
    ("AUC(multi_label=True)", Y_PRED_OUT, None, 0.455556, [200, 3]),
    (
        "AUC(num_thresholds=4, multi_label=True, num_labels=3)",
        Y_PRED_OUT,
        WEIGHTS,
        0.423333,
        [4, 3],
    ),
    ("AUC(multi_label=True, curve='PR')", Y_PRED, WEIGHTS, 0.430635, [200, 3]),
    (
        "AUC(num_thresholds=5, multi_label=True, curve='PR', summation_method='majoring')",
        Y_PRED_OUT,
        None,
        0.641667,
        [5, 3],
    ),
    (
        "AUC(multi_label=True, summation_method='minoring', label_weights=[1.0, 0.0, 3.0])",
        Y_PRED,
        None,
        0.35,
        [200, 3],
    ),
    (
        "AUC(multi_label=True, curve='PR', label_weights=[0.5, 1.0, 2.0])",
        Y_PRED_OUT,
        WEIGHTS,
        0.427134,
        [200, 3],
    ),
    ("AUC(label_weights=[1.0, 0.0, 3.0])", Y_PRED, None, 0.380952, [200]),
    (
        "AUC(num_thresholds=5, curve='PR', label_weights=[1.0, 2.0, 0.5])",
        Y_PRED_OUT,
        WEIGHTS,
        0.660567,
        [5],
    ),
    ("AUC(thresholds=[0.1, 0.5, 0.7], multi_label=True)", Y_PRED_OUT, None, 0.431944, [5, 3]),
]
VARIABLES = [
    [[7.5, 5.0, 2.5], [2.5, 4.5, 0.5], [2.5, 1.5, 0.0], [0.0, 0.0, 0.0]],
    [[0.0, 0.0, 0.0], [0.5, 1.0, 3.0], [1.5, 5.0, 5.0], [2.5, 5.0, 7.5]],
    [[2.5, 5.0, 7.5], [2.0, 4.0, 4.5], [1.0, 0.0, 2.5], [0.0, 0.0, 0.0]],
    [[0.0, 0.0, 0.0], [5.0, 0.5, 2.0], [5.0, 3.5, 2.5], [7.5, 5.0, 2.5]],
]  # TF's, for the num_labels=3 case


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_auc_labels_match_tf(case):
    make, y_pred, weight, expected, shape = case
    with tf.Graph().as_default():
        metric = eval("tf.keras.metrics." + make)
        weight = None if weight is None else tf.constant(weight)
        update = metric.update_state(tf.constant(Y_TRUE, tf.float32), tf.constant(y_pred), weight)
        result = metric.result()
        assert [v.shape.as_list() for v in metric.variables] == [shape] * 4
        with tf.Session() as sess:
            sess.run(tf.variables_initializer(metric.variables))
            sess.run(update)
            assert sess.run(result) == pytest.approx(expected, rel=1e-5)


def test_multi_label_counts_per_threshold_and_label():
    with tf.Graph().as_default():
        metric = tf.keras.metrics.AUC(num_thresholds=4, multi_label=True, num_labels=3)
        assert [v.name for v in metric.variables][0] == "true_positives:0"
        update = metric.update_state(Y_TRUE, Y_PRED_OUT, WEIGHTS)
        with tf.Session() as sess:
            sess.run(tf.variables_initializer(metric.variables))
            sess.run(update)
            got = [sess.run(v) for v in metric.variables]
    np.testing.assert_allclose(got, VARIABLES, rtol=1e-5)


def test_multi_label_config_and_rank_error():
    with tf.Graph().as_default():
        config = tf.keras.metrics.AUC(multi_label=True, num_labels=2, label_weights=[1, 2])
        config = config.get_config()
        assert (config["multi_label"], config["num_labels"]) == (True, 2)
        assert config["label_weights"].tolist() == [1.0, 2.0]
        lazy = tf.keras.metrics.AUC(multi_label=True)
        lazy.update_state([[1.0, 0.0]], [[0.5, 0.2]])
        assert lazy.get_config()["num_labels"] is None  # as TF: not filled in from the data
        assert lazy.variables[0].shape.as_list() == [200, 2]
        with pytest.raises(ValueError, match=r"`y_pred` must have rank 2 when `multi_label=True`"):
            tf.keras.metrics.AUC(multi_label=True).update_state([1.0, 0.0], [0.5, 0.2])
