"""``tf.nn``: neural-network ops."""

from __future__ import annotations

from scopeflow.nn_experimental import experimental
from scopeflow.ops.array.depth_space import depth_to_space, space_to_depth
from scopeflow.ops.array.space_batch import space_to_batch
from scopeflow.ops.nn.activation import (
    elu,
    leaky_relu,
    relu,
    relu6,
    selu,
    sigmoid,
    softplus,
    softsign,
    tanh,
)
from scopeflow.ops.nn.activations_losses import (
    crelu,
    log_poisson_loss,
    silu,
    swish,
    weighted_cross_entropy_with_logits,
    weighted_moments,
)
from scopeflow.ops.nn.approx_top_k import approx_max_k, approx_min_k
from scopeflow.ops.nn.basic import (
    bias_add,
    in_top_k,
    l2_loss,
    log_softmax,
    softmax,
    top_k,
)
from scopeflow.ops.nn.batch_norm import fused_batch_norm
from scopeflow.ops.nn.candidate_sampling import (
    all_candidate_sampler,
    compute_accidental_hits,
    fixed_unigram_candidate_sampler,
    learned_unigram_candidate_sampler,
    log_uniform_candidate_sampler,
    uniform_candidate_sampler,
)
from scopeflow.ops.nn.composite import (
    batch_norm_with_global_normalization,
    batch_normalization,
    dropout,
    embedding_lookup,
    l2_normalize,
    moments,
    relu_layer,
    xw_plus_b,
    zero_fraction,
)
from scopeflow.ops.nn.conv import (
    conv2d,
    conv2d_backprop_filter,
    conv2d_backprop_input,
    conv2d_transpose,
)
from scopeflow.ops.nn.conv3d import conv3d, conv3d_backprop_filter_v2, conv3d_transpose
from scopeflow.ops.nn.conv_nd import conv1d, separable_conv2d
from scopeflow.ops.nn.cross_entropy import (
    sigmoid_cross_entropy_with_logits,
    softmax_cross_entropy_with_logits,
    softmax_cross_entropy_with_logits_v2,
    sparse_softmax_cross_entropy_with_logits,
)
from scopeflow.ops.nn.ctc import (
    ctc_beam_search_decoder,
    ctc_beam_search_decoder_v2,
    ctc_greedy_decoder,
    ctc_loss,
)
from scopeflow.ops.nn.ctc_labels import collapse_repeated, ctc_unique_labels
from scopeflow.ops.nn.ctc_v2 import ctc_loss_v2
from scopeflow.ops.nn.depthwise import (
    depthwise_conv2d,
    depthwise_conv2d_native,
    depthwise_conv2d_native_backprop_filter,
    depthwise_conv2d_native_backprop_input,
)
from scopeflow.ops.nn.dilated import atrous_conv2d, convolution, pool, with_space_to_batch
from scopeflow.ops.nn.fractional_pool import fractional_avg_pool, fractional_max_pool
from scopeflow.ops.nn.morphology import dilation2d, erosion2d
from scopeflow.ops.nn.normalization import local_response_normalization, lrn
from scopeflow.ops.nn.pool_argmax import max_pool_with_argmax
from scopeflow.ops.nn.pooling import avg_pool, avg_pool2d, max_pool, max_pool2d
from scopeflow.ops.nn.pooling3d import avg_pool3d, max_pool3d
from scopeflow.ops.nn.pooling_nd import avg_pool1d, avg_pool_v2, max_pool1d, max_pool_v2
from scopeflow.ops.nn.quantized import quantized_avg_pool, quantized_conv2d, quantized_max_pool
from scopeflow.ops.nn.sampled import nce_loss, sampled_softmax_loss
from scopeflow.ops.nn.statistics import (
    compute_average_loss,
    normalize_moments,
    scale_regularization_loss,
    sufficient_statistics,
)
from scopeflow.ops.nn.transposed import atrous_conv2d_transpose, conv1d_transpose, conv_transpose
from scopeflow.ops.sparse.safe_embedding import safe_embedding_lookup_sparse
from scopeflow.ops.sparse.segment import embedding_lookup_sparse
from scopeflow.rnn import rnn_cell
from scopeflow.rnn.dynamic import bidirectional_dynamic_rnn, dynamic_rnn
from scopeflow.rnn.raw import raw_rnn
from scopeflow.rnn.static import static_bidirectional_rnn, static_rnn, static_state_saving_rnn

