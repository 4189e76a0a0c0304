"""tf.keras.callbacks.EarlyStopping(start_from_epoch=...): epochs before it are not watched
(TF 2.21's tf_keras: where a rising loss stops training with patience 1)."""

from __future__ import annotations

import inspect

import pytest

import scopeflow as tf


class _Model:
    stop_training = False


def test_signature():
    assert str(inspect.signature(tf.keras.callbacks.EarlyStopping)).endswith(
        "restore_best_weights=False, start_from_epoch=0)"
    )


@pytest.mark.parametrize("start, stopped, best", [(0, 1, 1.0), (2, 3, 3.0), (5, 6, 6.0)])
def test_epochs_before_start_are_not_watched(start, stopped, best):
    callback = tf.keras.callbacks.EarlyStopping(monitor="loss", patience=1, start_from_epoch=start)
    model = _Model()
    callback.set_model(model)
    callback.on_train_begin()
    stopped_at = None
    for epoch, loss in enumerate([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]):
        callback.on_epoch_end(epoch, {"loss": loss})
        if model.stop_training:
            stopped_at = epoch
            break
    assert (stopped_at, callback.wait, callback.best, callback.stopped_epoch) == (
        stopped, 1, best, stopped,
    )  # fmt: skip
