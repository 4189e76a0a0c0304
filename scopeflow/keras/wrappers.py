"""``tf.keras.layers.Bidirectional`` and ``TimeDistributed``: layers that wrap another, as
TF1.15's Keras builds them. ``Bidirectional(LSTM(3))`` runs a copy of the layer forwards
(``forward_lstm``) and one backwards (``backward_lstm``) and merges their outputs;
``TimeDistributed(Dense(4))`` applies the layer to every step of ``[batch, time, ...]``
inputs (its weights under the wrapper's name: ``time_distributed/kernel``).

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     x = tf.keras.Input(shape=(5, 2))
...     y = tf.keras.layers.Bidirectional(tf.keras.layers.LSTM(3))(x)
...     z = tf.keras.layers.TimeDistributed(tf.keras.layers.Dense(4))(x)
>>> y.shape.as_list(), z.shape.as_list()
([None, 6], [None, 5, 4])
"""

from __future__ import annotations

from scopeflow.framework import nest
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.keras import model_config
from scopeflow.keras.engine import Layer
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array.join import concat, reverse
from scopeflow.ops.math import reduction

_MERGE_MODES = ("sum", "mul", "ave", "concat", None)


class Wrapper(Layer):
    """A layer around another (``layer``)."""

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(
                f"Please initialize `{type(self).__name__}` layer with a "
                f"`tf.keras.layers.Layer` instance. You passed: {layer}"
            )
        super().__init__(**kwargs)
        self.layer = layer

    def get_config(self) -> dict:
        """Its own arguments and the wrapped layer's config (``layer``)."""
        return {**super().get_config(), "layer": model_config.serialize(self.layer)}

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        """A new wrapper around a new layer, from a ``get_config`` dictionary."""
        config = dict(config)
        for key in ("layer", "backward_layer"):
            if key in config:
                config[key] = model_config.deserialize(config[key], custom_objects)
        return cls(**config)

    @property
    def trainable_weights(self) -> list:
        return self.layer.trainable_weights if self.trainable else []

    @property
    def non_trainable_weights(self) -> list:
        return self.layer.non_trainable_weights

    @property
    def weights(self) -> list:
        return self.trainable_weights + self.non_trainable_weights

    @property
    def losses(self) -> list:
        return self.layer.losses

    @property
    def updates(self) -> list:
        return self.layer.updates


class TimeDistributed(Wrapper):
    """Applies ``layer`` to each step of inputs of at least three dimensions: the steps
    are folded into the batch (``Reshape``), the layer applied, and the result unfolded."""

    def __init__(self, layer, **kwargs):
        super().__init__(layer, **kwargs)

    def build(self, input_shape):
        shape = TensorShape(input_shape)
        if shape.ndims is None or shape.ndims < 3:
            raise ValueError(
                "`TimeDistributed` Layer should be passed an `input_shape ` with at least 3 "
                f"dimensions, received: {shape}"
            )
        if not self.layer.built:
            if self.layer._dtype is None:
                self.layer._dtype = self._dtype
            self.layer.build(TensorShape([None, *shape.as_list()[2:]]))
            self.layer.built = True
        self.built = True

    # as TF's: ``training`` is passed on as given; the wrapped layer makes the learning phase
    _fills_learning_phase = False

    def compute_mask(self, inputs, mask=None):
        """The input's mask (one entry per step) when the batch size is known; else, as TF's,
        the wrapped layer's mask of the folded inputs, unfolded (the input's mask, reduced to
        ``[batch, steps]``, when the layer gives none)."""
        if inputs.shape.ndims is None or inputs.shape[0].value is not None:
            return mask
        inner_mask = None
        if mask is not None:
            inner_mask = array_ops.reshape(mask, [-1, *_static_or_dynamic(mask, 2)])
        inner = array_ops.reshape(inputs, [-1, *_static_or_dynamic(inputs, 2)])
        output_mask = self.layer.compute_mask(inner, inner_mask)
        if output_mask is None:
            if mask is None:
                return None
            for _ in range(2, mask.shape.ndims):
                mask = reduction.reduce_any(mask, axis=-1)
            return mask
        steps = inputs.shape[1].value
        steps = array_ops.shape(inputs)[1] if steps is None else steps
        return array_ops.reshape(output_mask, [-1, steps, *_static_or_dynamic(output_mask, 1)])

    def call(self, inputs, training=None, mask=None):
        dims = inputs.shape.as_list()
        steps = dims[1] if dims[1] is not None else array_ops.shape(inputs)[1]
        inner = array_ops.reshape(inputs, [-1, *_static_or_dynamic(inputs, 2)])
        arguments = {"training": training} if "training" in self.layer._call_arguments() else {}
        y = self.layer(inner, **arguments)
        result = array_ops.reshape(y, [-1, steps, *_static_or_dynamic(y, 1)])
        result.set_shape([dims[0], dims[1], *y.shape.as_list()[1:]])
        return result


def _static_or_dynamic(x, start: int) -> list:
    dims = x.shape.as_list()[start:]
    if all(d is not None for d in dims):
        return dims
    shape = array_ops.shape(x)
    return [d if d is not None else shape[start + i] for i, d in enumerate(dims)]


