"""``tf.keras.metrics``' intersection-over-union metrics (``IoU``, ``MeanIoU``,
``BinaryIoU``, ``OneHotIoU``, ``OneHotMeanIoU``: a ``total_confusion_matrix`` variable, rows
the true classes, columns the predicted ones), ``MeanRelativeError`` and ``MeanTensor``.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     m = tf.keras.metrics.MeanIoU(num_classes=2)
...     tf.keras.backend.get_session().run(m.update_state([0, 0, 1, 1], [0, 1, 0, 1]))
...     print(m.variables[0].name, tf.keras.backend.eval(m.result()))
total_confusion_matrix:0 0.33333334
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.keras.metrics_base import Mean, Metric, _weighted
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.gather import boolean_mask, gather, one_hot
from scopeflow.ops.array.shape import expand_dims, ones_like
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math import reduction
from scopeflow.ops.math.division import div_no_nan
from scopeflow.ops.math.linalg import diag_part
from scopeflow.ops.math.matmul import matmul
from scopeflow.ops.state.storage import assign_add

# -- intersection over union ---------------------------------------------------------------


class _IoUBase(Metric):
    """The confusion matrix of class ids: ``update_state`` adds a batch's (weighted) counts."""

    def __init__(
        self,
        num_classes: int,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_true=True,
        sparse_y_pred=True,
        axis=-1,
    ):
        super().__init__(name=name, dtype=dtype)
        self.num_classes = num_classes
        self.ignore_class = ignore_class
        self.sparse_y_true = sparse_y_true
        self.sparse_y_pred = sparse_y_pred
        self.axis = axis
        self.total_cm = self.add_weight("total_confusion_matrix", shape=(num_classes, num_classes))

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true, y_pred = convert_to_tensor(y_true), convert_to_tensor(y_pred)
        if not self.sparse_y_true:
            y_true = reduction.argmax(y_true, axis=self.axis)
        if not self.sparse_y_pred:
            y_pred = reduction.argmax(y_pred, axis=self.axis)
        y_true = array_ops.reshape(cast(y_true, self.dtype), [-1])
        y_pred = array_ops.reshape(cast(y_pred, self.dtype), [-1])
        weight = None
        if sample_weight is not None:
            weight = array_ops.reshape(cast(convert_to_tensor(sample_weight), self.dtype), [-1])
        if self.ignore_class is not None:
            keep = math_ops.not_equal(y_true, cast(self.ignore_class, self.dtype))
            y_true, y_pred = boolean_mask(y_true, keep), boolean_mask(y_pred, keep)
            weight = None if weight is None else boolean_mask(weight, keep)
        true_rows = one_hot(cast(y_true, dtypes.int32), self.num_classes, dtype=self.dtype)
        pred_rows = one_hot(cast(y_pred, dtypes.int32), self.num_classes, dtype=self.dtype)
        if weight is not None:
            true_rows = true_rows * expand_dims(weight, 1)
        batch_cm = matmul(true_rows, pred_rows, transpose_a=True)
        return assign_add(self.total_cm, batch_cm).op

    def _iou(self, target_class_ids):
        """The mean IoU of ``target_class_ids`` that have been seen (true or predicted)."""
        cm = self._read(self.total_cm)
        predicted = reduction.reduce_sum(cm, axis=0)
        actual = reduction.reduce_sum(cm, axis=1)
        hits = diag_part(cm)
        union = predicted + actual - hits
        ids = list(target_class_ids)
        hits, union = gather(hits, ids), gather(union, ids)
        seen = reduction.reduce_sum(cast(math_ops.not_equal(union, 0), self.dtype))
        return div_no_nan(reduction.reduce_sum(div_no_nan(hits, union)), seen)

    def reset_state(self) -> None:
        self.reset_states()

    def get_config(self) -> dict:
        return {
            "num_classes": self.num_classes,
            **super().get_config(),
            "ignore_class": self.ignore_class,
            "sparse_y_true": self.sparse_y_true,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }


class IoU(_IoUBase):
    """The mean over ``target_class_ids`` of ``TP / (TP + FP + FN)`` (classes never seen
    are left out of the mean)."""

    def __init__(
        self,
        num_classes: int,
        target_class_ids,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_true=True,
        sparse_y_pred=True,
        axis=-1,
    ):
        super().__init__(num_classes, name, dtype, ignore_class, sparse_y_true, sparse_y_pred, axis)
        if max(target_class_ids) >= num_classes:
            raise ValueError(
                f"Target class id {max(target_class_ids)} is out of range, which is "
                f"[0, {num_classes})."
            )
        self.target_class_ids = list(target_class_ids)

    def result(self):
        return self._iou(self.target_class_ids)

    def get_config(self) -> dict:
        config = super().get_config()
        return {
            "name": config.pop("name"),
            "dtype": config.pop("dtype"),
            "num_classes": config.pop("num_classes"),
            "target_class_ids": self.target_class_ids,
            **config,
        }


class MeanIoU(_IoUBase):
    """The mean IoU over all ``num_classes`` classes seen."""

    def result(self):
        return self._iou(range(self.num_classes))


