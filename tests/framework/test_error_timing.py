"""Errors come when TF 2.21 gives them: at graph build (``ValueError`` from a shape
function) where TF's shape inference can tell, else when the graph runs
(``InvalidArgumentError`` from the kernel), with TF's words. Every expected text below is
the one ``tensorflow.compat.v1`` (graph mode) gave for the same program."""

from __future__ import annotations

import re

import numpy as np
import pytest

import scopeflow as tf

# fmt: off
RUN_TIME = [
    # (id, build from constants, TF 2.21's run-time message): TF builds these without a word
    ("cumsum-axis", lambda: tf.cumsum(tf.ones([2, 3]), axis=2),
     "ScanOp: Expected scan axis in the range [-2, 2), but got 2"),
    ("cumsum-negative-axis", lambda: tf.cumsum(tf.ones([2, 3]), axis=-3),  # TF adds the rank
     "ScanOp: Expected scan axis in the range [-2, 2), but got -1"),
    ("cumprod-axis", lambda: tf.cumprod(tf.ones([2, 3]), axis=5),
     "ScanOp: Expected scan axis in the range [-2, 2), but got 5"),
    ("segment-sum-ids", lambda: tf.math.segment_sum(tf.ones([3, 2]), [0, 0]),
     "segment_ids should be the same size as dimension 0 of input."),
    ("cumsum-vector-axis", lambda: tf.cumsum(tf.ones([2, 3]), axis=[1]),
     "ScanOp: axis must be a scalar, not [1]"),
    ("cumulative-logsumexp-axis", lambda: tf.math.cumulative_logsumexp(tf.ones([2, 3]), -3),
     "ScanOp: Expected scan axis in the range [-2, 2), but got -1"),
    ("reshape-two-unknown", lambda: tf.reshape(tf.ones([2, 3]), [-1, -1]),
     "Only one input size may be -1, not both 0 and 1"),
    ("transpose-repeated-axis", lambda: tf.transpose(tf.ones([2, 3]), [0, 0]),
     "1 is missing from {0,0}."),
    ("reflect-pad-too-wide", lambda: tf.pad(tf.ones([2, 3]), [[2, 2], [0, 0]], "REFLECT"),
     "paddings must be less than the dimension size: 2, 2 not less than 2"),
    ("symmetric-pad-too-wide", lambda: tf.pad(tf.ones([2, 3]), [[3, 0], [0, 0]], "SYMMETRIC"),
     "paddings must be no greater than the dimension size: 3, 0 greater than 2"),
    ("pad-vector-constant", lambda: tf.pad(tf.ones([2, 3]), [[1, 0], [0, 0]],
                                           constant_values=[1.0, 2.0]),
     "constant_values must be a scalar. Found: [2]"),
    ("slice-size", lambda: tf.slice(tf.ones([2, 3]), [1, 0], [2, 3]),
     "Expected size[0] in [0, 1], but got 2"),
    ("slice-begin", lambda: tf.slice(tf.ones([2, 3]), [-1, 0], [1, 3]),
     "Expected begin[0] in [0, 2], but got -1"),
    ("one-hot-axis", lambda: tf.one_hot([0, 1], 3, axis=3),
     "Expected axis to be -1 or between [0, 2).  But received: 3"),
]
# fmt: on


def test_static_shapes_of_what_fails_at_run_as_tf(graph):
    assert tf.reshape(tf.ones([2, 3]), [-1, 2, -1]).shape.as_list() == [None, 2, None]
    assert tf.transpose(tf.ones([2, 3]), [1, 1]).shape.as_list() == [3, 3]
    assert tf.transpose(tf.ones([2, 3]), [1, -2]).shape.as_list() == [3, 2]
    assert tf.slice(tf.ones([2, 3]), [0, 0], [3, 3]).shape.as_list() == [3, 3]
    assert tf.linalg.set_diag(tf.ones([2, 3]), tf.ones([3])).shape.as_list() == [2, 3]
    assert tf.slice(tf.ones([2, 3]), [-1, 0], [1, -1]).shape.as_list() == [1, 3]
    assert tf.pad(tf.ones([2, 3]), [[2, 2], [0, 0]], "REFLECT").shape.as_list() == [6, 3]
    assert tf.one_hot([[0, 1]], 3, axis=5).shape.as_list() == [1, 2, 3]


