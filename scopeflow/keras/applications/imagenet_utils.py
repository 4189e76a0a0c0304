"""``tf.keras.applications.imagenet_utils``: the three ways ImageNet models expect their
images scaled (``preprocess_input``'s modes), ImageNet's class names for predictions, and
the input-shape checks every application shares.

>>> import numpy as np, scopeflow as tf
>>> tf.keras.applications.imagenet_utils.preprocess_input(
...     np.full((1, 1, 3), 255.0), mode="tf").tolist()
[[[1.0, 1.0, 1.0]]]
"""

from __future__ import annotations

import json
import os
import warnings

import numpy as np

from scopeflow.keras import activations, backend, layers
from scopeflow.keras.engine import Input, InputLayer, keras_history
from scopeflow.keras.network import Model

_MEANS = {"torch": [0.485, 0.456, 0.406], "caffe": [103.939, 116.779, 123.68]}
_STDS = {"torch": [0.229, 0.224, 0.225]}
_CLASS_INDEX: list = []


def preprocess_input(x, data_format=None, mode="caffe"):
    """Scales a batch of RGB images (values in ``[0, 255]``, a NumPy array, changed in place
    when it is floating, or a tensor) for an ImageNet model.

    Args:
        x: 3-D or 4-D images with 3 channels.
        data_format: ``"channels_last"`` (the default) or ``"channels_first"``.
        mode: ``"caffe"`` (RGB to BGR, then the ImageNet means subtracted), ``"tf"``
            (scaled to ``[-1, 1]``) or ``"torch"`` (scaled to ``[0, 1]``, then normalized
            by ImageNet's means and standard deviations).

    Raises:
        ValueError: an unknown ``mode`` or ``data_format``.

    >>> import numpy as np, scopeflow as tf
    >>> tf.keras.applications.imagenet_utils.preprocess_input(np.zeros((1, 1, 3))).tolist()
    [[[-103.939, -116.779, -123.68]]]
    """
    if mode not in {"caffe", "tf", "torch"}:
        raise ValueError(
            f"Expected mode to be one of `caffe`, `tf` or `torch`. Received: mode={mode}"
        )
    if data_format is None:
        data_format = backend.image_data_format()
    elif data_format not in {"channels_first", "channels_last"}:
        raise ValueError(
            "Expected data_format to be one of `channels_first` or `channels_last`. "
            f"Received: data_format={data_format}"
        )
    if isinstance(x, np.ndarray):
        return _preprocess_numpy(x, data_format, mode)
    return _preprocess_symbolic(x, data_format, mode)


def _channel_shape(data_format: str) -> tuple:
    """The shape that broadcasts a per-channel vector over images."""
    return (3, 1, 1) if data_format == "channels_first" else (3,)


def _bgr(x, ndim: int, data_format: str):
    if data_format == "channels_first":
        return x[::-1, ...] if ndim == 3 else x[:, ::-1, ...]
    return x[..., ::-1]


def _scaled_or_bgr(x, ndim: int, data_format: str, mode: str):
    """``mode``'s first step: scaled to ``[-1, 1]`` ('tf', the only step) or ``[0, 1]``
    ('torch'), else the channels reversed to BGR ('caffe')."""
    if mode == "tf":
        x /= 127.5
        x -= 1.0
    elif mode == "torch":
        x /= 255.0
    else:
        x = _bgr(x, ndim, data_format)
    return x


def _preprocess_numpy(x: np.ndarray, data_format: str, mode: str) -> np.ndarray:
    if not issubclass(x.dtype.type, np.floating):
        x = x.astype(backend.floatx(), copy=False)
    x = _scaled_or_bgr(x, x.ndim, data_format, mode)
    if mode == "tf":
        return x
    shape = _channel_shape(data_format)
    x -= np.reshape(_MEANS[mode], shape).astype(x.dtype)
    if mode in _STDS:
        x /= np.reshape(_STDS[mode], shape).astype(x.dtype)
    return x


