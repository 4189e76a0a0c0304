"""``fit``, ``evaluate`` and ``predict`` on a ``tf.data`` dataset, as tf.keras's graph-mode
(``compat.v1``) loop runs them: an initializable iterator made once per call in Keras's
session, one ``get_next`` per step; each element ``x``, ``(x, y)`` or
``(x, y, sample_weight)``.

Without ``steps_per_epoch``/``steps`` the steps are the dataset's cardinality (an endless
dataset needs them; an unknown one is read to its end the first epoch) and the iterator
starts again each epoch; with them it runs on across epochs, and running out stops training
with tf.keras's warning. A validation dataset has its own iterator, started again after each
validation. Every step counts as one in the logs (batch ``size`` 1), so the epoch's loss is
the mean over the steps.
"""

from __future__ import annotations

from scopeflow.framework import errors
from scopeflow.framework.tensor import Tensor
from scopeflow.keras import backend

INFINITE_CARDINALITY = -1


def is_dataset(data) -> bool:
    """Whether ``data`` is a ``tf.data`` dataset (it makes initializable iterators)."""
    return callable(getattr(data, "make_initializable_iterator", None)) and callable(
        getattr(data, "cardinality", None)
    )


def check_arguments(x, batch_size=None, y=None, sample_weight=None, validation_split=None):
    """tf.keras's checks of what may not come with a dataset."""
    if batch_size is not None:
        raise ValueError(
            "The `batch_size` argument must not be specified for the given input type. "
            f"Received input: {x}, batch_size: {batch_size}"
        )
    if y is not None:
        raise ValueError(
            f"You passed a dataset or dataset iterator ({x}) as input `x` to your model. In "
            "that case, you should not specify a target (`y`) argument, since the dataset or "
            f"dataset iterator generates both input data and target data. Received: {y}"
        )
    if sample_weight is not None:
        raise ValueError(
            "`sample_weight` argument is not supported when input `x` is a dataset or a "
            "dataset iterator. Instead, youcan provide sample_weight as the third element  of "
            f"yourdataset, i.e. (inputs, targets, sample_weight). Received: x={x}, "
            f"sample_weight={sample_weight}"
        )
    if validation_split:
        raise ValueError(
            "`validation_split` argument is not supported when input `x` is a dataset or a "
            f"dataset iterator. Received: x={x}, validation_split={validation_split:f}"
        )


class RepeatArrays:
    """Arrays ``(x, y, sample_weight)`` given with ``steps``: each step takes them all, as
    tf.keras's graph-mode loop feeds them."""

    unit = "samples"

    def __init__(self, item: tuple):
        self.item = item

    def __iter__(self):
        return self

    def __next__(self):
        return self.item

    def count(self) -> int:
        x = self.item[0]
        while isinstance(x, (dict, list, tuple)):
            x = x[sorted(x)[0]] if isinstance(x, dict) else x[0]
        return len(x)


class TensorBatches(RepeatArrays):
    """Tensors ``(x, y, sample_weight)`` (a queue's or an iterator's ``get_next``...) given
    with ``steps``: each step evaluates them once, together, as tf.keras feeds its model from
    them."""

    def __next__(self):
        return tensor_values(self.item)

    def count(self):
        return None


def _leaves(value) -> list:
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    if isinstance(value, (list, tuple)):
        return [leaf for v in value for leaf in _leaves(v)]
    return [value]


def tensor_values(item: tuple) -> tuple:
    """``item`` with its tensors evaluated (one ``Session.run`` in Keras's session)."""
    tensors = [leaf for leaf in _leaves(item) if isinstance(leaf, Tensor)]
    if not tensors:
        return item
    values = iter(backend.get_session().run(tensors))

    def fill(value):
        if isinstance(value, dict):
            return {k: fill(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return type(value)(fill(v) for v in value)
        return next(values) if isinstance(value, Tensor) else value

    return fill(item)


def steps_input(item: tuple, steps, steps_name: str):
    """What ``fit``/``evaluate``/``predict`` step through when given ``steps`` with arrays
    (``RepeatArrays``) or tensors (``TensorBatches``, which need ``steps``); else ``None``."""
    tensors = any(isinstance(leaf, Tensor) for leaf in _leaves(item))
    if steps is None:
        if tensors:
            raise ValueError(
                "When using data tensors as input to a model, you should specify the "
                f"`{steps_name}` argument."
            )
        return None
    return TensorBatches(item) if tensors else RepeatArrays(item)


class DatasetBatches:
    """The elements of a dataset as a Python iterator, read by ``Session.run`` of one
    ``get_next`` in Keras's session. ``steps``: the steps of an epoch (``None`` until an
    unknown cardinality is learned); ``restart_each_epoch``: whether epochs start again."""

    unit = "steps"

    def __init__(self, dataset, steps, steps_name: str):
        session = backend.get_session()
        self.restart_each_epoch = steps is None
        if steps is None:
            size = session.run(dataset.cardinality())
            if size == INFINITE_CARDINALITY:
                raise ValueError(
                    "When passing an infinitely repeating dataset, you must specify the "
                    f"`{steps_name}` argument."
                )
            steps = size if size >= 0 else None
        self.steps = steps
        self.steps_name = steps_name
        self.iterator = dataset.make_initializable_iterator()
        self.next_element = self.iterator.get_next()
        self.restart()

    def count(self):
        return self.steps

    def restart(self) -> None:
        """Starts the dataset again (runs the iterator's initializer)."""
        backend.get_session().run(self.iterator.initializer)

    def __iter__(self):
        return self

    def __next__(self):
        try:
            element = backend.get_session().run(self.next_element)
        except errors.OutOfRangeError:
            raise StopIteration from None
        return tuple(element) if isinstance(element, list) else element

    def ran_out_warning(self, epochs: int) -> str:
        return (
            "Your dataset ran out of data; interrupting training. Make sure that your dataset "
            f"can generate at least `{self.steps_name} * epochs` batches (in this case, "
            f"{self.steps * epochs} batches). You may need to use the repeat() function when "
            "building your dataset."
        )


__all__ = [
    "DatasetBatches",
    "RepeatArrays",
    "TensorBatches",
    "check_arguments",
    "is_dataset",
    "steps_input",
    "tensor_values",
]
