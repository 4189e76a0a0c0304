"""``tf.keras.callbacks.BaseLogger``, ``CallbackList`` and ``RemoteMonitor`` as tf_keras 2.21's
(the posted payloads checked against a stand-in ``requests`` module)."""

from __future__ import annotations

import json
import sys
import types

import numpy as np
import pytest

import scopeflow as tf

C = tf.keras.callbacks


def test_base_logger_averages_by_batch_size():
    logger = C.BaseLogger(stateful_metrics=["acc"])
    logger.set_params({"metrics": ["loss", "acc", "missing"]})
    logger.on_epoch_begin(0)
    logger.on_batch_end(0, {"size": 2, "loss": 1.0, "acc": 0.5})
    logger.on_batch_end(1, {"size": 3, "loss": 2.0, "acc": 0.7, "num_steps": 2})
    logs = {"x": 1}
    logger.on_epoch_end(0, logs)
    assert logs == {"x": 1, "loss": 1.0, "acc": 0.7} and logger.seen == 8


def test_callback_list_calls_each_callback():
    history = C.History()
    calls = []
    spy = C.LambdaCallback(on_epoch_begin=lambda epoch, logs: calls.append(epoch))
    callbacks = C.CallbackList([history, spy], add_history=True, epochs=3, verbose=0)
    assert [type(c).__name__ for c in callbacks] == ["History", "LambdaCallback"]
    assert history.params == {"epochs": 3, "verbose": 0} == callbacks.params
    callbacks.on_train_begin()
    callbacks.on_epoch_begin(4)
    callbacks.on_test_begin()  # hooks a callback lacks are skipped
    assert history.history == {} and calls == [4]
    both = C.CallbackList(add_history=True, add_progbar=True)
    assert [type(c).__name__ for c in both] == ["History", "ProgbarLogger"]


def test_remote_monitor_posts_the_epoch_logs(monkeypatch):
    posted = []

    class RequestException(Exception):
        pass

    def post(url, data=None, json=None, headers=None):
        posted.append((url, data, json, headers))
        if url.startswith("http://down"):
            raise RequestException

    fake = types.SimpleNamespace(
        post=post, exceptions=types.SimpleNamespace(RequestException=RequestException)
    )
    monkeypatch.setitem(sys.modules, "requests", fake)
    C.RemoteMonitor().on_epoch_end(2, {"loss": np.float32(0.5)})
    C.RemoteMonitor(root="http://h", path="/p", send_as_json=True, headers={"a": "b"}).on_epoch_end(
        0, {"acc": np.array(1.0)}
    )
    C.RemoteMonitor(root="http://down").on_epoch_end(0, {})
    url, data, _, _ = posted[0]
    assert url == "http://localhost:9000/publish/epoch/end/"
    assert json.loads(data["data"]) == {"epoch": 2, "loss": 0.5}
    assert posted[1] == ("http://h/p", None, {"epoch": 0, "acc": 1.0}, {"a": "b"})
    assert len(posted) == 3


def test_remote_monitor_without_requests(monkeypatch):
    monkeypatch.setitem(sys.modules, "requests", None)
    with pytest.raises(ImportError, match="RemoteMonitor requires the `requests` library"):
        C.RemoteMonitor().on_epoch_end(0, {})
