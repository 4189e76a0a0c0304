"""``tf.strings.format`` (the ``StringFormat`` op of ops/control/printing.py): the text TF 2.21's
``tf.compat.v1`` gives for the same templates and tensors."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (lambda: tf.strings.format("{}", tf.constant([[1.5, 2.25], [3.0, 4.0]])),
         b"[[1.5 2.25]\n [3 4]]"),
        (lambda: tf.strings.format(
            "a%sb%s", (tf.constant("hi"), tf.constant([b"x", b"y"])), placeholder="%s"),
         b'a"hi"b["x" "y"]'),
        (lambda: tf.strings.format("v: {}", tf.range(10), summarize=-1),
         b"v: [0 1 2 3 4 5 6 7 8 9]"),
        (lambda: tf.strings.format("v: {}", tf.range(10)), b"v: [0 1 2 ... 7 8 9]"),
        (lambda: tf.strings.format("{} and {}", [tf.constant(True), tf.constant(3, tf.int64)]),
         b"1 and 3"),
        (lambda: tf.strings.format("x", []), b"x"),
        (lambda: tf.strings.format("{}", tf.reshape(tf.range(24), [2, 3, 4]), summarize=1),
         b"[[[0 ... 3]\n  ...\n  [8 ... 11]]\n\n [[12 ... 15]\n  ...\n  [20 ... 23]]]"),
        (lambda: tf.strings.format("{}", tf.constant(1.0 / 3)), b"0.333333343"),
        (lambda: tf.strings.format("{}", tf.constant(1.0 / 3, tf.float64)),
         b"0.33333333333333331"),
        (lambda: tf.strings.format("{}", tf.constant([1e-5, 1e10])), b"[1e-05 1e+10]"),
        (lambda: tf.strings.format("x={} y={}", (tf.range(1, 8), "str"), summarize=2),
         b'x=[1 2 ... 6 7] y="str"'),
    ],
)  # fmt: skip
def test_text_is_tensorflows(graph, run, build, expected):
    assert run(build()) == expected


def test_graph_and_errors(graph):
    text = tf.strings.format("x={} y={}", (tf.constant(np.arange(3)), "str"))
    assert (text.op.name, text.op.type, text.shape.as_list()) == (
        "StringFormat",
        "StringFormat",
        [],
    )
    assert text.op.inputs[1].op.name == "StringFormat/inputs_1"
    assert text.op.get_attr("template") == b"x={} y={}"
    with pytest.raises(
        ValueError, match="The template expects 2 tensors, but the inputs only has 1"
    ):
        tf.strings.format("{} {}", tf.constant(1))
