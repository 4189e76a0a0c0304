"""tf.keras training utilities in a TF1 graph: fit_generator over a keras.utils.Sequence with
validation data, LearningRateScheduler (setting the optimizer's learning rate before the
first step), EarlyStopping with restore_best_weights, a LambdaCallback, train_on_batch,
test_on_batch, predict_on_batch, model.save to HDF5 and load_model in a new graph.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import os

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    keras = tf.keras
    rng = np.random.RandomState(53)
    xs = rng.randn(32, 5).astype(np.float32)
    ys = (xs @ rng.randn(5, 1) > 0).astype(np.float32)

    class Batches(keras.utils.Sequence):
        def __len__(self):
            return 4

        def __getitem__(self, i):
            return xs[i * 8 : (i + 1) * 8], ys[i * 8 : (i + 1) * 8]

    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(21)
        model = keras.Sequential(
            [
                keras.layers.Dense(8, activation="tanh", input_shape=(5,), name="h"),
                keras.layers.Dropout(0.0),
                keras.layers.Dense(1, activation="sigmoid", name="out"),
            ]
        )
        model.compile(
            keras.optimizers.SGD(0.5, momentum=0.5), "binary_crossentropy", metrics=["accuracy"]
        )
        lrs = []
        hist = model.fit_generator(
            Batches(),
            epochs=4,
            shuffle=False,
            verbose=0,
            validation_data=(xs[:8], ys[:8]),
            callbacks=[
                keras.callbacks.LearningRateScheduler(lambda e: 0.5 / (1 + e)),
                keras.callbacks.EarlyStopping(
                    monitor="val_loss", patience=1, restore_best_weights=True
                ),
                keras.callbacks.LambdaCallback(
                    on_epoch_end=lambda e, logs: lrs.append(
                        float(keras.backend.get_value(model.optimizer.lr))
                    )
                ),
            ],
        )
        tb = [model.train_on_batch(xs[:8], ys[:8]), model.test_on_batch(xs[8:16], ys[8:16])]
        pred = model.predict_on_batch(xs[:4])
        path = os.path.join(str(workdir), "model.h5")
        model.save(path)
        weights = [w.tolist() for w in model.get_weights()[1:2]]
    g2 = tf.Graph()
    with g2.as_default():
        loaded = keras.models.load_model(path)
        again = loaded.predict(xs[:4])
        ev = loaded.evaluate(xs, ys, verbose=0)
    return {
        "history": {k: [float(v) for v in vs] for k, vs in sorted(hist.history.items())},
        "lrs": lrs,
        "on_batch": [[float(v) for v in np.ravel(t)] for t in tb],
        "pred": [float(v) for v in np.ravel(pred)],
        "again": [float(v) for v in np.ravel(again)],
        "evaluate": [float(v) for v in ev],
        "bias": weights,
        "layers": [layer.name for layer in loaded.layers],
    }


EXPECTED = {
    "history": {
        "acc": [0.53125, 0.9375],
        "loss": [0.6794306486845016, 0.2642815001308918],
        "lr": [0.5, 0.25],
        "val_acc": [0.75, 0.75],
        "val_loss": [0.4340016543865204, 0.4426865577697754],
    },
    "lrs": [0.5, 0.25],
    "on_batch": [[0.4340016543865204, 0.75], [0.2530096769332886, 1.0]],
    "pred": [0.9140898585319519, 0.42397341132164, 0.3231237828731537, 0.8509759902954102],
    "again": [0.9140898585319519, 0.42397341132164, 0.3231237828731537, 0.8509759902954102],
    "evaluate": [0.30725669860839844, 0.90625],
    "bias": [
        [
            -0.043747611343860626,
            -0.002902102656662464,
            -0.04502742365002632,
            0.03250722587108612,
            0.08552470058202744,
            -0.10141505300998688,
            -0.08251282572746277,
            0.22981713712215424,
        ]
    ],
    "layers": ["h", "dropout", "out"],
}


def test_keras_generator_callbacks_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
