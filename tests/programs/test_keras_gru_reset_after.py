"""tf.keras GRU(reset_after=True) (the reset gate applied after the recurrent product, a
[2, 3 * units] bias of input and recurrent rows; with and without a bias) stacked in a
Sequential and trained with SGD: predictions before and after, loss, weight shapes, the
reset_after in to_json and a model_from_json clone.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import json

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    keras = tf.keras
    L = keras.layers
    rng = np.random.RandomState(107)
    xs = rng.randn(3, 5, 2).astype(np.float32)
    ys = rng.randn(3, 4).astype(np.float32)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(109)
        model = keras.Sequential(
            [
                L.GRU(
                    4,
                    reset_after=True,
                    recurrent_activation="sigmoid",
                    return_sequences=True,
                    input_shape=(5, 2),
                    name="g1",
                ),
                L.GRU(
                    4, reset_after=True, recurrent_activation="sigmoid", use_bias=False, name="g2"
                ),
            ]
        )
        model.compile("sgd", "mse")
        before = model.predict(xs)
        hist = model.fit(xs, ys, epochs=2, verbose=0, shuffle=False)
        after = model.predict(xs)
        config = json.loads(model.to_json())
        cfg = [
            [layer["config"]["reset_after"], layer["config"]["use_bias"]]
            for layer in config["config"]["layers"]
            if "reset_after" in layer["config"]
        ]
        clone = keras.models.model_from_json(model.to_json())
        clone_shapes = [w.shape.as_list() for w in clone.weights]
    return {
        "before": [float(v) for v in before.ravel()],
        "after": [float(v) for v in after.ravel()],
        "loss": [float(v) for v in hist.history["loss"]],
        "weights": [[w.name, w.shape.as_list()] for w in model.weights],
        "config": cfg,
        "clone": clone_shapes,
    }


EXPECTED = {
    "before": [
        -0.39223814010620117,
        -0.0984569564461708,
        -0.03497109189629555,
        0.23201236128807068,
        -0.17005890607833862,
        0.003097575157880783,
        -0.037800006568431854,
        0.06884805113077164,
        0.1820511370897293,
        0.08222465962171555,
        -0.00597823690623045,
        -0.3265865743160248,
    ],
    "after": [
        -0.3868200182914734,
        -0.10011713951826096,
        -0.029338259249925613,
        0.22999203205108643,
        -0.16468343138694763,
        0.003270339220762253,
        -0.03337293118238449,
        0.06670936942100525,
        0.185208261013031,
        0.08736981451511383,
        -0.004765911027789116,
        -0.32766619324684143,
    ],
    "loss": [0.9114842414855957, 0.9084070324897766],
    "weights": [
        ["g1/gru_cell/kernel:0", [2, 12]],
        ["g1/gru_cell/recurrent_kernel:0", [4, 12]],
        ["g1/gru_cell/bias:0", [2, 12]],
        ["g2/gru_cell/kernel:0", [4, 12]],
        ["g2/gru_cell/recurrent_kernel:0", [4, 12]],
    ],
    "config": [[True, True], [True, False]],
    "clone": [[2, 12], [4, 12], [2, 12], [4, 12], [4, 12]],
}


def test_keras_gru_reset_after_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
