"""``ModelCheckpoint(period=...)`` (deprecated) and ``save_freq=<batches>`` as TF 2.21's
tf_keras saves (reference venv): which files, named with the epoch, the logs' 0-based batch
and the batch's loss; TF's warnings and errors."""

from __future__ import annotations

import logging
import os

import numpy as np
import pytest

import scopeflow as tf

K = tf.keras
X = np.cos(np.arange(16)).reshape(8, 2).astype("f")
Y = np.sin(np.arange(8)).reshape(8, 1).astype("f")


def _model():
    model = K.Sequential([K.layers.Dense(1, input_shape=(2,), name="a")])
    model.compile(K.optimizers.SGD(0.1), "mse")
    for w in model.weights:
        K.backend.set_value(w, np.full(w.shape.as_list(), 0.3))
    return model


def test_save_every_three_batches(graph, tmp_path):
    callback = K.callbacks.ModelCheckpoint(
        str(tmp_path / "w_{epoch}_{batch}_{loss:.3f}.h5"), save_freq=3
    )
    _model().fit(X, Y, epochs=3, batch_size=2, verbose=0, shuffle=False, callbacks=[callback])
    assert sorted(os.listdir(tmp_path)) == [
        "w_1_2_1.193.h5",
        "w_2_1_0.321.h5",
        "w_3_0_0.370.h5",
        "w_3_3_0.308.h5",
    ]


def test_period_saves_every_other_epoch_and_warns(graph, tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="tensorflow"):
        callback = K.callbacks.ModelCheckpoint(
            str(tmp_path / "b_{epoch}"), save_weights_only=True, period=2
        )
    assert "`period` argument is deprecated. Please use `save_freq`" in caplog.text
    _model().fit(X, Y, epochs=5, verbose=0, shuffle=False, callbacks=[callback])
    assert sorted(os.listdir(tmp_path)) == [
        "b_2.data-00000-of-00001",
        "b_2.index",
        "b_4.data-00000-of-00001",
        "b_4.index",
        "checkpoint",
    ]


def test_unknown_monitor_and_save_freq(graph, tmp_path, caplog):
    with pytest.raises(
        ValueError, match='Unrecognized save_freq: batch. Expected save_freq are "epoch"'
    ):
        K.callbacks.ModelCheckpoint(str(tmp_path / "x.h5"), save_freq="batch")
    callbacks = [
        K.callbacks.ModelCheckpoint(str(tmp_path / "a.h5"), monitor="val_acc", save_best_only=True),
        K.callbacks.EarlyStopping(monitor="val_nope", patience=1),
    ]
    with caplog.at_level(logging.WARNING, logger="tensorflow"):
        _model().fit(X, Y, epochs=1, verbose=0, callbacks=callbacks)
    assert "Can save best model only with val_acc available, skipping." in caplog.text
    assert (
        "Early stopping conditioned on metric `val_nope` which is not available. Available "
        "metrics are: loss" in caplog.text
    )
    assert not os.listdir(tmp_path)
