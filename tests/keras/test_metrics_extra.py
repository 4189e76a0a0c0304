"""``tf.keras.metrics``' IoU family, F-scores, R2, ``MeanRelativeError``, ``MeanTensor``,
the rate-at-rate metrics, the focal cross entropies and the metric/loss function aliases:
variable names, configs and values as tf_keras 2.21 gives them (compat.v1 graph mode; for
``F1Score``/``FBetaScore``/``R2Score``, which do not update in tf_keras's graph mode, the
values of TF2 eager)."""

from __future__ import annotations

import re

import numpy as np
import pytest

import scopeflow as tf

M = tf.keras.metrics
L = tf.keras.losses

YT = np.array([0, 1, 2, 1, 0, 2], np.int64)
YP = np.array([0, 2, 2, 1, 1, 2], np.int64)
SW = np.array([1, 2, 1, 0.5, 1, 1], np.float32)
ONE_HOT = np.eye(3, dtype=np.float32)[YT]
PROBS = np.array(
    [
        [0.7, 0.2, 0.1],
        [0.1, 0.3, 0.6],
        [0.2, 0.2, 0.6],
        [0.1, 0.8, 0.1],
        [0.4, 0.5, 0.1],
        [0.0, 0.3, 0.7],
    ],
    np.float32,
)
BT = np.array([0, 1, 1, 0, 1, 0, 1, 1], np.float32)
BP = np.array([0.1, 0.6, 0.4, 0.7, 0.9, 0.3, 0.55, 0.2], np.float32)
BW = np.linspace(0.5, 2, 8).astype(np.float32)
RT = np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 0.0], [2.0, 1.0]], np.float32)
RP = np.array([[1.2, 1.5], [2.5, -0.5], [0.4, 0.3], [2.5, 0.5]], np.float32)
CONFUSION = [("total_confusion_matrix:0", [3, 3])]
F_VARS = ["true_positives:0", "false_positives:0", "false_negatives:0", "intermediate_weights:0"]
R2_VARS = ["num_samples:0", "squared_sum:0", "sum:0", "residual:0", "count:0"]
RATE_VARS = ["true_positives:0", "true_negatives:0", "false_positives:0", "false_negatives:0"]

