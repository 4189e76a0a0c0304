"""A tf.keras Sequential of image layers: ZeroPadding2D, Conv2D, BatchNormalization,
SeparableConv2D with a depth multiplier, MaxPooling2D, UpSampling2D, Cropping2D,
SpatialDropout2D, Permute, Reshape(-1), RepeatVector, Flatten, Activation, trained with Adagrad
under class_weight, sample_weight and weighted_metrics; output shapes, weights, history and
predictions. (GaussianNoise is left out: scopeflow seeds it from NumPy, as TF 1.15's Keras
did, while tf_keras 2.21 takes graph-level seeds.)

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    keras = tf.keras
    L = keras.layers
    rng = np.random.RandomState(79)
    xs = rng.rand(12, 8, 8, 2).astype(np.float32)
    ys = rng.randint(0, 3, 12)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(83)
        model = keras.Sequential(
            [
                L.ZeroPadding2D(1, input_shape=(8, 8, 2)),
                L.Conv2D(4, 3, activation="relu", name="c1"),
                L.BatchNormalization(name="bn"),
                L.SeparableConv2D(4, 3, padding="same", depth_multiplier=2, name="sep"),
                L.MaxPooling2D(2),
                L.UpSampling2D(2),
                L.Cropping2D(((1, 1), (2, 2))),
                L.SpatialDropout2D(0.2),
                L.Permute((2, 1, 3)),
                L.Reshape((-1,)),
                L.Dense(5, name="d1"),
                L.RepeatVector(2),
                L.Flatten(),
                L.Dense(3, name="d2"),
                L.Activation("softmax"),
            ]
        )
        model.compile(
            keras.optimizers.Adagrad(0.1),
            "sparse_categorical_crossentropy",
            metrics=["sparse_categorical_accuracy"],
            weighted_metrics=["accuracy"],
        )
        sw = np.linspace(0.5, 1.5, 12).astype(np.float32)
        hist = model.fit(
            xs,
            ys,
            batch_size=6,
            epochs=2,
            shuffle=False,
            verbose=0,
            class_weight={0: 1.0, 1: 2.0, 2: 0.5},
            sample_weight=sw,
        )
        pred = model.predict(xs[:2])
        shapes = [list(layer.output_shape) for layer in model.layers]
    return {
        "history": {k: [float(v) for v in vs] for k, vs in sorted(hist.history.items())},
        "pred": [float(v) for v in pred.ravel()],
        "shapes": shapes,
        "weights": [[w.name, w.shape.as_list()] for w in model.weights],
    }


EXPECTED = {
    "history": {
        "loss": [1.1383563876152039, 4.6370251178741455],
        "sparse_categorical_accuracy": [0.5, 0.1666666716337204],
        "weighted_acc": [0.7089430689811707, 0.14146341383457184],
    },
    "pred": [
        0.3822123110294342,
        0.42701029777526855,
        0.19077737629413605,
        0.32473838329315186,
        0.4670237600803375,
        0.20823781192302704,
    ],
    "shapes": [
        [None, 10, 10, 2],
        [None, 8, 8, 4],
        [None, 8, 8, 4],
        [None, 8, 8, 4],
        [None, 4, 4, 4],
        [None, 8, 8, 4],
        [None, 6, 4, 4],
        [None, 6, 4, 4],
        [None, 4, 6, 4],
        [None, 96],
        [None, 5],
        [None, 2, 5],
        [None, 10],
        [None, 3],
        [None, 3],
    ],
    "weights": [
        ["c1/kernel:0", [3, 3, 2, 4]],
        ["c1/bias:0", [4]],
        ["bn/gamma:0", [4]],
        ["bn/beta:0", [4]],
        ["bn/moving_mean:0", [4]],
        ["bn/moving_variance:0", [4]],
        ["sep/depthwise_kernel:0", [3, 3, 4, 2]],
        ["sep/pointwise_kernel:0", [1, 1, 8, 4]],
        ["sep/bias:0", [4]],
        ["d1/kernel:0", [96, 5]],
        ["d1/bias:0", [5]],
        ["d2/kernel:0", [10, 3]],
        ["d2/bias:0", [3]],
    ],
}


def test_keras_image_layers_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
