"""tf.keras recurrent layers chained in a functional model: an LSTM returning sequences and its
states, a GRU (sigmoid gates, reset before the product) started from the LSTM's last output,
and an unrolled backwards SimpleRNN; predictions and weights. (TF 1.15 Keras's defaults aside,
scopeflow has no GRU reset_after=True nor stateful RNNs: both raise NotImplementedError.)

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    keras = tf.keras
    L = keras.layers
    rng = np.random.RandomState(89)
    xs = rng.randn(4, 5, 3).astype(np.float32)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(97)
        inp = keras.Input((5, 3))
        seq, h, c = L.LSTM(4, return_sequences=True, return_state=True, name="enc")(inp)
        dec = L.GRU(
            4, return_sequences=True, recurrent_activation="sigmoid", reset_after=False, name="dec"
        )(seq, initial_state=h)
        simple = L.SimpleRNN(2, unroll=True, go_backwards=True, name="srnn")(dec)
        model = keras.Model(inp, [simple, c])
        outs = model.predict(xs)
        return {
            "outs": [[float(v) for v in np.ravel(o)[:6]] for o in outs],
            "weights": [[w.name, w.shape.as_list()] for w in model.weights],
        }


EXPECTED = {
    "outs": [
        [
            -0.014931955374777317,
            -0.12932124733924866,
            0.03552437573671341,
            -0.19594694674015045,
            0.1318543255329132,
            -0.2077588587999344,
        ],
        [
            0.17060762643814087,
            -0.06526753306388855,
            -0.21040166914463043,
            0.014026552438735962,
            0.23387843370437622,
            -0.025743424892425537,
        ],
    ],
    "weights": [
        ["enc/lstm_cell/kernel:0", [3, 16]],
        ["enc/lstm_cell/recurrent_kernel:0", [4, 16]],
        ["enc/lstm_cell/bias:0", [16]],
        ["dec/gru_cell/kernel:0", [4, 12]],
        ["dec/gru_cell/recurrent_kernel:0", [4, 12]],
        ["dec/gru_cell/bias:0", [12]],
        ["srnn/simple_rnn_cell/kernel:0", [4, 2]],
        ["srnn/simple_rnn_cell/recurrent_kernel:0", [2, 2]],
        ["srnn/simple_rnn_cell/bias:0", [2]],
    ],
}


def test_keras_recurrent_states_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
