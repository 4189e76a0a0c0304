"""``tf.saved_model.loader.load``: a SavedModel's MetaGraphDef imported into a session's graph,
its variables restored and its main op run - from TensorFlow's SavedModels or scopeflow's.

Only protocol buffers and checkpoint tensors are read (nothing is unpickled); a truncated or
corrupted ``saved_model.pb`` raises ``IOError`` naming it, a corrupted checkpoint
``tf.errors.DataLossError`` (see :mod:`scopeflow.train.bundle`).
"""

from __future__ import annotations

import logging
import os

from scopeflow.framework import errors, undo
from scopeflow.graph_io.protos import messages
from scopeflow.saved_model import constants
from scopeflow.saved_model.utils import get_element_from_tensor_info
from scopeflow.train.saver import import_meta_graph

_log = logging.getLogger("tensorflow")


def parse_saved_model(export_dir):
    """The ``SavedModel`` proto in ``export_dir``'s ``saved_model.pb`` (or ``.pbtxt``).

    Raises:
        IOError: there is no such file, or it cannot be parsed (truncated or corrupted).
        tf.errors.FailedPreconditionError: a folder is where the file should be.
    """
    from google.protobuf import message, text_format

    export_dir = os.fspath(export_dir)
    path_pb = os.path.join(export_dir, constants.SAVED_MODEL_FILENAME_PB)
    path_pbtxt = os.path.join(export_dir, constants.SAVED_MODEL_FILENAME_PBTXT)
    saved_model = messages().SavedModel()
    path = path_pb if os.path.exists(path_pb) else path_pbtxt
    if os.path.isdir(path):  # TF's file system error for the file it reads
        raise errors.FailedPreconditionError(None, None, f"{path}; Is a directory")
    if os.path.exists(path_pb):
        with open(path_pb, "rb") as f:
            data = f.read()
        try:
            saved_model.ParseFromString(data)
        except (message.DecodeError, RecursionError) as e:
            raise OSError(f"Cannot parse file {path_pb}: {e}.") from None
    elif os.path.exists(path_pbtxt):
        with open(path_pbtxt, "rb") as f:
            data = f.read()
        try:
            text_format.Parse(data.decode("utf-8"), saved_model, allow_unknown_field=True)
        except (text_format.ParseError, UnicodeDecodeError, RecursionError) as e:
            raise OSError(f"Cannot parse file {path_pbtxt}: {e}.") from None
    else:
        raise OSError(
            f"SavedModel file does not exist at: {export_dir}{os.path.sep}"
            f"{{{constants.SAVED_MODEL_FILENAME_PBTXT}|{constants.SAVED_MODEL_FILENAME_PB}}}"
        )
    return saved_model


def get_meta_graph_def_from_tags(saved_model, tags):
    """The MetaGraphDef of ``saved_model`` whose tag set is ``set(tags)``.

    Raises:
        RuntimeError: no MetaGraphDef has exactly those tags (listing the tag sets there are).
    """
    available = []
    for meta_graph_def in saved_model.meta_graphs:
        found = set(meta_graph_def.meta_info_def.tags)
        available.append(found)
        if found == set(tags):
            return meta_graph_def
    raise RuntimeError(
        f"MetaGraphDef associated with tags {str(tags).strip('[]')} could not be found in "
        f"SavedModel, with available tags '{available}'. To inspect available tag-sets in the "
        "SavedModel, please use the SavedModel CLI: `saved_model_cli`."
    )


def get_asset_tensors(export_dir, meta_graph_def, import_scope=None) -> dict:
    """``{asset tensor name: path (bytes) of its file in export_dir/assets}``, the feeds of
    the init op, from the MetaGraphDef's ``asset_file_def`` or ``saved_model_assets`` collection."""
    assets = list(meta_graph_def.asset_file_def)
    if not assets and constants.ASSETS_KEY in meta_graph_def.collection_def:
        for packed in meta_graph_def.collection_def[constants.ASSETS_KEY].any_list.value:
            asset = messages().AssetFileDef()
            if not packed.Unpack(asset):
                raise OSError(f"Collection {constants.ASSETS_KEY} holds a {packed.type_url}")
            assets.append(asset)
    directory = os.path.join(os.fspath(export_dir), constants.ASSETS_DIRECTORY)
    found = {}
    for asset in assets:
        name = asset.tensor_info.name
        if import_scope:
            name = f"{import_scope}/{name}"
        found[name] = os.fsencode(os.path.join(directory, asset.filename))
    return found


