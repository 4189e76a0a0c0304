"""tf.keras's KL divergence is named ``kl_divergence`` as in TF 2.21's tf_keras (TF 1.x's
``kullback_leibler_divergence`` stays an alias, and the metric class keeps that name): the
names, configs and values below are TF 2.21's in compat.v1 graph mode."""

from __future__ import annotations

import inspect

import numpy as np

import scopeflow as tf

Y_TRUE = [[0.2, 0.8], [0.5, 0.5]]
Y_PRED = [[0.3, 0.7], [0.4, 0.6]]


def test_functions_and_aliases_are_one_function():
    losses = tf.keras.losses
    for alias in (losses.kld, losses.KLD, losses.kullback_leibler_divergence,
                  tf.keras.metrics.kl_divergence, losses.get("kld"),
                  losses.get("kullback_leibler_divergence")):  # fmt: skip
        assert alias is losses.kl_divergence
    assert losses.kl_divergence.__name__ == "kl_divergence"
    assert losses.serialize(losses.kld) == "kl_divergence"


def test_loss_class_name_and_config(graph):
    assert str(inspect.signature(tf.keras.losses.KLDivergence)) == (
        "(reduction='auto', name='kl_divergence')"
    )
    loss = tf.keras.losses.KLDivergence()
    assert loss.get_config() == {"reduction": "auto", "name": "kl_divergence",
                                 "fn": "kl_divergence"}  # fmt: skip
    out = loss(tf.constant(Y_TRUE), tf.constant(Y_PRED))
    assert out.name.startswith("kl_divergence/")
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(out), 0.02307155, rtol=1e-5)
    assert tf.keras.metrics.KLDivergence().name == "kullback_leibler_divergence"


def test_compiled_metric_named_by_the_function(graph):
    model = tf.keras.Sequential([tf.keras.layers.Dense(2, activation="softmax",
                                                       input_shape=(2,))])  # fmt: skip
    model.compile("sgd", loss="kld", metrics=[tf.keras.losses.kl_divergence])
    model.train_on_batch(np.ones((2, 2), np.float32), np.full((2, 2), 0.5, np.float32))
    assert model.metrics_names == ["loss", "kl_divergence"]
