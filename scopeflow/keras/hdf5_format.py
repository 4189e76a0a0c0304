"""Whole models and weights in TF's Keras HDF5 layout (``Model.save("m.h5")``,
``tf.keras.models.load_model``, ``save_weights``/``load_weights`` on ``.h5`` paths), read and
written with h5py (the optional extra ``scopeflow[h5]``, imported when a file is opened).

The file's attributes hold ``model_config`` (``to_json``'s dictionary), ``training_config``
(the ``compile`` arguments and the optimizer's config), ``keras_version`` and ``backend``;
group ``model_weights`` holds one group per layer, in ``layer_names`` order, with its
``weight_names`` (``dense/kernel:0``...) and a dataset per weight at that path; group
``optimizer_weights`` holds the optimizer's step count and slots
(``training/Adam/dense/kernel/m:0``). Files TF's Keras writes load here, and the other way
round. Weights load by position (layers with weights, in order) or ``by_name``; the optimizer's
values wait until ``fit`` has made its variables.
"""

from __future__ import annotations

import contextlib
import json
import os
import warnings

import numpy as np

from scopeflow.keras import backend, model_config, optimizers
from scopeflow.keras import losses as losses_module
from scopeflow.keras import metrics as metrics_module
from scopeflow.keras.serialization import config_value, serialize_keras_object

_H5_SUFFIXES = (".h5", ".hdf5")
_HEADER_LIMIT = 64512  # HDF5's object header: longer attributes are split in chunks


def _h5py():
    try:
        import h5py  # noqa: PLC0415 - optional dependency, imported when used
    except ImportError as error:
        raise ImportError(
            "`save_model()`/`load_model()` using h5 format requires h5py. Could not import "
            "h5py: install scopeflow[h5] (pip install h5py)."
        ) from error
    return h5py


def _open(h5py, filepath, mode: str):
    """An open ``h5py.File`` as it is (left open), else the file at ``filepath``."""
    if isinstance(filepath, h5py.Group):
        return contextlib.nullcontext(filepath)
    return h5py.File(filepath, mode)


def is_h5(filepath, save_format=None) -> bool:
    """Whether ``filepath`` (or ``save_format``) names TF's Keras HDF5 format."""
    if save_format is not None:
        return save_format == "h5"
    return (
        os.fspath(filepath).endswith(_H5_SUFFIXES)
        if isinstance(filepath, str | os.PathLike)
        else True
    )


# -- attributes ------------------------------------------------------------------------------


def _save_names(group, name: str, values: list) -> None:
    data = np.asarray([v.encode("utf8") for v in values])
    chunks = 1
    while data.nbytes / chunks > _HEADER_LIMIT:
        chunks += 1
    if chunks == 1:
        group.attrs[name] = data
        return
    for index, chunk in enumerate(np.array_split(data, chunks)):
        group.attrs[f"{name}{index}"] = chunk


def _load_names(group, name: str) -> list:
    if name in group.attrs:
        raw = list(group.attrs[name])
    else:
        raw, index = [], 0
        while f"{name}{index}" in group.attrs:
            raw.extend(group.attrs[f"{name}{index}"])
            index += 1
    return [v.decode("utf8") if isinstance(v, bytes) else str(v) for v in raw]


def _text(value) -> str | None:
    return value.decode("utf8") if isinstance(value, bytes) else value


# -- weights ---------------------------------------------------------------------------------


def _layer_weights(layer) -> list:
    return list(layer.trainable_weights) + list(layer.non_trainable_weights)


def save_weights_to_group(group, model) -> None:
    """Writes each layer's weights as a subgroup of ``group`` (TF's ``model_weights``)."""
    _save_names(group, "layer_names", [layer.name for layer in model.layers])
    group.attrs["backend"] = b"tensorflow"
    group.attrs["keras_version"] = model_config.KERAS_VERSION.encode("utf8")
    for layer in sorted(model.layers, key=lambda layer: layer.name):
        _save_subset(group.create_group(layer.name), _layer_weights(layer))
    _save_subset(group.create_group("top_level_model_weights"), [])


def _save_subset(group, weights: list) -> None:
    values = backend.batch_get_value(weights)
    _save_names(group, "weight_names", [w.name for w in weights])
    for weight, value in zip(weights, values, strict=True):
        value = np.asarray(value)
        dataset = group.create_dataset(weight.name, value.shape, dtype=value.dtype)
        dataset[()] = value


def _load_subset(group) -> list:
    return [np.asarray(group[name]) for name in _load_names(group, "weight_names")]


