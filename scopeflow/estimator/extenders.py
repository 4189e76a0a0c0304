"""``tf.estimator.add_metrics``: an ``Estimator`` with more evaluation metrics."""

from __future__ import annotations

from scopeflow.estimator.estimator import Estimator
from scopeflow.estimator.model_fn import ModeKeys, fn_args

_VALID_METRIC_FN_ARGS = {"features", "labels", "predictions", "config"}


def add_metrics(estimator, metric_fn):
    """A new ``Estimator`` like ``estimator`` (same ``model_dir``, config and warm start)
    whose evaluation also reports ``metric_fn``'s metrics: ``metric_fn`` declares any of
    ``predictions``, ``features``, ``labels``, ``config`` and returns a dict of
    ``(value, update_op)`` pairs, which replace existing metrics of the same name.

    >>> import scopeflow as tf
    >>> def model_fn(features, labels, mode):
    ...     return tf.estimator.EstimatorSpec(mode, loss=tf.constant(0.0),
    ...                                       predictions=features)
    >>> est = tf.estimator.add_metrics(
    ...     tf.estimator.Estimator(model_fn),
    ...     lambda predictions: {"mean_x": tf.metrics.mean(predictions)})
    >>> est.evaluate(lambda: tf.data.Dataset.from_tensor_slices([1.0, 2.0, 6.0]).batch(2))
    {'loss': np.float32(0.0), 'mean_x': np.float32(3.0), 'global_step': np.int64(0)}
    """
    invalid = list(set(fn_args(metric_fn)) - _VALID_METRIC_FN_ARGS)
    if invalid:
        raise ValueError(f"metric_fn ({metric_fn}) has following not expected args: {invalid}")

    def new_model_fn(features, labels, mode, config):
        spec = estimator.model_fn(features, labels, mode, config)
        if mode != ModeKeys.EVAL:
            return spec
        args = fn_args(metric_fn)
        given = {"features": features, "labels": labels, "predictions": spec.predictions}
        kwargs = {k: v for k, v in given.items() if k in args}
        if "config" in args:
            kwargs["config"] = config
        metrics = spec.eval_metric_ops or {}
        metrics.update(metric_fn(**kwargs))
        return spec._replace(eval_metric_ops=metrics)

    return Estimator(
        model_fn=new_model_fn,
        model_dir=estimator.model_dir,
        config=estimator.config,
        warm_start_from=estimator._warm_start_settings,
    )
