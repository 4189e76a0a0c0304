"""``tf.contrib.layers.batch_norm`` and ``layer_norm`` (and slim's ``repeat`` and ``stack``)
as TF 1.15's.

``batch_norm`` follows tf_slim's three paths. With updates filed in ``UPDATE_OPS`` (the
default) and no ``zero_debias_moving_mean`` it builds ``tf.layers.BatchNormalization``
(``axis=1`` for ``data_format="NCHW"``, ``momentum=decay``, ``renorm`` and its options) in the
``BatchNorm`` scope, all its variables model variables, ``moving_mean``, ``moving_variance``,
``beta`` and ``gamma`` filed in ``variables_collections`` afterwards; run the update ops with
the training step. Otherwise 2-D and 4-D inputs with ``fused`` (None or True) use tf_slim's
own ``FusedBatchNormV3`` (2-D reshaped to 4-D and back; its moving variance has Bessel's
correction), and other inputs tf_slim's unfused path (``tf.nn.moments``, the biased
variance); both make ``beta`` (``center``), ``gamma`` (``scale``, off by default),
``moving_mean`` and ``moving_variance``, and with ``updates_collections=None`` update in
place through control dependencies of the output. ``renorm`` needs the first path
(``ValueError`` otherwise); ``adjustment`` applies there only (tf_slim's unfused path ignores
it). ``batch_weights`` (one weight per example) take tf_slim's unfused path with
``tf.nn.weighted_moments``.

>>> import numpy as np, scopeflow as tf
>>> with tf.Graph().as_default(), tf.Session() as sess:
...     x = tf.constant(np.arange(8.0, dtype=np.float32).reshape(4, 2))
...     y = tf.contrib.layers.batch_norm(x, updates_collections=None, epsilon=0.0)
...     sess.run(tf.global_variables_initializer())
...     print(sess.run(y)[:, 0].round(3), [v.op.name for v in tf.model_variables()][0])
[-1.342 -0.447  0.447  1.342] BatchNorm/beta
"""

from __future__ import annotations

from scopeflow.contrib.arg_scope import add_arg_scope
from scopeflow.contrib.framework import model_variable
from scopeflow.contrib.layers_core import collect_named_outputs, variable_collections
from scopeflow.framework import dtypes
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph import GraphKeys
from scopeflow.framework.graph_api import (
    add_to_collection,
    add_to_collections,
    control_dependencies,
    get_collection,
)
from scopeflow.layers.normalization import BatchNormalization
from scopeflow.layers.utils import constant_value_of, smart_cond
from scopeflow.ops.array.basic import identity, reshape
from scopeflow.ops.array.basic import shape as array_shape
from scopeflow.ops.nn.activations_losses import weighted_moments
from scopeflow.ops.nn.batch_norm import fused_batch_norm
from scopeflow.ops.nn.composite import batch_normalization, moments
from scopeflow.train.moving_averages import assign_moving_average
from scopeflow.variables.initializers import ones_initializer, zeros_initializer
from scopeflow.variables.variable_scope import variable_scope


def _unsupported(option: str, fix: str) -> NotImplementedError:
    return NotImplementedError(f"batch_norm({option}) is not supported by scopeflow: {fix}")


def _check_options(data_format) -> None:
    if data_format not in (None, "NHWC", "NCHW"):
        raise ValueError("data_format has to be either NCHW or NHWC.")


def _parameters(
    params_shape,
    dtype,
    center,
    scale,
    initializers,
    regularizers,
    collections,
    trainable,
):
    """``beta``, ``gamma`` (None when off), ``moving_mean``, ``moving_variance``, made in
    that order (tf_slim's own paths)."""
    initializers, regularizers = initializers or {}, regularizers or {}

    def make(name, default, train):
        return model_variable(
            name,
            shape=params_shape,
            dtype=dtype,
            initializer=initializers.get(name, default),
            regularizer=regularizers.get(name) if train else None,
            collections=variable_collections(collections, name),
            trainable=trainable and train,
        )

    beta = make("beta", zeros_initializer(), True) if center else None
    gamma = make("gamma", ones_initializer(), True) if scale else None
    moving_mean = make("moving_mean", zeros_initializer(), False)
    moving_variance = make("moving_variance", ones_initializer(), False)
    return beta, gamma, moving_mean, moving_variance