def _init_op(graph, meta_graph_def, import_scope):
    """The op TF1 runs after restoring: the ``__saved_model_init_op`` signature's, else the
    one op of the ``saved_model_main_op`` (or ``legacy_init_op``) collection, else None."""
    signature = meta_graph_def.signature_def.get(constants.INIT_OP_SIGNATURE_KEY)
    if signature is not None:
        info = signature.outputs[constants.INIT_OP_SIGNATURE_KEY]
        return get_element_from_tensor_info(info, graph, import_scope)
    for key in (constants.MAIN_OP_KEY, constants.LEGACY_INIT_OP_KEY):
        if key in meta_graph_def.collection_def:
            names = meta_graph_def.collection_def[key].node_list.value
            if len(names) != 1:
                raise RuntimeError(
                    f"Expected exactly one SavedModel init op. Found {len(names)}: {names}."
                )
            return graph.get_collection(key)[0]
    return None


@undo.atomic
def load(sess, tags, export_dir, import_scope=None, **saver_kwargs):
    """Loads the MetaGraphDef tagged ``tags`` from the SavedModel in ``export_dir`` into
    ``sess``'s graph (names prefixed ``import_scope/`` when given), restores its variables
    into ``sess``, runs its main op, and returns the MetaGraphDef (its ``signature_def`` names
    the tensors to feed and fetch). On any error the graph is left as it was.

    >>> import os, tempfile, scopeflow as tf
    >>> export_dir = os.path.join(tempfile.mkdtemp(), "model")
    >>> with tf.Session(graph=tf.Graph()) as sess:
    ...     x = tf.placeholder(tf.float32, name="x")
    ...     y = tf.add(x, tf.Variable(1.0, name="b"), name="y")
    ...     sess.run(tf.global_variables_initializer())
    ...     tf.saved_model.simple_save(sess, export_dir, {"x": x}, {"y": y})
    >>> with tf.Session(graph=tf.Graph()) as sess:
    ...     meta = tf.saved_model.loader.load(sess, ["serve"], export_dir)
    ...     sig = meta.signature_def["serving_default"]
    ...     float(sess.run(sig.outputs["y"].name, {sig.inputs["x"].name: 2.0}))
    3.0

    Raises:
        RuntimeError: no MetaGraphDef has exactly the tags ``tags``.
        IOError: ``export_dir`` holds no SavedModel, or a corrupted one.
        tf.errors.DataLossError: the variables' checkpoint is corrupted.
    """
    export_dir = os.fspath(export_dir)
    meta_graph_def = get_meta_graph_def_from_tags(parse_saved_model(export_dir), tags)
    graph = sess.graph
    with graph.as_default():
        saver = import_meta_graph(meta_graph_def, import_scope=import_scope, **saver_kwargs)
        if saver is None:
            _log.info("The specified SavedModel has no variables; no checkpoints were restored.")
        else:
            variables = os.path.join(
                export_dir, constants.VARIABLES_DIRECTORY, constants.VARIABLES_FILENAME
            )
            saver.restore(sess, variables)
        init_op = _init_op(graph, meta_graph_def, import_scope)
        if init_op is not None:
            assets = get_asset_tensors(export_dir, meta_graph_def, import_scope)
            sess.run(fetches=[init_op], feed_dict=assets)
    return meta_graph_def


def maybe_saved_model_directory(export_dir) -> bool:
    """Whether ``export_dir`` holds a ``saved_model.pb`` or ``.pbtxt`` (not whether it loads).

    >>> import tempfile
    >>> maybe_saved_model_directory(tempfile.mkdtemp())
    False
    """
    export_dir = os.fspath(export_dir)
    return any(
        os.path.exists(os.path.join(export_dir, name))
        for name in (
            constants.SAVED_MODEL_FILENAME_PBTXT,
            constants.SAVED_MODEL_FILENAME_PB,
            constants.SAVED_MODEL_FILENAME_CPB,
        )
    )


contains_saved_model = maybe_saved_model_directory
