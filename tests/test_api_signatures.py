"""Parameter names, in order, of public functions and classes whose signatures were made
TF's (``tensorflow.compat.v1`` 2.21, tf_keras): TF1 code passes them by keyword or by
position."""

import inspect

import pytest

import scopeflow as tf

_RED = ["reduction", "name"]
SIGNATURES = {
    "keras.losses.BinaryCrossentropy": ["from_logits", "label_smoothing", "axis", *_RED],
    "keras.losses.CategoricalCrossentropy": ["from_logits", "label_smoothing", "axis", *_RED],
    "keras.losses.SparseCategoricalCrossentropy": ["from_logits", "ignore_class", *_RED],
    "keras.losses.BinaryFocalCrossentropy": [
        "apply_class_balancing",
        "alpha",
        "gamma",
        "from_logits",
        "label_smoothing",
        "axis",
        *_RED,
    ],
    "keras.losses.CategoricalFocalCrossentropy": [
        "alpha",
        "gamma",
        "from_logits",
        "label_smoothing",
        "axis",
        *_RED,
    ],
    "keras.losses.CosineSimilarity": ["axis", *_RED],
    "keras.losses.Huber": ["delta", *_RED],
    "keras.losses.MeanSquaredError": _RED,
    "keras.losses.Loss": _RED,
    "keras.losses.binary_crossentropy": [
        "y_true",
        "y_pred",
        "from_logits",
        "label_smoothing",
        "axis",
    ],
    "keras.losses.categorical_crossentropy": [
        "y_true",
        "y_pred",
        "from_logits",
        "label_smoothing",
        "axis",
    ],
    "keras.losses.sparse_categorical_crossentropy": [
        "y_true",
        "y_pred",
        "from_logits",
        "axis",
        "ignore_class",
    ],
}


def _resolve(path: str):
    obj = tf
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


@pytest.mark.parametrize("path", sorted(SIGNATURES))
def test_parameter_names_are_tfs(path):
    names = [p for p in inspect.signature(_resolve(path)).parameters if p != "self"]
    assert names == SIGNATURES[path]
