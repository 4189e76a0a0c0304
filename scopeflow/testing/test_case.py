"""``tf.test.TestCase``: TF1's base class for tests of graph code, on ``absltest.TestCase``
(so ``unittest``, pytest and ``tf.test.main`` all run it).

Each test starts in a fresh default graph with TF1's test graph seed (87654321) and Python's
and NumPy's global generators seeded with it; ``session()`` opens a new session on a graph,
``cached_session()``/``test_session()`` one kept for the whole test and closed in
``tearDown``; ``evaluate`` runs tensors in the default session (or the cached one).
"""

from __future__ import annotations

import contextlib
import random
import tempfile
import threading

import numpy as np
from absl.testing import absltest
from google.protobuf import text_format

from scopeflow.framework import defaults, nest
from scopeflow.framework.errors import OutOfRangeError
from scopeflow.ops.random.sampling import DEFAULT_GRAPH_SEED, set_random_seed
from scopeflow.platform import tf_logging
from scopeflow.session.session import Session
from scopeflow.testing.asserts import ArrayAssertions
from scopeflow.testing.platform import get_temp_dir, gpu_device_name


class ErrorLoggingSession(Session):
    """A ``Session`` logging the errors its runs raise (``OutOfRangeError`` excepted), as
    TF1's test sessions do."""

    def run(self, *args, **kwargs):
        try:
            return super().run(*args, **kwargs)
        except Exception as e:
            if not isinstance(e, OutOfRangeError):
                tf_logging.error(str(e))
            raise


