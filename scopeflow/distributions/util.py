"""Helpers the distributions share, as TF1's ``distributions/util.py`` builds them: logits and
probabilities from either, and the run-time checks ``validate_args`` adds."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, tensor_shape
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.ops.array.basic import shape
from scopeflow.ops.array.cast import cast
from scopeflow.ops.control.assertions import (
    assert_equal,
    assert_greater_equal,
    assert_less_equal,
    assert_near,
    assert_non_negative,
)
from scopeflow.ops.control.checks import assert_rank_at_least
from scopeflow.ops.control.grouping import no_op, with_dependencies
from scopeflow.ops.math.elementwise import log, log1p, sigmoid
from scopeflow.ops.math.reduction import reduce_sum
from scopeflow.ops.nn.basic import softmax

_INT_OF_FLOAT = {
    dtypes.float16: dtypes.int16,
    dtypes.float32: dtypes.int32,
    dtypes.float64: dtypes.int64,
}


def largest_integer(dtype) -> int:
    """The largest integer ``dtype`` holds exactly (a float's mantissa, an int's maximum)."""
    if dtype.is_floating:
        return int(2 ** (np.finfo(dtype.as_numpy_dtype).nmant + 1))
    if dtype.is_integer:
        return int(np.iinfo(dtype.as_numpy_dtype).max)
    if dtype.base_dtype == dtypes.bool:
        return 1
    raise TypeError(f"Unrecognized dtype: {dtype.name}")


def _is_integer_like(dtype) -> bool:
    return dtype.is_integer or dtype.base_dtype == dtypes.bool


def get_logits_and_probs(logits=None, probs=None, multidimensional=False, validate_args=False,
                         name="get_logits_and_probs", dtype=None):  # fmt: skip
    """``(logits, probs)`` from exactly one of them: sigmoid or softmax (``multidimensional``)
    of the logits, or the logits of the probabilities (``log(p) - log1p(-p)``, or ``log(p)``)."""
    with name_scope(name, values=[probs, logits]):
        if (probs is None) == (logits is None):
            raise ValueError("Must pass probs or logits, but not both.")
        if probs is None:
            logits = convert_to_tensor(logits, name="logits", dtype=dtype)
            if not logits.dtype.is_floating:
                raise TypeError("logits must having floating type.")
            if multidimensional:
                if validate_args:
                    logits = embed_check_categorical_event_shape(logits)
                return logits, softmax(logits, name="probs")
            return logits, sigmoid(logits, name="probs")
        probs = convert_to_tensor(probs, name="probs", dtype=dtype)
        if not probs.dtype.is_floating:
            raise TypeError("probs must having floating type.")
        if validate_args:
            with name_scope("validate_probs"):
                one = constant(1.0, probs.dtype)
                dependencies = [assert_non_negative(probs)]
                if multidimensional:
                    probs = embed_check_categorical_event_shape(probs)
                    total = reduce_sum(probs, -1)
                    dependencies += [assert_near(total, one, message="probs does not sum to 1.")]
                else:
                    message = "probs has components greater than 1."
                    dependencies += [assert_less_equal(probs, one, message=message)]
                probs = with_dependencies(dependencies, probs)
        with name_scope("logits"):
            if multidimensional:
                return log(probs), probs
            return log(probs) - log1p(-1.0 * probs), probs


def embed_check_categorical_event_shape(categorical_param,
                                        name="embed_check_categorical_event_shape"):  # fmt: skip
    """The parameter, checked to have at least 2 classes and no more than its dtype counts."""
    with name_scope(name, values=[categorical_param]):
        x = convert_to_tensor(categorical_param, name="categorical_param")
        x_dtype = x.dtype.base_dtype
        max_event_size = largest_integer(x_dtype) if x_dtype.is_floating else 0
        if max_event_size == 0:
            raise TypeError(f"Unable to validate size of unrecognized dtype ({x_dtype.name}).")
        try:
            x_shape_static = x.shape.with_rank_at_least(1)
        except ValueError:
            raise ValueError(
                "A categorical-distribution parameter must have at least 1 dimension."
            ) from None
        event_size = tensor_shape.dimension_value(x_shape_static[-1])
        if event_size is not None:
            if event_size < 2:
                raise ValueError(
                    "A categorical-distribution parameter must have at least 2 events."
                )
            if event_size > max_event_size:
                raise ValueError(
                    f"Number of classes exceeds `dtype` precision, i.e., {x_dtype.name} implies "
                    f"shape ({event_size}) cannot exceed {max_event_size}."
                )
            return x
        event_size = shape(x, name="x_shape")[-1]
        checks = [
            assert_rank_at_least(
                x, 1, message="A categorical-distribution parameter must have at least 1 dimension."
            ),
            assert_greater_equal(
                shape(x)[-1], 2,
                message="A categorical-distribution parameter must have at least 2 events.",
            ),
            assert_less_equal(
                event_size, max_event_size,
                message=f"Number of classes exceeds `dtype` precision, i.e., {x_dtype.name} dtype "
                f"cannot exceed {max_event_size} shape.",
            ),
        ]  # fmt: skip
        return with_dependencies(checks, x)


def assert_integer_form(x, data=None, summarize=None, message=None, int_dtype=None,
                        name="assert_integer_form"):  # fmt: skip
    """A check that ``x`` (floating) holds whole numbers: ``cast(cast(x, int), float) == x``."""
    with name_scope(name, values=[x, data]):
        x = convert_to_tensor(x, name="x")
        if x.dtype.is_integer:
            return no_op()
        message = message or f"{x} has non-integer components"
        if int_dtype is None:
            try:
                int_dtype = _INT_OF_FLOAT[x.dtype.base_dtype]
            except KeyError:
                raise TypeError(f"Unrecognized type {x.dtype.name}") from None
        return assert_equal(x, cast(cast(x, int_dtype), x.dtype), data=data, summarize=summarize,
                            message=message, name=name)  # fmt: skip


def embed_check_nonnegative_integer_form(x, name="embed_check_nonnegative_integer_form"):
    """``x``, checked when run to be non-negative and whole."""
    with name_scope(name, values=[x]):
        x = convert_to_tensor(x, name="x")
        assertions = [assert_non_negative(x, message=f"'{x}' must be non-negative.")]
        if not x.dtype.is_integer:
            message = f"'{x}' cannot contain fractional components."
            assertions += [assert_integer_form(x, message=message)]
        return with_dependencies(assertions, x)


def embed_check_integer_casting_closed(x, target_dtype, name="embed_check_casting_closed"):
    """``x``, checked when run to survive a cast to ``target_dtype`` unchanged (whole,
    non-negative, in range)."""
    with name_scope(name, values=[x]):
        x = convert_to_tensor(x, name="x")
        if not _is_integer_like(x.dtype) and not x.dtype.is_floating:
            raise TypeError(f"{x.dtype.name}.dtype must be floating- or integer-type.")
        if not _is_integer_like(target_dtype) and not target_dtype.is_floating:
            raise TypeError(
                f"target_dtype ({target_dtype.name}) must be floating- or integer-type."
            )
        if not _is_integer_like(x.dtype) and not _is_integer_like(target_dtype):
            raise TypeError(
                f"At least one of {x}.dtype ({x.dtype.name}) and target_dtype "
                f"({target_dtype.name}) must be integer-type."
            )
        assertions = [assert_non_negative(x, message="Elements must be non-negative.")]
        if x.dtype.is_floating:
            message = f"Elements must be {target_dtype.name}-equivalent."
            assertions += [assert_integer_form(x, int_dtype=target_dtype, message=message)]
        elif largest_integer(x.dtype) > largest_integer(target_dtype):
            limit = largest_integer(target_dtype)
            message = f"Elements cannot exceed {limit}."
            assertions += [assert_less_equal(x, limit, message=message)]
        return with_dependencies(assertions, x)
