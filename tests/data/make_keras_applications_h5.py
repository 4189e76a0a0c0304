"""Writes ``keras_applications_h5/``: the weights file (``save_weights``, HDF5) of a small
ConvNeXt made by TensorFlow's own Keras (tf_keras, TF1 graph mode), with
``tools/keras_applications_reference.py``'s deterministic weights, and its predictions:
``tests/keras/applications/test_tf_op_layers.py`` loads the file into scopeflow's model
(nested ``Sequential`` stem and downsampling blocks, layer scales, grouped convolutions,
``TensorFlowOpLayer``s).

Run from the repository root with a Python that has TensorFlow, tf_keras and h5py (never
scopeflow's venv):

    TF_USE_LEGACY_KERAS=1 /path/to/tf-venv/bin/python tests/data/make_keras_applications_h5.py
"""

import json
import os
import sys

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
os.environ["TF_USE_LEGACY_KERAS"] = "1"

import tensorflow.compat.v1 as tf  # noqa: E402
from tf_keras.src.applications import convnext  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))
from keras_applications_reference import fill, image  # noqa: E402

tf.disable_v2_behavior()
OUT = os.path.join(HERE, "keras_applications_h5")
# file name -> the model (the test builds the same with scopeflow's functions).
MODELS = {
    "convnext_mini.h5": lambda: convnext.ConvNeXt(
        [1, 1, 1, 1],
        [8, 16, 24, 32],
        input_shape=(32, 32, 3),
        classes=3,
        model_name="convnext_mini",
    ),
}


def main() -> None:
    predictions = {}
    for name, build in MODELS.items():
        with tf.Graph().as_default():
            model = build()
            model.set_weights(
                [fill(w.name, w.shape.as_list(), i) for i, w in enumerate(model.weights)]
            )
            model.save_weights(os.path.join(OUT, name))
            predictions[name] = model.predict(image((2, 32, 32, 3))).tolist()
    with open(os.path.join(OUT, "predictions.json"), "w") as f:
        json.dump(predictions, f)


if __name__ == "__main__":
    main()
