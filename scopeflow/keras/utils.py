"""``tf.keras.utils``: ``to_categorical``, ``to_ordinal``, ``normalize``, ``pad_sequences``,
``get_file`` (Keras's download cache), ``get_source_inputs``, the enqueuers, image files
(``load_img``, ``img_to_array``, ``array_to_img``, ``save_img``), the
``Progbar`` (its output sent to absl logging by ``disable_interactive_logging``),
``Sequence`` (the base of Keras's batch sources) and the custom objects that
names (``activation="swish2"``, ``loss="my_loss"``) are looked up in first
(``custom_object_scope``, ``get_custom_objects``).

>>> import scopeflow as tf
>>> tf.keras.utils.to_categorical([0, 2], num_classes=3)
array([[1., 0., 0.],
       [0., 0., 1.]], dtype=float32)
"""

from __future__ import annotations

import types

import numpy as np

from scopeflow.framework import nest
from scopeflow.keras.batch_sequence import Sequence
from scopeflow.keras.callbacks import Progbar
from scopeflow.keras.custom_objects import (
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
)
from scopeflow.keras.datasets.download import get_file, validate_file
from scopeflow.keras.embedding_utils import warmstart_embedding_matrix
from scopeflow.keras.engine import keras_history
from scopeflow.keras.enqueuers import GeneratorEnqueuer, OrderedEnqueuer, SequenceEnqueuer
from scopeflow.keras.io_utils import (
    disable_interactive_logging,
    enable_interactive_logging,
    is_interactive_logging_enabled,
)
from scopeflow.keras.preprocessing.image_utils import array_to_img, img_to_array, load_img, save_img
from scopeflow.keras.preprocessing.sequence import pad_sequences
from scopeflow.keras.serialization import (
    deserialize_keras_object,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
    serialize_keras_object,
)
from scopeflow.keras.variable_shim import get_or_create_layer, track_tf1_style_variables
from scopeflow.keras.vis_utils import model_to_dot, plot_model


def to_categorical(y, num_classes=None, dtype="float32") -> np.ndarray:
    """One-hot rows for the integer labels ``y`` (``num_classes``: max label + 1 unless
    given); an input of shape ``[..., 1]`` is treated as ``[...]``."""
    y = np.array(y, dtype="int")
    shape = y.shape
    if shape and shape[-1] == 1 and len(shape) > 1:
        shape = shape[:-1]
    y = y.ravel()
    if not num_classes:
        num_classes = int(np.max(y)) + 1
    categorical = np.zeros((y.shape[0], num_classes), dtype=dtype)
    categorical[np.arange(y.shape[0]), y] = 1
    return np.reshape(categorical, (*shape, num_classes))


def to_ordinal(y, num_classes=None, dtype="float32") -> np.ndarray:
    """Ordinal rows for the integer labels ``y``: label ``k`` as ``k`` ones then zeros, over
    ``num_classes - 1`` columns (``num_classes``: max label + 1 unless given); an input of
    shape ``[..., 1]`` is treated as ``[...]``."""
    y = np.array(y, dtype="int")
    shape = y.shape
    if shape and shape[-1] == 1 and len(shape) > 1:
        shape = shape[:-1]
    y = y.ravel()
    if not num_classes:
        num_classes = int(np.max(y)) + 1
    ordinal = (np.arange(num_classes - 1)[None, :] < y[:, None]).astype(dtype)
    return np.reshape(ordinal, (*shape, num_classes - 1))


def get_source_inputs(tensor, layer=None, node_index=None) -> list:
    """The model inputs (``tf.keras.Input`` tensors) that the Keras tensor ``tensor`` is
    computed from, each once, in the order they are reached; a tensor no Keras layer made
    is returned as it is."""
    history = keras_history(tensor)
    if history is None:
        return tensor
    if layer is None or node_index:
        layer, node_index, _ = history
    node = layer._inbound_nodes[node_index]
    if not nest.flatten(node.inputs):
        return nest.flatten(node.outputs)
    sources: list = []
    for x in nest.flatten(node.inputs):
        for source in get_source_inputs(x):
            if all(source is not s for s in sources):
                sources.append(source)
    return sources


def normalize(x, axis=-1, order=2) -> np.ndarray:
    """``x`` divided by its ``order``-norm along ``axis`` (zero norms left as zeros)."""
    norm = np.atleast_1d(np.linalg.norm(x, order, axis))
    norm[norm == 0] = 1
    return x / np.expand_dims(norm, axis)


# tf.keras.utils.legacy: the {"class_name", "config"} format, which is the one scopeflow writes.
legacy = types.SimpleNamespace(
    serialize_keras_object=serialize_keras_object,
    deserialize_keras_object=deserialize_keras_object,
)

__all__ = [
    "CustomObjectScope",
    "GeneratorEnqueuer",
    "OrderedEnqueuer",
    "Progbar",
    "Sequence",
    "SequenceEnqueuer",
    "array_to_img",
    "custom_object_scope",
    "deserialize_keras_object",
    "disable_interactive_logging",
    "enable_interactive_logging",
    "get_custom_objects",
    "get_file",
    "get_or_create_layer",
    "get_source_inputs",
    "img_to_array",
    "is_interactive_logging_enabled",
    "legacy",
    "load_img",
    "model_to_dot",
    "get_registered_name",
    "get_registered_object",
    "normalize",
    "pad_sequences",
    "plot_model",
    "register_keras_serializable",
    "save_img",
    "serialize_keras_object",
    "to_categorical",
    "to_ordinal",
    "track_tf1_style_variables",
    "validate_file",
    "warmstart_embedding_matrix",
]
