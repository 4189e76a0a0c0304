"""Keras's serialization of objects as ``{"class_name": ..., "config": ...}`` dictionaries
(TF's legacy format, the one HDF5 files and ``to_json`` hold), and the registry of custom
objects by name (``register_keras_serializable``: ``"Custom>MyLayer"``).

>>> import scopeflow as tf
>>> tf.keras.utils.serialize_keras_object(tf.keras.regularizers.L2(0.5))
{'class_name': 'L2', 'config': {'l2': 0.5}}
>>> @tf.keras.utils.register_keras_serializable(package="demo")
... def scaled(x):
...     return 2 * x
>>> tf.keras.utils.get_registered_name(scaled)
'demo>scaled'
"""

from __future__ import annotations

import codecs
import inspect
import marshal
import types

import numpy as np

from scopeflow.keras import custom_objects as _custom


def register_keras_serializable(package: str = "Custom", name: str | None = None):
    """A decorator registering a class or function as ``"<package>>name"`` (its own name by
    default) so that configs naming it deserialize without ``custom_objects``."""

    def decorator(arg):
        class_name = name if name is not None else arg.__name__
        registered_name = f"{package}>{class_name}"
        if inspect.isclass(arg) and not hasattr(arg, "get_config"):
            raise ValueError("Cannot register a class that does not have a get_config() method.")
        objects = _custom.get_custom_objects()
        if registered_name in objects:
            raise ValueError(
                f"{registered_name} has already been registered to {objects[registered_name]}"
            )
        if arg in _custom.REGISTERED_NAMES:
            raise ValueError(
                f"{arg} has already been registered to {_custom.REGISTERED_NAMES[arg]}"
            )
        objects[registered_name] = arg
        _custom.REGISTERED_NAMES[arg] = registered_name
        return arg

    return decorator


def get_registered_name(obj) -> str:
    """The name ``obj`` is serialized under: its registered name, else its own."""
    return _custom.REGISTERED_NAMES.get(obj, getattr(obj, "__name__", None))


def get_registered_object(name, custom_objects=None, module_objects=None):
    """The object registered (or in ``custom_objects``/``module_objects``) as ``name``, or
    ``None``."""
    for table in (_custom.get_custom_objects(), custom_objects or {}, module_objects or {}):
        if name in table:
            return table[name]
    return None


def serialize_keras_object(instance):
    """``{"class_name": ..., "config": instance.get_config()}`` for an object with a config,
    the registered name of a function or class, ``None`` for ``None``."""
    if instance is None:
        return None
    if hasattr(instance, "get_config") and not inspect.isclass(instance):
        name = get_registered_name(type(instance))
        try:
            config = instance.get_config()
        except NotImplementedError as error:
            raise NotImplementedError(
                f"Layer {type(instance).__name__} has arguments that cannot be serialized: "
                "override `get_config()` to save it."
            ) from error
        return {"class_name": name, "config": {k: config_value(v) for k, v in config.items()}}
    if hasattr(instance, "__name__"):
        return get_registered_name(instance)
    raise ValueError(f"Cannot serialize {instance} since it doesn't implement `get_config()`.")


def config_value(value):
    """``value`` as a config holds it: plain Python values as they are (NumPy scalars as
    Python numbers), objects and functions serialized."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, list | tuple):
        return type(value)(config_value(v) for v in value)
    if isinstance(value, dict):
        return {k: config_value(v) for k, v in value.items()}
    return serialize_keras_object(value)


def deserialize_keras_object(
    identifier, module_objects=None, custom_objects=None, printable_module_name="object"
):
    """The object a config (``{"class_name", "config"}``) or name describes: its class is
    looked up in ``custom_objects``, the registered objects, then ``module_objects``; a
    class given by name alone is instantiated without arguments."""
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        if "class_name" not in identifier or "config" not in identifier:
            raise ValueError(f"Improper config format for {identifier}.")
        cls = _lookup(identifier["class_name"], module_objects, custom_objects)
        if cls is None:
            raise ValueError(_unknown(printable_module_name, identifier["class_name"]))
        config = identifier["config"]
        with _custom.custom_object_scope(custom_objects or {}):
            if hasattr(cls, "from_config"):
                if "custom_objects" in inspect.signature(cls.from_config).parameters:
                    return cls.from_config(config, custom_objects=custom_objects)
                return cls.from_config(config)
            return cls(**config)
    if isinstance(identifier, str):
        obj = _lookup(identifier, module_objects, custom_objects)
        if obj is None:
            raise ValueError(_unknown(printable_module_name, identifier))
        return obj() if inspect.isclass(obj) else obj
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret serialized {printable_module_name}: {identifier}")


def func_dump(func) -> tuple:
    """A Python function as TF's Keras saves a ``Lambda``'s: its code (marshal, base64),
    defaults and closure values. Loads back only in the same Python version."""
    code = codecs.encode(marshal.dumps(func.__code__), "base64").decode("ascii")
    closure = tuple(c.cell_contents for c in func.__closure__) if func.__closure__ else None
    return code, func.__defaults__, closure


def func_load(code, defaults=None, closure=None, globs=None):
    """The function ``func_dump`` gave (``globs``: the names its code refers to)."""
    if isinstance(code, list | tuple):
        code, defaults, closure = code
    defaults = tuple(defaults) if isinstance(defaults, list) else defaults
    if closure is not None:
        closure = tuple(_cell(value) for value in closure)
    raw = codecs.decode(code.encode("ascii"), "base64")
    try:
        loaded = marshal.loads(raw)
    except (ValueError, EOFError, TypeError) as error:
        raise ValueError(
            "Cannot load the Python code of a Lambda layer: it was saved by another Python "
            f"version ({error}). Rebuild the layer in code and load the weights instead."
        ) from error
    return types.FunctionType(loaded, globs or {}, loaded.co_name, defaults, closure)


def _cell(value):
    return (lambda: value).__closure__[0]


def _lookup(name: str, module_objects, custom_objects):
    for table in (custom_objects or {}, _custom.get_custom_objects(), module_objects or {}):
        if name in table:
            return table[name]
    return None


def _unknown(kind: str, name: str) -> str:
    return (
        f"Unknown {kind}: '{name}'. Please ensure you are using a "
        "`keras.utils.custom_object_scope` and that this object is included in the scope. "
        "See https://www.tensorflow.org/guide/keras/save_and_serialize"
        "#registering_the_custom_object for details."
    )


__all__ = [
    "config_value",
    "deserialize_keras_object",
    "func_dump",
    "func_load",
    "get_registered_name",
    "get_registered_object",
    "register_keras_serializable",
    "serialize_keras_object",
]
