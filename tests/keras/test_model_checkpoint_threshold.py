"""tf.keras.callbacks.ModelCheckpoint(options=..., initial_value_threshold=...): TF 2.21's
(tf_keras) TypeErrors for options of the wrong kind, and the files save_best_only writes when
the loss must first beat a threshold (losses of a zero-initialized Dense under SGD)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf


def test_options_of_the_wrong_kind(tmp_path):
    path = str(tmp_path / "w.h5")
    words = r"either None or a tf.train.CheckpointOptions. Got x."
    with pytest.raises(
        TypeError, match=r"If save_weights_only is True, then `options` must be " + words
    ):
        tf.keras.callbacks.ModelCheckpoint(path, save_weights_only=True, options="x")
    words = r"`options` must be either None or a tf.saved_model.SaveOptions. Got "
    with pytest.raises(TypeError, match=r"If save_weights_only is False, then " + words):
        tf.keras.callbacks.ModelCheckpoint(path, options=tf.train.CheckpointOptions())
    callback = tf.keras.callbacks.ModelCheckpoint(
        str(tmp_path / "c"), save_weights_only=True, options=tf.train.CheckpointOptions()
    )
    assert isinstance(callback._options, tf.train.CheckpointOptions)


@pytest.mark.parametrize(
    "threshold, best, epochs",
    [(None, 0.7807489633560181, [1, 2, 3]), (0.5, 0.5, []), (2.0, 0.3715743124485016, [1, 2, 3])],
)
def test_initial_value_threshold(graph, tmp_path, threshold, best, epochs):
    model = tf.keras.Sequential(
        [tf.keras.layers.Dense(1, input_shape=(2,), kernel_initializer="zeros")]
    )
    model.compile("sgd", "mse")
    x, y = np.ones((4, 2), np.float32), np.ones((4, 1), np.float32)
    callbacks = []
    for previous in (None, 0.5, 2.0):  # the models TF trained before this one, in order
        callback = tf.keras.callbacks.ModelCheckpoint(
            str(tmp_path / f"w{previous}.{{epoch}}.h5"), monitor="loss", save_best_only=True,
            save_weights_only=True, initial_value_threshold=previous,
        )  # fmt: skip
        model.fit(x, y, epochs=3, verbose=0, callbacks=[callback], shuffle=False)
        callbacks.append(callback)
        if previous == threshold:
            break
    np.testing.assert_allclose(callbacks[-1].best, best, rtol=1e-4)
    saved = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(f"w{threshold}."))
    assert saved == [f"w{threshold}.{epoch}.h5" for epoch in epochs]
