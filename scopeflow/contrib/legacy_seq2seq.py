"""``tf.contrib.legacy_seq2seq``: the list-of-steps sequence losses."""

from __future__ import annotations

from scopeflow.contrib.seq2seq_loss import legacy_sequence_loss as sequence_loss
from scopeflow.contrib.seq2seq_loss import sequence_loss_by_example

__all__ = ["sequence_loss", "sequence_loss_by_example"]
