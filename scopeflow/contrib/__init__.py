"""``tf.contrib``: the ``tf.contrib`` modules TF1 model code commonly uses. The ones scopeflow
does not provide raise ``NotImplementedError`` naming what to use instead."""

from __future__ import annotations

from scopeflow import (
    distributions,  # tf.contrib.distributions: tf.distributions' classes
    keras,  # tf.contrib.keras: tf.keras
)
from scopeflow.contrib import (
    crf,
    cudnn_rnn,
    data,
    feature_column,
    framework,
    image,
    layers,
    learn,
    legacy_seq2seq,
    lookup,
    metrics,
    opt,
    rnn,
    seq2seq,
    signal,
    slim,
    stateless,
    tensorboard,
    training,
    util,
)
from scopeflow.contrib.slim import losses  # TF1.15's tf.contrib.losses is slim's

# contrib modules real code imports that scopeflow leaves out, and what to use instead.
_NOT_PROVIDED = {
    "tpu": "scopeflow has no TPU support; run the graph with tf.Session",
}


def __getattr__(name: str):
    if name in _NOT_PROVIDED:
        raise NotImplementedError(
            f"tf.contrib.{name} is not provided by scopeflow: {_NOT_PROVIDED[name]}."
        )
    raise AttributeError(f"module 'tf.contrib' has no attribute {name!r}")


__all__ = [
    "crf",
    "cudnn_rnn",
    "data",
    "distributions",
    "feature_column",
    "framework",
    "image",
    "keras",
    "layers",
    "learn",
    "legacy_seq2seq",
    "lookup",
    "losses",
    "metrics",
    "opt",
    "rnn",
    "seq2seq",
    "signal",
    "slim",
    "stateless",
    "tensorboard",
    "training",
    "util",
]
