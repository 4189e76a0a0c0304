"""``tf.contrib.seq2seq`` as TF 1.15 has it: helpers, ``BasicDecoder`` and ``dynamic_decode``;
attention mechanisms and ``AttentionWrapper``; ``tile_batch``; ``sequence_loss``."""

from __future__ import annotations

from scopeflow.contrib.seq2seq_attention import (
    AttentionMechanism,
    AttentionWrapper,
    AttentionWrapperState,
    BahdanauAttention,
    LuongAttention,
)
from scopeflow.contrib.seq2seq_decoder import (
    BasicDecoder,
    BasicDecoderOutput,
    Decoder,
    dynamic_decode,
)
from scopeflow.contrib.seq2seq_helper import (
    CustomHelper,
    GreedyEmbeddingHelper,
    Helper,
    SampleEmbeddingHelper,
    ScheduledEmbeddingTrainingHelper,
    TrainingHelper,
)
from scopeflow.contrib.seq2seq_loss import sequence_loss

__all__ = [
    "AttentionMechanism",
    "AttentionWrapper",
    "AttentionWrapperState",
    "BahdanauAttention",
    "LuongAttention",
    "BasicDecoder",
    "BasicDecoderOutput",
    "CustomHelper",
    "Decoder",
    "GreedyEmbeddingHelper",
    "Helper",
    "SampleEmbeddingHelper",
    "ScheduledEmbeddingTrainingHelper",
    "TrainingHelper",
    "dynamic_decode",
    "sequence_loss",
]
