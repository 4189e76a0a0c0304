"""tf.keras.backend's functions checked against TensorFlow's Keras (tf_keras in compat.v1
graph mode, TF1.15's Keras), as recorded in ``tests/data/tf_reference/keras_backend.json`` by
``tools/tf_reference.py``: each BUILDS expression gives a result of TF's op type, name, dtype
and static shape (the ops leading to it are scopeflow's TF1 ops: TF 2.21 builds some of them,
such as ``softmax_cross_entropy_with_logits`` or ``ones_like``, in more steps); each VALUES
expression (run in Keras's session) gives TF's string; each ERRORS expression raises TF's
error. ``DIFFERENCES`` lists where scopeflow differs."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.graph_checks import check_against, dims, setup_of, tf_reference

REFERENCE = tf_reference("keras_backend")
GROUPS = REFERENCE["groups"]
SETUP = setup_of(REFERENCE)

# expression -> what scopeflow's result is instead, and why.
_CE = {"op": "softmax_cross_entropy_with_logits", "name": "softmax_cross_entropy_with_logits:0"}
DIFFERENCES: dict = {
    # TF 2.21's softmax_cross_entropy_with_logits reshapes to 2-D and back (Reshape_2) even
    # for 2-D logits; scopeflow's (TF1's) is the one op.
    "tf.keras.backend.categorical_crossentropy(m, tf.nn.softmax(m))": _CE,
    "tf.keras.backend.categorical_crossentropy(m, m, from_logits=True)": _CE,
}


def _described(t) -> dict:
    if isinstance(t, tf.Variable):
        t = t.value()
    return {"op": t.op.name, "name": t.name, "dtype": t.dtype.name, "shape": dims(t)}


def _chunks(names: list, size: int = 8) -> list:
    return [names[i : i + size] for i in range(0, len(names), size)]


@pytest.mark.parametrize("exprs", _chunks(list(GROUPS["BUILDS"])))
def test_builds_tensorflows_result(exprs):
    for expr in exprs:
        with tf.Graph().as_default():
            env = {"tf": tf, "np": np}
            env.update({n: tf.placeholder(d, s, name=n) for n, (d, s) in SETUP.items()})
            record = {**GROUPS["BUILDS"][expr], **DIFFERENCES.get(expr, {})}
            result = eval(expr, env)
        if "outputs" in record:
            mine = [_described(t) for t in result]
            keys = ("op", "name", "dtype", "shape")
            theirs = [{k: r[k] for k in keys} for r in record["outputs"]]
        else:
            mine = _described(result)
            theirs = {k: record[k] for k in ("op", "name", "dtype", "shape")}
        assert mine == theirs, expr


@pytest.mark.parametrize("exprs", _chunks(list(GROUPS["VALUES"]), 4))
def test_values_are_tensorflows(exprs):
    for expr in exprs:
        with tf.Graph().as_default():
            assert eval(expr, {"tf": tf, "np": np}) == GROUPS["VALUES"][expr]["value"], expr


@pytest.mark.parametrize("expr", list(GROUPS["ERRORS"]))
def test_errors_are_tensorflows(graph, env, expr):
    check_against(graph, env, expr, GROUPS["ERRORS"][expr], left=None)
