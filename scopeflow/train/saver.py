"""``tf.train.Saver``: saves variables to TensorFlow's V2 checkpoint files and restores them.

The checkpoints are TensorFlow's own (``prefix.index`` + ``prefix.data-00000-of-00001``,
see :mod:`scopeflow.train.bundle`): TensorFlow's Saver restores what this one saves, and the
other way round. Unlike TF1's Saver, this one adds no ops to the graph: ``save`` reads the
session's variable values directly and ``restore`` sets them directly, all variables or none.

Files are written to temporary names and renamed into place, the index last and then the
``checkpoint`` state file, so a process killed while saving leaves the previous checkpoint
(and the state file naming it) intact. ``save`` also writes ``prefix.meta``, the graph as
TensorFlow's ``MetaGraphDef`` (see :mod:`scopeflow.graph_io.meta_graph`), which
``tf.train.import_meta_graph`` - scopeflow's or TensorFlow's - turns back into the graph, its
collections and a working Saver.
"""

from __future__ import annotations

import logging
import numbers
import os
import time

from scopeflow.framework import errors
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.traceback_filter import api_boundary
from scopeflow.graph_io import meta_graph
from scopeflow.train import checkpoint_state, trackable
from scopeflow.train.bundle import BundleReader, write_bundle
from scopeflow.train.saveables import Parts, read_values, restore_values, var_list_to_dict

_log = logging.getLogger("tensorflow")  # as TF1: tf.logging shows "Restoring parameters..."


_SAVER_DEF_NAMES = ("filename_tensor_name", "save_tensor_name", "restore_op_name")


class SaverDef:
    """The checkpoint format versions of TF1's ``tf.train.SaverDef``; only ``V2`` is written."""

    LEGACY = 0
    V1 = 1
    V2 = 2


class _BundleSource:
    """A checkpoint as ``restore_values`` reads it."""

    def __init__(self, reader: BundleReader):
        self.reader = reader
        self.where = reader.prefix

    def names(self):
        return self.reader.entries

    def describe(self, name: str):
        entry = self.reader.entries.get(name)
        return None if entry is None else (entry.dtype, entry.shape)

    def read(self, name: str):
        return self.reader.read(name)


class _ObjectGraphSource(_BundleSource):
    """An object-based checkpoint (``tf.train.Checkpoint``, Keras's ``save_weights``) read by
    variable names: each saved variable's name when it was written (``full_name`` in the
    object graph) leads to its key (``model/.../kernel/.ATTRIBUTES/VARIABLE_VALUE``)."""

    def __init__(self, reader: BundleReader):
        super().__init__(reader)
        saved = trackable.parse_object_graph(reader.read(trackable.GRAPH_KEY)[()])
        self.keys = {
            full_name: key for node in saved for _, full_name, key in node.attributes if full_name
        }

    def names(self):
        return self.keys

    def describe(self, name: str):
        return super().describe(self.keys[name]) if name in self.keys else None

    def read(self, name: str):
        return super().read(self.keys[name])

    def check(self, names) -> None:
        """TF's ``NotFoundError`` when some of ``names`` were not saved."""
        missing = [n for n in names if n not in self.keys]
        if not missing:
            return
        extra = sorted(set(self.keys) - set(names))
        raise errors.NotFoundError(
            None,
            None,
            f"\n\nExisting variables not in the checkpoint: {', '.join(sorted(missing))}\n\n"
            "Variables names when this checkpoint was written which don't exist now: "
            f"{', '.join(extra)}\n\n({len(names) - len(missing)} variable name(s) did "
            "match)\n\nCould not find some variables in the checkpoint (see names above). "
            "Saver was attempting to load an object-based checkpoint (saved using "
            "tf.train.Checkpoint or tf.keras.Model.save_weights) using variable names. You can "
            "construct a Saver(var_list=...) with only the variables which previously existed, "
            "and if variable names have changed you may need to make this a dictionary with "
            "the old names as keys.",
        )


