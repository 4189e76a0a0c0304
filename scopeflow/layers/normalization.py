"""``tf.layers.BatchNormalization`` and ``tf.layers.batch_normalization``, as TF1 builds them.

Variables ``gamma``, ``beta`` (trainable), ``moving_mean``, ``moving_variance`` (not). With
``training`` true (a Python bool, or a bool tensor choosing through ``tf.cond``) the batch's
statistics normalize, and the moving statistics move towards them by update ops
(``AssignMovingAvg``, ``AssignMovingAvg_1``) that the layer puts into
``tf.GraphKeys.UPDATE_OPS``: run them with the training step, as in TF1::

    update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    with tf.control_dependencies(update_ops):
        train_op = optimizer.minimize(loss)

Forgetting them is legal (as in TF1): the model trains, but ``moving_mean`` and
``moving_variance`` keep their initial values, so inference (``training=False``) normalizes
with zeros and ones.

4-D and 5-D inputs normalized over the last axis or axis 1 use one ``FusedBatchNormV3`` op
(``fused=None`` or ``True``; ``data_format`` ``NHWC``/``NDHWC`` or ``NCHW``/``NCDHW``), whose
moving variance moves towards the batch variance with Bessel's correction; other ranks and
axes, ``renorm=True`` and ``fused=False`` build ``tf.nn.moments`` and
``tf.nn.batch_normalization`` (the biased variance), as TF1 (which drops ``fused=True``
silently where it cannot fuse). Over an axis other than the last, the vectors are reshaped to
broadcast (``Reshape``). Over several axes (``axis=[1, 2]``) the variables have the input's
shape with 1 outside the axes and the statistics keep their dimensions, as TF1's.

Batch renormalization (``renorm=True``, Ioffe 2017) adds ``moving_stddev``, ``renorm_mean`` and
``renorm_stddev`` (not trainable). In training it scales the batch-normalized values by
``r = batch_stddev / renorm_stddev`` and shifts them by ``d = (batch_mean - renorm_mean) /
renorm_stddev`` (clipped by ``renorm_clipping``'s ``rmin``, ``rmax``, ``dmax``; no gradient
flows through them), and moves ``renorm_mean``/``renorm_stddev`` by ``renorm_momentum``; the
update ops move ``moving_mean`` and ``moving_stddev`` by ``momentum`` and set
``moving_variance`` to ``moving_stddev ** 2 - epsilon``, which inference uses.

Ghost batches (``virtual_batch_size=k``, unfused, as TF1): the inputs are reshaped to
``[k, -1, ...]``, so that examples ``i, i + n/k, ...`` form one ghost batch normalized by its
own statistics; the variables have shape ``[1, 1, ..., C]`` and the moving statistics move
towards the ghost batches' mean statistics.

``adjustment(shape)`` returns a scale and a shift (broadcastable to the inputs) applied to the
normalized outputs in training only, before ``gamma`` and ``beta`` (never fused).
"""

from __future__ import annotations

from scopeflow.framework import dtypes
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import colocate_with, control_dependencies, name_scope
from scopeflow.framework.tensor import Tensor
from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.layers.base import InputSpec, Layer
from scopeflow.layers.utils import constant_value_of, smart_cond
from scopeflow.ops.array.basic import identity, reshape, stop_gradient
from scopeflow.ops.array.basic import shape as array_shape
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.join import concat
from scopeflow.ops.array.shape import ones_like, zeros_like
from scopeflow.ops.math.elementwise import maximum, minimum, sqrt
from scopeflow.ops.math.reduction import reduce_mean
from scopeflow.ops.nn.activation import relu
from scopeflow.ops.nn.batch_norm import fused_batch_norm
from scopeflow.ops.nn.composite import batch_normalization as nn_batch_normalization
from scopeflow.ops.nn.composite import moments
from scopeflow.ops.state.storage import assign, assign_sub
from scopeflow.variables.initializers import ones_initializer, zeros_initializer

_CLIPPING_KEYS = ["rmax", "rmin", "dmax"]


def _unsupported(option: str, fix: str) -> NotImplementedError:
    return NotImplementedError(f"BatchNormalization({option}) is not supported: {fix}")


def _compose(scale, offset, then_scale, then_offset):
    """``x * scale + offset`` followed by ``* then_scale + then_offset``, as one scale and
    offset (``then_*`` may be None)."""
    if then_scale is not None:
        scale, offset = scale * then_scale, offset * then_scale
    if then_offset is not None:
        offset = offset + then_offset
    return scale, offset