def test_vector_constant_values_without_padding_run_as_tf(run):
    out = tf.pad(tf.ones([2, 3]), [[0, 0], [0, 0]], constant_values=[1.0, 2.0])
    np.testing.assert_array_equal(run(out), np.ones((2, 3), np.float32))


@pytest.mark.parametrize(
    ("build", "message"), [c[1:] for c in RUN_TIME], ids=[c[0] for c in RUN_TIME]
)
def test_builds_and_fails_at_run_as_tf(run, build, message):
    out = build()
    with pytest.raises(tf.errors.InvalidArgumentError, match=re.escape(message)):
        run(out)


# fmt: off
FED = [
    # (id, build from placeholder x, x's value, TF 2.21's message)
    ("cumsum-axis", lambda x: tf.cumsum(x, axis=2), np.ones((2, 3)),
     "ScanOp: Expected scan axis in the range [-2, 2), but got 2"),
    ("mirror-pad-negative", lambda x: tf.pad(x, tf.placeholder_with_default([[-1, 2], [0, 0]],
                                                                            [2, 2]), "REFLECT"),
     np.ones((2, 3)), "paddings must be non-negative: -1 2"),
    ("mirror-pad-rank", lambda x: tf.pad(x, tf.placeholder_with_default([[0, 0]], [1, 2]),
                                         "REFLECT"),
     np.ones((2, 3)), "The first dimension of paddings must be the rank of inputs[1,2], [2,3]"),
    ("reverse-axis", lambda x: tf.reverse(x, tf.placeholder_with_default([3], [1])),
     np.ones((2, 3, 4)), "'axis'[0] = 3 is out of valid range [0, 2"),
    ("gather-nd-depth", lambda x: tf.gather_nd(x, tf.placeholder_with_default([[0, 0, 0]],
                                                                              [1, None])),
     np.ones((2, 3)), "index innermost dimension length must be <= params rank; saw: 3 vs. 2"),
    ("scatter-nd-leading", lambda x: tf.scatter_nd([[0], [1]], x, [4]), np.ones(3),
     "Dimensions [0,1) of indices[shape=[2,1]] must match dimensions [0,1) of "
     "updates[shape=[3]]"),
    ("scatter-nd-trailing", lambda x: tf.scatter_nd([[0, 0], [1, 1]], x, [4]), np.ones(2),
     "Dimensions [2,1) of input[shape=[4]] must match dimensions [1,1) of updates[shape=[2]]"),
    ("tensor-scatter-inner-rank", lambda x: tf.tensor_scatter_nd_add(x, [[0], [1]], tf.ones([2])),
     np.ones((4, 3)), "Inner dimensions of output shape must match inner dimensions of updates "
     "shape. Output: [4,3] updates: [2]"),
    ("tensor-scatter-inner", lambda x: tf.tensor_scatter_nd_add(x, [[0], [1]], tf.ones([2, 4])),
     np.ones((4, 3)), "The inner 1 dimensions of output.shape=[4,3] must match the inner 1 "
     "dimensions of updates.shape=[2,4]"),
    ("stack", lambda x: tf.stack([x, tf.transpose(x)]), np.ones((2, 3)),
     "Shapes of all inputs must match: values[0].shape = [2,3] != values[1].shape = [3,2]"),
    ("space-to-batch", lambda x: tf.space_to_batch_nd(x, [2, 2], [[0, 0], [0, 0]]),
     np.ones((1, 2, 3, 1)), "padded_shape[1]=3 is not divisible by block_shape[1]=2"),
    ("top-k-negative", lambda x: tf.nn.top_k(x, tf.placeholder_with_default(-1, []))[0],
     np.ones((2, 3)), "Need k >= 0, got -1"),
    ("top-k-columns", lambda x: tf.nn.top_k(x, 5)[0], np.ones((2, 3)),
     "input must have at least k columns. Had 3, needed 5"),
    ("top-k-scalar", lambda x: tf.nn.top_k(x, 1)[0], np.float32(1),
     "input must be >= 1-D, got shape []"),
    ("in-top-k-rank", lambda x: tf.nn.in_top_k(x, [0, 1], 1), np.ones((2, 3, 1)),
     "predictions must be 2-dimensional"),
    ("in-top-k-targets", lambda x: tf.nn.in_top_k(x, [0, 1, 2], 1), np.ones((2, 3)),
     "First dimension of predictions 2 must match length of targets 3"),
    ("matrix-inverse-square", tf.linalg.inv, np.ones((2, 3)), "Input matrix must be square."),
    ("determinant-rank", tf.linalg.det, np.ones(3), "Input tensor 0 must have rank >= 2, got 1"),
    ("svd-rank", lambda x: tf.linalg.svd(x)[0], np.ones(3),
     "Input tensor 0 must have rank >= 2, got 1"),
    ("qr-rank", lambda x: tf.linalg.qr(x)[0], np.ones(3),
     "Input tensor 0 must have rank >= 2, got 1"),
    ("resize-rank", lambda x: tf.image.resize_bilinear(x, [2, 2]), np.ones((4, 4, 3)),
     "input must be 4-dimensional[4,4,3]"),
    ("resize-size", lambda x: tf.image.resize_nearest_neighbor(
        x, tf.placeholder_with_default([2, 2, 2], [None])), np.ones((1, 4, 4, 3)),
     "shape_t must have two elements[3]"),
    ("resize-positive", lambda x: tf.image.resize_area(
        x, tf.placeholder_with_default([0, 2], [2])), np.ones((1, 4, 4, 3)),
     "output dimensions must be positive"),
    ("adjust-contrast-rank", lambda x: tf.image.adjust_contrast(x, 2.0), np.ones(4),
     "input must be at least 3-D, got shape[4]"),
    ("adjust-saturation-channels", lambda x: tf.image.adjust_saturation(x, 2.0),
     np.ones((4, 4, 4)), "input must have 3 channels but instead has 4 channels."),
    ("rgb-to-hsv-scalar", tf.image.rgb_to_hsv, np.float32(1), "input must be at least 1D[]"),
    ("reduce-duplicate-axis", lambda x: tf.reduce_max(x, tf.placeholder_with_default([1, -1], [2])),
     np.ones((2, 3)), "Invalid reduction arguments: Axes contains duplicate dimension: 1"),
    ("histogram-range", lambda x: tf.histogram_fixed_width(x, [2.5, 0.5]), np.float32([0.5]),
     "value_range should satisfy value_range[0] < value_range[1], but got '[2.5, 0.5]'"),
    ("bincount-negative", lambda x: tf.math.bincount(tf.cast(x, tf.int32)), np.float32([-3, 2]),
     "Input arr must be non-negative!"),
    ("random-normal-shape", lambda x: tf.random.normal(tf.cast(x, tf.int32)), np.float32([2, -3]),
     "Dimension -3 must be >= 0"),
    ("random-int-shape", lambda x: tf.random.uniform(tf.cast(x, tf.int32), maxval=5,
                                                     dtype=tf.int32), np.float32([-2]),
     "Dimension -2 must be >= 0"),
    ("einsum-size", lambda x: tf.einsum("ij,jk->ik", x, tf.ones([4, 5])), np.ones((2, 3)),
     "Expected dimension 3 at axis 0 of the input shaped [4,5] but got dimension 4"),
    ("einsum-rank", lambda x: tf.einsum("ij,jk->ik", x, tf.ones([3, 5])), np.ones((2, 3, 1)),
     "Expected input 0 to have rank 2 but got: 3"),
    ("set-diag", lambda x: tf.linalg.set_diag(x, tf.ones([3, 2])), np.ones((4, 2, 3)),
     "Either first dimensions of diagonal don't match input.shape[:-2], or diagonal.shape[:-1] "
     "is not equal to the longests diagonal in range [lower_diag_index:upper_diag_index].\n"
     "Input shape: [4,2,3]\nDiagonal shape: [3,2]\nExpected diagonal shape: [4,2]"),
    ("unique-rank", lambda x: tf.unique(x)[0], np.ones((2, 2)), "unique expects a 1D vector."),
    ("roll-sizes", lambda x: tf.roll(x, tf.placeholder_with_default([1, 1], [None]), [0]),
     np.ones(3), "shift and axis must have the same size"),
    ("unsorted-segment-max-ids", lambda x: tf.math.unsorted_segment_max(
        x, tf.placeholder_with_default([0, 1], [None]), 2), np.ones((3, 2)),
     "data.shape = [3,2] does not start with segment_ids.shape = [2]"),
    ("bitcast-sizes", lambda x: tf.bitcast(x, tf.float64), np.ones(3),
     "Cannot bitcast from 1 to 2"),
    ("bincount-weights", lambda x: tf.math.bincount([0, 1], weights=x), np.ones(3),
     "`weights` must be the same shape as `arr` or a length-0 `Tensor`, in which case it acts "
     "as all weights equal to 1. Received [3]"),
    ("relu-grad-shapes", lambda x: tf.raw_ops.ReluGrad(gradients=tf.ones([2]), features=x),
     np.ones(3), "Inputs to operation ReluGrad of type ReluGrad must have the same size and "
     "shape.  Input 0: [2] != input 1: [3]"),
    ("batch-to-space", lambda x: tf.batch_to_space_nd(x, [2, 2], [[0, 0], [0, 0]]),
     np.ones((3, 2, 2, 1)),
     "Input batch dimension (3) is not divisible by product of block sizes (4)"),
]
# fmt: on