def load_weights_from_group(group, model) -> None:
    """Loads ``group``'s weights into ``model``'s layers that have weights, in order."""
    layers = [layer for layer in model.layers if _layer_weights(layer)]
    names = [n for n in _load_names(group, "layer_names") if _load_names(group[n], "weight_names")]
    if len(names) != len(layers):
        raise ValueError(
            "Layer count mismatch when loading weights from file. Model expected "
            f"{len(layers)} layers, found {len(names)} saved layers."
        )
    pairs = []
    for k, (name, layer) in enumerate(zip(names, layers, strict=True)):
        weights, values = _layer_weights(layer), _load_subset(group[name])
        if len(values) != len(weights):
            raise ValueError(
                f"Weight count mismatch for layer #{k} (named {layer.name} in the current "
                f"model, {name} in the save file). Layer expects {len(weights)} weight(s). "
                f"Received {len(values)} saved weight(s)"
            )
        pairs += _checked(k, layer, weights, values, skip_mismatch=False)
    backend.batch_set_value(pairs)


def load_weights_from_group_by_name(group, model, skip_mismatch=False) -> None:
    """Loads the weights of each layer of ``model`` whose name has a group in ``group``."""
    index: dict = {}
    for layer in model.layers:
        index.setdefault(layer.name, []).append(layer)
    pairs = []
    for k, name in enumerate(_load_names(group, "layer_names")):
        values = _load_subset(group[name])
        for layer in index.get(name, []):
            weights = _layer_weights(layer)
            if len(values) != len(weights):
                message = (
                    f"Weight count mismatch for layer #{k} (named {layer.name}). Layer expects "
                    f"{len(weights)} weight(s). Received {len(values)} saved weight(s)"
                )
                if not skip_mismatch:
                    raise ValueError(message)
                warnings.warn(f"Skipping loading of weights: {message}", stacklevel=2)
                continue
            pairs += _checked(k, layer, weights, values, skip_mismatch)
    backend.batch_set_value(pairs)


def _checked(k: int, layer, weights: list, values: list, skip_mismatch: bool) -> list:
    pairs = []
    for weight, value in zip(weights, values, strict=True):
        want = tuple(weight.shape.as_list())
        if want == value.shape:
            pairs.append((weight, value))
            continue
        message = (
            f"Shape mismatch in layer #{k} (named {layer.name}) for weight {weight.name}. "
            f"Weight expects shape {want}. Received saved weight with shape {value.shape}"
        )
        if not skip_mismatch:
            raise ValueError(message)
        warnings.warn(f"Skipping loading weights: {message}", stacklevel=2)
    return pairs


def save_weights(model, filepath, overwrite=True) -> None:
    """``model.save_weights`` for an HDF5 path: ``model_weights``'s layout at the root."""
    h5py = _h5py()
    if not overwrite and not isinstance(filepath, h5py.Group) and os.path.isfile(filepath):
        return
    with _open(h5py, filepath, "w") as f:
        save_weights_to_group(f, model)


def load_weights(model, filepath, by_name=False, skip_mismatch=False) -> None:
    """``model.load_weights`` for an HDF5 file (weights only, or a whole saved model)."""
    if skip_mismatch and not by_name:
        raise ValueError(
            "When calling model.load_weights, skip_mismatch can only be set to "
            "True when by_name is True."
        )
    with _open(_h5py(), filepath, "r") as f:
        group = f["model_weights"] if "layer_names" not in f.attrs and "model_weights" in f else f
        if by_name:
            load_weights_from_group_by_name(group, model, skip_mismatch)
        else:
            load_weights_from_group(group, model)


# -- whole models ----------------------------------------------------------------------------


def optimizer_weights(optimizer) -> list:
    """The optimizer's variables TF's Keras saves: its step count and slots, in order."""
    hyper = {id(v) for v in getattr(optimizer, "_hyper_variables", {}).values()}
    return [v for v in optimizer.weights if id(v) not in hyper]


def training_config(model) -> dict:
    """``compile``'s arguments as TF's Keras saves them (``training_config``)."""
    metrics, loss_weights = model._compile_args
    return {
        "loss": config_value(model.loss),
        "metrics": config_value(metrics),
        "loss_weights": config_value(loss_weights),
        "sample_weight_mode": config_value(model.sample_weight_mode),
        "weighted_metrics": config_value(model._weighted_metrics),
        "optimizer_config": serialize_keras_object(model.optimizer),
    }


