"""Stateful recurrent layers (``stateful=True``): zero state variables of the layer's fixed
batch size, carried from one ``predict``/``train_on_batch``/``fit`` batch to the next,
``reset_states``, and TF's errors. Every name, number and message below was printed by
TF 2.21 (tf_keras, ``TF_USE_LEGACY_KERAS=1``, ``tf.disable_v2_behavior()``)."""

import numpy as np
import pytest

import scopeflow as tf

k = tf.keras

# per layer class: predictions of two predict calls, the states after them, three
# train_on_batch losses, two epochs of fit, predictions after training
EXPECTED = {
    "LSTM": {
        "p1": [0.494729012, 0.389735013],
        "p2": [0.560543001, 0.436195999],
        "states": [[0.140136003, 0.109048999], [0.276268989, 0.199102998]],
        "tob": [2.004145622253418, 0.3128930330276489, 0.2603943347930908],
        "fit": [0.5329321920871735, 0.4828892797231674],
        "pred": [
            [-0.812192023, -0.769729018],
            [-0.784467995, -0.742286980],
            [-0.354366004, -0.316556007],
            [-0.582446992, -0.542317986],
        ],
    },
    "GRU": {
        "p1": [0.542998016, 0.544673979],
        "p2": [0.558166027, 0.556267023],
        "states": [[0.139541998, 0.139066994]],
        "tob": [2.323214054107666, 0.34140175580978394, 0.2670055031776428],
        "fit": [0.5593248307704926, 0.4620949476957321],
        "pred": [
            [-0.927963018, -0.877860010],
            [-0.865193009, -0.816227019],
            [-0.113609001, -0.078253999],
            [-0.648198009, -0.603161991],
        ],
    },
    "SimpleRNN": {
        "p1": [0.374047011, 1.054427981],
        "p2": [0.373950005, 1.054159045],
        "states": [[0.093487002, 0.263539999]],
        "tob": [3.213383436203003, 2.5072691440582275, 0.7046851515769958],
        "fit": [0.9320936501026154, 0.6772758066654205],
        "pred": [
            [-1.272308946, -1.308310986],
            [-1.708796978, -1.775395036],
            [-0.172269001, -0.131163999],
            [-0.506419003, -0.488736004],
        ],
    },
}


def _data():
    rng = np.random.RandomState(0)
    return rng.randn(4, 5, 3).astype("float32"), rng.randn(4, 2).astype("float32")


@pytest.mark.parametrize("name", ["LSTM", "GRU", "SimpleRNN"])
def test_states_carry_across_calls_until_reset(graph, name):
    expected = EXPECTED[name]
    x, y = _data()
    layer = getattr(k.layers, name)(
        4,
        stateful=True,
        batch_input_shape=(2, 5, 3),
        kernel_initializer=k.initializers.Constant(0.1),
        recurrent_initializer=k.initializers.Constant(-0.05),
    )
    model = k.Sequential([layer, k.layers.Dense(2, kernel_initializer="ones")])
    prefix = layer.name
    assert [w.name for w in model.weights] == [
        f"{prefix}/{prefix}_cell/kernel:0",
        f"{prefix}/{prefix}_cell/recurrent_kernel:0",
        f"{prefix}/{prefix}_cell/bias:0",
        "dense/kernel:0",
        "dense/bias:0",
    ]
    names = [f"{prefix}/Variable:0", f"{prefix}/Variable_1:0"][: len(expected["states"])]
    assert [s.name for s in layer.states] == names
    assert [s.shape.as_list() for s in layer.states] == [[2, 4]] * len(names)
    assert [v.name for v in tf.trainable_variables()][3:-2] == names  # trainable, not weights
    assert model.stateful and layer.get_config()["stateful"] is True
    np.testing.assert_allclose(model.predict(x[:2])[:, 0], expected["p1"], atol=1e-6)
    np.testing.assert_allclose(model.predict(x[:2])[:, 0], expected["p2"], atol=1e-6)
    states = k.backend.batch_get_value(layer.states)
    np.testing.assert_allclose([s[:, 0] for s in states], expected["states"], atol=1e-6)
    layer.reset_states()
    np.testing.assert_allclose(model.predict(x[:2])[:, 0], expected["p1"], atol=1e-6)
    model.reset_states()
    model.compile(k.optimizers.SGD(0.1), "mse")
    losses = [float(model.train_on_batch(x[:2], y[:2])) for _ in range(3)]
    np.testing.assert_allclose(losses, expected["tob"], rtol=1e-6)
    history = model.fit(x, y, batch_size=2, epochs=2, shuffle=False, verbose=0)
    np.testing.assert_allclose(history.history["loss"], expected["fit"], rtol=1e-6)
    np.testing.assert_allclose(model.predict(x, batch_size=2), expected["pred"], atol=2e-6)
    layer.reset_states(states=[np.ones((2, 4))] * len(names))
    assert all((v == 1).all() for v in k.backend.batch_get_value(layer.states))
    with pytest.raises(ValueError, match=r"State 0 is incompatible with layer .*\(3, 4\)"):
        layer.reset_states(states=[np.ones((3, 4))] * len(names))


