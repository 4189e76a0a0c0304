"""``tf.keras.saving``: whole models in TF's Keras HDF5 format (``save_model``,
``load_model``) and the serialization of objects by name (``register_keras_serializable``,
``serialize_keras_object``...).

>>> import scopeflow as tf
>>> tf.keras.saving.get_registered_name(tf.keras.activations.relu)
'relu'
"""

from __future__ import annotations

from scopeflow.keras.custom_objects import custom_object_scope, get_custom_objects
from scopeflow.keras.models import load_model, save_model
from scopeflow.keras.serialization import (
    deserialize_keras_object,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
    serialize_keras_object,
)

__all__ = [
    "custom_object_scope",
    "deserialize_keras_object",
    "get_custom_objects",
    "get_registered_name",
    "get_registered_object",
    "load_model",
    "register_keras_serializable",
    "save_model",
    "serialize_keras_object",
]
