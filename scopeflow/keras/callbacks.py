"""``tf.keras.callbacks``: ``Callback`` (the hooks ``fit`` calls), ``History`` (what ``fit``
returns) and the progress bar ``fit`` prints, as TF1.15's Keras prints it::

    Train on 100 samples
    Epoch 1/2
    100/100 [==============================] - 0s 43us/sample - loss: 0.7525 - acc: 0.4200

(``Epoch i/n`` only when ``n > 1``; with ``verbose=2`` one line per epoch,
``100/100 - 0s - loss: 0.7525 - acc: 0.4200``). On a terminal the bar is redrawn in place
(carriage returns and backspaces), as Keras does on POSIX systems.
"""

from __future__ import annotations

import sys
import time

import numpy as np


class Callback:
    """Subclass and override the hooks you need; ``self.model`` is the model being trained,
    ``self.params`` the run's settings (epochs, samples, verbose, metrics)."""

    def __init__(self):
        self.model = None
        self.params: dict = {}

    def set_model(self, model) -> None:
        self.model = model

    def set_params(self, params: dict) -> None:
        self.params = params

    def on_train_begin(self, logs=None): ...

    def on_train_end(self, logs=None): ...

    def on_epoch_begin(self, epoch, logs=None): ...

    def on_epoch_end(self, epoch, logs=None): ...

    def on_batch_begin(self, batch, logs=None): ...

    def on_batch_end(self, batch, logs=None): ...

    def on_train_batch_begin(self, batch, logs=None):
        self.on_batch_begin(batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        self.on_batch_end(batch, logs)


class History(Callback):
    """Records each epoch's logs: ``history.history["loss"]`` is the loss per epoch."""

    def on_train_begin(self, logs=None):
        self.epoch: list = []
        self.history: dict = {}

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)


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
        stream = self.stream or sys.stdout
        stream.write(text)
        stream.flush()

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
            digits = int(np.log10(self.target)) + 1
            bar = f"%{digits}d/%d [" % (current, self.target)
            progress_width = int(self.width * float(current) / self.target)
            if progress_width > 0:
                bar += "=" * (progress_width - 1)
                bar += ">" if current < self.target else "="
            bar += "." * (self.width - progress_width) + "]"
            self._total_width = len(bar)
            message += bar
            per_unit = self._step_duration(current, now)
            if finalize:
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
    """Prints ``fit``'s progress bar (added by ``fit`` when ``verbose`` is 1 or 2)."""

    def __init__(self, stateful_metrics=()):
        super().__init__()
        self.stateful_metrics = set(stateful_metrics)
        self.progbar = None
        self.seen = 0

    def on_epoch_begin(self, epoch, logs=None):
        self.seen = 0
        self.progbar = Progbar(
            self.params["samples"],
            verbose=self.params["verbose"],
            stateful_metrics=self.stateful_metrics,
            unit_name="sample",
        )
        if self.params["verbose"] and self.params["epochs"] > 1:
            print(f"Epoch {epoch + 1}/{self.params['epochs']}")

    def on_batch_end(self, batch, logs=None):
        logs = dict(logs or {})
        self.seen += logs.pop("size", 0)
        logs.pop("batch", None)
        if self.params["verbose"] == 1:
            self.progbar.update(self.seen, list(logs.items()), finalize=False)

    def on_epoch_end(self, epoch, logs=None):
        self.progbar.update(self.params["samples"], list((logs or {}).items()), finalize=True)


__all__ = ["Callback", "History", "ProgbarLogger"]
