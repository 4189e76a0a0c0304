"""Keras's custom objects: names that ``activations.get``, ``losses.get``, ``metrics.get``
and the other lookups resolve before Keras's own (``tf.keras.utils.get_custom_objects()``,
``with tf.keras.utils.custom_object_scope({...}):``).

>>> import scopeflow as tf
>>> with tf.keras.utils.custom_object_scope({"double": lambda x: 2 * x}):
...     print(tf.keras.activations.get("double")(3))
6
"""

from __future__ import annotations

_GLOBAL_CUSTOM_OBJECTS: dict = {}
REGISTERED_NAMES: dict = {}  # object -> "package>name" (register_keras_serializable)


def get_custom_objects() -> dict:
    """The process-wide dictionary of custom objects (add to it to register names)."""
    return _GLOBAL_CUSTOM_OBJECTS


def lookup(name):
    """The custom object registered as ``name``, or ``None``."""
    return _GLOBAL_CUSTOM_OBJECTS.get(name) if isinstance(name, str) else None


class CustomObjectScope:
    """Within it, the dictionaries given are custom objects (restored on exit)."""

    def __init__(self, *args):
        self.custom_objects = args
        self.backup = None

    def __enter__(self):
        self.backup = dict(_GLOBAL_CUSTOM_OBJECTS)
        for objects in self.custom_objects:
            _GLOBAL_CUSTOM_OBJECTS.update(objects)
        return self

    def __exit__(self, *args):
        _GLOBAL_CUSTOM_OBJECTS.clear()
        _GLOBAL_CUSTOM_OBJECTS.update(self.backup)


def custom_object_scope(*args) -> CustomObjectScope:
    """``CustomObjectScope(*args)``."""
    return CustomObjectScope(*args)


def unknown(what: str, name) -> ValueError:
    """TF's error for a name no lookup knows (``Unknown optimizer: 'nope'. ...``)."""
    return ValueError(
        f"Unknown {what}: {name!r}. Please ensure you are using a "
        "`keras.utils.custom_object_scope` and that this object is included in the scope. See "
        "https://www.tensorflow.org/guide/keras/save_and_serialize"
        "#registering_the_custom_object for details."
    )


__all__ = ["CustomObjectScope", "custom_object_scope", "get_custom_objects", "unknown"]