class Saver:
    """Saves and restores variables, keeping the last ``max_to_keep`` checkpoints.

    >>> import os, tempfile, scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     w = tf.get_variable("w", initializer=[1.0, 2.0])
    ...     saver = tf.train.Saver()
    ...     with tf.Session() as sess:
    ...         sess.run(w.initializer)
    ...         path = saver.save(sess, os.path.join(tempfile.mkdtemp(), "model"), global_step=3)
    ...         saver.restore(sess, path)
    >>> os.path.basename(path), tf.train.list_variables(path)
    ('model-3', [('w', [2])])
    """

    @api_boundary
    def __init__(
        self,
        var_list=None,
        reshape=False,
        sharded=False,
        max_to_keep=5,
        keep_checkpoint_every_n_hours=10000.0,
        name=None,
        restore_sequentially=False,
        saver_def=None,
        builder=None,
        defer_build=False,
        allow_empty=False,
        write_version=SaverDef.V2,
        pad_step_number=False,
        save_relative_paths=False,
        filename=None,
    ):
        """Args not listed act as in TF1. ``sharded`` writes one data file per device the
        variables are placed on, numbered in the order of the devices' names, as TF1's
        (``prefix.data-00001-of-00003``...); ``restore_sequentially`` changes nothing
        (restores are all-or-nothing); ``name`` and ``filename`` named graph ops TF1 made,
        which this Saver does not need; a ``saver_def`` (from an imported MetaGraphDef) gives
        its settings (``max_to_keep``...)."""
        if builder is not None:
            raise NotImplementedError(
                "Saver(builder=...) is not supported: scopeflow's Saver adds no graph ops. "
                "Build a Saver from var_list instead."
            )
        if saver_def is not None:
            max_to_keep = saver_def.max_to_keep
            keep_checkpoint_every_n_hours = saver_def.keep_checkpoint_every_n_hours
            sharded = saver_def.sharded
            write_version = saver_def.version or SaverDef.V2
        if write_version != SaverDef.V2:
            raise NotImplementedError(
                "Only the V2 checkpoint format is written (write_version=tf.train.SaverDef.V2)"
            )
        self._var_list = var_list
        self._reshape = reshape
        self._sharded = sharded
        self._max_to_keep = max_to_keep
        self._keep_hours = keep_checkpoint_every_n_hours
        self._keep_every_s = keep_checkpoint_every_n_hours * 3600
        self._next_keep_time = time.time() + self._keep_every_s
        self._allow_empty = allow_empty
        self._pad_step_number = pad_step_number
        self._save_relative_paths = save_relative_paths
        self._last_checkpoints: list[tuple[str, float]] = []
        self._to_delete: list[tuple[str, float]] = []
        self._names_to_vars: dict | None = None
        self._from_saver_def = saver_def is not None
        self._saver_def = saver_def
        if not defer_build:
            self.build()

    def build(self) -> None:
        """Resolves ``var_list`` (with ``defer_build``, call it once the variables exist).

        Raises:
            ValueError: there is nothing to save and ``allow_empty`` is false.
            RuntimeError: the variables' graph is finalized (TF's Saver adds ops to it).
        """
        if self._names_to_vars is not None:
            return
        names_to_vars = var_list_to_dict(self._var_list)
        if not names_to_vars and not self._allow_empty:
            raise ValueError("No variables to save")
        if names_to_vars and not self._from_saver_def:
            # TF's Saver adds its save/restore ops to the variables' graph here.
            next(iter(names_to_vars.values())).graph._check_not_finalized()
        self._names_to_vars = names_to_vars

    # -- keeping track of checkpoints -----------------------------------------------------

    @property
    def last_checkpoints(self) -> list[str]:
        """The prefixes of the checkpoints not yet deleted, oldest first."""
        return [path for path, _ in self._last_checkpoints]

    def set_last_checkpoints(self, last_checkpoints) -> None:
        """Deprecated in TF1: use ``set_last_checkpoints_with_time``."""
        if not isinstance(last_checkpoints, list):
            raise TypeError("last_checkpoints must be a list")
        self._last_checkpoints = [(p, float("inf")) for p in last_checkpoints]

    def set_last_checkpoints_with_time(self, last_checkpoints_with_time) -> None:
        """Sets the ``[(prefix, timestamp), ...]`` the Saver keeps and deletes in turn."""
        if not isinstance(last_checkpoints_with_time, list):
            raise TypeError("last_checkpoints_with_time must be a list")
        self._last_checkpoints = list(last_checkpoints_with_time)

    def recover_last_checkpoints(self, checkpoint_paths) -> None:
        """After a restart: tracks those of ``checkpoint_paths`` that exist, with their files'
        modification times (``get_checkpoint_state(d).all_model_checkpoint_paths``)."""
        recovered = []
        for path in checkpoint_paths:
            mtimes = checkpoint_state.get_checkpoint_mtimes([path])
            if mtimes:
                recovered.append((path, mtimes[0]))
        self.set_last_checkpoints_with_time(recovered)

    def _record(self, path: str) -> None:
        if not self._max_to_keep:
            return
        self._last_checkpoints = [p for p in self._last_checkpoints if p[0] != path]
        self._last_checkpoints.append((path, time.time()))
        while len(self._last_checkpoints) > self._max_to_keep:
            self._to_delete.append(self._last_checkpoints.pop(0))

    def _delete_old(self, meta_graph_suffix: str) -> None:
        while self._to_delete:
            path, stamp = self._to_delete.pop(0)
            if stamp > self._next_keep_time:  # keep one every keep_checkpoint_every_n_hours
                self._next_keep_time += self._keep_every_s
                continue
            checkpoint_state.remove_checkpoint(path, SaverDef.V2, meta_graph_suffix)

    # -- saving and restoring -------------------------------------------------------------

    @api_boundary
    def save(
        self,
        sess,
        save_path,
        global_step=None,
        latest_filename=None,
        meta_graph_suffix="meta",
        write_meta_graph=True,
        write_state=True,
        strip_default_attrs=False,
        save_debug_info=False,
    ) -> str | None:
        """Saves the variables' values in ``sess`` to the checkpoint ``save_path`` (with
        ``-<global_step>`` appended when given: an int, or a tensor or variable evaluated in
        ``sess``) and records it in the directory's ``checkpoint`` file.

        Returns:
            The checkpoint's prefix, for ``restore``; ``None`` when there is nothing to save.

        Raises:
            ValueError: ``latest_filename`` has a directory part or collides with the path.
            tf.errors.FailedPreconditionError: a variable is not initialized.
        """
        latest_filename = latest_filename or "checkpoint"
        if os.path.split(latest_filename)[0]:
            raise ValueError("'latest_filename' must not contain path components")
        save_path = os.fspath(save_path)
        if not hasattr(sess, "_read_values"):
            raise TypeError(f"'sess' must be a Session; {sess}")
        if global_step is not None:
            if not isinstance(global_step, numbers.Integral):
                global_step = int(sess.run(global_step))
            step = f"{global_step:08d}" if self._pad_step_number else str(global_step)
            checkpoint_file = f"{save_path}-{step}"
        else:
            checkpoint_file = save_path
            if os.path.basename(save_path) == latest_filename and not self._sharded:
                raise ValueError(
                    f"'latest_filename' collides with 'save_path': '{latest_filename}' and "
                    f"'{save_path}'"
                )
        self.build()
        if not self._names_to_vars:
            return None
        values = read_values(sess, self._names_to_vars, sliced=True)
        save_dir = os.path.dirname(save_path)
        if save_dir and not os.path.isdir(save_dir):
            # TF's SaveV2 makes the checkpoint's own folder, not the folders above it
            above = os.path.dirname(os.path.abspath(save_dir))
            if not os.path.isdir(above) or os.path.exists(save_dir):  # or a file is there
                raise ValueError(f"Parent directory of {save_path} doesn't exist, can't save.")
            os.makedirs(save_dir, exist_ok=True)
        shards = _device_shards(self._names_to_vars) if self._sharded else None
        write_bundle(checkpoint_file, values, shards)
        if write_state:
            self._record(checkpoint_file)
            checkpoint_state.update_checkpoint_state(
                save_dir,
                checkpoint_file,
                self.last_checkpoints,
                latest_filename,
                save_relative_paths=self._save_relative_paths,
            )
            self._delete_old(meta_graph_suffix)
        if write_meta_graph:  # last, as TF1: the checkpoint is complete without it
            self.export_meta_graph(
                f"{checkpoint_file}.{meta_graph_suffix}", strip_default_attrs=strip_default_attrs
            )
        return checkpoint_file

    @api_boundary
    def restore(self, sess, save_path) -> None:
        """Sets the variables in ``sess`` to their values in the checkpoint ``save_path``:
        all of them, or - on any error - none. A save replacing the checkpoint while it is
        read (another thread's or process's) is read again, whole.

        Raises:
            ValueError: ``save_path`` is ``None`` or not a checkpoint.
            tf.errors.NotFoundError: a variable is missing from the checkpoint.
            tf.errors.InvalidArgumentError: a variable's shape or dtype differs.
            tf.errors.DataLossError: the checkpoint is truncated or corrupted.
        """
        self.build()
        if not self._names_to_vars:
            return
        if save_path is None:
            raise ValueError("Can't load save_path when it is None.")
        save_path = os.fspath(save_path)
        if not checkpoint_state.checkpoint_exists(save_path):
            raise ValueError("The passed save_path is not a valid checkpoint: " + save_path)
        _log.info("Restoring parameters from %s", save_path)
        for attempt in range(10):
            index = _index_bytes(save_path)
            try:
                return self._restore_from(sess, save_path)
            except (errors.DataLossError, errors.OutOfRangeError, errors.NotFoundError):
                if attempt == 9 or not _replaced(save_path, index):
                    raise

    def _restore_from(self, sess, save_path: str) -> None:
        reader = BundleReader(save_path)
        source = _BundleSource(reader)
        names = list(self._names_to_vars)
        if trackable.GRAPH_KEY in reader.entries and any(n not in reader.entries for n in names):
            source = _ObjectGraphSource(reader)  # as TF: by the names the variables had
            source.check(names)
        restore_values(sess, self._names_to_vars, source, self._reshape)

    # -- the graph as a MetaGraphDef -------------------------------------------------------

    def as_saver_def(self):
        """The ``SaverDef`` this Saver was made from, else the one of an exported
        MetaGraphDef (naming its ``save/`` ops)."""
        if self._saver_def is not None:
            return self._saver_def
        return meta_graph.saver_def_for("save", self._max_to_keep, self._keep_hours, self._sharded)

    def to_proto(self, export_scope=None):
        """TF1's ``Saver.to_proto``: :meth:`as_saver_def` with its op names relative to
        ``export_scope`` (None when they are not in it)."""
        proto = self.as_saver_def()
        if export_scope is None:
            return proto
        names = [getattr(proto, field) for field in _SAVER_DEF_NAMES]
        if not all(name.startswith(export_scope) for name in names):
            return None
        scoped = type(proto)()
        scoped.CopyFrom(proto)
        scope = export_scope.rstrip("/") + "/"
        for field, name in zip(_SAVER_DEF_NAMES, names, strict=True):
            setattr(scoped, field, name[len(scope):] if name.startswith(scope) else name)
        return scoped

    @staticmethod
    def from_proto(saver_def, import_scope=None):
        """TF1's ``Saver.from_proto``: a Saver with ``saver_def``'s settings for the variables
        under ``import_scope`` (checkpoint names without it); its ``saver_def`` names the ops
        under ``import_scope``."""
        prefix = f"{import_scope}/" if import_scope else ""
        scoped = type(saver_def)()
        scoped.CopyFrom(saver_def)
        for field in _SAVER_DEF_NAMES:
            setattr(scoped, field, prefix + getattr(saver_def, field))
        names_to_vars = _imported_variables(prefix)
        if not names_to_vars:
            raise NotImplementedError(
                f"Saver.from_proto found no variables under '{import_scope or ''}' in the "
                "graph's collections: scopeflow's Saver saves Variable objects, not the graph's "
                "save ops. Import the graph with tf.train.import_meta_graph (it returns the "
                "Saver), not tf.import_graph_def."
            )
        return Saver(names_to_vars, saver_def=scoped)

    @property
    def saver_def(self):
        """TF1's ``Saver.saver_def``: :meth:`as_saver_def` (the op names it holds are those of
        an exported MetaGraphDef; the live graph has no save ops)."""
        return self.as_saver_def()

    def export_meta_graph(
        self,
        filename=None,
        collection_list=None,
        as_text=False,
        export_scope=None,
        clear_devices=False,
        clear_extraneous_savers=False,
        strip_default_attrs=False,
        save_debug_info=False,
    ):
        """Writes (when ``filename`` is given) and returns the graph's ``MetaGraphDef`` with
        this Saver's ``SaverDef``, as ``tf.train.export_meta_graph`` does."""
        _check_export_scope(export_scope)
        self.build()
        variables = list(self._names_to_vars.values())
        graph = variables[0].graph if variables else get_default_graph()
        meta = meta_graph.build_meta_graph(
            graph, collection_list, clear_devices, dict(self._names_to_vars),
            (self._max_to_keep, self._keep_hours, self._sharded), strip_default_attrs,
        )  # fmt: skip
        if filename is not None:
            meta_graph.write_meta_graph(meta, os.fspath(filename), as_text)
        return meta


