"""tf.keras.utils.enable/disable_interactive_logging: with it off, fit's lines and progress
bar go to absl's logging.info as tf_keras 2.21 sends them (same messages, nothing on stdout)."""

import logging
import threading

import numpy as np
import pytest

import scopeflow as tf


@pytest.fixture
def absl_records():
    records = []

    class Collect(logging.Handler):
        def emit(self, record):
            records.append((record.levelname, record.getMessage()))

    logger = logging.getLogger("absl")
    handler, level = Collect(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield records
    logger.removeHandler(handler)
    logger.setLevel(level)
    tf.keras.utils.enable_interactive_logging()


def test_switch_is_per_thread_and_on_by_default(absl_records):
    utils = tf.keras.utils
    assert utils.is_interactive_logging_enabled() is True
    utils.disable_interactive_logging()
    assert utils.is_interactive_logging_enabled() is False
    seen = []
    thread = threading.Thread(target=lambda: seen.append(utils.is_interactive_logging_enabled()))
    thread.start()
    thread.join()
    assert seen == [True]  # tf_keras's switch is thread-local too
    utils.enable_interactive_logging()
    assert utils.is_interactive_logging_enabled() is True


def test_fit_logs_to_absl_when_disabled(absl_records, capsys):
    tf.keras.utils.disable_interactive_logging()
    with tf.Graph().as_default():
        model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(2,))])
        model.compile("sgd", "mse")
        model.fit(np.ones((4, 2)), np.ones((4, 1)), batch_size=2, epochs=2, verbose=1)
        model.fit(np.ones((4, 2)), np.ones((4, 1)), batch_size=2, epochs=1, verbose=2)
    assert capsys.readouterr().out == ""
    messages = [m for _, m in absl_records]
    assert {level for level, _ in absl_records} == {"INFO"}
    # tf_keras 2.21: these records, in this order (numbers and times aside)
    assert [m[:18] for m in messages[:8]] + [messages[8][:17]] == [
        "Train on 4 samples",
        "Epoch 1/2",
        "\r2/4 [============",
        "\b" * 18,
        "Epoch 2/2",
        "\r2/4 [============",
        "\b" * 18,
        "Train on 4 samples",
        "4/4 - 0s - loss: ",
    ]
    assert messages[2].startswith("\r2/4 [==============>...............] - ETA: 0s - loss: ")
    # as many backspaces as the line before had characters (its loss's width varies)
    backspaces = len(messages[3]) - len(messages[3].lstrip("\b"))
    assert backspaces == len(messages[2]) - 1
    assert messages[3][backspaces:].startswith("\r4/4 [==============================] - 0s ")
    assert "/sample - loss: " in messages[3] and messages[3].endswith("\n")
    assert "/epoch - " in messages[8] and messages[8].endswith("/sample\n")


def test_enabled_writes_to_stdout(absl_records, capsys):
    with tf.Graph().as_default():
        model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(2,))])
        model.compile("sgd", "mse")
        model.fit(np.ones((4, 2)), np.ones((4, 1)), batch_size=4, epochs=2, verbose=2)
    out = capsys.readouterr().out
    assert out.startswith("Train on 4 samples\nEpoch 1/2\n4/4 - 0s - loss: ")
    assert absl_records == []
