"""``tf.keras.callbacks.CSVLogger``, ``ReduceLROnPlateau``, ``LambdaCallback``,
``TerminateOnNaN`` and ``TensorBoard`` (the scalars of each epoch's logs, and the graph, in
an event file), as TF1.15's Keras runs them.

>>> import numpy as np, scopeflow as tf
>>> with tf.Graph().as_default():
...     model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(2,))])
...     model.compile("sgd", "mse")
...     seen = []
...     log = tf.keras.callbacks.LambdaCallback(on_epoch_end=lambda e, logs: seen.append(e))
...     _ = model.fit(np.ones((4, 2)), np.zeros((4, 1)), epochs=2, verbose=0, callbacks=[log])
>>> seen
[0, 1]
"""

from __future__ import annotations

import collections.abc
import csv
import os

import numpy as np

from scopeflow.framework.indexed_slices import IndexedSlices
from scopeflow.keras import backend
from scopeflow.keras.callbacks_base import Callback
from scopeflow.keras.io_utils import print_msg
from scopeflow.ops.array.basic import reshape
from scopeflow.ops.array.shape import squeeze
from scopeflow.ops.array.transpose import transpose
from scopeflow.summary import summary_ops
from scopeflow.summary.protos import Summary
from scopeflow.summary.writer import FileWriter


def _csv_value(value):
    if isinstance(value, str):
        return value
    if isinstance(value, collections.abc.Iterable) and not (
        isinstance(value, np.ndarray) and value.ndim == 0
    ):
        return f'"[{", ".join(map(str, value))}]"'
    return value


class CSVLogger(Callback):
    """Writes each epoch's logs as a row of ``filename`` (``epoch`` then the log keys in
    sorted order; ``append``: after the rows already there)."""

    def __init__(self, filename, separator=",", append=False):
        super().__init__()
        self.sep = separator
        self.filename = os.fspath(filename)
        self.append = append
        self.writer = None
        self.keys = None
        self.append_header = True
        self.csv_file = None

    def on_train_begin(self, logs=None):
        if self.append:
            if os.path.exists(self.filename):
                with open(self.filename) as f:
                    self.append_header = not bool(len(f.readline()))
            mode = "a"
        else:
            mode = "w"
        self.csv_file = open(self.filename, mode, newline="")  # noqa: SIM115 - kept open

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self.keys is None:
            self.keys = sorted(logs)
            if not any(key.startswith("val_") for key in self.keys):
                # validation may come later (validation_freq): its columns are made now
                self.keys += ["val_" + key for key in self.keys]
        if self.model.stop_training:
            logs = {k: logs.get(k, "NA") for k in self.keys}
        if self.writer is None:

            class CustomDialect(csv.excel):
                delimiter = self.sep

            fieldnames = ["epoch", *self.keys]
            self.writer = csv.DictWriter(
                self.csv_file, fieldnames=fieldnames, dialect=CustomDialect
            )
            if self.append_header:
                self.writer.writeheader()
        row = {"epoch": epoch}
        row.update((key, _csv_value(logs.get(key, "NA"))) for key in self.keys)
        self.writer.writerow(row)
        self.csv_file.flush()

    def on_train_end(self, logs=None):
        self.csv_file.close()
        self.writer = None