# (metric, args, kwargs, updates, variable names, tf_keras's result)
CASES = [
    (lambda: M.IoU(3, [0, 2]), (YT, YP), {}, 1, ["total_confusion_matrix:0"], 0.5833334),
    (lambda: M.IoU(3, [1]), (YT, YP), {"sample_weight": SW}, 1, None, 0.14285715),
    (lambda: M.MeanIoU(3), (YT, YP), {}, 2, None, 0.5),
    (lambda: M.MeanIoU(3), (YT, YP), {"sample_weight": SW}, 1, None, 0.38095236),
    (lambda: M.MeanIoU(3, ignore_class=1), (YT, YP), {}, 1, None, 0.5),
    (lambda: M.BinaryIoU(), (BT, BP), {}, 1, None, 0.45),
    (
        lambda: M.BinaryIoU([1], threshold=0.35),
        (BT, BP),
        {"sample_weight": BW},
        1,
        None,
        0.60360366,
    ),
    (lambda: M.OneHotIoU(3, [0, 1]), (ONE_HOT, PROBS), {}, 1, None, 0.4166667),
    (lambda: M.OneHotMeanIoU(3), (ONE_HOT, PROBS), {}, 1, None, 0.5),
    (lambda: M.F1Score(), (ONE_HOT, PROBS), {}, 1, F_VARS, [0.6666667, 0.5, 0.8]),
    (
        lambda: M.F1Score(average="micro", threshold=0.5),
        (ONE_HOT, PROBS),
        {},
        1,
        F_VARS,
        0.72727275,
    ),
    (
        lambda: M.F1Score(average="macro"),
        (ONE_HOT, PROBS),
        {"sample_weight": SW},
        1,
        None,
        0.5277778,
    ),
    (
        lambda: M.FBetaScore(average="weighted", beta=2.0, threshold=0.3),
        (ONE_HOT, PROBS),
        {},
        1,
        None,
        0.8030303,
    ),
    (lambda: M.R2Score(), (RT, RP), {}, 2, R2_VARS, 0.84142375),
    (lambda: M.R2Score(class_aggregation=None), (RT, RP), {}, 1, None, [0.8508475, 0.832]),
    (
        lambda: M.R2Score(class_aggregation="variance_weighted_average", num_regressors=1),
        (RT, RP),
        {"sample_weight": np.array([1, 2, 1, 1], np.float32)},
        1,
        None,
        0.81624997,
    ),
    (
        lambda: M.MeanRelativeError(normalizer=[1.0, 2.0, 4.0, 2.0, 1.0, 2.0, 4.0, 2.0]),
        (BT, BP),
        {},
        1,
        ["total:0", "count:0"],
        0.1953125,
    ),
    (lambda: M.MeanTensor(), (RT,), {}, 2, ["total:0", "count:0"], RT),
    (
        lambda: M.MeanTensor(),
        (RT,),
        {"sample_weight": np.array([[1, 0], [2, 1], [1, 1], [0.5, 1]], np.float32)},
        1,
        None,
        [[1.0, 0.0], [3.0, -1.0], [0.5, 0.0], [2.0, 1.0]],
    ),
    (lambda: M.PrecisionAtRecall(0.5, num_thresholds=20), (BT, BP), {}, 1, RATE_VARS, 0.8),
    (lambda: M.RecallAtPrecision(0.6, num_thresholds=20), (BT, BP), {}, 1, None, 1.0),
    (lambda: M.SensitivityAtSpecificity(0.5, num_thresholds=20), (BT, BP), {}, 1, None, 0.8),
    (lambda: M.SensitivityAtSpecificity(0.7), (BT, BP), {"sample_weight": BW}, 1, None, 0.2),
    (lambda: M.SpecificityAtSensitivity(0.6), (BT, BP), {}, 1, None, 0.6666667),
]


def test_metrics_match_tf_keras(graph):
    metrics, updates, results = [], [], []
    for make, args, kwargs, times, _, _ in CASES:
        metric = make()
        ops = [metric.update_state(*args, **kwargs) for _ in range(times)]
        metrics.append(metric)
        updates.append(ops)
        results.append(metric.result())
    sess = tf.keras.backend.get_session()
    for ops in updates:
        for op in ops:
            sess.run(op)
    values = sess.run(results)
    for metric, value, case in zip(metrics, values, CASES, strict=True):
        names, expected = case[4], case[5]
        if names is not None:
            # one graph for all: names past the first get _1, _2... as TF's would
            got = [re.sub(r"_\d+:0$", ":0", v.name) for v in metric.variables]
            assert got == names, type(metric).__name__
        np.testing.assert_allclose(value, expected, rtol=2e-6, err_msg=type(metric).__name__)
    assert [v.shape.as_list() for v in metrics[10].variables] == [[], [], [], []]
    assert metrics[19].variables[0].shape.as_list() == [20]


