"""``tf.contrib``: the ``tf.contrib`` modules TF1 model code commonly uses. Names inside them
that scopeflow cannot honour (TPU-only functions, cluster resolvers) raise
``NotImplementedError`` naming what to use instead."""

from __future__ import annotations

from scopeflow import (
    distributions,  # tf.contrib.distributions: tf.distributions' classes
    keras,  # tf.contrib.keras: tf.keras
)
from scopeflow.contrib import (
    cluster_resolver,
    compiler,
    crf,
    cudnn_rnn,
    data,
    estimator,
    factorization,
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
    summary,
    tensorboard,
    training,
    util,
)
from scopeflow.contrib.slim import losses  # TF1.15's tf.contrib.losses is slim's
from scopeflow.estimator import tpu  # tf.contrib.tpu: TPUEstimator and its kin on a CPU

# TF 1.x contrib modules scopeflow has no counterpart for, with what to write instead
_MISSING = {
    "tensor_forest": "random forests are not implemented; use tf.estimator's DNN or linear "
    "estimators, or a NumPy/scikit-learn forest outside the graph",
    "boosted_trees": "gradient boosted trees are not implemented; use tf.estimator's DNN or "
    "linear estimators, or a NumPy/scikit-learn model outside the graph",
}


def __getattr__(name: str):
    hint = _MISSING.get(name)
    if hint is not None:
        raise AttributeError(
            f"module 'tf.contrib' has no attribute {name!r}: tf.contrib.{name}: {hint}"
        )
    raise AttributeError(f"module 'tf.contrib' has no attribute {name!r}")


__all__ = [
    "cluster_resolver",
    "compiler",
    "crf",
    "cudnn_rnn",
    "data",
    "distributions",
    "estimator",
    "factorization",
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
    "summary",
    "tensorboard",
    "tpu",
    "training",
    "util",
]