def test_batch_sizes_must_fit_the_layers_states(graph):
    x, y = _data()
    x, y = np.concatenate([x, x[:2]]), np.concatenate([y, y[:2]])
    model = k.Sequential(
        [k.layers.LSTM(4, stateful=True, batch_input_shape=(2, 5, 3)), k.layers.Dense(2)]
    )
    assert [u.name for u in model.updates] == [u.name for u in model.state_updates]
    assert len(model.state_updates) == 2
    model.compile("sgd", "mse")
    assert model.predict(x).shape == (6, 2)  # the input's batch size, not 32
    assert len(model.fit(x, y, verbose=0).history["loss"]) == 1
    with pytest.raises(ValueError, match="argument value 4 is incompatible with the specified"):
        model.evaluate(x, y, verbose=0, batch_size=4)
    with pytest.raises(ValueError, match="can be divided by the batch size. Found: 5 samples"):
        model.fit(x[:5], y[:5], verbose=0)


def test_a_stateful_layer_needs_a_batch_size(graph):
    with pytest.raises(ValueError, match="If a RNN is stateful, it needs to know its batch size"):
        k.Sequential([k.layers.LSTM(4, stateful=True, input_shape=(5, 3))])
    with pytest.raises(ValueError, match="passing a `batch_shape` argument to your Input"):
        k.layers.LSTM(4, stateful=True)(k.Input((5, 3)))
    x = k.Input(batch_shape=(2, 5, 3))
    y = k.layers.LSTM(4, stateful=True, return_sequences=True, name="l")(x)
    model = k.Model(x, y)
    assert [s.name for s in model.layers[1].states] == ["l/Variable:0", "l/Variable_1:0"]
    assert y.shape.as_list() == [2, 5, 4]
    gru = k.layers.GRU(4, stateful=True)
    gru(k.Input(shape=(5, 3), batch_size=3))
    assert [v.name for v in tf.global_variables() if v.name.startswith("gru")] == [
        "gru/gru_cell/kernel:0",
        "gru/gru_cell/recurrent_kernel:0",
        "gru/gru_cell/bias:0",
        "gru/Variable:0",
    ]
    assert gru.states[0].shape.as_list() == [3, 4]


def test_reset_states_needs_a_built_stateful_layer_and_states_are_not_saved(graph, tmp_path):
    with pytest.raises(ValueError, match="If a RNN is stateful, it needs to know its batch"):
        k.layers.LSTM(2, stateful=True).reset_states()
    with pytest.raises(AttributeError, match="Layer must be stateful"):
        k.layers.LSTM(2).reset_states()
    model = k.Sequential(
        [k.layers.LSTM(2, stateful=True, batch_input_shape=(1, 3, 2)), k.layers.Dense(1)]
    )
    model.save_weights(str(tmp_path / "ckpt"))
    reader = tf.train.NewCheckpointReader(str(tmp_path / "ckpt"))
    assert sorted(reader.get_variable_to_shape_map()) == [
        "_CHECKPOINTABLE_OBJECT_GRAPH",
        "layer_with_weights-0/cell/bias/.ATTRIBUTES/VARIABLE_VALUE",
        "layer_with_weights-0/cell/kernel/.ATTRIBUTES/VARIABLE_VALUE",
        "layer_with_weights-0/cell/recurrent_kernel/.ATTRIBUTES/VARIABLE_VALUE",
        "layer_with_weights-1/bias/.ATTRIBUTES/VARIABLE_VALUE",
        "layer_with_weights-1/kernel/.ATTRIBUTES/VARIABLE_VALUE",
    ]


