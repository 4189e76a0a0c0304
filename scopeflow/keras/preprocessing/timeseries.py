"""``tf.keras.preprocessing.sequence.TimeseriesGenerator``: windows of a time series as
batches (a ``tf.keras.utils.Sequence`` that ``fit`` takes)."""

from __future__ import annotations

import json

import numpy as np

from scopeflow.keras.batch_sequence import Sequence


def _jsonable(values, what: str) -> str:
    if type(values).__module__ == np.__name__:
        values = values.tolist()
    try:
        return json.dumps(values)
    except TypeError as e:
        raise TypeError(f"{what} not JSON Serializable:", values) from e


class TimeseriesGenerator(Sequence):
    """Batches of ``(samples, targets)``: for each target row ``r`` (from ``start_index +
    length`` to ``end_index``, every ``stride``), the sample ``data[r - length:r:
    sampling_rate]`` (reversed in time with ``reverse``) and the target ``targets[r]``;
    ``shuffle`` draws each batch's rows with ``np.random.randint`` instead.

    >>> import numpy as np, scopeflow as tf
    >>> gen = tf.keras.preprocessing.sequence.TimeseriesGenerator(
    ...     np.arange(10), np.arange(10), length=3, batch_size=2)
    >>> len(gen), gen[0][0].tolist(), gen[0][1].tolist()
    (4, [[0, 1, 2], [1, 2, 3]], [3, 4])
    """

    def __init__(
        self,
        data,
        targets,
        length,
        sampling_rate=1,
        stride=1,
        start_index=0,
        end_index=None,
        shuffle=False,
        reverse=False,
        batch_size=128,
    ):
        if len(data) != len(targets):
            raise ValueError(
                f"Data and targets have to be of same length. Data length is {len(data)} "
                f"while target length is {len(targets)}"
            )
        self.data = data
        self.targets = targets
        self.length = length
        self.sampling_rate = sampling_rate
        self.stride = stride
        self.start_index = start_index + length
        self.end_index = len(data) - 1 if end_index is None else end_index
        self.shuffle = shuffle
        self.reverse = reverse
        self.batch_size = batch_size
        if self.start_index > self.end_index:
            raise ValueError(
                f"`start_index+length={self.start_index} > end_index={self.end_index}` is "
                "disallowed, as no part of the sequence would be left to be used as current step."
            )

    def __len__(self):
        step = self.batch_size * self.stride
        return (self.end_index - self.start_index + step) // step

    def __getitem__(self, index):
        if self.shuffle:
            rows = np.random.randint(self.start_index, self.end_index + 1, size=self.batch_size)
        else:
            first = self.start_index + self.batch_size * self.stride * index
            last = min(first + self.batch_size * self.stride, self.end_index + 1)
            rows = np.arange(first, last, self.stride)
        samples = np.array([self.data[r - self.length : r : self.sampling_rate] for r in rows])
        targets = np.array([self.targets[r] for r in rows])
        return (samples[:, ::-1, ...] if self.reverse else samples), targets

    def get_config(self) -> dict:
        """The settings, ``data`` and ``targets`` as JSON strings."""
        return {
            "data": _jsonable(self.data, "Data"),
            "targets": _jsonable(self.targets, "Targets"),
            "length": self.length,
            "sampling_rate": self.sampling_rate,
            "stride": self.stride,
            "start_index": self.start_index,
            "end_index": self.end_index,
            "shuffle": self.shuffle,
            "reverse": self.reverse,
            "batch_size": self.batch_size,
        }

    def to_json(self, **kwargs) -> str:
        """``{"class_name": "TimeseriesGenerator", "config": get_config()}`` as JSON."""
        return json.dumps({"class_name": type(self).__name__, "config": self.get_config()},
                          **kwargs)


__all__ = ["TimeseriesGenerator"]
