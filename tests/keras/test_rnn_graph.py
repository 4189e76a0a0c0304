"""The graph of a Keras ``SimpleRNN`` as TF 2.21's tf_keras builds it in compat.v1 graph mode
(op names and order from the reference venv, leaving out variable creation and reads, which
follow the variables' kind): the initial state's ``zeros/packed``, TF's ``K.rnn`` first step
outside the loop (``s/simple_rnn_cell_1``), its ``time`` constant, each step's cell ops under
the cell's name scope (``s/while/simple_rnn_cell/MatMul``), the output written before the
step count grows, the last output and the batch-major outputs after the loop."""

from __future__ import annotations

import scopeflow as tf

K = tf.keras

EXPECTED = [
    "s/Shape",
    "s/strided_slice/stack",
    "s/strided_slice/stack_1",
    "s/strided_slice/stack_2",
    "s/strided_slice",
    "s/zeros/packed/1",
    "s/zeros/packed",
    "s/zeros/Const",
    "s/zeros",
    "s/transpose/perm",
    "s/transpose",
    "s/Shape_1",
    "s/strided_slice_1/stack",
    "s/strided_slice_1/stack_1",
    "s/strided_slice_1/stack_2",
    "s/strided_slice_1",
    "s/TensorArray",
    "s/TensorArrayUnstack/Shape",
    "s/TensorArrayUnstack/strided_slice/stack",
    "s/TensorArrayUnstack/strided_slice/stack_1",
    "s/TensorArrayUnstack/strided_slice/stack_2",
    "s/TensorArrayUnstack/strided_slice",
    "s/TensorArrayUnstack/range/start",
    "s/TensorArrayUnstack/range/delta",
    "s/TensorArrayUnstack/range",
    "s/TensorArrayUnstack/TensorArrayScatter/TensorArrayScatterV3",
    "s/strided_slice_2/stack",
    "s/strided_slice_2/stack_1",
    "s/strided_slice_2/stack_2",
    "s/strided_slice_2",
    "s/simple_rnn_cell_1/MatMul",
    "s/simple_rnn_cell_1/BiasAdd",
    "s/simple_rnn_cell_1/MatMul_1",
    "s/simple_rnn_cell_1/add",
    "s/simple_rnn_cell_1/Tanh",
    "s/TensorArray_1",
    "s/time",
    "s/while/Merge",
    "s/while/Merge_1",
    "s/while/Merge_2",
    "s/while/Less",
    "s/while/LoopCond",
    "s/while/Switch",
    "s/while/Switch_1",
    "s/while/Switch_2",
    "s/while/Identity",
    "s/while/Identity_1",
    "s/while/Identity_2",
    "s/while/TensorArrayReadV3",
    "s/while/simple_rnn_cell/MatMul",
    "s/while/simple_rnn_cell/BiasAdd",
    "s/while/simple_rnn_cell/MatMul_1",
    "s/while/simple_rnn_cell/add",
    "s/while/simple_rnn_cell/Tanh",
    "s/while/TensorArrayWrite/TensorArrayWriteV3",
    "s/while/add/y",
    "s/while/add",
    "s/while/NextIteration",
    "s/while/NextIteration_1",
    "s/while/NextIteration_2",
    "s/while/Exit",
    "s/while/Exit_1",
    "s/while/Exit_2",
    "s/TensorArrayStack/range/start",
    "s/TensorArrayStack/range/delta",
    "s/TensorArrayStack/range",
    "s/TensorArrayStack/TensorArrayGatherV3",
    "s/strided_slice_3/stack",
    "s/strided_slice_3/stack_1",
    "s/strided_slice_3/stack_2",
    "s/strided_slice_3",
    "s/transpose_1/perm",
    "s/transpose_1",
]


def _kept(op) -> bool:
    kinds = ("VarHandleOp", "VariableV2", "Assign", "AssignVariableOp", "VarIsInitializedOp")
    kinds += ("ReadVariableOp", "IsVariableInitialized", "Enter")
    return not ("Initializer" in op.name or op.type in kinds or op.name.endswith("/read"))


def test_simple_rnn_graph_is_tfs(graph):
    x = K.Input((3, 2))
    before = len(graph.get_operations())
    K.layers.SimpleRNN(2, name="s")(x)
    made = [op.name for op in graph.get_operations()[before:] if _kept(op)]
    assert made == EXPECTED
