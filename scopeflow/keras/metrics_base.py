"""``tf.keras.metrics``' stateful metrics as TF1.15's Keras keeps them in graph mode: each
metric holds variables (``total``, ``count``, ``true_positives``... at the top of the graph,
in no collection; ``backend.get_session`` initializes them), ``update_state`` returns the
op that adds a batch to them, ``result()`` the value from them, ``reset_states()`` zeros them,
and calling the metric updates it and returns the result.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     m = tf.keras.metrics.Mean()
...     update = m.update_state([1.0, 2.0, 3.0])
...     tf.keras.backend.get_session().run(update)
...     print([v.name for v in m.variables], tf.keras.backend.eval(m.result()))
['total:0', 'count:0'] 2.0
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.keras import backend, initializers
from scopeflow.layers.base import to_snake_case
from scopeflow.metrics.util import broadcast_weights
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.shape import expand_dims, ones_like, size, squeeze
from scopeflow.ops.control.grouping import group
from scopeflow.ops.math import clip as clip_ops
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math import reduction
from scopeflow.ops.math.division import div_no_nan
from scopeflow.ops.math.selection import where_v2
from scopeflow.ops.nn.activation import relu
from scopeflow.ops.state.storage import assign_add
from scopeflow.variables.variables import Variable


def zeroed(variables) -> list:
    """``(variable, zeros of its shape)`` pairs for ``backend.batch_set_value``."""
    return [(v, np.zeros(v.shape.as_list(), v.dtype.base_dtype.as_numpy_dtype)) for v in variables]


class Metric:
    """The base of the stateful metrics: subclasses make their variables with
    ``add_weight`` and define ``update_state`` and ``result``."""

    def __init__(self, name=None, dtype=None, **kwargs):
        # Unnamed, a metric takes the graph's next unique name of its class (auc, auc_1...),
        # as tf_keras's layers do; Mean, BinaryAccuracy... pass their fixed default names
        self.name = name or backend.unique_object_name(to_snake_case(type(self).__name__))
        self.dtype = dtypes.as_dtype(dtype or backend.floatx()).base_dtype
        self._variables: list = []
        self.stateful = True

    @property
    def variables(self) -> list:
        return list(self._variables)

    weights = variables

    def add_weight(self, name, shape=(), dtype=None, initializer="zeros"):
        """A variable ``name`` (unique at the top of the graph), zeros by default."""
        dtype = dtypes.as_dtype(dtype or self.dtype).base_dtype
        init = initializers.get(initializer)  # zeros: TF's Initializer/zeros
        dims = [shape] if isinstance(shape, int) else list(shape)
        with get_default_graph().name_scope(None):
            variable = Variable(
                lambda: init(dims, dtype=dtype),
                name=name,
                dtype=dtype,
                trainable=False,
                collections=[],
                use_resource=True,
            )
        backend.track_variable(variable)
        self._variables.append(variable)
        return variable

    def update_state(self, *args, **kwargs):
        raise NotImplementedError

    @staticmethod
    def _read(variable):
        """The value of ``variable`` read by an op of its own, so that a read made under a
        control dependency on an update sees the update: a resource variable's, by the op
        using it (``div_no_nan/ReadVariableOp``, as TF's), a reference one's an Identity."""
        return variable if variable._is_resource else array_ops.identity(variable)

    def result(self):
        raise NotImplementedError

    def reset_states(self) -> None:
        """Zeros the metric's variables (in ``backend.get_session()``), as TF's Keras: through
        ``backend.batch_set_value`` (one ``Placeholder`` and ``Assign`` per variable, made once)."""
        backend.batch_set_value(zeroed(self._variables))

    def __call__(self, *args, **kwargs):
        """Updates the state with this batch and returns the result after it."""
        update = self.update_state(*args, **kwargs)
        with get_default_graph().control_dependencies([update]):
            return array_ops.identity(self.result())

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype.name}

    @classmethod
    def from_config(cls, config: dict):
        """The metric ``get_config`` describes (a new one, with new variables)."""
        return cls(**config)


def _weighted(values, sample_weight):
    """``values`` times ``sample_weight`` broadcast to them, and the weights summed."""
    weight = cast(sample_weight, values.dtype.base_dtype)
    rank, wrank = values.shape.ndims, weight.shape.ndims
    if rank is not None and wrank is not None and 0 < wrank < rank:
        weight = array_ops.reshape(weight, [-1] + [1] * (rank - wrank))
    weight = weight * ones_like(values)
    return values * weight, reduction.reduce_sum(weight)


def _broadcast_weight(values, weight, mean: bool):
    """TF's Keras's weights for ``values``: a last dimension squeezed or added when the ranks
    differ by one, then TF's ``broadcast_weights`` (``.../broadcast_weights``, with its
    ``assert_broadcastable`` block); weights that cannot broadcast keep their shape and the
    values are reduced (mean, or sum for ``Sum``) over their extra trailing axes."""
    rank, wrank = values.shape.ndims, weight.shape.ndims
    if rank is not None and wrank:
        if wrank - rank == 1:
            weight = squeeze(weight, [-1])
        elif rank - wrank == 1:
            weight = expand_dims(weight, [-1])
    try:
        return values, broadcast_weights(weight, values)
    except ValueError:
        axes = list(range(weight.shape.ndims, rank))
        reduce = reduction.reduce_mean if mean else reduction.reduce_sum
        return reduce(values, axis=axes), weight


class Reduce(Metric):
    """A running sum (``Sum``) or mean (``Mean``) of the values given."""

    mean = True

    def __init__(self, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_weight("total")
        if self.mean:
            self.count = self.add_weight("count")

    def update_state(self, values, sample_weight=None):
        values = cast(convert_to_tensor(values), self.dtype)
        weight = None
        if sample_weight is not None:
            weight = cast(convert_to_tensor(sample_weight), self.dtype)
            values, weight = _broadcast_weight(values, weight, self.mean)
            values = math_ops.multiply(values, weight)
        update = assign_add(self.total, reduction.reduce_sum(values))
        if not self.mean:
            return update.op
        # as TF: counted after the total's update is made
        count = cast(size(values), self.dtype) if weight is None else reduction.reduce_sum(weight)
        with get_default_graph().control_dependencies([update]):
            return assign_add(self.count, count).op

    def result(self):
        if not self.mean:
            return self._read(self.total)
        return div_no_nan(self._read(self.total), self._read(self.count))


class Sum(Reduce):
    """The running sum of the values given (``total``)."""

    mean = False

    def __init__(self, name="sum", dtype=None):
        super().__init__(name=name, dtype=dtype)


class Mean(Reduce):
    """The running (weighted) mean of the values given (``total / count``)."""

    def __init__(self, name="mean", dtype=None):
        super().__init__(name=name, dtype=dtype)


class MeanMetricWrapper(Mean):
    """The running mean of ``fn(y_true, y_pred, **kwargs)``: how the function-backed metrics
    (``BinaryAccuracy``, ``MeanSquaredError``...) and ``compile``'s named metrics average."""

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(name=name, dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = cast(convert_to_tensor(y_true), self.dtype)
        y_pred = cast(convert_to_tensor(y_pred), self.dtype)
        matches = self._fn(y_true, y_pred, **self._fn_kwargs)
        return super().update_state(matches, sample_weight=sample_weight)

    def get_config(self) -> dict:
        return {**super().get_config(), **self._fn_kwargs}


class RootMeanSquaredError(Mean):
    """``sqrt`` of the running mean of the squared errors."""

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = convert_to_tensor(y_pred)
        y_true = cast(y_true, y_pred.dtype.base_dtype)
        errors = math_ops.squared_difference(y_pred, y_true)
        return super().update_state(errors, sample_weight=sample_weight)

    def result(self):
        return math_ops.sqrt(div_no_nan(self._read(self.total), self._read(self.count)))


# -- confusion-matrix metrics --------------------------------------------------------------


def _thresholds(thresholds, default=0.5) -> list:
    if thresholds is None:
        return [default]
    values = list(thresholds) if isinstance(thresholds, list | tuple) else [thresholds]
    for t in values:
        if not 0 <= t <= 1:
            raise ValueError(f"Threshold values must be in [0, 1]. Received: {thresholds}")
    return values


def _evenly_spaced(thresholds) -> bool:
    """Whether ``thresholds`` are ``0, 1/(n-1), ..., 1`` (``n >= 3``, within epsilon): then
    TF's Keras buckets predictions instead of comparing them with each threshold."""
    n = len(thresholds)
    even = np.arange(n, dtype=np.float32) / (n - 1) if n >= 3 else None
    return even is not None and bool(np.allclose(thresholds, even, atol=backend.epsilon()))


def _above_buckets(pred, thresholds, column):
    """TF's bucketing for evenly spaced thresholds: the prediction clipped to [0, 1] falls
    in bucket ``ceil(p * (n - 1)) - 1`` (at least 0 when the ends are -eps and 1 + eps) and
    counts as above the thresholds up to that bucket; outside [0, 1] this is not ``p > t``."""
    n = len(thresholds)
    pred = clip_ops.clip_by_value(pred, 0.0, 1.0)
    bucket = math_ops.ceil(pred * float(n - 1)) - 1.0
    if thresholds[0] < 0.0 or thresholds[-1] > 1.0:
        bucket = relu(bucket)
    index = constant(np.arange(n, dtype=np.float32).reshape(column), dtypes.float32)
    return math_ops.greater_equal(bucket, index)


def _update_confusion(
    variables: dict,
    y_true,
    y_pred,
    thresholds,
    sample_weight,
    even=False,
    multi_label=False,
    label_weights=None,
):
    """Adds to each of ``variables`` (``tp``, ``fp``, ``tn``, ``fn``: one entry per
    threshold, or per threshold and label with ``multi_label``) the (weighted) count of
    predictions above each threshold and labels (``even``: evenly spaced thresholds,
    bucketed as TF's Keras does; ``label_weights``: per-label weights of the counts)."""
    y_pred = cast(convert_to_tensor(y_pred), dtypes.float32)
    y_true = cast(convert_to_tensor(y_true), dtypes.bool)
    flat, column = ([1, -1], (-1, 1)) if not multi_label else (None, (-1, 1, 1))
    if multi_label:  # (1, batch, labels) against (thresholds, 1, 1)
        pred, label = expand_dims(y_pred, 0), expand_dims(y_true, 0)
    else:
        pred, label = array_ops.reshape(y_pred, flat), array_ops.reshape(y_true, flat)
    if even:
        above = _above_buckets(pred, thresholds, column)
    else:
        above = math_ops.greater(pred, constant(np.reshape(thresholds, column), dtypes.float32))
    weight = None
    if sample_weight is not None:
        weight = cast(convert_to_tensor(sample_weight), dtypes.float32)
        rank, wrank = y_pred.shape.ndims, weight.shape.ndims
        if rank is not None and wrank is not None and 0 < wrank < rank:
            weight = array_ops.reshape(weight, [-1] + [1] * (rank - wrank))
        weight = weight * ones_like(y_pred)
    if label_weights is not None and not multi_label:
        label_weights = constant(label_weights, dtypes.float32)
        weight = label_weights * (ones_like(y_pred) if weight is None else weight)
    if weight is not None:
        weight = expand_dims(weight, 0) if multi_label else array_ops.reshape(weight, flat)
    not_label, not_above = math_ops.logical_not(label), math_ops.logical_not(above)
    cases = {
        "tp": math_ops.logical_and(label, above),
        "fp": math_ops.logical_and(not_label, above),
        "tn": math_ops.logical_and(not_label, not_above),
        "fn": math_ops.logical_and(label, not_above),
    }
    updates = []
    for key, variable in variables.items():
        hits = cast(cases[key], dtypes.float32)
        if weight is not None:
            hits = hits * weight
        updates.append(assign_add(variable, reduction.reduce_sum(hits, axis=1)))
    return group(*updates)


class _Confusion(Metric):
    kinds: tuple = ()
    names = {"tp": "true_positives", "fp": "false_positives"}
    names.update(tn="true_negatives", fn="false_negatives")

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        if top_k is not None or class_id is not None:
            raise NotImplementedError(
                f"{type(self).__name__}(top_k=..., class_id=...) is not supported; slice the "
                "class out of y_true and y_pred (y[:, k]) before the metric."
            )
        self.thresholds = _thresholds(thresholds)
        self._even = _evenly_spaced(self.thresholds)
        self._confusion = {
            kind: self.add_weight(self.names[kind], shape=(len(self.thresholds),))
            for kind in self.kinds
        }

    def update_state(self, y_true, y_pred, sample_weight=None):
        return _update_confusion(
            self._confusion, y_true, y_pred, self.thresholds, sample_weight, self._even
        )

    def _single(self, value):
        return value[0] if len(self.thresholds) == 1 else value


class _Count(_Confusion):
    def __init__(self, thresholds=None, name=None, dtype=None):
        Metric.__init__(self, name=name, dtype=dtype)
        self.thresholds = _thresholds(thresholds)
        self._even = _evenly_spaced(self.thresholds)
        self.accumulator = self.add_weight("accumulator", shape=(len(self.thresholds),))
        self._confusion = {self.kinds[0]: self.accumulator}

    def result(self):
        return self._single(self._read(self.accumulator))


class TruePositives(_Count):
    """How many (weighted) predictions above the threshold have true labels."""

    kinds = ("tp",)


class FalsePositives(_Count):
    """How many predictions above the threshold have false labels."""

    kinds = ("fp",)


class TrueNegatives(_Count):
    """How many predictions at or below the threshold have false labels."""

    kinds = ("tn",)


class FalseNegatives(_Count):
    """How many predictions at or below the threshold have true labels."""

    kinds = ("fn",)


class Precision(_Confusion):
    """``true_positives / (true_positives + false_positives)`` at ``thresholds`` (0.5)."""

    kinds = ("tp", "fp")

    def result(self):
        tp, fp = (self._read(self._confusion[k]) for k in ("tp", "fp"))
        return self._single(div_no_nan(tp, tp + fp))


class Recall(_Confusion):
    """``true_positives / (true_positives + false_negatives)`` at ``thresholds`` (0.5)."""

    kinds = ("tp", "fn")

    def result(self):
        tp, fn = (self._read(self._confusion[k]) for k in ("tp", "fn"))
        return self._single(div_no_nan(tp, tp + fn))


class AUC(_Confusion):
    """The area under the ROC (or ``curve="PR"``) curve, from the confusion counts at
    ``num_thresholds`` thresholds in [0, 1] (``summation_method``: ``"interpolation"``,
    ``"minoring"`` or ``"majoring"``); ``multi_label``: one curve per label (counts per
    threshold and label, labels from the first batch unless ``num_labels``), their areas
    averaged or ``label_weights``-weighted; ``label_weights`` alone weight the counts."""

    kinds = ("tp", "tn", "fp", "fn")

    def __init__(
        self,
        num_thresholds=200,
        curve="ROC",
        summation_method="interpolation",
        name=None,
        dtype=None,
        thresholds=None,
        multi_label=False,
        num_labels=None,
        label_weights=None,
        from_logits=False,
        **kwargs,
    ):
        if num_labels is not None and not multi_label:
            raise ValueError("`num_labels` is needed only when `multi_label` is True.")
        self.multi_label, self.num_labels = multi_label, num_labels
        self.label_weights = None if label_weights is None else list(label_weights)
        self._from_logits = from_logits
        self._given_thresholds = thresholds is not None
        if curve not in ("ROC", "PR"):
            raise ValueError(
                f'Invalid AUC curve value: "{curve}". Expected values are ["PR", "ROC"]'
            )
        if summation_method not in ("interpolation", "minoring", "majoring"):
            raise ValueError(
                f'Invalid AUC summation method value: "{summation_method}". Expected values '
                'are ["interpolation", "majoring", "minoring"]'
            )
        if thresholds is None:
            if num_thresholds <= 1:
                raise ValueError(
                    "Argument `num_thresholds` must be an integer > 1. Received: "
                    f"num_thresholds={num_thresholds}"
                )
            inner = [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)]
        else:
            inner = sorted(thresholds)
        self.num_thresholds = len(inner) + 2
        self.curve = curve
        self.summation_method = summation_method
        eps = backend.epsilon()
        Metric.__init__(self, name=name, dtype=dtype)
        self.thresholds = [0.0 - eps, *inner, 1.0 + eps]
        self._even = thresholds is None or _evenly_spaced([0.0, *inner, 1.0])
        self._confusion = {}
        if not multi_label or num_labels is not None:
            self._build(num_labels)

    def _build(self, num_labels):
        """The variables: one count per threshold (and label, with ``multi_label``)."""
        shape = (
            (self.num_thresholds,) if not self.multi_label else (self.num_thresholds, num_labels)
        )
        self._confusion = {
            kind: self.add_weight(self.names[kind], shape=shape) for kind in self.kinds
        }

    def get_config(self) -> dict:
        """TF's keys; ``thresholds`` (the inner ones, sorted) only when they were given."""
        config = {
            **super().get_config(),
            "num_thresholds": self.num_thresholds,
            "curve": self.curve,
            "summation_method": self.summation_method,
            "multi_label": self.multi_label,
            "num_labels": self.num_labels,
            "label_weights": None
            if self.label_weights is None
            else np.asarray(self.label_weights, np.float32),
            "from_logits": self._from_logits,
        }
        if self._given_thresholds:
            config["thresholds"] = [float(t) for t in self.thresholds[1:-1]]
        return config

    def update_state(self, y_true, y_pred, sample_weight=None):
        if self._from_logits:  # probabilities first, as TF's
            y_pred = math_ops.sigmoid(y_pred)
        if self.multi_label and not self._confusion:  # labels from the first batch, as TF's
            y_pred = convert_to_tensor(y_pred)
            if y_pred.shape.ndims != 2 or y_pred.shape[1] is None:
                raise ValueError(
                    "`y_pred` must have rank 2 when `multi_label=True`. Found rank "
                    f"{y_pred.shape.ndims}. Full shape received for `y_pred`: {y_pred.shape}"
                )
            self._build(int(y_pred.shape[1]))
        return _update_confusion(
            self._confusion,
            y_true,
            y_pred,
            self.thresholds,
            sample_weight,
            self._even,
            self.multi_label,
            self.label_weights,
        )

    def _by_label(self, per_label):
        """The result from the per-label areas: their mean, or their ``label_weights``
        average, with ``multi_label`` (one area otherwise)."""
        if not self.multi_label:
            return per_label
        if self.label_weights is None:
            return reduction.reduce_mean(per_label)
        weights = constant(self.label_weights, dtypes.float32)
        return div_no_nan(reduction.reduce_sum(per_label * weights), reduction.reduce_sum(weights))

    def _pr_auc(self, tp, fp, fn):
        n = self.num_thresholds
        dtp = tp[: n - 1] - tp[1:]
        p = tp + fp
        dp = p[: n - 1] - p[1:]
        slope = div_no_nan(dtp, math_ops.maximum(dp, 0))
        intercept = tp[1:] - slope * p[1:]
        both = math_ops.logical_and(p[: n - 1] > 0, p[1:] > 0)
        ratio = where_v2(both, div_no_nan(p[: n - 1], math_ops.maximum(p[1:], 0)), ones_like(p[1:]))
        increments = div_no_nan(
            slope * (dtp + intercept * math_ops.log(ratio)),
            math_ops.maximum(tp[1:] + fn[1:], 0),
        )
        return self._by_label(reduction.reduce_sum(increments, axis=0))

    def result(self):
        tp, tn, fp, fn = (self._read(self._confusion[k]) for k in ("tp", "tn", "fp", "fn"))
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self._pr_auc(tp, fp, fn)
        recall = div_no_nan(tp, tp + fn)
        if self.curve == "ROC":
            x, y = div_no_nan(fp, fp + tn), recall
        else:
            x, y = recall, div_no_nan(tp, tp + fp)
        n = self.num_thresholds
        if self.summation_method == "interpolation":
            heights = (y[: n - 1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = math_ops.minimum(y[: n - 1], y[1:])
        else:
            heights = math_ops.maximum(y[: n - 1], y[1:])
        return self._by_label(reduction.reduce_sum((x[: n - 1] - x[1:]) * heights, axis=0))