@pytest.mark.parametrize(
    ("build", "value", "message"), [c[1:] for c in FED], ids=[c[0] for c in FED]
)
def test_fed_inputs_fail_at_run_as_tf(run, build, value, message):
    x = tf.placeholder(tf.float32)
    out = build(x)
    with pytest.raises(tf.errors.InvalidArgumentError, match=re.escape(message)):
        run(out, {x: value})


# fmt: off
BUILD_TIME = [
    # (id, build, TF 2.21's ValueError text, up to its node description)
    ("transpose-perm-out-of-range", lambda: tf.transpose(tf.ones([2, 3]), [0, -3]),
     "perm dim -3 is out of range of input rank 2 for '{{node transpose}}"),
    ("slice-size-left", lambda: tf.slice(tf.ones([2, 3]), [3, 0], [-1, 3]),
     "Negative dimension size caused by subtracting 3 from 2 for '{{node Slice}}"),
    ("slice-size", lambda: tf.slice(tf.ones([2, 3]), [0, 0], [-2, 3]),
     "Invalid value in tensor used for shape: -2"),
    ("slice-rank", lambda: tf.slice(tf.ones([2, 3]), [0], [1]),
     "Shape must be rank 1 but is rank 2 for '{{node Slice}}"),
    ("scatter-nd-leading", lambda: tf.scatter_nd([[0], [1]], tf.ones([3]), [4]),
     "Dimensions [0,1) of indices[shape=[2,1]] = [2] must match dimensions [0,1) of "
     "updates[shape=[3]] = [3]: Dimension 0 in both shapes must be equal, but are 2 and 3. "
     "Shapes are [2] and [3]. for '{{node ScatterNd}}"),
    ("tensor-scatter-trailing", lambda: tf.tensor_scatter_nd_add(tf.ones([4, 3]), [[0], [1]],
                                                                 tf.ones([2, 2])),
     "Dimensions [1,2) of input[shape=[4,3]] = [3] must match dimensions [1,2) of "
     "updates[shape=[2,2]] = [2]: Dimension 0 in both shapes must be equal, but are 3 and 2. "
     "Shapes are [3] and [2]. for '{{node TensorScatterAdd}}"),
    ("stack-shapes", lambda: tf.stack([tf.ones([2, 3]), tf.ones([2, 3]), tf.ones([2, 4])]),
     "Dimension 1 in both shapes must be equal, but are 3 and 4. Shapes are [2,3] and [2,4].\n"
     "\tFrom merging shape 1 with other shapes. for '{{node stack}}"),
    ("add-n-ranks", lambda: tf.add_n([tf.ones([2, 3]), tf.ones([3])]),
     "Shapes must be equal rank, but are 2 and 1\n\tFrom merging shape 0 with other shapes. "
     "for '{{node AddN}}"),
    ("range-delta", lambda: tf.range(0.0, 5.0, 0.0), "Requires delta != 0 for '{{node range}}"),
    ("range-vector", lambda: tf.range(tf.ones([2], tf.int32), 5),
     "Shape must be rank 0 but is rank 1\n\t for 'start' for '{{node range}}"),
    ("zeros-unknown-dimension", lambda: tf.zeros([-1, 2]),
     "Fill dimensions must be >= 0 for '{{node zeros}}"),
    ("ones-negative", lambda: tf.ones([2, -3]), "Invalid value in tensor used for shape: -3"),
    ("matmul-rank", lambda: tf.matmul(tf.ones([3]), tf.ones([3, 2])),
     "Shape must be rank 2 but is rank 1 for '{{node MatMul}}"),
    ("batch-matmul-rank", lambda: tf.linalg.matmul(tf.ones([3]), tf.ones([2, 3, 2])),
     "Shape must be at least rank 2 but is rank 1 for '{{node MatMul}}"),
    ("unsorted-segment-ids", lambda: tf.math.unsorted_segment_sum(tf.ones([3, 2]), [0, 0], 2),
     "Dimensions must be equal, but are 3 and 2 for '{{node UnsortedSegmentSum}}"),
    ("unsorted-segment-rank", lambda: tf.math.unsorted_segment_max(tf.ones([3]), [[0, 0, 0]], 2),
     "Shape must be at least rank 2 but is rank 1 for '{{node UnsortedSegmentMax}}"),
    ("gather-axis", lambda: tf.gather(tf.ones([2, 3]), [0], axis=-3),
     "Shape must be at least rank 3 but is rank 2 for '{{node GatherV2}}"),
    ("concat-axis", lambda: tf.concat([tf.ones([2, 3]), tf.ones([2, 3])], 2),
     "Shape must be at least rank 3 but is rank 2 for '{{node concat}}"),
    ("split-axis", lambda: tf.split(tf.ones([4, 3]), 2, axis=-3),
     "Dimension size, given by scalar input -3 must be in range [-2, 2) for '{{node split}}"),
    ("split-v-axis", lambda: tf.split(tf.ones([4, 3]), [2, 2], axis=2),
     "Dimension size, given by scalar input 2 must be in range [-2, 2) for '{{node split}}"),
    ("tile-multiples", lambda: tf.tile(tf.ones([2, 3]), [2]),
     "Shape must be rank 2 but is rank 1 for '{{node Tile}}"),
    ("pad-negative", lambda: tf.pad(tf.ones([2, 3]), [[-1, 2], [0, 0]], "REFLECT"),
     "Paddings must be non-negative for '{{node MirrorPad}}"),
    ("pad-rank", lambda: tf.pad(tf.ones([2, 3]), [[1, 1]], "REFLECT"),
     "Shape must be rank 1 but is rank 2 for '{{node MirrorPad}}"),
    ("reverse-axis", lambda: tf.reverse(tf.ones([2, 3, 4]), [-4]),
     "'axis'[0] = -4 is out of valid range [0, 2 for '{{node ReverseV2}}"),
    ("split-count", lambda: tf.split(tf.ones([4]), -1),
     "Attr 'num_split' of 'Split' Op passed -1 less than minimum 1."),
    ("conv2d-rank", lambda: tf.nn.conv2d(tf.ones([4, 4, 3]), tf.ones([2, 2, 3, 5]), 1, "SAME"),
     "Shape must be rank 4 but is rank 3 for '{{node Conv2D}} = Conv2D(ones, ones_1)' with "
     "input shapes: [4,4,3], [2,2,3,5]."),
    ("bias-add-rank", lambda: tf.nn.bias_add(tf.ones([2, 3]), tf.ones([1, 3])),
     "Shape must be rank 1 but is rank 2 for '{{node BiasAdd}}"),
    ("fused-batch-norm-rank", lambda: tf.nn.fused_batch_norm(tf.ones([2, 3]), tf.ones([3]),
                                                             tf.ones([3])),
     "Shape must be rank 4 but is rank 2 for '{{node FusedBatchNormV3}}"),
    ("cond-pred-rank", lambda: tf.cond(tf.placeholder(tf.bool, [2]), lambda: tf.ones([]),
                                       lambda: tf.zeros([])),
     "Shape must be rank 0 but is rank 1 for '{{node cond/Switch}}"),
    ("xent-rank", lambda: tf.raw_ops.SoftmaxCrossEntropyWithLogits(
        features=tf.ones([2, 3, 1]), labels=tf.ones([2, 3, 1])),
     "Shape must be broadcasted with rank 2, but is rank 3 for "
     "'{{node SoftmaxCrossEntropyWithLogits}}"),
    ("one-hot-depth", lambda: tf.one_hot([0, 1], -1),
     "Dimension size, given by scalar input 1, must be non-negative but is -1 for '{{node "),
]
# fmt: on


