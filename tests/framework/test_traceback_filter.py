"""Tests for scopeflow/framework/traceback_filter.py: errors reach user code with scopeflow's
own frames removed, the user's frames and the message kept; ``SCOPEFLOW_TRACEBACK=full``
keeps everything."""

from __future__ import annotations

import contextlib
import inspect
import os
import subprocess
import sys
import textwrap
import traceback

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.framework import traceback_filter

pytestmark = pytest.mark.skipif(
    sys.version_info < (3, 11), reason="a bare raise keeps a rewritten traceback from 3.11 on"
)

PACKAGE = os.path.dirname(tf.__file__) + os.sep


@pytest.fixture(autouse=True)
def _fresh_graph(monkeypatch):
    monkeypatch.delenv(traceback_filter.ENV_VAR, raising=False)
    with tf.Graph().as_default():
        yield


def _frames(e: BaseException) -> list[tuple[str, int]]:
    return [(f.filename, f.lineno) for f in traceback.extract_tb(e.__traceback__)]


def _library_frames(e: BaseException) -> list[tuple[str, int]]:
    return [f for f in _frames(e) if f[0].startswith(PACKAGE)]


def _line_of(marker: str, fn) -> int:
    """The line of ``fn``'s source that ends with the comment ``marker``."""
    lines, first = inspect.getsourcelines(fn)
    (offset,) = [i for i, line in enumerate(lines) if line.rstrip().endswith(marker)]
    return first + offset


def test_sharing_error_ends_at_the_users_line():
    tf.get_variable("w", [2])
    with pytest.raises(ValueError, match="already exists") as info:
        tf.get_variable("w", [2])  # second
    e = info.value
    assert _library_frames(e) == []
    assert _frames(e)[-1] == (
        __file__,
        _line_of("# second", test_sharing_error_ends_at_the_users_line),
    )
    assert e.__notes__ == [traceback_filter.NOTE]


def test_full_keeps_the_library_frames(monkeypatch):
    monkeypatch.setenv("SCOPEFLOW_TRACEBACK", "full")
    tf.get_variable("w", [2])
    with pytest.raises(ValueError, match="already exists") as info:
        tf.get_variable("w", [2])
    files = {os.path.relpath(f, PACKAGE) for f, _ in _library_frames(info.value)}
    assert {"framework/undo.py", "variables/store.py"} <= files
    assert not hasattr(info.value, "__notes__")


def _define_twice() -> ValueError:
    with tf.Graph().as_default():
        tf.get_variable("w", [2])  # first
        with pytest.raises(ValueError) as info:
            tf.get_variable("w", [2])
    return info.value


def test_message_and_type_are_unchanged(monkeypatch):
    filtered = _define_twice()
    monkeypatch.setenv(traceback_filter.ENV_VAR, "full")
    full = _define_twice()
    line = _line_of("# first", _define_twice)
    assert type(filtered) is type(full) is ValueError
    # The message's first line; the creation site it lists below comes from the call stack.
    first_line = str(filtered).splitlines()[0]
    assert first_line == str(full).splitlines()[0]
    assert "already exists" in first_line and first_line.endswith(f"{__file__}:{line}:")


def test_bad_feed_in_run_ends_at_the_users_line():
    x = tf.placeholder(tf.float32, [2])
    y = x * 2.0
    with tf.Session() as sess:
        with pytest.raises(ValueError, match="Cannot feed value of shape") as info:
            sess.run(y, {x: [1.0, 2.0, 3.0]})  # feed
    here = _line_of("# feed", test_bad_feed_in_run_ends_at_the_users_line)
    assert _library_frames(info.value) == []
    assert _frames(info.value)[-1] == (__file__, here)


def test_run_time_error_keeps_its_cause():
    x = tf.placeholder(tf.float32, [None])
    y = tf.reshape(x, [2, 2])
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError) as info:
            sess.run(y, {x: [1.0, 2.0, 3.0]})
    e = info.value
    assert _library_frames(e) == []
    # The cause (NumPy's error inside the kernel) is scopeflow's detail and stays whole.
    assert isinstance(e.__cause__, ValueError)
    assert _library_frames(e.__cause__) != []


def test_eval_of_unfed_placeholder_ends_at_the_users_line():
    x = tf.placeholder(tf.float32, [2])
    with tf.Session():
        with pytest.raises(tf.errors.InvalidArgumentError, match="must feed") as info:
            (x + 1.0).eval()
    assert _library_frames(info.value) == []


def test_user_initializer_frame_is_kept():
    def initializer(shape, dtype=None, partition_info=None):
        raise RuntimeError("bad initializer")  # raise

    with pytest.raises(RuntimeError, match="bad initializer") as info:
        tf.get_variable("w", [2], initializer=initializer)  # call
    test = test_user_initializer_frame_is_kept
    assert _frames(info.value) == [
        (__file__, _line_of("# call", test)),
        (__file__, _line_of("# raise", test)),
    ]


