"""tf.keras.metrics.AUC(from_logits=True) takes the sigmoid of its predictions first, and
num_labels without multi_label is TF's ValueError (TF 2.21's tf_keras: the value below; it
swallowed both arguments before, counting logits as probabilities)."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import scopeflow as tf


def test_signature_and_num_labels_error():
    assert str(inspect.signature(tf.keras.metrics.AUC)).startswith(
        "(num_thresholds=200, curve='ROC', summation_method='interpolation', name=None, "
        "dtype=None, thresholds=None, multi_label=False, num_labels=None, label_weights=None, "
        "from_logits=False"
    )
    with pytest.raises(ValueError, match="`num_labels` is needed only when `multi_label` is True"):
        tf.keras.metrics.AUC(num_labels=3)


def test_from_logits(graph):
    metric = tf.keras.metrics.AUC(num_thresholds=5, from_logits=True)
    y_true = tf.constant([[0.0], [1.0], [1.0], [0.0]])
    logits = tf.constant([[-2.0], [0.5], [3.0], [0.2]])
    before = len(graph.get_operations())
    update = metric.update_state(y_true, logits)
    assert graph.get_operations()[before].name == "Sigmoid"
    result = metric.result()
    with tf.Session() as sess:
        sess.run(tf.variables_initializer(metric.variables))
        sess.run(update)
        np.testing.assert_allclose(sess.run(result), 0.875, rtol=1e-5)


def test_config_round_trip(graph):
    # TF 2.21's get_config keys; thresholds (sorted, the inner ones) only when given
    config = tf.keras.metrics.AUC(
        num_thresholds=5, curve="PR", summation_method="minoring", name="a", from_logits=True
    ).get_config()
    assert config == {
        "name": "a", "dtype": "float32", "num_thresholds": 5, "curve": "PR",
        "summation_method": "minoring", "multi_label": False, "num_labels": None,
        "label_weights": None, "from_logits": True,
    }  # fmt: skip
    config = tf.keras.metrics.AUC(thresholds=[0.3, 0.1, 0.7]).get_config()
    assert (config["num_thresholds"], config["thresholds"]) == (5, [0.1, 0.3, 0.7])
    metric = tf.keras.metrics.AUC.from_config(config)
    np.testing.assert_allclose(metric.thresholds, [-1e-07, 0.1, 0.3, 0.7, 1.0000001])
    assert metric.num_thresholds == 5
