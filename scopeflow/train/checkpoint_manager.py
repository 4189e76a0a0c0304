"""``tf.train.CheckpointManager``: numbered saves of a ``tf.train.Checkpoint`` in one
directory, the oldest deleted past ``max_to_keep`` (unless kept every n hours), listed in the
directory's ``checkpoint`` state file with their timestamps."""

from __future__ import annotations

import collections
import glob
import logging
import numbers
import os
import time

from scopeflow.framework.defaults import get_default_session
from scopeflow.framework.graph_api import init_scope
from scopeflow.train.checkpoint_object import _session
from scopeflow.train.checkpoint_state import get_checkpoint_state, update_checkpoint_state

_log = logging.getLogger("tensorflow")


def _delete(prefix: str) -> None:
    for path in [prefix + ".index", *glob.glob(prefix + ".data-?????-of-?????")]:
        if os.path.exists(path):
            os.remove(path)


class CheckpointManager:
    """``tf.train.CheckpointManager(checkpoint, directory, max_to_keep, ...)``.

    ``save()`` writes ``<directory>/<checkpoint_name>-<n>`` (``n``: ``checkpoint_number``, an
    int or a step variable, else the checkpoint's incremented ``save_counter``) with the
    default session; with ``checkpoint_interval`` it saves only when ``step_counter`` has
    advanced that far since the last save. A manager made over a directory that already
    has a state file takes over its checkpoints.

    >>> import scopeflow as tf, tempfile
    >>> with tf.Graph().as_default(), tf.Session() as sess, tempfile.TemporaryDirectory() as d:
    ...     v = tf.Variable(1.0)
    ...     sess.run(v.initializer)
    ...     manager = tf.train.CheckpointManager(tf.train.Checkpoint(v=v), d, max_to_keep=2)
    ...     paths = [manager.save() for _ in range(3)]
    ...     print([p.rsplit("/", 1)[1] for p in manager.checkpoints])
    ['ckpt-2', 'ckpt-3']
    """

    def __init__(
        self,
        checkpoint,
        directory,
        max_to_keep,
        keep_checkpoint_every_n_hours=None,
        checkpoint_name="ckpt",
        step_counter=None,
        checkpoint_interval=None,
        init_fn=None,
        last_checkpoint_step=None,
    ):
        if max_to_keep is not None and max_to_keep <= 0:
            raise ValueError(
                f"Expected a positive integer or `None` for `max_to_keep`, got {max_to_keep}."
            )
        if checkpoint_interval is not None and step_counter is None:
            raise ValueError(
                "`step_counter` should be passed if `checkpoint_interval` is not None."
            )
        self._checkpoint = checkpoint
        self._max_to_keep = max_to_keep
        self._keep_checkpoint_every_n_hours = keep_checkpoint_every_n_hours
        self._directory = directory = os.fspath(directory)
        self._prefix = os.path.join(directory, checkpoint_name)
        self._init_fn = init_fn
        self._step_counter = step_counter
        self._checkpoint_interval = checkpoint_interval
        self._last_checkpoint_step = last_checkpoint_step
        self._save_counter_assign = None
        self._maybe_delete: collections.OrderedDict = collections.OrderedDict()
        now = time.time()
        state = get_checkpoint_state(directory)
        if state is None:
            self._latest_checkpoint = None
            self._last_preserved_timestamp = now - 1.0
            return
        self._latest_checkpoint = state.model_checkpoint_path
        self._last_preserved_timestamp = state.last_preserved_timestamp
        if now < self._last_preserved_timestamp:
            _log.warning(
                "time.time() returned a value %f seconds behind the last preserved "
                "checkpoint timestamp.",
                self._last_preserved_timestamp - now,
            )
            self._last_preserved_timestamp = now
        paths = list(state.all_model_checkpoint_paths)
        stamps = list(state.all_model_checkpoint_timestamps)
        stamps = stamps or [self._last_preserved_timestamp] * len(paths)
        for path, stamp in zip(paths, stamps, strict=False):
            stamp = min(stamp, now)
            if stamp > self._last_preserved_timestamp:
                self._maybe_delete[path] = stamp

    @property
    def directory(self) -> str:
        return self._directory

    @property
    def checkpoint(self):
        return self._checkpoint

    @property
    def checkpoint_interval(self):
        return self._checkpoint_interval

    @property
    def latest_checkpoint(self):
        """The path of the newest checkpoint, or ``None``."""
        return self._latest_checkpoint

    @property
    def checkpoints(self) -> list:
        """The paths of the checkpoints kept, oldest first (those kept every n hours are no
        longer listed)."""
        return list(self._maybe_delete)

    def _sweep(self) -> None:
        if not self._max_to_keep:
            return
        while len(self._maybe_delete) > self._max_to_keep:
            path, stamp = self._maybe_delete.popitem(last=False)
            hours = self._keep_checkpoint_every_n_hours
            if hours and stamp - hours * 3600.0 >= self._last_preserved_timestamp:
                self._last_preserved_timestamp = stamp
                continue
            _delete(path)

    def _record_state(self) -> None:
        paths, stamps = zip(*self._maybe_delete.items(), strict=True)
        update_checkpoint_state(
            self._directory,
            self._latest_checkpoint,
            all_model_checkpoint_paths=paths,
            all_model_checkpoint_timestamps=stamps,
            last_preserved_timestamp=self._last_preserved_timestamp,
            save_relative_paths=True,
        )

    def _record_and_sweep(self, path: str) -> None:
        self._maybe_delete.pop(path, None)
        self._maybe_delete[path] = time.time()
        self._latest_checkpoint = path
        self._record_state()
        self._sweep()
        self._record_state()

    def save(self, checkpoint_number=None, check_interval=True, options=None):
        """Writes a checkpoint (see the class); returns its path, or ``None`` when the
        interval has not passed."""
        session = _session(get_default_session())
        if self._checkpoint_interval is not None:
            step = int(session.run(self._step_counter))
            last = self._last_checkpoint_step
            if last is not None:
                if step == last:
                    return None
                if check_interval and step < last + self._checkpoint_interval:
                    return None
            self._last_checkpoint_step = step
        if self._checkpoint._maybe_create_save_counter():
            session.run(self._checkpoint.save_counter.initializer)
        counter = self._checkpoint.save_counter
        if self._save_counter_assign is None:
            with init_scope():
                self._save_counter_assign = counter.assign_add(1, read_value=False)
        session.run(self._save_counter_assign)
        if checkpoint_number is None:
            checkpoint_number = counter
        if not isinstance(checkpoint_number, numbers.Integral):
            checkpoint_number = int(session.run(checkpoint_number))
        path = self._checkpoint.write(
            f"{self._prefix}-{checkpoint_number}", session=session, options=options
        )
        self._record_and_sweep(path)
        return path

    def restore_or_initialize(self):
        """As TF in graph mode: calls ``checkpoint.restore(latest_checkpoint)`` (run the
        returned ops yourself: ``manager.checkpoint.restore(path).run_restore_ops()``) and
        returns the path; with no checkpoint, calls ``init_fn`` and returns ``None``."""
        if self._latest_checkpoint is not None:
            self._checkpoint.restore(self._latest_checkpoint)
            if self._checkpoint_interval is not None:
                session = _session(get_default_session())
                self._last_checkpoint_step = int(session.run(self._step_counter))
            return self._latest_checkpoint
        if self._init_fn is not None:
            self._init_fn()
        return None

    def sync(self) -> None:
        """Accepted: every save is on disk before ``save`` returns."""
