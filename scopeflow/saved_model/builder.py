"""``tf.saved_model.builder.SavedModelBuilder``: a SavedModel directory in TensorFlow's own
format, which TensorFlow's ``tf.saved_model.loader.load`` (and TensorFlow Serving) read.

The directory holds ``saved_model.pb`` - a ``SavedModel`` proto: the schema version and one
``MetaGraphDef`` per tag set, each with its ``SignatureDef``s - and ``variables/variables.index``
+ ``variables/variables.data-00000-of-00001``, a V2 checkpoint of the variables written by
:class:`~scopeflow.train.saver.Saver`; assets are copied into ``assets/``. Every file is written
to a temporary name and renamed into place, ``saved_model.pb`` last: a directory holding it
holds the whole model.
"""

from __future__ import annotations

import logging
import os

from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph import GraphKeys
from scopeflow.framework.operation import Operation
from scopeflow.framework.tensor import Tensor
from scopeflow.framework.traceback_filter import api_boundary
from scopeflow.graph_io.protos import messages
from scopeflow.saved_model import constants, signature_constants, tag_constants
from scopeflow.saved_model.signature_def_utils import predict_signature_def
from scopeflow.train.files import atomic_files
from scopeflow.train.saver import Saver

_log = logging.getLogger("tensorflow")


def _write_file(path: str, data: bytes) -> None:
    with atomic_files(path) as (f,):
        f.write(data)