def _renorm_clipping(clipping) -> dict:
    clipping = clipping or {}
    if set(clipping) - set(_CLIPPING_KEYS):
        raise ValueError(
            f"Received invalid keys for `renorm_clipping` argument: {clipping}. "
            f"Supported values: {_CLIPPING_KEYS}."
        )
    return clipping


class BatchNormalization(Layer):
    """Normalizes each channel (along ``axis``, the last by default) by the batch's statistics
    when training and by the moving statistics otherwise, then scales by ``gamma`` and shifts
    by ``beta``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     bn = tf.layers.BatchNormalization()
    ...     y = bn(tf.placeholder(tf.float32, [None, 8, 8, 3]), training=True)
    ...     print([v.name for v in bn.variables])
    ...     print([op.name for op in tf.get_collection(tf.GraphKeys.UPDATE_OPS)])
    ['batch_normalization/gamma:0', 'batch_normalization/beta:0', \
'batch_normalization/moving_mean:0', 'batch_normalization/moving_variance:0']
    ['batch_normalization/AssignMovingAvg', 'batch_normalization/AssignMovingAvg_1']
    """

    def __init__(
        self,
        axis=-1,
        momentum=0.99,
        epsilon=1e-3,
        center=True,
        scale=True,
        beta_initializer=None,
        gamma_initializer=None,
        moving_mean_initializer=None,
        moving_variance_initializer=None,
        beta_regularizer=None,
        gamma_regularizer=None,
        beta_constraint=None,
        gamma_constraint=None,
        renorm=False,
        renorm_clipping=None,
        renorm_momentum=0.99,
        fused=None,
        trainable=True,
        virtual_batch_size=None,
        adjustment=None,
        name=None,
        **kwargs,
    ):
        super().__init__(trainable=trainable, name=name, **kwargs)
        self.renorm = bool(renorm)
        self.renorm_clipping = _renorm_clipping(renorm_clipping) if renorm else renorm_clipping
        self.renorm_momentum = renorm_momentum
        self.virtual_batch_size = virtual_batch_size
        self.adjustment = adjustment
        if isinstance(axis, (list, tuple)):
            self.axis = [int(a) for a in axis] if len(axis) > 1 else int(axis[0])
        elif isinstance(axis, int):
            self.axis = axis
        else:
            raise TypeError(
                "Expected an int or a list/tuple of ints for the argument 'axis', but "
                f"received: {axis!r}"
            )
        self.momentum = momentum
        self.epsilon = float(epsilon)
        self.center = center
        self.scale = scale
        self.beta_initializer = beta_initializer or zeros_initializer()
        self.gamma_initializer = gamma_initializer or ones_initializer()
        self.moving_mean_initializer = moving_mean_initializer or zeros_initializer()
        self.moving_variance_initializer = moving_variance_initializer or ones_initializer()
        self.beta_regularizer = beta_regularizer
        self.gamma_regularizer = gamma_regularizer
        self.beta_constraint = beta_constraint
        self.gamma_constraint = gamma_constraint
        self.fused = fused

    def build(self, input_shape):
        input_shape = TensorShape(input_shape)  # a tuple or list too, as TF's
        ndims = input_shape.ndims
        if ndims is None:
            raise ValueError(f"Input has undefined rank. Received: input_shape={input_shape}.")
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        axes = [a + ndims if a < 0 else a for a in axes]
        for a in axes:
            if not 0 <= a < ndims:
                raise ValueError(f"Invalid axis: {a}")
        if len(set(axes)) != len(axes):
            raise ValueError(f"Duplicate axis: {tuple(axes)}")
        axis = axes[0]
        if self.virtual_batch_size is not None:
            if self.virtual_batch_size <= 0:
                raise ValueError(
                    "`virtual_batch_size` must be a positive integer that divides the true "
                    "batch size of the input tensor. Received: "
                    f"virtual_batch_size={self.virtual_batch_size}"
                )
            if 0 in axes:
                raise ValueError(
                    "When using `virtual_batch_size`, the batch dimension must be 0 and thus "
                    f"axis cannot include 0. Received axis={axes}"
                )
            if self.adjustment is not None:
                raise ValueError("When using `virtual_batch_size`, adjustment cannot be specified")
        sizes = {a: input_shape[a].value for a in axes}
        if None in sizes.values():
            raise ValueError(
                "Input has undefined `axis` dimension. Received input with shape "
                f"{tuple(input_shape)} and axis={tuple(axes)}"
            )
        channels = sizes[axis]
        self.axis = axis if len(axes) == 1 else axes
        # As TF1: fused for 4-D and 5-D inputs of up to 32 bits without renorm, normalized
        # over the last axis or axis 1, where ``fused=True`` that cannot be used is dropped
        # without a word.
        can_fuse = ndims in (4, 5) and not self.renorm and axes in ([1], [ndims - 1])
        can_fuse = can_fuse and self.virtual_batch_size is None and self.adjustment is None
        # (float64 is never fused: TF1 drops even fused=True for it, as the fused op has none)
        can_fuse = can_fuse and self.dtype != dtypes.float64
        self.fused = can_fuse if self.fused is None else bool(self.fused) and can_fuse
        self.input_spec = InputSpec(ndim=ndims, axes=sizes)
        param_shape = (channels,)
        if len(axes) > 1 or self.virtual_batch_size is not None:
            # as TF1: the input's shape with 1 outside the axes (and, over [virtual batch,
            # ...] inputs, a 1 for the ghost batches)
            param_shape = tuple(sizes.get(i, 1) for i in range(ndims))
            if self.virtual_batch_size is not None:
                param_shape = (1, *param_shape)
                axes = [a + 1 for a in axes]
                self.axis = axes[0] if len(axes) == 1 else axes
        param_dtype = dtypes.float32 if self.dtype in (None, dtypes.float16) else self.dtype
        self.gamma = self.beta = None
        if self.scale:
            self.gamma = self.add_weight(
                "gamma",
                shape=param_shape,
                dtype=param_dtype,
                initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
                trainable=True,
            )
        if self.center:
            self.beta = self.add_weight(
                "beta",
                shape=param_shape,
                dtype=param_dtype,
                initializer=self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
                trainable=True,
            )
        # As TF1, the moving statistics are never partitioned (they are assigned to whole).
        scope = self._scope
        partitioner = scope.partitioner if scope is not None else None
        if partitioner is not None:
            scope.set_partitioner(None)
        try:
            self.moving_mean = self.add_weight(
                "moving_mean",
                shape=param_shape,
                dtype=param_dtype,
                initializer=self.moving_mean_initializer,
                trainable=False,
            )
            self.moving_variance = self.add_weight(
                "moving_variance",
                shape=param_shape,
                dtype=param_dtype,
                initializer=self.moving_variance_initializer,
                trainable=False,
            )
            if self.renorm:
                self._add_renorm_weights(param_shape, param_dtype)
        finally:
            if partitioner is not None:
                scope.set_partitioner(partitioner)
        self.built = True

    def _add_renorm_weights(self, param_shape, param_dtype):
        """``moving_stddev``, ``renorm_mean`` and ``renorm_stddev``, placed as TF places them
        (with ``moving_variance``, ``moving_mean`` and ``moving_stddev``)."""

        def stddev_initializer(*args, **kwargs):
            return sqrt(self.moving_variance_initializer(*args, **kwargs))

        def state(name, initializer):
            return self.add_weight(
                name,
                shape=param_shape,
                dtype=param_dtype,
                initializer=initializer,
                trainable=False,
            )

        with colocate_with(self.moving_variance):
            self.moving_stddev = state("moving_stddev", stddev_initializer)
        with colocate_with(self.moving_mean):
            self.renorm_mean = state("renorm_mean", self.moving_mean_initializer)
        with colocate_with(self.moving_stddev):
            self.renorm_stddev = state("renorm_stddev", stddev_initializer)

    def _assign_moving_average(self, variable, value, momentum):
        """``variable -= (variable - value) * (1 - momentum)``, TF1's ``AssignMovingAvg``."""
        with name_scope("AssignMovingAvg") as scope, colocate_with(variable):
            decay = convert_to_tensor(1.0 - momentum, name="decay")
            if decay.dtype != variable.dtype.base_dtype:
                decay = cast(decay, variable.dtype.base_dtype)
            delta = (variable - cast(value, variable.dtype.base_dtype)) * decay
            return assign_sub(variable, delta, name=scope)

    def _renorm_correction(self, mean, variance, training):
        """The corrections ``r`` and ``d`` from the renorm averages before this step's update,
        and the batch's mean and variance, which wait for that update."""
        stddev = sqrt(variance + self.epsilon)
        renorm_stddev = maximum(self.renorm_stddev, sqrt(self.epsilon))  # no division by 0
        r = stddev / renorm_stddev
        d = (mean - self.renorm_mean) / renorm_stddev
        with control_dependencies([r, d]):
            mean, stddev = identity(mean), identity(stddev)
        clipping = self.renorm_clipping
        if clipping.get("rmin") is not None:
            r = maximum(r, clipping["rmin"])
        if clipping.get("rmax") is not None:
            r = minimum(r, clipping["rmax"])
        if clipping.get("dmax") is not None:
            d = minimum(maximum(d, -clipping["dmax"]), clipping["dmax"])
        r = smart_cond(training, lambda: r, lambda: ones_like(r))
        d = smart_cond(training, lambda: d, lambda: zeros_like(d))

        def move(variable, value):
            value = identity(value)
            return smart_cond(
                training,
                lambda: self._assign_moving_average(variable, value, self.renorm_momentum),
                lambda: identity(variable),
            )

        moved = [move(self.renorm_mean, mean), move(self.renorm_stddev, stddev)]
        with control_dependencies(moved):
            return r, d, identity(mean), identity(variance)

    def _renorm_variance_update(self, variance):
        """Moves ``moving_stddev`` towards the batch's and sets ``moving_variance`` from it."""
        target = sqrt(variance + self.epsilon)
        moving_stddev = self._assign_moving_average(self.moving_stddev, target, self.momentum)
        value = relu(moving_stddev * moving_stddev - self.epsilon)  # never below 0 by rounding
        with name_scope("AssignNewValue") as scope, colocate_with(self.moving_variance):
            return assign(self.moving_variance, value, name=scope)

    def _virtual_batches(self, inputs):
        """``inputs`` as ``[virtual_batch_size, -1, ...]`` (ghost batches along axis 1) and the
        shape to give the outputs back, built as TF1 builds them."""
        whole = array_shape(inputs)
        original = concat([constant([-1]), whole[1:]], axis=0)
        expanded = concat([constant([self.virtual_batch_size, -1]), original[1:]], axis=0)
        return reshape(inputs, expanded), original

    def call(self, inputs, training=False):
        training_value = constant_value_of(training)
        if self.fused:
            return self._fused_call(inputs, training, training_value)
        original_inputs, virtual = inputs, self.virtual_batch_size is not None
        if virtual:
            inputs, original_shape = self._virtual_batches(inputs)
        ndims = inputs.shape.ndims
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        reduction_axes = [i for i in range(ndims) if i not in axes]
        if virtual:
            del reduction_axes[1]  # each ghost batch has its own statistics
        keep_dims = virtual or len(axes) > 1

        def broadcast(v):  # as TF1: a Reshape of each vector when the axis is not the last
            if v is None or axes == [ndims - 1] or v.shape.ndims == ndims:
                return v
            shape = [1] * ndims
            shape[axes[0]] = inputs.shape[axes[0]].value
            return reshape(v, shape)

        scale, offset = broadcast(self.gamma), broadcast(self.beta)
        if training_value is False:
            mean, variance = self.moving_mean, self.moving_variance
        else:
            if self.adjustment is not None:  # a scale and a shift of the training outputs
                adj_scale, adj_bias = self.adjustment(array_shape(inputs))
                adj_scale = smart_cond(training, lambda: adj_scale, lambda: ones_like(adj_scale))
                adj_bias = smart_cond(training, lambda: adj_bias, lambda: zeros_like(adj_bias))
                scale, offset = _compose(adj_scale, adj_bias, scale, offset)
            batch_mean, batch_variance = moments(inputs, reduction_axes, keep_dims=keep_dims)
            mean = smart_cond(
                training, lambda: batch_mean, lambda: convert_to_tensor(self.moving_mean)
            )
            variance = smart_cond(
                training, lambda: batch_variance, lambda: convert_to_tensor(self.moving_variance)
            )
            new_mean, new_variance = mean, variance
            if virtual:  # the moving statistics move towards the ghost batches' mean, as TF1
                new_mean = reduce_mean(mean, axis=1, keepdims=True)
                new_variance = reduce_mean(variance, axis=1, keepdims=True)
            if self.renorm:
                r, d, new_mean, new_variance = self._renorm_correction(
                    new_mean, new_variance, training
                )
                # (x * r + d) * gamma + beta = x * (r * gamma) + (d * gamma + beta)
                r = broadcast(stop_gradient(r, name="renorm_r"))
                d = broadcast(stop_gradient(d, name="renorm_d"))
                scale, offset = _compose(r, d, scale, offset)
            self.add_update(
                smart_cond(
                    training,
                    lambda: self._assign_moving_average(self.moving_mean, new_mean, self.momentum),
                    lambda: self.moving_mean,
                )
            )
            if self.renorm:
                update_variance = lambda: self._renorm_variance_update(new_variance)  # noqa: E731
            else:
                update_variance = lambda: self._assign_moving_average(  # noqa: E731
                    self.moving_variance, new_variance, self.momentum
                )
            self.add_update(smart_cond(training, update_variance, lambda: self.moving_variance))
        mean, variance = broadcast(mean), broadcast(variance)
        outputs = nn_batch_normalization(inputs, mean, variance, offset, scale, self.epsilon)
        outputs.set_shape(inputs.shape)
        if virtual:
            outputs = reshape(outputs, original_shape)
            outputs.set_shape(original_inputs.shape)
        return outputs

    def _fused_call(self, inputs, training, training_value):
        channels = [inputs.shape[self.axis].value]
        beta = self.beta if self.center else constant(0.0, dtypes.float32, channels)
        gamma = self.gamma if self.scale else constant(1.0, dtypes.float32, channels)
        first = self.axis == 1  # channels first (NCHW, NCDHW), else last
        data_format = ("NCHW" if first else "NHWC") if inputs.shape.ndims == 4 else None
        data_format = data_format or ("NCDHW" if first else "NDHWC")

        def normalize(is_training):
            return fused_batch_norm(
                inputs,
                gamma,
                beta,
                mean=self.moving_mean,
                variance=self.moving_variance,
                epsilon=self.epsilon,
                is_training=is_training,
                data_format=data_format,
            )

        output, mean, variance = smart_cond(
            training, lambda: normalize(True), lambda: normalize(False)
        )
        if training_value is not False:
            if training_value is None:
                momentum = smart_cond(training, lambda: self.momentum, lambda: 1.0)
            else:
                momentum = convert_to_tensor(self.momentum)
            self.add_update(self._assign_moving_average(self.moving_mean, mean, momentum))
            self.add_update(self._assign_moving_average(self.moving_variance, variance, momentum))
        return output


