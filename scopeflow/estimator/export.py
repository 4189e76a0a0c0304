"""``tf.estimator.export``: what a serving graph receives (``ServingInputReceiver`` and the
receiver functions that build one), what it returns (``PredictOutput``, ``RegressionOutput``,
``ClassificationOutput``), and ``Estimator.export_saved_model``'s work: the ``model_fn`` in
``PREDICT`` mode on the receiver's features, restored from a checkpoint and written as a
SavedModel under ``export_dir_base/<timestamp>``, as TF1's export does."""

from __future__ import annotations

import collections
import logging
import os
import shutil
import time

from scopeflow.framework import dtypes
from scopeflow.framework.graph import Graph, GraphKeys
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array.basic import placeholder
from scopeflow.ops.parsing.example_ops import parse_example
from scopeflow.ops.random.sampling import set_random_seed
from scopeflow.ops.sparse.tensor import SparseTensor
from scopeflow.saved_model import signature_def_utils, tag_constants
from scopeflow.saved_model.builder import SavedModelBuilder
from scopeflow.saved_model.signature_constants import DEFAULT_SERVING_SIGNATURE_DEF_KEY
from scopeflow.session.session import Session
from scopeflow.train.saver import Saver
from scopeflow.train.scaffold import Scaffold

_log = logging.getLogger("tensorflow")


def _wrap_and_check(tensors, field_name: str, default_key: str) -> dict:
    if tensors is None:
        raise ValueError(f"{field_name} must be defined.")
    if not isinstance(tensors, dict):
        tensors = {default_key: tensors}
    for name, tensor in tensors.items():
        if not isinstance(name, str):
            raise ValueError(f"{field_name} keys must be strings: {name}.")
        if not isinstance(tensor, (Tensor, SparseTensor)):
            raise ValueError(f"{field_name} must be a Tensor, SparseTensor, or RaggedTensor.")
    return tensors


class ServingInputReceiver(
    collections.namedtuple(
        "ServingInputReceiver", ["features", "receiver_tensors", "receiver_tensors_alternatives"]
    )
):
    """What a ``serving_input_receiver_fn`` returns: the ``features`` the ``model_fn``
    gets and the ``receiver_tensors`` (placeholders) a server feeds, both a tensor or a dict
    of them (a lone tensor is keyed ``feature`` / ``input``)."""

    def __new__(cls, features, receiver_tensors, receiver_tensors_alternatives=None):
        features = _wrap_and_check(features, "features", "feature")
        receiver_tensors = _wrap_and_check(receiver_tensors, "receiver_tensors", "input")
        if receiver_tensors_alternatives is not None:
            if not isinstance(receiver_tensors_alternatives, dict):
                raise ValueError(
                    "receiver_tensors_alternatives must be a dict: "
                    f"{receiver_tensors_alternatives}."
                )
            receiver_tensors_alternatives = {
                name: _wrap_and_check(alt, "receiver_tensors_alternative", "input")
                for name, alt in receiver_tensors_alternatives.items()
            }
        return super().__new__(cls, features, receiver_tensors, receiver_tensors_alternatives)


def build_parsing_serving_input_receiver_fn(feature_spec, default_batch_size=None):
    """A receiver function feeding serialized ``tf.train.Example``s (the string placeholder
    ``input_example_tensor``, received as ``examples``) parsed by ``feature_spec``."""

    def serving_input_receiver_fn():
        serialized = placeholder(
            dtype=dtypes.string, shape=[default_batch_size], name="input_example_tensor"
        )
        features = parse_example(serialized, feature_spec)
        return ServingInputReceiver(features, {"examples": serialized})

    return serving_input_receiver_fn


def build_raw_serving_input_receiver_fn(features, default_batch_size=None):
    """A receiver function feeding the features themselves: one placeholder per tensor of
    ``features`` (a tensor or a dict), of its dtype and shape (batch ``default_batch_size``),
    named after its op."""

    def serving_input_receiver_fn():
        given = features if isinstance(features, dict) else {"feature": features}
        receivers = {}
        for name, t in given.items():
            shape = [default_batch_size] + t.get_shape().as_list()[1:]
            receivers[name] = placeholder(dtype=t.dtype, shape=shape, name=t.op.name)
        wrapped = receivers if isinstance(features, dict) else receivers["feature"]
        return ServingInputReceiver(wrapped, receivers)

    return serving_input_receiver_fn