class SavedModelBuilder:
    """Builds a SavedModel: the first MetaGraphDef with the variables' values
    (``add_meta_graph_and_variables``), more MetaGraphDefs under other tags
    (``add_meta_graph``), then ``save``.

    >>> import os, tempfile, scopeflow as tf
    >>> export_dir = os.path.join(tempfile.mkdtemp(), "model")
    >>> with tf.Session(graph=tf.Graph()) as sess:
    ...     x = tf.placeholder(tf.float32, [None], name="x")
    ...     y = tf.multiply(tf.Variable(2.0, name="w"), x, name="y")
    ...     sess.run(tf.global_variables_initializer())
    ...     builder = tf.saved_model.builder.SavedModelBuilder(export_dir)
    ...     sig = tf.saved_model.predict_signature_def({"x": x}, {"y": y})
    ...     builder.add_meta_graph_and_variables(
    ...         sess, [tf.saved_model.tag_constants.SERVING], {"serving_default": sig})
    ...     path = builder.save()
    >>> sorted(os.listdir(export_dir))
    ['saved_model.pb', 'variables']

    Raises:
        AssertionError: ``export_dir`` exists and is not empty.
    """

    def __init__(self, export_dir):
        export_dir = os.fspath(export_dir)
        if os.path.exists(export_dir):
            if os.listdir(export_dir):
                raise AssertionError(
                    f"Export directory {export_dir} already exists, and isn't empty. Please "
                    "choose a different export directory, or delete all the contents of the "
                    "specified directory."
                )
        else:
            os.makedirs(export_dir)
        self._export_dir = export_dir
        self._saved_model = messages().SavedModel(
            saved_model_schema_version=constants.SAVED_MODEL_SCHEMA_VERSION
        )
        self._has_saved_variables = False
        self._saved_asset_files: set[str] = set()

    # -- what goes into a MetaGraphDef ----------------------------------------------------

    def _save_and_write_assets(self, assets_collection) -> None:
        """Adds an ``AssetFileDef`` per asset path tensor to the graph's ``saved_model_assets``
        collection and copies the files into ``assets/``."""
        filenames: dict[str, str] = {}
        for asset_tensor in assets_collection or ():
            source = _asset_path_from_tensor(asset_tensor)
            filename = _asset_filename(source, filenames)
            asset = messages().AssetFileDef(filename=filename)
            asset.tensor_info.name = asset_tensor.name
            packed = messages().Any()
            packed.Pack(asset)
            asset_tensor.graph.add_to_collection(constants.ASSETS_KEY, packed)
            filenames[filename] = source
        if not filenames:
            _log.info("No assets to write.")
            return
        assets_dir = os.path.join(self._export_dir, constants.ASSETS_DIRECTORY)
        os.makedirs(assets_dir, exist_ok=True)
        for filename, source in filenames.items():
            destination = os.path.join(assets_dir, filename)
            if (
                os.path.exists(source)
                and source != destination
                and destination not in self._saved_asset_files
            ):
                with open(source, "rb") as f:
                    _write_file(destination, f.read())
                self._saved_asset_files.add(destination)
        _log.info("Assets written to: %s", assets_dir)

    @staticmethod
    def _maybe_add_main_op(main_op) -> None:
        if main_op is None:
            return
        if not isinstance(main_op, Operation):
            raise TypeError(
                f"Expected {main_op} to be an Operation but got type {type(main_op)} instead."
            )
        for key in (constants.MAIN_OP_KEY, constants.LEGACY_INIT_OP_KEY):
            if main_op.graph.get_collection(key):
                raise ValueError(
                    f"Graph already contains one or more main ops under the collection {key}."
                )
        main_op.graph.add_to_collection(constants.MAIN_OP_KEY, main_op)

    def _tag_and_add_meta_graph(self, meta_graph_def, tags, signature_def_map) -> None:
        meta_graph_def.meta_info_def.tags.extend(tags)
        for key, signature in (signature_def_map or {}).items():
            meta_graph_def.signature_def[key].CopyFrom(signature)
        self._saved_model.meta_graphs.add().CopyFrom(meta_graph_def)

    def _add(self, sess, tags, signature_def_map, assets_collection, main_op, clear_devices,
             strip_default_attrs, saver) -> None:  # fmt: skip
        if isinstance(tags, (str, bytes)):
            raise TypeError(f"tags must be a list or set of strings, got the string {tags!r}")
        _validate_signature_def_map(signature_def_map or {})
        self._save_and_write_assets(assets_collection)
        self._maybe_add_main_op(main_op)
        saver = saver or Saver(sharded=True, allow_empty=True)
        if sess is not None:
            variables_dir = os.path.join(self._export_dir, constants.VARIABLES_DIRECTORY)
            os.makedirs(variables_dir, exist_ok=True)
            variables_path = os.path.join(variables_dir, constants.VARIABLES_FILENAME)
            saver.save(sess, variables_path, write_meta_graph=False, write_state=False)
        meta_graph_def = saver.export_meta_graph(
            clear_devices=clear_devices, strip_default_attrs=strip_default_attrs
        )
        self._tag_and_add_meta_graph(meta_graph_def, list(tags), signature_def_map)

    # -- the public API ---------------------------------------------------------------------

    @api_boundary
    def add_meta_graph_and_variables(
        self,
        sess,
        tags,
        signature_def_map=None,
        assets_collection=None,
        legacy_init_op=None,
        clear_devices=False,
        main_op=None,
        strip_default_attrs=False,
        saver=None,
    ) -> None:
        """Saves the variables' values in ``sess`` to ``variables/`` and adds the default
        graph as the first MetaGraphDef, tagged ``tags`` (a list of strings), with the
        ``SignatureDef``s of ``signature_def_map``. ``assets_collection`` lists string
        constants holding file paths, copied into ``assets/``; ``main_op`` (or
        ``legacy_init_op``) runs after the variables are restored at load time.

        Raises:
            AssertionError: the variables were saved already (use ``add_meta_graph``), or a
                signature's ``TensorInfo`` has no name or dtype.
            KeyError: a signature key is reserved (``__saved_model_init_op``...).
            TypeError: ``main_op`` is not an Operation, or an asset is not a string constant.
            ValueError: the graph already has a main op.
            tf.errors.FailedPreconditionError: a variable is not initialized.
        """
        if self._has_saved_variables:
            raise AssertionError(
                "Graph state including variables and assets has already been saved. Please "
                "invoke `add_meta_graph()` instead."
            )
        main_op = main_op if main_op is not None else legacy_init_op
        self._add(sess, tags, signature_def_map, assets_collection, main_op,
                  clear_devices, strip_default_attrs, saver)  # fmt: skip
        self._has_saved_variables = True

    @api_boundary
    def add_meta_graph(
        self,
        tags,
        signature_def_map=None,
        assets_collection=None,
        legacy_init_op=None,
        clear_devices=False,
        main_op=None,
        strip_default_attrs=False,
        saver=None,
    ) -> None:
        """Adds the default graph as one more MetaGraphDef, tagged ``tags``, sharing the
        variables saved by ``add_meta_graph_and_variables``.

        Raises:
            AssertionError: ``add_meta_graph_and_variables`` was not called first.
        """
        if not self._has_saved_variables:
            raise AssertionError(
                "Graph state including variables and assets has not been saved yet. Please "
                "invoke `add_meta_graph_and_variables()` first."
            )
        main_op = main_op if main_op is not None else legacy_init_op
        self._add(None, tags, signature_def_map, assets_collection, main_op, clear_devices,
                  strip_default_attrs, saver)  # fmt: skip

    def save(self, as_text=False, **kwargs) -> bytes:
        """Writes ``saved_model.pb`` (``saved_model.pbtxt`` with ``as_text``) and returns its
        path, as bytes like TF1's."""
        if kwargs.get("experimental_image_format"):
            raise NotImplementedError(
                "experimental_image_format is not supported: save the SavedModel as "
                "saved_model.pb (models over 2 GiB cannot be written)."
            )
        os.makedirs(self._export_dir, exist_ok=True)
        if as_text:
            from google.protobuf import text_format

            path = os.path.join(self._export_dir, constants.SAVED_MODEL_FILENAME_PBTXT)
            data = text_format.MessageToString(self._saved_model).encode()
        else:
            path = os.path.join(self._export_dir, constants.SAVED_MODEL_FILENAME_PB)
            data = self._saved_model.SerializeToString(deterministic=True)
        _write_file(path, data)
        _log.info("SavedModel written to: %s", path)
        return os.fsencode(path)