def _device_shards(names_to_vars: dict) -> dict:
    """``{name: shard}`` (a partitioned variable: one per part) of TF1's sharded Saver: one
    shard per device of the variables (their ops' devices, sorted; no device is one too)."""
    devices = {
        name: tuple(p.op.device for p in var.parts) if isinstance(var, Parts) else var.op.device
        for name, var in names_to_vars.items()
    }
    every = {d for ds in devices.values() for d in (ds if isinstance(ds, tuple) else (ds,))}
    number = {device: k for k, device in enumerate(sorted(every))}
    return {
        name: tuple(number[d] for d in ds) if isinstance(ds, tuple) else number[ds]
        for name, ds in devices.items()
    }


def _check_export_scope(export_scope) -> None:
    if export_scope:
        raise NotImplementedError(
            "export_scope is not supported: export the whole graph and import it with "
            "import_scope instead."
        )


def _replaced(prefix: str, index: bytes | None) -> bool:
    """Whether a save replaced the checkpoint ``prefix`` (whose index held ``index``) while
    it was read: its data files, then its index, are renamed into place. TF then fails on an
    index and data that do not match; scopeflow reads the new checkpoint again."""
    if _index_bytes(prefix) != index:
        return True
    time.sleep(0.01)  # between a save's renames: its index comes next
    return _index_bytes(prefix) != index


