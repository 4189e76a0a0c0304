"""Keras's process-wide settings (``tf.keras.backend.floatx``, ``epsilon``,
``image_data_format``), changed only through their setters, as TF1's Keras keeps them.

>>> import scopeflow as tf
>>> tf.keras.backend.floatx(), tf.keras.backend.epsilon()
('float32', 1e-07)
"""

from __future__ import annotations

_CONFIG = {
    "floatx": "float32",
    "epsilon": 1e-7,
    "image_data_format": "channels_last",
    "v2_dtype_behavior": False,
}


def floatx() -> str:
    """The default float type of Keras's weights and inputs (``'float32'``)."""
    return _CONFIG["floatx"]


def set_floatx(value: str) -> None:
    """Sets ``floatx()`` (``'float16'``, ``'float32'`` or ``'float64'``)."""
    if value not in {"float16", "float32", "float64"}:
        raise ValueError(
            f"Unknown `floatx` value: {value}. Expected one of {{'float64', 'float32', 'float16'}}"
        )
    _CONFIG["floatx"] = str(value)


def epsilon() -> float:
    """The fuzz factor Keras adds to avoid dividing by zero (``1e-7``)."""
    return _CONFIG["epsilon"]


def set_epsilon(value: float) -> None:
    """Sets ``epsilon()``."""
    _CONFIG["epsilon"] = float(value)


def image_data_format() -> str:
    """``'channels_last'``: scopeflow's convolutions take NHWC images."""
    return _CONFIG["image_data_format"]


def set_image_data_format(data_format: str) -> None:
    """Only ``'channels_last'`` is supported."""
    if data_format != "channels_last":
        raise NotImplementedError(
            f"image_data_format {data_format!r} is not supported: scopeflow's layers take "
            "NHWC images. Keep 'channels_last' and tf.transpose NCHW inputs."
        )


def v2_dtype_behavior() -> bool:
    """Whether layers take ``floatx()`` as their dtype and cast floating inputs to it (TF2's
    dtype behaviour; off in TF1, where a layer takes its first input's dtype)."""
    return _CONFIG["v2_dtype_behavior"]


def enable_v2_dtype_behavior() -> None:
    """``tf.keras.layers.enable_v2_dtype_behavior``: layers made from now on default to
    ``floatx()`` and autocast floating inputs to their dtype."""
    _CONFIG["v2_dtype_behavior"] = True


def disable_v2_dtype_behavior() -> None:
    """``tf.keras.layers.disable_v2_dtype_behavior``: TF1's behaviour (the default)."""
    _CONFIG["v2_dtype_behavior"] = False
