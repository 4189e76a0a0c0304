"""Records what TensorFlow's Keras builds and computes for ``tf.keras.applications``, for
tests/keras/applications/test_applications.py.

Run with a Python that has TensorFlow and tf_keras (TF1.15's Keras, in compat.v1 graph
mode)::

    /tmp/tfref/bin/python tools/keras_applications_reference.py

It writes ``tests/data/keras_applications.json``:

* ``structures``: for each model expression (``A`` is ``tf.keras.applications``), the
  model's name, its layers (name and class), its weights (name and shape), parameter counts,
  input and output names and shapes, and ``digest``, the SHA-1 of all of that;
* ``values``: for a few small models, the weights set to ``fill``'s values (the same formula
  in the test), ``predict`` on ``image()`` after the family's ``preprocess_input``;
* ``preprocess``: each family's ``preprocess_input`` of ``image()``, NumPy and symbolic;
* ``errors``: the type and message of the argument checks.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent.parent / "tests/data/keras_applications.json"

# model expression -> whether the default test suite builds it (the rest are built only with
# SCOPEFLOW_SLOW_TESTS=1: they repeat the same blocks deeper or wider).
STRUCTURES = {
    "A.VGG16(weights=None)": True,
    "A.VGG19(weights=None, include_top=False, input_shape=(32, 32, 3), pooling='max')": True,
    "A.ResNet50(weights=None, input_shape=(32, 32, 3), include_top=False, pooling='avg')": True,
    "A.ResNet50(weights=None, classes=10, classifier_activation=None)": False,
    "A.ResNet101(weights=None, input_shape=(32, 32, 3), include_top=False)": False,
    "A.ResNet152(weights=None, input_shape=(32, 32, 3), include_top=False)": False,
    "A.ResNet50V2(weights=None, input_shape=(32, 32, 3), include_top=False, pooling='max')": True,
    "A.ResNet101V2(weights=None, input_shape=(32, 32, 3), include_top=False)": False,
    "A.ResNet152V2(weights=None, classes=7)": False,
    "A.MobileNet(weights=None)": True,
    "A.MobileNet(weights=None, input_shape=(32, 32, 3), alpha=0.25, depth_multiplier=2, "
    "include_top=False, pooling='avg')": False,
    "A.MobileNetV2(weights=None)": False,
    "A.MobileNetV2(weights=None, input_shape=(33, 35, 3), alpha=1.4, include_top=False)": False,
    "A.MobileNetV2(weights=None, input_shape=(32, 32, 3), alpha=0.35, include_top=False, "
    "pooling='avg')": True,
    "A.InceptionV3(weights=None)": False,
    "A.InceptionV3(weights=None, input_shape=(75, 75, 3), include_top=False, pooling='avg')": True,
    "A.Xception(weights=None)": False,
    "A.Xception(weights=None, input_shape=(71, 71, 3), include_top=False)": True,
    "A.DenseNet121(weights=None)": True,
    "A.DenseNet169(weights=None, input_shape=(32, 32, 3), include_top=False, pooling='max')": False,
    "A.DenseNet201(weights=None, input_shape=(32, 32, 3), include_top=False)": False,
    "A.NASNetMobile(weights=None)": False,
    "A.EfficientNetB0(weights=None, input_shape=(32, 32, 3), include_top=False)": False,
    "A.EfficientNetB0(weights=None)": False,
    "A.EfficientNetB3(weights=None, input_shape=(32, 32, 3), include_top=False)": False,
    "A.EfficientNetB7(weights=None, input_shape=(32, 32, 3), pooling='max')": False,
    "A.InceptionResNetV2(weights=None, input_shape=(75, 75, 3), include_top=False)": False,
    "A.InceptionResNetV2(weights=None, classes=2)": False,
    "A.NASNetLarge(weights=None, input_shape=(32, 32, 3), include_top=False, pooling='max')": False,
    "A.EfficientNetV2B0(weights=None, input_shape=(32, 32, 3), classes=10)": True,
    "A.EfficientNetV2B0(weights=None)": False,
    "A.EfficientNetV2B3(weights=None, input_shape=(32, 32, 1), include_top=False, "
    "pooling='max')": False,
    "A.EfficientNetV2S(weights=None, input_shape=(32, 32, 3), include_top=False)": False,
    "A.EfficientNetV2M(weights=None, input_shape=(32, 32, 3), include_preprocessing=False, "
    "include_top=False)": False,
    "A.EfficientNetV2L(weights=None, input_shape=(32, 32, 3), pooling='avg', "
    "include_top=False)": False,
    "A.ResNetRS50(weights=None, input_shape=(32, 32, 3), classes=10)": True,
    "A.ResNetRS50(weights=None)": False,
    "A.ResNetRS101(weights=None, input_shape=(32, 32, 1), include_top=False, pooling='avg')": False,
    "A.ResNetRS152(weights=None, input_shape=(32, 32, 3), include_top=False)": False,
    "A.ResNetRS200(weights=None, input_shape=(32, 32, 3), include_top=False)": False,
    "A.ResNetRS270(weights=None, input_shape=(32, 32, 3), include_top=False)": False,
    "A.ResNetRS350(weights=None, input_shape=(32, 32, 3), include_top=False)": False,
    "A.ResNetRS420(weights=None, input_shape=(32, 32, 3), include_preprocessing=False, "
    "include_top=False)": False,
    "A.MobileNetV3Small(weights=None, input_shape=(32, 32, 3), alpha=0.75, classes=10)": True,
    "A.MobileNetV3Large(weights=None)": False,
    "A.MobileNetV3Large(weights=None, input_shape=(64, 48, 3), minimalistic=True, "
    "include_top=False, pooling='max')": False,
    "A.MobileNetV3Small(weights=None, alpha=1.25, include_top=False, "
    "include_preprocessing=False)": False,
    "A.ConvNeXtTiny(weights=None, input_shape=(32, 32, 3), classes=10)": True,
    "A.ConvNeXtTiny(weights=None)": False,
    "A.ConvNeXtSmall(weights=None, input_shape=(32, 32, 3), include_top=False, "
    "pooling='avg')": False,
    "A.ConvNeXtBase(weights=None, input_shape=(32, 32, 1), include_top=False)": False,
    "A.ConvNeXtLarge(weights=None, input_shape=(32, 32, 3), include_top=False, pooling='max', "
    "include_preprocessing=False)": False,
    "A.ConvNeXtXLarge(weights=None, input_shape=(32, 32, 3), include_top=False)": False,
    "A.RegNetY002(weights=None, input_shape=(32, 32, 3), classes=10)": True,
    "A.RegNetX002(weights=None, input_shape=(32, 32, 3), include_top=False, pooling='avg')": True,
    "A.RegNetX002(weights=None)": False,
    "A.RegNetY002(weights=None)": False,
    **{
        f"A.RegNet{kind}{size}(weights=None, input_shape=(32, 32, 3), include_top=False)": False
        for kind in "XY"
        for size in ("004", "006", "008", "016", "032", "040", "064", "080", "120", "160")
    },
    "A.RegNetX320(weights=None, input_shape=(32, 32, 3), include_top=False, "
    "include_preprocessing=False)": False,
    "A.RegNetY320(weights=None, input_shape=(32, 32, 1), include_top=False, pooling='max')": False,
    # A second model in the same graph: its layers', weights' and TF ops' names go on counting.
    "[A.RegNetY002(weights=None, input_shape=(32, 32, 3)) for _ in range(2)][1]": True,
    "[A.MobileNetV3Small(weights=None, input_shape=(32, 32, 3)) for _ in range(2)][1]": False,
    "[A.ConvNeXtTiny(weights=None, input_shape=(32, 32, 3), include_top=False) "
    "for _ in range(2)][1]": False,
    "[A.ResNetRS50(weights=None, input_shape=(32, 32, 3), include_top=False) "
    "for _ in range(2)][1]": False,
    "[A.EfficientNetV2B0(weights=None, input_shape=(32, 32, 3), include_top=False) "
    "for _ in range(2)][1]": False,
}
# (model expression, preprocessing module) whose predictions are recorded.
VALUES = [
    ("A.MobileNetV2(weights=None, input_shape=(32, 32, 3), alpha=0.35, classes=5)", "mobilenet_v2"),
    ("A.MobileNet(weights=None, input_shape=(32, 32, 3), alpha=0.25, classes=4, "
     "classifier_activation=None)", "mobilenet"),
    ("A.ResNet50(weights=None, input_shape=(32, 32, 3), include_top=False, pooling='avg')",
     "resnet"),
    ("A.Xception(weights=None, input_shape=(71, 71, 3), include_top=False, pooling='max')",
     "xception"),
    ("A.DenseNet121(weights=None, input_shape=(32, 32, 3), classes=3)", "densenet"),
    ("A.EfficientNetB0(weights=None, input_shape=(32, 32, 3), classes=3)", "efficientnet"),
    ("A.InceptionResNetV2(weights=None, input_shape=(75, 75, 3), include_top=False, "
     "pooling='avg')", "inception_resnet_v2"),
    ("A.EfficientNetV2B0(weights=None, input_shape=(32, 32, 3), classes=3)", "efficientnet_v2"),
    ("A.EfficientNetV2S(weights=None, input_shape=(32, 32, 3), include_top=False, "
     "pooling='avg')", "efficientnet_v2"),
    ("A.ResNetRS50(weights=None, input_shape=(32, 32, 3), classes=3)", "resnet_rs"),
    ("A.MobileNetV3Small(weights=None, input_shape=(32, 32, 3), alpha=0.75, classes=5)",
     "mobilenet_v3"),
    ("A.MobileNetV3Large(weights=None, input_shape=(32, 32, 3), minimalistic=True, "
     "include_top=False, pooling='avg')", "mobilenet_v3"),
    ("A.ConvNeXtTiny(weights=None, input_shape=(32, 32, 3), classes=3)", "convnext"),
    ("A.RegNetY002(weights=None, input_shape=(32, 32, 3), classes=3)", "regnet"),
    ("A.RegNetX002(weights=None, input_shape=(32, 32, 3), include_top=False, pooling='max')",
     "regnet"),
]  # fmt: skip
PREPROCESS = ["vgg16", "resnet", "resnet_v2", "densenet", "mobilenet", "inception_v3"]
PREPROCESS += ["efficientnet", "inception_resnet_v2", "efficientnet_v2", "resnet_rs"]
PREPROCESS += ["mobilenet_v3", "convnext", "regnet"]
ERRORS = [
    "A.VGG16(weights=None, include_top=False, input_shape=(16, 16, 3))",
    "A.InceptionV3(weights=None, input_shape=(74, 99, 3), include_top=False)",
    "A.VGG16(weights=None, include_top=True, input_shape=(None, None, 3))",
    "A.ResNet50(weights=None, input_shape=(32, 32))",
    "A.VGG19(weights='/no/such/file.h5')",
    "A.ResNet50V2(weights='imagenet', classes=10)",
    "A.MobileNet(weights='imagenet', input_shape=(224, 224, 3), include_top=True, "
    "classifier_activation='relu', classes=1000, alpha=0.3)",
    "A.ResNetRS50(weights='imagenet-i224')",
    "A.ResNetRS101(weights='imagenet', classes=10)",
    "A.MobileNetV3Small(weights=None, input_shape=(16, 32, 3))",
    "A.MobileNetV3Large(weights='imagenet', classes=10)",
    "A.ConvNeXtTiny(weights='imagenet', classes=10)",
    "A.ConvNeXtBase(weights='/no/such/file.h5')",
    "A.RegNetX008(weights='imagenet', classes=10)",
    "A.RegNetY008(weights=None, input_shape=(16, 64, 3), include_top=False)",
    "A.imagenet_utils.preprocess_input(np.zeros((1, 2, 2, 3)), mode='caffe2')",
    "A.imagenet_utils.preprocess_input(np.zeros((1, 2, 2, 3)), data_format='nhwc')",
    "A.imagenet_utils.decode_predictions(np.zeros((2, 10)))",
]


def image(shape) -> np.ndarray:
    """Deterministic pixel values in [0, 255]."""
    return (127.5 + 127.5 * np.sin(np.arange(int(np.prod(shape))) * 0.37)).reshape(shape)


def fill(name: str, shape, index: int) -> np.ndarray:
    """Deterministic weights for the ``index``-th weight ``name`` that keep activations in
    range through a deep network (the test sets the same)."""
    t = np.sin(np.arange(int(np.prod(shape))) * 0.7 + index).reshape(shape)
    if name.endswith("/count:0"):
        return np.zeros(shape)
    if "variance" in name:
        return 1.0 + 0.5 * np.abs(t)
    if "gamma" in name:
        return 1.0 + 0.1 * t
    if len(shape) > 1:
        fan_in = np.prod(shape[:2]) if "depthwise" in name else np.prod(shape[:-1])
        return t / np.sqrt(fan_in)
    return 0.1 * t


def structure(model) -> dict:
    record = {
        "name": model.name,
        "layers": [[layer.name, type(layer).__name__] for layer in model.layers],
        "weights": [[w.name, w.shape.as_list()] for w in model.weights],
        "params": int(model.count_params()),
        "trainable": int(sum(np.prod(w.shape.as_list()) for w in model.trainable_weights)),
        "inputs": [[t.name, t.shape.as_list()] for t in model.inputs],
        "outputs": [[t.name, t.shape.as_list()] for t in model.outputs],
    }
    record["digest"] = hashlib.sha1(json.dumps(record, sort_keys=True).encode()).hexdigest()
    return record


def main() -> None:
    os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow.compat.v1 as tf

    tf.disable_v2_behavior()
    A = tf.keras.applications  # noqa: N806 - the expressions' name (eval)
    out: dict = {"structures": {}, "values": {}, "preprocess": {}, "errors": {}}
    for expr, default in STRUCTURES.items():
        with tf.Graph().as_default():
            record = structure(eval(expr, {"A": A}))  # a comprehension sees globals only
            if not default:  # only the digest and counts: the lists would be large
                record = {k: record[k] for k in ("name", "params", "trainable", "digest")}
            out["structures"][expr] = {"default": default, **record}
    for expr, family in VALUES:
        with tf.Graph().as_default():
            model = eval(expr)
            weights = [fill(w.name, w.shape.as_list(), i) for i, w in enumerate(model.weights)]
            model.set_weights(weights)
            x = getattr(A, family).preprocess_input(image((2, *model.input.shape[1:])))
            out["values"][expr] = {"family": family, "output": model.predict(x).tolist()}
    for family in PREPROCESS:
        with tf.Graph().as_default():
            fn = getattr(A, family).preprocess_input
            numpy = fn(image((2, 3, 3, 3)))
            with tf.Session() as sess:
                symbolic = sess.run(fn(tf.constant(image((2, 3, 3, 3)), tf.float32)))
            out["preprocess"][family] = {"numpy": numpy.tolist(), "symbolic": symbolic.tolist()}
    for expr in ERRORS:
        with tf.Graph().as_default():
            try:
                eval(expr)
            except Exception as error:  # noqa: BLE001 - recorded, whatever it is
                out["errors"][expr] = {"error": type(error).__name__, "message": str(error)}
            else:
                raise AssertionError(f"{expr} did not raise")
    OUT.write_text(json.dumps(out, indent=None, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