def _asset_path_from_tensor(path_tensor) -> str:
    if not isinstance(path_tensor, Tensor):
        raise TypeError(f"Asset path tensor {path_tensor} must be a Tensor.")
    if path_tensor.op.type != "Const":
        raise TypeError(
            f"Asset path tensor {path_tensor} must be of type constant.Has type "
            f"{path_tensor.op.type} instead."
        )
    if path_tensor.dtype.base_dtype.name != "string":
        raise TypeError(
            f"Asset path tensor {path_tensor}` must be of dtype string.Has type "
            f"{path_tensor.dtype} instead."
        )
    values = path_tensor.op.get_attr("value").reshape(-1)
    if len(values) != 1:
        raise TypeError(f"Asset path tensor {path_tensor} must be a scalar.")
    value = values[0]
    path = value.decode() if isinstance(value, bytes) else str(value)
    if not path:
        raise ValueError(f"Asset filepath tensor {path_tensor} in is invalid.")
    return path


def _asset_filename(source: str, filenames: dict[str, str]) -> str:
    """The basename of ``source`` in ``assets/``, suffixed ``_1``, ``_2``... when another file
    of that name but other contents is there already, as TF1 does."""
    import filecmp

    base = os.path.basename(source)
    other = filenames.get(base)
    if other is None or other == source or filecmp.cmp(source, other, shallow=False):
        return base
    i, name = 1, f"{base}_1"
    while name in filenames:
        i += 1
        name = f"{base}_{i}"
    return name


def _validate_tensor_info(tensor_info) -> None:
    if tensor_info is None:
        raise AssertionError(
            "All TensorInfo protos used in the SignatureDefs must have the name and dtype "
            "fields set."
        )
    if tensor_info.WhichOneof("encoding") is None:
        raise AssertionError(
            f"Invalid `tensor_info`: {tensor_info}. All TensorInfo protos used in the "
            "SignatureDefs must have one of the 'encoding' fields (e.g., name or coo_sparse) "
            "set."
        )
    if tensor_info.dtype == messages().DT_INVALID:
        raise AssertionError(
            f"Invalid `tensor_info`: {tensor_info}. All TensorInfo protos used in the "
            "SignatureDefs must have the dtype field set."
        )


def _validate_signature_def_map(signature_def_map) -> None:
    for signature in signature_def_map.values():
        for info in (*signature.inputs.values(), *signature.outputs.values()):
            _validate_tensor_info(info)
    for key in (constants.INIT_OP_SIGNATURE_KEY, constants.TRAIN_OP_SIGNATURE_KEY):
        if key in signature_def_map:
            what = "initialization" if key == constants.INIT_OP_SIGNATURE_KEY else "the train op"
            raise KeyError(
                f'SignatureDef map key "{key}" is reserved for {what}. Please use a different key.'
            )


@api_boundary
def simple_save(session, export_dir, inputs, outputs, legacy_init_op=None) -> None:
    """Saves a serving SavedModel of ``session``'s graph in one call: tag ``serve``, one
    Predict signature ``serving_default`` of the dicts ``inputs`` and ``outputs``, the assets
    of the ``asset_filepaths`` collection, devices cleared.

    >>> import os, tempfile, scopeflow as tf
    >>> export_dir = os.path.join(tempfile.mkdtemp(), "model")
    >>> with tf.Session(graph=tf.Graph()) as sess:
    ...     x = tf.placeholder(tf.float32, name="x")
    ...     tf.saved_model.simple_save(sess, export_dir, {"x": x}, {"y": tf.square(x)})
    >>> tf.saved_model.contains_saved_model(export_dir)
    True
    """
    signature_def_map = {
        signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY: predict_signature_def(
            inputs, outputs
        )
    }
    builder = SavedModelBuilder(export_dir)
    builder.add_meta_graph_and_variables(
        session,
        tags=[tag_constants.SERVING],
        signature_def_map=signature_def_map,
        assets_collection=get_default_graph().get_collection(GraphKeys.ASSET_FILEPATHS),
        main_op=legacy_init_op,
        clear_devices=True,
    )
    builder.save()
