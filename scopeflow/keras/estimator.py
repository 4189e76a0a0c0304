"""``tf.keras.estimator.model_to_estimator``: a ``tf.estimator.Estimator`` made from a
compiled Keras model, as TF1.15's tensorflow_estimator makes it.

Each call of the Estimator's ``model_fn`` clones the model on the ``input_fn``'s features (a
dict keyed by the model's input names, or one tensor; or ``{"features": ..., "sample_weights":
...}`` to weigh the examples), compiles the clone with the model's
loss, metrics and a copy of its optimizer counting ``global_step``, and returns the total loss,
the optimizer's update as ``train_op``, the compiled metrics as ``eval_metric_ops`` (named as
``model.metrics_names`` names them) and the outputs as ``predictions`` keyed by output name.
The model's current weights are saved to ``<model_dir>/keras/keras_model.ckpt`` first and the
Estimator warm-starts its trainable variables from there (as TF's does: non-trainable weights
such as BatchNormalization's moving statistics start from their initializers).

>>> import tempfile, numpy as np, scopeflow as tf
>>> with tf.Graph().as_default(), tempfile.TemporaryDirectory() as model_dir:
...     model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(2,))])
...     model.compile("sgd", "mse")
...     est = tf.keras.estimator.model_to_estimator(model, model_dir=model_dir)
...     input_fn = tf.estimator.inputs.numpy_input_fn(
...         {"dense_input": np.ones((4, 2))}, np.ones((4, 1)), shuffle=False)
...     print(sorted(est.evaluate(input_fn)))
['global_step', 'loss']
"""

from __future__ import annotations

import logging
import os

from scopeflow.estimator.estimator import Estimator, _config_with_model_dir
from scopeflow.estimator.export import (
    ClassificationOutput,
    ExportOutput,
    PredictOutput,
)
from scopeflow.estimator.model_fn import EstimatorSpec, ModeKeys
from scopeflow.framework.graph import Graph, GraphKeys
from scopeflow.framework.tensor import Tensor
from scopeflow.keras import backend, metrics_base, models, optimizers
from scopeflow.keras.custom_objects import custom_object_scope
from scopeflow.keras.model_config import clone_model
from scopeflow.keras.optimizer_v2 import Optimizer
from scopeflow.ops.array.basic import ones, shape
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.slicing import strided_slice
from scopeflow.ops.random.sampling import set_random_seed
from scopeflow.ops.sparse.tensor import convert_to_tensor_or_sparse_tensor
from scopeflow.session.session import Session
from scopeflow.train import training_util
from scopeflow.train.checkpoint_state import latest_checkpoint
from scopeflow.train.saver import Saver
from scopeflow.variables.collections import global_variables_initializer

_log = logging.getLogger("tensorflow")
_SERVING_KEY = "serving_default"


def model_to_estimator(
    keras_model=None,
    keras_model_path=None,
    custom_objects=None,
    model_dir=None,
    config=None,
    checkpoint_format="saver",
    metric_names_map=None,
    export_outputs=None,
):
    """An ``Estimator`` that trains, evaluates, predicts and exports ``keras_model`` (or the
    model saved at ``keras_model_path``), compiled, starting from its current weights.

    Args:
        keras_model: a compiled functional or ``Sequential`` model.
        keras_model_path: an HDF5 file ``Model.save`` wrote, instead of ``keras_model``.
        custom_objects: the custom layers and functions the model's config names.
        model_dir, config: as ``tf.estimator.Estimator``'s.
        checkpoint_format: ``"saver"`` (name-based checkpoints, TF1.15's default).
        metric_names_map: the new name of each compiled metric in ``evaluate``'s results.
        export_outputs: ``{signature name: ExportOutput class}`` for ``export_saved_model``
            (default: a ``PredictOutput`` of all outputs as ``serving_default``).

    Raises:
        ValueError: no model or both given, the model is not compiled, the file does not
            exist, ``checkpoint_format`` or ``metric_names_map`` is invalid.
    """
    if keras_model is None and keras_model_path is None:
        raise ValueError("Either `keras_model` or `keras_model_path` needs to be provided.")
    if keras_model is not None and keras_model_path is not None:
        raise ValueError("Please specity either `keras_model` or `keras_model_path`, but not both.")
    if checkpoint_format not in ("saver", "checkpoint"):
        raise ValueError(
            f'Checkpoint format must be one of "checkpoint" or "saver". Got {checkpoint_format}'
        )
    if checkpoint_format == "checkpoint":
        raise NotImplementedError(
            "model_to_estimator(checkpoint_format='checkpoint') (object-based checkpoints) is "
            "not supported; use checkpoint_format='saver' (name-based, TF1.15's default)."
        )
    if keras_model_path is not None:
        if not os.path.exists(keras_model_path):
            raise ValueError(f"'{keras_model_path}' does not exist.")
        _log.info("Loading models from %s", keras_model_path)
        keras_model = models.load_model(keras_model_path, custom_objects=custom_objects)
    else:
        _log.info("Using the Keras model provided.")
    if not getattr(keras_model, "inputs", None):
        raise NotImplementedError(
            "model_to_estimator needs a functional or Sequential model with known inputs; "
            "give the first layer an input_shape (subclassed models are not supported)."
        )
    if not getattr(keras_model, "_compiled", False):
        raise ValueError(
            "The given keras model has not been compiled yet. Please compile the model with "
            "`model.compile()` before calling `model_to_estimator()`."
        )
    _check_export_outputs(export_outputs)
    config = _config_with_model_dir(config, model_dir)
    model_fn = _keras_model_fn(keras_model, custom_objects, metric_names_map, export_outputs)
    warm_start_path = _save_first_checkpoint(keras_model, custom_objects, config)
    return Estimator(model_fn, config=config, warm_start_from=warm_start_path)


