"""``tf.train.basic_train_loop`` and ``tf.train.checkpoints_iterator``: the loops of a
``Supervisor``-driven trainer and of an evaluator that waits for each new checkpoint."""

from __future__ import annotations

import logging
import time

from scopeflow.framework import errors
from scopeflow.train.checkpoint_state import latest_checkpoint

_log = logging.getLogger("tensorflow")


def basic_train_loop(supervisor, train_step_fn, args=None, kwargs=None, master=""):
    """Calls ``train_step_fn(sess, *args, **kwargs)`` in ``supervisor.managed_session(master)``
    until the supervisor should stop; an ``AbortedError`` starts a new session and goes on.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     step = tf.train.get_or_create_global_step()
    ...     bump = tf.assign_add(step, 1)
    ...     sv = tf.train.Supervisor(logdir=None)
    ...     def train_step(sess):
    ...         if sess.run(bump) == 3:
    ...             sv.request_stop()
    ...     tf.train.basic_train_loop(sv, train_step)
    """
    args = [] if args is None else args
    kwargs = {} if kwargs is None else kwargs
    should_retry = True
    while should_retry:
        try:
            should_retry = False
            with supervisor.managed_session(master) as sess:
                while not supervisor.should_stop():
                    train_step_fn(sess, *args, **kwargs)
        except errors.AbortedError:
            should_retry = True  # one of the servers restarted


def wait_for_new_checkpoint(checkpoint_dir, last_checkpoint=None, seconds_to_sleep=1, timeout=None):
    """The newest checkpoint of ``checkpoint_dir`` once it differs from ``last_checkpoint``,
    checked every ``seconds_to_sleep`` seconds; ``None`` after ``timeout`` seconds."""
    _log.info("Waiting for new checkpoint at %s", checkpoint_dir)
    stop_time = None if timeout is None else time.time() + timeout
    while True:
        path = latest_checkpoint(checkpoint_dir)
        if path is not None and path != last_checkpoint:
            _log.info("Found new checkpoint at %s", path)
            return path
        if stop_time is not None and time.time() + seconds_to_sleep > stop_time:
            return None
        time.sleep(seconds_to_sleep)


def checkpoints_iterator(checkpoint_dir, min_interval_secs=0, timeout=None, timeout_fn=None):
    """Yields each new checkpoint of ``checkpoint_dir`` (its prefix), at most one every
    ``min_interval_secs`` seconds. After ``timeout`` seconds without a new one it stops, unless
    ``timeout_fn`` is given and returns ``False`` (then it waits again).

    >>> import os, tempfile
    >>> import scopeflow as tf
    >>> d = tempfile.mkdtemp()
    >>> with tf.Graph().as_default():
    ...     v = tf.get_variable("v", [1])
    ...     with tf.Session() as sess:
    ...         sess.run(v.initializer)
    ...         _ = tf.train.Saver().save(sess, os.path.join(d, "model"), global_step=1)
    >>> [os.path.basename(p) for p in tf.train.checkpoints_iterator(d, timeout=0)]
    ['model-1']
    """
    path = None
    while True:
        new_path = wait_for_new_checkpoint(checkpoint_dir, path, timeout=timeout)
        if new_path:
            start = time.time()
            path = new_path
            yield path
            wait = start + min_interval_secs - time.time()
            if wait > 0:
                time.sleep(wait)
        elif timeout_fn is None:
            _log.info("Timed-out waiting for a checkpoint (without timeout_fn).")
            return
        if timeout_fn is not None and timeout_fn():
            _log.info("Done. No new checkpoints will be generated.")
            return
