"""Writes ``keras_saving/`` with TensorFlow's own Keras (tf_keras, TF1 graph mode): the layer
configs and whole-model HDF5 files ``tests/keras/test_saving_h5.py`` and
``tests/keras/test_serialization.py`` check scopeflow against.

Run from the repository root with a Python that has TensorFlow, tf_keras and h5py (never
scopeflow's venv):

    TF_USE_LEGACY_KERAS=1 /path/to/tf-venv/bin/python tests/data/make_keras_saving.py

It writes ``layer_configs.json`` (``get_config()`` of each layer in ``LAYERS``, built with
the expression given, in ``serialize`` form), and for each model of ``MODELS``:
``<name>.h5`` (``model.save`` after one training step) and ``<name>.json``: the inputs, the
predictions of the saved model, and the predictions after one more training step on the
same batch (they depend on the optimizer's state the file holds).
"""

import json
import os
import shutil

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
os.environ["TF_USE_LEGACY_KERAS"] = "1"

import numpy as np  # noqa: E402
import tensorflow.compat.v1 as tf  # noqa: E402
import tf_keras as keras  # noqa: E402
from tf_keras.src.saving.legacy.saved_model import json_utils  # noqa: E402

tf.disable_v2_behavior()
HERE = os.path.dirname(os.path.abspath(__file__))
L = keras.layers

# Expressions over ``L`` (keras.layers) and ``keras``; each builds one layer.
LAYERS = [
    "L.Dense(3)",
    "L.Dense(3, activation='relu', use_bias=False, kernel_initializer='he_normal')",
    "L.Dense(2, kernel_regularizer=keras.regularizers.l2(0.1), bias_constraint='non_neg')",
    "L.Dropout(0.25, seed=3)",
    "L.Flatten()",
    "L.Conv1D(2, 3, strides=2, padding='same', activation='tanh')",
    "L.Conv2D(4, (3, 2), dilation_rate=2, kernel_initializer='lecun_uniform')",
    "L.Conv3D(2, 3)",
    "L.Conv2DTranspose(3, 2, strides=2, padding='same')",
    "L.SeparableConv2D(4, 3, depth_multiplier=2)",
    "L.DepthwiseConv2D(3, depth_multiplier=2, use_bias=False)",
    "L.BatchNormalization(momentum=0.9, epsilon=1e-5, center=False)",
    "L.LayerNormalization(epsilon=1e-6)",
    "L.MaxPooling1D()",
    "L.AveragePooling1D(3, strides=1, padding='same')",
    "L.MaxPooling2D((3, 3), strides=2)",
    "L.AveragePooling2D()",
    "L.MaxPooling3D()",
    "L.GlobalAveragePooling2D()",
    "L.GlobalMaxPooling1D()",
    "L.Activation('sigmoid')",
    "L.Reshape((4, -1))",
    "L.Permute((2, 1))",
    "L.RepeatVector(4)",
    "L.Masking(mask_value=-1.0)",
    "L.Concatenate(axis=1)",
    "L.Add()",
    "L.Multiply()",
    "L.Average()",
    "L.Dot(axes=1, normalize=True)",
    "L.Embedding(10, 4, mask_zero=True, input_length=5)",
    "L.GaussianNoise(0.5)",
    "L.GaussianDropout(0.2)",
    "L.AlphaDropout(0.1)",
    "L.SpatialDropout1D(0.3)",
    "L.SpatialDropout2D(0.3)",
    "L.ZeroPadding1D(2)",
    "L.ZeroPadding2D(((1, 2), (3, 4)))",
    "L.Cropping1D((1, 2))",
    "L.Cropping2D(((1, 1), (2, 2)))",
    "L.UpSampling1D(3)",
    "L.UpSampling2D((2, 3), interpolation='bilinear')",
    "L.ELU(alpha=0.5)",
    "L.ReLU(max_value=6.0)",
    "L.Softmax(axis=1)",
    "L.ThresholdedReLU(theta=0.5)",
    "L.PReLU(shared_axes=[1, 2])",
    "L.Attention(use_scale=True)",
    "L.AdditiveAttention()",
    "L.SimpleRNN(3, return_sequences=True)",
    "L.LSTM(4, go_backwards=True, recurrent_activation='hard_sigmoid')",
    "L.GRU(2, reset_after=False, return_state=True)",
    "L.SimpleRNNCell(3)",
    "L.LSTMCell(2, unit_forget_bias=False)",
    "L.TimeDistributed(L.Dense(2))",
    "L.Bidirectional(L.LSTM(3), merge_mode='sum')",
    "L.RNN(L.SimpleRNNCell(2), return_sequences=True)",
    "L.RNN([L.SimpleRNNCell(2), L.LSTMCell(3)])",
]


def functional_model():
    """Two inputs, a shared layer, a nested Sequential model, two outputs."""
    a = keras.Input(shape=(4,), name="a")
    b = keras.Input(shape=(4,), name="b")
    shared = L.Dense(5, activation="tanh", name="shared")
    inner = keras.Sequential([L.Dense(3, activation="relu", input_shape=(5,))], name="inner")
    ha, hb = inner(shared(a)), inner(shared(b))
    merged = L.concatenate([ha, hb, L.subtract([ha, hb])])
    out = L.Dense(2, activation="softmax", name="probs")(merged)
    value = L.Dense(1, name="value")(L.BatchNormalization()(merged))
    model = keras.Model([a, b], [out, value])
    model.compile("adam", ["sparse_categorical_crossentropy", "mse"], loss_weights=[1.0, 0.5])
    rng = np.random.RandomState(0)
    x = [rng.randn(6, 4).astype("float32"), rng.randn(6, 4).astype("float32")]
    y = [rng.randint(0, 2, size=(6, 1)), rng.randn(6, 1).astype("float32")]
    return model, x, y


