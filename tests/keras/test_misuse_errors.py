"""Keras misuse raising TF 2.21's tf_keras errors (type and words, from the reference venv):
disconnected functional graphs, models called on tensors of the wrong shape, merge layers'
shape checks, unknown names, weights of the wrong shape, missing class weights."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

K = tf.keras
L = K.layers


def test_disconnected_graph_is_refused(graph):
    a, b = K.Input((3,), name="a"), K.Input((3,), name="b")
    y = L.Dense(2, name="d2")(L.Dense(2, name="d1")(a))
    words = (
        r'Graph disconnected: cannot obtain value for tensor Tensor\("a:0", shape=\(\?, 3\), '
        r'dtype=float32\) at layer "d1". The following previous layers were accessed without '
        r"issue: \[\]"
    )
    with pytest.raises(ValueError, match=words):
        K.Model(b, y)
    with pytest.raises(ValueError, match=words):
        K.Model(b, L.add([y, L.Dense(2, name="d3")(b)]))
    assert K.Model([a, b], y).name == "model_2"  # an unused input is fine, as TF's


def test_model_called_on_a_tensor_of_another_shape(graph):
    model = K.Sequential([L.Dense(3, input_shape=(4,), name="d"), L.Dense(1, name="e")])
    with pytest.raises(
        ValueError,
        match=r'Input 0 of layer "sequential" is incompatible with the layer: expected '
        r"shape=\(None, 4\), found shape=\(None, 5\)",
    ):
        model(K.Input((5,)))
    with pytest.raises(ValueError, match='Input 0 of layer "d" is incompatible'):
        model(K.Input((4, 5)))  # as TF: the extra axis passes the model's check
    assert model(K.Input((4,))).shape.as_list() == [None, 1]


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (
            lambda: L.Concatenate()([K.Input((3,)), K.Input((4, 5))]),
            r"A `Concatenate` layer requires inputs with matching shapes except for the "
            r"concatenation axis. Received: input_shape=\[\(None, 3\), \(None, 4, 5\)\]",
        ),
        (
            lambda: L.Concatenate(axis=1)([K.Input((3, 2)), K.Input((4, 5))]),
            r"Received: input_shape=\[\(None, 3, 2\), \(None, 4, 5\)\]",
        ),
        (
            lambda: L.Add()([K.Input((3,)), K.Input((4,))]),
            r"Inputs have incompatible shapes. Received shapes \(3,\) and \(4,\)",
        ),
        (
            lambda: L.Multiply()([K.Input((3, 2)), K.Input((4, 2))]),
            r"Received shapes \(3, 2\) and \(4, 2\)",
        ),
        (
            lambda: L.Dot(axes=1)([K.Input((3,)), K.Input((4,))]),
            r"Incompatible input shapes: axis values 3 \(at axis 1\) != 4 \(at axis 1\). Full "
            r"input shapes: \(None, 3\), \(None, 4\)",
        ),
    ],
)
def test_merge_layers_check_shapes_as_tf(graph, make, words):
    with pytest.raises(ValueError, match=words):
        make()


def test_merges_that_broadcast_or_fit_pass(graph):
    assert L.add([K.Input((3,)), K.Input((1,))]).shape.as_list() == [None, 3]
    assert L.concatenate([K.Input((3, 2)), K.Input((3, 5))]).shape.as_list() == [None, 3, 7]


CUSTOM = (
    r"Please ensure you are using a `keras.utils.custom_object_scope` and that this object "
    r"is included in the scope."
)


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda: K.optimizers.get("nope"), "Unknown optimizer: 'nope'. " + CUSTOM),
        (lambda: K.optimizers.get(5), "Could not interpret optimizer identifier: 5"),
        (lambda: K.losses.get("nope"), "Unknown loss function: 'nope'. " + CUSTOM),
        (lambda: K.losses.get(5), "Could not interpret loss function identifier: 5"),
        (lambda: K.metrics.get("nope"), "Unknown metric function: 'nope'. " + CUSTOM),
        (lambda: K.metrics.get(5), "Could not interpret metric identifier: 5"),
        (lambda: K.Input(), "Please provide to Input a `shape` or a `tensor` or a `type_spec`"),
        (
            lambda: K.Model(tf.placeholder(tf.float32, [None, 3]), L.Dense(2)(K.Input((3,)))),
            r"Received inputs=Tensor\(\"Placeholder:0\", shape=\(\?, 3\), dtype=float32\) "
            r"\(missing previous layer metadata\)",
        ),
    ],
)
def test_bad_names_and_inputs_raise_as_tf(graph, make, words):
    with pytest.raises(ValueError, match=words):
        make()


def test_set_weights_of_the_wrong_shape(graph):
    layer = L.Dense(3)
    layer.build(tf.TensorShape([None, 4]))
    with pytest.raises(
        ValueError,
        match=r"^Layer weight shape \(4, 3\) not compatible with provided weight shape \(4, 2\)$",
    ):
        layer.set_weights([np.ones((4, 2)), np.ones(3)])


@pytest.mark.parametrize(
    ("units", "loss", "y", "missing"),
    [
        (1, "mse", np.array([[0.0], [1.0]]), r"\{np.float64\(1.0\)\}"),
        (3, "categorical_crossentropy", np.eye(3)[[0, 2]], r"\{np.int64\(2\)\}"),
        (3, "sparse_categorical_crossentropy", np.array([0, 2]), r"\{np.int64\(2\)\}"),
    ],
)
def test_class_weight_missing_classes_shown_as_tf(graph, units, loss, y, missing):
    model = K.Sequential([L.Dense(units, input_shape=(2,))])
    model.compile("sgd", loss)
    with pytest.raises(ValueError, match=f"The classes {missing} exist in the data but not in"):
        model.fit(np.ones((2, 2)), y, class_weight={0: 1.0}, verbose=0)