def _file_layer_variables(layer, variables_collections) -> None:
    """The layer's variables as slim files them: all in ``MODEL_VARIABLES`` (slim makes them
    through its model-variable getter), the four of TF1's batch norm in their collections."""
    for variable in layer.variables:
        if variable not in get_collection(GraphKeys.MODEL_VARIABLES):
            add_to_collection(GraphKeys.MODEL_VARIABLES, variable)
    named = [(layer.moving_mean, "moving_mean"), (layer.moving_variance, "moving_variance")]
    named += [(v, n) for v, n in ((layer.beta, "beta"), (layer.gamma, "gamma")) if v is not None]
    for variable, name in named:
        for collection in variable_collections(variables_collections, name) or []:
            if variable not in get_collection(collection):
                add_to_collection(collection, variable)


@add_arg_scope
def batch_norm(
    inputs,
    decay=0.999,
    center=True,
    scale=False,
    epsilon=0.001,
    activation_fn=None,
    param_initializers=None,
    param_regularizers=None,
    updates_collections=GraphKeys.UPDATE_OPS,
    is_training=True,
    reuse=None,
    variables_collections=None,
    outputs_collections=None,
    trainable=True,
    batch_weights=None,
    fused=None,
    data_format="NHWC",
    zero_debias_moving_mean=False,
    scope=None,
    renorm=False,
    renorm_clipping=None,
    renorm_decay=0.99,
    adjustment=None,
):
    """Batch normalization over the last axis (see the module's docstring)."""
    _check_options(data_format)
    with variable_scope(scope, "BatchNorm", [inputs], reuse=reuse) as sc:
        inputs = convert_to_tensor(inputs)
        original_shape = inputs.shape
        rank = original_shape.ndims
        if rank is None:
            raise ValueError(f"Inputs {inputs.name} has undefined rank.")
        first = data_format == "NCHW"  # channels first: axis 1
        core = updates_collections == GraphKeys.UPDATE_OPS and not zero_debias_moving_mean
        core = core and batch_weights is None
        own_fused = (fused is None or fused) and not renorm and rank in (2, 4)
        own_fused = own_fused and adjustment is None and batch_weights is None
        own_fused = own_fused and (not core or rank == 2)
        if renorm or (core and not own_fused):  # tf.layers' layer, as tf_slim
            if not core:
                raise ValueError(
                    "renorm is not supported with batch_weights, updates_collections or "
                    "zero_debias_moving_mean"
                )
            layer = BatchNormalization(
                axis=1 if first else -1,
                momentum=decay,
                epsilon=epsilon,
                center=center,
                scale=scale,
                beta_initializer=(param_initializers or {}).get("beta"),
                gamma_initializer=(param_initializers or {}).get("gamma"),
                moving_mean_initializer=(param_initializers or {}).get("moving_mean"),
                moving_variance_initializer=(param_initializers or {}).get("moving_variance"),
                beta_regularizer=(param_regularizers or {}).get("beta"),
                gamma_regularizer=(param_regularizers or {}).get("gamma"),
                trainable=trainable,
                renorm=renorm,
                renorm_clipping=renorm_clipping,
                renorm_momentum=renorm_decay,
                adjustment=adjustment,
                fused=True if fused is None else fused,
                name=sc.name,
                _scope=sc,
                _reuse=reuse,
            )
            outputs = layer.apply(inputs, training=is_training)
            _file_layer_variables(layer, variables_collections)
            if activation_fn is not None:
                outputs = activation_fn(outputs)
            return collect_named_outputs(outputs_collections, sc.name, outputs)
        channels = original_shape[1 if first else -1].value if rank else None
        if channels is None:
            raise ValueError(
                f"Inputs {inputs.name} has undefined last dimension {original_shape[-1:]}."
            )
        use_fused = own_fused
        original_inputs = inputs
        if use_fused and rank == 2:
            inputs = reshape(inputs, [-1, channels, 1, 1] if first else [-1, 1, 1, channels])
        layout = "NCHW" if first else "NHWC"
        if batch_weights is not None:  # [batch] weights, reshaped to broadcast over inputs
            batch_weights = convert_to_tensor(batch_weights)
            original_shape[0:1].assert_is_compatible_with(batch_weights.shape)
            batch_weights = reshape(batch_weights, [-1] + [1] * (rank - 1))
        dtype = inputs.dtype.base_dtype
        beta, gamma, moving_mean, moving_variance = _parameters(
            [channels],
            dtype,
            center,
            scale,
            param_initializers,
            param_regularizers,
            variables_collections,
            trainable,
        )
        training = constant_value_of(is_training)
        need_updates = training is None or training

        def updates():
            return (
                assign_moving_average(
                    moving_mean, mean, decay, zero_debias=zero_debias_moving_mean
                ),
                assign_moving_average(moving_variance, variance, decay, zero_debias=False),
            )

        if use_fused:
            offset = beta if center else constant(0.0, dtype, [channels])
            factor = gamma if scale else constant(1.0, dtype, [channels])
            outputs, mean, variance = smart_cond(
                is_training,
                lambda: fused_batch_norm(
                    inputs, factor, offset, epsilon=epsilon, data_format=layout
                ),
                lambda: fused_batch_norm(
                    inputs,
                    factor,
                    offset,
                    moving_mean,
                    moving_variance,
                    epsilon,
                    data_format=layout,
                    is_training=False,
                ),
            )
            if need_updates:
                if updates_collections is None:

                    def forced():
                        with control_dependencies(updates()):
                            return identity(outputs)

                    outputs = smart_cond(is_training, forced, lambda: outputs)
                else:
                    for update in smart_cond(
                        is_training, updates, lambda: (moving_mean, moving_variance)
                    ):
                        add_to_collections(updates_collections, update)
            outputs.set_shape(inputs.shape)
            if rank == 2:  # to the static shape where at most one size is unknown, as tf_slim
                dims = original_shape.as_list()
                static = [-1 if d is None else d for d in dims]
                known = sum(d is None for d in dims) <= 1
                outputs = reshape(outputs, static if known else array_shape(original_inputs))
        else:
            made = len(get_collection(GraphKeys.GLOBAL_VARIABLES))
            # tf_slim's unfused path takes the name <scope>/<scope's last part> (so that the
            # default scope's batchnorm ops are named batchnorm_1, names being case-blind)
            get_default_graph().unique_name(sc.name.split("/")[-1])
            if need_updates:
                axes = [0, *range(2, rank)] if first else list(range(rank - 1))
                if batch_weights is None:
                    mean, variance = moments(inputs, axes, keep_dims=first)
                else:
                    mean, variance = weighted_moments(inputs, axes, batch_weights, keepdims=first)
                if first:  # as tf_slim: kept dimensions, flattened
                    mean, variance = reshape(mean, [-1]), reshape(variance, [-1])
                stored = (moving_mean, moving_variance)
                if updates_collections is None:

                    def forced():
                        with control_dependencies(updates()):
                            return identity(mean), identity(variance)

                    mean, variance = smart_cond(is_training, forced, lambda: stored)
                else:
                    for update in smart_cond(is_training, updates, lambda: stored):
                        add_to_collections(updates_collections, update)
                    batch = (mean, variance)
                    mean, variance = smart_cond(is_training, lambda: batch, lambda: stored)
            else:
                mean, variance = moving_mean, moving_variance
            if first:  # the vectors reshaped to broadcast over [N, C, ...]
                shape = [1, channels] + [1] * (rank - 2)
                mean, variance = reshape(mean, shape), reshape(variance, shape)
                beta = None if beta is None else reshape(beta, shape)
                gamma = None if gamma is None else reshape(gamma, shape)
            outputs = batch_normalization(inputs, mean, variance, beta, gamma, epsilon)
            outputs.set_shape(original_shape)
            # tf_slim's unfused scope makes model variables only (zero-debias's too)
            for variable in get_collection(GraphKeys.GLOBAL_VARIABLES)[made:]:
                if variable not in get_collection(GraphKeys.MODEL_VARIABLES):
                    add_to_collection(GraphKeys.MODEL_VARIABLES, variable)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return collect_named_outputs(outputs_collections, sc.name, outputs)


