"""Keras recurrent layers and cells take their arguments by position in TF's order
(LSTM(4, "relu") is activation="relu"), as TF 2.21's tf.compat.v1.keras."""

import inspect

import pytest

import scopeflow as tf

L = tf.keras.layers


def test_positional_arguments_reach_tfs_parameters(graph):
    lstm = L.LSTM(4, "relu", "sigmoid", False)
    y = lstm(tf.placeholder(tf.float32, [2, 5, 3]))
    assert (lstm.activation.__name__, lstm.recurrent_activation.__name__) == ("relu", "sigmoid")
    assert lstm.use_bias is False and y.shape.as_list() == [2, 4]
    assert [v.name for v in lstm.weights] == [
        "lstm/lstm_cell/kernel:0",
        "lstm/lstm_cell/recurrent_kernel:0",
    ]
    gru = L.GRU(4, "relu")
    assert gru.activation.__name__ == "relu" and gru.get_config()["reset_after"] is False
    cell = L.LSTMCell(3, "relu")
    assert cell.activation.__name__ == "relu" and cell.unit_forget_bias is True
    simple = L.SimpleRNN(2, "relu", False)
    assert simple.activation.__name__ == "relu" and simple.use_bias is False
    cudnn = L.CuDNNLSTM(2, "ones")
    assert type(cudnn.kernel_initializer).__name__ == "Ones" and cudnn.unit_forget_bias


def test_an_argument_given_twice():
    with pytest.raises(
        TypeError, match="LSTM.__init__\\(\\) got multiple values for argument 'units'"
    ):
        L.LSTM(4, activation="relu", units=3)
    with pytest.raises(TypeError, match="got multiple values for argument 'activation'"):
        L.LSTM(4, "relu", activation="tanh")


def test_configs_round_trip(graph):
    lstm = L.LSTM(4, "relu", return_sequences=True)
    again = L.LSTM.from_config(lstm.get_config())
    assert again.activation.__name__ == "relu" and again.return_sequences


@pytest.mark.parametrize(
    ("name", "first"),
    [
        ("LSTM", ["units", "activation", "recurrent_activation", "use_bias"]),
        ("GRU", ["units", "activation", "recurrent_activation", "use_bias"]),
        ("SimpleRNN", ["units", "activation", "use_bias", "kernel_initializer"]),
        ("CuDNNLSTM", ["units", "kernel_initializer", "recurrent_initializer", "bias_initializer"]),
    ],
)
def test_signatures_start_as_tfs(name, first):
    assert list(inspect.signature(getattr(L, name)).parameters)[:4] == first