def test_user_custom_getter_frame_is_kept():
    def getter(getter, name, *args, **kwargs):
        return getter(name + "/inner", *args, **kwargs) + tf.zeros([3])  # add

    with pytest.raises(ValueError, match="Dimensions must be equal") as info:
        tf.get_variable("w", [2], custom_getter=getter)  # call
    test = test_user_custom_getter_frame_is_kept
    assert _frames(info.value) == [
        (__file__, _line_of("# call", test)),
        (__file__, _line_of("# add", test)),
    ]
    assert info.value.__notes__ == [traceback_filter.NOTE]


def test_nested_boundaries_filter_once():
    # minimize and compute_gradients are both boundaries; the inner one raises.
    with pytest.raises(ValueError, match="No variables to optimize") as info:
        tf.train.GradientDescentOptimizer(0.1).minimize(tf.zeros([1]))  # minimize
    here = _line_of("# minimize", test_nested_boundaries_filter_once)
    assert _frames(info.value) == [(__file__, here)]
    assert info.value.__notes__ == [traceback_filter.NOTE]


def test_error_reraised_through_a_second_boundary_gets_one_note():
    caught = []

    def initializer(shape, dtype=None, partition_info=None):
        raise caught[0]

    tf.get_variable("w", [2])
    with pytest.raises(ValueError) as first:
        tf.get_variable("w", [2])
    caught.append(first.value)
    with pytest.raises(ValueError) as second:
        tf.get_variable("v", [2], initializer=initializer)
    assert second.value is first.value
    assert _library_frames(second.value) == []
    assert second.value.__notes__ == [traceback_filter.NOTE]


def test_keyboard_interrupt_is_not_filtered():
    def initializer(shape, dtype=None, partition_info=None):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt) as info:
        tf.get_variable("w", [2], initializer=initializer)
    assert _library_frames(info.value) != []


def test_variable_scope_error_drops_the_contextlib_frames_between():
    # __enter__ opens the name scope through ExitStack and contextlib, both in the stdlib.
    with pytest.raises(ValueError, match="not a valid root scope name") as info:
        with tf.variable_scope("a b!"):  # enter
            pass
    test = test_variable_scope_error_drops_the_contextlib_frames_between
    assert _frames(info.value) == [(__file__, _line_of("# enter", test))]


def test_stdlib_frames_leading_to_user_code_are_kept():
    @contextlib.contextmanager
    def block():
        with tf.variable_scope(None, default_name="b", reuse=True):  # inner
            yield

    with pytest.raises(ValueError, match="reuse=True cannot be used") as info:
        with block():  # outer
            pass
    test = test_stdlib_frames_leading_to_user_code_are_kept
    files = [os.path.basename(f) for f, _ in _frames(info.value)]
    assert files == ["test_traceback_filter.py", "contextlib.py", "test_traceback_filter.py"]
    assert _frames(info.value)[-1] == (__file__, _line_of("# inner", test))


@pytest.mark.parametrize(
    ("make", "error", "match"),
    [
        (lambda: tf.Session(target="grpc://host:2222"), NotImplementedError, "no tf.train"),
        (lambda: tf.InteractiveSession(config=1), TypeError, "tf.ConfigProto"),
        (lambda: tf.train.Saver(), ValueError, "No variables to save"),
        (lambda: tf.variable_scope("s", reuse="yes"), ValueError, "reuse must be"),
    ],
)
def test_constructor_errors_end_at_the_users_line(make, error, match):
    with pytest.raises(error, match=match) as info:
        make()
    assert _library_frames(info.value) == []
    assert info.value.__notes__ == [traceback_filter.NOTE]


def test_success_returns_the_result_untouched():
    x = tf.placeholder(tf.float32, [2])
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(x * 2.0, {x: [1.0, 2.0]}), [2.0, 4.0])


SCRIPT = """\
import scopeflow as tf

tf.get_variable("w", [2])
tf.get_variable("w", [2])
"""


@pytest.mark.parametrize("mode", ["", "full"])
def test_uncaught_error_prints_from_the_users_line(tmp_path, mode):
    script = tmp_path / "model.py"
    script.write_text(SCRIPT)
    env = dict(os.environ, SCOPEFLOW_TRACEBACK=mode)
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 1
    if mode == "full":
        assert "scopeflow/variables/store.py" in done.stderr
        return
    assert done.stderr.startswith(
        textwrap.dedent(f"""\
            Traceback (most recent call last):
              File "{script}", line 4, in <module>
                tf.get_variable("w", [2])
            ValueError: Variable w already exists, disallowed.""")
    )
    assert done.stderr.rstrip().endswith(traceback_filter.NOTE)
