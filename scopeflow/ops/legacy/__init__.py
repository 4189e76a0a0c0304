"""Op types of TF 1.x graphs that newer TF builds under other names (``Add``, ``Concat``,
``FusedBatchNorm``, ``MaxPoolV2``, ``Variable``...), registered so that frozen GraphDefs
written by TF 1.x import and run (``tf.import_graph_def``) and ``tf.raw_ops`` has them.

Each takes the kernel of its newer twin where TF computes the same, with TF's own shape
rule and gradient for the old type: ``math_ops.py`` (arithmetic), ``array_ops.py`` (joins,
gathers, reversals, variables, placeholders), ``nn_ops.py`` (bias, top-k, batch norms, max
pooling, non-max suppression), ``block_rnn.py`` (``tf.contrib.rnn``'s fused LSTM and GRU
cells: ``LSTMBlockCell``, ``BlockLSTM``, ``GRUBlockCell``).
"""

from __future__ import annotations

from scopeflow.ops.legacy import array_ops, block_rnn, math_ops, nn_ops

__all__ = ["array_ops", "block_rnn", "math_ops", "nn_ops"]
