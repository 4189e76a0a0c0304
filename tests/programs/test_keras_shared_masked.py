"""A tf.keras functional model with shared layers: one masked Embedding and one Bidirectional
LSTM (return_sequences, so masked steps give zeros) applied to two inputs, TimeDistributed
Dense with GlobalMaxPooling1D, a GRU and a Conv1D with GlobalAveragePooling1D, concatenate,
BatchNormalization, RMSprop; summary(), weights, count_params, history and predictions.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import io
from contextlib import redirect_stdout

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    keras = tf.keras
    rng = np.random.RandomState(59)
    a = rng.randint(1, 30, (16, 6)).astype(np.int32)
    a[:4, 4:] = 0
    b = rng.randint(1, 30, (16, 6)).astype(np.int32)
    y = keras.utils.to_categorical(rng.randint(0, 3, 16), 3)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(61)
        emb = keras.layers.Embedding(30, 6, mask_zero=True, name="shared_emb")
        enc = keras.layers.Bidirectional(
            keras.layers.LSTM(5, return_sequences=True), merge_mode="concat", name="bilstm"
        )
        ia = keras.Input((6,), dtype="int32", name="a")
        ib = keras.Input((6,), dtype="int32", name="b")
        ha, hb = enc(emb(ia)), enc(emb(ib))
        td = keras.layers.TimeDistributed(keras.layers.Dense(4, activation="relu"), name="td")
        pa = keras.layers.GlobalMaxPooling1D()(td(ha))
        gb = keras.layers.GRU(4, name="gru")(hb)
        # no bias: batch norm after the average makes its gradient rounding noise, which
        # RMSprop scales up to full steps
        conv = keras.layers.Conv1D(3, 2, padding="same", use_bias=False, name="conv")(hb)
        pc = keras.layers.GlobalAveragePooling1D()(conv)
        merged = keras.layers.concatenate([pa, gb, pc])
        out = keras.layers.Dense(3, activation="softmax", name="out")(
            keras.layers.BatchNormalization(name="bn")(merged)
        )
        model = keras.Model([ia, ib], out)
        model.compile("rmsprop", "categorical_crossentropy", metrics=["accuracy"])
        buf = io.StringIO()
        with redirect_stdout(buf):
            model.summary(line_length=90)
        hist = model.fit([a, b], y, batch_size=8, epochs=2, shuffle=False, verbose=0)
        pred = model.predict([a[:2], b[:2]])
    summary = [
        ln.rstrip()
        for ln in buf.getvalue().splitlines()
        if ln.strip() and not set(ln.strip()) <= set("=_")
    ]
    return {
        "history": {k: [float(v) for v in vs] for k, vs in sorted(hist.history.items())},
        "pred": [float(v) for v in pred.ravel()],
        "weights": [[w.name, w.shape.as_list()] for w in model.weights],
        "summary": summary,
        "count": model.count_params(),
    }


EXPECTED = {
    "history": {"acc": [0.25, 0.375], "loss": [1.1019065976142883, 1.0536115765571594]},
    "pred": [
        0.33096131682395935,
        0.3415866494178772,
        0.32745200395584106,
        0.3306485116481781,
        0.34467464685440063,
        0.32467684149742126,
    ],
    "weights": [
        ["shared_emb/embeddings:0", [30, 6]],
        ["bilstm/forward_lstm/lstm_cell/kernel:0", [6, 20]],
        ["bilstm/forward_lstm/lstm_cell/recurrent_kernel:0", [5, 20]],
        ["bilstm/forward_lstm/lstm_cell/bias:0", [20]],
        ["bilstm/backward_lstm/lstm_cell/kernel:0", [6, 20]],
        ["bilstm/backward_lstm/lstm_cell/recurrent_kernel:0", [5, 20]],
        ["bilstm/backward_lstm/lstm_cell/bias:0", [20]],
        ["td/kernel:0", [10, 4]],
        ["td/bias:0", [4]],
        ["conv/kernel:0", [2, 10, 3]],
        ["gru/gru_cell/kernel:0", [10, 12]],
        ["gru/gru_cell/recurrent_kernel:0", [4, 12]],
        ["gru/gru_cell/bias:0", [12]],
        ["bn/gamma:0", [11]],
        ["bn/beta:0", [11]],
        ["bn/moving_mean:0", [11]],
        ["bn/moving_variance:0", [11]],
        ["out/kernel:0", [11, 3]],
        ["out/bias:0", [3]],
    ],
    "summary": [
        'Model: "model"',
        " Layer (type)              Output Shape               Param   Connected to",
        "                                                       #",
        " a (InputLayer)            [(None, 6)]                0       []",
        " b (InputLayer)            [(None, 6)]                0       []",
        " shared_emb (Embedding)    (None, 6, 6)               180     ['a[0][0]',",
        "                                                               'b[0][0]']",
        " bilstm (Bidirectional)    (None, 6, 10)              480     ['shared_emb[0][0]',",
        "                                                               'shared_emb[1][0]']",
        " td (TimeDistributed)      (None, 6, 4)               44      ['bilstm[0][0]']",
        " conv (Conv1D)             (None, 6, 3)               60      ['bilstm[1][0]']",
        " global_max_pooling1d (Gl  (None, 4)                  0       ['td[0][0]']",
        " obalMaxPooling1D)",
        " gru (GRU)                 (None, 4)                  180     ['bilstm[1][0]']",
        " global_average_pooling1d  (None, 3)                  0       ['conv[0][0]']",
        "  (GlobalAveragePooling1D",
        " )",
        " concatenate (Concatenate  (None, 11)                 0       "
        "['global_max_pooling1d[0][0]",
        " )                                                            ',",
        "                                                               'gru[0][0]',",
        "                                                               "
        "'global_average_pooling1d[0",
        "                                                              ][0]']",
        " bn (BatchNormalization)   (None, 11)                 44      ['concatenate[0][0]']",
        " out (Dense)               (None, 3)                  36      ['bn[0][0]']",
        "Total params: 1024 (4.00 KB)",
        "Trainable params: 1002 (3.91 KB)",
        "Non-trainable params: 22 (88.00 Byte)",
    ],
    "count": 1024,
}


def test_keras_shared_masked_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
