"""A small MNIST stand-in for the example-script programs (tests/programs/test_ex_*.py):
``read_data_sets`` gives train/validation/test DataSets with ``images``, ``labels``,
``num_examples`` and ``next_batch`` as TF1's tutorials' input_data had, on 8x8 images whose
labels a fixed linear teacher assigns, so the examples learn something in a few steps. Batches
are taken in order (no shuffling), so TF and scopeflow see the same ones."""

from __future__ import annotations

import numpy as np


class DataSet:
    def __init__(self, images, labels):
        self.images = images
        self.labels = labels
        self.num_examples = images.shape[0]
        self._index = 0

    def next_batch(self, batch_size):
        start = self._index
        if start + batch_size > self.num_examples:
            start = 0
        self._index = start + batch_size
        return self.images[start : self._index], self.labels[start : self._index]


class DataSets:
    def __init__(self, train, validation, test):
        self.train, self.validation, self.test = train, validation, test


def read_data_sets(one_hot=True, side=8, classes=10, sizes=(240, 40, 60), seed=0):
    rng = np.random.RandomState(seed)
    teacher = rng.randn(side * side, classes).astype(np.float32)
    parts = []
    for n in sizes:
        images = rng.rand(n, side * side).astype(np.float32)
        ids = np.argmax((images - 0.5) @ teacher, axis=1)
        labels = np.eye(classes, dtype=np.float32)[ids] if one_hot else ids.astype(np.int64)
        parts.append(DataSet(images, labels))
    return DataSets(*parts)