@pytest.mark.parametrize(
    ("build", "message"), [c[1:] for c in BUILD_TIME], ids=[c[0] for c in BUILD_TIME]
)
def test_fails_at_build_as_tf(graph, build, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        build()


_X = [1, 4, 4, 3]


def _x():
    return tf.ones(_X)


def _attr_text(op_type: str, attr: str, value: str, allowed: str) -> str:
    return f"Attr '{attr}' of '{op_type}' Op passed string '{value}' not in: {allowed}."


_WITH_EXPLICIT = '"SAME", "VALID", "EXPLICIT"'
_PLAIN = '"SAME", "VALID"'

# fmt: off
OP_DEFINITIONS = [
    # (id, build, TF 2.21's ValueError: the op definition's allowed strings, upper case only)
    ("conv2d", lambda: tf.nn.conv2d(_x(), tf.ones([2, 2, 3, 5]), 1, "same"),
     _attr_text("Conv2D", "padding", "same", _WITH_EXPLICIT)),
    ("conv1d", lambda: tf.nn.conv1d(tf.ones([1, 4, 3]), tf.ones([2, 3, 5]), 1, "same"),
     _attr_text("Conv2D", "padding", "same", _WITH_EXPLICIT)),
    ("convolution", lambda: tf.nn.convolution(_x(), tf.ones([2, 2, 3, 5]), "FULL"),
     _attr_text("Conv2D", "padding", "FULL", _WITH_EXPLICIT)),
    ("max_pool", lambda: tf.nn.max_pool(_x(), 2, 2, "same"),
     _attr_text("MaxPool", "padding", "same", _WITH_EXPLICIT)),
    ("avg_pool", lambda: tf.nn.avg_pool(_x(), 2, 2, "same"),
     _attr_text("AvgPool", "padding", "same", _PLAIN)),
    ("pool", lambda: tf.nn.pool(_x(), [2, 2], "AVG", "same"),
     _attr_text("AvgPool", "padding", "same", _PLAIN)),
    ("max_pool1d", lambda: tf.nn.max_pool1d(tf.ones([1, 4, 3]), 2, 2, "same"),
     _attr_text("MaxPool", "padding", "same", _WITH_EXPLICIT)),
    ("depthwise", lambda: tf.nn.depthwise_conv2d(_x(), tf.ones([2, 2, 3, 1]), [1] * 4, "same"),
     _attr_text("DepthwiseConv2dNative", "padding", "same", _WITH_EXPLICIT)),
    ("separable", lambda: tf.nn.separable_conv2d(_x(), tf.ones([2, 2, 3, 1]),
                                                 tf.ones([1, 1, 3, 4]), [1] * 4, "same"),
     _attr_text("DepthwiseConv2dNative", "padding", "same", _WITH_EXPLICIT)),
    ("conv2d_transpose", lambda: tf.nn.conv2d_transpose(_x(), tf.ones([2, 2, 5, 3]), [1, 4, 4, 5],
                                                        [1] * 4, "same"),
     _attr_text("Conv2DBackpropInput", "padding", "same", _WITH_EXPLICIT)),
    ("conv2d_backprop_filter", lambda: tf.nn.conv2d_backprop_filter(
        _x(), [2, 2, 3, 5], tf.ones([1, 4, 4, 5]), [1] * 4, "same"),
     _attr_text("Conv2DBackpropFilter", "padding", "same", _WITH_EXPLICIT)),
    ("conv3d", lambda: tf.nn.conv3d(tf.ones([1, 4, 4, 4, 3]), tf.ones([2, 2, 2, 3, 5]),
                                    [1] * 5, "same"),
     _attr_text("Conv3D", "padding", "same", _PLAIN)),
    ("conv3d_transpose", lambda: tf.nn.conv3d_transpose(
        tf.ones([1, 4, 4, 4, 3]), tf.ones([2, 2, 2, 5, 3]), [1, 4, 4, 4, 5], [1] * 5, "same"),
     _attr_text("Conv3DBackpropInputV2", "padding", "same", _PLAIN)),
    ("avg_pool3d", lambda: tf.nn.avg_pool3d(tf.ones([1, 4, 4, 4, 3]), [1, 2, 2, 2, 1],
                                            [1, 2, 2, 2, 1], "same"),
     _attr_text("AvgPool3D", "padding", "same", _PLAIN)),
    ("dilation2d", lambda: tf.nn.dilation2d(_x(), tf.ones([2, 2, 3]), [1] * 4, [1] * 4, "same"),
     _attr_text("Dilation2D", "padding", "same", _PLAIN)),
    ("extract_patches", lambda: tf.image.extract_patches(_x(), [1, 2, 2, 1], [1] * 4, [1] * 4,
                                                         "same"),
     _attr_text("ExtractImagePatches", "padding", "same", _PLAIN)),
    ("conv2d-data-format", lambda: tf.nn.conv2d(_x(), tf.ones([2, 2, 3, 5]), 1, "SAME",
                                                data_format="NWHC"),
     _attr_text("Conv2D", "data_format", "NWHC", '"NHWC", "NCHW"')),
    ("max_pool-data-format", lambda: tf.nn.max_pool(_x(), 2, 2, "SAME", data_format="NWHC"),
     _attr_text("MaxPool", "data_format", "NWHC", '"NHWC", "NCHW", "NCHW_VECT_C"')),
    ("conv2d-explicit-string", lambda: tf.nn.conv2d(_x(), tf.ones([2, 2, 3, 5]), 1, "EXPLICIT"),
     "'EXPLICIT' is not a valid value for `padding`. To use explicit padding, `padding` must be "
     "a list."),
    ("conv2d-strides", lambda: tf.nn.conv2d(_x(), tf.ones([2, 2, 3, 5]), [1, 1, 1], "SAME"),
     "strides should be of length 1, 2 or 4. Received: strides=[1, 1, 1] of length 3"),
]
# fmt: on


@pytest.mark.parametrize(
    ("build", "message"), [c[1:] for c in OP_DEFINITIONS], ids=[c[0] for c in OP_DEFINITIONS]
)
def test_attrs_outside_the_op_definition_as_tf(graph, build, message):
    with pytest.raises(ValueError, match="^" + re.escape(message)):
        build()


def test_avg_pool_takes_no_explicit_pads_as_tf(graph):
    with pytest.raises(
        TypeError,
        match=re.escape(
            "Expected string for argument 'padding' not [[0, 0], [1, 1], [1, 1], [0, 0]]."
        ),
    ):
        tf.nn.avg_pool(_x(), 2, 1, [[0, 0], [1, 1], [1, 1], [0, 0]])


def test_layers_take_lower_case_padding_as_tf(graph):
    x = _x()
    assert tf.layers.max_pooling2d(x, 2, 2, padding="same").op.get_attr("padding") == b"SAME"
    assert tf.layers.conv2d(x, 4, 2, padding="same").shape.as_list() == [1, 4, 4, 4]


def test_variable_scatter_nd_words_as_tf(run):
    v = tf.Variable(tf.ones([4, 3]))
    updates = tf.placeholder(tf.float32)
    assign = tf.scatter_nd_update(v, [[0], [1]], updates)
    run(v.initializer)
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=re.escape(
            "Dimensions [0,1) of indices[shape=[2,1]] = 2 must match dimensions [0,1) of "
            "updates[shape=[3,3,1]] = 3"
        ),
    ):
        run(assign, {updates: np.ones((3, 3, 1))})
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=re.escape(
            "Dimensions [1,2) of input[shape=[4,3]] must match dimensions [1,2) of "
            "updates[shape=[2,2]]"
        ),
    ):
        run(assign, {updates: np.ones((2, 2))})