class ReduceLROnPlateau(Callback):
    """Multiplies the learning rate by ``factor`` once ``monitor`` has not improved by
    ``min_delta`` for ``patience`` epochs (then waits ``cooldown`` epochs; never below
    ``min_lr``); records the rate in the logs as ``lr``."""

    def __init__(
        self,
        monitor="val_loss",
        factor=0.1,
        patience=10,
        verbose=0,
        mode="auto",
        min_delta=1e-4,
        cooldown=0,
        min_lr=0,
        **kwargs,
    ):
        super().__init__()
        self.monitor = monitor
        if factor >= 1.0:
            raise ValueError(f"ReduceLROnPlateau does not support a factor >= 1.0. Got {factor}")
        if "epsilon" in kwargs:
            min_delta = kwargs.pop("epsilon")
        self.factor = factor
        self.min_lr = min_lr
        self.min_delta = min_delta
        self.patience = patience
        self.verbose = verbose
        self.cooldown = cooldown
        self.mode = mode if mode in ("auto", "min", "max") else "auto"
        self._reset()

    def _reset(self) -> None:
        if self.mode == "min" or (self.mode == "auto" and "acc" not in self.monitor):
            self.monitor_op = lambda a, b: np.less(a, b - self.min_delta)
            self.best = np.inf
        else:
            self.monitor_op = lambda a, b: np.greater(a, b + self.min_delta)
            self.best = -np.inf
        self.cooldown_counter = 0
        self.wait = 0

    def on_train_begin(self, logs=None):
        self._reset()

    def in_cooldown(self) -> bool:
        return self.cooldown_counter > 0

    def on_epoch_end(self, epoch, logs=None):
        logs = logs if logs is not None else {}
        logs["lr"] = backend.get_value(self.model.optimizer.lr)
        current = logs.get(self.monitor)
        if current is None:
            return
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self.monitor_op(current, self.best):
            self.best = current
            self.wait = 0
        elif not self.in_cooldown():
            self.wait += 1
            if self.wait >= self.patience:
                old_lr = backend.get_value(self.model.optimizer.lr)
                if old_lr > np.float32(self.min_lr):
                    new_lr = max(old_lr * self.factor, self.min_lr)
                    backend.set_value(self.model.optimizer.lr, new_lr)
                    if self.verbose > 0:
                        print_msg(
                            f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning rate "
                            f"to {new_lr}."
                        )
                    self.cooldown_counter = self.cooldown
                    self.wait = 0


class LambdaCallback(Callback):
    """A callback of the functions given: ``on_epoch_begin(epoch, logs)``,
    ``on_epoch_end(epoch, logs)``, ``on_batch_begin(batch, logs)``,
    ``on_batch_end(batch, logs)``, ``on_train_begin(logs)``, ``on_train_end(logs)``."""

    def __init__(
        self,
        on_epoch_begin=None,
        on_epoch_end=None,
        on_batch_begin=None,
        on_batch_end=None,
        on_train_begin=None,
        on_train_end=None,
        **kwargs,
    ):
        super().__init__()
        hooks = {
            "on_epoch_begin": on_epoch_begin,
            "on_epoch_end": on_epoch_end,
            "on_batch_begin": on_batch_begin,
            "on_batch_end": on_batch_end,
            "on_train_begin": on_train_begin,
            "on_train_end": on_train_end,
            **kwargs,
        }
        for name, hook in hooks.items():
            if hook is not None:
                setattr(self, name, hook)


