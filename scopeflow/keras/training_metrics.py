"""How ``compile`` picks and names its metrics, as TF's Keras (tf_keras in compat.v1 graph
mode) does: ``metrics`` (and ``weighted_metrics``) as one list for every output (metric
objects cloned per output), a list of lists or a dictionary by output name; per output one
metric per name (a later one of the same name replaces the earlier, whose variables stay
made); names prefixed ``weighted_`` and, with several outputs, by the output's name (not for
metric objects of a model loaded from a file, already prefixed), made unique with ``_1``...;
a metric object given takes its final name.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     x = tf.keras.Input((2,))
...     model = tf.keras.Model(x, [tf.keras.layers.Dense(1)(x), tf.keras.layers.Dense(1)(x)])
...     model.compile("sgd", "mse", metrics=[["mae"], ["mse", "mae"]])
>>> model.metrics_names[3:]
['dense_mean_absolute_error', 'dense_1_mean_squared_error', 'dense_1_mean_absolute_error']
"""

from __future__ import annotations

from scopeflow.keras import metrics as metrics_module
from scopeflow.keras.metrics_base import MeanMetricWrapper, Metric


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _clone(metric):
    """A metric object made again from its config (one per output); names and functions as
    they are."""
    if not isinstance(metric, Metric):
        return metric
    config = metric.get_config()
    make = getattr(type(metric), "from_config", None)
    return make(config) if make is not None else type(metric)(**config)


def by_output(metrics, names: list) -> list:
    """The metrics asked for each output, as TF's Keras reads ``compile``'s argument."""
    if not metrics:
        return [[] for _ in names]
    if isinstance(metrics, dict):
        unknown = sorted(set(metrics) - set(names))
        if unknown:
            raise ValueError(
                f"Unknown entries in metrics dictionary: {unknown}. Only expected following "
                f"keys: {names}"
            )
        return [_as_list(metrics.get(name, [])) for name in names]
    if isinstance(metrics, list):
        if any(isinstance(m, list) for m in metrics):
            if len(metrics) != len(names):
                raise ValueError(
                    "When passing a list of lists as `metrics`, it should have one entry per "
                    f"model output. The model has {len(names)} outputs, but you passed "
                    f"metrics={metrics}"
                )
            return [_as_list(m) for m in metrics]
        if len(names) > 1:
            return [[_clone(m) for m in metrics] for _ in names]
        return [metrics]
    raise TypeError(
        "Type of `metrics` argument not understood. Expected a list or dictionary, found: "
        f"{metrics}"
    )


def collect(model, metrics, weighted_metrics, loss_fns: list) -> list:
    """``(output index, name, metric, weighted)`` of ``model``'s compiled metrics, in
    ``metrics_names`` order (the outputs with a loss; for each, its metrics then its weighted
    ones); the metric objects are made as TF makes them (all outputs' metrics, then all
    weighted ones: ``total``, ``total_1``...)."""
    names = model.output_names
    serialized = getattr(model, "_from_serialized", False)
    chosen = {}
    for weighted, given in ((False, metrics), (True, weighted_metrics)):
        for i, wanted in enumerate(by_output(given, names)):
            per_name = {}
            for metric in wanted:
                name, fn = metrics_module.resolve(metric, loss_fns[i], model.outputs[i])
                if weighted:  # weighted_metrics: "weighted_acc"...
                    name = f"weighted_{name}"
                if isinstance(fn, Metric):
                    fn._from_serialized = serialized
                else:
                    fn = MeanMetricWrapper(fn, name)
                per_name[name] = fn
            chosen[i, weighted] = per_name
    taken, specs = ["loss"], []
    for i in (i for i, fn in enumerate(loss_fns) if fn is not None):
        for weighted in (False, True):
            for name, fn in chosen[i, weighted].items():
                if len(names) > 1 and not getattr(fn, "_from_serialized", False):
                    name = f"{names[i]}_{name}"
                base, count = name, 1
                while name in taken:
                    name, count = f"{base}_{count}", count + 1
                taken.append(name)
                fn.name = name
                specs.append((i, name, fn, weighted))
    return specs


__all__ = ["by_output", "collect"]