class ExportOutput:
    """A serving output of a model, turned into a ``SignatureDef``."""

    def as_signature_def(self, receiver_tensors):
        raise NotImplementedError

    @staticmethod
    def _single_string_input(receiver_tensors, what: str):
        message = (
            f"{what} signatures can only accept a single tensor input of type tf.string. Please "
            "check to make sure that you have structured the serving_input_receiver_fn so that "
            "it creates a single string placeholder. If your model function expects multiple "
            "inputs, then use `tf.io.parse_example()` to parse the string into multiple "
            f"tensors.\n Received: {receiver_tensors}"
        )
        if len(receiver_tensors) != 1:
            raise ValueError(message)
        ((_, examples),) = receiver_tensors.items()
        if examples.dtype.base_dtype != dtypes.string:
            raise ValueError(message)
        return examples


class PredictOutput(ExportOutput):
    """Named output tensors (a tensor alone is ``output``) of a Predict signature."""

    def __init__(self, outputs):
        if not isinstance(outputs, dict):
            outputs = {"output": outputs}
        self._outputs = {}
        for key, value in outputs.items():
            if isinstance(key, tuple):
                key = "/".join(key)
            if not isinstance(key, str):
                raise ValueError(f"Prediction output key must be a string; got {key}.")
            if not isinstance(value, Tensor):
                raise ValueError(f"Prediction output value must be a Tensor; got {value}.")
            self._outputs[key] = value

    @property
    def outputs(self) -> dict:
        return self._outputs

    def as_signature_def(self, receiver_tensors):
        return signature_def_utils.predict_signature_def(receiver_tensors, self._outputs)


class RegressionOutput(ExportOutput):
    """A float tensor of values, for a Regress signature on serialized examples."""

    def __init__(self, value):
        if not (isinstance(value, Tensor) and value.dtype.is_floating):
            raise ValueError(f"Regression output value must be a float32 Tensor; got {value}")
        self._value = value

    @property
    def value(self):
        return self._value

    def as_signature_def(self, receiver_tensors):
        examples = self._single_string_input(receiver_tensors, "Regression")
        return signature_def_utils.regression_signature_def(examples, self._value)


class ClassificationOutput(ExportOutput):
    """Float ``scores`` and/or string ``classes``, for a Classify signature."""

    def __init__(self, scores=None, classes=None):
        if scores is not None and not (isinstance(scores, Tensor) and scores.dtype.is_floating):
            raise ValueError(f"Classification scores must be a float32 Tensor; got {scores}")
        if classes is not None and not (
            isinstance(classes, Tensor) and classes.dtype.base_dtype == dtypes.string
        ):
            raise ValueError(f"Classification classes must be a string Tensor; got {classes}")
        if scores is None and classes is None:
            raise ValueError(
                "Cannot create a ClassificationOutput with empty arguments. At least one of "
                "`scores` and `classes` must be defined."
            )
        self._scores = scores
        self._classes = classes

    scores = property(lambda self: self._scores)
    classes = property(lambda self: self._classes)

    def as_signature_def(self, receiver_tensors):
        examples = self._single_string_input(receiver_tensors, "Classification")
        return signature_def_utils.classification_signature_def(
            examples, self._classes, self._scores
        )


def _serving_export_outputs(export_outputs, predictions) -> dict:
    """The spec's export outputs, or a Predict output of its predictions (TF1's
    ``get_export_outputs``)."""
    if export_outputs is None:
        return {DEFAULT_SERVING_SIGNATURE_DEF_KEY: PredictOutput(predictions)}
    if not isinstance(export_outputs, dict):
        raise TypeError(f"export_outputs must be dict, given: {export_outputs}")
    for value in export_outputs.values():
        if not isinstance(value, ExportOutput):
            raise TypeError(
                f"Values in export_outputs must be ExportOutput objects. Given: {export_outputs}"
            )
    if len(export_outputs) == 1:
        (only,) = export_outputs.values()
        return {DEFAULT_SERVING_SIGNATURE_DEF_KEY: only, **export_outputs}
    if DEFAULT_SERVING_SIGNATURE_DEF_KEY not in export_outputs:
        raise ValueError(
            "Multiple export_outputs were provided, but none of them is specified as the "
            f"default.  Do this by naming one of them with "
            f"signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY.  Given: {export_outputs}"
        )
    return export_outputs