def cnn_model():
    """A Sequential convolutional classifier with batch normalization."""
    model = keras.Sequential(
        [
            L.Conv2D(4, 3, padding="same", activation="relu", input_shape=(6, 6, 2)),
            L.BatchNormalization(),
            L.MaxPooling2D(),
            L.Activation("elu"),
            L.Flatten(),
            L.Dense(3, activation="softmax", kernel_regularizer=keras.regularizers.l2(0.01)),
        ]
    )
    model.compile(
        keras.optimizers.legacy.SGD(0.1, momentum=0.9),
        "categorical_crossentropy",
        metrics=["accuracy"],
    )
    rng = np.random.RandomState(1)
    x = rng.randn(5, 6, 6, 2).astype("float32")
    y = keras.utils.to_categorical(rng.randint(0, 3, size=5), 3)
    return model, x, y


def rnn_model():
    """Embedding with a mask, a bidirectional LSTM, a GRU as TF1.15 made it."""
    model = keras.Sequential(
        [
            L.Embedding(12, 4, mask_zero=True, input_length=5),
            L.Bidirectional(L.LSTM(3, return_sequences=True)),
            L.GRU(3, reset_after=False, recurrent_activation="hard_sigmoid"),
            L.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(keras.optimizers.legacy.RMSprop(0.01), "binary_crossentropy")
    x = np.array([[1, 2, 3, 0, 0], [4, 5, 6, 7, 8], [9, 10, 11, 0, 0]], dtype="float32")
    y = np.array([[1.0], [0.0], [1.0]], dtype="float32")
    return model, x, y


def lambda_model():
    """Lambda layers: an expression, and a function of TF with an argument."""
    x = keras.Input(shape=(3,))
    h = L.Lambda(lambda t: t * 2.0 + 1.0, name="affine")(x)
    h = L.Lambda(lambda t, k: tf.nn.relu(t - 2.0) * k, arguments={"k": 3.0}, name="relu")(h)
    model = keras.Model(x, L.Dense(2, name="out")(h))
    model.compile("sgd", "mse")
    rng = np.random.RandomState(2)
    return model, rng.randn(4, 3).astype("float32"), rng.randn(4, 2).astype("float32")


def zoo_model():
    """One of each weighted layer kind: transposed, separable and depthwise convolutions,
    layer normalization, PReLU, embedding, time-distributed dense, attention with a scale."""
    image = keras.Input(shape=(5, 5, 2), name="image")
    h = L.Conv2DTranspose(3, 2, padding="same")(image)
    h = L.SeparableConv2D(4, 3, padding="same", depth_multiplier=2)(h)
    h = L.DepthwiseConv2D(3, padding="same", activation="relu")(h)
    h = L.PReLU(shared_axes=[1, 2])(L.LayerNormalization()(h))
    h = L.GlobalAveragePooling2D()(h)
    words = keras.Input(shape=(4,), name="words")
    e = L.TimeDistributed(L.Dense(3))(L.Embedding(10, 3)(words))
    e = L.Attention(use_scale=True)([e, L.Conv1D(3, 2, padding="same")(e)])
    e = L.GlobalMaxPooling1D()(e)
    out = L.Dense(2, name="out")(L.concatenate([h, e]))
    model = keras.Model([image, words], out)
    model.compile("adam", "mse")
    rng = np.random.RandomState(3)
    x = [rng.randn(3, 5, 5, 2).astype("float32"), rng.randint(0, 10, (3, 4)).astype("float32")]
    return model, x, rng.randn(3, 2).astype("float32")


MODELS = {
    "functional": functional_model,
    "cnn": cnn_model,
    "rnn": rnn_model,
    "lambda": lambda_model,
    "zoo": zoo_model,
}


def _listed(x):
    return [v.tolist() for v in x] if isinstance(x, list) else x.tolist()


def main() -> None:
    out = os.path.join(os.path.relpath(HERE), "keras_saving")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    configs = {}
    for expression in LAYERS:
        with tf.Graph().as_default():
            layer = eval(expression)  # noqa: S307 - our own literal expressions
            configs[expression] = json.loads(
                json.dumps(keras.layers.serialize(layer), default=json_utils.get_json_type)
            )
    with open(os.path.join(out, "layer_configs.json"), "w") as f:
        json.dump(configs, f, indent=1, sort_keys=True)
    for name, make in MODELS.items():
        with tf.Graph().as_default():
            tf.set_random_seed(0)
            model, x, y = make()
            model.fit(x, y, batch_size=len(y[0]) if isinstance(y, list) else len(y), verbose=0)
            model.save(os.path.join(out, f"{name}.h5"))
            saved = model.predict(x)
            model.fit(x, y, batch_size=len(y[0]) if isinstance(y, list) else len(y), verbose=0)
            record = {
                "x": _listed(x),
                "y": _listed(y),
                "predictions": _listed(saved),
                "after_step": _listed(model.predict(x)),
            }
        with open(os.path.join(out, f"{name}.json"), "w") as f:
            json.dump(record, f)


if __name__ == "__main__":
    main()
