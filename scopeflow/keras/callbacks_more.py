"""``tf.keras.callbacks.BaseLogger`` (epoch averages of the batch logs) and ``RemoteMonitor``
(each epoch's logs posted to a server; needs the ``requests`` library, imported when an
epoch ends).

>>> import scopeflow as tf
>>> logger = tf.keras.callbacks.BaseLogger()
>>> logger.set_params({"metrics": ["loss"]})
>>> logger.on_epoch_begin(0)
>>> logger.on_batch_end(0, {"size": 2, "loss": 1.0})
>>> logger.on_batch_end(1, {"size": 1, "loss": 4.0})
>>> logs = {}
>>> logger.on_epoch_end(0, logs)
>>> logs
{'loss': 2.0}
"""

from __future__ import annotations

import importlib
import json
import logging

import numpy as np

from scopeflow.keras.callbacks_base import Callback


class BaseLogger(Callback):
    """Averages each batch metric over the epoch's samples (weighted by the batch ``size``)
    and writes the averages into the epoch's logs; ``stateful_metrics`` are taken as the
    last batch gave them."""

    def __init__(self, stateful_metrics=None):
        super().__init__()
        self.stateful_metrics = set(stateful_metrics or [])

    def on_epoch_begin(self, epoch, logs=None):
        self.seen = 0
        self.totals: dict = {}

    def on_batch_end(self, batch, logs=None):
        logs = logs or {}
        size = logs.get("size", 0)
        steps = logs.get("num_steps", 1)
        self.seen += size * steps
        for key, value in logs.items():
            if key in self.stateful_metrics:
                self.totals[key] = value
            else:
                self.totals[key] = self.totals.get(key, 0) + value * size

    def on_epoch_end(self, epoch, logs=None):
        if logs is None:
            return
        for key in self.params.get("metrics", []):
            if key in self.totals:
                stateful = key in self.stateful_metrics
                logs[key] = self.totals[key] if stateful else self.totals[key] / self.seen


class RemoteMonitor(Callback):
    """POSTs ``{"epoch": i, **logs}`` to ``root + path`` at each epoch's end: as the form
    field ``field`` holding JSON, or (``send_as_json``) as a JSON body."""

    def __init__(
        self,
        root="http://localhost:9000",
        path="/publish/epoch/end/",
        field="data",
        headers=None,
        send_as_json=False,
    ):
        super().__init__()
        self.root = root
        self.path = path
        self.field = field
        self.headers = headers
        self.send_as_json = send_as_json

    def on_epoch_end(self, epoch, logs=None):
        try:
            requests = importlib.import_module("requests")
        except ImportError:
            raise ImportError("RemoteMonitor requires the `requests` library.") from None
        send = {"epoch": epoch}
        for key, value in (logs or {}).items():
            send[key] = value.item() if isinstance(value, np.ndarray | np.generic) else value
        url = self.root + self.path
        try:
            if self.send_as_json:
                requests.post(url, json=send, headers=self.headers)
            else:
                requests.post(url, {self.field: json.dumps(send)}, headers=self.headers)
        except requests.exceptions.RequestException:
            logging.getLogger("tensorflow").warning(
                "Warning: could not reach RemoteMonitor root server at " + str(self.root)
            )


__all__ = ["BaseLogger", "RemoteMonitor"]
