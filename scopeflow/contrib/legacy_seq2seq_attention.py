"""``tf.contrib.legacy_seq2seq``'s attention models, as the TF1 "translate" tutorial used them:
``attention_decoder`` (Bahdanau-style attention over a list of steps, one or more heads),
``embedding_attention_decoder``, ``embedding_attention_seq2seq`` (a ``static_rnn`` encoder
behind an ``EmbeddingWrapper``) and ``model_with_buckets``, with TF 1.15's scopes and variable
names (``AttnW_0``, ``AttnV_0``, ``Attention_0``, ``AttnOutputProjection``...).

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     enc = [tf.zeros([2], tf.int32)] * 3
...     dec = [tf.zeros([2], tf.int32)] * 2
...     outputs, _ = tf.contrib.legacy_seq2seq.embedding_attention_seq2seq(
...         enc, dec, tf.nn.rnn_cell.GRUCell(4), 5, 6, embedding_size=3)
...     print(len(outputs), outputs[0].shape.as_list())
2 [2, 6]
"""

from __future__ import annotations

import copy

from scopeflow.contrib.rnn_wrappers import EmbeddingWrapper, OutputProjectionWrapper, linear
from scopeflow.contrib.seq2seq_loss import legacy_sequence_loss, sequence_loss_by_example
from scopeflow.framework import nest, tensor_shape
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.ops.array.basic import reshape, shape, stack, stop_gradient, zeros
from scopeflow.ops.array.join import concat
from scopeflow.ops.math.elementwise import tanh
from scopeflow.ops.math.reduction import argmax, reduce_sum
from scopeflow.ops.nn.basic import softmax
from scopeflow.ops.nn.composite import embedding_lookup, xw_plus_b
from scopeflow.ops.nn.conv import conv2d
from scopeflow.rnn.static import static_rnn
from scopeflow.variables.variable_scope import get_variable, get_variable_scope, variable_scope


def _extract_argmax_and_embed(embedding, output_projection=None, update_embedding=True):
    """The loop function feeding back the embedding of the previous output's argmax."""

    def loop_function(prev, _):
        if output_projection is not None:
            prev = xw_plus_b(prev, output_projection[0], output_projection[1])
        emb_prev = embedding_lookup(embedding, argmax(prev, 1))
        return emb_prev if update_embedding else stop_gradient(emb_prev)

    return loop_function


def _flat_query(query):
    """A state (possibly a tuple of 2-D states) as one ``[batch, depth]`` tensor."""
    if not nest.is_sequence(query):
        return query
    parts = nest.flatten(query)
    for part in parts:
        if part.shape.ndims is not None and part.shape.ndims != 2:
            raise ValueError(f"attention query parts must be 2-D, got shape {part.shape}")
    return concat(parts, 1)