def batch_normalization(
    inputs,
    axis=-1,
    momentum=0.99,
    epsilon=1e-3,
    center=True,
    scale=True,
    beta_initializer=None,
    gamma_initializer=None,
    moving_mean_initializer=None,
    moving_variance_initializer=None,
    beta_regularizer=None,
    gamma_regularizer=None,
    beta_constraint=None,
    gamma_constraint=None,
    training=False,
    trainable=True,
    name=None,
    reuse=None,
    renorm=False,
    renorm_clipping=None,
    renorm_momentum=0.99,
    fused=None,
    virtual_batch_size=None,
    adjustment=None,
) -> Tensor:
    """``BatchNormalization(...)(inputs, training=training)`` in the variable scope ``name``
    (``batch_normalization``, ``batch_normalization_1``... by default); its moving-average
    updates go into ``tf.GraphKeys.UPDATE_OPS`` (see the module's docstring).

    >>> import numpy as np
    >>> import scopeflow as tf
    >>> with tf.Graph().as_default(), tf.Session() as sess:
    ...     x = tf.constant(np.arange(8.0, dtype=np.float32).reshape(4, 2))
    ...     y = tf.layers.batch_normalization(x, training=True, epsilon=0.0)
    ...     sess.run(tf.global_variables_initializer())
    ...     print(sess.run(y)[:, 0].round(3))
    [-1.342 -0.447  0.447  1.342]
    """
    layer = BatchNormalization(
        axis=axis,
        momentum=momentum,
        epsilon=epsilon,
        center=center,
        scale=scale,
        beta_initializer=beta_initializer,
        gamma_initializer=gamma_initializer,
        moving_mean_initializer=moving_mean_initializer,
        moving_variance_initializer=moving_variance_initializer,
        beta_regularizer=beta_regularizer,
        gamma_regularizer=gamma_regularizer,
        beta_constraint=beta_constraint,
        gamma_constraint=gamma_constraint,
        renorm=renorm,
        renorm_clipping=renorm_clipping,
        renorm_momentum=renorm_momentum,
        fused=fused,
        trainable=trainable,
        virtual_batch_size=virtual_batch_size,
        adjustment=adjustment,
        name=name,
        _reuse=reuse,
        _scope=name,
    )
    return layer.apply(inputs, training=training)


__all__ = ["BatchNormalization", "batch_normalization"]
