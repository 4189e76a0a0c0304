"""``tf.keras.callbacks``: ``Callback`` (the hooks ``fit`` calls), ``History`` (what ``fit``
returns), ``EarlyStopping``, ``ModelCheckpoint`` (weights only), ``LearningRateScheduler``,
``CSVLogger``, ``ReduceLROnPlateau``, ``LambdaCallback``, ``TerminateOnNaN``, ``TensorBoard``
and the progress bar ``fit`` prints, as TF1.15's Keras prints it::

    Train on 100 samples
    Epoch 1/2
    100/100 [==============================] - 0s 43us/sample - loss: 0.7525 - acc: 0.4200

(``Epoch i/n`` only when ``n > 1``; with ``verbose=2`` one line per epoch,
``100/100 - 0s - loss: 0.7525 - acc: 0.4200``). On a terminal the bar is redrawn in place
(carriage returns and backspaces), as Keras does on POSIX systems.
"""

from __future__ import annotations

import logging
import time

import numpy as np

from scopeflow.keras import backend
from scopeflow.keras.callbacks_base import Callback, History
from scopeflow.keras.callbacks_extra import (
    CSVLogger,
    LambdaCallback,
    ReduceLROnPlateau,
    TensorBoard,
    TerminateOnNaN,
)
from scopeflow.keras.callbacks_more import BaseLogger, RemoteMonitor
from scopeflow.keras.io_utils import print_msg
from scopeflow.train.checkpoint_object import CheckpointOptions

_log = logging.getLogger("tensorflow")


def _monitor_op(monitor: str, mode: str):
    """``np.greater`` when a larger ``monitor`` is better (``mode="max"``, or ``"auto"`` and an
    accuracy), else ``np.less``."""
    if mode not in ("auto", "min", "max"):
        raise ValueError(f"mode must be 'auto', 'min' or 'max', got {mode!r}")
    larger = mode == "max" or (mode == "auto" and monitor.endswith(("acc", "accuracy", "auc")))
    return np.greater if larger else np.less


