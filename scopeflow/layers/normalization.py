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

4-D and 5-D inputs use one ``FusedBatchNormV3`` op (``fused=None`` or ``True``), whose
moving variance moves towards the batch variance with Bessel's correction; other ranks and
``fused=False`` build ``tf.nn.moments`` and ``tf.nn.batch_normalization`` (the biased
variance), as TF1.
"""

from __future__ import annotations

from scopeflow.framework import dtypes
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.tensor import Tensor
from scopeflow.layers.base import InputSpec, Layer
from scopeflow.layers.utils import constant_value_of, smart_cond
from scopeflow.ops.array.cast import cast
from scopeflow.ops.nn.batch_norm import fused_batch_norm
from scopeflow.ops.nn.composite import batch_normalization as nn_batch_normalization
from scopeflow.ops.nn.composite import moments
from scopeflow.ops.state.storage import assign_sub
from scopeflow.variables.initializers import ones_initializer, zeros_initializer


def _unsupported(option: str, fix: str) -> NotImplementedError:
    return NotImplementedError(f"BatchNormalization({option}) is not supported: {fix}")


class BatchNormalization(Layer):
    """Normalizes each channel (the last axis) by the batch's statistics when training and by
    the moving statistics otherwise, then scales by ``gamma`` and shifts by ``beta``.

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
        if renorm:
            raise _unsupported("renorm=True", "batch renormalization is not implemented.")
        if virtual_batch_size is not None:
            raise _unsupported(
                "virtual_batch_size=...",
                "ghost batches are not implemented; reshape the batch into "
                "[virtual_batch_size, -1, ...] and normalize each part yourself.",
            )
        if adjustment is not None:
            raise _unsupported("adjustment=...", "scale and shift the outputs yourself.")
        axes = list(axis) if isinstance(axis, (list, tuple)) else [axis]
        if len(axes) != 1:
            raise _unsupported(f"axis={axis}", "normalize over one axis, the last (axis=-1).")
        self.axis = int(axes[0])
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
        ndims = input_shape.ndims
        if ndims is None:
            raise ValueError(f"Input has undefined rank. Received: input_shape={input_shape}.")
        axis = self.axis + ndims if self.axis < 0 else self.axis
        if not 0 <= axis < ndims:
            raise ValueError(f"Invalid axis: {self.axis}")
        if axis != ndims - 1:
            raise _unsupported(
                f"axis={self.axis}",
                "scopeflow normalizes the last axis (channels last); transpose the inputs so "
                "that the channels come last and use axis=-1.",
            )
        self.axis = axis
        channels = input_shape[axis].value
        if channels is None:
            raise ValueError(
                "Input has undefined `axis` dimension. Received input with shape "
                f"{tuple(input_shape)} and axis={(axis,)}"
            )
        if self.fused is None:  # as TF1: fused for 4-D and 5-D inputs of up to 32 bits
            self.fused = ndims in (4, 5) and self.dtype != dtypes.float64
        elif self.fused and ndims not in (4, 5):
            raise ValueError(
                "Batch normalization layers with `fused=True` only support 4D or 5D input "
                f"tensors. Received tensor with shape: {tuple(input_shape)}"
            )
        self.input_spec = InputSpec(ndim=ndims, axes={axis: channels})
        param_dtype = dtypes.float32 if self.dtype in (None, dtypes.float16) else self.dtype
        self.gamma = self.beta = None
        if self.scale:
            self.gamma = self.add_weight(
                "gamma",
                shape=(channels,),
                dtype=param_dtype,
                initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
                trainable=True,
            )
        if self.center:
            self.beta = self.add_weight(
                "beta",
                shape=(channels,),
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
                shape=(channels,),
                dtype=param_dtype,
                initializer=self.moving_mean_initializer,
                trainable=False,
            )
            self.moving_variance = self.add_weight(
                "moving_variance",
                shape=(channels,),
                dtype=param_dtype,
                initializer=self.moving_variance_initializer,
                trainable=False,
            )
        finally:
            if partitioner is not None:
                scope.set_partitioner(partitioner)
        self.built = True

    def _assign_moving_average(self, variable, value, momentum):
        """``variable -= (variable - value) * (1 - momentum)``, TF1's ``AssignMovingAvg``."""
        with name_scope("AssignMovingAvg") as scope:
            decay = convert_to_tensor(1.0 - momentum, name="decay")
            if decay.dtype != variable.dtype.base_dtype:
                decay = cast(decay, variable.dtype.base_dtype)
            delta = (variable - cast(value, variable.dtype.base_dtype)) * decay
            return assign_sub(variable, delta, name=scope)

    def call(self, inputs, training=False):
        training_value = constant_value_of(training)
        if self.fused:
            return self._fused_call(inputs, training, training_value)
        reduction_axes = [i for i in range(inputs.shape.ndims) if i != self.axis]
        if training_value is False:
            mean, variance = self.moving_mean, self.moving_variance
        else:
            batch_mean, batch_variance = moments(inputs, reduction_axes)
            mean = smart_cond(
                training, lambda: batch_mean, lambda: convert_to_tensor(self.moving_mean)
            )
            variance = smart_cond(
                training, lambda: batch_variance, lambda: convert_to_tensor(self.moving_variance)
            )
            for variable, value in ((self.moving_mean, mean), (self.moving_variance, variance)):
                self.add_update(
                    smart_cond(
                        training,
                        lambda v=variable, x=value: self._assign_moving_average(
                            v, x, self.momentum
                        ),
                        lambda v=variable: v,
                    )
                )
        outputs = nn_batch_normalization(
            inputs, mean, variance, self.beta, self.gamma, self.epsilon
        )
        outputs.set_shape(inputs.shape)
        return outputs

    def _fused_call(self, inputs, training, training_value):
        channels = [inputs.shape[-1].value]
        beta = self.beta if self.center else constant(0.0, dtypes.float32, channels)
        gamma = self.gamma if self.scale else constant(1.0, dtypes.float32, channels)
        data_format = "NHWC" if inputs.shape.ndims == 4 else "NDHWC"

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
