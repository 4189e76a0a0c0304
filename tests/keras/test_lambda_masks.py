"""``Lambda`` layers' masks and arguments as TF 2.21's tf_keras (compat.v1 graph mode,
reference venv): ``mask=`` (a function of the inputs and their mask, or a tensor), saved in
the config; functions taking ``mask`` or ``training`` are given them (the learning phase made
only then); ``Masking``'s mask as TF's ``masking/Squeeze``."""

from __future__ import annotations

import numpy as np

import scopeflow as tf

K = tf.keras
L = K.layers


def _learning_phase_ops(graph) -> list:
    return [op.name for op in graph.get_operations() if "learning" in op.name]


def test_masks_and_function_arguments(graph):
    x = K.Input((3, 2))
    L.Lambda(lambda t: t * 2)(x)
    assert _learning_phase_ops(graph) == []
    masked = L.Masking()(x)
    assert masked._keras_mask.name == "masking/Squeeze:0"
    passed = L.Lambda(lambda t: t * 2, mask=lambda inputs, mask: mask)(masked)
    assert passed._keras_mask is masked._keras_mask
    assert getattr(L.Lambda(lambda t: t + 1)(masked), "_keras_mask", None) is None
    zeroed = L.Lambda(
        lambda t, mask: t * K.backend.cast(K.backend.expand_dims(mask, -1), "float32")
    )(masked)
    phased = L.Lambda(lambda t, training: K.backend.in_train_phase(t * 0, t, training=training))(x)
    assert phased.name == "lambda_4/cond/Merge:0"
    assert _learning_phase_ops(graph) == ["keras_learning_phase/input", "keras_learning_phase"]
    model = K.Model(x, [passed, zeroed])
    rebuilt = K.Model.from_config(model.get_config())
    assert [layer.name for layer in rebuilt.layers] == [
        "input_1",
        "masking",
        "lambda_1",
        "lambda_3",
    ]
    values = np.array([[[0, 0], [1, 2], [3, 0]]], "f")
    np.testing.assert_allclose(model.predict(values)[1], values)


def test_lambda_config_keeps_its_mask(graph):
    config = L.Lambda(lambda t: t * 2, mask=lambda inputs, mask: mask, name="lm").get_config()
    assert sorted(config) == [
        "arguments",
        "dtype",
        "function",
        "function_type",
        "mask",
        "mask_module",
        "mask_type",
        "module",
        "name",
        "output_shape",
        "output_shape_module",
        "output_shape_type",
        "trainable",
    ]
    assert config["mask_type"] == "lambda"
    assert "mask" not in L.Lambda(lambda t: t).get_config()