def _preprocess_symbolic(x, data_format: str, mode: str):
    x = _scaled_or_bgr(x, backend.ndim(x), data_format, mode)
    if mode == "tf":
        return x
    mean = backend.constant(-np.array(_MEANS[mode]))
    if backend.dtype(x) != backend.dtype(mean):
        mean = backend.cast(mean, backend.dtype(x))
    if data_format == "channels_first":
        x = x + backend.reshape(mean, (-1, 1, 1))
    else:
        x = backend.bias_add(x, mean)
    if mode in _STDS:
        std = backend.constant(np.array(_STDS[mode]), dtype=backend.dtype(x))
        if data_format == "channels_first":
            std = backend.reshape(std, (-1, 1, 1))
        x /= std
    return x


def _class_index_path() -> str:
    """Where Keras caches ImageNet's class index (``$KERAS_HOME`` or ``~/.keras``)."""
    home = os.environ.get("KERAS_HOME", os.path.join(os.path.expanduser("~"), ".keras"))
    return os.path.join(home, "models", "imagenet_class_index.json")


def decode_predictions(preds, top=5) -> list:
    """The ``top`` ImageNet classes of each row of ``preds`` (``[samples, 1000]``), as
    ``(class_name, class_description, score)`` tuples, best first.

    ImageNet's class names are read from ``imagenet_class_index.json`` in Keras's cache
    (``~/.keras/models/``, or ``$KERAS_HOME/models/``), where TensorFlow's Keras downloads
    it; scopeflow downloads nothing, so copy the file there first.

    Raises:
        ValueError: ``preds`` is not ``[samples, 1000]``.
        FileNotFoundError: the class index is not in Keras's cache.
    """
    preds = np.asarray(preds)
    if len(preds.shape) != 2 or preds.shape[1] != 1000:
        raise ValueError(
            "`decode_predictions` expects a batch of predictions (i.e. a 2D array of shape "
            f"(samples, 1000)). Found array with shape: {preds.shape}"
        )
    if not _CLASS_INDEX:
        path = _class_index_path()
        if not os.path.exists(path):
            raise FileNotFoundError(
                f"decode_predictions needs ImageNet's class index, {path}, which scopeflow "
                "cannot download (TensorFlow's Keras fetches it from https://storage."
                "googleapis.com/download.tensorflow.org/data/imagenet_class_index.json): "
                "copy that file there."
            )
        with open(path) as f:
            _CLASS_INDEX.append(json.load(f))
    index = _CLASS_INDEX[0]
    results = []
    for pred in preds:
        top_indices = pred.argsort()[-top:][::-1]
        result = [(*index[str(i)], pred[i]) for i in top_indices]
        result.sort(key=lambda x: x[2], reverse=True)
        results.append(result)
    return results


def obtain_input_shape(
    input_shape, default_size, min_size, data_format, require_flatten, weights=None
) -> tuple:
    """The input shape of an application (its default when ``input_shape`` is None), checked
    against its smallest size; with ``require_flatten`` (``include_top``) it must be static."""
    channels_first = data_format == "channels_first"
    if weights != "imagenet" and input_shape and len(input_shape) == 3:
        channels = input_shape[0] if channels_first else input_shape[-1]
        if channels not in {1, 3}:
            warnings.warn(
                "This model usually expects 1 or 3 input channels. However, it was passed an "
                f"input_shape with {channels} input channels.",
                stacklevel=3,
            )
        size = (default_size, default_size)
        default_shape = (channels, *size) if channels_first else (*size, channels)
    else:
        size = (default_size, default_size)
        default_shape = (3, *size) if channels_first else (*size, 3)
    if weights == "imagenet" and require_flatten:
        if input_shape is not None and tuple(input_shape) != default_shape:
            raise ValueError(
                "When setting `include_top=True` and loading `imagenet` weights, `input_shape` "
                f"should be {default_shape}.  Received: input_shape={input_shape}"
            )
        return default_shape
    if input_shape:
        if len(input_shape) != 3:
            raise ValueError("`input_shape` must be a tuple of three integers.")
        channels = input_shape[0] if channels_first else input_shape[-1]
        if channels != 3 and weights == "imagenet":
            raise ValueError(
                f"The input must have 3 channels; Received `input_shape={input_shape}`"
            )
        rows, cols = input_shape[1:] if channels_first else input_shape[:2]
        if (rows is not None and rows < min_size) or (cols is not None and cols < min_size):
            raise ValueError(
                f"Input size must be at least {min_size}x{min_size}; Received: "
                f"input_shape={input_shape}"
            )
    elif require_flatten:
        input_shape = default_shape
    else:
        input_shape = (3, None, None) if channels_first else (None, None, 3)
    if require_flatten and None in input_shape:
        raise ValueError(
            "If `include_top` is True, you should specify a static `input_shape`. "
            f"Received: input_shape={input_shape}"
        )
    return tuple(input_shape)


