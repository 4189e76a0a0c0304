"""``tf.keras.experimental.LinearModel`` (``tf.keras.models.LinearModel``): the premade
linear model ``activation(sum_i x_i @ kernel_i + bias)`` over one input, a list of inputs or
a dict of named inputs (one kernel per input, dict keys in sorted order), its weights named
as TF's Keras names them (``linear_model/kernel``, ``linear_model/kernel_1``...,
``linear_model/bias``).

As TF's Keras in graph mode, the model is built by ``fit``/``evaluate``/``predict`` from the
first data it gets (``tf.keras.Input`` placeholders of the arrays' shapes), or by a call on
tensors, which applies it to them directly (and cannot then be fed arrays).

>>> import numpy as np, scopeflow as tf
>>> with tf.Graph().as_default():
...     model = tf.keras.experimental.LinearModel(kernel_initializer="ones")
...     model.compile("sgd", "mse")
...     history = model.fit(np.ones((4, 3)), np.ones((4, 1)), verbose=0)
...     print([w.name for w in model.weights])
['linear_model/kernel:0', 'linear_model/bias:0']
"""

from __future__ import annotations

from scopeflow.framework import nest
from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.keras import activations, backend, initializers, optimizers, regularizers
from scopeflow.keras.engine import Input, Layer
from scopeflow.keras.network import Model
from scopeflow.keras.serialization import config_value
from scopeflow.keras.training import TrainingMixin
from scopeflow.ops.math.matmul import matmul
from scopeflow.ops.nn.basic import bias_add


class _Linear(Layer):
    """The computation, a layer named as its model (so its weights are the model's)."""

    def __init__(self, model, name):
        super().__init__(name=name)
        self._model = model

    def build(self, input_shape):
        model = self._model
        if isinstance(input_shape, dict):
            shapes = [input_shape[key] for key in sorted(input_shape)]
            self._keys = sorted(input_shape)
        elif isinstance(input_shape, list | tuple) and all(
            isinstance(s, TensorShape) for s in input_shape
        ):
            shapes, self._keys = list(input_shape), None
        else:
            shapes, self._keys = [TensorShape(input_shape)], None
        self.kernels = [
            self.add_weight(
                "kernel",
                shape=(shape[-1].value, model.units),
                initializer=model.kernel_initializer,
                regularizer=model.kernel_regularizer,
            )
            for shape in shapes
        ]
        self.bias = None
        if model.use_bias:
            self.bias = self.add_weight(
                "bias",
                shape=(model.units,),
                initializer=model.bias_initializer,
                regularizer=model.bias_regularizer,
            )
        self.built = True

    def call(self, inputs):
        if isinstance(inputs, dict):
            missing = set(self._keys or []) - set(inputs)
            if missing:
                raise ValueError(
                    "The `inputs` dictionary does not match the structure expected by the "
                    f"model.\n\tExpected keys: {set(self._keys)}\n\tReceived keys: "
                    f"{set(inputs)}\n\tMissing keys: {missing}"
                )
            inputs = [inputs[key] for key in self._keys]
        result = None
        for x, kernel in zip(nest.flatten(inputs), self.kernels, strict=False):
            product = matmul(x, kernel)
            result = product if result is None else result + product
        if self.bias is not None:
            result = bias_add(result, self.bias)
        activation = self._model.activation
        return result if activation is None else activation(result)


class LinearModel(Model):
    """``activation(sum_i inputs_i @ kernel_i + bias)`` with ``units`` outputs; kernels and
    bias start at zeros unless their initializers are given."""

    def __init__(
        self,
        units=1,
        activation=None,
        use_bias=True,
        kernel_initializer="zeros",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        **kwargs,
    ):
        name = kwargs.pop("name", None) or backend.unique_object_name("linear_model")
        trainable = kwargs.pop("trainable", True)
        kwargs.pop("dtype", None)
        if kwargs:
            raise TypeError(f"Keyword argument not understood: {sorted(kwargs)}")
        Layer.__init__(self, trainable=trainable, name=name)
        TrainingMixin.__init__(self)
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.inputs, self.outputs = [], []
        self._layers, self._nodes = [], []
        self._linear = _Linear(self, name)
        self.built = False

    def _ensure_built(self, x) -> None:
        """Builds the model on ``tf.keras.Input`` placeholders shaped as the data ``x``."""
        if self.inputs:
            return
        if isinstance(x, dict):
            inputs = {key: Input(shape=x[key].shape[1:], name=key) for key in sorted(x)}
        elif isinstance(x, list | tuple):
            inputs = [Input(shape=a.shape[1:]) for a in x]
        else:
            inputs = Input(shape=x.shape[1:])
        self._init_graph(inputs, self._linear(inputs))

    @property
    def layers(self) -> list:
        """Its layers: none until built (its weights are its own)."""
        return [layer for layer in self._layers if layer is self._linear]

    @property
    def weights(self) -> list:
        return self._linear.weights if self._linear.built else []

    @property
    def trainable_weights(self) -> list:
        return self._linear.trainable_weights if self._linear.built else []

    @property
    def non_trainable_weights(self) -> list:
        return self._linear.non_trainable_weights if self._linear.built else []

    def call(self, inputs, training=None):
        if self.inputs:
            return super().call(inputs, training)
        return self._linear.call(inputs) if self._linear.built else self._apply_first(inputs)

    def _apply_first(self, inputs):
        self._linear._build_for(inputs)
        return self._linear.call(inputs)

    def get_config(self) -> dict:
        own = {
            "units": self.units,
            "activation": self.activation or "linear",
            "use_bias": self.use_bias,
            "kernel_initializer": self.kernel_initializer,
            "bias_initializer": self.bias_initializer,
            "kernel_regularizer": self.kernel_regularizer,
            "bias_regularizer": self.bias_regularizer,
        }
        base = {"name": self.name, "trainable": self.trainable, "dtype": "float32"}
        return {**base, **{k: config_value(v) for k, v in own.items()}}

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        return cls(**{k: v for k, v in config.items() if k != "dtype"})


