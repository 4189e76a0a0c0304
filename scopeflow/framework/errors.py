"""TF1's run-time error classes (``tf.errors``).

Build-time mistakes raise Python's own ``ValueError``/``TypeError``; these classes are for
failures while a graph runs, with TF1's names, codes and attributes.
"""

from __future__ import annotations

OK = 0
CANCELLED = 1
UNKNOWN = 2
INVALID_ARGUMENT = 3
DEADLINE_EXCEEDED = 4
NOT_FOUND = 5
ALREADY_EXISTS = 6
PERMISSION_DENIED = 7
RESOURCE_EXHAUSTED = 8
FAILED_PRECONDITION = 9
ABORTED = 10
OUT_OF_RANGE = 11
UNIMPLEMENTED = 12
INTERNAL = 13
UNAVAILABLE = 14
DATA_LOSS = 15
UNAUTHENTICATED = 16


class OpError(Exception):
    """A failure while running an op: carries the op, its node definition and a code."""

    def __init__(self, node_def, op, message: str, error_code: int, *args):
        super().__init__(message, *args)
        self._node_def = node_def
        self._op = op
        self._message = message
        self._error_code = error_code

    @property
    def message(self) -> str:
        return self._message

    @property
    def op(self):
        return self._op

    @property
    def node_def(self):
        return self._node_def

    @property
    def error_code(self) -> int:
        return self._error_code

    def __str__(self) -> str:
        return self._message

    def __reduce__(self):
        args = (self._node_def, self._op, self._message)
        if type(self) is OpError:  # subclasses know their own code
            args += (self._error_code,)
        return type(self), args


def _error_class(name: str, code: int, doc: str) -> type[OpError]:
    def __init__(self, node_def, op, message, *args):  # noqa: N807
        OpError.__init__(self, node_def, op, message, code, *args)

    return type(name, (OpError,), {"__init__": __init__, "__doc__": doc})


CancelledError = _error_class("CancelledError", CANCELLED, "An operation was cancelled.")
UnknownError = _error_class("UnknownError", UNKNOWN, "An unknown error.")
InvalidArgumentError = _error_class(
    "InvalidArgumentError", INVALID_ARGUMENT, "An op received an invalid argument."
)
DeadlineExceededError = _error_class(
    "DeadlineExceededError", DEADLINE_EXCEEDED, "A deadline expired."
)
NotFoundError = _error_class("NotFoundError", NOT_FOUND, "A requested entity was not found.")
AlreadyExistsError = _error_class(
    "AlreadyExistsError", ALREADY_EXISTS, "An entity to create already exists."
)
PermissionDeniedError = _error_class(
    "PermissionDeniedError", PERMISSION_DENIED, "The caller may not run the operation."
)
ResourceExhaustedError = _error_class(
    "ResourceExhaustedError", RESOURCE_EXHAUSTED, "Some resource has been exhausted."
)
FailedPreconditionError = _error_class(
    "FailedPreconditionError", FAILED_PRECONDITION, "The system is not in a state to run this."
)
AbortedError = _error_class("AbortedError", ABORTED, "The operation was aborted.")
OutOfRangeError = _error_class(
    "OutOfRangeError", OUT_OF_RANGE, "An operation iterated past the valid input range."
)
UnimplementedError = _error_class(
    "UnimplementedError", UNIMPLEMENTED, "The operation is not implemented."
)
InternalError = _error_class("InternalError", INTERNAL, "An internal invariant was broken.")
UnavailableError = _error_class("UnavailableError", UNAVAILABLE, "The runtime is unavailable.")
DataLossError = _error_class("DataLossError", DATA_LOSS, "Unrecoverable data loss or corruption.")
UnauthenticatedError = _error_class(
    "UnauthenticatedError", UNAUTHENTICATED, "The request lacks valid credentials."
)

_CODE_TO_CLASS = {
    code: cls
    for code, cls in [
        (CANCELLED, CancelledError),
        (UNKNOWN, UnknownError),
        (INVALID_ARGUMENT, InvalidArgumentError),
        (DEADLINE_EXCEEDED, DeadlineExceededError),
        (NOT_FOUND, NotFoundError),
        (ALREADY_EXISTS, AlreadyExistsError),
        (PERMISSION_DENIED, PermissionDeniedError),
        (RESOURCE_EXHAUSTED, ResourceExhaustedError),
        (FAILED_PRECONDITION, FailedPreconditionError),
        (ABORTED, AbortedError),
        (OUT_OF_RANGE, OutOfRangeError),
        (UNIMPLEMENTED, UnimplementedError),
        (INTERNAL, InternalError),
        (UNAVAILABLE, UnavailableError),
        (DATA_LOSS, DataLossError),
        (UNAUTHENTICATED, UnauthenticatedError),
    ]
}


def exception_type_from_error_code(error_code: int) -> type[OpError]:
    """Returns the ``OpError`` subclass for a TF error code."""
    return _CODE_TO_CLASS[error_code]


def error_code_from_exception_type(cls: type[OpError]) -> int:
    """Returns the TF error code of an ``OpError`` subclass."""
    for code, klass in _CODE_TO_CLASS.items():
        if klass is cls:
            return code
    raise KeyError(cls)
