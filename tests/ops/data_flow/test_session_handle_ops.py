"""GetSessionHandle, GetSessionTensor and DeleteSessionTensor kernels; TF 2.21's messages."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.ops.core.infer import apply_op
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case

X = np.array([[1.0, -2.0], [3.5, 0.0]], np.float32)


def _handle(x):
    return apply_op("GetSessionHandle", [x], {"T": x.dtype.base_dtype})


def _read_back(x):
    # A second handle is deleted before the first is read: all three kernels run.
    kept, dropped = _handle(x), _handle(x)
    deleted = tf.get_default_graph().create_op("DeleteSessionTensor", [dropped], {})
    with tf.control_dependencies([deleted]):
        return apply_op("GetSessionTensor", [kept], {"dtype": tf.float32})


def _read_deleted(x):
    h = _handle(x)
    deleted = tf.get_default_graph().create_op("DeleteSessionTensor", [h], {})
    with tf.control_dependencies([deleted]):
        return apply_op("GetSessionTensor", [h], {"dtype": tf.float32})


def _read_as_int(x):
    return apply_op("GetSessionTensor", [_handle(x)], {"dtype": tf.int32})


CASES = [
    Case("read_back", "GetSessionTensor", _read_back, (X,), X, exact_static=False),
    Case(
        "deleted",
        "GetSessionTensor",
        _read_deleted,
        (X,),
        Raises(tf.errors.InvalidArgumentError, "is not in the session store"),
    ),
    Case(
        "wrong_dtype",
        "GetSessionTensor",
        _read_as_int,
        (X,),
        Raises(tf.errors.InternalError, "Output 0 of type float does not match declared output "),
    ),
]


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


def test_handles_count_per_session(graph):
    h = _handle(tf.constant(1.0))
    raw = tf.identity(h)  # not the handle op itself: the string comes back as it is
    with tf.Session() as sess:
        first, second = sess.run(raw), sess.run(raw)
    assert first == b"GetSessionHandle;0;/job:localhost/replica:0/task:0/device:CPU:0"
    assert second.startswith(b"GetSessionHandle;1;")
