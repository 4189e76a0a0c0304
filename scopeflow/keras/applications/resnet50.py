"""``tf.keras.applications.resnet50``: ``ResNet50`` and its preprocessing (as ``resnet``)."""

from __future__ import annotations

from scopeflow.keras.applications.resnet import ResNet50, decode_predictions, preprocess_input

__all__ = ["ResNet50", "decode_predictions", "preprocess_input"]