def test_scatter_nd_too_deep_builds_as_tf(graph):
    assert tf.scatter_nd([[0, 0], [1, 1]], tf.ones([2]), [4]).shape.as_list() == [4]


def test_color_conversions_refuse_channels_as_tf(run):
    x = tf.placeholder(tf.float32)
    for convert, channels in ((tf.image.rgb_to_hsv, 4), (tf.image.hsv_to_rgb, 2)):
        with pytest.raises(
            tf.errors.FailedPreconditionError,
            match=re.escape(f"input must have 3 channels but input only has {channels} channels."),
        ):
            run(convert(x), {x: np.ones((4, 4, channels))})


def _sparse(x):
    return tf.SparseTensor(tf.constant([[0, 0]], tf.int64), x, [3, 2])


# fmt: off
DATA_AND_SPARSE = [
    # (id, build, TF 2.21's run-time message)
    ("batch-size", lambda: tf.data.Dataset.range(3).batch(0),
     "Batch size must be greater than zero."),
    ("shuffle-buffer", lambda: tf.data.Dataset.range(3).shuffle(0),
     "buffer_size must be greater than zero or UNKNOWN_CARDINALITY"),
    ("batch-shapes", lambda: tf.data.Dataset.range(3).map(lambda v: tf.fill([v], v)).batch(2),
     "Cannot add tensor to the batch: number of elements does not match. Shapes are: "
     "[tensor]: [1], [batch]: [0]"),
]
# fmt: on