def _check_export_outputs(export_outputs) -> None:
    if export_outputs is None:
        return
    if not isinstance(export_outputs, dict):
        raise TypeError(f"`export_outputs` must be a dict, received {export_outputs}")
    for key, value in export_outputs.items():
        if not (isinstance(value, type) and issubclass(value, ExportOutput)):
            raise TypeError(
                f"Values in `export_outputs` must be ExportOutput classes (such as "
                f"tf.estimator.export.PredictOutput), given: {value} for key: {key}"
            )


def _as_floatx(value):
    """``value`` as a tensor, numeric values cast to ``floatx()`` as TF's model_fn casts."""
    value = value if isinstance(value, Tensor) else convert_to_tensor_or_sparse_tensor(value)
    dtype = value.dtype.base_dtype
    if (dtype.is_floating or dtype.is_integer) and dtype.name != backend.floatx():
        value = cast(value, backend.floatx())
    return value


def _ordered(values, names: list, what: str, order_name: str):
    """The tensors of ``values`` (a dict keyed by ``names``, a list or one tensor) in the
    model's order."""
    if values is None:
        return None
    if isinstance(values, (list, tuple)):
        return [_as_floatx(v) for v in values]
    if isinstance(values, dict):
        different = set(values) ^ set(names)
        if different:
            raise KeyError(
                f"The dictionary passed into {what} does not have the expected {order_name} "
                f"keys defined in the keras model.\n\tExpected keys: {set(names)}\n\t"
                f"{what} keys: {set(values)}\n\tDifference: {different}"
            )
        return [_as_floatx(values[name]) for name in names]
    return [_as_floatx(values)]


def _unit_weights(target, temporal: bool):
    """Ones for each example (each step with ``temporal``): what Keras's sample weights are
    when none is given."""
    return ones(strided_slice(shape(target), [0], [2 if temporal else 1], [1]))


def _optimizer_copy(optimizer, global_step):
    """A new optimizer of ``optimizer``'s class and config, its step count ``global_step``."""
    if isinstance(optimizer, optimizers.TFOptimizer):
        return optimizers.TFOptimizer(optimizer.optimizer, iterations=global_step)
    if not isinstance(optimizer, Optimizer):
        raise NotImplementedError(
            f"model_to_estimator cannot copy the optimizer {optimizer!r}; compile the model "
            "with a tf.keras.optimizers optimizer or a tf.train optimizer."
        )
    copy = type(optimizer).from_config(optimizer.get_config())
    copy._iterations = global_step
    return copy


def _metric_copies(metrics):
    """``compile``'s metrics, ``Metric`` objects remade from their configs (their variables
    belong to the Keras model's graph)."""
    if metrics is None:
        return None
    if isinstance(metrics, dict):
        return {key: _metric_copies(value) for key, value in metrics.items()}
    if isinstance(metrics, (list, tuple)):
        return [_metric_copies(m) for m in metrics]
    if isinstance(metrics, metrics_base.Metric):
        return type(metrics)(**metrics.get_config())
    return metrics