def test_configs_are_tf_kerass(graph):
    assert M.IoU(3, [0, 2]).get_config() == {
        "name": "io_u",
        "dtype": "float32",
        "num_classes": 3,
        "target_class_ids": [0, 2],
        "ignore_class": None,
        "sparse_y_true": True,
        "sparse_y_pred": True,
        "axis": -1,
    }
    assert M.MeanIoU(3).get_config() == {
        "num_classes": 3,
        "name": "mean_io_u",
        "dtype": "float32",
        "ignore_class": None,
        "sparse_y_true": True,
        "sparse_y_pred": True,
        "axis": -1,
    }
    assert M.OneHotMeanIoU(3).get_config() == {
        "num_classes": 3,
        "name": "one_hot_mean_io_u",
        "dtype": "float32",
        "ignore_class": None,
        "sparse_y_pred": False,
        "axis": -1,
    }
    assert M.BinaryIoU().get_config() == {
        "target_class_ids": [0, 1],
        "threshold": 0.5,
        "name": "binary_io_u",
        "dtype": "float32",
    }
    assert M.FBetaScore(average="weighted", beta=2.0, threshold=0.3).get_config() == {
        "name": "fbeta_score",
        "dtype": "float32",
        "average": "weighted",
        "beta": 2.0,
        "threshold": 0.3,
    }
    assert M.F1Score().get_config() == {
        "name": "f1_score",
        "dtype": "float32",
        "average": None,
        "threshold": None,
    }
    assert M.SensitivityAtSpecificity(0.5, num_thresholds=20).get_config() == {
        "name": "sensitivity_at_specificity",
        "dtype": "float32",
        "class_id": None,
        "num_thresholds": 20,
        "specificity": 0.5,
    }
    again = M.deserialize(M.serialize(M.R2Score(num_regressors=2)))
    assert again.get_config() == {
        "name": "r2_score",
        "dtype": "float32",
        "class_aggregation": "uniform_average",
        "num_regressors": 2,
    }


def test_edge_values_as_tf_keras(graph):
    binary = M.BinaryIoU([1], threshold=0.4)  # at the threshold is class 1
    weighted = M.IoU(3, [0], ignore_class=1)
    at_class = M.PrecisionAtRecall(0.5, num_thresholds=10, class_id=1)
    adjusted = M.R2Score(num_regressors=3)  # too few samples: the plain R2
    y = np.eye(3)[[0, 1, 2, 1, 1]]
    p = [[0.1, 0.8, 0.1], [0.2, 0.7, 0.1], [0.3, 0.3, 0.4], [0.5, 0.2, 0.3], [0.1, 0.45, 0.45]]
    updates = [
        binary.update_state([1, 0, 1], [0.4, 0.4, 0.3]),
        weighted.update_state([0, 1, 2, 0], [0, 0, 0, 2], sample_weight=[1.0, 2, 3, 4]),
        at_class.update_state(y, p),
        adjusted.update_state([[1.0], [2.0], [4.0]], [[1.5], [2.0], [3.0]]),
    ]
    sess = tf.keras.backend.get_session()  # initializes the variables made so far
    sess.run(updates)
    np.testing.assert_array_equal(sess.run(binary.total_cm), [[0, 1], [1, 1]])
    np.testing.assert_array_equal(sess.run(weighted.total_cm), [[1, 0, 4], [0, 0, 0], [3, 0, 0]])
    got = sess.run([binary.result(), weighted.result(), at_class.result(), adjusted.result()])
    np.testing.assert_allclose(got, [0.33333334, 0.125, 0.6666667, 0.7321429], rtol=1e-6)


def test_bad_arguments_raise_tf_keras_errors(graph):
    with pytest.raises(ValueError, match=r"Target class id 3 is out of range, which is \[0, 3\)"):
        M.IoU(3, [3])
    with pytest.raises(ValueError, match="Invalid `average` argument value"):
        M.FBetaScore(average="foo")
    with pytest.raises(ValueError, match="It should be a Python float"):
        M.FBetaScore(beta=0)
    with pytest.raises(ValueError, match="It should verify 0 < threshold <= 1"):
        M.FBetaScore(threshold=1.5)
    with pytest.raises(ValueError, match="Invalid value for argument `class_aggregation`"):
        M.R2Score(class_aggregation="foo")
    with pytest.raises(ValueError, match="Expected a value >= 0"):
        M.R2Score(num_regressors=-1)
    with pytest.raises(ValueError, match="R2Score expects 2D inputs"):
        M.R2Score().update_state([1.0, 2.0], [1.0, 2.0])
    with pytest.raises(ValueError, match=r"`specificity` must be in the range \[0, 1\]"):
        M.SensitivityAtSpecificity(1.5)
    with pytest.raises(ValueError, match="`num_thresholds` must be an integer > 0"):
        M.SpecificityAtSensitivity(0.5, num_thresholds=0)
    assert M.SensitivityAtSpecificity(0.5, num_thresholds=1).thresholds == [0.5]
    with pytest.raises(ValueError, match="MeanTensor does not have any value yet"):
        M.MeanTensor().result()
    mean = M.MeanTensor()
    mean.update_state([1.0, 2.0])
    with pytest.raises(ValueError, match="must always have the same shape"):
        mean.update_state([1.0, 2.0, 3.0])