INIT = {
    "kernel_initializer": k.initializers.Constant(0.1),
    "recurrent_initializer": k.initializers.Constant(-0.05),
}


def test_bidirectional_and_stacked_stateful_layers(graph):
    x = np.random.RandomState(0).randn(2, 4, 3).astype("float32")
    wrapped = k.layers.Bidirectional(
        k.layers.LSTM(2, stateful=True, **INIT), batch_input_shape=(2, 4, 3)
    )
    model = k.Sequential([wrapped])
    assert [s.name for s in wrapped.forward_layer.states + wrapped.backward_layer.states] == [
        "bidirectional/forward_lstm/Variable:0",
        "bidirectional/forward_lstm/Variable_1:0",
        "bidirectional/backward_lstm/Variable:0",
        "bidirectional/backward_lstm/Variable_1:0",
    ]
    first = [[0.144528, 0.144528, 0.190287, 0.190287], [0.003372, 0.003372, 0.040153, 0.040153]]
    np.testing.assert_allclose(model.predict(x), first, atol=1e-6)
    np.testing.assert_allclose(
        model.predict(x),
        [[0.178751, 0.178751, 0.233261, 0.233261], [0.004081, 0.004081, 0.048545, 0.048545]],
        atol=1e-6,
    )
    model.reset_states()
    np.testing.assert_allclose(model.predict(x), first, atol=1e-6)
    with tf.Graph().as_default():
        inputs = k.Input(batch_shape=(2, 4, 3))
        lstm = k.layers.LSTM(3, stateful=True, return_sequences=True, **INIT)
        gru = k.layers.GRU(2, stateful=True, **INIT)
        stacked = k.Model(inputs, gru(lstm(inputs)))
        np.testing.assert_allclose(stacked.predict(x)[:, 0], [0.035979, 0.001833], atol=1e-6)
        np.testing.assert_allclose(stacked.predict(x)[:, 0], [0.049247, 0.002147], atol=1e-6)
        assert [s.name for s in lstm.states + gru.states] == [
            "lstm/Variable:0",
            "lstm/Variable_1:0",
            "gru/Variable:0",
        ]
        stacked.compile("sgd", "mse")
        np.testing.assert_allclose(
            stacked.evaluate(x, np.zeros((2, 2)), verbose=0), 0.00138118, 1e-6
        )
        np.testing.assert_allclose(stacked.predict(x)[:, 0], [0.053279, 0.002217], atol=1e-6)


@pytest.mark.parametrize(
    ("name", "states"),
    [
        ("CuDNNLSTM", ["cu_dnnlstm/Variable:0", "cu_dnnlstm/Variable_1:0"]),
        ("CuDNNGRU", ["cu_dnngru/Variable:0"]),
    ],
)
def test_cudnn_layers_keep_states_too(graph, name, states):
    layer = getattr(k.layers, name)(2, stateful=True)
    layer(k.Input(batch_shape=(3, 4, 5)))
    assert [s.name for s in layer.states] == states  # TF builds these (it runs them on GPUs)
    assert layer.get_config()["stateful"] is True
    assert len(layer.updates) == len(states)


