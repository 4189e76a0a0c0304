"""tf.keras in a TF1 graph (2018-2019 style): a Sequential Embedding/LSTM/Dropout/Dense model
compiled with a tf.train optimizer, fit without shuffling, evaluate, predict and the backend
session.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    keras = tf.keras
    rng = np.random.RandomState(0)
    xs = rng.randint(1, 20, (12, 5)).astype(np.int32)
    ys = (xs.sum(1) > 50).astype(np.float32)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(23)
        model = keras.Sequential(
            [
                keras.layers.Embedding(20, 4, input_length=5),
                keras.layers.LSTM(3),
                keras.layers.Dropout(0.2),
                keras.layers.Dense(1, activation="sigmoid"),
            ]
        )
        model.compile(
            optimizer=tf.train.AdamOptimizer(0.05), loss="binary_crossentropy", metrics=["accuracy"]
        )
        hist = model.fit(xs, ys, batch_size=4, epochs=2, shuffle=False, verbose=0)
        ev = model.evaluate(xs, ys, batch_size=6, verbose=0)
        pred = model.predict(xs[:2])
        sess = keras.backend.get_session()
        names = [w.name for w in model.weights]
        return {
            "weights": [[w.name, w.shape.as_list()] for w in model.weights],
            "names": [model.output.name, model.input.name] + names[:1],
            "history": {k: [float(v) for v in vs] for k, vs in hist.history.items()},
            "eval": [float(v) for v in ev],
            "pred": [float(v) for v in pred.ravel()],
            "layers": [layer.name for layer in model.layers],
            "global_vars": len(tf.global_variables()) if sess is not None else 0,
        }


EXPECTED = {
    "weights": [
        ["embedding/embeddings:0", [20, 4]],
        ["lstm/lstm_cell/kernel:0", [4, 12]],
        ["lstm/lstm_cell/recurrent_kernel:0", [3, 12]],
        ["lstm/lstm_cell/bias:0", [12]],
        ["dense/kernel:0", [3, 1]],
        ["dense/bias:0", [1]],
    ],
    "names": ["dense/Sigmoid:0", "embedding_input:0", "embedding/embeddings:0"],
    "history": {"loss": [0.7022061149279276, 0.6786653796831766], "acc": [0.5, 0.5833333134651184]},
    "eval": [0.655010998249054, 0.5833333134651184],
    "pred": [0.4047853648662567, 0.4101884663105011],
    "layers": ["embedding", "lstm", "dropout", "dense"],
    "global_vars": 21,
}


def test_keras_fit_matches_tensorflow():
    close(program(tf), EXPECTED)
