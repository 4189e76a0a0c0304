"""``tf.keras.utils.track_tf1_style_variables`` and ``get_or_create_layer``: the shim that
lets a Keras layer's ``call`` use ``tf.compat.v1.get_variable`` and ``tf.layers``.

In graph mode TF's Keras runs the decorated ``call`` with ``reuse=AUTO_REUSE`` in the
current variable scope, so calling the layer again reuses the variables the first call made
(named by the variable scopes in ``call``, not by the layer: ``dense_one/dense/kernel``), and
they are not the layer's ``weights``; a layer made by ``get_or_create_layer`` inside it is
made once per decorated layer and name. This does the same.

>>> import scopeflow as tf
>>> class Scaled(tf.keras.layers.Layer):
...     @tf.keras.utils.track_tf1_style_variables
...     def call(self, inputs):
...         scale = tf.get_variable("scale", [], initializer=tf.constant_initializer(2.0))
...         return inputs * scale
>>> with tf.Graph().as_default():
...     layer = Scaled()
...     y, again = layer(tf.ones([2])), layer(tf.ones([2]))
...     print([v.name for v in tf.global_variables()])
['scale:0']
"""

from __future__ import annotations

import functools

from scopeflow.framework.defaults import get_default_graph
from scopeflow.variables.store import AUTO_REUSE
from scopeflow.variables.variable_scope import get_variable_scope, variable_scope


def _active() -> list:
    """Per graph: the layers whose decorated ``call`` is running, innermost last."""
    return get_default_graph()._store("keras_tf1_shim_layers", list)


def track_tf1_style_variables(method):
    """Decorates a layer's ``call`` so that the ``tf.compat.v1`` variables it makes are
    made once and reused by later calls."""

    @functools.wraps(method)
    def call(self, *args, **kwargs):
        active = _active()
        active.append(self)
        try:
            scope = get_variable_scope()
            with variable_scope(scope, reuse=AUTO_REUSE, auxiliary_name_scope=False):
                return method(self, *args, **kwargs)
        finally:
            active.pop()

    return call


def get_or_create_layer(name, create_layer_method):
    """The layer ``create_layer_method()`` made for ``name`` the first time it was asked for
    inside this decorated layer's ``call`` (a new one each time outside any)."""
    active = _active()
    if not active:
        return create_layer_method()
    owner = active[-1]
    layers = owner.__dict__.setdefault("_tf1_style_layers", {})
    if name not in layers:
        layers[name] = create_layer_method()
    return layers[name]


__all__ = ["get_or_create_layer", "track_tf1_style_variables"]