class TerminateOnNaN(Callback):
    """Stops training at the first batch whose loss is NaN or infinite."""

    def on_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and (np.isnan(loss) or np.isinf(loss)):
            print_msg(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True


def _weight_image(weight) -> None:
    """TF's image summary of a weight: a matrix (its longer side down), each kernel of a
    1-D convolution, or a bias as a column; other weights have none."""
    image = squeeze(weight)
    shape = tuple(image.shape.as_list())
    if len(shape) == 2:
        if shape[0] > shape[1]:
            image = transpose(image)
            shape = tuple(image.shape.as_list())
        image = reshape(image, [1, shape[0], shape[1], 1])
    elif len(shape) == 3:
        if backend.image_data_format() == "channels_last":
            image = transpose(image, perm=[2, 0, 1])
            shape = tuple(image.shape.as_list())
        image = reshape(image, [shape[0], shape[1], shape[2], 1])
    elif len(shape) == 1:
        image = reshape(image, [1, shape[0], 1, 1])
    else:
        return
    summary_ops.image(weight.name.replace(":", "_"), image)


class TensorBoard(Callback):
    """Writes an event file in ``log_dir``: the graph (``write_graph``), after each epoch a
    scalar summary per log entry (``epoch_loss``, ``epoch_acc``, ``epoch_val_loss``...;
    step: the epoch, or with ``update_freq`` the samples seen, whose batches' logs are written
    as ``batch_loss``...) and, every ``histogram_freq`` epochs, histograms of each layer's
    weights (``dense/kernel_0``), outputs (``dense_out``) and, with ``write_grads``, the
    weights' gradients (``dense/kernel_0_grad``) and, with ``write_images``, the weights as
    images, fetched with each validation batch (step:
    the count of such batches), as TF1's Keras's TensorBoard callback does."""

    def __init__(
        self,
        log_dir="./logs",
        histogram_freq=0,
        batch_size=32,
        write_graph=True,
        write_grads=False,
        write_images=False,
        embeddings_freq=0,
        embeddings_layer_names=None,
        embeddings_metadata=None,
        embeddings_data=None,
        update_freq="epoch",
        profile_batch=2,
    ):
        super().__init__()
        self.embeddings_layer_names = embeddings_layer_names
        self.embeddings_metadata = embeddings_metadata
        self.embeddings_data = embeddings_data
        if embeddings_freq:
            raise NotImplementedError(
                "TensorBoard(embeddings_freq=...) is not supported; the scalars, histograms, "
                "weight images and the graph are written. Use tensorboard's projector yourself."
            )
        self.update_freq = 1 if update_freq == "batch" else update_freq
        self._samples_seen = self._samples_seen_at_last_write = self._total_batches_seen = 0
        self.log_dir = os.fspath(log_dir)
        self.histogram_freq = histogram_freq
        self.write_graph = write_graph
        self.write_grads = write_grads
        self.write_images = write_images
        self.writer = None
        self.merged = None
        self._total_val_batches_seen = 0

    def set_model(self, model) -> None:
        super().set_model(model)
        graph = backend.get_graph() if self.write_graph else None
        self.writer = FileWriter(self.log_dir, graph=graph)
        if self.histogram_freq and self.merged is None:
            self._make_histogram_ops(model)
            self.merged = summary_ops.merge_all()

    def _make_histogram_ops(self, model) -> None:
        for layer in model.layers:
            for weight in layer.weights:
                summary_ops.histogram(weight.name.replace(":", "_"), weight)
                if self.write_images:
                    _weight_image(weight)
            if self.write_grads:
                for weight in layer.trainable_weights:
                    grads = model.optimizer.get_gradients(model.total_loss, weight)
                    grads = [g.values if isinstance(g, IndexedSlices) else g for g in grads]
                    summary_ops.histogram(f"{weight.name.replace(':', '_')}_grad", grads)
            output = getattr(layer, "output", None)
            if isinstance(output, list):
                for i, tensor in enumerate(output):
                    summary_ops.histogram(f"{layer.name}_out_{i}", tensor)
            elif output is not None:
                summary_ops.histogram(f"{layer.name}_out", output)

    def _fetch_callback(self, summary) -> None:
        self.writer.add_summary(summary, self._total_val_batches_seen)
        self._total_val_batches_seen += 1

    def on_epoch_begin(self, epoch, logs=None):
        if self.merged is not None and epoch % self.histogram_freq == 0:
            callbacks = self.model.__dict__.setdefault("_fetch_callbacks", {})
            callbacks.setdefault("test", {})[self.merged] = self._fetch_callback

    def _write_custom_summaries(self, step, logs: dict) -> None:
        """One event per value (TF's layout), then a flush."""
        for name, value in logs.items():
            summary = Summary()
            entry = summary.value.add()
            entry.tag = name
            entry.simple_value = float(np.asarray(value))
            self.writer.add_summary(summary, step)
        self.writer.flush()

    def on_train_batch_end(self, batch, logs=None):
        """Every ``update_freq`` samples (``"batch"``: each batch), the batch's logs as
        ``batch_<name>`` scalars; step: the count of batches seen."""
        logs = logs or {}
        self._samples_seen += logs.get("size", 1)
        if (
            self.update_freq != "epoch"
            and self._samples_seen - self._samples_seen_at_last_write >= self.update_freq
        ):
            skip = ("batch", "size", "num_steps")
            named = {"batch_" + k: v for k, v in logs.items() if k not in skip}
            self._write_custom_summaries(self._total_batches_seen, named)
            self._samples_seen_at_last_write = self._samples_seen
        self._total_batches_seen += 1

    def on_epoch_end(self, epoch, logs=None):
        skip = ("batch", "size", "num_steps")
        named = {"epoch_" + k: v for k, v in (logs or {}).items() if k not in skip}
        step = epoch if self.update_freq == "epoch" else self._samples_seen
        self._write_custom_summaries(step, named)
        getattr(self.model, "_fetch_callbacks", {}).get("test", {}).pop(self.merged, None)

    def on_train_end(self, logs=None):
        self.writer.close()


__all__ = ["CSVLogger", "LambdaCallback", "ReduceLROnPlateau", "TensorBoard", "TerminateOnNaN"]
