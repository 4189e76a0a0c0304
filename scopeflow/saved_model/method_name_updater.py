"""``tf.saved_model.signature_def_utils.MethodNameUpdater``: changes the ``method_name`` of
SignatureDefs in a SavedModel's ``saved_model.pb`` (or ``.pbtxt``) and writes it back, as TF's
(the variables and assets are not touched)."""

from __future__ import annotations

import logging
import os

from scopeflow.framework import errors
from scopeflow.saved_model import constants
from scopeflow.saved_model.loader import parse_saved_model
from scopeflow.train.files import atomic_files

__all__ = ["MethodNameUpdater"]

_log = logging.getLogger("tensorflow")


class MethodNameUpdater:
    """The SavedModel in ``export_dir``, read once; ``replace_method_name`` edits it,
    ``save`` writes it (in the same format) to ``export_dir`` or ``new_export_dir``.

    Raises:
        IOError: ``export_dir`` holds no SavedModel, or a corrupted one.
    """

    def __init__(self, export_dir):
        self._export_dir = os.fspath(export_dir)
        self._saved_model = parse_saved_model(export_dir)

    def replace_method_name(self, signature_key, method_name, tags=None) -> None:
        """Sets ``method_name`` on the SignatureDef ``signature_key`` of every MetaGraphDef
        tagged exactly ``tags`` (a tag or list of them; all MetaGraphDefs when None).

        Raises:
            ValueError: no key or method name; a matching MetaGraphDef without the
                signature; no MetaGraphDef with those tags.
        """
        if not signature_key:
            raise ValueError("`signature_key` must be defined.")
        if not method_name:
            raise ValueError("`method_name` must be defined.")
        if tags is not None and not isinstance(tags, list):
            tags = [tags]
        found = False
        for meta_graph in self._saved_model.meta_graphs:
            if tags is not None and set(tags) != set(meta_graph.meta_info_def.tags):
                continue
            if signature_key not in meta_graph.signature_def:
                raise ValueError(
                    f"MetaGraphDef associated with tags {tags} does not have a signature_def "
                    f"with key: '{signature_key}'. This means either you specified the wrong "
                    "signature key or forgot to put the signature_def with the corresponding "
                    "key in your SavedModel."
                )
            meta_graph.signature_def[signature_key].method_name = method_name
            found = True
        if not found:
            raise ValueError(
                f"MetaGraphDef associated with tags {tags} could not be found in SavedModel. "
                "This means either you specified invalid tags or your SavedModel does not have "
                "a MetaGraphDef with the specified tags."
            )

    def save(self, new_export_dir=None) -> None:
        """Writes the SavedModel as it was read (text if ``saved_model.pbtxt``).

        Raises:
            tf.errors.NotFoundError: the directory does not exist, as TF's.
        """
        as_text = os.path.exists(
            os.path.join(self._export_dir, constants.SAVED_MODEL_FILENAME_PBTXT)
        )
        directory = os.fspath(new_export_dir) if new_export_dir else self._export_dir
        if as_text:
            from google.protobuf import text_format

            path = os.path.join(directory, constants.SAVED_MODEL_FILENAME_PBTXT)
            data = text_format.MessageToString(self._saved_model).encode()
        else:
            path = os.path.join(directory, constants.SAVED_MODEL_FILENAME_PB)
            data = self._saved_model.SerializeToString(deterministic=True)
        if not os.path.isdir(directory):
            raise errors.NotFoundError(None, None, f"{path}; No such file or directory")
        with atomic_files(path) as (f,):
            f.write(data)
        _log.info("SavedModel written to: %s", path)