class EarlyStopping(Callback):
    """Stops training once ``monitor`` has not improved by ``min_delta`` for ``patience``
    epochs from ``start_from_epoch`` on (``restore_best_weights``: then loads the best
    epoch's weights back)."""

    def __init__(
        self,
        monitor="val_loss",
        min_delta=0,
        patience=0,
        verbose=0,
        mode="auto",
        baseline=None,
        restore_best_weights=False,
        start_from_epoch=0,
    ):
        super().__init__()
        self.monitor = monitor
        self.patience = patience
        self.start_from_epoch = start_from_epoch
        self.verbose = verbose
        self.baseline = baseline
        self.restore_best_weights = restore_best_weights
        self.monitor_op = _monitor_op(monitor, mode)
        self.min_delta = abs(min_delta) * (1 if self.monitor_op is np.greater else -1)
        self.wait = self.stopped_epoch = self.best_epoch = 0
        self.best_weights = None

    def on_train_begin(self, logs=None):
        self.wait = self.stopped_epoch = self.best_epoch = 0
        self.best = np.inf if self.monitor_op is np.less else -np.inf
        self.best_weights = None

    def _improves(self, value, reference) -> bool:
        return bool(self.monitor_op(value - self.min_delta, reference))

    def on_epoch_end(self, epoch, logs=None):
        current = (logs or {}).get(self.monitor)
        if current is None:
            _log.warning(
                f"Early stopping conditioned on metric `{self.monitor}` which is not "
                f"available. Available metrics are: {','.join(logs or {})}"
            )
            return
        if epoch < self.start_from_epoch:  # warming up: not watched yet
            return
        if self.restore_best_weights and self.best_weights is None:
            self.best_weights, self.best_epoch = self.model.get_weights(), epoch
        self.wait += 1
        if self._improves(current, self.best):
            self.best, self.best_epoch = current, epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            if self.baseline is None or self._improves(current, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose > 0:
            print_msg(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print_msg(
                    "Restoring model weights from the end of the best epoch: "
                    f"{self.best_epoch + 1}."
                )
            self.model.set_weights(self.best_weights)


def _check_options(options, save_weights_only: bool) -> None:
    """TF's TypeError for ``options`` of the wrong kind (scopeflow has no SaveOptions)."""
    if options is None or (save_weights_only and isinstance(options, CheckpointOptions)):
        return
    kind = "tf.train.CheckpointOptions" if save_weights_only else "tf.saved_model.SaveOptions"
    raise TypeError(
        f"If save_weights_only is {bool(save_weights_only)}, then `options` must be either "
        f"None or a {kind}. Got {options}."
    )


class ModelCheckpoint(Callback):
    """Saves the model to ``filepath`` formatted with the epoch (from 1) and the logs
    (``"w.{epoch:02d}.h5"``; saving every ``save_freq`` batches, the logs' 0-based
    ``batch`` too): every ``period`` epochs (deprecated, as TF's), or every ``save_freq``
    batches; with ``save_best_only`` only when ``monitor`` improved. Its weights
    (``save_weights_only``, any format ``save_weights`` writes) or the whole model
    (``Model.save``, HDF5)."""

    def __init__(
        self,
        filepath,
        monitor="val_loss",
        verbose=0,
        save_best_only=False,
        save_weights_only=False,
        mode="auto",
        save_freq="epoch",
        options=None,
        initial_value_threshold=None,
        **kwargs,
    ):
        super().__init__()
        _check_options(options, save_weights_only)
        self._options = options  # a CheckpointOptions only names an I/O device
        if not save_weights_only and not str(filepath).endswith((".h5", ".hdf5")):
            raise NotImplementedError(
                "ModelCheckpoint(save_weights_only=False) saves whole models, which scopeflow "
                "writes as HDF5 only: use a path ending in '.h5', or pass "
                "save_weights_only=True (TensorFlow's checkpoint format)."
            )
        self.period = kwargs.get("period", 1)
        if "period" in kwargs:
            _log.warning(
                "`period` argument is deprecated. Please use `save_freq` to specify the "
                "frequency in number of batches seen."
            )
        if save_freq != "epoch" and not isinstance(save_freq, int):
            raise ValueError(
                f'Unrecognized save_freq: {save_freq}. Expected save_freq are "epoch" or integer'
            )
        self.save_freq = save_freq
        self.epochs_since_last_save = 0
        self._batches_seen_since_last_saving = 0
        self._last_batch_seen = 0
        self._current_epoch = 0
        self.filepath = str(filepath)
        self.save_weights_only = save_weights_only
        self.monitor = monitor
        self.verbose = verbose
        self.save_best_only = save_best_only
        self.monitor_op = _monitor_op(monitor, mode)
        self.best = np.inf if self.monitor_op is np.less else -np.inf
        if initial_value_threshold is not None:  # what save_best_only must beat first
            self.best = initial_value_threshold

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq == "epoch":
            return
        added = batch + 1 if batch <= self._last_batch_seen else batch - self._last_batch_seen
        self._batches_seen_since_last_saving += added
        self._last_batch_seen = batch
        if self._batches_seen_since_last_saving >= self.save_freq:
            self._batches_seen_since_last_saving = 0
            self._save(self._current_epoch, logs or {})

    def on_epoch_end(self, epoch, logs=None):
        self.epochs_since_last_save += 1
        if self.save_freq == "epoch" and self.epochs_since_last_save >= self.period:
            self.epochs_since_last_save = 0
            self._save(epoch, logs or {})

    def _save(self, epoch, logs: dict) -> None:
        filepath = self.filepath.format(epoch=epoch + 1, **logs)
        if self.save_best_only:
            current = logs.get(self.monitor)
            if current is None:
                _log.warning(f"Can save best model only with {self.monitor} available, skipping.")
                return
            if not self.monitor_op(current, self.best):
                if self.verbose > 0:
                    print_msg(
                        f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {self.best:.5f}"
                    )
                return
            if self.verbose > 0:
                print_msg(
                    f"\nEpoch {epoch + 1}: {self.monitor} improved from {self.best:.5f} to "
                    f"{current:.5f}, saving model to {filepath}"
                )
            self.best = current
        elif self.verbose > 0:
            print_msg(f"\nEpoch {epoch + 1}: saving model to {filepath}")
        if self.save_weights_only:
            self.model.save_weights(filepath)
        else:
            self.model.save(filepath)


class LearningRateScheduler(Callback):
    """Sets the optimizer's learning rate to ``schedule(epoch)`` (or ``schedule(epoch, lr)``)
    at the start of each epoch and records it in the logs as ``lr``."""

    def __init__(self, schedule, verbose=0):
        super().__init__()
        self.schedule = schedule
        self.verbose = verbose

    def on_epoch_begin(self, epoch, logs=None):
        lr = float(backend.get_value(self.model.optimizer.lr))
        try:
            lr = self.schedule(epoch, lr)
        except TypeError:  # a schedule of the epoch only, as Keras allows
            lr = self.schedule(epoch)
        if not isinstance(lr, (float, np.floating, int)):
            raise ValueError('The output of the "schedule" function should be float.')
        backend.set_value(self.model.optimizer.lr, lr)
        if self.verbose > 0:
            print_msg(f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to {lr}.")

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["lr"] = backend.get_value(self.model.optimizer.lr)


class Progbar:
    """Keras's progress bar: ``update(current, [(name, value)...])``; values not in
    ``stateful_metrics`` are shown as their mean weighted by the samples each step added."""

    def __init__(
        self,
        target,
        width=30,
        verbose=1,
        interval=0.05,
        stateful_metrics=None,
        unit_name="step",
        stream=None,
    ):
        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.unit_name = unit_name
        self.stateful_metrics = set(stateful_metrics or ())
        self.stream = stream
        self._total_width = 0
        self._seen_so_far = 0
        self._values: dict = {}
        self._values_order: list = []
        self._start = time.time()
        self._last_update = 0.0
        self._time_at_epoch_start = self._start
        self._time_at_epoch_end = None
        self._time_after_first_step = None

    def _write(self, text: str) -> None:
        if self.stream is None:  # stdout, or absl logging with interactive logging off
            print_msg(text, line_break=False)
            return
        self.stream.write(text)
        self.stream.flush()

    def _average(self, key: str) -> str:
        value = self._values[key]
        avg = np.mean(value[0] / max(1, value[1]))
        return f" {avg:.4f}" if abs(avg) > 1e-3 else f" {avg:.4e}"

    def update(self, current, values=None, finalize=None) -> None:
        """Shows progress ``current`` of ``target`` with ``values``."""
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        for key, value in values or []:
            if key not in self._values_order:
                self._values_order.append(key)
            if key not in self.stateful_metrics:
                base = max(current - self._seen_so_far, 1)
                if key not in self._values:
                    self._values[key] = [value * base, base]
                else:
                    self._values[key][0] += value * base
                    self._values[key][1] += base
            else:
                self._values[key] = [value, 1]
        self._seen_so_far = current
        now = time.time()
        info = f" - {now - self._start:.0f}s"
        if current == self.target:
            self._time_at_epoch_end = now
        if self.verbose == 1:
            if now - self._last_update < self.interval and not finalize:
                return
            previous_width = self._total_width
            message = "\b" * previous_width + "\r"
            bar = self._bar(current)
            self._total_width = len(bar)
            message += bar
            per_unit = self._step_duration(current, now)
            if finalize or self.target is None:
                info += _format_time(per_unit, self.unit_name)
            else:
                info = f" - ETA: {_format_eta(per_unit * (self.target - current))}"
            for key in self._values_order:
                info += f" - {key}:{self._average(key)}"
            self._total_width += len(info)
            if previous_width > self._total_width:
                info += " " * (previous_width - self._total_width)
            if finalize:
                info += "\n"
            self._write(message + info)
        elif self.verbose == 2 and finalize:
            digits = int(np.log10(self.target)) + 1
            info = f"%{digits}d/%d" % (current, self.target) + info
            for key in self._values_order:
                info += f" - {key}:{self._average(key)}"
            if self._time_at_epoch_end:
                per_epoch = self._time_at_epoch_end - self._time_at_epoch_start
                info += " -" + _format_time(per_epoch, "epoch")
                info += " -" + _format_time(per_epoch / self.target, self.unit_name)
                self._time_at_epoch_start, self._time_at_epoch_end = now, None
            self._write(info + "\n")
        self._last_update = now

    def _bar(self, current) -> str:
        if self.target is None:  # a count not known yet
            return f"{current:7d}/Unknown"
        digits = int(np.log10(self.target)) + 1
        bar = f"%{digits}d/%d [" % (current, self.target)
        progress_width = int(self.width * float(current) / self.target)
        if progress_width > 0:
            bar += "=" * (progress_width - 1)
            bar += ">" if current < self.target else "="
        return bar + "." * (self.width - progress_width) + "]"

    def _step_duration(self, current, now) -> float:
        if not current:
            return 0.0
        if self._time_after_first_step is not None and current > 1:
            per_unit = (now - self._time_after_first_step) / (current - 1)
        else:
            per_unit = (now - self._start) / current
        if current == 1:
            self._time_after_first_step = now
        return per_unit


def _format_time(per_unit: float, unit_name: str) -> str:
    if per_unit >= 1 or per_unit == 0:
        return f" {per_unit:.0f}s/{unit_name}"
    if per_unit >= 1e-3:
        return f" {per_unit * 1000.0:.0f}ms/{unit_name}"
    return f" {per_unit * 1000000.0:.0f}us/{unit_name}"


def _format_eta(eta: float) -> str:
    seconds = int(eta)
    if eta > 3600:
        return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    if eta > 60:
        return f"{seconds // 60}:{seconds % 60:02d}"
    return f"{seconds}s"


class ProgbarLogger(Callback):
    """Prints ``fit``'s progress bar, counting samples (``count_mode="samples"``) or steps
    (``"steps"``); a count ``fit``'s params do not give is the first epoch's."""

    def __init__(self, count_mode="samples", stateful_metrics=None):
        super().__init__()
        if count_mode not in ("samples", "steps"):
            raise ValueError(
                f"Unknown `count_mode`: {count_mode}. "
                'Expected values are ["samples", "steps"]'
            )
        self.use_steps = count_mode == "steps"
        self.stateful_metrics = set(stateful_metrics) if stateful_metrics else set()
        self.progbar = None
        self.seen = 0
        self.target = None

    def set_params(self, params):
        super().set_params(params)
        self.target = params.get("steps" if self.use_steps else "samples")

    def on_epoch_begin(self, epoch, logs=None):
        self.seen = 0
        self.progbar = Progbar(
            self.target,
            verbose=self.params["verbose"],
            stateful_metrics=self.stateful_metrics,
            unit_name="step" if self.use_steps else "sample",
        )
        if self.params["verbose"] and self.params["epochs"] > 1:
            print_msg(f"Epoch {epoch + 1}/{self.params['epochs']}")

    def on_batch_end(self, batch, logs=None):
        logs = dict(logs or {})
        if self.use_steps:
            self.seen = batch + 1
        else:  # the batch's samples, times the steps it stands for
            self.seen += logs.pop("size", 0) * logs.pop("num_steps", 1)
            logs.pop("batch", None)
        if self.params["verbose"] == 1:
            self.progbar.update(self.seen, list(logs.items()), finalize=False)

    def on_epoch_end(self, epoch, logs=None):
        if self.target is None:  # counted over this (the first) epoch
            self.target = self.progbar.target = self.seen
        self.progbar.update(self.target, list((logs or {}).items()), finalize=True)


class _FitProgbarLogger(ProgbarLogger):
    """The bar ``fit`` adds when ``verbose``: it counts steps when ``fit`` is given them,
    samples otherwise."""

    def __init__(self):
        super().__init__()

    def on_epoch_begin(self, epoch, logs=None):
        self.seen = 0
        steps = self.params.get("steps")
        self.progbar = Progbar(
            steps or self.params["samples"],
            verbose=self.params["verbose"],
            stateful_metrics=self.stateful_metrics,
            unit_name="step" if steps else "sample",
        )
        if self.params["verbose"] and self.params["epochs"] > 1:
            print_msg(f"Epoch {epoch + 1}/{self.params['epochs']}")

    def on_batch_end(self, batch, logs=None):
        logs = dict(logs or {})
        size = logs.pop("size", 0)
        self.seen += 1 if self.params.get("steps") else size
        logs.pop("batch", None)
        if self.params["verbose"] == 1:
            self.progbar.update(self.seen, list(logs.items()), finalize=False)

    def on_epoch_end(self, epoch, logs=None):
        target = self.params.get("steps") or self.params["samples"]
        self.progbar.update(target, list((logs or {}).items()), finalize=True)


class CallbackList:
    """Callbacks called together: each hook of the list calls that hook of every callback in
    order (``add_history``/``add_progbar`` append a ``History``/``ProgbarLogger``; extra
    keyword arguments become the callbacks' ``params``)."""

    def __init__(self, callbacks=None, add_history=False, add_progbar=False, model=None, **params):
        self.callbacks = list(callbacks or [])
        if add_history and not any(isinstance(c, History) for c in self.callbacks):
            self.callbacks.append(History())
        if add_progbar and not any(isinstance(c, ProgbarLogger) for c in self.callbacks):
            self.callbacks.append(ProgbarLogger(count_mode="steps"))
        self.model = None
        self.params: dict = {}
        if model is not None:
            self.set_model(model)
        if params:
            self.set_params(params)

    def append(self, callback) -> None:
        self.callbacks.append(callback)

    def set_params(self, params: dict) -> None:
        self.params = params
        for callback in self.callbacks:
            callback.set_params(params)

    def set_model(self, model) -> None:
        self.model = model
        for callback in self.callbacks:
            callback.set_model(model)

    def __iter__(self):
        return iter(self.callbacks)

    def _call(self, hook: str, *args) -> None:
        for callback in self.callbacks:
            method = getattr(callback, hook, None)
            if method is not None:
                method(*args)

    def on_batch_begin(self, batch, logs=None):
        self._call("on_train_batch_begin", batch, logs)

    def on_batch_end(self, batch, logs=None):
        self._call("on_train_batch_end", batch, logs)

    def on_epoch_begin(self, epoch, logs=None):
        self._call("on_epoch_begin", epoch, logs)

    def on_epoch_end(self, epoch, logs=None):
        self._call("on_epoch_end", epoch, logs)

    def on_train_batch_begin(self, batch, logs=None):
        self._call("on_train_batch_begin", batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        self._call("on_train_batch_end", batch, logs)

    def on_test_batch_begin(self, batch, logs=None):
        self._call("on_test_batch_begin", batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        self._call("on_test_batch_end", batch, logs)

    def on_predict_batch_begin(self, batch, logs=None):
        self._call("on_predict_batch_begin", batch, logs)

    def on_predict_batch_end(self, batch, logs=None):
        self._call("on_predict_batch_end", batch, logs)

    def on_train_begin(self, logs=None):
        self._call("on_train_begin", logs)

    def on_train_end(self, logs=None):
        self._call("on_train_end", logs)

    def on_test_begin(self, logs=None):
        self._call("on_test_begin", logs)

    def on_test_end(self, logs=None):
        self._call("on_test_end", logs)

    def on_predict_begin(self, logs=None):
        self._call("on_predict_begin", logs)

    def on_predict_end(self, logs=None):
        self._call("on_predict_end", logs)


__all__ = [
    "BaseLogger",
    "CSVLogger",
    "Callback",
    "CallbackList",
    "EarlyStopping",
    "History",
    "LambdaCallback",
    "LearningRateScheduler",
    "ModelCheckpoint",
    "ProgbarLogger",
    "ReduceLROnPlateau",
    "RemoteMonitor",
    "TensorBoard",
    "TerminateOnNaN",
]
