"""``tf.contrib.legacy_seq2seq``: the list-of-steps decoders (``rnn_decoder`` with a
``loop_function``, ``embedding_rnn_decoder``), the models built on them (``basic_rnn_seq2seq``,
``tied_rnn_seq2seq``, ``embedding_rnn_seq2seq``), the attention models and ``model_with_buckets``
(``legacy_seq2seq_attention.py``) and sequence losses, as TF 1.15's.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     cell = tf.nn.rnn_cell.BasicLSTMCell(3)
...     steps = [tf.ones([2, 4])] * 3
...     outputs, state = tf.contrib.legacy_seq2seq.rnn_decoder(
...         steps, cell.zero_state(2, tf.float32), cell)
...     print(len(outputs), [v.op.name for v in tf.global_variables()])
3 ['rnn_decoder/basic_lstm_cell/kernel', 'rnn_decoder/basic_lstm_cell/bias']
"""

from __future__ import annotations

import copy

from scopeflow.contrib.legacy_seq2seq_attention import (
    _extract_argmax_and_embed,
    attention_decoder,
    embedding_attention_decoder,
    embedding_attention_seq2seq,
    model_with_buckets,
)
from scopeflow.contrib.rnn_wrappers import EmbeddingWrapper, OutputProjectionWrapper
from scopeflow.contrib.seq2seq_loss import legacy_sequence_loss as sequence_loss
from scopeflow.contrib.seq2seq_loss import sequence_loss_by_example
from scopeflow.framework import dtypes
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.ops.nn.composite import embedding_lookup
from scopeflow.rnn.static import static_rnn
from scopeflow.variables.variable_scope import get_variable, get_variable_scope, variable_scope


def rnn_decoder(decoder_inputs, initial_state, cell, loop_function=None, scope=None):
    """Runs ``cell`` over the list ``decoder_inputs`` from ``initial_state`` in the scope
    ``rnn_decoder``; with ``loop_function(prev_output, i)`` each step after the first takes
    its input from the previous output instead. Returns ``(outputs, final_state)``."""
    with variable_scope(scope or "rnn_decoder"):
        state = initial_state
        outputs = []
        prev = None
        for i, inp in enumerate(decoder_inputs):
            if loop_function is not None and prev is not None:
                with variable_scope("loop_function", reuse=True):
                    inp = loop_function(prev, i)
            if i > 0:
                get_variable_scope().reuse_variables()
            output, state = cell(inp, state)
            outputs.append(output)
            if loop_function is not None:
                prev = output
    return outputs, state


def embedding_rnn_decoder(
    decoder_inputs,
    initial_state,
    cell,
    num_symbols,
    embedding_size,
    output_projection=None,
    feed_previous=False,
    update_embedding_for_previous=True,
    scope=None,
):
    """``rnn_decoder`` over the embeddings (variable ``embedding``
    ``[num_symbols, embedding_size]``, scope ``embedding_rnn_decoder``) of the int
    ``decoder_inputs``; with ``feed_previous`` each later step embeds the argmax of the
    previous output (through ``output_projection = (W, b)`` when given)."""
    if not isinstance(feed_previous, bool):  # TF 1.15 fails on `if feed_previous` too
        raise TypeError(
            "embedding_rnn_decoder: feed_previous must be a Python bool; build one decoder per "
            "value under variable scopes that share variables to switch at run time."
        )
    with variable_scope(scope or "embedding_rnn_decoder") as vs:
        if output_projection is not None:
            weights = convert_to_tensor(output_projection[0], dtype=vs.dtype)
            weights.shape.assert_is_compatible_with([None, num_symbols])
            biases = convert_to_tensor(output_projection[1], dtype=vs.dtype)
            biases.shape.assert_is_compatible_with([num_symbols])
        embedding = get_variable("embedding", [num_symbols, embedding_size])
        loop_function = (
            _extract_argmax_and_embed(embedding, output_projection, update_embedding_for_previous)
            if feed_previous
            else None
        )
        emb_inp = (embedding_lookup(embedding, i) for i in decoder_inputs)
        return rnn_decoder(emb_inp, initial_state, cell, loop_function=loop_function)


def basic_rnn_seq2seq(encoder_inputs, decoder_inputs, cell, dtype=dtypes.float32, scope=None):
    """A ``static_rnn`` encoder (a copy of ``cell``) whose final state starts an
    ``rnn_decoder`` of ``cell`` over ``decoder_inputs``, in the scope ``basic_rnn_seq2seq``.
    Returns ``(outputs, state)``."""
    with variable_scope(scope or "basic_rnn_seq2seq"):
        _, enc_state = static_rnn(copy.deepcopy(cell), encoder_inputs, dtype=dtype)
        return rnn_decoder(decoder_inputs, enc_state, cell)


def tied_rnn_seq2seq(
    encoder_inputs, decoder_inputs, cell, loop_function=None, dtype=dtypes.float32, scope=None
):
    """``basic_rnn_seq2seq`` whose encoder and decoder share ``cell``'s variables (scope
    ``combined_tied_rnn_seq2seq/tied_rnn_seq2seq``)."""
    with variable_scope("combined_tied_rnn_seq2seq"):
        scope = scope or "tied_rnn_seq2seq"
        _, enc_state = static_rnn(cell, encoder_inputs, dtype=dtype, scope=scope)
        get_variable_scope().reuse_variables()
        return rnn_decoder(
            decoder_inputs, enc_state, cell, loop_function=loop_function, scope=scope
        )


def embedding_rnn_seq2seq(
    encoder_inputs,
    decoder_inputs,
    cell,
    num_encoder_symbols,
    num_decoder_symbols,
    embedding_size,
    output_projection=None,
    feed_previous=False,
    dtype=None,
    scope=None,
):
    """A ``static_rnn`` encoder (a copy of ``cell`` behind an ``EmbeddingWrapper``) whose
    final state starts an ``embedding_rnn_decoder``; without ``output_projection`` the
    decoder cell is wrapped to output ``num_decoder_symbols`` logits. Returns
    ``(outputs, state)``."""
    if not isinstance(feed_previous, bool):
        raise NotImplementedError(
            "embedding_rnn_seq2seq with a tensor feed_previous is not supported; build one "
            "model per value (feed_previous=True and False) sharing variables by reuse."
        )
    with variable_scope(scope or "embedding_rnn_seq2seq") as vs:
        if dtype is not None:
            vs.set_dtype(dtype)
        else:
            dtype = vs.dtype
        encoder_cell = EmbeddingWrapper(
            copy.deepcopy(cell), embedding_classes=num_encoder_symbols,
            embedding_size=embedding_size,
        )  # fmt: skip
        _, encoder_state = static_rnn(encoder_cell, encoder_inputs, dtype=dtype)
        if output_projection is None:
            cell = OutputProjectionWrapper(cell, num_decoder_symbols)
        return embedding_rnn_decoder(
            decoder_inputs,
            encoder_state,
            cell,
            num_decoder_symbols,
            embedding_size,
            output_projection=output_projection,
            feed_previous=feed_previous,
        )


__all__ = [
    "attention_decoder",
    "basic_rnn_seq2seq",
    "embedding_attention_decoder",
    "embedding_attention_seq2seq",
    "embedding_rnn_decoder",
    "embedding_rnn_seq2seq",
    "model_with_buckets",
    "rnn_decoder",
    "sequence_loss",
    "sequence_loss_by_example",
    "tied_rnn_seq2seq",
]
