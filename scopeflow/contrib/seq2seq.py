"""``tf.contrib.seq2seq``: only ``sequence_loss`` (the decoders and attention wrappers are not
provided: build the decoder with ``tf.nn.dynamic_rnn`` or ``tf.while_loop``)."""

from __future__ import annotations

from scopeflow.contrib.seq2seq_loss import sequence_loss

__all__ = ["sequence_loss"]
