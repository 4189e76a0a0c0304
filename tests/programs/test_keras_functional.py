"""A two-input, two-output tf.keras functional model in a TF1 graph: a custom Layer with
add_weight and get_config, Embedding with GlobalAveragePooling1D, concatenate, BatchNormalization,
an L2 regularizer, Lambda, compile with per-output losses, loss weights and metrics, fit with
validation_split and the CSVLogger, ReduceLROnPlateau and ModelCheckpoint callbacks, evaluate,
predict, save_weights to HDF5, and from_config with custom_objects plus load_weights in a new
graph.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import os

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    keras = tf.keras
    rng = np.random.RandomState(6)
    xa = rng.randn(40, 6).astype(np.float32)
    xb = rng.randint(0, 20, (40, 5)).astype(np.int32)
    ya = (xa[:, :1] > 0).astype(np.float32)
    yb = rng.randint(0, 3, 40).astype(np.int64)

    class Scale(keras.layers.Layer):
        def __init__(self, units, **kwargs):
            super().__init__(**kwargs)
            self.units = units

        def build(self, input_shape):
            self.w = self.add_weight(
                "w", shape=(int(input_shape[-1]), self.units), initializer="glorot_uniform"
            )
            self.s = self.add_weight("s", shape=(self.units,), initializer="ones")
            super().build(input_shape)

        def call(self, x):
            return tf.matmul(x, self.w) * self.s

        def get_config(self):
            config = super().get_config()
            config["units"] = self.units
            return config

    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(12)
        dense_in = keras.Input(shape=(6,), name="dense_in")
        ids_in = keras.Input(shape=(5,), dtype="int32", name="ids_in")
        emb = keras.layers.Embedding(20, 4, name="emb")(ids_in)
        pooled = keras.layers.GlobalAveragePooling1D(name="pool")(emb)
        h = keras.layers.concatenate([Scale(8, name="scale")(dense_in), pooled], name="cat")
        h = keras.layers.BatchNormalization(name="bn")(h)
        h = keras.layers.Dense(
            16, activation="relu", name="hidden", kernel_regularizer=keras.regularizers.l2(1e-3)
        )(h)
        h = keras.layers.Lambda(lambda t: t * 0.5, name="half")(h)
        out_a = keras.layers.Dense(1, activation="sigmoid", name="a")(h)
        out_b = keras.layers.Dense(3, activation="softmax", name="b")(h)
        model = keras.Model([dense_in, ids_in], [out_a, out_b], name="two_heads")
        model.compile(
            optimizer=keras.optimizers.Adam(0.01),
            loss={"a": "binary_crossentropy", "b": "sparse_categorical_crossentropy"},
            loss_weights={"a": 1.0, "b": 0.5},
            metrics={"a": ["accuracy"], "b": ["sparse_categorical_accuracy"]},
        )
        csv = os.path.join(str(workdir), "log.csv")
        weights = os.path.join(str(workdir), "w.h5")
        hist = model.fit(
            {"dense_in": xa, "ids_in": xb},
            {"a": ya, "b": yb},
            batch_size=10,
            epochs=3,
            shuffle=False,
            validation_split=0.25,
            verbose=0,
            callbacks=[
                keras.callbacks.CSVLogger(csv),
                keras.callbacks.ReduceLROnPlateau(
                    monitor="val_loss", patience=1, factor=0.5, verbose=0
                ),
                keras.callbacks.ModelCheckpoint(
                    weights, save_weights_only=True, save_best_only=True
                ),
            ],
        )
        ev = model.evaluate([xa, xb], [ya, yb], batch_size=20, verbose=0)
        pa, pb = model.predict([xa[:3], xb[:3]])
        model.save_weights(weights)
        csv_head = open(csv).read().splitlines()[0].split(",")
        names = [w.name for w in model.weights]
        summary = [
            [layer.name, layer.__class__.__name__, layer.count_params()] for layer in model.layers
        ]
        lr = float(keras.backend.get_value(model.optimizer.lr))
    g2 = tf.Graph()
    with g2.as_default():
        clone = keras.models.Model.from_config(model.get_config(), custom_objects={"Scale": Scale})
        clone.load_weights(weights)
        pa2 = clone.predict([xa[:3], xb[:3]])[0]
    return {
        "history": {k: [float(v) for v in vs] for k, vs in hist.history.items()},
        "evaluate": [float(v) for v in ev],
        "metrics": list(model.metrics_names),
        "pred": [float(v) for v in pa.ravel()] + [float(v) for v in pb.ravel()[:6]],
        "weights": names,
        "summary": summary,
        "csv": csv_head,
        "lr": lr,
        "reloaded": [float(v) for v in pa2.ravel()],
        "outputs": [t.name for t in model.outputs],
    }


EXPECTED = {
    "history": {
        "loss": [1.2815953493118286, 1.1619511047999065, 1.0809133052825928],
        "a_loss": [0.7210142016410828, 0.646568775177002, 0.5942205786705017],
        "b_loss": [1.0909088850021362, 1.0007580518722534, 0.9431642889976501],
        "a_acc": [0.5, 0.7333333492279053, 0.800000011920929],
        "b_sparse_categorical_accuracy": [
            0.4000000059604645,
            0.4333333373069763,
            0.5333333611488342,
        ],
        "val_loss": [1.44920015335083, 1.4213407039642334, 1.3895137310028076],
        "val_a_loss": [0.838228702545166, 0.8102243542671204, 0.7768049836158752],
        "val_b_loss": [1.191941499710083, 1.1921567916870117, 1.1948561668395996],
        "val_a_acc": [0.20000000298023224, 0.20000000298023224, 0.30000001192092896],
        "val_b_sparse_categorical_accuracy": [
            0.4000000059604645,
            0.4000000059604645,
            0.4000000059604645,
        ],
        "lr": [0.009999999776482582, 0.009999999776482582, 0.009999999776482582],
    },
    "evaluate": [
        1.2131545543670654,
        0.6654452681541443,
        1.064857006072998,
        0.6000000238418579,
        0.42500001192092896,
    ],
    "metrics": ["loss", "a_loss", "b_loss", "a_acc", "b_sparse_categorical_accuracy"],
    "pred": [
        0.31009405851364136,
        0.597658634185791,
        0.4719524085521698,
        0.46427181363105774,
        0.06910763680934906,
        0.46662047505378723,
        0.2297719419002533,
        0.3760587275028229,
        0.39416930079460144,
    ],
    "weights": [
        "emb/embeddings:0",
        "scale/w:0",
        "scale/s:0",
        "bn/gamma:0",
        "bn/beta:0",
        "bn/moving_mean:0",
        "bn/moving_variance:0",
        "hidden/kernel:0",
        "hidden/bias:0",
        "a/kernel:0",
        "a/bias:0",
        "b/kernel:0",
        "b/bias:0",
    ],
    "summary": [
        ["ids_in", "InputLayer", 0],
        ["dense_in", "InputLayer", 0],
        ["emb", "Embedding", 80],
        ["scale", "Scale", 56],
        ["pool", "GlobalAveragePooling1D", 0],
        ["cat", "Concatenate", 0],
        ["bn", "BatchNormalization", 48],
        ["hidden", "Dense", 208],
        ["half", "Lambda", 0],
        ["a", "Dense", 17],
        ["b", "Dense", 51],
    ],
    "csv": [
        "epoch",
        "a_acc",
        "a_loss",
        "b_loss",
        "b_sparse_categorical_accuracy",
        "loss",
        "val_a_acc",
        "val_a_loss",
        "val_b_loss",
        "val_b_sparse_categorical_accuracy",
        "val_loss",
    ],
    "lr": 0.009999999776482582,
    "reloaded": [0.31009405851364136, 0.597658634185791, 0.4719524085521698],
    "outputs": ["a/Sigmoid:0", "b/Softmax:0"],
}


def test_keras_functional_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