def _index_bytes(prefix: str) -> bytes | None:
    try:
        with open(f"{prefix}.index", "rb") as f:
            return f.read()
    except OSError:
        return None


@api_boundary
def import_meta_graph(meta_graph_or_file, clear_devices=False, import_scope=None, **kwargs):
    """Imports a ``.meta`` file (or ``MetaGraphDef``) written by TensorFlow or scopeflow into
    the default graph - ops, collections, variables - and returns a Saver for its variables
    (None when it has none), as TF1's ``tf.train.import_meta_graph``.

    >>> import os, tempfile, scopeflow as tf
    >>> path = os.path.join(tempfile.mkdtemp(), "m.meta")
    >>> with tf.Graph().as_default():
    ...     v = tf.Variable(3.0, name="v")
    ...     _ = tf.train.Saver().export_meta_graph(path)
    >>> with tf.Graph().as_default():
    ...     saver = tf.train.import_meta_graph(path)
    ...     [x.name for x in tf.global_variables()]
    ['v:0']

    Raises:
        OSError: there is no such file, or it does not parse as a text MetaGraphDef (TF's).
        UnicodeDecodeError: it is neither a binary nor a text one (truncated or corrupted:
            TF's error, with a note naming the file).
        tf.errors.NotFoundError: an op type scopeflow does not have.
    """
    meta = meta_graph.as_meta_graph(meta_graph_or_file)
    saver_def = meta_graph.import_meta_graph_def(meta, clear_devices, import_scope)
    names_to_vars = _imported_variables(f"{import_scope}/" if import_scope else "")
    if not names_to_vars:
        return None
    return Saver(names_to_vars, saver_def=saver_def)


