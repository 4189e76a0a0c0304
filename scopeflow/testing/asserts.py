"""``tf.test.TestCase``'s assertions on arrays, tensors and nested structures of them, with
TF1's tolerances, rules and failure messages (``not close where = ...``)."""

from __future__ import annotations

import collections.abc
import itertools
import math
import re

import numpy as np

from scopeflow.framework import errors
from scopeflow.framework.device import merge_device
from scopeflow.framework.indexed_slices import IndexedSlices
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.sparse.tensor import SparseTensor
from scopeflow.variables.variables import Variable

_GRAPH_VALUES = (Tensor, Variable, SparseTensor, IndexedSlices)


def _where(condition):
    return np.nonzero(np.atleast_1d(condition))


class ArrayAssertions:
    """The array assertions of ``tf.test.TestCase``; tensors in the arguments are evaluated in
    the default session (or the test's cached one) through ``self.evaluate``."""

    def _GetNdArray(self, a):  # noqa: N802 - TF1's name, which subclasses override
        if isinstance(a, _GRAPH_VALUES):
            a = self.evaluate(a)
        if isinstance(a, np.ndarray):
            return a
        try:
            return np.array(a)
        except ValueError as e:  # ragged nested lists: compared as objects, as TF1
            if "inhomogeneous shape" in str(e):
                return np.array(a, dtype=object)
            raise

    def evaluate_if_both_tensors(self, a, b):
        """``self.evaluate((a, b))`` in one run when both are graph values, else ``(a, b)``."""
        if isinstance(a, _GRAPH_VALUES) and isinstance(b, _GRAPH_VALUES):
            return self.evaluate((a, b))
        return a, b

    # -- closeness --------------------------------------------------------------------------

    def _assertArrayLikeAllClose(self, a, b, rtol=1e-6, atol=1e-6, msg=None):  # noqa: N802
        a, b = self.evaluate_if_both_tensors(a, b)
        a, b = self._GetNdArray(a), self._GetNdArray(b)
        if a.shape != b.shape and (b.ndim <= 3 or b.size < 500):
            shape_msg = f"Shape mismatch: expected {a.shape}, got {b.shape} with contents {b}."
        else:
            shape_msg = f"Shape mismatch: expected {a.shape}, got {b.shape}."
        self.assertEqual(a.shape, b.shape, shape_msg)
        if np.allclose(a, b, rtol=rtol, atol=atol):
            return
        msgs = [msg]
        cond = np.logical_or(np.abs(a - b) > atol + rtol * np.abs(b), np.isnan(a) != np.isnan(b))
        if a.ndim:
            x, y = a[_where(cond)], b[_where(cond)]
            msgs.append(f"not close where = {_where(cond)}")
        else:
            x, y = a, b
        msgs.append(f"not close lhs = {x}")
        msgs.append(f"not close rhs = {y}")
        msgs.append(f"not close dif = {np.abs(x - y)}")
        msgs.append(f"not close tol = {atol + rtol * np.abs(y)}")
        msgs.append(f"dtype = {a.dtype}, shape = {a.shape}")
        np.testing.assert_allclose(
            a, b, rtol=rtol, atol=atol, err_msg="\n".join(map(str, msgs)), equal_nan=True
        )

    def _assertAllCloseRecursive(self, a, b, rtol=1e-6, atol=1e-6, path=None, msg=None):  # noqa: N802
        path = path or []
        path_str = ("[" + "][".join(str(p) for p in path) + "]") if path else ""
        msg = msg or ""
        if hasattr(a, "_asdict"):
            a = a._asdict()
        if hasattr(b, "_asdict"):
            b = b._asdict()
        a_is_dict = isinstance(a, collections.abc.Mapping)
        if a_is_dict != isinstance(b, collections.abc.Mapping):
            raise ValueError(f"Can't compare dict to non-dict, a{path_str} vs b{path_str}. {msg}")
        mismatch = f"Mismatched value: a{path_str} is different from b{path_str}. {msg}"
        if a_is_dict:
            self.assertCountEqual(
                a.keys(),
                b.keys(),
                msg=f"mismatched keys: a{path_str} has keys {a.keys()}, but b{path_str} has "
                f"keys {b.keys()}. {msg}",
            )
            for k in a:
                self._assertAllCloseRecursive(a[k], b[k], rtol, atol, [*path, k], msg)
        elif isinstance(a, (list, tuple)):
            try:  # as one array when the items stack; item by item when they do not
                a, b = self.evaluate_if_both_tensors(a, b)
                a_array, b_array = self._GetNdArray(a), self._GetNdArray(b)
                self._assertArrayLikeAllClose(a_array, b_array, rtol, atol, mismatch)
            except (ValueError, TypeError, NotImplementedError):
                if len(a) != len(b):
                    raise ValueError(
                        f"Mismatched length: a{path_str} has {len(a)} items, but b{path_str} "
                        f"has {len(b)} items. {msg}"
                    ) from None
                for idx, (a_item, b_item) in enumerate(zip(a, b, strict=True)):
                    self._assertAllCloseRecursive(
                        a_item, b_item, rtol, atol, [*path, str(idx)], msg
                    )
        else:
            try:
                self._assertArrayLikeAllClose(a, b, rtol, atol, mismatch)
            except TypeError as e:
                note = f"Error: a{path_str} has {type(a)}, but b{path_str} has {type(b)}. {msg}"
                e.args = (f"{e.args[0]} : {note}", *e.args[1:]) if e.args else (note,)
                raise

    def assertAllClose(self, a, b, rtol=1e-6, atol=1e-6, msg=None):  # noqa: N802
        """Asserts that ``a`` and ``b`` (arrays, tensors, or nested lists, tuples, dicts and
        namedtuples of them) are elementwise within ``atol + rtol * abs(b)``."""
        self._assertAllCloseRecursive(a, b, rtol=rtol, atol=atol, msg=msg)

    def assertAllCloseAccordingToType(  # noqa: N802
        self,
        a,
        b,
        rtol=1e-6,
        atol=1e-6,
        float_rtol=1e-6,
        float_atol=1e-6,
        half_rtol=1e-3,
        half_atol=1e-3,
        bfloat16_rtol=1e-2,
        bfloat16_atol=1e-2,
        msg=None,
    ):
        """``assertAllClose`` with the tolerances widened for float32/complex64, float16 and
        bfloat16 operands, as TF1."""
        a, b = self.evaluate_if_both_tensors(a, b)
        a, b = self._GetNdArray(a), self._GetNdArray(b)
        kinds = {a.dtype, b.dtype}
        if kinds & {np.dtype(np.float32), np.dtype(np.complex64)}:
            rtol, atol = max(rtol, float_rtol), max(atol, float_atol)
        if np.dtype(np.float16) in kinds:
            rtol, atol = max(rtol, half_rtol), max(atol, half_atol)
        if any(d.name == "bfloat16" for d in kinds):
            rtol, atol = max(rtol, bfloat16_rtol), max(atol, bfloat16_atol)
        self.assertAllClose(a, b, rtol=rtol, atol=atol, msg=msg)

    def assertNotAllClose(self, a, b, rtol=1e-6, atol=1e-6, msg=None):  # noqa: N802
        """Asserts that ``a`` and ``b`` differ beyond the tolerance somewhere."""
        try:
            self.assertAllClose(a, b, rtol=rtol, atol=atol, msg=msg)
        except AssertionError:
            return
        raise AssertionError(f"The two values are close at all elements. {msg or ''}")

    def assertNear(self, f1, f2, err, msg=None):  # noqa: N802
        """Asserts ``|f1 - f2| <= err`` for two floats."""
        f1, f2 = np.squeeze(f1), np.squeeze(f2)
        if f1 != f2:  # inf == inf is near
            diff = math.fabs(f1 - f2)
            note = f" ({msg})" if msg is not None else ""
            # %-formatting, as TF1's: it takes the 0-d arrays np.squeeze returns.
            text = "%f != %f +/- %f (difference: %g)%s" % (f1, f2, err, diff, note)  # noqa: UP031
            self.assertTrue(diff <= err, text)

    def assertArrayNear(self, farray1, farray2, err, msg=None):  # noqa: N802
        """Asserts two float lists of one length are ``assertNear`` item by item."""
        self.assertEqual(len(farray1), len(farray2), msg=msg)
        for f1, f2 in zip(farray1, farray2, strict=True):
            self.assertNear(float(f1), float(f2), err, msg=msg)

    def assertNDArrayNear(self, ndarray1, ndarray2, err, msg=None):  # noqa: N802
        """Asserts the Euclidean norm of ``ndarray1 - ndarray2`` is below ``err``."""
        self.assertTrue(np.linalg.norm(ndarray1 - ndarray2) < err, msg=msg)

    # -- equality ---------------------------------------------------------------------------

    def assertAllEqual(self, a, b, msg=None):  # noqa: N802
        """Asserts that ``a`` and ``b`` have one shape and equal values (NaN equals NaN)."""
        msg = msg or ""
        a, b = self.evaluate_if_both_tensors(a, b)
        a, b = self._GetNdArray(a), self._GetNdArray(b)
        contents = f" Contents: {b!r}. \n{msg}." if b.ndim <= 3 or b.size < 500 else f" {msg}"
        self.assertEqual(
            a.shape, b.shape, f"Shape mismatch: expected {a.shape}, got {b.shape}.{contents}"
        )
        same = a == b
        if a.dtype.kind in "fc":
            same = np.logical_or(same, np.logical_and(np.isnan(a), np.isnan(b)))
        if np.all(same):
            return
        msgs = [msg]
        diff = np.logical_not(same)
        if a.ndim:
            x, y = a[_where(diff)], b[_where(diff)]
            msgs.append(f"not equal where = {_where(diff)}")
        else:
            x, y = a, b
        msgs.append(f"not equal lhs = {x!r}")
        msgs.append(f"not equal rhs = {y!r}")
        if a.dtype.kind != b.dtype.kind and {a.dtype.kind, b.dtype.kind} <= set("USO"):
            a, b = (np.array([_as_bytes(v) for v in t.flat]).reshape(t.shape) for t in (a, b))
        np.testing.assert_array_equal(a, b, err_msg="\n".join(msgs))

    def assertNotAllEqual(self, a, b, msg=None):  # noqa: N802
        """Asserts that ``a`` and ``b`` differ somewhere."""
        try:
            self.assertAllEqual(a, b)
        except AssertionError:
            return
        raise AssertionError(f"The two values are equal at all elements. {msg or ''}")

    def assertShapeEqual(self, input_a, input_b, msg=None):  # noqa: N802
        """Asserts two arrays or tensors have one shape (a tensor's static shape)."""
        for arg, value in (("input_a", input_a), ("input_b", input_b)):
            if not isinstance(value, (np.ndarray, np.generic, Tensor)):
                raise TypeError(
                    f"{arg} must be a Numpy ndarray, Numpy scalar, or a Tensor.Instead "
                    f"received {type(value)}"
                )
        shapes = [
            v.get_shape().as_list() if isinstance(v, Tensor) else v.shape
            for v in (input_a, input_b)
        ]
        self.assertAllEqual(shapes[0], shapes[1], msg=msg)

    def assertDeviceEqual(self, device1, device2, msg=None):  # noqa: N802
        """Asserts two device strings name one device once canonical (``/cpu:0`` is
        ``/device:CPU:0``)."""
        device1, device2 = (merge_device("", _device_string(d)) for d in (device1, device2))
        self.assertEqual(device1, device2, f"Devices {device1} and {device2} are not equal. {msg}")

    def assertDTypeEqual(self, target, expected_dtype):  # noqa: N802
        """Asserts the NumPy dtype of ``target``'s value."""
        self.assertEqual(self._GetNdArray(target).dtype, expected_dtype)

    # -- ranges and sets --------------------------------------------------------------------

    def assertAllGreater(self, a, comparison_target):  # noqa: N802
        a, comparison_target = self.evaluate_if_both_tensors(a, comparison_target)
        self.assertGreater(np.min(self._GetNdArray(a)), comparison_target)

    def assertAllLess(self, a, comparison_target):  # noqa: N802
        a, comparison_target = self.evaluate_if_both_tensors(a, comparison_target)
        self.assertLess(np.max(self._GetNdArray(a)), comparison_target)

    def assertAllGreaterEqual(self, a, comparison_target):  # noqa: N802
        a, comparison_target = self.evaluate_if_both_tensors(a, comparison_target)
        self.assertGreaterEqual(np.min(self._GetNdArray(a)), comparison_target)

    def assertAllLessEqual(self, a, comparison_target):  # noqa: N802
        a, comparison_target = self.evaluate_if_both_tensors(a, comparison_target)
        self.assertLessEqual(np.max(self._GetNdArray(a)), comparison_target)

    def assertAllInRange(  # noqa: N802
        self, target, lower_bound, upper_bound, open_lower_bound=False, open_upper_bound=False
    ):
        """Asserts every element of a numeric ``target`` lies in the range (no NaNs)."""
        target = self._GetNdArray(target)
        if not (
            np.issubdtype(target.dtype, np.floating) or np.issubdtype(target.dtype, np.integer)
        ):
            raise AssertionError(
                f"The value of {target} does not have an ordered numeric type, instead it has "
                f"type: {target.dtype}"
            )
        nans = _where(np.isnan(target))
        if np.size(nans):
            raise AssertionError(
                f"{len(nans[0])} of the {np.size(target)} element(s) are NaN. Subscripts(s) and "
                "value(s) of the NaN element(s):\n" + "\n".join(_subscripts(nans, target))
            )
        range_str = (
            ("(" if open_lower_bound else "[")
            + f"{lower_bound}, {upper_bound}"
            + (")" if open_upper_bound else "]")
        )
        low = np.less_equal if open_lower_bound else np.less
        high = np.greater_equal if open_upper_bound else np.greater
        bad = _where(np.logical_or(low(target, lower_bound), high(target, upper_bound)))
        if np.size(bad):
            raise AssertionError(
                f"{len(bad[0])} of the {np.size(target)} element(s) are outside the range "
                f"{range_str}. Subscript(s) and value(s) of the offending elements:\n"
                + "\n".join(_subscripts(bad, target))
            )

    def assertAllInSet(self, target, expected_set):  # noqa: N802
        """Asserts every element of ``target`` is in ``expected_set``."""
        diff = np.setdiff1d(self._GetNdArray(target).flatten(), list(expected_set))
        if np.size(diff):
            raise AssertionError(
                f"{np.size(diff)} unique element(s) are not in the set {expected_set}: {diff}"
            )

    # -- errors -----------------------------------------------------------------------------

    def assertRaisesWithPredicateMatch(self, exception_type, expected_err_re_or_predicate):  # noqa: N802
        """A context manager expecting ``exception_type`` whose message matches a regular
        expression (searched, with ``Caused by: <op>`` for an ``OpError``), or for which a
        predicate of the exception returns true."""
        return _RaisesWithPredicate(self, exception_type, expected_err_re_or_predicate)

    def assertRaisesOpError(self, expected_err_re_or_predicate):  # noqa: N802
        """``assertRaisesWithPredicateMatch(tf.errors.OpError, ...)``: a run-time error."""
        return self.assertRaisesWithPredicateMatch(errors.OpError, expected_err_re_or_predicate)

    def assertRaisesIncompatibleShapesError(self, exception_type=errors.InvalidArgumentError):  # noqa: N802
        return self.assertRaisesWithPredicateMatch(
            exception_type,
            r"Incompatible shapes|Dimensions must be equal|required broadcastable shapes",
        )