class _WideDeep(Layer):
    """The sum of the linear and the deep model's outputs (then the activation), a layer
    named as its model."""

    def __init__(self, model, name):
        super().__init__(name=name)
        self._model = model
        self.built = True

    def call(self, inputs, training=None):
        model = self._model
        if isinstance(inputs, list | tuple) and len(inputs) == 2:
            linear_inputs, dnn_inputs = inputs
        else:
            linear_inputs = dnn_inputs = inputs
        linear = model.linear_model(linear_inputs)
        dnn = model.dnn_model(dnn_inputs)
        output = nest.map_structure(lambda a, b: a + b, linear, dnn)
        if model.activation is not None:
            return nest.map_structure(model.activation, output)
        return output


class _SplitOptimizer:
    """Trains the linear model's weights with one optimizer and the deep model's with the
    other, each from the total loss (TF's ``WideDeepModel`` training function)."""

    def __init__(self, model, linear_optimizer, dnn_optimizer):
        self._model = model
        self.optimizers = [linear_optimizer, dnn_optimizer]

    def get_updates(self, loss, params):
        model = self._model
        linear, dnn = self.optimizers
        updates = linear.get_updates(loss=loss, params=model.linear_model.trainable_weights)
        return updates + dnn.get_updates(loss=loss, params=model.dnn_model.trainable_weights)

    @property
    def iterations(self):
        return self.optimizers[0].iterations

    @property
    def weights(self) -> list:
        found = []
        for optimizer in self.optimizers:
            found += [w for w in optimizer.weights if all(w is not f for f in found)]
        return found

    def variables(self) -> list:
        return self.weights

    def get_config(self) -> dict:
        raise NotImplementedError(
            "A WideDeepModel's pair of optimizers has no single config; save the weights."
        )


class WideDeepModel(Model):
    """``activation(linear_model(x_linear) + dnn_model(x_dnn))``: a ``LinearModel`` and a
    deep model trained jointly, ``compile``'s optimizer a pair ``[linear, dnn]`` (or one for
    both); inputs a pair ``[x_linear, x_dnn]`` or one input for both."""

    def __init__(self, linear_model, dnn_model, activation=None, **kwargs):
        name = kwargs.pop("name", None) or backend.unique_object_name("wide_deep_model")
        trainable = kwargs.pop("trainable", True)
        if kwargs:
            raise TypeError(f"Keyword argument not understood: {sorted(kwargs)}")
        Layer.__init__(self, trainable=trainable, name=name)
        TrainingMixin.__init__(self)
        self.linear_model = linear_model
        self.dnn_model = dnn_model
        self.activation = activations.get(activation)
        self.inputs, self.outputs = [], []
        self._layers, self._nodes = [], []
        self._core = _WideDeep(self, name)
        self.built = False

    def compile(self, optimizer="rmsprop", loss=None, metrics=None, **kwargs):
        if isinstance(optimizer, list | tuple):
            linear, dnn = (optimizers.get(o) for o in optimizer)
        else:
            linear = dnn = optimizers.get(optimizer)
        super().compile(linear, loss=loss, metrics=metrics, **kwargs)
        self.optimizer = _SplitOptimizer(self, linear, dnn)

    def _ensure_built(self, x) -> None:
        """Builds the model on ``tf.keras.Input`` placeholders shaped as the data ``x``."""
        if self.inputs:
            return
        if isinstance(x, list | tuple):
            inputs = [Input(shape=a.shape[1:]) for a in x]
        else:
            inputs = Input(shape=x.shape[1:])
        self._init_graph(inputs, self._core(inputs))

    @property
    def layers(self) -> list:
        return [self.linear_model, self.dnn_model]

    @property
    def weights(self) -> list:
        return [*self.linear_model.weights, *self.dnn_model.weights]

    @property
    def trainable_weights(self) -> list:
        return [*self.linear_model.trainable_weights, *self.dnn_model.trainable_weights]

    @property
    def non_trainable_weights(self) -> list:
        return [*self.linear_model.non_trainable_weights, *self.dnn_model.non_trainable_weights]

    def call(self, inputs, training=None):
        if self.inputs:
            return super().call(inputs, training)
        return self._core.call(inputs)

    def get_config(self) -> dict:
        raise NotImplementedError(
            "WideDeepModel's config is not supported; build the model in code and load its weights."
        )


__all__ = ["LinearModel", "WideDeepModel"]