Y = np.array([[0, 1, 0], [1, 0, 0]], np.float32)
P = np.array([[0.2, 0.7, 0.1], [0.6, 0.3, 0.1]], np.float32)
LOGITS = np.array([[1.0, -2.0, 0.5], [0.3, 0.1, -1.0]], np.float32)
B = tf.keras.backend


def test_focal_crossentropies_are_tf_kerass(graph):
    values = [
        L.binary_focal_crossentropy(Y, P),
        L.binary_focal_crossentropy(Y, P, apply_class_balancing=True, alpha=0.3, gamma=1.5),
        L.binary_focal_crossentropy(Y, LOGITS, from_logits=True, label_smoothing=0.1),
        M.categorical_focal_crossentropy(Y, P),
        L.categorical_focal_crossentropy(
            Y, LOGITS, from_logits=True, label_smoothing=0.1, alpha=0.5, gamma=1.0
        ),
        B.binary_focal_crossentropy(Y, P),
        B.binary_focal_crossentropy(Y, LOGITS, from_logits=True, apply_class_balancing=True),
        B.categorical_focal_crossentropy(Y, LOGITS, from_logits=True),
        L.BinaryFocalCrossentropy(gamma=1.0)(Y, P),
        L.CategoricalFocalCrossentropy()(Y, P, sample_weight=[1.0, 2.0]),
    ]
    expected = [
        [0.01402669, 0.03829546],
        [0.01129518, 0.02737551],
        [0.80867004, 0.11319243],
        [0.00802519, 0.02043302],
        [1.6002625, 0.21870562],
        [[0.00892573, 0.03210073, 0.0010536], [0.08173206, 0.03210073, 0.0010536]],
        [[0.5264013, 0.41251957, 0.28305873], [0.02509831, 0.15386856, 0.01699354]],
        [0.82426876, 0.05022283],
        0.08067264,
        0.02444561,
    ]
    with tf.Session(graph=graph) as sess:
        got = sess.run(values)
    for value, want in zip(got, expected, strict=True):
        np.testing.assert_allclose(value, want, rtol=2e-6, atol=1e-8)
    assert L.BinaryFocalCrossentropy().get_config() == {
        "reduction": "auto",
        "name": "binary_focal_crossentropy",
        "apply_class_balancing": False,
        "alpha": 0.25,
        "gamma": 2.0,
        "from_logits": False,
        "label_smoothing": 0.0,
        "axis": -1,
        "fn": "binary_focal_crossentropy",
    }


def test_function_aliases_are_tf_kerass():
    assert M.mean_squared_error is L.mean_squared_error is M.mse
    assert M.kld is M.kl_divergence is M.kullback_leibler_divergence is L.kl_divergence
    assert M.cosine is M.cosine_proximity is L.cosine is L.cosine_proximity
    assert M.cosine is L.cosine_similarity  # minus the cosine, as tf_keras's
    assert M.log_cosh is M.logcosh is L.log_cosh
    assert M.hinge is L.hinge and M.squared_hinge is L.squared_hinge and M.poisson is L.poisson
    assert L.get("binary_focal_crossentropy") is L.binary_focal_crossentropy
    with pytest.raises(ValueError, match="Unknown loss function"):
        L.get("cosine")
