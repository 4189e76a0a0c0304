"""TF ops applied to Keras tensors between layers become ``TensorFlowOpLayer``s by themselves,
as in TF1's Keras (scopeflow/keras/tf_op_layers.py, hooked into every layer call and model):
layer names, weights, training losses and predictions printed by TF 2.21 (tf_keras) for the
same program."""

import numpy as np

import scopeflow as tf

k = tf.keras


def test_ops_between_layers_become_layers_and_train_as_tf(graph):
    x = k.Input(shape=(6,), name="x")
    a = k.layers.Dense(4, kernel_initializer=k.initializers.Constant(0.1), name="a")(x[:, :3] * 2.0)
    b = k.layers.Dense(4, kernel_initializer=k.initializers.Constant(-0.2), name="b")(tf.nn.relu(x))
    e = tf.reduce_mean(tf.reshape(tf.concat([a, b], axis=1), [-1, 2, 4]), axis=1)
    out = k.layers.Dense(1, kernel_initializer="ones", name="out")(tf.tanh(e))
    model = k.Model(x, out)
    assert [layer.name for layer in model.layers] == [
        "x",
        "tf_op_layer_strided_slice",
        "tf_op_layer_mul",
        "tf_op_layer_Relu",
        "a",
        "b",
        "tf_op_layer_concat",
        "tf_op_layer_Reshape",
        "tf_op_layer_Mean",
        "tf_op_layer_Tanh",
        "out",
    ]
    model.compile(k.optimizers.SGD(0.1), "mse")
    data = np.linspace(-1, 1, 48).reshape(8, 6).astype(np.float32)
    history = model.fit(
        data, np.ones((8, 1), np.float32), epochs=2, verbose=0, batch_size=4, shuffle=False
    )
    np.testing.assert_allclose(
        history.history["loss"], [3.1618332862854, 0.086132237687707], rtol=1e-6
    )
    np.testing.assert_allclose(model.predict(data[:2]).ravel(), [0.75948417, 0.9189173], rtol=1e-6)
    assert model(k.Input(shape=(6,))).name == "model/out/BiasAdd:0"  # the ops made again


def test_an_op_on_a_model_output_and_plain_tensors_make_no_layers(graph):
    x = k.Input(shape=(4,))
    model = k.Model(x, tf.nn.relu(x) + 1.0)  # outputs made by ops alone
    assert [layer.name for layer in model.layers] == [
        "input_1",
        "tf_op_layer_Relu",
        "tf_op_layer_add",
    ]
    np.testing.assert_array_equal(model.predict(np.float32([[-1, 0, 1, 2]])), [[1, 1, 2, 3]])
    p = tf.placeholder(tf.float32, [None, 4])
    before = len(graph.get_operations())
    y = k.layers.Dense(2)(tf.nn.relu(p))  # no Keras tensor upstream: an ordinary graph
    assert not [op for op in graph.get_operations()[before:] if "tf_op_layer" in op.name]
    assert y.shape.as_list() == [None, 2]