@add_arg_scope
def layer_norm(
    inputs,
    center=True,
    scale=True,
    activation_fn=None,
    reuse=None,
    variables_collections=None,
    outputs_collections=None,
    trainable=True,
    begin_norm_axis=1,
    begin_params_axis=-1,
    scope=None,
):
    """Normalizes each example over the axes from ``begin_norm_axis`` on (epsilon 1e-12),
    then scales by ``gamma`` and shifts by ``beta`` of shape ``inputs.shape[begin_params_axis:]``,
    in the variable scope ``LayerNorm``.

    >>> import numpy as np, scopeflow as tf
    >>> with tf.Graph().as_default(), tf.Session() as sess:
    ...     y = tf.contrib.layers.layer_norm(tf.constant([[1.0, 3.0]]))
    ...     sess.run(tf.global_variables_initializer())
    ...     print(sess.run(y))
    [[-1.  1.]]
    """
    with variable_scope(scope, "LayerNorm", [inputs], reuse=reuse) as sc:
        inputs = convert_to_tensor(inputs)
        shape = inputs.shape
        rank = shape.ndims
        if rank is None:
            raise ValueError(f"Inputs {inputs.name} has undefined rank.")
        dtype = inputs.dtype.base_dtype
        if begin_norm_axis < 0:
            begin_norm_axis = rank + begin_norm_axis
        if begin_params_axis >= rank or begin_norm_axis >= rank:
            raise ValueError(
                f"begin_params_axis ({begin_params_axis}) and begin_norm_axis "
                f"({begin_norm_axis}) must be < rank(inputs) ({rank})"
            )
        params_shape = shape[begin_params_axis:]
        if not params_shape.is_fully_defined():
            raise ValueError(
                f"Inputs {inputs.name}: shape(inputs)[{begin_params_axis}:] is not fully "
                f"defined: {shape}"
            )

        def make(name, initializer):
            return model_variable(
                name,
                shape=params_shape,
                dtype=dtype,
                initializer=initializer,
                collections=variable_collections(variables_collections, name),
                trainable=trainable,
            )

        beta = make("beta", zeros_initializer()) if center else None
        gamma = make("gamma", ones_initializer()) if scale else None
        mean, variance = moments(inputs, list(range(begin_norm_axis, rank)), keep_dims=True)
        epsilon = 1e-12 if dtype != dtypes.float16 else 1e-3
        outputs = batch_normalization(inputs, mean, variance, beta, gamma, epsilon)
        outputs.set_shape(shape)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return collect_named_outputs(outputs_collections, sc.name, outputs)


