"""``tf.keras.models``: ``Sequential``, ``Model``; saving whole models is not provided."""

from __future__ import annotations

from scopeflow.keras.network import Model, Sequential


def load_model(filepath, custom_objects=None, compile=True):  # noqa: A002 - Keras's name
    """Not provided: whole-model files (HDF5, SavedModel) are not read."""
    raise NotImplementedError(
        "tf.keras.models.load_model is not supported: rebuild the model in code and call "
        "model.load_weights(path) on a checkpoint written by save_weights."
    )


def save_model(model, filepath, *args, **kwargs):
    """Not provided: use ``model.save_weights``."""
    model.save(filepath)


__all__ = ["Model", "Sequential", "load_model", "save_model"]
