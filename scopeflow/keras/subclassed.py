"""What a subclassed ``tf.keras.Model`` (``__init__`` makes layers, ``call`` composes them)
does as TF's Keras in graph mode does.

Its layers are those its attributes hold (``self.dense = Dense(...)``, lists and dicts of
layers), in the order the attributes were first set. Calling it on tensors opens the name
scope of its name (``my_model/dense/kernel:0``) and, the first time, makes those tensors its
``inputs`` and the results its ``outputs`` (named ``input_1``..., ``output_1``...). ``fit``,
``evaluate`` and ``predict`` on a model never called make placeholders shaped as the data
(``input_1``: floating data as ``floatx()``, other dtypes kept) and call the model on them.
``get_config`` is the arguments its constructor was given when they are plain values.

>>> import numpy as np, scopeflow as tf
>>> class TwoLayers(tf.keras.Model):
...     def __init__(self, units):
...         super().__init__()
...         self.hidden = tf.keras.layers.Dense(units, activation="relu")
...         self.out = tf.keras.layers.Dense(1)
...     def call(self, inputs, training=None):
...         return self.out(self.hidden(inputs))
>>> with tf.Graph().as_default():
...     model = TwoLayers(4)
...     y = model(tf.placeholder(tf.float32, [None, 3]))
>>> y.name, model.get_config()
('two_layers/dense_1/BiasAdd:0', {'units': 4})
>>> [w.name for w in model.trainable_weights][:2]
['two_layers/dense/kernel:0', 'two_layers/dense/bias:0']
"""

from __future__ import annotations

import inspect
import json
import logging

import numpy as np

from scopeflow.framework import dtypes, nest
from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.keras import backend, engine

_MODEL_KWARGS = frozenset({"name", "trainable", "dtype", "dynamic", "autocast"})


def init(model, kwargs: dict) -> None:
    """Sets up ``model`` as a subclassed model (no inputs or outputs until called)."""
    unknown = sorted(set(kwargs) - _MODEL_KWARGS)
    if unknown:
        raise TypeError("Keyword argument not understood:", unknown[0])
    name = kwargs.get("name") or backend.unique_object_name(
        engine.tf_base.to_snake_case(type(model).__name__)
    )
    engine.Layer.__init__(
        model, trainable=kwargs.get("trainable", True), name=name, dtype=kwargs.get("dtype")
    )
    if kwargs.get("dynamic"):
        raise NotImplementedError(
            "Model(dynamic=True) runs eagerly, which scopeflow's graph-mode Keras does not; "
            "leave it False (the model's call must then build graph ops)."
        )
    if kwargs.get("autocast") is False:
        model._autocast = False
    model._is_graph_network = False
    model.inputs = model.outputs = None
    model.input_names = model.output_names = None
    model.built = False


def set_io(model, inputs, outputs) -> None:
    """Makes the tensors of the first call ``model``'s inputs and outputs."""
    model.inputs = list(nest.flatten(inputs))
    model.outputs = list(nest.flatten(outputs))
    model._nested_outputs = outputs
    if isinstance(inputs, dict):
        model.input_names = sorted(inputs)
    else:
        model.input_names = [f"input_{i + 1}" for i in range(len(model.inputs))]
    model.output_names = [f"output_{i + 1}" for i in range(len(model.outputs))]


def build_from_data(model, x) -> None:
    """Calls ``model`` (never called) on placeholders shaped as the arrays ``x``."""
    if model.inputs:
        return
    structure = x if isinstance(x, dict | list | tuple) else None
    arrays = [np.asarray(a) for a in nest.flatten(x)]
    if isinstance(x, dict):
        names = sorted(x)
    else:
        names = [f"input_{i + 1}" for i in range(len(arrays))]
    placeholders = []
    for array, name in zip(arrays, names, strict=True):
        dtype = dtypes.as_dtype(array.dtype)
        if dtype.is_floating:
            dtype = dtypes.as_dtype(backend.floatx())
        shape = (None, *array.shape[1:])
        placeholders.append(backend.placeholder(shape=shape, dtype=dtype, name=name))
    if structure is None:
        inputs = placeholders[0]
    elif isinstance(structure, dict):
        inputs = dict(zip(names, placeholders, strict=True))
    else:
        inputs = type(structure)(placeholders)
    model(inputs)


