"""``Model.fit``, ``evaluate`` and ``predict`` on NumPy arrays, as tf_keras's compat.v1 array
loop runs them: one ``Session.run`` per batch of ``batch_size`` examples, the example order shuffled
each epoch with NumPy's ``random`` (``shuffle="batch"``: whole batches shuffled, the
last partial batch kept last), callbacks called as ``fit_generator`` calls them
(``BaseLogger``, the user's, ``History``, ``ProgbarLogger``; ``on_test_*`` while
validating), with ``params`` counting samples.
"""

from __future__ import annotations

import numpy as np

from scopeflow.keras import callbacks as cbks
from scopeflow.keras import training_generator as generators
from scopeflow.keras.io_utils import print_msg
from scopeflow.keras.training_dataset import DatasetBatches


def batch_size_for(model, batch_size, arrays: list) -> int:
    """The batch size a loop over ``arrays`` uses: the one given (32 by default), or the
    batch size fixed by the model's first input; a stateful model's samples must make whole
    batches. TF's Keras's ``ValueError``s otherwise."""
    inputs = model.inputs or []
    fixed = inputs[0].shape.as_list()[0] if inputs and inputs[0].shape.ndims else None
    if fixed is not None:
        if batch_size is not None and int(batch_size) != fixed:
            raise ValueError(
                f"The `batch_size` argument value {batch_size} is incompatible with the "
                f"specified batch size of your Input Layer: {fixed}"
            )
        batch_size = fixed
    batch_size = 32 if batch_size is None else int(batch_size)
    if getattr(model, "stateful", False) and arrays and len(arrays[0]) % batch_size:
        raise ValueError(
            "In a stateful network, you should only pass inputs with a number of samples that "
            f"can be divided by the batch size. Found: {len(arrays[0])} samples"
        )
    return batch_size


def batch_shuffle(order, batch_size: int):
    """``order`` with its whole batches shuffled as blocks; the examples past the last
    whole batch stay at the end."""
    whole = len(order) // batch_size * batch_size
    blocks = order[:whole].reshape(-1, batch_size)
    np.random.shuffle(blocks)
    return np.concatenate([blocks.ravel(), order[whole:]])


def run_batches(model, mode: str, arrays, batch_size, order, callback_list=None) -> list:
    """Runs ``mode``'s function over the batches of ``order``; returns, as Keras's
    aggregator, the loss's mean over the examples, each output's loss's mean over the
    batches and the metrics' last (running) values."""
    total = 0.0
    names = model.metrics_names
    if not len(order):  # TF's aggregator: nothing ran
        raise ValueError("Empty training data.")
    if not batch_size:  # as TF's count of batches, len / float(batch_size)
        raise ZeroDivisionError("float division by zero")
    for index, start in enumerate(range(0, len(order), batch_size)):
        ids = order[start : start + batch_size]
        batch = arrays if len(order) <= batch_size else [a[ids] for a in arrays]
        logs = {"batch": index, "size": len(ids)}
        if callback_list is not None:
            callback_list._call(f"on_{mode}_batch_begin", index, logs)
        outs = model._run(mode, batch)
        total += float(outs[0]) * len(ids)
        if callback_list is not None:
            logs.update((n, float(v)) for n, v in zip(names, outs, strict=True))
            callback_list._call(f"on_{mode}_batch_end", index, logs)
        last = outs
        if model.stop_training:
            break
    return [total / len(order), *[float(v) for v in last[1:]]]


def evaluate(model, arrays, batch_size: int, callbacks=None, verbose=0, order=None) -> list:
    """The loss and metrics over ``arrays`` (in ``order``), ``on_test_*`` called on
    ``callbacks`` (a list, or ``fit``'s ``CallbackList``)."""
    callback_list = callbacks
    if not isinstance(callbacks, cbks.CallbackList):
        callback_list = cbks.CallbackList(callbacks, model=model)
        samples = len(arrays[0])
        generators.set_params(
            callback_list, model, "test", False, None, 1, verbose, samples, batch_size
        )
    model._begin("test", arrays)
    model.reset_metrics()
    callback_list._call("on_test_begin", {})
    order = np.arange(len(arrays[0])) if order is None else order
    outs = run_batches(model, "test", arrays, batch_size, order, callback_list)
    callback_list._call("on_test_end", {})
    return [np.float32(v) for v in outs]


def predict(model, arrays, batch_size: int, callbacks=None, verbose=0) -> list:
    """The outputs on ``arrays``, batch by batch, ``on_predict_*`` called on ``callbacks``."""
    callback_list = cbks.CallbackList(callbacks, model=model)
    count = len(arrays[0])
    generators.set_params(
        callback_list, model, "predict", False, None, 1, verbose, count, batch_size
    )
    callback_list._call("on_predict_begin", {})
    pieces = []
    for index, start in enumerate(range(0, count, batch_size)):
        logs = {"batch": index, "size": min(batch_size, count - start)}
        callback_list._call("on_predict_batch_begin", index, logs)
        pieces.append(model._run("predict", [a[start : start + batch_size] for a in arrays]))
        logs["outputs"] = pieces[-1]
        callback_list._call("on_predict_batch_end", index, logs)
    callback_list._call("on_predict_end", {})
    return [np.concatenate([p[k] for p in pieces]) for k in range(len(model.outputs))]


