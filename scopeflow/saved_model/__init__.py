"""``tf.saved_model`` in TF1's form: ``builder.SavedModelBuilder`` and ``simple_save`` write a
SavedModel directory in TensorFlow's own format, ``loader.load`` reads one (TensorFlow's or
scopeflow's) into a session; signatures, tags and the other names TF1.15 exposes."""

from __future__ import annotations

from scopeflow.saved_model import (
    builder,
    constants,
    loader,
    main_op,
    signature_constants,
    signature_def_utils,
    tag_constants,
    utils,
)
from scopeflow.saved_model.builder import SavedModelBuilder, simple_save
from scopeflow.saved_model.constants import (
    ASSETS_DIRECTORY,
    ASSETS_KEY,
    DEBUG_DIRECTORY,
    DEBUG_INFO_FILENAME_PB,
    LEGACY_INIT_OP_KEY,
    MAIN_OP_KEY,
    SAVED_MODEL_FILENAME_PB,
    SAVED_MODEL_FILENAME_PBTXT,
    SAVED_MODEL_SCHEMA_VERSION,
    VARIABLES_DIRECTORY,
    VARIABLES_FILENAME,
)
from scopeflow.saved_model.loader import contains_saved_model, load, maybe_saved_model_directory
from scopeflow.saved_model.main_op import main_op_with_restore
from scopeflow.saved_model.signature_constants import (
    CLASSIFY_INPUTS,
    CLASSIFY_METHOD_NAME,
    CLASSIFY_OUTPUT_CLASSES,
    CLASSIFY_OUTPUT_SCORES,
    DEFAULT_SERVING_SIGNATURE_DEF_KEY,
    PREDICT_INPUTS,
    PREDICT_METHOD_NAME,
    PREDICT_OUTPUTS,
    REGRESS_INPUTS,
    REGRESS_METHOD_NAME,
    REGRESS_OUTPUTS,
)
from scopeflow.saved_model.signature_def_utils import (
    build_signature_def,
    classification_signature_def,
    is_valid_signature,
    predict_signature_def,
    regression_signature_def,
)
from scopeflow.saved_model.tag_constants import GPU, SERVING, TPU, TRAINING
from scopeflow.saved_model.utils import build_tensor_info, get_tensor_from_tensor_info

Builder = SavedModelBuilder


def save(obj, export_dir, signatures=None, options=None):
    """TF2's object-based ``tf.saved_model.save`` (which TF1.15 also exposes).

    Raises:
        NotImplementedError: always; graph-mode programs use ``builder.SavedModelBuilder``.
    """
    raise NotImplementedError(
        "tf.saved_model.save saves TF2 trackable objects, which scopeflow does not have: use "
        "tf.saved_model.builder.SavedModelBuilder or tf.saved_model.simple_save instead."
    )


def load_v2(export_dir, tags=None, options=None):
    """TF2's object-based ``tf.saved_model.load``.

    Raises:
        NotImplementedError: always; use ``tf.saved_model.load(sess, tags, export_dir)``.
    """
    raise NotImplementedError(
        "tf.saved_model.load_v2 returns TF2 trackable objects, which scopeflow does not have: "
        "use tf.saved_model.load(sess, tags, export_dir) (loader.load) instead."
    )


__all__ = [
    "ASSETS_DIRECTORY", "ASSETS_KEY", "Builder", "CLASSIFY_INPUTS", "CLASSIFY_METHOD_NAME",
    "CLASSIFY_OUTPUT_CLASSES", "CLASSIFY_OUTPUT_SCORES", "DEBUG_DIRECTORY",
    "DEBUG_INFO_FILENAME_PB", "DEFAULT_SERVING_SIGNATURE_DEF_KEY", "GPU", "LEGACY_INIT_OP_KEY",
    "MAIN_OP_KEY", "PREDICT_INPUTS", "PREDICT_METHOD_NAME", "PREDICT_OUTPUTS", "REGRESS_INPUTS",
    "REGRESS_METHOD_NAME", "REGRESS_OUTPUTS", "SAVED_MODEL_FILENAME_PB",
    "SAVED_MODEL_FILENAME_PBTXT", "SAVED_MODEL_SCHEMA_VERSION", "SERVING", "SavedModelBuilder",
    "TPU", "TRAINING", "VARIABLES_DIRECTORY", "VARIABLES_FILENAME", "build_signature_def",
    "build_tensor_info", "builder", "classification_signature_def", "constants",
    "contains_saved_model", "get_tensor_from_tensor_info", "is_valid_signature", "load", "load_v2",
    "loader", "main_op", "main_op_with_restore", "maybe_saved_model_directory",
    "predict_signature_def", "regression_signature_def", "save", "signature_constants",
    "signature_def_utils", "simple_save", "tag_constants", "utils"
]  # fmt: skip