def _layer_name(layer, default: str) -> str:
    if hasattr(layer, "__name__"):
        return layer.__name__
    if hasattr(layer, "func") and hasattr(layer.func, "__name__"):  # a functools.partial
        return layer.func.__name__
    return default


def repeat(inputs, repetitions, layer, *args, **kwargs):
    """Applies ``layer(outputs, *args, **kwargs)`` ``repetitions`` times, the i-th in the scope
    ``<scope>/<scope>_<i>`` (``scope`` defaults to the layer's name, under ``Repeat``)."""
    scope = kwargs.pop("scope", None)
    with variable_scope(scope, "Repeat", [inputs]):
        inputs = convert_to_tensor(inputs)
        scope = scope or _layer_name(layer, "repeat")
        outputs = inputs
        for i in range(repetitions):
            kwargs["scope"] = f"{scope}_{i + 1}"
            outputs = layer(outputs, *args, **kwargs)
        return outputs


def stack_layers(inputs, layer, stack_args, **kwargs):
    """Applies ``layer`` once per entry of ``stack_args`` (its extra positional arguments),
    the i-th in the scope ``<scope>/<scope>_<i>``; slim's ``stack``."""
    scope = kwargs.pop("scope", None)
    if not isinstance(stack_args, (list, tuple)):
        raise ValueError("stack_args need to be a list or tuple")
    with variable_scope(scope, "Stack", [inputs]):
        inputs = convert_to_tensor(inputs)
        scope = scope or _layer_name(layer, "stack")
        outputs = inputs
        for i, layer_args in enumerate(stack_args):
            kwargs["scope"] = f"{scope}_{i + 1}"
            if not isinstance(layer_args, (list, tuple)):
                layer_args = [layer_args]
            outputs = layer(outputs, *layer_args, **kwargs)
        return outputs


__all__ = ["batch_norm", "layer_norm", "repeat", "stack_layers"]