def attention_decoder(
    decoder_inputs,
    initial_state,
    attention_states,
    cell,
    output_size=None,
    num_heads=1,
    loop_function=None,
    dtype=None,
    scope=None,
    initial_state_attention=False,
):
    """Runs ``cell`` over ``decoder_inputs`` (a list of ``[batch, depth]`` tensors), each step
    reading ``num_heads`` attention vectors over ``attention_states`` (``[batch, length,
    size]``). Returns ``(outputs, state)``: one ``[batch, output_size]`` output per step.

    Raises:
        ValueError: no decoder inputs, ``num_heads`` < 1, or ``attention_states`` of unknown
            depth.
    """
    if not decoder_inputs:
        raise ValueError("Must provide at least 1 input to attention decoder.")
    if num_heads < 1:
        raise ValueError("With less than 1 heads, use a non-attention decoder.")
    if tensor_shape.dimension_value(attention_states.shape[2]) is None:
        raise ValueError(f"Shape[2] of attention_states must be known: {attention_states.shape}")
    if output_size is None:
        output_size = cell.output_size
    with variable_scope(scope or "attention_decoder", dtype=dtype) as vs:
        dtype = vs.dtype
        batch_size = shape(decoder_inputs[0])[0]
        length = tensor_shape.dimension_value(attention_states.shape[1])
        if length is None:
            length = shape(attention_states)[1]
        size = tensor_shape.dimension_value(attention_states.shape[2])
        hidden = reshape(attention_states, [-1, length, 1, size])
        features, vectors = [], []
        for head in range(num_heads):
            kernel = get_variable(f"AttnW_{head}", [1, 1, size, size])
            features.append(conv2d(hidden, kernel, [1, 1, 1, 1], "SAME"))
            vectors.append(get_variable(f"AttnV_{head}", [size]))

        def attend(query):
            query = _flat_query(query)
            reads = []
            for head in range(num_heads):
                with variable_scope(f"Attention_{head}"):
                    y = reshape(linear(query, size), [-1, 1, 1, size])
                    scores = reduce_sum(vectors[head] * tanh(features[head] + y), [2, 3])
                    weights = softmax(scores)
                    read = reduce_sum(reshape(weights, [-1, length, 1, 1]) * hidden, [1, 2])
                    reads.append(reshape(read, [-1, size]))
            return reads

        state = initial_state
        outputs = []
        prev = None
        blank = stack([batch_size, size])
        attns = [zeros(blank, dtype=dtype) for _ in range(num_heads)]
        for attn in attns:
            attn.set_shape([None, size])
        if initial_state_attention:
            attns = attend(initial_state)
        for i, inp in enumerate(decoder_inputs):
            if i > 0:
                get_variable_scope().reuse_variables()
            if loop_function is not None and prev is not None:
                with variable_scope("loop_function", reuse=True):
                    inp = loop_function(prev, i)
            depth = inp.shape.with_rank(2)[1]
            if tensor_shape.dimension_value(depth) is None:
                raise ValueError(f"Could not infer input size from input: {inp.name}")
            x = linear([inp] + attns, tensor_shape.dimension_value(depth))
            cell_output, state = cell(x, state)
            if i == 0 and initial_state_attention:
                with variable_scope(get_variable_scope(), reuse=True):
                    attns = attend(state)
            else:
                attns = attend(state)
            with variable_scope("AttnOutputProjection"):
                output = linear([cell_output] + attns, output_size)
            if loop_function is not None:
                prev = output
            outputs.append(output)
    return outputs, state


def embedding_attention_decoder(
    decoder_inputs,
    initial_state,
    attention_states,
    cell,
    num_symbols,
    embedding_size,
    num_heads=1,
    output_size=None,
    output_projection=None,
    feed_previous=False,
    update_embedding_for_previous=True,
    dtype=None,
    scope=None,
    initial_state_attention=False,
):
    """``attention_decoder`` over the embeddings (variable ``embedding`` ``[num_symbols,
    embedding_size]``, scope ``embedding_attention_decoder``) of the int ``decoder_inputs``;
    with ``feed_previous`` each later step embeds the previous output's argmax (through
    ``output_projection = (W, b)`` when given)."""
    if not isinstance(feed_previous, bool):
        raise TypeError(
            "embedding_attention_decoder: feed_previous must be a Python bool; build one "
            "decoder per value under variable scopes that share variables to switch at run time."
        )
    if output_size is None:
        output_size = cell.output_size
    if output_projection is not None:
        biases = convert_to_tensor(output_projection[1], dtype=dtype)
        biases.shape.assert_is_compatible_with([num_symbols])
    with variable_scope(scope or "embedding_attention_decoder", dtype=dtype):
        embedding = get_variable("embedding", [num_symbols, embedding_size])
        loop_function = (
            _extract_argmax_and_embed(embedding, output_projection, update_embedding_for_previous)
            if feed_previous
            else None
        )
        emb_inp = [embedding_lookup(embedding, i) for i in decoder_inputs]
        return attention_decoder(
            emb_inp,
            initial_state,
            attention_states,
            cell,
            output_size=output_size,
            num_heads=num_heads,
            loop_function=loop_function,
            initial_state_attention=initial_state_attention,
        )