class TestCase(ArrayAssertions, absltest.TestCase):
    """Base class for tests of TF1 graph code.

    >>> import scopeflow as tf
    >>> class AddTest(tf.test.TestCase):
    ...     def testAdd(self):
    ...         with self.cached_session():
    ...             self.assertAllClose(tf.add(1.0, 2.0).eval(), 3.0)
    >>> import io, unittest
    >>> runner = unittest.TextTestRunner(stream=io.StringIO())
    >>> runner.run(AddTest("testAdd")).wasSuccessful()
    True
    """

    def __init__(self, methodName: str = "runTest"):  # noqa: N803 - unittest's name
        super().__init__(methodName)
        self._threads: list[_CheckedThread] = []
        self._tempdir: str | None = None
        self._cached_session: Session | None = None
        self._cached_graph = None
        self._cached_config = None
        self._cached_force_gpu = False

    def setUp(self):
        super().setUp()
        self._ClearCachedSession()
        random.seed(DEFAULT_GRAPH_SEED)
        np.random.seed(DEFAULT_GRAPH_SEED)
        # A test that failed inside a ``with graph.as_default():`` may have left it entered.
        defaults.clear_graph_stack()
        defaults.reset_default_graph()
        set_random_seed(DEFAULT_GRAPH_SEED)
        if self.id().endswith(".test_session"):  # the session method, collected as a test
            self.skipTest("Not a test.")

    def tearDown(self):
        for thread in self._threads:
            thread.check_termination()
        self._ClearCachedSession()
        super().tearDown()

    def _ClearCachedSession(self):  # noqa: N802 - TF1's name
        if self._cached_session is not None:
            self._cached_session.close()
            self._cached_session = None

    def get_temp_dir(self) -> str:
        """A directory of this test's own (the same one on every call in a test), inside
        ``tf.test.get_temp_dir()``."""
        if not self._tempdir:
            self._tempdir = tempfile.mkdtemp(dir=get_temp_dir())
        return self._tempdir

    # -- sessions ---------------------------------------------------------------------------

    def evaluate(self, tensors):
        """The values of ``tensors`` (a tensor, or a nested structure of them) from one run of
        the default session, or of the test's cached session when there is none."""
        session = defaults.get_default_session()
        flat = nest.flatten(tensors)
        if session is None:
            with self.test_session() as session:
                values = session.run(flat)
        else:
            values = session.run(flat)
        return nest.pack_sequence_as(tensors, values)

    @contextlib.contextmanager
    def session(self, graph=None, config=None, use_gpu=False, force_gpu=False):
        """A new session on ``graph`` (the default graph when None), made the default session
        with its graph the default graph inside the block, and closed after it. Without
        ``use_gpu`` the ops made inside are placed on ``/device:CPU:0``."""
        with self._create_session(graph, config) as sess:
            with self._constrain_devices_and_set_default(sess, use_gpu, force_gpu):
                yield sess

    @contextlib.contextmanager
    def cached_session(self, graph=None, config=None, use_gpu=False, force_gpu=False):
        """The test's one session, made on the first call and closed in ``tearDown``; a later
        call with another ``graph``, ``config`` or ``force_gpu`` raises ``ValueError``."""
        sess = self._get_cached_session(graph, config, force_gpu, crash_if_inconsistent_args=True)
        with self._constrain_devices_and_set_default(sess, use_gpu, force_gpu) as cached:
            yield cached

    @contextlib.contextmanager
    def test_session(self, graph=None, config=None, use_gpu=False, force_gpu=False):
        """TF1's older name: ``cached_session`` when ``graph`` is None (other arguments not
        checked), else ``session(graph, ...)``."""
        if self.id().endswith(".test_session"):
            self.skipTest("Not a test.")
        if graph is None:
            sess = self._get_cached_session(
                graph, config, force_gpu, crash_if_inconsistent_args=False
            )
            with self._constrain_devices_and_set_default(sess, use_gpu, force_gpu) as cached:
                yield cached
        else:
            with self.session(graph, config, use_gpu, force_gpu) as sess:
                yield sess

    @contextlib.contextmanager
    def _constrain_devices_and_set_default(self, sess, use_gpu, force_gpu):
        with sess.graph.as_default(), sess.as_default():
            if force_gpu:
                with sess.graph.device(gpu_device_name() or "/device:GPU:0"):
                    yield sess
            elif use_gpu:
                yield sess
            else:
                with sess.graph.device("/device:CPU:0"):
                    yield sess

    def _create_session(self, graph, config):
        return ErrorLoggingSession(graph=graph, config=config)

    def _get_cached_session(self, graph, config, force_gpu, crash_if_inconsistent_args):
        if self._cached_session is None:
            self._cached_session = self._create_session(graph, config)
            self._cached_graph, self._cached_config = graph, config
            self._cached_force_gpu = force_gpu
            return self._cached_session
        if crash_if_inconsistent_args:
            for what, cached, given in (
                ("graph", self._cached_graph, graph),
                ("config", self._cached_config, config),
                ("force_gpu value", self._cached_force_gpu, force_gpu),
            ):
                if cached is not given:
                    raise ValueError(
                        f"The {what} used to get the cached session is different than the one "
                        "that was used to create the session. Maybe create a new session with "
                        "self.session()"
                    )
        return self._cached_session

    # -- threads ----------------------------------------------------------------------------

    def checkedThread(self, target, args=None, kwargs=None):  # noqa: N802 - TF1's name
        """A thread running ``target(*args, **kwargs)`` whose exception fails the test at
        ``join()``; ``tearDown`` fails the test if it was never joined."""
        thread = _CheckedThread(self, target, args, kwargs)
        self._threads.append(thread)
        return thread

    def assertProtoEquals(self, expected_message_maybe_ascii, message, msg=None):  # noqa: N802
        """Asserts that ``message`` (a protobuf message: ``GraphDef``, ``NodeDef``...) equals the
        expected one, given as a message of its type or as its text format; a failure shows
        both in text format, line by line."""
        if isinstance(expected_message_maybe_ascii, type(message)):
            expected = expected_message_maybe_ascii
        elif isinstance(expected_message_maybe_ascii, (str, bytes)):
            expected = type(message)()
            text_format.Merge(expected_message_maybe_ascii, expected)
        else:
            raise AssertionError(
                f"Can't compare protos of type {type(expected_message_maybe_ascii)} and "
                f"{type(message)}."
            )
        if expected != message:
            self.assertMultiLineEqual(
                text_format.MessageToString(expected), text_format.MessageToString(message), msg
            )

    # TF1's spellings of unittest's assertions.
    assertRaisesRegexp = absltest.TestCase.assertRaisesRegex  # noqa: N815
    assertItemsEqual = absltest.TestCase.assertCountEqual  # noqa: N815


class _CheckedThread:
    """A ``threading.Thread`` wrapper recording the target's exception for ``join``."""

    def __init__(self, testcase, target, args=None, kwargs=None):
        self._testcase, self._target = testcase, target
        self._args, self._kwargs = args or (), kwargs or {}
        self._thread = threading.Thread(target=self._protected_run)
        self._exception: Exception | None = None
        self._is_thread_joined = False

    def _protected_run(self) -> None:
        try:
            self._target(*self._args, **self._kwargs)
        except Exception as e:
            self._exception = e

    def start(self) -> None:
        self._thread.start()

    def join(self) -> None:
        self._is_thread_joined = True
        self._thread.join()
        if self._exception is not None:
            self._testcase.fail(f"Error in checkedThread: {self._exception}")

    def is_alive(self) -> bool:
        return self._thread.is_alive()

    def check_termination(self) -> None:
        if not self._is_thread_joined:
            self._testcase.fail("A checked thread was not joined.")
        if self.is_alive():
            raise RuntimeError(
                "Thread was not joined with main thread, and is still running when the test "
                "finished."
            )