@pytest.mark.parametrize(
    ("build", "message"), [c[1:] for c in DATA_AND_SPARSE], ids=[c[0] for c in DATA_AND_SPARSE]
)
def test_datasets_fail_at_run_as_tf(run, build, message):
    get_next = tf.data.make_one_shot_iterator(build()).get_next()
    with pytest.raises(tf.errors.InvalidArgumentError, match=re.escape(message)):
        run(get_next)


def test_sparse_kernels_word_errors_as_tf(run):
    x = tf.placeholder(tf.float32)
    for start, size, message in (
        ([0], [1, 1], "Expected start to be a vector of length 2 but got length 1"),
        ([0, 0], [1], "Expected size to be a vector of length 2 but got length 1"),
    ):
        with pytest.raises(tf.errors.InvalidArgumentError, match=re.escape(message)):
            run(tf.sparse.slice(_sparse(x), start, size).values, {x: [1.0]})
    vector = tf.SparseTensor(tf.constant([[0]], tf.int64), x, [3])
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=re.escape("Input should have rank >= 2, but received shape: 3"),
    ):
        run(tf.sparse.softmax(vector).values, {x: [1.0]})


_IMAGES = np.ones((2, 4, 4, 3), np.float32)

# fmt: off
WINDOWS_OVER_THE_BATCH = [
    # (id, build from the images, TF 2.21's static shape, error and message when run)
    ("conv2d-batch-stride", lambda x: tf.nn.conv2d(x, tf.ones([2, 2, 3, 5]), [2, 1, 1, 1], "SAME"),
     [2, 4, 4, 5], tf.errors.UnimplementedError,
     "Current implementation does not yet support strides in the batch and depth dimensions."),
    ("conv2d-depth-stride", lambda x: tf.nn.conv2d(x, tf.ones([2, 2, 3, 5]), [1, 2, 2, 2],
                                                   "VALID"),
     [2, 2, 2, 5], tf.errors.UnimplementedError,
     "Current implementation does not yet support strides in the batch and depth dimensions."),
    ("conv2d-batch-dilation", lambda x: tf.nn.conv2d(x, tf.ones([2, 2, 3, 5]), 1, "SAME",
                                                     dilations=[2, 1, 1, 1]),
     [2, 4, 4, 5], tf.errors.InvalidArgumentError,
     "Current implementation does not yet support dilations in the batch and depth dimensions."),
    ("depthwise-batch-stride", lambda x: tf.nn.depthwise_conv2d(x, tf.ones([2, 2, 3, 1]),
                                                                [2, 1, 1, 1], "SAME"),
     [2, 4, 4, 3], tf.errors.UnimplementedError,
     "Current implementation does not yet support strides in the batch and depth dimensions."),
    ("max-pool-batch-window", lambda x: tf.nn.max_pool(x, [2, 2, 2, 1], 1, "SAME"),
     [2, 4, 4, 3], tf.errors.UnimplementedError,
     "Pooling is not yet supported on the batch dimension."),
    ("avg-pool-batch-stride", lambda x: tf.nn.avg_pool(x, [1, 2, 2, 1], [2, 1, 1, 1], "VALID"),
     [2, 3, 3, 3], tf.errors.UnimplementedError,
     "Pooling is not yet supported on the batch dimension."),
]
# fmt: on


@pytest.mark.parametrize(
    ("build", "shape", "error", "message"),
    [c[1:] for c in WINDOWS_OVER_THE_BATCH],
    ids=[c[0] for c in WINDOWS_OVER_THE_BATCH],
)
def test_windows_over_the_batch_build_and_fail_at_run_as_tf(run, build, shape, error, message):
    out = build(tf.constant(_IMAGES))
    assert out.shape.as_list() == shape
    with pytest.raises(error, match=re.escape(message)):
        run(out)
