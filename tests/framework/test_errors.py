"""Tests for scopeflow/framework/errors.py: TF1's run-time error classes, codes and pickling.

Expected codes were read from TensorFlow 2.21 (``tf.errors``).
"""

from __future__ import annotations

import pickle

import pytest

import scopeflow as tf

CODES = [
    ("CancelledError", "CANCELLED", 1),
    ("UnknownError", "UNKNOWN", 2),
    ("InvalidArgumentError", "INVALID_ARGUMENT", 3),
    ("DeadlineExceededError", "DEADLINE_EXCEEDED", 4),
    ("NotFoundError", "NOT_FOUND", 5),
    ("AlreadyExistsError", "ALREADY_EXISTS", 6),
    ("PermissionDeniedError", "PERMISSION_DENIED", 7),
    ("ResourceExhaustedError", "RESOURCE_EXHAUSTED", 8),
    ("FailedPreconditionError", "FAILED_PRECONDITION", 9),
    ("AbortedError", "ABORTED", 10),
    ("OutOfRangeError", "OUT_OF_RANGE", 11),
    ("UnimplementedError", "UNIMPLEMENTED", 12),
    ("InternalError", "INTERNAL", 13),
    ("UnavailableError", "UNAVAILABLE", 14),
    ("DataLossError", "DATA_LOSS", 15),
    ("UnauthenticatedError", "UNAUTHENTICATED", 16),
]


@pytest.mark.parametrize(("cls_name", "constant", "code"), CODES)
def test_error_classes_and_codes(cls_name, constant, code):
    cls = getattr(tf.errors, cls_name)
    assert getattr(tf.errors, constant) == code
    assert issubclass(cls, tf.errors.OpError) and cls.__name__ == cls_name
    assert tf.errors.exception_type_from_error_code(code) is cls
    assert tf.errors.error_code_from_exception_type(cls) == code
    error = cls("node", "op", "went wrong")
    assert (error.error_code, error.message, str(error)) == (code, "went wrong", "went wrong")
    assert (error.node_def, error.op) == ("node", "op")
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), copy.message, copy.error_code) == (cls, "went wrong", code)


def test_op_error_itself_keeps_its_code_through_pickling():
    error = tf.errors.OpError(None, None, "m", 5)
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), copy.error_code, str(copy)) == (tf.errors.OpError, 5, "m")
    assert tf.errors.OK == 0


def test_unknown_codes_and_classes_raise_key_error():
    with pytest.raises(KeyError):
        tf.errors.exception_type_from_error_code(99)
    with pytest.raises(KeyError):
        tf.errors.error_code_from_exception_type(ValueError)
