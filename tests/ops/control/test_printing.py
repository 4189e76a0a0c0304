"""tf.Print and tf.print: output formatted exactly as TensorFlow 2.21 prints it."""

from __future__ import annotations

import sys

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.kernel_table import Case, cases_by_mode, check_case


def _printed(x):
    """``x`` after tf.print has printed it (a control dependency)."""
    with tf.control_dependencies([tf.print("x:", x, output_stream=sys.stdout)]):
        return tf.identity(x)


def _string_format(x):
    attrs = {"template": "x={} {}", "placeholder": "{}", "summarize": 3}
    return tf.get_default_graph().create_op("StringFormat", [x, x], attrs).outputs[0]


# fmt: off
CASES = [
    Case("print", "Print", lambda x: tf.Print(x, [x, 7], message="x: "),
         (np.float32([1.5, -2]),), lambda x: x),
    Case("string-format", "StringFormat", _string_format, (np.int32([[1, 2], [3, 4]]),),
         np.array(b"x=[[1 2]\n [3 4]] [[1 2]\n [3 4]]", dtype=object)),
    Case("print-v2", "Identity", _printed, (np.float64([0.5, 2]),), lambda x: x),
]
# fmt: on


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


@pytest.mark.parametrize(
    "case", gradient_cases([GradCase("print", lambda x: tf.Print(x, [x], message=""),
                                     (np.arange(3.0),))])
)  # fmt: skip
def test_print_passes_gradients_through(case):
    check_gradient_case(case)


def test_tf1_print_is_an_identity_that_logs(run, capsys):
    x = tf.constant([[1.5, 2.0, 3.0, 4, 5, 6, 7, 8]])
    p = tf.Print(x, [x, tf.constant(7), tf.constant("hey"), 1.0], message="hi: ", summarize=3)
    assert (p.op.name, p.op.type) == ("Print", "Print")
    assert [t.name for t in p.op.inputs][-1] == "Print/data_3:0"
    np.testing.assert_array_equal(run(p), [[1.5, 2, 3, 4, 5, 6, 7, 8]])
    assert capsys.readouterr().err == "hi: [[1.5 2 3...]...][7][hey][1]\n"


def test_print_first_n(run, capsys):
    x = tf.constant(1)
    p = tf.Print(x, [x], first_n=2)
    for _ in range(4):
        run(p)
    assert capsys.readouterr().err == "[1]\n[1]\n"


def test_tf_print_formats_like_tensorflow(run, capsys):
    x = tf.constant([[1.5, 2.0, 3.0, 4, 5, 6, 7, 8]])
    i = tf.constant(7)
    op = tf.print("val:", x, i, {"a": i}, output_stream=sys.stdout, summarize=2)
    assert (op.name, op.type, op.inputs[0].op.type) == ("PrintV2", "PrintV2", "StringFormat")
    run(op)
    run(tf.print(tf.zeros([2, 2, 2], dtype=tf.int32), output_stream=sys.stdout))
    run(tf.print(tf.constant(list(range(10))), output_stream=sys.stdout))
    run(
        tf.print(
            tf.constant([True, False]), 3.25, tf.constant([b"a", b"b"]), output_stream=sys.stdout
        )
    )
    assert capsys.readouterr().out == (
        "val: [[1.5 2 ... 7 8]] 7 {'a': 7}\n"
        "[[[0 0]\n  [0 0]]\n\n [[0 0]\n  [0 0]]]\n"
        "[0 1 2 ... 7 8 9]\n"
        '[1 0] 3.25 ["a" "b"]\n'
    )


def test_tf_print_to_stderr_by_default_and_to_files(run, capsys, tmp_path):
    target = tmp_path / "log.txt"
    run(tf.print("x", tf.constant(2.5)))
    run(tf.print("to file", output_stream=f"file://{target}"))
    assert capsys.readouterr().err == "x 2.5\n"
    assert target.read_text() == "to file\n"


def test_floats_print_with_tensorflows_digits(run, capsys):
    """Shortest of 6 or 9 digits for float32 (and float16), 15 or 17 for float64, as TF 2.21
    prints them with tf.print and tf.Print."""
    values = [
        np.float32([0.1, 1 / 3, 1e-5, 123456789]),
        np.float64([0.1, 1 / 3, 1e-5, 2 / 3 * 1e300]),
        np.float16([0.1, 1 / 3]),
    ]
    for value in values:
        run(tf.print(tf.constant(value), output_stream=sys.stdout))
        run(tf.Print(tf.constant(0), [tf.constant(value)], summarize=-1))
    expected = [
        "[0.1 0.333333343 1e-05 123456792]",
        "[0.1 0.33333333333333331 1e-05 6.666666666666667e+299]",
        "[0.0999755859 0.333251953]",
    ]
    captured = capsys.readouterr()
    assert captured.out.splitlines() == expected
    assert captured.err.splitlines() == expected
