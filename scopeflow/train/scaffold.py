"""``tf.train.Scaffold`` (the ops a monitored session needs to initialize, check and save a
model, defaulted as TF1 defaults them) and the session creators that use it:
``ChiefSessionCreator`` (restores or initializes) and ``WorkerSessionCreator`` (waits for the
chief).
"""

from __future__ import annotations

import logging

from scopeflow.framework import dtypes
from scopeflow.framework.constant import constant
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph import GraphKeys
from scopeflow.framework.graph_api import add_to_collection, get_collection, name_scope
from scopeflow.ops.array.join import concat
from scopeflow.ops.control.grouping import group, no_op
from scopeflow.summary.summary_ops import merge_all
from scopeflow.train.saver import Saver
from scopeflow.train.session_manager import SessionManager
from scopeflow.variables.collections import (
    global_variables,
    global_variables_initializer,
    local_variables_initializer,
    report_uninitialized_variables,
)

_log = logging.getLogger("tensorflow")


# scopeflow has no resources (TF1's resource handles): TF1's helpers over an empty list of
# them build these, which the default ops below include to keep TF1's op names.


def _initialize_no_resources():
    """``initialize_resources([])``: a NoOp named ``init``."""
    return no_op(name="init")


def _report_no_uninitialized_resources():
    """``report_uninitialized_resources([])``: an empty string vector."""
    with name_scope("report_uninitialized_resources"):
        return constant([], dtype=dtypes.string)


def _default_init_op():
    return group(
        global_variables_initializer(),
        _initialize_no_resources(),
        get_collection("saved_model_initializers"),
    )


def _default_ready_op():
    return concat([report_uninitialized_variables(), _report_no_uninitialized_resources()], 0)


def _default_ready_for_local_init_op():
    uninitialized = report_uninitialized_variables(global_variables())
    return concat([uninitialized, _report_no_uninitialized_resources()], 0)


def _tables_initializer():
    initializers = get_collection(GraphKeys.TABLE_INITIALIZERS)
    if initializers:
        return group(*initializers, name="init_all_tables")
    return no_op(name="init_all_tables")


def _default_saver():
    savers = get_collection(GraphKeys.SAVERS)
    if savers:
        if len(savers) > 1:
            raise RuntimeError(
                f"More than one item in collection {GraphKeys.SAVERS}. Please indicate which "
                "one to use by passing it to the constructor."
            )
        return savers[0]
    saver = Saver(sharded=True, allow_empty=True)
    add_to_collection(GraphKeys.SAVERS, saver)
    return saver


class Scaffold:
    """The ops a monitored session uses: ``init_op``, ``ready_op``,
    ``ready_for_local_init_op``, ``local_init_op``, ``summary_op``, ``saver`` (and
    ``init_feed_dict``, ``init_fn(scaffold, session)``). ``finalize()`` fills in the ones not
    given (from their graph collection, else TF1's default) and finalizes the graph.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default() as g:
    ...     w = tf.get_variable("w", [2])
    ...     scaffold = tf.train.Scaffold().finalize()
    >>> scaffold.init_op.name, scaffold.ready_op.name, scaffold.local_init_op.name, g.finalized
    ('group_deps', 'concat:0', 'group_deps_1', True)
    """

    def __init__(
        self,
        init_op=None,
        init_feed_dict=None,
        init_fn=None,
        ready_op=None,
        ready_for_local_init_op=None,
        local_init_op=None,
        summary_op=None,
        saver=None,
        copy_from_scaffold=None,
        local_init_feed_dict=None,
    ):
        if copy_from_scaffold is not None:
            if not isinstance(copy_from_scaffold, Scaffold):
                raise TypeError("copy_from_scaffold is not a Scaffold instance.")
            old = copy_from_scaffold

            def pick(given, inherited):
                return given if given is not None else inherited

            init_op = pick(init_op, old.init_op)
            init_feed_dict = pick(init_feed_dict, old.init_feed_dict)
            init_fn = pick(init_fn, old._user_init_fn)
            ready_op = pick(ready_op, old.ready_op)
            ready_for_local_init_op = pick(ready_for_local_init_op, old.ready_for_local_init_op)
            local_init_op = pick(local_init_op, old.local_init_op)
            local_init_feed_dict = pick(local_init_feed_dict, old.local_init_feed_dict)
            summary_op = pick(summary_op, old.summary_op)
            saver = pick(saver, old.saver)
        self._user_init_fn = init_fn
        self._init_fn = (lambda sess: init_fn(self, sess)) if init_fn else None
        self._init_op = init_op
        self._init_feed_dict = init_feed_dict
        self._ready_op = ready_op
        self._ready_for_local_init_op = ready_for_local_init_op
        self._local_init_op = local_init_op
        self._local_init_feed_dict = local_init_feed_dict
        self._summary_op = summary_op
        self._saver = saver

    def finalize(self) -> Scaffold:
        """Creates the missing ops (TF1's defaults: ``group_deps`` running the global
        variables' initializers, ``concat`` of the uninitialized variables' names, the local
        variables' initializers, the default ``Saver``), then finalizes the default graph."""
        if self._init_op is None:
            self._init_op = Scaffold.get_or_default("init_op", GraphKeys.INIT_OP, _default_init_op)
        if self._ready_op is None:
            self._ready_op = Scaffold.get_or_default(
                "ready_op", GraphKeys.READY_OP, _default_ready_op
            )
        if self._ready_for_local_init_op is None:
            self._ready_for_local_init_op = Scaffold.get_or_default(
                "ready_for_local_init_op",
                GraphKeys.READY_FOR_LOCAL_INIT_OP,
                _default_ready_for_local_init_op,
            )
        if self._local_init_op is None:
            self._local_init_op = Scaffold.get_or_default(
                "local_init_op", GraphKeys.LOCAL_INIT_OP, Scaffold.default_local_init_op
            )
        if self._summary_op is None:
            self._summary_op = Scaffold.get_or_default(
                "summary_op", GraphKeys.SUMMARY_OP, merge_all
            )
        if self._saver is None:
            self._saver = _default_saver()
        self._saver.build()
        get_default_graph().finalize()
        _log.info("Graph was finalized.")
        return self

    @property
    def init_fn(self):
        return self._init_fn

    @property
    def init_op(self):
        return self._init_op

    @property
    def ready_op(self):
        return self._ready_op

    @property
    def ready_for_local_init_op(self):
        return self._ready_for_local_init_op

    @property
    def local_init_op(self):
        return self._local_init_op

    @property
    def local_init_feed_dict(self):
        return self._local_init_feed_dict

    @property
    def summary_op(self):
        return self._summary_op

    @property
    def saver(self):
        return self._saver

    @property
    def init_feed_dict(self):
        return self._init_feed_dict

    @staticmethod
    def get_or_default(arg_name, collection_key, default_constructor):
        """The one item of the collection ``collection_key``, else ``default_constructor()``
        (added to that collection).

        Raises:
            RuntimeError: the collection holds more than one item.
        """
        elements = get_collection(collection_key)
        if elements:
            if len(elements) > 1:
                raise RuntimeError(
                    f'More than one item in the collection "{collection_key}". Please indicate '
                    "which one to use by passing it to the tf.Scaffold constructor as:  "
                    f"tf.Scaffold({arg_name}=item to use)"
                )
            return elements[0]
        op = default_constructor()
        if op is not None:
            add_to_collection(collection_key, op)
        return op

    @staticmethod
    def default_local_init_op():
        """The local variables' initializers, the tables' and the local resources' (TF1's
        ``group_deps`` of ``init``, ``init_all_tables`` and another ``init``)."""
        return group(
            local_variables_initializer(), _tables_initializer(), _initialize_no_resources()
        )