_FRIENDLY_METHOD_NAMES = {
    "tensorflow/serving/classify": "Classify",
    "tensorflow/serving/regress": "Regress",
    "tensorflow/serving/predict": "Predict",
    "tensorflow/supervised/training": "Train",
    "tensorflow/supervised/eval": "Eval",
}


def _signature_defs(receiver: ServingInputReceiver, export_outputs: dict) -> dict:
    """One ``SignatureDef`` per export output and receiver group, logged as TF1 reports
    them; those an output cannot make are left out."""
    groups = {None: receiver.receiver_tensors, **(receiver.receiver_tensors_alternatives or {})}
    signatures, excluded = {}, {}
    for group_name, tensors in groups.items():
        for key, output in export_outputs.items():
            name = key if group_name is None else f"{group_name}:{key}"
            try:
                signatures[name] = output.as_signature_def(tensors)
            except ValueError as e:
                excluded[name] = str(e)
    by_method = {method: [] for method in _FRIENDLY_METHOD_NAMES}
    for name, signature in signatures.items():
        by_method.setdefault(signature.method_name, []).append(name)
    for method, names in by_method.items():
        _log.info(
            "Signatures INCLUDED in export for %s: %s",
            _FRIENDLY_METHOD_NAMES.get(method, method),
            names or "None",
        )
    if excluded:
        _log.info(
            "Signatures EXCLUDED from export because they cannot be be served via TensorFlow "
            "Serving APIs:"
        )
        for name, message in excluded.items():
            _log.info("'%s' : %s", name, message)
    if not signatures:
        _log.warning("Export includes no signatures!")
    elif DEFAULT_SERVING_SIGNATURE_DEF_KEY not in signatures:
        _log.warning("Export includes no default signature!")
    return signatures


def _timestamped_dir(export_dir_base: str) -> str:
    for _ in range(10):
        path = os.path.join(export_dir_base, str(int(time.time())))
        if not os.path.exists(path):
            return path
        time.sleep(1)
    raise RuntimeError("Failed to obtain a unique export directory name after 10 attempts.")


def export_saved_model(estimator, export_dir_base, serving_input_receiver_fn, assets_extra,
                       as_text, checkpoint_path) -> bytes:  # fmt: skip
    """``Estimator.export_saved_model``'s work (see there)."""
    if not serving_input_receiver_fn:
        raise ValueError("An input_receiver_fn must be defined.")
    checkpoint_path = checkpoint_path or estimator.latest_checkpoint()
    if not checkpoint_path:
        raise ValueError(f"Couldn't find trained model at {estimator.model_dir}.")
    export_dir = _timestamped_dir(os.fspath(export_dir_base))
    temp_dir = os.path.join(os.path.dirname(export_dir), "temp-" + os.path.basename(export_dir))
    builder = SavedModelBuilder(temp_dir)
    with Graph().as_default() as g:
        estimator._create_and_assert_global_step(g)
        set_random_seed(estimator.config.tf_random_seed)
        receiver = serving_input_receiver_fn()
        spec = estimator._call_model_fn(receiver.features, None, "infer", estimator.config)
        outputs = _serving_export_outputs(spec.export_outputs, spec.predictions)
        signatures = _signature_defs(receiver, outputs)
        local_init_op = spec.scaffold.local_init_op or Scaffold.default_local_init_op()
        saver = spec.scaffold.saver or Saver(sharded=True)
        with Session(graph=g, config=estimator.config.session_config) as sess:
            saver.restore(sess, checkpoint_path)
            builder.add_meta_graph_and_variables(
                sess,
                [tag_constants.SERVING],
                signature_def_map=signatures,
                assets_collection=g.get_collection(GraphKeys.ASSET_FILEPATHS),
                main_op=local_init_op,
                saver=saver,
                strip_default_attrs=True,
            )
    builder.save(as_text)
    for dest_relative, source in (assets_extra or {}).items():
        dest = os.path.join(temp_dir, "assets.extra", dest_relative)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        shutil.copyfile(source, dest)
    os.rename(temp_dir, export_dir)
    _log.info("SavedModel written to: %s", export_dir)
    return export_dir.encode()