def build(model, input_shape) -> None:
    """``Model.build(input_shape)``: calls ``model.call`` on new placeholders (``Placeholder``,
    outside the model's name scope, as TF's Keras does) to make its weights."""
    if input_shape is None:
        raise ValueError(
            "Input shape must be defined when calling `build()` on a `Model` subclass."
        )
    if isinstance(input_shape, dict):
        raise ValueError(
            "Currently, `build()` does not support dictionary input shapes; call the model on "
            "a batch of data instead."
        )
    shapes = input_shape if _is_shape_list(input_shape) else [input_shape]
    dtype = model.dtype or backend.floatx()
    placeholders = [
        backend.placeholder(shape=TensorShape(s).as_list(), dtype=dtype) for s in shapes
    ]
    inputs = placeholders if _is_shape_list(input_shape) else placeholders[0]
    kwargs = {}
    if "training" in inspect.signature(model.call).parameters:
        kwargs["training"] = False
    model.call(inputs, **kwargs)
    model.built = True


def _is_shape_list(shape) -> bool:
    return (
        isinstance(shape, list | tuple)
        and bool(shape)
        and all(isinstance(s, list | tuple | TensorShape) for s in shape)
    )


def layers(model) -> list:
    """The layers ``model``'s attributes hold, each once."""
    return model._child_layers()


def gather(held: list, attribute: str, own: list, own_first: bool = False) -> list:
    """The ``held`` layers' ``attribute`` (weights...) layer by layer, then ``own`` (or
    ``own`` first: losses and updates), each once."""
    found: list = []
    items = [x for layer in held for x in getattr(layer, attribute)]
    for item in own + items if own_first else items + own:
        if not any(item is x for x in found):
            found.append(item)
    return found


def check_built(model, what: str) -> None:
    if not model.built:
        if what == "summary":
            raise ValueError(
                "This model has not yet been built. Build the model first by calling "
                "`build()` or by calling the model on a batch of data."
            )
        raise ValueError(
            f"You tried to call `count_params` on {model.name}, but the layer isn't built. "
            f"You can build it manually via: `{model.name}.build(batch_input_shape)`."
        )


# -- configs ---------------------------------------------------------------------------------


def capture_arguments(model, args: tuple, kwargs: dict) -> None:
    """Keeps what the model's constructor was given (for ``get_config``)."""
    model.__dict__["_constructor_arguments"] = (args, dict(kwargs))


def config(model) -> dict:
    """The constructor's arguments, keyword ones first, when all are plain values (JSON's
    types); else ``{}`` (with a warning), as TF's Keras. A constructor taking ``**kwargs``
    also gets the model's name, trainability and dtype first."""
    args, kwargs = model.__dict__.get("_constructor_arguments", ((), {}))
    parameters = list(inspect.signature(type(model).__init__).parameters.values())[1:]
    base = {}
    if any(p.name == "kwargs" and p.kind is p.VAR_KEYWORD for p in parameters):
        dtype = None if model._dtype is None else model._dtype.name
        base = {"name": model.name, "trainable": model.trainable, "dtype": dtype}
    named = [p.name for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    keywords = {p.name for p in parameters if p.kind is not p.VAR_KEYWORD}
    found = {key: value for key, value in kwargs.items() if key in keywords}
    found.update(zip(named, args, strict=False))
    try:
        json.dumps(found)
    except (TypeError, ValueError):
        logging.getLogger("tensorflow").warning(
            "Model's constructor arguments are not plain values (JSON's types); its "
            "get_config() is empty: override get_config() to serialize it."
        )
        return {}
    return {**base, **found}


SAVE_H5_ERROR = (
    "Saving the model to HDF5 format requires the model to be a Functional model or a "
    "Sequential model. It does not work for subclassed models, because such models are "
    "defined via the body of a Python method, which isn't safely serializable. Consider "
    'saving to the Tensorflow SavedModel format (by setting save_format="tf") or using '
    "`save_weights`."
)