def test_conv_lstm_keeps_its_states(graph):
    x = np.random.RandomState(0).randn(2, 3, 5, 5, 2).astype("float32")
    layer = k.layers.ConvLSTM2D(2, 3, stateful=True, batch_input_shape=(2, 3, 5, 5, 2), **INIT)
    model = k.Sequential([layer, k.layers.Flatten()])
    assert [s.name for s in layer.states] == ["conv_lstm2d/Variable:0", "conv_lstm2d/Variable_1:0"]
    assert [s.shape.as_list() for s in layer.states] == [[2, 3, 3, 2]] * 2
    assert layer.get_config()["stateful"] is True
    assert [w.name for w in model.weights] == [
        "conv_lstm2d/kernel:0",
        "conv_lstm2d/recurrent_kernel:0",
        "conv_lstm2d/bias:0",
    ]
    first = [[0.210256, 0.210256, 0.131002], [-0.067326, -0.067326, -0.080267]]
    np.testing.assert_allclose(model.predict(x)[:, :3], first, atol=1e-6)
    np.testing.assert_allclose(
        model.predict(x)[:, :3],
        [[0.272839, 0.272839, 0.153488], [-0.082377, -0.082377, -0.094798]],
        atol=1e-6,
    )
    model.reset_states()
    np.testing.assert_allclose(model.predict(x)[:, :3], first, atol=1e-6)


def test_stacked_cells_keep_nested_states(graph):
    x = np.random.RandomState(0).randn(2, 4, 3).astype("float32")
    inputs = k.Input(batch_shape=(2, 4, 3))
    cells = [k.layers.LSTMCell(3, **INIT), k.layers.GRUCell(2, **INIT)]
    rnn = k.layers.RNN(cells, stateful=True, return_state=True)
    output, (h, c), h2 = rnn(inputs)
    model = k.Model(inputs, [output, h, c, h2])
    (lstm_h, lstm_c), gru_h = rnn.states  # nested as the cells' state sizes
    assert [s.name for s in (lstm_h, lstm_c, gru_h)] == [
        "rnn/Variable:0",
        "rnn/Variable_1:0",
        "rnn/Variable_2:0",
    ]
    assert [w.name for w in model.weights][::3] == [
        "rnn/stacked_rnn_cells/lstm_cell/kernel:0",
        "rnn/stacked_rnn_cells/gru_cell/kernel:0",
    ]
    first = model.predict(x)
    np.testing.assert_allclose(first[0][:, 0], [0.035979, 0.001833], atol=1e-6)
    np.testing.assert_allclose(first[2][0, :3], [0.267412, 0.267412, 0.267412], atol=1e-6)
    second = model.predict(x)
    np.testing.assert_allclose(second[0][:, 0], [0.049247, 0.002147], atol=1e-6)
    np.testing.assert_allclose(second[1][0, :3], [0.170537, 0.170537, 0.170537], atol=1e-6)


def _char_model(batch):
    table = np.linspace(-0.5, 0.5, 28).reshape(7, 4)
    return k.Sequential(
        [
            k.layers.Embedding(
                7,
                4,
                batch_input_shape=[batch, None],
                embeddings_initializer=k.initializers.Constant(table),
            ),
            k.layers.LSTM(5, return_sequences=True, stateful=True, **INIT),
            k.layers.Dense(
                7,
                activation="softmax",
                kernel_initializer=k.initializers.Constant(0.1),
                bias_initializer=k.initializers.Constant(0.01),
            ),
        ]
    )


def test_a_stateful_text_model_trains_then_generates_one_step_at_a_time(graph, tmp_path):
    # the text-generation tutorial's shape: sparse (batch, time) targets for (batch, time,
    # classes) outputs, states reset each epoch, a batch-1 copy loading the weights
    seq = np.random.RandomState(0).randint(0, 7, (4, 9))
    model = _char_model(2)
    model.compile(k.optimizers.Adam(0.05), "sparse_categorical_crossentropy")
    losses = []
    for _ in range(2):
        history = model.fit(seq[:, :-1], seq[:, 1:], batch_size=2, shuffle=False, verbose=0)
        model.reset_states()
        losses += history.history["loss"]
    np.testing.assert_allclose(losses, [1.9382097, 1.8957557], atol=1e-5)
    model.save_weights(str(tmp_path / "ckpt"))
    with tf.Graph().as_default():
        generator = _char_model(1)
        generator.load_weights(str(tmp_path / "ckpt"))
        token, tokens = 3, []
        for _ in range(5):
            probabilities = generator.predict(np.array([[token]]))[0, -1]
            token = int(np.argmax(probabilities))
            tokens.append(token)
        assert tokens == [0, 3, 0, 3, 0]
        np.testing.assert_allclose(probabilities.max(), 0.1698071, atol=1e-5)