class _RaisesWithPredicate:
    def __init__(self, case, exception_type, expected):
        self._case, self._type = case, exception_type
        self._predicate = expected if callable(expected) else _message_search(expected)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc is None:
            self._case.fail(self._type.__name__ + " not raised")
        if not isinstance(exc, Exception):
            return False  # KeyboardInterrupt and the like pass through
        if not isinstance(exc, self._type) or not self._predicate(exc):
            raise AssertionError(f"Exception of type {type(exc)}: {exc}") from exc
        return True


def _message_search(pattern):
    def predicate(e) -> bool:
        if isinstance(e, errors.OpError):
            text, op = e.message, e.op
        else:
            text, op = str(e), None
        while op is not None:
            text += "\nCaused by: " + op.name
            op = getattr(op, "_original_op", None)
        return re.search(pattern, text) is not None

    return predicate


def _subscripts(subscripts, value, limit: int = 10, indent: int = 2) -> list[str]:
    prefix = " " * indent
    if np.ndim(value) == 0:
        return [prefix + "[0] : " + str(value)]
    rows = np.transpose(subscripts)
    lines = [f"{prefix}{s} : {value[tuple(s)]}" for s in itertools.islice(rows, limit)]
    if len(rows) > limit:
        lines.append(prefix + "...")
    return lines


def _as_bytes(item):
    return item.encode("utf-8") if isinstance(item, str) else item


def _device_string(device) -> str:
    return device if isinstance(device, str) else device.to_string()