class SessionCreator:
    """Makes the ``tf.Session`` a monitored session runs: subclasses define
    ``create_session()``."""

    def create_session(self):
        raise NotImplementedError(f"create_session is not implemented for {self}.")


def _session_manager(scaffold: Scaffold) -> SessionManager:
    return SessionManager(
        local_init_op=scaffold.local_init_op,
        local_init_feed_dict=scaffold.local_init_feed_dict,
        ready_op=scaffold.ready_op,
        ready_for_local_init_op=scaffold.ready_for_local_init_op,
        graph=get_default_graph(),
    )


class ChiefSessionCreator(SessionCreator):
    """Makes a session for the chief: restored from ``checkpoint_dir``'s latest checkpoint
    (or ``checkpoint_filename_with_path``) when there is one, else initialized by the
    scaffold's ``init_op`` and ``init_fn``."""

    def __init__(
        self,
        scaffold=None,
        master="",
        config=None,
        checkpoint_dir=None,
        checkpoint_filename_with_path=None,
    ):
        self._checkpoint_dir = checkpoint_dir
        self._checkpoint_filename_with_path = checkpoint_filename_with_path
        self._scaffold = scaffold or Scaffold()
        self._session_manager = None
        self._master = master
        self._config = config

    def create_session(self):
        self._scaffold.finalize()
        if self._session_manager is None:
            self._session_manager = _session_manager(self._scaffold)
        return self._session_manager.prepare_session(
            self._master,
            saver=self._scaffold.saver,
            checkpoint_dir=self._checkpoint_dir,
            checkpoint_filename_with_path=self._checkpoint_filename_with_path,
            config=self._config,
            init_op=self._scaffold.init_op,
            init_feed_dict=self._scaffold.init_feed_dict,
            init_fn=self._scaffold.init_fn,
        )


class WorkerSessionCreator(SessionCreator):
    """Makes a session for a worker: waits (up to ``max_wait_secs``) until the model is
    ready, then runs the local init op. In one process the model is never initialized by
    anyone else, so this ends in ``DeadlineExceededError`` unless the variables are
    local."""

    def __init__(self, scaffold=None, master="", config=None, max_wait_secs=30 * 60):
        self._scaffold = scaffold or Scaffold()
        self._session_manager = None
        self._master = master
        self._config = config
        self._max_wait_secs = max_wait_secs

    def create_session(self):
        self._scaffold.finalize()
        if self._session_manager is None:
            self._session_manager = _session_manager(self._scaffold)
        return self._session_manager.wait_for_session(
            self._master, config=self._config, max_wait_secs=self._max_wait_secs
        )
