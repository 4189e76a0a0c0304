"""Graph-inspection helpers shared by the op build tests, and the TF reference they check
against: the records ``tools/tf_reference.py`` wrote in ``tests/data/tf_reference``."""

from __future__ import annotations

import builtins
import json
import pathlib
import re

import numpy as np
import pytest

import scopeflow as tf

REFERENCE_DIR = pathlib.Path(__file__).resolve().parents[1] / "data" / "tf_reference"


def added(graph, before: int) -> list[tuple[str, str]]:
    """``(name, type)`` of the ops made after the first ``before`` ops."""
    return [(op.name, op.type) for op in graph.get_operations()[before:]]


def dims(t):
    """A tensor's static shape as a list, or ``None`` for an unknown rank."""
    return None if t.shape.ndims is None else t.shape.as_list()


def assert_build_error(graph, env, expr, error, message, *, leaves_nothing=True) -> None:
    """``eval(expr, env)`` raises ``error`` containing ``message``; with ``leaves_nothing``,
    no op but the placeholders the expression itself made is left in ``graph``."""
    before = len(graph.get_operations())
    with pytest.raises(error, match=re.escape(message)):
        eval(expr, env)
    if leaves_nothing:
        assert {t for _, t in added(graph, before)} <= {"Placeholder"}


# -- TensorFlow's records -------------------------------------------------------------------


def tf_reference(family: str) -> dict:
    """TensorFlow's records for ``family``: ``{"setup": ..., "groups": {group: {expression:
    record}}}`` (see ``tools/tf_reference.py`` for what a record holds)."""
    return json.loads((REFERENCE_DIR / f"{family}.json").read_text())


def setup_of(reference: dict) -> dict:
    """The ``SETUP`` placeholders ({name: (dtype, shape)}) the records were made with."""
    setup = reference["setup"].items()
    return {name: (tf.as_dtype(dtype), shape) for name, (dtype, shape) in setup}


def built(ops, **fields) -> dict:
    """A difference from TF's record: scopeflow adds ``ops`` (and has these ``fields``: op,
    dtype, shape) where TF's record says otherwise; the rest of TF's record still holds."""
    return {"ops": [list(op) for op in ops], **fields}


def raised(error: type, message: str) -> dict:
    """A difference from TF's record: scopeflow raises ``error`` with ``message``."""
    return {"error": error.__name__, "match": message}


def _error_type(name: str) -> type:
    return getattr(builtins, name, None) or getattr(tf.errors, name)


def expected(record: dict, difference: dict | None) -> dict:
    """What scopeflow must do: TF's ``record``, or it changed by a listed ``difference``, which
    must really differ from TF's record (else the difference is stale: remove it)."""
    if difference is None:
        assert record.get("error") is None or record.get("match"), "no message to match"
        return record
    want = difference if "error" in difference else {**record, **difference}
    if "error" in want:
        same = record.get("error") == want["error"] and want["match"] in record.get("message", "")
    else:
        same = "error" not in record and all(record.get(k) == v for k, v in difference.items())
    assert not same, "TF's record agrees: remove the expression from the differences"
    return want


def _plain(value):
    """An attribute value as the records write it."""
    if isinstance(value, tf.DType):
        return value.name
    if isinstance(value, tf.TensorShape):
        return None if value.ndims is None else value.as_list()
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, (list, tuple)):  # a _class attr's groups are bytes
        return [v.decode() if isinstance(v, bytes) else v for v in value]
    return value


def _const_value(op):
    """A ``Const`` op's value as the records write it (see ``tools/compare_names.py``)."""
    value = np.asarray(op.get_attr("value"))
    if value.size > 16 or value.dtype.kind not in "biuf":
        return None
    if value.dtype.kind == "f":
        return [float(f"{x:.7g}") for x in value.reshape(-1).tolist()]
    return value.reshape(-1).tolist()


def check_against(graph, env, expr: str, want: dict, *, left=("Placeholder",), prefix=False):
    """``eval(expr, env)`` does what ``want`` (a record) says: raises its error with its
    message (at the start, with ``prefix``), leaving no op behind but those of the types
    ``left`` (``None``: not checked); or adds exactly its ops, its constants' values, and a
    result with its op and tensor names, dtype and static shape, whose op has its input dtypes
    and, of its attributes, those that scopeflow's op records too (or a string result equal
    to the record's ``value``)."""
    if "error" in want:
        before = len(graph.get_operations())
        pattern = ("^" if prefix else "") + re.escape(want["match"])
        with pytest.raises(_error_type(want["error"]), match=pattern):
            eval(expr, env)
        if left is not None:
            assert {t for _, t in added(graph, before)} <= set(left)
        return
    before = len(graph.get_operations())
    t = components(eval(expr, env))
    assert added(graph, before) == [tuple(op) for op in want["ops"]]
    consts = {op.name: op for op in graph.get_operations()[before:] if op.type == "Const"}
    for name, value in want["consts"].items():
        if name in consts:
            mine = _const_value(consts[name])
            assert mine == value or np.array_equal(mine, value, equal_nan=True), name
    if "value" in want:  # a string: a name, or str() of a structure of names
        assert t == want["value"]
    elif isinstance(t, tf.Operation):
        assert t.name == want["op"]
    elif "outputs" in want:
        assert len(t) == len(want["outputs"])
        for u, rec in zip(t, want["outputs"], strict=True):
            _check_result(u, rec)
    else:
        _check_result(t, want)


def components(value):
    """A ``SparseTensor`` (also inside a list or tuple of results) as its three tensors, as
    the records hold it."""
    if isinstance(value, tf.SparseTensor):
        return [value.indices, value.values, value.dense_shape]
    if isinstance(value, (list, tuple)) and any(isinstance(v, tf.SparseTensor) for v in value):
        return [t for v in value for t in components([v] if isinstance(v, tf.Tensor) else v)]
    return value


def _check_result(t, want: dict) -> None:
    if isinstance(t, tf.Operation):  # one of several results
        assert t.name == want["op"]
        return
    assert (t.op.name, t.name, t.dtype.name, dims(t)) == (
        want["op"],
        want["name"],
        want["dtype"],
        want["shape"],
    )
    assert [u.dtype.name for u in t.op.inputs] == want["input_dtypes"]
    for name, value in want["attrs"].items():
        try:
            mine = t.op.get_attr(name)
        except ValueError:  # an attribute scopeflow does not record (T, Tshape, ...)
            continue
        assert _plain(mine) == value, name


def record_tests(groups: dict, differences: dict) -> tuple:
    """The four tests of a record-driven module, to assign to module-level ``test_*`` names
    (the module defines ``SETUP`` for the ``env`` fixture): ``groups``' BUILDS, GRADIENTS and
    BUILD_ERRORS each built and compared with TF's record (``differences``: expression -> what
    scopeflow does instead), and every difference naming a recorded expression."""

    def check(group: str, left=("Placeholder",)):
        @pytest.mark.parametrize("expression", list(groups[group]))
        def test(graph, env, expression):
            want = expected(groups[group][expression], differences.get(expression))
            check_against(graph, env, expression, want, left=left)

        return test

    def test_every_difference_is_a_recorded_expression():
        recorded = {expr for records in groups.values() for expr in records}
        assert set(differences) - recorded == set()

    return (
        check("BUILDS"),
        check("GRADIENTS"),
        check("BUILD_ERRORS", left=None),
        test_every_difference_is_a_recorded_expression,
    )