def _clone_and_build(keras_model, custom_objects, mode, features=None, labels=None):
    """The model cloned on ``features``, compiled on ``labels`` unless predicting."""
    backend.set_learning_phase(1 if mode == ModeKeys.TRAIN else 0)
    weights = None
    if isinstance(features, dict) and set(features) == {"features", "sample_weights"}:
        features, weights = features["features"], features["sample_weights"]
    inputs = _ordered(features, keras_model.input_names, "features", "inputs")
    with custom_object_scope(custom_objects or {}):
        model = clone_model(keras_model, input_tensors=inputs)
    if mode == ModeKeys.PREDICT:
        return model
    metrics, loss_weights = keras_model._compile_args
    targets = _ordered(labels, keras_model.output_names, "labels", "outputs")
    if targets is not None:
        model._target_tensors = targets
        modes = keras_model.sample_weight_mode
        if not isinstance(modes, (list, dict)):
            modes = [modes] * len(targets)
        elif isinstance(modes, dict):
            modes = [modes.get(name) for name in keras_model.output_names]
        weights = _ordered(weights, keras_model.output_names, "sample_weights", "outputs")
        model._sample_weight_tensors = weights or [
            _unit_weights(t, mode_ == "temporal") for t, mode_ in zip(targets, modes, strict=True)
        ]
    model.compile(
        _optimizer_copy(keras_model.optimizer, training_util.get_or_create_global_step()),
        keras_model.loss,
        metrics=_metric_copies(metrics),
        loss_weights=loss_weights,
        sample_weight_mode=keras_model.sample_weight_mode,
        weighted_metrics=_metric_copies(keras_model._weighted_metrics),
    )
    return model


def _eval_metric_ops(model, metric_names_map) -> dict:
    """``{name: (value, update_op)}`` of the clone's compiled metrics, their variables added
    to the local and metric variables (as TF's EstimatorSpec adds a Keras metric's)."""
    names = [name for name, _, _ in model._metrics]
    if metric_names_map:
        unknown = set(names) - set(metric_names_map)
        if unknown:
            raise ValueError(
                f'Invalid `metric_names_map`. The following keras model metric names:"'
                f'{sorted(unknown)}" do not exist in the `metric_names_map` dictionary'
            )
        extra = set(metric_names_map) - set(names)
        if extra:
            raise ValueError(
                "Invalid `metric_names_map`. There are unexpected keys in the "
                f"`metric_names_map` dictionary. Expected keys: {names}, Received: "
                f"{sorted(extra)}"
            )
    graph = model.outputs[0].graph
    ops = {}
    for name, wrapper, updated in model._metrics:
        for variable in wrapper.variables:
            graph.add_to_collection(GraphKeys.LOCAL_VARIABLES, variable)
            graph.add_to_collection(GraphKeys.METRIC_VARIABLES, variable)
        ops[metric_names_map[name] if metric_names_map else name] = (wrapper.result(), updated)
    return ops


def _export_outputs(export_outputs, model, predictions) -> dict:
    if export_outputs is None:
        return {_SERVING_KEY: PredictOutput(predictions)}
    built = {}
    for key, kind in export_outputs.items():
        if issubclass(kind, PredictOutput):
            built[key] = kind(predictions)
            continue
        if len(model.outputs) != 1:
            raise ValueError(
                f"export_outputs[{key!r}] = {kind.__name__} needs a model with one output; "
                f"this one has {len(model.outputs)}: use PredictOutput."
            )
        output = model.outputs[0]
        built[key] = kind(scores=output) if issubclass(kind, ClassificationOutput) else kind(output)
    return built


def _keras_model_fn(keras_model, custom_objects, metric_names_map, export_outputs):
    def model_fn(features, labels, mode):
        model = _clone_and_build(keras_model, custom_objects, mode, features, labels)
        predictions = dict(zip(model.output_names, model.outputs, strict=True))
        loss = train_op = eval_metric_ops = None
        if mode != ModeKeys.PREDICT:
            loss = model.total_loss
            eval_metric_ops = _eval_metric_ops(model, metric_names_map)
        if mode == ModeKeys.TRAIN:
            train_op = model._function("train")[-1]  # the optimizer's and layers' updates
        return EstimatorSpec(
            mode,
            predictions=predictions,
            loss=loss,
            train_op=train_op,
            eval_metric_ops=eval_metric_ops,
            export_outputs=_export_outputs(export_outputs, model, predictions),
        )

    return model_fn


def _save_first_checkpoint(keras_model, custom_objects, config) -> str:
    """``<model_dir>/keras/keras_model.ckpt``: a training graph's variables (model weights set
    to the Keras model's, optimizer variables and ``global_step`` initial), unless a
    checkpoint is there already; its path."""
    directory = os.path.join(config.model_dir, "keras")
    latest = latest_checkpoint(directory)
    if latest:
        return latest
    weights = keras_model.get_weights()
    os.makedirs(directory, exist_ok=True)
    with Graph().as_default():
        set_random_seed(config.tf_random_seed)
        training_util.create_global_step()
        model = _clone_and_build(keras_model, custom_objects, ModeKeys.TRAIN)
        model._function("train")  # makes the optimizer's variables
        with Session(config=config.session_config) as session:
            session.run(global_variables_initializer())
            for variable, value in zip(model.weights, weights, strict=True):
                variable.load(value, session)
            return Saver().save(session, os.path.join(directory, "keras_model.ckpt"))


__all__ = ["model_to_estimator"]