class BinaryIoU(IoU):
    """IoU of 0/1 labels and probabilities turned into classes at ``threshold`` (1 above
    it), over ``target_class_ids`` (both by default)."""

    def __init__(self, target_class_ids=(0, 1), threshold=0.5, name=None, dtype=None):
        super().__init__(num_classes=2, target_class_ids=target_class_ids, name=name, dtype=dtype)
        self.threshold = threshold

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = cast(convert_to_tensor(y_pred), self.dtype)
        y_pred = cast(math_ops.greater_equal(y_pred, self.threshold), self.dtype)
        return super().update_state(y_true, y_pred, sample_weight)

    def get_config(self) -> dict:
        return {
            "target_class_ids": self.target_class_ids,
            "threshold": self.threshold,
            "name": self.name,
            "dtype": self.dtype.name,
        }


class OneHotIoU(IoU):
    """``IoU`` of one-hot labels and class scores (their arg max along ``axis``)."""

    def __init__(
        self,
        num_classes: int,
        target_class_ids,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_pred=False,
        axis=-1,
    ):
        super().__init__(
            num_classes, target_class_ids, name, dtype, ignore_class, False, sparse_y_pred, axis
        )

    def get_config(self) -> dict:
        config = {
            "num_classes": self.num_classes,
            "target_class_ids": self.target_class_ids,
            "name": self.name,
            "dtype": self.dtype.name,
        }
        return {**config, **_one_hot_tail(self)}


class OneHotMeanIoU(MeanIoU):
    """``MeanIoU`` of one-hot labels and class scores (their arg max along ``axis``)."""

    def __init__(
        self,
        num_classes: int,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_pred=False,
        axis=-1,
    ):
        super().__init__(num_classes, name, dtype, ignore_class, False, sparse_y_pred, axis)

    def get_config(self) -> dict:
        config = {"num_classes": self.num_classes, "name": self.name, "dtype": self.dtype.name}
        return {**config, **_one_hot_tail(self)}


def _one_hot_tail(metric) -> dict:
    return {
        "ignore_class": metric.ignore_class,
        "sparse_y_pred": metric.sparse_y_pred,
        "axis": metric.axis,
    }


# -- means ---------------------------------------------------------------------------------


class MeanRelativeError(Mean):
    """The running mean of ``|y_true - y_pred| / normalizer`` (0 where ``normalizer`` is)."""

    def __init__(self, normalizer, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.normalizer = np.asarray(normalizer, self.dtype.as_numpy_dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = cast(convert_to_tensor(y_pred), self.dtype)
        y_true = cast(convert_to_tensor(y_true), self.dtype)
        y_pred.shape.assert_is_compatible_with(y_true.shape)
        normalizer = cast(convert_to_tensor(self.normalizer), self.dtype)
        errors = div_no_nan(math_ops.abs(y_true - y_pred), normalizer)
        return super().update_state(errors, sample_weight=sample_weight)

    def get_config(self) -> dict:
        return {**super().get_config(), "normalizer": self.normalizer}


class MeanTensor(Metric):
    """The elementwise running (weighted) mean of tensors of one shape: ``total`` and
    ``count`` of that shape, made by the first ``update_state``."""

    def __init__(self, name="mean_tensor", dtype=None, shape=None):
        super().__init__(name=name, dtype=dtype)
        self._shape = None
        self._total = self._count = None
        if shape is not None:
            self._build(shape)

    def _build(self, shape) -> None:
        self._shape = tuple(shape)
        self._total = self.add_weight("total", shape=self._shape)
        self._count = self.add_weight("count", shape=self._shape)

    @property
    def total(self):
        return self._total

    @property
    def count(self):
        return self._count

    def update_state(self, values, sample_weight=None):
        values = cast(convert_to_tensor(values), self.dtype)
        shape = values.shape.as_list() if values.shape.ndims is not None else None
        if shape is None or None in shape:
            raise ValueError(f"MeanTensor needs values of a fully known shape, got {values.shape}.")
        if self._shape is None:
            self._build(shape)
        elif tuple(shape) != self._shape:
            raise ValueError(
                "MeanTensor input values must always have the same shape. Expected shape "
                f"(set during the first call): {self._shape}. Got: {tuple(shape)}."
            )
        counts = ones_like(values)
        if sample_weight is not None:
            values, _ = _weighted(values, sample_weight)
            counts, _ = _weighted(counts, sample_weight)
        add_total = assign_add(self._total, values)
        with get_default_graph().control_dependencies([add_total]):
            return assign_add(self._count, counts).op

    def result(self):
        if self._shape is None:
            raise ValueError(
                "MeanTensor does not have any value yet. Please call the MeanTensor instance "
                "or use `.update_state(value)` before retrieving the result."
            )
        return div_no_nan(self._read(self._total), self._read(self._count))


__all__ = [
    "BinaryIoU",
    "IoU",
    "MeanIoU",
    "MeanRelativeError",
    "MeanTensor",
    "OneHotIoU",
    "OneHotMeanIoU",
]
