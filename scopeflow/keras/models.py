"""``tf.keras.models``: ``Sequential``, ``Model``, whole models in TF's Keras HDF5 format
(``save_model``, ``load_model``), models from configs (``model_from_config``,
``model_from_json``) and ``clone_model``."""

from __future__ import annotations

import os

from scopeflow.keras import hdf5_format
from scopeflow.keras.linear_model import LinearModel, WideDeepModel
from scopeflow.keras.model_config import (
    clone_model,
    model_from_config,
    model_from_json,
    model_from_yaml,
)
from scopeflow.keras.network import Model, Sequential


def load_model(filepath, custom_objects=None, compile=True, options=None):  # noqa: A002
    """The model ``Model.save`` wrote to an HDF5 file (here or in TF's Keras): its layers,
    weights and, with ``compile``, its ``compile`` arguments and optimizer state.

    >>> import os, tempfile, numpy as np, scopeflow as tf
    >>> path = os.path.join(tempfile.mkdtemp(), "m.h5")
    >>> with tf.Graph().as_default():
    ...     model = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(3,))])
    ...     model.save(path)
    ...     before = model.predict(np.ones((1, 3)))
    >>> with tf.Graph().as_default():
    ...     after = tf.keras.models.load_model(path, compile=False).predict(np.ones((1, 3)))
    >>> bool(np.allclose(before, after))
    True
    """
    if isinstance(filepath, (str, os.PathLike)) and not os.path.exists(filepath):
        raise OSError(f"No file or directory found at {os.fspath(filepath)}")  # as TF 2.21
    if not hdf5_format.is_h5(filepath):
        raise NotImplementedError(
            f"load_model({filepath!r}): only HDF5 files are supported by scopeflow (a path "
            "ending in '.h5'); a SavedModel directory loads with tf.saved_model.loader.load."
        )
    return hdf5_format.load_model(filepath, custom_objects, compile)


def save_model(
    model,
    filepath,
    overwrite=True,
    include_optimizer=True,
    save_format=None,
    signatures=None,
    options=None,
    save_traces=True,
):
    """``model.save(filepath, ...)``: the whole model as an HDF5 file."""
    model.save(
        filepath, overwrite, include_optimizer, save_format, signatures, options, save_traces
    )


__all__ = [
    "LinearModel",
    "Model",
    "Sequential",
    "WideDeepModel",
    "clone_model",
    "load_model",
    "model_from_config",
    "model_from_json",
    "model_from_yaml",
    "save_model",
]
