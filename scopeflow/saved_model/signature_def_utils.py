"""``tf.saved_model.signature_def_utils``: ``SignatureDef`` protos, the named inputs and
outputs TensorFlow Serving (and ``loader.load``'s callers) look tensors up by."""

from __future__ import annotations

from scopeflow.framework.tensor import Tensor
from scopeflow.graph_io import tensor_util
from scopeflow.graph_io.protos import messages
from scopeflow.saved_model import signature_constants as sc
from scopeflow.saved_model.method_name_updater import MethodNameUpdater  # noqa: F401 - TF's name
from scopeflow.saved_model.utils import build_tensor_info, build_tensor_info_from_op


def build_signature_def(inputs=None, outputs=None, method_name=None, defaults=None):
    """A ``SignatureDef`` of ``inputs`` and ``outputs`` (dicts of ``TensorInfo`` protos),
    ``method_name`` and ``defaults`` (dict of constant tensors).

    Raises:
        ValueError: a default is not a constant.
    """
    signature = messages().SignatureDef()
    for key, info in (inputs or {}).items():
        signature.inputs[key].CopyFrom(info)
    for key, info in (outputs or {}).items():
        signature.outputs[key].CopyFrom(info)
    if method_name is not None:
        signature.method_name = method_name
    for key, default in (defaults or {}).items():
        if not isinstance(default, Tensor) or default.op.type != "Const":
            raise ValueError(
                f"Unable to convert object {default} of type {type(default)} to TensorProto."
            )
        signature.defaults[key].CopyFrom(
            tensor_util.make_tensor_proto(default.op.get_attr("value"))
        )
    return signature


def predict_signature_def(inputs, outputs):
    """A Predict ``SignatureDef`` (``tensorflow/serving/predict``) of the dicts of named
    tensors ``inputs`` and ``outputs``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.placeholder(tf.float32, [None, 2], name="x")
    ...     sig = tf.saved_model.predict_signature_def({"x": x}, {"y": 2.0 * x})
    >>> sig.method_name, sig.inputs["x"].name
    ('tensorflow/serving/predict', 'x:0')

    Raises:
        ValueError: ``inputs`` or ``outputs`` is None or empty.
    """
    if not inputs:
        raise ValueError("Prediction `inputs` cannot be None or empty.")
    if not outputs:
        raise ValueError("Prediction `outputs` cannot be None or empty.")
    return build_signature_def(
        {key: build_tensor_info(t) for key, t in inputs.items()},
        {key: build_tensor_info(t) for key, t in outputs.items()},
        sc.PREDICT_METHOD_NAME,
    )


_NOT_TENSOR = {
    "Classification": "Classification `examples` must be a string Tensor.",
    "Regression": "Expected regression `examples` to be of type Tensor.",
}
_NOT_STRING = {"Classification": "of type", "Regression": "with type"}


def _string_examples(examples, what: str):
    if examples is None:
        raise ValueError(f"{what} `examples` cannot be None.")
    if not isinstance(examples, Tensor):
        raise ValueError(f"{_NOT_TENSOR[what]} Found `examples` of type {type(examples)}.")
    info = build_tensor_info(examples)
    if info.dtype != messages().DT_STRING:
        raise ValueError(
            f"{what} input tensors must be of type string. Found tensors {_NOT_STRING[what]} "
            f"{info.dtype}."
        )
    return info


def classification_signature_def(examples, classes, scores):
    """A Classify ``SignatureDef`` (``tensorflow/serving/classify``): serialized
    ``tf.Example`` strings in, string ``classes`` and/or float ``scores`` out.

    Raises:
        ValueError: ``examples`` is not a string tensor, both outputs are None, or an output
            has the wrong dtype.
    """
    inputs = {sc.CLASSIFY_INPUTS: _string_examples(examples, "Classification")}
    if classes is None and scores is None:
        raise ValueError("Classification `classes` and `scores` cannot both be None.")
    outputs = {}
    if classes is not None:
        info = build_tensor_info(classes)
        if info.dtype != messages().DT_STRING:
            raise ValueError(
                f"Classification classes must be of type string Tensor. Found tensors of "
                f"type {info.dtype}."
            )
        outputs[sc.CLASSIFY_OUTPUT_CLASSES] = info
    if scores is not None:
        info = build_tensor_info(scores)
        if info.dtype != messages().DT_FLOAT:
            raise ValueError("Classification scores must be a float Tensor.")
        outputs[sc.CLASSIFY_OUTPUT_SCORES] = info
    return build_signature_def(inputs, outputs, sc.CLASSIFY_METHOD_NAME)


def regression_signature_def(examples, predictions):
    """A Regress ``SignatureDef`` (``tensorflow/serving/regress``): serialized
    ``tf.Example`` strings in, float ``predictions`` out.

    Raises:
        ValueError: ``examples`` is not a string tensor, or ``predictions`` is None or not
            float32.
    """
    inputs = {sc.REGRESS_INPUTS: _string_examples(examples, "Regression")}
    if predictions is None:
        raise ValueError("Regression `predictions` cannot be None.")
    info = build_tensor_info(predictions)
    if info.dtype != messages().DT_FLOAT:
        raise ValueError(
            f"Regression output tensors must be of type float. Found tensors with type "
            f"{info.dtype}."
        )
    return build_signature_def(inputs, {sc.REGRESS_OUTPUTS: info}, sc.REGRESS_METHOD_NAME)


def op_signature_def(op, key: str):
    """A ``SignatureDef`` whose one output ``key`` names ``op`` (an init or train op)."""
    return build_signature_def(outputs={key: build_tensor_info_from_op(op)})


def is_valid_signature(signature_def) -> bool:
    """Whether TensorFlow Serving can serve ``signature_def``: a Predict signature with
    inputs and outputs, or a Classify / Regress one with the keys and dtypes they need."""
    if signature_def is None:
        return False
    method = signature_def.method_name
    inputs, outputs = signature_def.inputs, signature_def.outputs
    string, float32 = messages().DT_STRING, messages().DT_FLOAT
    if method == sc.PREDICT_METHOD_NAME:
        return bool(inputs) and bool(outputs)
    if method == sc.REGRESS_METHOD_NAME:
        return (
            set(inputs) == {sc.REGRESS_INPUTS}
            and inputs[sc.REGRESS_INPUTS].dtype == string
            and set(outputs) == {sc.REGRESS_OUTPUTS}
            and outputs[sc.REGRESS_OUTPUTS].dtype == float32
        )
    if method == sc.CLASSIFY_METHOD_NAME:
        wanted = {sc.CLASSIFY_OUTPUT_CLASSES: string, sc.CLASSIFY_OUTPUT_SCORES: float32}
        return (
            set(inputs) == {sc.CLASSIFY_INPUTS}
            and inputs[sc.CLASSIFY_INPUTS].dtype == string
            and bool(outputs)
            and set(outputs) <= set(wanted)
            and all(outputs[key].dtype == dtype for key, dtype in wanted.items() if key in outputs)
        )
    return False
