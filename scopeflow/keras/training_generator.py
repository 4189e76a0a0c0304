"""``Model.fit_generator``, ``evaluate_generator``, ``predict_generator``, and ``fit``,
``evaluate``, ``predict`` on a Python generator (or iterator) or a ``tf.keras.utils.Sequence``,
as tf.keras's graph-mode (``compat.v1``) loop runs them.

Each item is ``x``, ``(x,)``, ``(x, y)`` or ``(x, y, sample_weight)``; one
``train_on_batch``/``test_on_batch``/``predict_on_batch`` per item, the metrics kept
across the epoch (``reset_metrics=False``). With ``workers > 0`` the items are prepared
ahead by an ``OrderedEnqueuer`` (a ``Sequence``: its batches in order, the order shuffled
each epoch with Python's ``random`` when ``shuffle``, ``on_epoch_end`` between passes) or a
``GeneratorEnqueuer`` in ``max_queue_size`` slots; with ``workers=0`` they are read on the
calling thread (a ``Sequence`` then loops in order, unshuffled). The epochs run on where the
last one stopped: ``steps_per_epoch`` need not be a whole pass.

The logs are tf.keras's: during ``fit`` a ``BaseLogger`` turns the epoch's ``loss`` into its
mean over the examples (the batches' losses weighted by their sizes) and the metrics into
their running values; ``val_*`` and ``evaluate_generator``'s loss are the mean over the
steps. Validation data given as arrays ``(x, y[, sample_weight])`` is cut into batches of
the size of the epoch's last training batch, as tf.keras does.
"""

from __future__ import annotations

import collections.abc
import inspect
import logging
import math

import numpy as np

from scopeflow.keras import callbacks as cbks
from scopeflow.keras.batch_sequence import Sequence
from scopeflow.keras.enqueuers import GeneratorEnqueuer, OrderedEnqueuer
from scopeflow.keras.io_utils import print_msg
from scopeflow.keras.training_dataset import DatasetBatches, RepeatArrays, is_dataset
from scopeflow.keras.training_dataset import check_arguments as check_dataset_arguments


def is_generator_or_sequence(data) -> bool:
    """Whether ``fit``/``evaluate``/``predict`` take ``data`` through this loop."""
    return (
        inspect.isgenerator(data)
        or isinstance(data, Sequence)
        or isinstance(data, collections.abc.Iterator)
    )


def takes(x, batch_size=None, y=None, sample_weight=None, validation_split=None) -> bool:
    """Whether ``fit``/``evaluate``/``predict`` run ``x`` through ``model_iteration`` (a
    generator, ``Sequence`` or dataset), after tf.keras's checks of the other arguments."""
    if is_dataset(x):
        check_dataset_arguments(x, batch_size, y, sample_weight, validation_split)
        return True
    if is_generator_or_sequence(x):
        check_arguments(x, batch_size, y, sample_weight, validation_split)
        return True
    return False


def check_arguments(x, batch_size=None, y=None, sample_weight=None, validation_split=None):
    """tf.keras's checks of what ``fit``/``evaluate``/``predict`` may not take with a
    generator or ``Sequence``."""
    if batch_size is not None:
        raise ValueError(
            "The `batch_size` argument must not be specified for the given input type. "
            f"Received input: {x}, batch_size: {batch_size}"
        )
    if y is not None:
        raise ValueError(
            "`y` argument is not supported when data isa generator or Sequence instance. "
            "Instead pass targets as the second element of the generator."
        )
    if sample_weight is not None:
        raise ValueError(
            "`sample_weight` argument is not supported when data isa generator or Sequence "
            "instance. Instead pass sample weights as the third element of the generator."
        )
    if validation_split:
        raise ValueError(
            "If your data is in the form of a Python generator, you cannot use `validation_split`."
        )


def check_keywords(kwargs: dict, method: str = "fit") -> None:
    """tf.keras's error for keyword arguments ``fit`` does not take (``evaluate`` and
    ``predict`` take none: Python's own error, as TF's)."""
    if kwargs and method != "fit":
        raise TypeError(
            f"Model.{method}() got an unexpected keyword argument '{next(iter(kwargs))}'"
        )
    if kwargs:
        raise TypeError(f"Unrecognized keyword arguments: {kwargs}")