class Bidirectional(Wrapper):
    """Runs a recurrent ``layer`` forwards and a copy of it backwards over the steps and
    merges their outputs (``merge_mode``: ``"concat"``, ``"sum"``, ``"mul"``, ``"ave"``, or
    ``None`` for both as a list)."""

    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None, **kwargs):
        if merge_mode not in _MERGE_MODES:
            raise ValueError(
                f"Invalid merge mode. Received: {merge_mode}. Merge mode should be one of "
                '{"sum", "mul", "ave", "concat", None}'
            )
        if weights is not None:
            raise NotImplementedError(
                "Bidirectional(weights=...) is not supported; call set_weights once built."
            )
        if not hasattr(layer, "copy") or not hasattr(layer, "go_backwards"):
            raise ValueError(
                "Bidirectional wraps a recurrent layer (SimpleRNN, LSTM, GRU or RNN); "
                f"received {layer}."
            )
        super().__init__(layer, **kwargs)
        self.forward_layer = layer.copy(name="forward_" + layer.name)
        self._given_backward_layer = backward_layer
        if backward_layer is None:
            backward_layer = layer.copy(
                name="backward_" + layer.name, go_backwards=not layer.go_backwards
            )
        elif backward_layer.go_backwards == layer.go_backwards:
            raise ValueError(
                "Forward layer and backward layer should have different `go_backwards` value."
                f"forward_layer.go_backwards = {layer.go_backwards},"
                f"backward_layer.go_backwards = {backward_layer.go_backwards}"
            )
        self.backward_layer = backward_layer
        self.merge_mode = merge_mode
        self.return_sequences = layer.return_sequences
        # as TF: the directions' masked steps give zeros when their sequences are returned
        self.forward_layer.zero_output_for_mask = self.return_sequences
        self.backward_layer.zero_output_for_mask = self.return_sequences
        self.return_state = layer.return_state

    def get_config(self) -> dict:
        """The wrapped layer's config, ``merge_mode`` and a given ``backward_layer``'s."""
        config = {**super().get_config(), "merge_mode": self.merge_mode}
        if self._given_backward_layer is not None:
            config["backward_layer"] = model_config.serialize(self._given_backward_layer)
        return config

    @property
    def trainable_weights(self) -> list:
        if not self.trainable:
            return []
        return self.forward_layer.trainable_weights + self.backward_layer.trainable_weights

    @property
    def non_trainable_weights(self) -> list:
        return self.forward_layer.non_trainable_weights + self.backward_layer.non_trainable_weights

    @property
    def losses(self) -> list:
        return self.forward_layer.losses + self.backward_layer.losses

    @property
    def stateful(self) -> bool:
        """Whether its recurrent layers keep their states between calls."""
        return bool(getattr(self.forward_layer, "stateful", False))

    def reset_states(self, states=None) -> None:
        """Resets both directions' states (``states``: the forward's, then the backward's)."""
        if states is None:
            self.forward_layer.reset_states()
            self.backward_layer.reset_states()
            return
        half = len(states) // 2
        self.forward_layer.reset_states(states[:half])
        self.backward_layer.reset_states(states[half:])

    @property
    def updates(self) -> list:
        return self.forward_layer.updates + self.backward_layer.updates

    def compute_mask(self, inputs, mask=None):
        """The input's mask with ``return_sequences`` (none for the states)."""
        if isinstance(mask, list | tuple):
            mask = mask[0]
        output_mask = mask if self.return_sequences else None
        if not self.return_state:
            return output_mask
        count = len(self.forward_layer.states) * 2
        outputs = 2 if self.merge_mode is None else 1
        return [output_mask] * outputs + [None] * count

    def build(self, input_shape):
        """Builds each direction's layer under a name scope of its name, as TF's (their calls
        then open ``forward_lstm_1``...)."""
        if isinstance(input_shape, list | tuple) and not isinstance(input_shape, TensorShape):
            input_shape = input_shape[0]
        for layer in (self.forward_layer, self.backward_layer):
            if not layer.built:
                with name_scope(layer.name):
                    layer.build(input_shape)
        self.built = True

    def call(self, inputs, initial_state=None, mask=None):
        forward_state = backward_state = None
        if initial_state is not None:
            states = nest.flatten(initial_state)
            half = len(states) // 2
            forward_state, backward_state = states[:half], states[half:]
        y = self.forward_layer(inputs, initial_state=forward_state, mask=mask)
        y_rev = self.backward_layer(inputs, initial_state=backward_state, mask=mask)
        if self.return_state:
            states = list(y[1:]) + list(y_rev[1:])
            y, y_rev = y[0], y_rev[0]
        if self.return_sequences:
            axis = 0 if self.forward_layer.time_major else 1
            y_rev = reverse(y_rev, [axis])
        if self.merge_mode == "concat":
            output = concat([y, y_rev], axis=-1)
        elif self.merge_mode == "sum":
            output = y + y_rev
        elif self.merge_mode == "ave":
            output = (y + y_rev) / 2
        elif self.merge_mode == "mul":
            output = y * y_rev
        else:
            output = [y, y_rev]
        if self.return_state:
            return [*output, *states] if self.merge_mode is None else [output, *states]
        return output


__all__ = ["Bidirectional", "TimeDistributed", "Wrapper"]
