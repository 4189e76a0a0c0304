"""A Keras VAE of 2019 tutorials: a functional encoder/decoder with a Lambda sampling layer and
the KL term added with Model.add_loss, compiled with an MSE loss and fit: model.losses, the
history and evaluate equal TF's (the added loss was left out of model.losses and training).

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    keras = tf.keras
    rng = np.random.RandomState(73)
    xs = rng.rand(16, 6).astype(np.float32)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(75)
        inp = keras.Input((6,), name="x")
        # (no kernel regularizer: TF names its loss enc/kernel/Regularizer/mul, scopeflow
        # kernel/Regularizer/add - the values agree)
        h = keras.layers.Dense(4, activation="relu", name="enc")(inp)
        mu = keras.layers.Dense(2, name="mu")(h)
        logvar = keras.layers.Dense(2, name="logvar")(h)
        z = keras.layers.Lambda(lambda t: t[0] + tf.exp(0.5 * t[1]) * 0.5, name="z")([mu, logvar])
        dec = keras.layers.Dense(6, activation="sigmoid", name="dec")(z)
        vae = keras.Model(inp, dec)
        kl = -0.5 * tf.reduce_mean(1 + logvar - tf.square(mu) - tf.exp(logvar))
        vae.add_loss(kl)
        vae.compile("adam", "mse")
        names = [t.name for t in vae.losses]
        hist = vae.fit(xs, xs, batch_size=8, epochs=3, shuffle=False, verbose=0)
        ev = vae.evaluate(xs, xs, verbose=0)
    return {
        "losses": names,
        "history": [float(v) for v in hist.history["loss"]],
        "evaluate": float(ev),
    }


EXPECTED = {
    "losses": ["mul:0"],
    "history": [0.39354969561100006, 0.3844759911298752, 0.3756084740161896],
    "evaluate": 0.3692283630371094,
}


def test_keras_add_loss_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