def should_validate(validation_freq, epoch: int) -> bool:
    """Whether validation runs after ``epoch`` (0-based): every ``validation_freq`` epochs,
    or on the (1-based) epochs listed."""
    if isinstance(validation_freq, int):
        if validation_freq < 1:
            raise ValueError("`validation_freq` can not be less than 1.")
        return (epoch + 1) % validation_freq == 0
    if not isinstance(validation_freq, collections.abc.Container):
        raise ValueError(
            "`validation_freq` must be an Integer or `collections.abc.Container` (e.g. list, "
            "tuple, etc.)"
        )
    return epoch + 1 in validation_freq


def _array_batches(data: tuple, batch_size: int, epochs: int):
    """Validation arrays ``(x, y[, sample_weight])`` as a generator of batches."""
    data = tuple(d for d in data if d is not None)
    first = _first_array(data[0])
    count = len(first)
    steps = int(math.ceil(count / batch_size))

    def cut(value, start):
        if isinstance(value, dict):
            return {k: cut(v, start) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return type(value)(cut(v, start) for v in value)
        return np.asarray(value)[start : start + batch_size]

    def batches():
        for _ in range(epochs):
            for step in range(steps):
                yield tuple(cut(d, step * batch_size) for d in data)

    return batches(), steps


def _first_array(x):
    """The first array of ``x`` (its batch size is the batch's), as ``tf.nest.flatten``
    orders it."""
    while isinstance(x, (dict, list, tuple)):
        x = x[sorted(x)[0]] if isinstance(x, dict) else x[0]
    return np.asarray(x)


def _next_batch(generator):
    try:
        item = next(generator)
    except StopIteration:
        return None
    if not isinstance(item, tuple):
        item = (item,)
    if len(item) not in (1, 2, 3):
        raise ValueError(
            "Output of generator should be a tuple of 1 or 2 or 3 elements: (input,) or "
            f"(input, target) or (input, target, sample_weights). Received {item}"
        )
    return item


class _ProgbarLogger(cbks._FitProgbarLogger):
    """The progress bar as tf.keras draws it when counting steps, also over a dataset of
    unknown length: its first epoch's bar is drawn at the epoch's end, once the length is
    known (tf.keras draws ``n/Unknown``)."""

    def on_epoch_begin(self, epoch, logs=None):
        if self.params.get("steps") or self.params.get("samples"):
            super().on_epoch_begin(epoch, logs)
            return
        self.seen, self.progbar = 0, None
        if self.params["verbose"] and self.params["epochs"] > 1:
            print_msg(f"Epoch {epoch + 1}/{self.params['epochs']}")

    def on_batch_end(self, batch, logs=None):
        if self.progbar is None:
            return
        if not self.params.get("steps"):
            super().on_batch_end(batch, logs)
            return
        self.seen += 1  # counting steps, tf.keras's bar also averages `batch` and `size`
        if self.params["verbose"] == 1:
            self.progbar.update(self.seen, list((logs or {}).items()), finalize=False)

    def on_epoch_end(self, epoch, logs=None):
        if self.progbar is None:
            self.progbar = cbks.Progbar(
                self.params["steps"],
                verbose=self.params["verbose"],
                stateful_metrics=self.stateful_metrics,
            )
        super().on_epoch_end(epoch, logs)


def make_callback_list(model, callbacks, mode: str, verbose):
    """tf.keras's callbacks for a loop: while training, a ``BaseLogger`` first and the
    ``History`` (then a ``ProgbarLogger`` when ``verbose``) after the user's."""
    if isinstance(callbacks, cbks.CallbackList):
        return callbacks
    callbacks = list(callbacks or [])
    if mode == "train":
        model.history = cbks.History()
        callbacks = [cbks.BaseLogger(), *callbacks, model.history]
        if verbose:
            callbacks.append(_ProgbarLogger())
    return cbks.CallbackList(callbacks, model=model)


def set_params(
    callback_list, model, mode, do_validation, steps, epochs, verbose, samples=None, batch_size=None
) -> None:
    """tf_keras's ``params`` for the callbacks (``samples``: the steps when counting steps)."""
    names = list(model.metrics_names) if mode != "predict" else []
    for callback in callback_list:
        if isinstance(callback, (cbks.BaseLogger, cbks.ProgbarLogger)):
            callback.stateful_metrics = set(model.metrics_names[1:])
    metrics = names + ([f"val_{n}" for n in names] if do_validation else [])
    callback_list.set_params(
        {
            "batch_size": batch_size,
            "epochs": epochs,
            "steps": steps,
            "samples": steps if samples is None else samples,
            "verbose": verbose,
            "do_validation": do_validation,
            "metrics": metrics,
        }
    )


def _step_function(model, mode: str, class_weight):
    if mode == "train":
        return lambda x, y=None, w=None: model.train_on_batch(
            x, y, w, class_weight=class_weight, reset_metrics=False
        )
    if mode == "test":
        return lambda x, y=None, w=None: model.test_on_batch(x, y, w, reset_metrics=False)
    return lambda x, y=None, w=None: model.predict_on_batch(x)


def model_iteration(
    model,
    data,
    mode: str,
    steps=None,
    epochs=1,
    verbose=1,
    callbacks=None,
    validation_data=None,
    validation_steps=None,
    validation_freq=1,
    class_weight=None,
    max_queue_size=10,
    workers=1,
    use_multiprocessing=False,
    shuffle=False,
    initial_epoch=0,
    batch_size=None,
):
    """Runs ``mode`` ("train", "test" or "predict") over ``data``; returns the ``History``,
    the loss and metrics, or the outputs."""
    enqueuer = None
    steps_name = "steps_per_epoch" if mode == "train" else "steps"
    if is_dataset(data):
        data = DatasetBatches(data, steps, steps_name)
    if is_dataset(validation_data):
        validation_data = DatasetBatches(validation_data, validation_steps, "validation_steps")
    if isinstance(data, DatasetBatches):
        steps, workers = data.steps, 0
        if class_weight is not None and mode == "train":
            logging.getLogger("tensorflow").warning(
                "class_weight is ignored with a tf.data dataset (as tf.keras's graph-mode loop "
                "ignores it): give each example's weight as the dataset's third element."
            )
            class_weight = None
    elif isinstance(data, tuple):  # validation arrays
        data, steps = _array_batches(data, batch_size, epochs - initial_epoch)
    elif isinstance(data, Sequence) and steps is None:
        steps = len(data)
    elif not is_generator_or_sequence(data):
        raise ValueError(
            "Expected a generator, an iterator, a `keras.utils.Sequence` or a tuple of arrays "
            f"`(x, y[, sample_weight])`; got {type(data).__name__}."
        )
    is_sequence = isinstance(data, Sequence)
    if mode == "train" and verbose and hasattr(data, "unit"):  # a dataset, or arrays
        message = f"Train on {steps} {data.unit}"
        if isinstance(validation_data, (DatasetBatches, RepeatArrays)):
            message += f", validate on {validation_data.count()} {data.unit}"
        elif isinstance(validation_data, tuple):
            message += f", validate on {len(_first_array(validation_data[0]))} {data.unit}"
        print_msg(message)
    if steps is None and not isinstance(data, DatasetBatches):
        raise ValueError(f"Please specify the number of steps via the `{steps_name}` argument.")
    val_is_generator = is_generator_or_sequence(validation_data)
    if (
        val_is_generator
        and not isinstance(validation_data, (Sequence, DatasetBatches))
        and not validation_steps
    ):
        raise ValueError("Please specify the `validation_steps` argument.")
    if workers > 0:
        if is_sequence:
            enqueuer = OrderedEnqueuer(data, use_multiprocessing, shuffle=shuffle)
        else:
            enqueuer = GeneratorEnqueuer(data, use_multiprocessing)
        enqueuer.start(workers=workers, max_queue_size=max_queue_size)
        generator = enqueuer.get()
    elif is_sequence:
        generator = _loop_sequence(data)
    else:
        generator = data
    try:
        return _iterate(
            model,
            generator,
            mode,
            steps,
            epochs,
            verbose,
            callbacks,
            validation_data,
            validation_steps,
            validation_freq,
            class_weight,
            max_queue_size,
            workers,
            use_multiprocessing,
            initial_epoch,
        )
    finally:
        if enqueuer is not None:
            enqueuer.stop()


def _loop_sequence(sequence):
    while True:
        for index in range(len(sequence)):
            yield sequence[index]


def _iterate(
    model,
    generator,
    mode,
    steps,
    epochs,
    verbose,
    callbacks,
    validation_data,
    validation_steps,
    validation_freq,
    class_weight,
    max_queue_size,
    workers,
    use_multiprocessing,
    initial_epoch,
):
    do_validation = validation_data is not None
    callback_list = make_callback_list(model, callbacks, mode, verbose)
    configured = callbacks is callback_list
    if not configured and getattr(model, "_compiled", False):
        set_params(callback_list, model, mode, do_validation, steps, epochs, verbose)
    step_function = _step_function(model, mode, class_weight)
    dataset = generator if isinstance(generator, DatasetBatches) else None
    counts_steps = hasattr(generator, "unit")  # a step counts as one, not its batch's size
    model.stop_training = False
    callback_list._call(f"on_{mode}_begin", {})
    results = None
    for epoch in range(initial_epoch, epochs):
        if model.stop_training:
            break
        if mode != "predict":
            model.reset_metrics()
        epoch_logs: dict = {}
        if mode == "train":
            callback_list.on_epoch_begin(epoch, epoch_logs)
        outputs, loss_sum, last, step, batch_size = [], np.float32(0), None, 0, None
        while steps is None or step < steps:
            batch = _next_batch(generator)
            if batch is None:
                if dataset is not None and steps is None:  # now its length is known
                    steps = dataset.steps = step or None
                    if mode == "train" and not configured:  # the progress bar's target
                        callback_list.params.update(steps=steps, samples=steps)
                    break
                model.stop_training = True
                logging.getLogger("tensorflow").warning(_ran_out(generator, mode, steps, epochs))
                break
            batch_size = 1 if batch[0] is None else len(_first_array(batch[0]))  # tensors
            batch_logs = {"batch": step, "size": 1 if counts_steps else batch_size}
            callback_list._call(f"on_{mode}_batch_begin", step, batch_logs)
            outs = step_function(*batch)
            outs = list(outs) if isinstance(outs, list) else [outs]
            if not configured and step == 0 and not callback_list.params:
                set_params(callback_list, model, mode, do_validation, steps, epochs, verbose)
            if mode == "predict":
                outputs.append(outs)
                batch_logs["outputs"] = outs
            else:
                loss_sum += np.float32(outs[0])  # in float32, as tf.keras sums it
                last = outs
                batch_logs.update(
                    (n, float(v)) for n, v in zip(model.metrics_names, outs, strict=True)
                )
            callback_list._call(f"on_{mode}_batch_end", step, batch_logs)
            step += 1
            if model.stop_training:
                break
        if mode == "predict":
            if not outputs:
                raise ValueError("Empty training data.")
            results = [np.concatenate([o[k] for o in outputs]) for k in range(len(outputs[0]))]
            continue
        if last is None:
            raise ValueError("Empty training data.")
        results = [loss_sum / (steps or 1), *last[1:]]
        epoch_logs.update((n, float(v)) for n, v in zip(model.metrics_names, results, strict=True))
        if do_validation and should_validate(validation_freq, epoch) and not model.stop_training:
            val_results = model_iteration(
                model,
                validation_data,
                "test",
                steps=validation_steps,
                callbacks=callback_list,
                verbose=verbose,
                class_weight=class_weight,
                max_queue_size=max_queue_size,
                workers=workers,
                use_multiprocessing=use_multiprocessing,
                batch_size=batch_size,
            )
            if isinstance(validation_data, DatasetBatches) and epoch < epochs - 1:
                validation_data.restart()
            val_results = val_results if isinstance(val_results, list) else [val_results]
            epoch_logs.update(
                (f"val_{n}", float(v))
                for n, v in zip(model.metrics_names, val_results, strict=True)
            )
        if mode == "train":
            callback_list.on_epoch_end(epoch, epoch_logs)
        if dataset is not None and dataset.restart_each_epoch and epoch < epochs - 1:
            dataset.restart()
    callback_list._call(f"on_{mode}_end", {})
    if mode == "train":
        return model.history
    return results[0] if len(results) == 1 else results


def _ran_out(generator, mode: str, steps: int, epochs: int) -> str:
    if isinstance(generator, DatasetBatches):
        return generator.ran_out_warning(epochs)
    return (
        "Your dataset iterator ran out of data; interrupting training. Make sure that your "
        f"iterator can generate at least `{'steps_per_epoch' if mode == 'train' else 'steps'} "
        f"* epochs` batches (in this case, {steps * epochs} batches). You may need touse the "
        "repeat() function when building your dataset."
    )


class GeneratorTrainingMixin:
    """``Model``'s methods that take a generator or ``Sequence`` (deprecated in tf.keras for
    ``fit``/``evaluate``/``predict``, which take one too)."""

    def fit_generator(
        self,
        generator,
        steps_per_epoch=None,
        epochs=1,
        verbose=1,
        callbacks=None,
        validation_data=None,
        validation_steps=None,
        validation_freq=1,
        class_weight=None,
        max_queue_size=10,
        workers=1,
        use_multiprocessing=False,
        shuffle=True,
        initial_epoch=0,
    ):
        """Trains on the batches of ``generator`` (``(x, y)`` or ``(x, y, sample_weight)``),
        ``steps_per_epoch`` batches an epoch (a ``Sequence``'s length by default); returns
        the ``History``.

        >>> import numpy as np, scopeflow as tf
        >>> def batches():
        ...     while True:
        ...         yield np.ones((4, 2)), np.zeros((4, 1))
        >>> with tf.Graph().as_default():
        ...     model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(2,))])
        ...     model.compile("sgd", "mse")
        ...     history = model.fit_generator(batches(), steps_per_epoch=3, epochs=2, verbose=0)
        >>> history.epoch
        [0, 1]
        """
        return model_iteration(
            self,
            generator,
            "train",
            steps=steps_per_epoch,
            epochs=epochs,
            verbose=verbose,
            callbacks=callbacks,
            validation_data=validation_data,
            validation_steps=validation_steps,
            validation_freq=validation_freq,
            class_weight=class_weight,
            max_queue_size=max_queue_size,
            workers=workers,
            use_multiprocessing=use_multiprocessing,
            shuffle=shuffle,
            initial_epoch=initial_epoch,
        )

    def evaluate_generator(
        self,
        generator,
        steps=None,
        callbacks=None,
        max_queue_size=10,
        workers=1,
        use_multiprocessing=False,
        verbose=0,
    ):
        """The loss (the mean over the steps) and the metrics on ``steps`` batches of
        ``generator``: a scalar, or a list in ``metrics_names`` order."""
        return model_iteration(
            self,
            generator,
            "test",
            steps=steps,
            verbose=verbose,
            callbacks=callbacks,
            max_queue_size=max_queue_size,
            workers=workers,
            use_multiprocessing=use_multiprocessing,
        )

    def predict_generator(
        self,
        generator,
        steps=None,
        callbacks=None,
        max_queue_size=10,
        workers=1,
        use_multiprocessing=False,
        verbose=0,
    ):
        """The model's outputs on the inputs of ``steps`` batches of ``generator`` (items
        ``x`` or ``(x, ...)``), concatenated."""
        return model_iteration(
            self,
            generator,
            "predict",
            steps=steps,
            verbose=verbose,
            callbacks=callbacks,
            max_queue_size=max_queue_size,
            workers=workers,
            use_multiprocessing=use_multiprocessing,
        )


__all__ = [
    "GeneratorTrainingMixin",
    "check_arguments",
    "check_keywords",
    "is_dataset",
    "is_generator_or_sequence",
    "make_callback_list",
    "model_iteration",
    "set_params",
    "should_validate",
    "takes",
]
