"""``tf.keras.callbacks.ProgbarLogger(count_mode, stateful_metrics)`` given to ``fit`` beside
the bar ``fit`` draws itself: the texts below are TF 2.21's (tf_keras, graph mode) for the same
model, with times written ``T`` and each run of backspaces ``<BS>``."""

from __future__ import annotations

import contextlib
import inspect
import io
import re

import numpy as np
import pytest

import scopeflow as tf

SAMPLES = (
    "Train on 10 samples\nEpoch 1/2\nEpoch 1/2\n"
    "\r 4/10 [===========>..................] - ETA: T - loss: 0.2900"
    "\r 4/10 [===========>..................] - ETA: T - loss: 0.2900<BS>"
    "\r10/10 [==============================] - T T/sample - loss: 2.0075\n<BS>"
    "\r10/10 [==============================] - T T/sample - loss: 2.0075\n"
    "Epoch 2/2\nEpoch 2/2\n"
    "\r 4/10 [===========>..................] - ETA: T - loss: 0.3577"
    "\r 4/10 [===========>..................] - ETA: T - loss: 0.3577<BS>"
    "\r10/10 [==============================] - T T/sample - loss: 1.3467\n<BS>"
    "\r10/10 [==============================] - T T/sample - loss: 1.3467\n"
)
STEPS = (
    "Train on 10 samples\nEpoch 1/2\nEpoch 1/2\n"
    "\r      1/Unknown - T T/step - batch: 0.0000e+00 - size: 4.0000 - loss: 0.2900"
    "\r 4/10 [===========>..................] - ETA: T - loss: 0.2900<BS>"
    "\r3/3 [==============================] - T T/step - batch: 1.0000 - size: 3.3333"
    " - loss: 2.4622\n<BS>"
    "\r10/10 [==============================] - T T/sample - loss: 2.0075\n"
    "Epoch 2/2\nEpoch 2/2\n"
    "\r1/3 [=========>....................] - ETA: T - batch: 0.0000e+00 - size: 4.0000"
    " - loss: 0.3577"
    "\r 4/10 [===========>..................] - ETA: T - loss: 0.3577<BS>"
    "\r3/3 [==============================] - T T/step - batch: 1.0000 - size: 3.3333"
    " - loss: 1.6516\n<BS>"
    "\r10/10 [==============================] - T T/sample - loss: 1.3467\n"
)


def _fit(count_mode: str, verbose: int):
    x = np.arange(20, dtype=np.float32).reshape(10, 2) / 10
    y = np.ones((10, 1), np.float32)
    with tf.Graph().as_default():
        model = tf.keras.Sequential(
            [tf.keras.layers.Dense(1, input_shape=(2,), kernel_initializer="ones")]
        )
        model.compile("sgd", "mse")
        logger = tf.keras.callbacks.ProgbarLogger(count_mode=count_mode)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            model.fit(x, y, batch_size=4, epochs=2, verbose=verbose, callbacks=[logger],
                      shuffle=False)  # fmt: skip
    text = re.sub(r"\d+ms|\d+s|\d+us", "T", out.getvalue())
    return re.sub(r"\x08+", "<BS>", text), logger


def test_signature_and_defaults():
    assert str(inspect.signature(tf.keras.callbacks.ProgbarLogger)) == (
        "(count_mode='samples', stateful_metrics=None)"
    )
    logger = tf.keras.callbacks.ProgbarLogger()
    assert (logger.stateful_metrics, logger.seen, logger.use_steps) == (set(), 0, False)
    assert tf.keras.callbacks.ProgbarLogger(stateful_metrics=["acc"]).stateful_metrics == {"acc"}


def test_unknown_count_mode():
    with pytest.raises(ValueError, match=r'Unknown `count_mode`: epochs. Expected values are '
                                         r'\["samples", "steps"\]'):  # fmt: skip
        tf.keras.callbacks.ProgbarLogger(count_mode="epochs")


@pytest.mark.parametrize(
    "count_mode, seen, text", [("samples", 10, SAMPLES), ("steps", 3, STEPS)]
)
def test_counts_samples_or_steps(count_mode, seen, text):
    printed, logger = _fit(count_mode, verbose=1)
    assert printed == text
    assert (logger.seen, logger.target, logger.use_steps) == (seen, seen, count_mode == "steps")


def test_silent_with_verbose_zero():
    printed, logger = _fit("steps", verbose=0)
    assert printed == "" and (logger.seen, logger.target) == (3, 3)
