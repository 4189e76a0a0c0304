"""The runner of the case tables in this package: each case is an operator built from
``build``, an expression ``call`` on it (``op``), and what the reference TensorFlow gave: the
value (rounded to 6 places), the result tensor's name (or, with ``scope_only``, the name scope
it was built in), or ``raises:<Error>:<message start>``."""

from __future__ import annotations

import builtins
import json

import numpy as np
import pytest

import scopeflow as tf


def _expected_value(text: str):
    if text.startswith("complex:"):
        re, im = json.loads(text.removeprefix("complex:"))
        return np.asarray(re) + 1j * np.asarray(im)
    return np.asarray(json.loads(text))


def _evaluate(build: str, call: str):
    env = {"tf": tf, "np": np}
    env["op"] = eval(build, env)  # noqa: S307 - the test tables' own expressions
    result = eval(call, env)  # noqa: S307
    if isinstance(result, tf.TensorShape):
        return result.as_list(), None
    if isinstance(result, (tf.Tensor, tf.Operation)):
        name = result.name if isinstance(result, tf.Tensor) else None
        return tf.Session().run(result), name
    return result, None


@pytest.fixture
def check_case():
    def check(build: str, call: str, expected: str, name, scope_only: bool = False) -> None:
        with tf.Graph().as_default():
            if expected.startswith("raises:"):
                _, kind, text = expected.split(":", 2)
                error = getattr(tf.errors, kind, None) or getattr(builtins, kind)
                with pytest.raises(error) as info:
                    _evaluate(build, call)
                if not text.startswith("Graph execution error"):
                    assert text[:60] in str(info.value)
                return
            value, got_name = _evaluate(build, call)
            if isinstance(value, (list, bool, str, type(None))):
                assert repr(value) == expected
            else:
                np.testing.assert_allclose(
                    np.asarray(value), _expected_value(expected), rtol=2e-5, atol=2e-5
                )
            if name is not None and scope_only:  # the scope the op was built in, as TF's
                assert got_name.rsplit("/", 1)[0] == name.rsplit("/", 1)[0]
            elif name is not None:
                assert got_name == name

    return check