def correct_pad(inputs, kernel_size) -> tuple:
    """The ``ZeroPadding2D`` padding before a strided ``valid`` convolution of
    ``kernel_size`` that matches ``same`` padding on even sizes as Keras's models do."""
    input_size = backend.int_shape(inputs)[1:3]
    if isinstance(kernel_size, int):
        kernel_size = (kernel_size, kernel_size)
    adjust = (1, 1) if input_size[0] is None else (1 - input_size[0] % 2, 1 - input_size[1] % 2)
    correct = (kernel_size[0] // 2, kernel_size[1] // 2)
    return ((correct[0] - adjust[0], correct[0]), (correct[1] - adjust[1], correct[1]))


def validate_activation(classifier_activation, weights) -> None:
    """With pretrained ``weights``, the classifier's activation must be softmax or none."""
    if weights is None:
        return
    activation = activations.get(classifier_activation)
    if activation not in {activations.get("softmax"), activations.get(None)}:
        raise ValueError(
            "Only `None` and `softmax` activations are allowed for the `classifier_activation` "
            "argument when using pretrained weights, with `include_top=True`; Received: "
            f"classifier_activation={classifier_activation}"
        )


# -- what every application does before and after its layers ----------------------------------


def check_weights(weights, include_top: bool, classes: int) -> None:
    """``weights`` must be None, ``'imagenet'`` or an existing file (a ``classes`` other
    than 1000 only without ImageNet's classifier)."""
    if not (weights in {"imagenet", None} or os.path.exists(weights)):
        raise ValueError(
            "The `weights` argument should be either `None` (random initialization), "
            "`imagenet` (pre-training on ImageNet), or the path to the weights file to be "
            f"loaded.  Received: weights={weights}"
        )
    if weights == "imagenet" and include_top and classes != 1000:
        raise ValueError(
            'If using `weights` as `"imagenet"` with `include_top` as true, `classes` should '
            f"be 1000.  Received `classes={classes}`"
        )
    if weights == "imagenet":
        raise NotImplementedError(
            "weights='imagenet' needs Keras's pretrained weights, which scopeflow cannot "
            "download: pass weights=None, or the path of the weights file (the .h5 file "
            "TensorFlow's Keras keeps in ~/.keras/models/) as weights='<path>'."
        )


def checked_inputs(weights, include_top, classes, input_shape, default_size, input_tensor):
    """ConvNeXt's and RegNet's start: TF's checks of ``weights`` and ``classes`` (their
    wording), then ``(input_shape, img_input, inputs)``: the checked shape, the image input
    and the model's input (the source of ``input_tensor`` when one is given)."""
    if not (weights in {"imagenet", None} or os.path.exists(weights)):
        raise ValueError(
            "The `weights` argument should be either `None` (random initialization), "
            "`imagenet` (pre-training on ImageNet), or the path to the weights file to be "
            "loaded."
        )
    if weights == "imagenet" and include_top and classes != 1000:
        raise ValueError(
            "If using `weights` as `'imagenet'` with `include_top` as true, `classes` should "
            "be 1000"
        )
    input_shape, img_input = checked_image_input(
        weights, include_top, classes, input_shape, default_size, 32, input_tensor
    )
    inputs = img_input if input_tensor is None else source_inputs(img_input)[0]
    return input_shape, img_input, inputs


def checked_image_input(
    weights, include_top, classes, input_shape, default_size, min_size, input_tensor
):
    """An application's start: ``check_weights``, the input shape (``obtain_input_shape``
    with ``default_size`` and ``min_size``) and the image input (``image_input``); returns
    ``(input_shape, img_input)``."""
    check_weights(weights, include_top, classes)
    input_shape = obtain_input_shape(
        input_shape, default_size, min_size, "channels_last", require_flatten=include_top,
        weights=weights,
    )  # fmt: skip
    return input_shape, image_input(input_tensor, input_shape)


def image_input(input_tensor, input_shape):
    """The model's input: a new ``Input`` of ``input_shape``, ``input_tensor`` itself when a
    Keras layer made it, or an ``Input`` wrapping it otherwise."""
    if input_tensor is None:
        return Input(shape=input_shape)
    if not backend.is_keras_tensor(input_tensor):
        return Input(tensor=input_tensor, shape=input_shape)
    return input_tensor


def source_inputs(tensor) -> list:
    """The ``Input`` tensors that ``tensor`` was computed from (``get_source_inputs``)."""
    found: list = []

    def visit(x) -> None:
        layer, node_index, _ = keras_history(x)
        node = layer._inbound_nodes[node_index]
        if isinstance(layer, InputLayer) or not node.inbound:
            if not any(x is f for f in found):
                found.append(x)
            return
        for y in node.inputs if isinstance(node.inputs, list | tuple) else [node.inputs]:
            visit(y)

    visit(tensor)
    return found


def pooled(x, pooling, avg_name=None, max_name=None):
    """The features ``x`` under ``include_top=False``: pooled to ``[batch, channels]`` by
    ``pooling='avg'`` or ``'max'``, unchanged for None."""
    if pooling == "avg":
        return layers.GlobalAveragePooling2D(name=avg_name)(x)
    if pooling == "max":
        return layers.GlobalMaxPooling2D(name=max_name)(x)
    return x


def classifier(
    x, classes, classifier_activation, weights, pool_name="avg_pool", dropout_rate=0, **dense
):
    """ImageNet models' top: global average pooling, dropout (``top_dropout``) when
    ``dropout_rate`` is positive, and a ``predictions`` dense layer (``dense``: more of its
    arguments)."""
    x = layers.GlobalAveragePooling2D(name=pool_name)(x)
    if dropout_rate > 0:
        x = layers.Dropout(dropout_rate, name="top_dropout")(x)
    validate_activation(classifier_activation, weights)
    return layers.Dense(classes, activation=classifier_activation, name="predictions", **dense)(x)


def top(x, include_top, pooling, classes, classifier_activation, weights, pool_names=(), **kw):
    """An application's end: ``classifier`` (``kw``: its keyword arguments) with
    ``include_top``, else the features ``pooled`` by ``pooling`` (``pool_names``: the
    pooling layers' names, Keras's defaults when not given)."""
    if include_top:
        return classifier(x, classes, classifier_activation, weights, **kw)
    return pooled(x, pooling, *pool_names)


def model(input_tensor, img_input, outputs, name: str, weights):
    """The application's ``Model`` (from ``input_tensor``'s own inputs when given), with the
    weights of the file ``weights`` loaded (none when None)."""
    inputs = img_input if input_tensor is None else source_inputs(input_tensor)
    result = Model(inputs, outputs, name=name)
    if weights is not None:
        result.load_weights(weights)
    return result


def variant(name: str, doc: str, module: str, make):
    """The application function ``name`` (``module``'s) with Keras's seven arguments
    (``include_top=True, weights='imagenet', input_tensor=None, input_shape=None,
    pooling=None, classes=1000, classifier_activation='softmax'``), passed to ``make`` by
    keyword."""

    def build(
        include_top=True,
        weights="imagenet",
        input_tensor=None,
        input_shape=None,
        pooling=None,
        classes=1000,
        classifier_activation="softmax",
    ):
        return make(
            include_top=include_top, weights=weights, input_tensor=input_tensor,
            input_shape=input_shape, pooling=pooling, classes=classes,
            classifier_activation=classifier_activation,
        )  # fmt: skip

    build.__name__ = build.__qualname__ = name
    build.__doc__ = doc
    build.__module__ = module
    return build


def preprocessor(mode: str):
    """An application's ``preprocess_input(x, data_format=None)``, in ``mode``."""

    def preprocess(x, data_format=None):
        return preprocess_input(x, data_format=data_format, mode=mode)

    preprocess.__name__ = preprocess.__qualname__ = "preprocess_input"
    preprocess.__doc__ = f"``imagenet_utils.preprocess_input(x, data_format, mode={mode!r})``."
    return preprocess
