"""``tf.train.Checkpoint`` (TF1's, graph mode): saves the variables reachable from its keyword
arguments under their object paths, in TensorFlow's object-based format (``trackable.py``),
and restores them by the same paths, including variables created after ``restore`` (they are
matched when the restore is run)."""

from __future__ import annotations

import inspect
import os

import numpy as np

from scopeflow.framework import dtypes, errors
from scopeflow.framework.defaults import get_default_session
from scopeflow.framework.error_text import shape_str
from scopeflow.framework.graph_api import device, init_scope
from scopeflow.train import bundle, trackable
from scopeflow.train.checkpoint_state import update_checkpoint_state
from scopeflow.variables.variables import Variable


class CheckpointOptions:
    """``tf.train.CheckpointOptions``: how a checkpoint is written and read.

    ``experimental_io_device`` and ``enable_async`` are accepted (files are written by this
    process, before ``save`` returns); ``experimental_write_callbacks`` run after each write
    with the path (or no argument); ``experimental_skip_slot_variables`` leaves optimizer
    slots out of saves and restores.
    """

    def __init__(
        self,
        experimental_io_device=None,
        experimental_enable_async_checkpoint=False,
        experimental_write_callbacks=None,
        enable_async=False,
        experimental_skip_slot_variables=False,
        experimental_sharding_callback=None,
    ):
        if experimental_sharding_callback is not None:
            raise NotImplementedError(
                "CheckpointOptions(experimental_sharding_callback=...): checkpoints are written "
                "as one shard; leave it None."
            )
        self.experimental_io_device = experimental_io_device
        self.enable_async = bool(experimental_enable_async_checkpoint or enable_async)
        self.experimental_enable_async_checkpoint = self.enable_async
        for callback in experimental_write_callbacks or ():
            params = len(inspect.signature(callback).parameters)
            if params > 1:
                raise AssertionError(
                    "Callback functions for checkpoint are required to have 0 or 1 "
                    f"parameters, but this has {params} parameters: {callback}"
                )
        self.experimental_write_callbacks = experimental_write_callbacks
        self.experimental_skip_slot_variables = bool(experimental_skip_slot_variables)
        self.experimental_sharding_callback = None


def _session(session):
    session = session or get_default_session()
    if session is None:
        raise ValueError(
            "tf.train.Checkpoint in graph mode needs a session: pass session=, or call it "
            "within `with tf.Session() as sess:` (a default session)"
        )
    return session


def _graph(root, options: CheckpointOptions | None):
    top, nodes = trackable.build_graph(root)
    if options is not None and options.experimental_skip_slot_variables:
        slot_ids = {id(slot) for node in nodes for _, _, slot in node.slots}
        for node in nodes:
            node.slots = []
        nodes = [n for n in nodes if id(n) not in slot_ids]
    return top, nodes


def _load(pairs: list, session) -> None:
    """Loads ``(variable, value)`` pairs in one run, each through its initializer."""
    if not pairs:
        return
    feeds, ops = {}, []
    for variable, value in pairs:
        op = variable._initializer_op
        feeds[op.inputs[1]] = np.asarray(value, dtype=variable.dtype.base_dtype.as_numpy_dtype)
        ops.append(op)
    session.run(ops, feeds)


def _check_shape(variable, value) -> None:
    want = variable.shape
    got = np.shape(value)
    if not want.is_compatible_with(got):
        raise errors.InvalidArgumentError(
            None,
            variable.op,
            "Assign requires shapes of both tensors to match. lhs shape= "
            f"{shape_str(want)} rhs shape= {shape_str(got)} (restoring '{variable.op.name}' from "
            "a checkpoint)",
        )