# TF1's other names of the same functions.
conv3d_backprop_filter = conv3d_backprop_filter_v2
depthwise_conv2d_backprop_filter = depthwise_conv2d_native_backprop_filter
depthwise_conv2d_backprop_input = depthwise_conv2d_native_backprop_input

__all__ = [
    "all_candidate_sampler",
    "approx_max_k",
    "approx_min_k",
    "atrous_conv2d",
    "atrous_conv2d_transpose",
    "avg_pool",
    "avg_pool1d",
    "avg_pool2d",
    "avg_pool3d",
    "avg_pool_v2",
    "batch_norm_with_global_normalization",
    "batch_normalization",
    "bias_add",
    "bidirectional_dynamic_rnn",
    "collapse_repeated",
    "compute_accidental_hits",
    "compute_average_loss",
    "conv1d",
    "conv1d_transpose",
    "conv2d",
    "conv2d_backprop_filter",
    "conv2d_backprop_input",
    "conv2d_transpose",
    "conv3d",
    "conv3d_backprop_filter",
    "conv3d_backprop_filter_v2",
    "conv3d_transpose",
    "conv_transpose",
    "convolution",
    "crelu",
    "ctc_beam_search_decoder",
    "ctc_beam_search_decoder_v2",
    "ctc_greedy_decoder",
    "ctc_loss",
    "ctc_loss_v2",
    "ctc_unique_labels",
    "depth_to_space",
    "depthwise_conv2d",
    "depthwise_conv2d_backprop_filter",
    "depthwise_conv2d_backprop_input",
    "depthwise_conv2d_native",
    "depthwise_conv2d_native_backprop_filter",
    "depthwise_conv2d_native_backprop_input",
    "dilation2d",
    "dropout",
    "dynamic_rnn",
    "elu",
    "embedding_lookup",
    "embedding_lookup_sparse",
    "erosion2d",
    "experimental",
    "fractional_avg_pool",
    "fractional_max_pool",
    "fixed_unigram_candidate_sampler",
    "fused_batch_norm",
    "in_top_k",
    "l2_loss",
    "l2_normalize",
    "leaky_relu",
    "learned_unigram_candidate_sampler",
    "local_response_normalization",
    "log_poisson_loss",
    "log_softmax",
    "log_uniform_candidate_sampler",
    "lrn",
    "max_pool",
    "max_pool1d",
    "max_pool2d",
    "max_pool3d",
    "max_pool_v2",
    "max_pool_with_argmax",
    "moments",
    "nce_loss",
    "normalize_moments",
    "pool",
    "quantized_avg_pool",
    "quantized_conv2d",
    "quantized_max_pool",
    "raw_rnn",
    "relu",
    "relu6",
    "relu_layer",
    "rnn_cell",
    "safe_embedding_lookup_sparse",
    "sampled_softmax_loss",
    "scale_regularization_loss",
    "selu",
    "separable_conv2d",
    "sigmoid",
    "sigmoid_cross_entropy_with_logits",
    "silu",
    "softmax",
    "softmax_cross_entropy_with_logits",
    "softmax_cross_entropy_with_logits_v2",
    "softplus",
    "softsign",
    "space_to_batch",
    "space_to_depth",
    "sparse_softmax_cross_entropy_with_logits",
    "static_bidirectional_rnn",
    "static_rnn",
    "static_state_saving_rnn",
    "sufficient_statistics",
    "swish",
    "tanh",
    "top_k",
    "uniform_candidate_sampler",
    "weighted_cross_entropy_with_logits",
    "weighted_moments",
    "with_space_to_batch",
    "xw_plus_b",
    "zero_fraction",
]
