"""``tf.data.experimental.rejection_resample`` (and ``Dataset.rejection_resample``): elements
kept or dropped at random so that the classes ``class_func`` gives follow ``target_dist``,
built from TF1's datasets as TF builds it.

The class distribution of the input is ``initial_dist`` or, when not given, estimated as the
elements pass (counts over batches of 32, from a prior of 10 per class). Each element of
class ``i`` is either taken from the input as it is, with the probability ``m`` (the
smallest ratio ``target / initial``), or goes through a filter that accepts it with the
probability ``(ratio_i - m) / (max ratio - m)``: the mixture follows ``target_dist``. The
result's elements are ``(class, element)``. The draws are TF's for the same seeds (its
Philox streams).

>>> import numpy as np
>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     data = tf.data.Dataset.from_tensor_slices(np.int64([0] * 9 + [1])).repeat()
...     ds = data.apply(tf.data.experimental.rejection_resample(
...         lambda x: tf.cast(x, tf.int32), [0.5, 0.5], initial_dist=[0.9, 0.1], seed=1))
...     classes = [c for c, _ in ds.take(400).as_numpy_iterator()]
...     print(abs(np.mean(classes) - 0.5) < 0.1)
True
"""

from __future__ import annotations

import numpy as np

from scopeflow.data.dataset import Dataset
from scopeflow.data.experimental_ops import sample_from_datasets
from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.ops.array.basic import fill, shape, stack
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.gather import gather, one_hot
from scopeflow.ops.array.join import tile
from scopeflow.ops.array.shape import expand_dims
from scopeflow.ops.core.infer import constant_value
from scopeflow.ops.math.division import truediv
from scopeflow.ops.math.elementwise import add, less
from scopeflow.ops.math.reduction import reduce_max, reduce_min, reduce_sum
from scopeflow.ops.random.sampling import random_uniform

_ESTIMATION_BATCH = 32  # elements per update of the estimated class distribution
_PRIOR_COUNT = 10  # the count each class starts from


def _ratio(initial, target):
    """``target / initial`` per class (a class never seen: a huge ratio, not a division by
    zero)."""
    return target / (initial + np.finfo(np.float32).tiny)


def _acceptance_and_mixing(initial, target):
    """(each class's acceptance probability in the filter, the probability of taking an
    element unfiltered)."""
    ratio = _ratio(initial, target)
    low, high = reduce_min(ratio), reduce_max(ratio)
    return (ratio - low) / (high - low), low


def _static_mixing(initial, target):
    """The probability of taking an element unfiltered when both distributions are known
    while building (``None`` otherwise)."""
    initial, target = constant_value(initial), constant_value(target)
    if initial is None or target is None:
        return None
    ratio = target / (initial + np.finfo(np.float32).tiny)
    return float(np.min(ratio))


def _estimated_initial(target, classes: Dataset) -> Dataset:
    """The class distribution seen so far, per element, from counts updated every batch."""
    n = target.shape[0].value
    num_classes = n if n is not None else shape(target)[0]
    counts = fill([num_classes], np.int64(_PRIOR_COUNT))

    def update(seen, batch):
        seen = add(seen, reduce_sum(one_hot(batch, num_classes, dtype=dtypes.int64), 0))
        estimate = cast(truediv(seen, reduce_sum(seen)), dtypes.float32)
        return seen, tile(expand_dims(estimate, 0), [_ESTIMATION_BATCH, 1])

    return classes.batch(_ESTIMATION_BATCH).scan(counts, update).unbatch()


def _call(class_func, data):
    return class_func(*data) if isinstance(data, tuple) else class_func(data)


def _filtered(dataset, acceptance: Dataset, class_func, seed) -> Dataset:
    """``(class, element)`` of the elements a uniform draw accepts with their class's
    acceptance probability."""

    def with_probability(accept, data):
        value = _call(class_func, data)
        return value, gather(accept, value), data

    scored = Dataset.zip((acceptance, dataset)).map(with_probability)

    def accepted(value, p, data):
        return less(random_uniform([], seed=seed, dtype=p.dtype), p)

    return scored.filter(accepted).map(lambda value, p, data: (value, data))


def rejection_resample(class_func, target_dist, initial_dist=None, seed=None):
    """A transformation (for ``apply``) resampling a dataset so that the classes of its
    elements (``class_func(element)``, an int32 scalar) follow ``target_dist``; the result's
    elements are ``(class, element)``."""

    @undo.atomic
    def apply(dataset):
        target = cast(convert_to_tensor(target_dist, name="target_dist"), dtypes.float32)
        mixing_static = None
        if initial_dist is not None:
            initial = cast(convert_to_tensor(initial_dist, name="initial_dist"), dtypes.float32)
            accept, mixing = _acceptance_and_mixing(initial, target)
            mixing_static = _static_mixing(initial, target)
            initial_ds = Dataset.from_tensors(initial).repeat()
            accept_ds = Dataset.from_tensors(accept).repeat()
            mixing_ds = Dataset.from_tensors(mixing).repeat()
        else:
            initial_ds = _estimated_initial(target, dataset.map(class_func))
            both = initial_ds.map(lambda initial: _acceptance_and_mixing(initial, target))
            accept_ds = both.map(lambda accept, _: accept)
            mixing_ds = both.map(lambda _, mixing: mixing)
        filtered = _filtered(dataset, accept_ds, class_func, seed).prefetch(3)

        def with_class(*data):
            data = data[0] if len(data) == 1 else data
            return _call(class_func, data), data

        if mixing_static == 1:
            return dataset.map(with_class)
        if mixing_static == 0:
            return filtered
        weights = mixing_ds.map(lambda m: stack([m, 1.0 - m]))
        return sample_from_datasets(
            [dataset.map(with_class), filtered], weights=weights, seed=seed,
            stop_on_empty_dataset=True,
        )  # fmt: skip

    return apply


__all__ = ["rejection_resample"]