def _validate(model, validation, batch_size: int, callback_list) -> list:
    if isinstance(validation, DatasetBatches):
        return generators.model_iteration(
            model, validation, "test", callbacks=callback_list, verbose=0, workers=0
        )
    # as tf_keras: the validation examples shuffled too (NumPy's random drawn)
    order = np.arange(len(validation[0]))
    np.random.shuffle(order)
    return evaluate(model, validation, batch_size, callback_list, order=order)


def fit(
    model,
    arrays,
    validation,
    batch_size,
    epochs,
    verbose,
    callbacks,
    shuffle,
    initial_epoch,
    validation_freq,
):
    """Trains ``model`` on ``arrays`` (inputs, targets, weights); returns the ``History``."""
    samples = len(arrays[0])
    if verbose:
        message = f"Train on {samples} samples"
        if validation is not None:
            count = (
                validation.count() if isinstance(validation, DatasetBatches) else len(validation[0])
            )
            message += f", validate on {count} samples"
        print_msg(message)
    do_validation = validation is not None
    callback_list = generators.make_callback_list(model, callbacks, "train", verbose)
    generators.set_params(
        callback_list, model, "train", do_validation, None, epochs, verbose, samples, batch_size
    )
    model.stop_training = False
    model._begin("train", arrays)
    callback_list.on_train_begin({})
    for epoch in range(initial_epoch, epochs):
        if model.stop_training:
            break
        model.reset_metrics()
        callback_list.on_epoch_begin(epoch, {})
        order = np.arange(samples)
        if shuffle == "batch":
            order = batch_shuffle(order, batch_size)
        elif shuffle:
            np.random.shuffle(order)
        results = run_batches(model, "train", arrays, batch_size, order, callback_list)
        logs = {n: float(v) for n, v in zip(model.metrics_names, results, strict=True)}
        if (
            do_validation
            and generators.should_validate(validation_freq, epoch)
            and not model.stop_training
        ):
            val = _validate(model, validation, batch_size, callback_list)
            if isinstance(validation, DatasetBatches) and epoch < epochs - 1:
                validation.restart()
            logs.update(
                (f"val_{n}", float(v)) for n, v in zip(model.metrics_names, val, strict=True)
            )
        callback_list.on_epoch_end(epoch, logs)
    callback_list.on_train_end({})
    return model.history


def class_weights(class_weight, names: list) -> list:
    """``class_weight`` for each output: one ``{class: weight}`` dict for a single output, or
    such dicts by output name."""
    if class_weight is None:
        return [None] * len(names)
    if all(isinstance(v, dict) for v in class_weight.values()) and class_weight:
        return [class_weight.get(name) for name in names]
    if len(names) > 1:
        raise ValueError(
            "`class_weight` must contain all classes in the data. For a model with several "
            f"outputs, pass a dict of dicts keyed by output name ({names})."
        )
    return [class_weight]


def _check_weight_rank(target, sample_weight, temporal: bool) -> None:
    """TF's errors (and words, its typo included) for weights of the wrong rank."""
    if temporal and target.ndim < 3:
        raise ValueError(
            f"Found a sample_weight array for an input with shape {target.shape}. Timestep-wise "
            'sample weighting (use of sample_weight_mode="temporal") is restricted to outputs '
            "that are at least 3D, i.e. that have a time dimension."
        )
    if temporal and sample_weight.ndim != 2:
        raise ValueError(
            f"Found a sample_weight array with shape {sample_weight.shape}. In order to "
            "use timestep-wise sample weighting, you should pass a 2D sample_weight array."
        )
    if not temporal and sample_weight.ndim != 1:
        raise ValueError(
            f"Found a sample_weight array with shape {sample_weight.shape}. In order to use "
            'timestep-wise sample weights, you should specify sample_weight_mode="temporal" in '
            'compile(); founssd "None" instead. If you just mean to use sample-wise weights, '
            "make sure your sample_weight array is 1D."
        )


def example_weights(target, sample_weight, class_weight, temporal: bool):
    """Each example's loss weight (each step's, ``temporal``): ``sample_weight`` (ones by
    default) times the weight of its class (the target's label, or the arg max of a one-hot
    target)."""
    shape = target.shape[:2] if temporal else target.shape[:1]
    weights = np.ones(shape, np.float32)
    if sample_weight is not None:
        sample_weight = np.asarray(sample_weight, np.float32)
        _check_weight_rank(target, sample_weight, temporal)
        if sample_weight.shape != shape:
            raise ValueError(
                f"Found a sample_weight array with shape {sample_weight.shape} for an input "
                f"with shape {target.shape}. sample_weight cannot be broadcast."
            )
        weights = weights * sample_weight
    if class_weight:
        if target.ndim > 2:
            raise ValueError("`class_weight` not supported for 3+ dimensional targets.")
        labels = np.argmax(target, axis=1) if target.shape[-1] > 1 else target[:, 0]
        missing = set(labels) - set(class_weight)  # NumPy scalars, shown as TF shows them
        if missing:
            raise ValueError(
                f"`class_weight` must contain all classes in the data. The classes "
                f"{missing} exist in the data but not in `class_weight`."
            )
        weights = weights * np.array([class_weight[int(c)] for c in labels], np.float32)
    return weights


__all__ = [
    "batch_shuffle",
    "class_weights",
    "evaluate",
    "example_weights",
    "fit",
    "predict",
    "run_batches",
]