def save_model(model, filepath, overwrite=True, include_optimizer=True, save_format=None):
    """``Model.save``: the whole model as TF's Keras HDF5 file."""
    if not is_h5(filepath, save_format):
        raise NotImplementedError(
            "Model.save in the SavedModel (or '.keras') format is not supported by scopeflow; "
            "save as HDF5 (a path ending in '.h5', or save_format='h5'), or use "
            "tf.saved_model.simple_save with tf.keras.backend.get_session()."
        )
    h5py = _h5py()
    if not isinstance(filepath, h5py.Group):
        if not overwrite and os.path.isfile(filepath):
            return
        os.makedirs(os.path.dirname(os.path.abspath(filepath)), exist_ok=True)
    with _open(h5py, filepath, "w") as f:
        f.attrs["backend"] = b"tensorflow"
        f.attrs["keras_version"] = model_config.KERAS_VERSION.encode("utf8")
        config = model_config.serialize(model)
        f.attrs["model_config"] = json.dumps(config).encode("utf8")
        compiled = include_optimizer and model.optimizer is not None
        if compiled and isinstance(model.optimizer, optimizers.TFOptimizer):
            warnings.warn(
                "TensorFlow optimizers do not make it possible to access optimizer attributes "
                "or optimizer state after instantiation. As a result, we cannot save the "
                "optimizer as part of the model save file. You will have to compile your "
                "model again after loading it. Prefer using a TF-Keras optimizer instead "
                "(see keras.io/optimizers).",
                stacklevel=3,
            )
            compiled = False
        if compiled:
            f.attrs["training_config"] = json.dumps(training_config(model)).encode("utf8")
        save_weights_to_group(f.create_group("model_weights"), model)
        weights = optimizer_weights(model.optimizer) if compiled else []
        if weights:
            group = f.create_group("optimizer_weights")
            _save_subset(group, weights)


def load_model(filepath, custom_objects=None, compile=True):  # noqa: A002 - Keras's name
    """A model saved by ``Model.save`` (here or in TF's Keras) as an HDF5 file: rebuilt from
    its config, its weights loaded, compiled as it was (``compile=True``) with the
    optimizer's state restored at the first training step."""
    h5py = _h5py()
    with _open(h5py, filepath, "r") as f:
        config = _text(f.attrs.get("model_config"))
        if config is None:
            raise ValueError(f"No model config found in the file at {filepath}.")
        model = model_config.model_from_config(json.loads(config), custom_objects)
        load_weights_from_group(f["model_weights"], model)
        training = _text(f.attrs.get("training_config"))
        if not compile:
            return model
        if training is None:
            warnings.warn(
                "No training configuration found in the save file, so the model was *not* "
                "compiled. Compile it manually.",
                stacklevel=2,
            )
            return model
        _compile_from(model, json.loads(training), custom_objects)
        if "optimizer_weights" in f:
            model._pending_optimizer_values = _load_subset(f["optimizer_weights"])
    return model


def _compile_from(model, config: dict, custom_objects) -> None:
    optimizer = optimizers.deserialize(config["optimizer_config"], custom_objects)
    model.compile(  # sample_weight_mode is saved but, as by TF's loader, not restored
        optimizer=optimizer,
        loss=_deserialized_loss(config["loss"], custom_objects),
        metrics=_deserialized_metrics(config.get("metrics"), custom_objects),
        loss_weights=config.get("loss_weights"),
        weighted_metrics=_deserialized_metrics(config.get("weighted_metrics"), custom_objects),
        from_serialized=True,
    )


def _deserialized_metrics(metrics, custom_objects):
    """Metric objects' configs as objects, per output as given; names stay names."""
    if isinstance(metrics, dict) and "class_name" in metrics:
        return metrics_module.deserialize(metrics, custom_objects)
    if isinstance(metrics, dict):
        return {k: _deserialized_metrics(v, custom_objects) for k, v in metrics.items()}
    if isinstance(metrics, list):
        return [_deserialized_metrics(m, custom_objects) for m in metrics]
    return metrics


def _deserialized_loss(loss, custom_objects):
    """Loss objects' configs as objects, names as the functions they name (``"mse"``:
    ``mean_squared_error``), as TF's loader gives ``model.loss``."""
    if isinstance(loss, dict) and "class_name" not in loss:
        return {k: _deserialized_loss(v, custom_objects) for k, v in loss.items()}
    if isinstance(loss, list):
        return [_deserialized_loss(v, custom_objects) for v in loss]
    if isinstance(loss, str) and loss not in (custom_objects or {}):
        return losses_module.get(loss)
    return losses_module.deserialize(loss, custom_objects)
