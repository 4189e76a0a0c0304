"""``Model.fit``, ``evaluate`` and ``predict`` on a ``tf.keras.utils.Sequence`` (batches
from ``sequence[i]``: ``(x, y)`` or ``(x, y, sample_weight)``), as TF1.15's Keras runs them:
one step per batch, ``steps_per_epoch`` (default ``len(sequence)``) steps an epoch, the
epoch's loss the mean over its examples, the metrics their running values,
``sequence.on_epoch_end()`` between epochs, the batch order shuffled with ``shuffle``.
"""

from __future__ import annotations

import numpy as np

from scopeflow.keras import callbacks as cbks


def _unpack(batch):
    if not isinstance(batch, tuple) or len(batch) not in (2, 3):
        raise ValueError(
            "Output of generator should be a tuple `(x, y, sample_weight)` or `(x, y)`. "
            f"Found: {batch}"
        )
    return batch if len(batch) == 3 else (*batch, None)


def _steps(sequence, steps) -> int:
    return len(sequence) if steps is None else int(steps)


def run_steps(
    model, mode: str, sequence, steps: int, order, callback_list=(), by_steps=False, start=0
):
    """The loss's mean over the examples and the metrics' last (running) values."""
    names = model.metrics_names
    total, samples, step_total, last = 0.0, 0, 0.0, None
    for index in range(steps):
        x, y, sample_weight = _unpack(sequence[int(order[(start + index) % len(order)])])
        arrays = model._prepare(x, y, mode, sample_weight)
        logs = {"batch": index, "size": len(arrays[0])}
        for callback in callback_list:
            callback.on_train_batch_begin(index, logs)
        outs = model._run(mode, arrays)
        total += float(outs[0]) * len(arrays[0])
        step_total += float(outs[0])
        samples += len(arrays[0])
        logs.update(zip(names, outs, strict=True))
        for callback in callback_list:
            callback.on_train_batch_end(index, logs)
        last = outs
        if model.stop_training:
            break
    if by_steps:  # evaluate's loss: the mean of the steps' losses, as Keras's aggregator
        total, samples = step_total, steps
    return [total / samples, *[float(v) for v in last[1:]]]


def fit(
    model,
    sequence,
    epochs,
    verbose,
    callbacks,
    validation_data,
    initial_epoch,
    shuffle,
    steps_per_epoch,
    validation_steps,
):
    """Trains ``model`` on ``sequence``; returns the ``History``."""
    steps = _steps(sequence, steps_per_epoch)
    model.history = cbks.History()
    callback_list = [*(callbacks or []), model.history]
    if verbose:
        callback_list.append(cbks.ProgbarLogger(model.metrics_names[1:]))
    names = model.metrics_names
    params = {
        "epochs": epochs,
        "steps": steps,
        "samples": steps,
        "verbose": verbose,
        "metrics": names + [f"val_{n}" for n in names if validation_data is not None],
    }
    x, y, _ = _unpack(sequence[0])
    model._prepare(x, y, "train")
    for callback in callback_list:
        callback.set_model(model)
        callback.set_params(params)
    model.stop_training = False
    model._function("train")
    for callback in callback_list:
        callback.on_train_begin({})
    for epoch in range(initial_epoch, epochs):
        model.reset_metrics()
        for callback in callback_list:
            callback.on_epoch_begin(epoch, {})
        order = np.arange(len(sequence))
        if shuffle:
            np.random.shuffle(order)
        # the batches go on where the last epoch stopped, as Keras's enqueuer does
        start = (epoch - initial_epoch) * steps
        results = run_steps(model, "train", sequence, steps, order, callback_list, start=start)
        logs = dict(zip(names, results, strict=True))
        if validation_data is not None:
            model.reset_metrics()
            val = evaluate(model, validation_data, validation_steps)
            logs.update({f"val_{n}": float(v) for n, v in zip(names, val, strict=True)})
        if epoch < epochs - 1:
            sequence.on_epoch_end()
        for callback in callback_list:
            callback.on_epoch_end(epoch, logs)
        if model.stop_training:
            break
    for callback in callback_list:
        callback.on_train_end({})
    return model.history


def evaluate(model, sequence, steps=None) -> list:
    """The loss (mean over the examples) and the metrics on ``sequence``."""
    model.reset_metrics()
    steps = _steps(sequence, steps)
    results = run_steps(model, "test", sequence, steps, np.arange(steps), by_steps=True)
    return [np.float32(v) for v in results]


def predict(model, sequence, steps=None):
    """The model's outputs on the inputs of ``sequence``'s batches."""
    steps = _steps(sequence, steps)
    pieces = []
    for index in range(steps):
        batch = sequence[index]
        x = batch[0] if isinstance(batch, tuple) else batch
        pieces.append(model._run("predict", model._prepare(x, None, "predict")))
    outs = [np.concatenate([p[k] for p in pieces]) for k in range(len(model.outputs))]
    return outs[0] if len(outs) == 1 else outs


__all__ = ["evaluate", "fit", "predict"]
