"""``tf.contrib.seq2seq`` as TF 1.15 has it: helpers, ``BasicDecoder`` and ``dynamic_decode``;
attention mechanisms and ``AttentionWrapper``; ``BeamSearchDecoder``, ``tile_batch`` and
``gather_tree``; ``sequence_loss``."""

from __future__ import annotations

from scopeflow.contrib.seq2seq_attention import (
    AttentionMechanism,
    AttentionWrapper,
    AttentionWrapperState,
    BahdanauAttention,
    LuongAttention,
)
from scopeflow.contrib.seq2seq_beam import (
    BeamSearchDecoder,
    BeamSearchDecoderOutput,
    BeamSearchDecoderState,
    FinalBeamSearchDecoderOutput,
)
from scopeflow.contrib.seq2seq_decoder import (
    BasicDecoder,
    BasicDecoderOutput,
    Decoder,
    dynamic_decode,
)
from scopeflow.contrib.seq2seq_gather import gather_tree, tile_batch
from scopeflow.contrib.seq2seq_helper import (
    CustomHelper,
    GreedyEmbeddingHelper,
    Helper,
    SampleEmbeddingHelper,
    ScheduledEmbeddingTrainingHelper,
    TrainingHelper,
)
from scopeflow.contrib.seq2seq_loss import sequence_loss

# TF 1.15 names scopeflow leaves out, and what to use instead.
_NOT_PROVIDED = {
    "BahdanauMonotonicAttention": "use BahdanauAttention",
    "LuongMonotonicAttention": "use LuongAttention",
    "monotonic_attention": "use BahdanauAttention or LuongAttention",
    "safe_cumprod": "use tf.cumprod",
    "hardmax": "use tf.one_hot(tf.argmax(logits, -1), depth) as the probability_fn",
    "ScheduledOutputTrainingHelper": "use ScheduledEmbeddingTrainingHelper or CustomHelper",
    "InferenceHelper": "use CustomHelper",
}


def __getattr__(name: str):
    if name in _NOT_PROVIDED:
        raise NotImplementedError(
            f"tf.contrib.seq2seq.{name} is not provided by scopeflow: {_NOT_PROVIDED[name]}."
        )
    raise AttributeError(f"module 'tf.contrib.seq2seq' has no attribute {name!r}")


__all__ = [
    "AttentionMechanism",
    "AttentionWrapper",
    "AttentionWrapperState",
    "BahdanauAttention",
    "LuongAttention",
    "BasicDecoder",
    "BeamSearchDecoder",
    "BeamSearchDecoderOutput",
    "BeamSearchDecoderState",
    "FinalBeamSearchDecoderOutput",
    "BasicDecoderOutput",
    "CustomHelper",
    "Decoder",
    "GreedyEmbeddingHelper",
    "Helper",
    "SampleEmbeddingHelper",
    "ScheduledEmbeddingTrainingHelper",
    "TrainingHelper",
    "dynamic_decode",
    "gather_tree",
    "sequence_loss",
    "tile_batch",
]