def embedding_attention_seq2seq(
    encoder_inputs,
    decoder_inputs,
    cell,
    num_encoder_symbols,
    num_decoder_symbols,
    embedding_size,
    num_heads=1,
    output_projection=None,
    feed_previous=False,
    dtype=None,
    scope=None,
    initial_state_attention=False,
):
    """A ``static_rnn`` encoder (a copy of ``cell`` behind an ``EmbeddingWrapper``) whose
    outputs the ``embedding_attention_decoder`` attends to, started from its final state.
    Without ``output_projection`` the decoder cell is wrapped to output
    ``num_decoder_symbols`` logits. Returns ``(outputs, state)``."""
    if not isinstance(feed_previous, bool):
        raise NotImplementedError(
            "embedding_attention_seq2seq with a tensor feed_previous is not supported; build "
            "one model per value (feed_previous=True and False) sharing variables by reuse."
        )
    with variable_scope(scope or "embedding_attention_seq2seq", dtype=dtype) as vs:
        dtype = vs.dtype
        encoder_cell = EmbeddingWrapper(
            copy.deepcopy(cell), embedding_classes=num_encoder_symbols,
            embedding_size=embedding_size,
        )  # fmt: skip
        encoder_outputs, encoder_state = static_rnn(encoder_cell, encoder_inputs, dtype=dtype)
        top = [reshape(e, [-1, 1, cell.output_size]) for e in encoder_outputs]
        attention_states = concat(top, 1)
        output_size = None
        if output_projection is None:
            cell = OutputProjectionWrapper(cell, num_decoder_symbols)
            output_size = num_decoder_symbols
        return embedding_attention_decoder(
            decoder_inputs,
            encoder_state,
            attention_states,
            cell,
            num_decoder_symbols,
            embedding_size,
            num_heads=num_heads,
            output_size=output_size,
            output_projection=output_projection,
            feed_previous=feed_previous,
            initial_state_attention=initial_state_attention,
        )


def model_with_buckets(
    encoder_inputs,
    decoder_inputs,
    targets,
    weights,
    buckets,
    seq2seq,
    softmax_loss_function=None,
    per_example_loss=False,
    name=None,
):
    """Builds ``seq2seq(encoder_inputs[:e], decoder_inputs[:d])`` for each ``(e, d)`` bucket,
    the later buckets reusing the first one's variables, and each bucket's sequence loss.
    Returns ``(outputs, losses)``, one entry per bucket.

    Raises:
        ValueError: fewer inputs, targets or weights than the last bucket needs.
    """
    for what, values, index in (
        ("encoder_inputs", encoder_inputs, 0),
        ("targets", targets, 1),
        ("weights", weights, 1),
    ):
        if len(values) < buckets[-1][index]:
            raise ValueError(
                f"Length of {what} ({len(values)}) must be at least that of last bucket "
                f"({buckets[-1][index]})."
            )
    all_inputs = encoder_inputs + decoder_inputs + targets + weights
    losses, outputs = [], []
    with name_scope(name, "model_with_buckets", all_inputs):
        for j, (enc_size, dec_size) in enumerate(buckets):
            with variable_scope(get_variable_scope(), reuse=True if j > 0 else None):
                bucket_outputs, _ = seq2seq(encoder_inputs[:enc_size], decoder_inputs[:dec_size])
                outputs.append(bucket_outputs)
                loss = sequence_loss_by_example if per_example_loss else legacy_sequence_loss
                losses.append(
                    loss(
                        bucket_outputs,
                        targets[:dec_size],
                        weights[:dec_size],
                        softmax_loss_function=softmax_loss_function,
                    )
                )
    return outputs, losses


__all__ = [
    "attention_decoder",
    "embedding_attention_decoder",
    "embedding_attention_seq2seq",
    "model_with_buckets",
]
