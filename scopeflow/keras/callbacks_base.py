"""``tf.keras.callbacks.Callback``, the hooks ``fit`` calls, and ``History``, what ``fit``
returns.

>>> import scopeflow as tf
>>> history = tf.keras.callbacks.History()
>>> history.on_train_begin()
>>> history.on_epoch_end(0, {"loss": 0.5})
>>> history.history
{'loss': [0.5]}
"""

from __future__ import annotations


class Callback:
    """Subclass and override the hooks you need; ``self.model`` is the model being trained,
    ``self.params`` the run's settings (epochs, samples, verbose, metrics)."""

    def __init__(self):
        self.model = None
        self.params: dict = {}

    def set_model(self, model) -> None:
        self.model = model

    def set_params(self, params: dict) -> None:
        self.params = params

    def on_train_begin(self, logs=None): ...

    def on_train_end(self, logs=None): ...

    def on_epoch_begin(self, epoch, logs=None): ...

    def on_epoch_end(self, epoch, logs=None): ...

    def on_batch_begin(self, batch, logs=None): ...

    def on_batch_end(self, batch, logs=None): ...

    def on_train_batch_begin(self, batch, logs=None):
        self.on_batch_begin(batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        self.on_batch_end(batch, logs)

    def on_test_begin(self, logs=None): ...

    def on_test_end(self, logs=None): ...

    def on_test_batch_begin(self, batch, logs=None): ...

    def on_test_batch_end(self, batch, logs=None): ...

    def on_predict_begin(self, logs=None): ...

    def on_predict_end(self, logs=None): ...

    def on_predict_batch_begin(self, batch, logs=None): ...

    def on_predict_batch_end(self, batch, logs=None): ...


class History(Callback):
    """Records each epoch's logs: ``history.history["loss"]`` is the loss per epoch."""

    def on_train_begin(self, logs=None):
        self.epoch: list = []
        self.history: dict = {}

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)