class Checkpoint:
    """``tf.train.Checkpoint`` (TF1's ``CheckpointV1``): groups trackable objects
    (variables, ``tf.Module``s, Keras models, layers and optimizers, ``tf.train`` optimizers,
    other ``Checkpoint``s) under the names of its keyword arguments.

    >>> import scopeflow as tf, tempfile, os
    >>> with tf.Graph().as_default(), tf.Session() as sess, tempfile.TemporaryDirectory() as d:
    ...     v = tf.Variable([1.0, 2.0], name="v")
    ...     ckpt = tf.train.Checkpoint(v=v)
    ...     sess.run(v.initializer)
    ...     path = ckpt.save(os.path.join(d, "ckpt"))
    ...     print(os.path.basename(path), sorted(tf.train.list_variables(path))[1][0])
    ckpt-1 save_counter/.ATTRIBUTES/VARIABLE_VALUE
    """

    def __init__(self, **kwargs):
        object.__setattr__(self, "_dependencies", [])
        self._save_counter = None
        self._save_assign_op = None
        for name, value in sorted(kwargs.items()):
            if not trackable.is_trackable(value):
                raise ValueError(
                    "`Checkpoint` was expecting a trackable object (an object derived from "
                    f"`Trackable`), got {value}. If you believe this object should be "
                    "trackable (i.e. it is part of the TensorFlow Python API and manages "
                    "state), please open an issue."
                )
            setattr(self, name, value)

    def __setattr__(self, name: str, value) -> None:
        if not name.startswith("_") and name not in self._dependencies:
            self._dependencies.append(name)
        object.__setattr__(self, name, value)

    def _trackable_children(self) -> list:
        return [(name, getattr(self, name)) for name in self._dependencies]

    def _maybe_create_save_counter(self) -> bool:
        if self._save_counter is not None:
            return False
        with init_scope(), device("/cpu:0"):
            counter = Variable(
                np.int64(0), name="save_counter", trainable=False, dtype=dtypes.int64
            )
        self._save_counter = counter
        self._dependencies.append("save_counter")
        return True

    @property
    def save_counter(self):
        """An int64 variable, 0 at first and incremented by each ``save``; created on first
        use (``save``, ``restore`` or this property)."""
        self._maybe_create_save_counter()
        return self._save_counter

    def write(self, file_prefix, session=None, options=None) -> str:
        """Writes the checkpoint ``file_prefix`` (without numbering it or updating the
        ``checkpoint`` state file) and returns its path."""
        file_prefix = os.fspath(file_prefix)
        _, nodes = _graph(self, options)
        saved = [node for node in nodes if node.variable is not None]
        values = _session(session).run([node.variable for node in saved]) if saved else []
        tensors = {node.key: value for node, value in zip(saved, values, strict=True)}
        tensors[trackable.GRAPH_KEY] = np.array(trackable.graph_bytes(nodes), dtype=object)
        directory = os.path.dirname(os.path.abspath(file_prefix))
        os.makedirs(directory, exist_ok=True)
        bundle.write_bundle(file_prefix, tensors)
        for callback in (options.experimental_write_callbacks or ()) if options else ():
            if inspect.signature(callback).parameters:
                callback(file_prefix)
            else:
                callback()
        return file_prefix

    def save(self, file_prefix, session=None, options=None) -> str:
        """Increments ``save_counter``, writes ``<file_prefix>-<counter>`` and names it the
        latest checkpoint of its directory (the ``checkpoint`` file); returns the path."""
        file_prefix = os.fspath(file_prefix)
        session = _session(session)
        if self._maybe_create_save_counter():
            session.run(self._save_counter.initializer)
        if self._save_assign_op is None:
            with init_scope():
                self._save_assign_op = self._save_counter.assign_add(np.int64(1))
        number = session.run(self._save_assign_op)
        path = self.write(f"{file_prefix}-{number}", session=session, options=options)
        update_checkpoint_state(
            os.path.dirname(file_prefix),
            path,
            all_model_checkpoint_paths=[path],
            save_relative_paths=True,
        )
        return path

    def restore(self, save_path, options=None):
        """Matches the objects saved at ``save_path`` with this checkpoint's objects by their
        paths; returns a status whose ``run_restore_ops(session)`` loads the values (also into
        variables created after this call) and whose ``assert_*`` methods check the match.
        ``save_path=None`` gives a status that only initializes."""
        if save_path is None:
            self._maybe_create_save_counter()
            return InitializationOnlyStatus(self)
        reader = bundle.BundleReader(os.fspath(save_path))
        self._maybe_create_save_counter()
        if trackable.GRAPH_KEY not in reader.entries:
            return NameBasedSaverStatus(self, reader, options)
        return CheckpointLoadStatus(self, reader, options)


