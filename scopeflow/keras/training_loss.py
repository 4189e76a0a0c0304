"""A compiled Keras model's sample weights, weighted metrics and loss, as tf_keras makes them
in graph mode.

An output has no sample weights in the graph until a call (``fit``, ``evaluate``,
``train_on_batch``...) passes weights (``sample_weight`` or ``class_weight``), or until
``compile(sample_weight_mode="temporal")`` asks for them: then ``<output>_sample_weights`` is
a ``placeholder_with_default`` of ones that the call feeds. Each time a call starts or stops
passing weights, the weights, the weighted metrics (``metrics_2/...``, on the same metric
objects) and the loss (``loss_1/...``) are made again, with that call's function
(``training_2``, ``evaluation_1``); a function made earlier keeps the loss it was made with
and is not fed weights it did not have, as in TF. The unweighted metrics are made once, at
compile (``metrics/...``); the loss is ``loss/<output>_loss/...`` times each output's loss
weight, summed with the layers' losses by ``loss/AddN``."""

from __future__ import annotations

from scopeflow.framework.graph_api import name_scope
from scopeflow.keras import backend, losses, training_targets
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array.cast import cast
from scopeflow.ops.math import reduction as reduction_ops
from scopeflow.ops.math.elementwise import add_n


def weight_modes(compiled: list, given: bool) -> list:
    """Each output's sample weight mode for a call: its compiled mode (``"samplewise"`` if
    none) when the call passes weights, else None, as tf_keras resets them per call."""
    return [(mode or "samplewise") if given else None for mode in compiled]


def build_weighted(model, loss_weights: list) -> None:
    """Makes ``model``'s sample weights (for its outputs with a mode), weighted metrics and
    total loss (with each output's loss's running mean, several outputs: ``loss/Sum``...);
    sets ``_sample_weights``, ``_metrics``, ``_output_losses``, ``total_loss``."""
    names = model.output_names
    model._sample_weights = model._weight_tensors or [
        None if mode is None else training_targets.sample_weights(name, mode)
        for name, mode in zip(names, model._weight_modes, strict=True)
    ]
    with name_scope("metrics"):
        for index, (i, metric_name, wrapper, weighted) in enumerate(model._metric_specs):
            if weighted:
                y = model.outputs[i]
                weight = masked(model._sample_weights[i], getattr(y, "_keras_mask", None), y)
                with name_scope(metric_name):
                    value = wrapper(model._targets[i], y, sample_weight=weight)
                model._metric_values[index] = value
    model._metrics = [
        (metric_name, wrapper, model._metric_values[index])
        for index, (_, metric_name, wrapper, _) in enumerate(model._metric_specs)
    ]
    weights = [1.0 if w is None else w for w in loss_weights]
    terms, model._output_losses, model._output_loss_results = [], [], []
    with name_scope("loss"):
        for y, target, sample_weight, fn, weight, name in zip(
            model.outputs,
            model._targets,
            model._sample_weights,
            model._loss_fns,
            weights,
            names,
            strict=True,
        ):
            if fn is None:  # an output left out of training, as TF's
                continue
            with name_scope(f"{name}_loss"):
                model._check_target(fn, y, name)
                if isinstance(fn, losses.Loss):
                    per_example, reduction = fn.call(target, y), fn.reduction
                else:
                    per_example, reduction = fn(target, y), losses.Reduction.SUM_OVER_BATCH_SIZE
                mask = getattr(y, "_keras_mask", None)
                example_weight = masked(sample_weight, mask, y)
                value = losses.reduce_weighted(per_example, example_weight, reduction)
                if mask is not None:  # as Keras: the mean over the unmasked steps
                    kept = reduction_ops.reduce_mean(cast(mask, value.dtype))
                    value /= kept + backend.epsilon()
            model._output_losses.append(value)
            if model._output_loss_metrics:  # the running mean fetched as the output's loss
                model._output_loss_results.append(model._output_loss_metrics[len(terms)](value))
            terms.append(weight * value)
        custom = _custom_losses(model)
        if custom:
            terms.append(add_n(custom))
        if not terms:
            raise ValueError("The model cannot be compiled because it has no loss to optimize.")
        model.total_loss = add_n(terms) if len(terms) > 1 else terms[0]
    model._collected_trainable_weights = model.trainable_weights
    model._compiled = True


def _custom_losses(model) -> list:
    """The layers' losses in the total loss, as TF's Keras gathers them: the unconditional
    ones, then those computed from the model's inputs (asking for the losses twice makes
    weight regularization's ops twice: ``Regularizer``, then the unused ``Regularizer_1``)."""
    if not model.inputs:  # a subclassed model not called yet: all of them
        return model.losses
    return model.get_losses_for(None) + model.get_losses_for(model.inputs)


def masked(sample_weight, mask, output):
    """The examples' weights (None: ones) times the output's Keras mask (a masked step
    weighs 0)."""
    if mask is None:
        return sample_weight
    mask = cast(mask, output.dtype.base_dtype)
    if sample_weight is None:
        return mask
    extra = mask.shape.ndims - sample_weight.shape.ndims
    if not extra:  # temporal weights
        return sample_weight * mask
    return array_ops.reshape(sample_weight, [-1] + [1] * extra) * mask
