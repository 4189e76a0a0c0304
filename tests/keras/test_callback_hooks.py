"""tf.keras.callbacks.Callback has every hook tf_keras's has, so a subclass can call
``super().on_test_batch_end(...)`` and the like; the hooks evaluate and predict call, in
order, are TF 2.21's (tf_keras, compat.v1 graph mode)."""

from __future__ import annotations

import inspect

import numpy as np

import scopeflow as tf

HOOKS = [
    "on_test_begin", "on_test_end", "on_test_batch_begin", "on_test_batch_end",
    "on_predict_begin", "on_predict_end", "on_predict_batch_begin", "on_predict_batch_end",
]  # fmt: skip
EXPECTED = [
    ("on_test_begin", "-"), ("on_test_batch_begin", 0), ("on_test_batch_end", 0),
    ("on_test_batch_begin", 1), ("on_test_batch_end", 1), ("on_test_batch_begin", 2),
    ("on_test_batch_end", 2), ("on_test_end", "-"), ("on_predict_begin", "-"),
    ("on_predict_batch_begin", 0), ("on_predict_batch_end", 0), ("on_predict_batch_begin", 1),
    ("on_predict_batch_end", 1), ("on_predict_end", "-"),
]  # fmt: skip


def test_hooks_exist_with_tfs_signatures():
    base = tf.keras.callbacks.Callback
    assert [str(inspect.signature(getattr(base, hook))) for hook in HOOKS] == [
        "(self, logs=None)", "(self, logs=None)", "(self, batch, logs=None)",
        "(self, batch, logs=None)", "(self, logs=None)", "(self, logs=None)",
        "(self, batch, logs=None)", "(self, batch, logs=None)",
    ]  # fmt: skip
    assert base().on_test_batch_end(0, {"loss": 1.0}) is None


def test_subclass_calling_super_in_evaluate_and_predict(graph):
    calls = []
    base = tf.keras.callbacks.Callback

    def recorder(hook):
        def record(self, *args):
            first = args[0] if args and not isinstance(args[0], dict) else "-"
            calls.append((hook, "-" if first is None else first))
            return getattr(base, hook)(self, *args)

        return record

    recording = type("Recording", (base,), {hook: recorder(hook) for hook in HOOKS})
    model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(2,))])
    model.compile("sgd", "mse")
    x, y = np.ones((5, 2), np.float32), np.ones((5, 1), np.float32)
    model.evaluate(x, y, batch_size=2, verbose=0, callbacks=[recording()])
    model.predict(x, batch_size=4, callbacks=[recording()])
    assert calls == EXPECTED