class CheckpointLoadStatus:
    """What ``Checkpoint.restore`` returns for an object-based checkpoint."""

    def __init__(self, root, reader, options=None):
        self._root = root
        self._reader = reader
        self._options = options
        self._saved = trackable.parse_object_graph(reader.read(trackable.GRAPH_KEY)[()])

    def _matched(self):
        top, nodes = _graph(self._root, self._options)
        pairs = trackable.match(self._saved, top)
        if self._options is not None and self._options.experimental_skip_slot_variables:
            slot_ids = {slot_id for node in self._saved for _, _, slot_id in node.slots}
            pairs = {k: v for k, v in pairs.items() if k not in slot_ids}
        return pairs, nodes

    def _values(self):
        """``(variable, value)`` for each matched variable with a saved value, and the
        matching."""
        pairs, nodes = self._matched()
        found = []
        for saved_id, node in pairs.items():
            if node.variable is None:
                continue
            keys = [key for name, _, key in self._saved[saved_id].attributes if name]
            if keys and keys[0] in self._reader.entries:
                found.append((node.variable, self._reader.read(keys[0])))
        return found, pairs, nodes

    def run_restore_ops(self, session=None) -> None:
        """Loads the saved values into the matched variables (those that exist now)."""
        values, _, _ = self._values()
        for variable, value in values:
            _check_shape(variable, value)
        _load(values, _session(session))

    def initialize_or_restore(self, session=None) -> None:
        """Restores the matched variables and runs the initializers of the object graph's
        other variables."""
        session = _session(session)
        values, _, nodes = self._values()
        restored = {id(v) for v, _ in values}
        others = [n.variable for n in nodes if n.variable is not None]
        others = [v for v in others if id(v) not in restored]
        if others:
            session.run([v.initializer for v in others])
        _load(values, session)

    def _path_names(self) -> dict[int, str]:
        names, queue = {0: "(root)"}, [0]
        while queue:
            node_id = queue.pop(0)
            for name, child in self._saved[node_id].children:
                if child not in names and child < len(self._saved):
                    names[child] = f"{names[node_id]}.{name}"
                    queue.append(child)
        for node_id, node in enumerate(self._saved):
            for original, slot_name, slot in node.slots:
                base = names.get(original, "(unknown)")
                names.setdefault(slot, f"{base}'s state '{slot_name}' for {names[node_id]}")
        return names

    def assert_consumed(self):
        """Raises ``AssertionError`` unless every saved value found its object and every
        variable of the object graph found a saved value."""
        self.assert_existing_objects_matched()
        pairs, _ = self._matched()
        names = self._path_names()
        skip = set()
        if self._options is not None and self._options.experimental_skip_slot_variables:
            skip = {slot_id for node in self._saved for _, _, slot_id in node.slots}
        for node_id, node in enumerate(self._saved):
            if node.attributes and node_id not in pairs and node_id not in skip:
                raise AssertionError(
                    f"Unresolved object in checkpoint {names.get(node_id, node_id)}: {node}"
                )
        return self

    def assert_existing_objects_matched(self):
        """Raises ``AssertionError`` if a variable of the object graph has no saved value."""
        pairs, nodes = self._matched()
        matched = {id(n) for n in pairs.values()}
        unused = [n.variable for n in nodes if n.variable is not None and id(n) not in matched]
        if unused:
            shown = unused[:10]
            raise AssertionError(
                f"Found {len(unused)} Python objects that were not bound to checkpointed "
                "values, likely due to changes in the Python program. Showing "
                f"{len(shown)} of {len(unused)} unmatched objects: {shown}"
            )
        return self

    def assert_nontrivial_match(self):
        """Raises ``AssertionError`` if nothing but the root object matched."""
        pairs, nodes = self._matched()
        if len(pairs) <= 1:
            unused = [n.variable for n in nodes if n.variable is not None]
            if unused:
                raise AssertionError(
                    "Nothing except the root object matched a checkpointed value. Typically "
                    "this means that the checkpoint does not match the Python program. The "
                    f"following objects have no matching checkpointed value: {unused}"
                )
            raise AssertionError(
                f"Nothing to load. No dependencies have been added to {self._root} yet."
            )
        return self

    def expect_partial(self):
        """Accepted (no warnings are given about values left unrestored); returns ``self``."""
        return self


class InitializationOnlyStatus:
    """What ``Checkpoint.restore(None)`` returns: nothing to restore, only initializers."""

    def __init__(self, root):
        self._root = root

    def _nothing(self):
        raise AssertionError("No checkpoint specified (save_path=None); nothing is being restored.")

    def assert_consumed(self):
        self._nothing()

    def assert_existing_objects_matched(self):
        self._nothing()

    def assert_nontrivial_match(self):
        self._nothing()

    def run_restore_ops(self, session=None):
        raise AssertionError(
            "No checkpoint specified, so no restore ops are available "
            "(save_path=None to Saver.restore)."
        )

    def initialize_or_restore(self, session=None) -> None:
        """Runs the initializers of the object graph's variables."""
        _, nodes = trackable.build_graph(self._root)
        variables = [n.variable for n in nodes if n.variable is not None]
        if variables:
            _session(session).run([v.initializer for v in variables])

    def expect_partial(self):
        return self


class NameBasedSaverStatus:
    """What ``Checkpoint.restore`` returns for a checkpoint a ``tf.train.Saver`` wrote: the
    variables are looked up by their names (``dense/kernel``)."""

    def __init__(self, root, reader, options=None):
        self._root = root
        self._reader = reader
        self._options = options

    def _variables(self) -> list:
        _, nodes = _graph(self._root, self._options)
        return [n.variable for n in nodes if n.variable is not None]

    def _unrestored(self) -> list:
        return [v for v in self._variables() if v.op.name not in self._reader.entries]

    def assert_consumed(self):
        missing = self._unrestored()
        if missing:
            raise AssertionError(f"Object not restored: {missing[0]}")
        return self

    def assert_existing_objects_matched(self):
        return self.assert_consumed()

    def assert_nontrivial_match(self):
        return self

    def run_restore_ops(self, session=None) -> None:
        """Loads each variable saved under its name (``save_counter`` may be absent)."""
        pairs = []
        for variable in self._variables():
            if variable.op.name in self._reader.entries:
                value = self._reader.read(variable.op.name)
                _check_shape(variable, value)
                pairs.append((variable, value))
        _load(pairs, _session(session))

    def initialize_or_restore(self, session=None) -> None:
        self.run_restore_ops(session)

    def expect_partial(self):
        return self
