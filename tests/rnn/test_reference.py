"""The RNN cells, wrappers and drivers (scopeflow/rnn/) build TF1's graphs: every op with its
name and type, in order, results with TF's names, dtypes and static shapes, and TF's variables;
bad input fails while building with TF's error type and words.

The expected graphs are TensorFlow 2.21's own (``tensorflow.compat.v1`` with tf_keras's
legacy cells), recorded in ``tests/data/tf_reference/rnn.json`` by ``tools/tf_reference.py``
from ``tests/data/tf_reference/rnn.py``; ``DIFFERENCES`` says where scopeflow does otherwise.
"""

from __future__ import annotations

import pytest

from tests.ops.graph_checks import check_against, expected, raised, setup_of, tf_reference

REFERENCE = tf_reference("rnn")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]

DIFFERENCES: dict = {
    # TF's Keras layer machinery refuses to iterate the tensor ("You are attempting to use
    # Python control flow in a layer..."); scopeflow says which state the cell expects.
    "tf.nn.rnn_cell.BasicLSTMCell(4)(x0, tf.zeros([2, 4]))": raised(
        TypeError,
        "BasicLSTMCell 'basic_lstm_cell_1' was called with a state tensor of shape (2, 4)",
    ),
    # TF's message is the MatMul's (widths 9 and 7 of the concatenated [inputs, state]);
    # scopeflow names the cell, the depth it was built for and the new inputs' shape.
    "(lambda c: (c(x0, c.zero_state(2, tf.float32)), c(tf.zeros([2, 5]), "
    "c.zero_state(2, tf.float32))))(tf.nn.rnn_cell.GRUCell(4, name='enc'))": raised(
        ValueError,
        'layer "enc" is incompatible with the layer: it was built for inputs of depth 3, and '
        "is called with inputs of shape (2, 5) (Dimensions must be equal, but are 5 and 3)",
    ),
    # TF's TensorShape.assert_is_compatible_with: "Shapes (2, 3) and (2, 4) are incompatible";
    # scopeflow adds the wrapper's and the cell's names.
    "tf.nn.rnn_cell.ResidualWrapper(tf.nn.rnn_cell.GRUCell(4))(x0, tf.zeros([2, 4]))": raised(
        ValueError,
        "Shapes (2, 3) and (2, 4) are incompatible (ResidualWrapper 'residual_wrapper_1': the "
        "inputs are added to the outputs of 'gru_cell_1')",
    ),
}


@pytest.mark.parametrize("expr", list(GROUPS["CELLS"]))
def test_cells_build_tf1s_graph(graph, env, expr):
    check_against(graph, env, expr, expected(GROUPS["CELLS"][expr], DIFFERENCES.get(expr)))


@pytest.mark.parametrize("expr", list(GROUPS["DRIVERS"]))
def test_drivers_build_tf1s_graph(graph, env, expr):
    check_against(graph, env, expr, expected(GROUPS["DRIVERS"][expr], DIFFERENCES.get(expr)))


@pytest.mark.parametrize("expr", list(GROUPS["ERRORS"]))
def test_bad_input_fails_as_tf1(graph, env, expr):
    want = expected(GROUPS["ERRORS"][expr], DIFFERENCES.get(expr))
    check_against(graph, env, expr, want, left=None)