def _imported_variables(prefix: str) -> dict:
    """``{checkpoint name: variable}`` of the default graph's variables under ``prefix`` (the
    name without it; a partitioned variable's parts: one entry, a list)."""
    names_to_vars = {}
    for v in get_default_graph().get_collection("variables"):
        info = v._get_save_slice_info()
        name = v.op.name if info is None else info.full_name
        if name.startswith(prefix):
            key = name[len(prefix) :]
            if info is None:
                names_to_vars[key] = v
            else:
                names_to_vars.setdefault(key, []).append(v)
    return names_to_vars


@api_boundary
def export_meta_graph(
    filename=None,
    meta_info_def=None,
    graph_def=None,
    saver_def=None,
    collection_list=None,
    as_text=False,
    graph=None,
    export_scope=None,
    clear_devices=False,
    clear_extraneous_savers=False,
    strip_default_attrs=False,
    save_debug_info=False,
    **kwargs,
):
    """Writes (when ``filename`` is given) and returns the ``MetaGraphDef`` of ``graph`` (the
    default graph): its GraphDef (or ``graph_def``), collections (those in
    ``collection_list``, else all) and ``saver_def`` when given, as TF1's function does.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     _ = tf.constant(1.0, name="c")
    ...     tf.add_to_collection("outputs", "c:0")
    ...     meta = tf.train.export_meta_graph()
    >>> [n.name for n in meta.graph_def.node], list(meta.collection_def)
    (['c'], ['outputs'])
    """
    _check_export_scope(export_scope)
    meta = meta_graph.build_meta_graph(
        graph, collection_list, clear_devices, strip_defaults=strip_default_attrs
    )
    if graph_def is not None:
        meta.graph_def.CopyFrom(graph_def)
    if meta_info_def is not None:
        meta.meta_info_def.MergeFrom(meta_info_def)
    if saver_def is not None:
        meta.saver_def.CopyFrom(saver_def)
    if filename is not None:
        meta_graph.write_meta_graph(meta, os.fspath(filename), as_text)
    return meta
