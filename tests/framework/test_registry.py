"""Tests for scopeflow/framework/registry.py: lookups, duplicate registration, and that every
registered op type is built by some public function (or, for the state ops that
``tf.Variable`` makes, by ``Graph.create_op``): a new op type needs a line in BUILDERS.
"""

from __future__ import annotations

import pytest

import scopeflow as tf
from scopeflow.framework import registry
from scopeflow.ops.state.resource_training import TWINS
from scopeflow.ops.state.training import SIGNATURES
from scopeflow.ops.state.training_keras import RESOURCE_ONLY
from scopeflow.session.plan import variable_of

# One expression per registered op type; each must add an op of that type. The names are
# placeholders: a float [2, 3], b float [3, 4], m float [5, 3, 3], i int32 [2, 3], p bool [2],
# u float [None, 3], x float NHWC [1, 5, 5, 2], w HWIO [3, 3, 2, 4], v a VariableV2, s a
# SparseTensor [2, 3] of two of a's values.
# A summary writer's handle, a step and a tag: the first inputs of the summary-write ops.
_SUMMARY_WRITE = (
    "[tf.contrib.summary.create_file_writer('l')._resource, tf.constant(1, tf.int64), "
    "tf.constant('t')]"
)
_TABLE = "tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(['a'], [1]), -1)"
_MUTABLE_TABLE = "tf.lookup.experimental.MutableHashTable(tf.string, tf.int64"
_DENSE_TABLE = "tf.lookup.experimental.DenseHashTable(tf.int64, tf.int64, -1, 0, -1)"
_TPU_REWRITE = "tf.tpu.rewrite(lambda x: x * 2.0, [a]) and g.get_operation_by_name('"
# tf.contrib.rnn's fused cells over a: 2 examples of 1 input, a cell of 1 unit.
_LSTM_CELL = (
    "tf.raw_ops.LSTMBlockCell(x=a[:, :1], cs_prev=a[:, :1], h_prev=a[:, :1], w=b[:2], "
    "wci=a[0, :1], wcf=a[0, :1], wco=a[0, :1], b=b[0])"
)
_BLOCK_LSTM = (
    "tf.raw_ops.{op}(seq_len_max=tf.constant(1, tf.int64), x=a[None, :, :1], "
    "cs_prev=a[:, :1], h_prev=a[:, :1], w=b[:2], wci=a[0, :1], wcf=a[0, :1], wco=a[0, :1], "
    "b=b[0])"
)
_GRU_CELL = (
    "tf.raw_ops.GRUBlockCell(x=a[:, :1], h_prev=a[:, :1], w_ru=b[:2, :2], w_c=b[:2, :1], "
    "b_ru=a[0, :2], b_c=a[0, :1])"
)
BUILDERS = {
    "Abs": "tf.abs(a)",
    "Acos": "tf.acos(a)",
    "Acosh": "tf.acosh(a)",
    "AdjustContrastv2": "tf.image.adjust_contrast(x, 0.5)",
    "AllCandidateSampler": "tf.nn.all_candidate_sampler(tf.cast(i, tf.int64), 3, 2, True)[0]",
    "ApplyAdadelta": "g.create_op('ApplyAdadelta', [v, v, v, a[0, 0], a[0, 0], a[0, 0], a])",
    "ApplyAdagrad": "g.create_op('ApplyAdagrad', [v, v, a[0, 0], a])",
    "ApplyAdagradDA": (
        "g.create_op('ApplyAdagradDA', [v, v, v, a] + [a[0, 0]] * 3 + [tf.constant(1, tf.int64)])"
    ),
    "ApplyAdam": "g.create_op('ApplyAdam', [v, v, v] + [a[0, 0]] * 6 + [a])",
    "ApplyAdagradV2": "g.create_op('ApplyAdagradV2', [v, v, a[0, 0], a[0, 0], a])",
    "ApplyAdaMax": "g.create_op('ApplyAdaMax', [v, v, v] + [a[0, 0]] * 5 + [a])",
    "ApplyCenteredRMSProp": "g.create_op('ApplyCenteredRMSProp', [v] * 4 + [a[0, 0]] * 4 + [a])",
    "ApplyFtrl": "g.create_op('ApplyFtrl', [v, v, v, a] + [a[0, 0]] * 4)",
    "ApplyFtrlV2": "g.create_op('ApplyFtrlV2', [v, v, v, a] + [a[0, 0]] * 5)",
    "ApplyGradientDescent": "g.create_op('ApplyGradientDescent', [v, a[0, 0], a])",
    "ApplyMomentum": "g.create_op('ApplyMomentum', [v, v, a[0, 0], a, a[0, 0]])",
    "ApplyProximalAdagrad": "g.create_op('ApplyProximalAdagrad', [v, v] + [a[0, 0]] * 3 + [a])",
    "ApplyProximalGradientDescent": (
        "g.create_op('ApplyProximalGradientDescent', [v] + [a[0, 0]] * 3 + [a])"
    ),
    "ApplyRMSProp": "g.create_op('ApplyRMSProp', [v, v, v] + [a[0, 0]] * 4 + [a])",
    "AddN": "tf.add_n([a, a])",
    "AddV2": "a + a",
    "AsString": "tf.as_string(a)",
    "Asin": "tf.asin(a)",
    "Asinh": "tf.asinh(a)",
    "Assign": "g.create_op('Assign', [v, a], {'validate_shape': True})",
    "AssignAdd": "g.create_op('AssignAdd', [v, a], {})",
    "AssignSub": "g.create_op('AssignSub', [v, a], {})",
    "Atan": "tf.atan(a)",
    "Atan2": "tf.atan2(a, a)",
    "Atanh": "tf.atanh(a)",
    "AudioSummaryV2": "tf.summary.audio('snd', a, 8000)",
    "AvgPool": "tf.nn.avg_pool(x, 2, 2, 'SAME')",
    "AvgPool3D": "tf.nn.avg_pool3d(x[None], 2, 2, 'SAME')",
    "AvgPool3DGrad": "tf.gradients(tf.nn.avg_pool3d(x[None], 2, 2, 'SAME'), x)[0]",
    "BesselJ0": "tf.math.special.bessel_j0(a)",
    "BesselJ1": "tf.math.special.bessel_j1(a)",
    "BesselK0": "tf.math.special.bessel_k0(a)",
    "BesselK0e": "tf.math.special.bessel_k0e(a)",
    "BesselK1": "tf.math.special.bessel_k1(a)",
    "BesselK1e": "tf.math.special.bessel_k1e(a)",
    "BesselY0": "tf.math.special.bessel_y0(a)",
    "BesselY1": "tf.math.special.bessel_y1(a)",
    "CTCBeamSearchDecoder": "tf.nn.ctc_beam_search_decoder(m, [5, 5, 5])[1]",
    "CTCGreedyDecoder": "tf.nn.ctc_greedy_decoder(m, [5, 5, 5])[1]",
    "CTCLoss": "tf.nn.ctc_loss(tf.SparseTensor([[0, 0]], [1], [3, 1]), m, [5, 5, 5])",
    "Cosh": "tf.cosh(a)",
    "CumulativeLogsumexp": "tf.math.cumulative_logsumexp(a)",
    "Dawsn": "tf.math.special.dawsn(a)",
    "EditDistance": "tf.edit_distance(s, s)",
    "EuclideanNorm": "tf.math.reduce_euclidean_norm(a)",
    "Expint": "tf.math.special.expint(a)",
    "Expm1": "tf.expm1(a)",
    "FresnelCos": "tf.math.special.fresnel_cos(a)",
    "FresnelSin": "tf.math.special.fresnel_sin(a)",
    "MaxPool3D": "tf.nn.max_pool3d(x[None], 2, 2, 'SAME')",
    "MaxPool3DGrad": "tf.gradients(tf.nn.max_pool3d(x[None], 2, 2, 'SAME'), x)[0]",
    "MaxPool3DGradGrad": (
        "tf.gradients(tf.gradients(tf.nn.max_pool3d(x[None], 2, 2, 'SAME'), x)[0], x, x)[0]"
    ),
    "BatchMatMulV2": "tf.matmul(m, m)",
    "BatchToSpaceND": "tf.batch_to_space_nd(x, [1, 1], [[0, 0], [0, 0]])",
    "BiasAdd": "tf.nn.bias_add(a, [1.0, 2.0, 3.0])",
    "BitwiseAnd": "i & i",
    "BitwiseOr": "i | i",
    "BitwiseXor": "i ^ i",
    "BroadcastArgs": "tf.broadcast_dynamic_shape(tf.shape(a), [1, 3])",
    "BroadcastTo": "tf.broadcast_to(a[0], [2, 3])",
    "Cast": "tf.cast(a, tf.int32)",
    "Ceil": "tf.ceil(a)",
    "Cholesky": "tf.cholesky(m)",
    "ConcatV2": "tf.concat([a, a], 0)",
    "Cross": "tf.cross(a, a)",
    "ConcatOffset": (
        "g.create_op('ConcatOffset', [tf.constant(1), tf.shape(a), tf.shape(a)], {'N': 2})"
    ),
    "Const": "tf.constant(1.0)",
    "ComputeAccidentalHits": (
        "tf.nn.compute_accidental_hits(tf.cast(i, tf.int64), tf.constant([1, 2], tf.int64), 3)[0]"
    ),
    "Conv2D": "tf.nn.conv2d(x, w, 1, 'SAME')",
    "Conv2DBackpropInput": (
        "tf.nn.conv2d_transpose(tf.nn.conv2d(x, w, 1, 'SAME'), w, [1, 5, 5, 2], 1)"
    ),
    "Conv2DBackpropFilterV2": (
        "tf.conv2d_backprop_filter_v2(x, w, tf.zeros([1, 3, 3, 4]), 1, 'VALID')"
    ),
    "Conv2DBackpropInputV2": (
        "tf.conv2d_backprop_input_v2(x, w, tf.zeros([1, 3, 3, 4]), 1, 'VALID')"
    ),
    "Conv3D": "tf.nn.conv3d(x[None], w[None], [1] * 5, 'SAME')",
    "Conv3DBackpropFilterV2": (
        "tf.nn.conv3d_backprop_filter_v2(x[None], [1, 3, 3, 2, 4], "
        "tf.nn.conv3d(x[None], w[None], [1] * 5, 'SAME'), [1] * 5, 'SAME')"
    ),
    "Conv3DBackpropInputV2": (
        "tf.nn.conv3d_transpose(tf.nn.conv3d(x[None], w[None], [1] * 5, 'SAME'), w[None], "
        "[1, 1, 5, 5, 2], [1] * 5)"
    ),
    "Cos": "tf.cos(a)",
    "DenseBincount": "tf.bincount(i)",
    "DecodeBase64": "tf.decode_base64(['YQ'])",
    "DecodeCSV": "tf.decode_csv(['1,2'], [[0], [0.5]])[0]",
    "DecodeRaw": "tf.decode_raw(['abcd'], tf.int16)",
    "DeserializeSparse": (
        "tf.data.Dataset.range(1).map(lambda i: s).make_initializable_iterator().get_next().values"
    ),
    "DepthwiseConv2dNative": "tf.nn.depthwise_conv2d(x, w, [1, 1, 1, 1], 'SAME')",
    "Diag": "tf.diag(a)",
    "DiagPart": "tf.diag_part(m[0])",
    "Einsum": "tf.einsum('ij,jk->ik', a, b)",
    "Elu": "tf.nn.elu(a)",
    "EncodeBase64": "tf.encode_base64(['a'])",
    "Equal": "tf.equal(a, a)",
    "Exp": "tf.exp(a)",
    "ExpandDims": "tf.expand_dims(a, 0)",
    "ExtractImagePatches": (
        "tf.extract_image_patches(x, [1, 2, 2, 1], [1, 1, 1, 1], [1, 1, 1, 1], 'SAME')"
    ),
    "FakeQuantWithMinMaxArgs": "tf.quantization.fake_quant_with_min_max_args(a)",
    "FakeQuantWithMinMaxArgsGradient": "tf.fake_quant_with_min_max_args_gradient(a, a)",
    "FakeQuantWithMinMaxVars": "tf.fake_quant_with_min_max_vars(a, -1.0, 1.0)",
    "FakeQuantWithMinMaxVarsGradient": "tf.fake_quant_with_min_max_vars_gradient(a, a, 0., 1.)[0]",
    "FakeQuantWithMinMaxVarsPerChannel": (
        "tf.fake_quant_with_min_max_vars_per_channel(a, a[0], a[1])"
    ),
    "FakeQuantWithMinMaxVarsPerChannelGradient": (
        "tf.fake_quant_with_min_max_vars_per_channel_gradient(a, a, a[0], a[1])[0]"
    ),
    "ApproxTopK": "tf.nn.approx_max_k(a, 2)[0]",
    "Fill": "tf.fill([2, 3], 1.0)",
    "Fingerprint": "tf.fingerprint(a)",
    "FixedUnigramCandidateSampler": (
        "tf.nn.fixed_unigram_candidate_sampler(tf.cast(i, tf.int64), 3, 2, True, 4, "
        "unigrams=[1.0] * 4)[0]"
    ),
    "Floor": "tf.floor(a)",
    "FractionalAvgPool": "tf.nn.fractional_avg_pool(x, [1.0, 1.5, 1.5, 1.0])[0]",
    "FractionalAvgPoolGrad": (
        "tf.gradients(tf.nn.fractional_avg_pool(x, [1.0, 1.5, 1.5, 1.0])[0], x)[0]"
    ),
    "FractionalMaxPool": "tf.nn.fractional_max_pool(x, [1.0, 1.5, 1.5, 1.0])[0]",
    "FractionalMaxPoolGrad": (
        "tf.gradients(tf.nn.fractional_max_pool(x, [1.0, 1.5, 1.5, 1.0])[0], x)[0]"
    ),
    "FusedBatchNormV3": "tf.nn.fused_batch_norm(x, [1.0, 1.0], [0.0, 0.0])[0]",
    "FusedBatchNormGradV3": (
        "tf.gradients(tf.nn.fused_batch_norm(x, [1.0, 1.0], [0.0, 0.0])[0], x)[0]"
    ),
    "FloorDiv": "a // a",
    "FloorMod": "a % a",
    "GatherNd": "tf.gather_nd(a, [[0, 1]])",
    "GatherV2": "tf.gather(a, [1, 0])",
    "GetSessionHandle": "tf.get_session_handle(a)",
    "GetSessionTensor": "tf.get_session_tensor('h;0;/device:CPU:0', tf.float32)[1]",
    "DeleteSessionTensor": "tf.delete_session_tensor('h;0;/device:CPU:0')[1]",
    "Greater": "a > a",
    "GreaterEqual": "a >= a",
    "HistogramSummary": "tf.summary.histogram('h', a)",
    "Identity": "tf.identity(a)",
    "ImageSummary": "tf.summary.image('img', x[..., :1])",
    "InTopKV2": "tf.nn.in_top_k(a, [0, 2], 1)",
    "Invert": "~i",
    "InvertPermutation": "tf.invert_permutation([1, 0])",
    "IsVariableInitialized": "g.create_op('IsVariableInitialized', [v], {'dtype': tf.float32})",
    "L2Loss": "tf.nn.l2_loss(a)",
    "LRN": "tf.nn.lrn(x)",
    "LRNGrad": "tf.gradients(tf.nn.lrn(x), x)[0]",
    "LeakyRelu": "tf.nn.leaky_relu(a)",
    "Less": "a < a",
    "LessEqual": "a <= a",
    "Log": "tf.log(a)",
    "Log1p": "tf.log1p(a)",
    "LogUniformCandidateSampler": (
        "tf.nn.log_uniform_candidate_sampler(tf.cast(i, tf.int64), 3, 2, True, 9)[0]"
    ),
    "LogMatrixDeterminant": "tf.linalg.slogdet(m)[1]",
    "LogSoftmax": "tf.nn.log_softmax(a)",
    "LogicalAnd": "p & p",
    "LogicalNot": "~p",
    "LogicalOr": "p | p",
    "MatMul": "a @ b",
    "MatrixBandPart": "tf.linalg.band_part(m, -1, 0)",
    "MatrixDeterminant": "tf.matrix_determinant(m)",
    "MatrixDiag": "tf.linalg.diag(a)",
    "MatrixDiagPart": "tf.linalg.diag_part(m)",
    "MatrixInverse": "tf.matrix_inverse(m)",
    "MatrixLogarithm": "tf.linalg.logm(tf.cast(m, tf.complex64))",
    "MatrixSquareRoot": "tf.linalg.sqrtm(m)",
    "Lu": "tf.linalg.lu(m)[0]",
    "SobolSample": "tf.math.sobol_sample(2, 3)",
    "MulNoNan": "tf.math.multiply_no_nan(a, a)",
    "NextAfter": "tf.math.nextafter(a, a)",
    "RaggedCross": "tf.ragged.cross([tf.ragged.constant([['a']]), [['b']]]).flat_values",
    "RaggedGather": "tf.ragged.range([2, 1])[::2].flat_values",
    "RaggedRange": "tf.ragged.range([2, 1]).flat_values",
    "RaggedTensorToSparse": "tf.ragged.range([2, 1]).to_sparse().values",
    "RaggedTensorToTensor": "tf.ragged.range([2, 1]).to_tensor()",
    "Spence": "tf.math.special.spence(a)",
    "StringNGrams": "tf.strings.ngrams(tf.ragged.constant([['a', 'b']]), 2).flat_values",
    "TridiagonalSolve": "tf.linalg.tridiagonal_solve(m, m)",
    "TridiagonalMatMul": "tf.linalg.tridiagonal_matmul(m, m)",
    "Dilation2D": "tf.nn.dilation2d(x, x[0, :2, :2], [1] * 4, [1] * 4, 'SAME')",
    "Dilation2DBackpropInput": (
        "g.create_op('Dilation2DBackpropInput', [x, x[0, :2, :2], x], "
        "attrs={'strides': [1] * 4, 'rates': [1] * 4, 'padding': 'SAME'})"
    ),
    "Dilation2DBackpropFilter": (
        "g.create_op('Dilation2DBackpropFilter', [x, x[0, :2, :2], x], "
        "attrs={'strides': [1] * 4, 'rates': [1] * 4, 'padding': 'SAME'})"
    ),
    "MatrixSetDiag": "tf.linalg.set_diag(m, m[:, 0])",
    "MatrixSolve": "tf.matrix_solve(m, m)",
    "MatrixSolveLs": "tf.matrix_solve_ls(m, m, fast=False)",
    "MatrixTriangularSolve": "tf.linalg.triangular_solve(m, m)",
    "MaxPool": "tf.nn.max_pool(x, 2, 2, 'SAME')",
    # Boxes and pooling with argmax (ops/image/nms.py, crop_resize.py; ops/nn/pool_argmax.py).
    "NonMaxSuppressionV3": "tf.image.non_max_suppression(b[:, :4], b[:, 0], 2)",
    "NonMaxSuppressionV4": "tf.image.non_max_suppression_padded(b[:, :4], b[:, 0], 2)[0]",
    "NonMaxSuppressionV5": "tf.image.non_max_suppression_with_scores(b[:, :4], b[:, 0], 2)[0]",
    "NonMaxSuppressionWithOverlaps": "tf.image.non_max_suppression_overlaps(m[0], a[0], 2)",
    "CombinedNonMaxSuppression": (
        "tf.image.combined_non_max_suppression(b[None, :, None], b[None, :, :2], 2, 3).nmsed_boxes"
    ),
    "ExtractGlimpse": "tf.image.extract_glimpse(x, [2, 2], [[0.0, 0.0]])",
    "ExtractGlimpseV2": "tf.raw_ops.ExtractGlimpseV2(input=x, size=[2, 2], offsets=[[0.0, 0.0]])",
    "ExtractJpegShape": "tf.io.extract_jpeg_shape('')",
    "DecodeAndCropJpeg": "tf.io.decode_and_crop_jpeg('', [0, 0, 1, 1])",
    "EncodeJpegVariableQuality": "tf.image.adjust_jpeg_quality(x[0, :, :, :1], 50)",
    "DecodeBmp": "tf.io.decode_bmp('')",
    "DecodeGif": "tf.io.decode_gif('')",
    "DecodeWebP": "tf.io.decode_webp('')",
    "ExtractVolumePatches": "tf.extract_volume_patches(x[None], [1] * 5, [1] * 5, 'VALID')",
    "FFTND": "tf.signal.fftnd(tf.complex(a, a))",
    "IFFTND": "tf.signal.ifftnd(tf.complex(a, a))",
    "RFFTND": "tf.signal.rfftnd(a, [2, 3], [0, 1])",
    "IRFFTND": "tf.signal.irfftnd(tf.complex(a, a), [2, 4], [0, 1])",
    "Conv": "tf.conv(x, w, [1, 1, 1, 1], 'SAME')",
    "CropAndResize": "tf.image.crop_and_resize(x, [[0.0, 0.0, 1.0, 1.0]], [0], [2, 2])",
    "CropAndResizeGradImage": (
        "tf.gradients(tf.image.crop_and_resize(x, [[0.0, 0.0, 1.0, 1.0]], [0], [2, 2]), x)[0]"
    ),
    "CropAndResizeGradBoxes": (
        "tf.gradients(tf.image.crop_and_resize(x, b[:1], [0], [2, 2]), b)[0]"
    ),
    # Boxes drawn and sampled, projective transforms (ops/image/bounding_boxes.py,
    # distorted_box.py, projective.py).
    "DrawBoundingBoxes": "tf.image.draw_bounding_boxes(x[..., :1], [[[0.0, 0.0, 1.0, 1.0]]])",
    "DrawBoundingBoxesV2": (
        "tf.image.draw_bounding_boxes(x[..., :1], [[[0.0, 0.0, 1.0, 1.0]]], colors=a)"
    ),
    "Rint": "tf.rint(a)",
    "SampleDistortedBoundingBoxV2": (
        "tf.image.sample_distorted_bounding_box([5, 5, 2], [[[0.0, 0.0, 1.0, 1.0]]])[0]"
    ),
    "ImageProjectiveTransformV2": "tf.contrib.image.rotate(x, 0.5)",
    "MaxPoolWithArgmax": "tf.nn.max_pool_with_argmax(x, [1, 2, 2, 1], [1, 2, 2, 1], 'SAME')[0]",
    "MaxPoolGradWithArgmax": (
        "tf.gradients(tf.nn.max_pool_with_argmax(x, [1, 2, 2, 1], [1, 2, 2, 1], 'SAME')[0], x)[0]"
    ),
    "MaxPoolGradGradWithArgmax": (
        "tf.gradients(tf.gradients(tf.nn.max_pool_with_argmax(x, [1, 2, 2, 1], [1, 2, 2, 1], "
        "'SAME')[0], x)[0], x, x)[0]"
    ),
    "RGBToHSV": "tf.image.rgb_to_hsv(a)",
    "GuaranteeConst": "tf.guarantee_const(a)",
    "CheckPinned": "tf.check_pinned(a)",
    **{
        op: f"tf.raw_ops.{op}(input=tf.zeros([2], tf.qint32), input_min=-1.0, input_max=1.0"
        + extra
        for op, extra in (
            ("RequantizationRange", ").output_min"),
            ("QuantizeDownAndShrinkRange", ", out_type=tf.quint8).output"),
            ("Requantize", ", requested_output_min=-1.0, requested_output_max=1.0, "
             "out_type=tf.quint8).output"),
        )
    },
    **{
        op: f"tf.raw_ops.{op}(features=tf.zeros([2], tf.quint8), min_features=0.0, "
        "max_features=1.0).activations"
        for op in ("QuantizedRelu", "QuantizedRelu6")
    },
    "QuantizedBiasAdd": (
        "tf.raw_ops.QuantizedBiasAdd(input=tf.zeros([2, 3], tf.quint8), bias=tf.zeros([3], "
        "tf.quint8), min_input=0.0, max_input=1.0, min_bias=0.0, max_bias=1.0, "
        "out_type=tf.qint32).output"
    ),
    "QuantizedMatMul": (
        "tf.raw_ops.QuantizedMatMul(a=tf.zeros([2, 3], tf.quint8), b=tf.zeros([3, 1], "
        "tf.quint8), min_a=0.0, max_a=1.0, min_b=0.0, max_b=1.0).out"
    ),
    "QuantizedReshape": (
        "tf.raw_ops.QuantizedReshape(tensor=tf.zeros([2], tf.quint8), shape=[2, 1], "
        "input_min=0.0, input_max=1.0).output"
    ),
    "Fact": "tf.user_ops.my_fact()",
    "RaggedFillEmptyRows": (
        "tf.ragged_fill_empty_rows(tf.constant([0, 2], tf.int64), a[0, :2], "
        "tf.constant(3, tf.int64), 0.0).output_values"
    ),
    "RaggedFillEmptyRowsGrad": (
        "tf.ragged_fill_empty_rows_grad(tf.constant([0, 2], tf.int64), a[0]).d_values"
    ),
    "QuantizedAvgPool": (
        "tf.nn.quantized_avg_pool(tf.quantize(x, 0.0, 1.0, tf.quint8).output, 0.0, 1.0, "
        "[1, 2, 2, 1], [1, 2, 2, 1], 'VALID').output"
    ),
    "QuantizedMaxPool": (
        "tf.nn.quantized_max_pool(tf.quantize(x, 0.0, 1.0, tf.quint8).output, 0.0, 1.0, "
        "[1, 2, 2, 1], [1, 2, 2, 1], 'VALID').output"
    ),
    "QuantizedConv2D": (
        "tf.nn.quantized_conv2d(tf.quantize(x, 0.0, 1.0, tf.quint8).output, "
        "tf.quantize(w, -1.0, 1.0, tf.quint8).output, 0.0, 1.0, -1.0, 1.0, [1, 1, 1, 1], "
        "'VALID').output"
    ),
    "StatelessRandomBinomial": "tf.random.stateless_binomial([2], [1, 2], 5.0, 0.5)",
    "RandomIndexShuffle": "tf.random_index_shuffle(i[0], [1, 2, 3], 5)",
    "QuantizeV2": "tf.quantize(a, 0.0, 1.0, tf.quint8).output",
    "Dequantize": "tf.dequantize(tf.quantize(a, 0.0, 1.0, tf.quint8).output, 0.0, 1.0)",
    "QuantizedConcat": (
        "tf.quantized_concat(0, [tf.quantize(a, 0.0, 1.0, tf.quint8).output] * 2, [0.0, 0.0], "
        "[1.0, 2.0]).output"
    ),
    "HSVToRGB": "tf.image.hsv_to_rgb(a)",
    "AdjustHue": "tf.image.adjust_hue(m, 0.1)",
    "AdjustSaturation": "tf.image.adjust_saturation(m, 2.0)",
    "ReadFile": "tf.read_file('a.png')",
    "ScatterDiv": "tf.scatter_div(v, [0], a[:1])",
    "ScatterMax": "tf.scatter_max(v, [0], a[:1])",
    "ScatterMin": "tf.scatter_min(v, [0], a[:1])",
    "ScatterMul": "tf.scatter_mul(v, [0], a[:1])",
    "SegmentMax": "tf.segment_max(a, [0, 0])",
    "SegmentMin": "tf.segment_min(a, [0, 0])",
    "SegmentProd": "tf.segment_prod(a, [0, 0])",
    "Sinh": "tf.sinh(a)",
    "Tan": "tf.tan(a)",
    "TensorScatterMax": "tf.tensor_scatter_nd_max(a, [[0]], a[:1])",
    "TensorScatterMin": "tf.tensor_scatter_nd_min(a, [[0]], a[:1])",
    "UnicodeDecode": "tf.strings.unicode_decode(['ab'], 'UTF-8').flat_values",
    "UnicodeDecodeWithOffsets": (
        "tf.strings.unicode_decode_with_offsets(['ab'], 'UTF-8')[0].flat_values"
    ),
    "UnicodeEncode": "tf.strings.unicode_encode(tf.ragged.constant([[104]]), 'UTF-8')",
    "UnicodeScript": "tf.strings.unicode_script([104])",
    "UnicodeTranscode": "tf.strings.unicode_transcode(['a'], 'UTF-8', 'UTF-16-BE')",
    "WriteFile": "tf.write_file('a.png', 'x')",
    "DecodePng": "tf.image.decode_png(tf.read_file('a.png'))",
    "EncodePng": "tf.image.encode_png(tf.cast(x[0], tf.uint8))",
    "DecodeJpeg": "tf.image.decode_jpeg(tf.read_file('a.jpg'))",
    "EncodeJpeg": "tf.image.encode_jpeg(tf.cast(x[0, ..., :1], tf.uint8))",
    "DecodeImage": "tf.image.decode_image(tf.read_file('a.jpg'))",
    "Maximum": "tf.maximum(a, a)",
    "MergeSummary": "tf.summary.merge([tf.summary.scalar('s', a[0, 0])])",
    "Minimum": "tf.minimum(a, a)",
    "MirrorPad": "tf.pad(a, [[1, 1], [1, 1]], 'REFLECT')",
    "MirrorPadGrad": "tf.gradients(tf.pad(a, [[1, 1], [1, 1]], 'REFLECT'), a)[0]",
    "Mul": "a * a",
    "Neg": "-a",
    "NoOp": "tf.no_op()",
    "ControlTrigger": "g.create_op('ControlTrigger', [])",
    "NotEqual": "tf.not_equal(a, a)",
    "OneHot": "tf.one_hot(i, 4)",
    "Pack": "tf.stack([a, a])",
    "ParseExampleV2": "tf.parse_example(['', ''], {'f': tf.FixedLenFeature([], tf.int64)})['f']",
    "ParseSequenceExampleV2": (
        "tf.parse_single_sequence_example('', {'c': tf.VarLenFeature(tf.int64)})[0]['c'].values"
    ),
    "ParseTensor": "tf.io.parse_tensor('', tf.float32)",
    "Pad": "tf.pad(a, [[1, 1], [0, 0]])",
    "PadV2": "tf.pad(a, [[1, 1], [0, 0]], constant_values=1.0)",
    "Placeholder": "tf.placeholder(tf.float32)",
    "PlaceholderWithDefault": "tf.placeholder_with_default(a, [None, 3])",
    "Pow": "a ** a",
    "PreventGradient": (
        "tf.gradients(tf.nn.ctc_loss(tf.SparseTensor([[0, 0]], [1], [3, 1]), m, [5, 5, 5]), m)"
        "[0].op.inputs[1]"
    ),
    "Qr": "tf.linalg.qr(m)[0]",
    "RandomStandardNormal": "tf.random_normal([2])",
    "RandomUniform": "tf.random_uniform([2])",
    "RandomUniformInt": "tf.random_uniform([2], maxval=5, dtype=tf.int32)",
    "Range": "tf.range(5)",
    "Rank": "tf.rank(tf.placeholder(tf.float32))",
    "RealDiv": "a / a",
    "Reciprocal": "tf.reciprocal(a)",
    "ReduceJoin": "tf.reduce_join(['a', 'b'], 0)",
    "RegexFullMatch": "tf.strings.regex_full_match(['a'], tf.constant('a'))",
    "RegexReplace": "tf.regex_replace(['a'], tf.constant('a'), 'b')",
    "Relu": "tf.nn.relu(a)",
    "Relu6": "tf.nn.relu6(a)",
    "Reshape": "tf.reshape(a, [-1])",
    "RestoreV2": "tf.train.checkpoint_ops.restore_v2('ckpt', ['w'], [''], [tf.float32])[0]",
    "GenerateVocabRemapping": "tf.train.vocab_remapping.generate_vocab_remapping("
    "'n', 'o', 0, 2)[0]",
    "LoadAndRemapMatrix": "tf.train.vocab_remapping.load_and_remap_matrix("
    "'ckpt', 'w', [0], [], [], 1, 1)",
    "DecodeWav": "tf.audio.decode_wav('RIFF').audio",
    "AudioSpectrogram": "tf.raw_ops.AudioSpectrogram(input=a, window_size=2, stride=1)",
    "Mfcc": "tf.raw_ops.Mfcc(spectrogram=m, sample_rate=16000)",
    "PopulationCount": "tf.raw_ops.PopulationCount(x=i)",
    "EncodeWav": "tf.audio.encode_wav([[0.5]], 8000)",
    "DecodeCompressed": "tf.io.decode_compressed(['a'], 'ZLIB')",
    "DecodeJSONExample": "tf.io.decode_json_example(['{}'])",
    "ResizeBicubic": "tf.image.resize_bicubic(x, [3, 4])",
    "ResizeBicubicGrad": "tf.gradients(tf.image.resize_bicubic(x, [3, 4]), x)[0]",
    "ResizeBilinear": "tf.image.resize_bilinear(x, [3, 4])",
    "ResizeArea": "tf.image.resize_area(x, [3, 4])",
    "ResizeBilinearGrad": "tf.gradients(tf.image.resize_bilinear(x, [3, 4]), x)[0]",
    "ResizeNearestNeighbor": "tf.image.resize_nearest_neighbor(x, [3, 4])",
    "ResizeNearestNeighborGrad": "tf.gradients(tf.image.resize_nearest_neighbor(x, [3, 4]), x)[0]",
    "ReverseSequence": "tf.reverse_sequence(a, [1, 2], 1)",
    "ReverseV2": "tf.reverse(a, [0])",
    "RngReadAndSkip": "tf.random.Generator.from_seed(1).skip(2)",
    "Round": "tf.round(a)",
    "Rsqrt": "tf.rsqrt(a)",
    "ScalarSummary": "tf.summary.scalar('s', a[0, 0])",
    "ScatterNd": "tf.scatter_nd([[0], [1]], a, [4, 3])",
    "SelfAdjointEigV2": "tf.self_adjoint_eig(m)[0]",
    "Selu": "tf.nn.selu(a)",
    "SerializeSparse": (
        "g.create_op('SerializeSparse', [s.indices, s.values, s.dense_shape], "
        "{'T': tf.float32, 'out_type': tf.variant})"
    ),
    "SerializeTensor": "tf.io.serialize_tensor(a)",
    "Shape": "tf.shape(u)",
    "ShapeN": "tf.shape_n([u, a])[0]",
    "Sigmoid": "tf.sigmoid(a)",
    "Sign": "tf.sign(a)",
    "Sin": "tf.sin(a)",
    "Size": "tf.size(u)",
    "Slice": "tf.slice(a, [0, 1], [2, 2])",
    "Softmax": "tf.nn.softmax(a)",
    "SoftmaxCrossEntropyWithLogits": (
        "tf.nn.softmax_cross_entropy_with_logits_v2(labels=a, logits=a)"
    ),
    "Softplus": "tf.nn.softplus(a)",
    "Softsign": "tf.nn.softsign(a)",
    "SpaceToBatchND": "tf.space_to_batch_nd(x, [1, 1], [[0, 0], [0, 0]])",
    "SparseApplyAdagradDA": (
        "g.create_op('SparseApplyAdagradDA', [v, v, v, a, i[0, :2]]"
        " + [a[0, 0]] * 3 + [tf.constant(1, tf.int64)])"
    ),
    "SparseApplyFtrl": "g.create_op('SparseApplyFtrl', [v, v, v, a, i[0, :2]] + [a[0, 0]] * 4)",
    "SparseApplyFtrlV2": "g.create_op('SparseApplyFtrlV2', [v, v, v, a, i[0, :2]] + [a[0, 0]] * 5)",
    "SparseApplyProximalAdagrad": (
        "g.create_op('SparseApplyProximalAdagrad', [v, v] + [a[0, 0]] * 3 + [a, i[0, :2]])"
    ),
    "SparseApplyProximalGradientDescent": (
        "g.create_op('SparseApplyProximalGradientDescent', [v] + [a[0, 0]] * 3 + [a, i[0, :2]])"
    ),
    "SparseSoftmaxCrossEntropyWithLogits": (
        "tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[0, 2], logits=a)"
    ),
    "Split": "tf.split(a, 3, axis=1)[0]",
    "SplitV": "tf.split(a, [1, 2], axis=1)[0]",
    "Sqrt": "tf.sqrt(a)",
    "Square": "tf.square(a)",
    "SquaredDifference": "tf.squared_difference(a, a)",
    "Squeeze": "tf.squeeze(a)",
    "StaticRegexFullMatch": "tf.strings.regex_full_match(['a'], 'a')",
    "StaticRegexReplace": "tf.regex_replace(['a'], 'a', 'b')",
    "StatelessMultinomial": "tf.random.stateless_multinomial(a, 2, seed=[1, 2])",
    "StatelessParameterizedTruncatedNormal": (
        "tf.random.stateless_parameterized_truncated_normal([2], seed=[1, 2])"
    ),
    "StatelessRandomGammaV3": "tf.random.stateless_gamma([2], seed=[1, 2], alpha=1.5)",
    "StatelessRandomGetKeyCounter": "tf.raw_ops.StatelessRandomGetKeyCounter(seed=[1, 2])[0]",
    "StatelessRandomNormal": "tf.contrib.stateless.stateless_random_normal([2], seed=[1, 2])",
    "StatelessRandomNormalV2": "tf.random.Generator.from_seed(1).normal([2])",
    "StatelessRandomPoisson": "tf.random.stateless_poisson([2], seed=[1, 2], lam=3.0)",
    "StatelessRandomUniform": "tf.contrib.stateless.stateless_random_uniform([2], seed=[1, 2])",
    "StatelessRandomUniformFullIntV2": "tf.random.split([1, 2])",
    "StatelessRandomUniformIntV2": "tf.random.Generator.from_seed(1).uniform([2], 0, 5, tf.int32)",
    "StatelessRandomUniformV2": "tf.random.Generator.from_seed(1).uniform([2])",
    "StatelessRandomUniformInt": (
        "tf.contrib.stateless.stateless_random_uniform([2], [1, 2], 0, 5, tf.int32)"
    ),
    "StatelessShuffle": "tf.random.experimental.stateless_shuffle(a, seed=[1, 2])",
    "StatelessTruncatedNormal": (
        "tf.contrib.stateless.stateless_truncated_normal([2], seed=[1, 2])"
    ),
    "StatelessTruncatedNormalV2": "tf.random.Generator.from_seed(1).truncated_normal([2])",
    "StopGradient": "tf.stop_gradient(a)",
    "StridedSlice": "a[0]",
    "StridedSliceGrad": "tf.gradients(a[0], a)[0]",
    "StringJoin": "tf.strings.join(['a', 'b'])",
    "StringLength": "tf.strings.length(['a'])",
    "StringLower": "tf.strings.lower(['A'])",
    "StringSplit": "tf.string_split(['a b']).values",
    "StringSplitV2": "tf.strings.split(['a b']).values",
    "StringStrip": "tf.strings.strip([' a'])",
    "StringToHashBucketFast": "tf.string_to_hash_bucket_fast(['a'], 3)",
    "StringToNumber": "tf.string_to_number(['1'])",
    "StringUpper": "tf.strings.upper(['a'])",
    "Sub": "a - a",
    "Substr": "tf.substr(['abc'], 1, 1)",
    "Svd": "tf.svd(a)[0]",
    "Tanh": "tf.tanh(a)",
    "TensorScatterAdd": "tf.tensor_scatter_nd_add(a, [[0]], a[:1])",
    "TensorScatterSub": "tf.tensor_scatter_nd_sub(a, [[0]], a[:1])",
    "TensorScatterUpdate": "tf.tensor_scatter_nd_update(a, [[0]], a[:1])",
    "TensorSummaryV2": "tf.summary.tensor_summary('t', a)",
    "Tile": "tf.tile(a, [2, 1])",
    # tf.meshgrid... (scopeflow/ops/array/coords.py and its neighbours)
    "SpaceToDepth": "tf.space_to_depth(x[:, :4, :4], 2)",
    "DepthToSpace": "tf.depth_to_space(w[:2, :2], 2)",
    "DynamicPartition": "tf.dynamic_partition(a, [0, 1], 2)[0]",
    "UniqueWithCounts": "tf.unique_with_counts([3, 1, 3])[2]",
    "ListDiff": "tf.setdiff1d([3, 1, 3], [1])[0]",
    "EnsureShape": "tf.ensure_shape(u, [2, 3])",
    "UnravelIndex": "tf.unravel_index(i[0], [2, 3])",
    "TruncateDiv": "tf.truncatediv(i, i)",
    "TruncateMod": "tf.truncatemod(a, a)",
    "LeftShift": "tf.bitwise.left_shift(i, i)",
    "RightShift": "tf.bitwise.right_shift(i, i)",
    "SegmentMean": "tf.math.segment_mean(a, [0, 0])",
    # tf.data (scopeflow/data/)
    "TensorSliceDataset": "tf.data.Dataset.from_tensor_slices(a)._variant_tensor",
    "TensorDataset": "tf.data.Dataset.from_tensors(a)._variant_tensor",
    "RangeDataset": "tf.data.Dataset.range(3)._variant_tensor",
    "OptionsDataset": "tf.data.Dataset.range(3).with_options(tf.data.Options())._variant_tensor",
    "DatasetCardinality": "tf.data.Dataset.range(3).cardinality()",
    "ZipDataset": (
        "tf.data.Dataset.zip((tf.data.Dataset.range(3), tf.data.Dataset.range(3)))._variant_tensor"
    ),
    "ConcatenateDataset": (
        "tf.data.Dataset.range(3).concatenate(tf.data.Dataset.range(3))._variant_tensor"
    ),
    "MapDataset": "tf.data.Dataset.range(3).map(lambda e: e * 2)._variant_tensor",
    "ParallelMapDatasetV2": (
        "tf.data.Dataset.range(3).map(lambda e: e * 2, num_parallel_calls=2)._variant_tensor"
    ),
    "FilterDataset": "tf.data.Dataset.range(3).filter(lambda e: e > 1)._variant_tensor",
    "FlatMapDataset": "tf.data.Dataset.range(3).flat_map(tf.data.Dataset.range)._variant_tensor",
    "InterleaveDataset": (
        "tf.data.Dataset.range(3).interleave(tf.data.Dataset.range, 2)._variant_tensor"
    ),
    "BatchDatasetV2": "tf.data.Dataset.range(3).batch(2)._variant_tensor",
    "PaddedBatchDatasetV2": "tf.data.Dataset.range(3).padded_batch(2, [])._variant_tensor",
    "ShuffleDataset": "tf.data.Dataset.range(3).shuffle(3)._variant_tensor",
    "RepeatDataset": "tf.data.Dataset.range(3).repeat()._variant_tensor",
    "TakeDataset": "tf.data.Dataset.range(3).take(2)._variant_tensor",
    "SkipDataset": "tf.data.Dataset.range(3).skip(1)._variant_tensor",
    "PrefetchDataset": "tf.data.Dataset.range(3).prefetch(1)._variant_tensor",
    "CacheDataset": "tf.data.Dataset.range(3).cache()._variant_tensor",
    "IteratorV2": "tf.data.Iterator.from_structure(tf.int64)._iterator_resource",
    "OneShotIterator": "tf.data.Dataset.range(3).make_one_shot_iterator()._iterator_resource",
    "MakeIterator": "tf.data.Dataset.range(3).make_initializable_iterator().initializer",
    "IteratorGetNext": "tf.data.Dataset.range(3).make_one_shot_iterator().get_next()",
    "IteratorToStringHandle": "tf.data.Dataset.range(3).make_one_shot_iterator().string_handle()",
    "IteratorFromStringHandleV2": (
        "tf.data.Iterator.from_string_handle('h', tf.int64)._iterator_resource"
    ),
    # tf.data transformations (scopeflow/data/transforms.py, experimental_ops.py)
    "ShardDataset": "tf.data.Dataset.range(3).shard(2, 1)._variant_tensor",
    "UnbatchDataset": "tf.data.Dataset.range(3).batch(2).unbatch()._variant_tensor",
    "TakeWhileDataset": "tf.data.Dataset.range(3).take_while(lambda e: e < 2)._variant_tensor",
    "ScanDataset": (
        "tf.data.Dataset.range(3).scan(tf.constant(0, tf.int64), lambda s, e: (s + e, s))"
        "._variant_tensor"
    ),
    "ReduceDataset": (
        "tf.data.Dataset.range(3).reduce(tf.constant(0, tf.int64), lambda s, e: s + e)"
    ),
    "UniqueDataset": "tf.data.Dataset.range(3).unique()._variant_tensor",
    "MapAndBatchDataset": (
        "tf.data.Dataset.range(3).apply(tf.data.experimental.map_and_batch(tf.abs, 2))"
        "._variant_tensor"
    ),
    "ShuffleAndRepeatDataset": (
        "tf.data.Dataset.range(3).apply(tf.data.experimental.shuffle_and_repeat(3))._variant_tensor"
    ),
    "LegacyParallelInterleaveDatasetV2": (
        "tf.data.Dataset.range(3).apply(tf.data.experimental.parallel_interleave("
        "tf.data.Dataset.range, 2))._variant_tensor"
    ),
    "IgnoreErrorsDataset": (
        "tf.data.Dataset.range(3).apply(tf.data.experimental.ignore_errors())._variant_tensor"
    ),
    "DatasetToSingleElement": (
        "tf.data.experimental.get_single_element(tf.data.Dataset.range(3).take(1))"
    ),
    "RandomDataset": (  # the seeds of the choices: the input of the selector's map's batch
        "tf.data.experimental.sample_from_datasets([tf.data.Dataset.range(3)])"
        "._variant_tensor.op.inputs[0].op.inputs[0].op.inputs[0]"
    ),
    "DirectedInterleaveDataset": (
        "tf.data.experimental.choose_from_datasets([tf.data.Dataset.range(3)], "
        "tf.data.Dataset.range(3))._variant_tensor"
    ),
    "DatasetToTFRecord": (
        "tf.data.experimental.TFRecordWriter('r.tfrecord').write(tf.data.Dataset.from_tensors('a'))"
    ),
    "GroupByWindowDataset": (
        "tf.data.Dataset.range(3).apply(tf.data.experimental.group_by_window("
        "lambda e: e, lambda k, d: d, 2))._variant_tensor"
    ),
    "CSVDatasetV2": "tf.data.experimental.CsvDataset('a.csv', [tf.int32])._variant_tensor",
    "OptionalFromValue": "tf.experimental.Optional.from_value(a)._variant_tensor",
    "OptionalNone": "tf.experimental.Optional.empty(tf.TensorSpec([], tf.int32))._variant_tensor",
    "OptionalHasValue": "tf.experimental.Optional.from_value(a).has_value()",
    "OptionalGetValue": "tf.experimental.Optional.from_value(a).get_value()",
    "IteratorGetNextAsOptional": (
        "tf.data.Dataset.range(3).make_one_shot_iterator().get_next_as_optional()._variant_tensor"
    ),
    "WindowDataset": "tf.data.Dataset.range(3).window(2)._variant_tensor",
    "ListDataset": "tf.data.experimental.from_list([1, 2])._variant_tensor",
    "SqlDataset": (
        "tf.data.experimental.SqlDataset('sqlite', 'a.db', 'SELECT a FROM t', tf.int32)"
        "._variant_tensor"
    ),
    "ExperimentalGroupByReducerDataset": (
        "tf.data.Dataset.range(3).apply(tf.data.experimental.group_by_reducer(lambda e: e, "
        "tf.data.experimental.Reducer(lambda k: k, lambda s, e: s + e, lambda s: s)))"
        "._variant_tensor"
    ),
    "DenseToSparseBatchDataset": (
        "tf.data.Dataset.from_tensors(a).apply(tf.data.experimental.dense_to_sparse_batch(2, "
        "[3, 3]))._variant_tensor"
    ),
    "AssertCardinalityDataset": (
        "tf.data.Dataset.range(3).apply(tf.data.experimental.assert_cardinality(3))"
        "._variant_tensor"
    ),
    "ParseExampleDatasetV2": (
        "tf.data.Dataset.from_tensors(['']).apply(tf.data.experimental.parse_example_dataset("
        "{'x': tf.io.FixedLenFeature([], tf.int64)}))._variant_tensor"
    ),
    "InitializeTableFromDataset": (
        "tf.data.experimental.index_table_from_dataset(tf.data.Dataset.range(3), "
        "key_dtype=tf.int64).initializer"
    ),
    "SparseTensorSliceDataset": (
        "tf.data.Dataset.from_sparse_tensor_slices(tf.SparseTensor([[0, 0]], [1.0], [2, 2]))"
        "._variant_tensor"
    ),
    "RebatchDatasetV2": "tf.data.Dataset.range(4).batch(2).rebatch(1)._variant_tensor",
    "SaveDataset": "tf.data.Dataset.range(3).save('saved')",
    "LoadDataset": (
        "tf.data.Dataset.load('saved', tf.TensorSpec([], tf.int64))._variant_tensor"
    ),
    "SnapshotDatasetV2": (
        "tf.data.Dataset.range(3).snapshot('snap')._variant_tensor.op.inputs[0]"
    ),
    "RaggedTensorToVariant": (
        "tf.raw_ops.RaggedTensorToVariant(rt_nested_splits=[], rt_dense_values=a, "
        "batched_input=False)"
    ),
    "RaggedTensorFromVariant": (
        "tf.data.Dataset.range(3).map(tf.range).ragged_batch(2).make_one_shot_iterator()"
        ".get_next().values"
    ),
    "TopKV2": "tf.nn.top_k(a, 2)[0]",
    "Transpose": "tf.transpose(a)",
    "ConjugateTranspose": "tf.transpose(tf.cast(a, tf.complex64), conjugate=True)",
    "TruncatedNormal": "tf.truncated_normal([2])",
    "Unpack": "tf.unstack(a)[0]",
    "UnsortedSegmentSum": "tf.unsorted_segment_sum(a, [0, 0], 3)",
    "UnsortedSegmentMax": "tf.unsorted_segment_max(a, [0, 0], 3)",
    "UnsortedSegmentMin": "tf.unsorted_segment_min(a, [0, 0], 3)",
    "UnsortedSegmentProd": "tf.unsorted_segment_prod(a, [0, 0], 3)",
    "Unique": "tf.unique([3, 1, 3])[0]",
    "UniformCandidateSampler": (
        "tf.nn.uniform_candidate_sampler(tf.cast(i, tf.int64), 3, 2, True, 9)[0]"
    ),
    "ScatterAdd": "tf.scatter_add(v, [0], a[:1])",
    "ScatterNdAdd": "tf.scatter_nd_add(v, [[0]], a[:1])",
    "ScatterNdSub": "tf.scatter_nd_sub(v, [[0]], a[:1])",
    "ScatterNdUpdate": "tf.scatter_nd_update(v, [[0]], a[:1])",
    "ScatterSub": "tf.scatter_sub(v, [0], a[:1])",
    "ScatterUpdate": "tf.scatter_update(v, [0], a[:1])",
    "SparseApplyAdadelta": (
        "g.create_op('SparseApplyAdadelta', [v, v, v, a[0, 0], a[0, 0], a[0, 0], a, i[0, :2]])"
    ),
    "SparseApplyAdagrad": "g.create_op('SparseApplyAdagrad', [v, v, a[0, 0], a, i[0, :2]])",
    "SparseApplyAdagradV2": (
        "g.create_op('SparseApplyAdagradV2', [v, v, a[0, 0], a[0, 0], a, i[0, :2]])"
    ),
    "SparseApplyCenteredRMSProp": (
        "g.create_op('SparseApplyCenteredRMSProp', [v] * 4 + [a[0, 0]] * 4 + [a, i[0, :2]])"
    ),
    "SparseApplyMomentum": (
        "g.create_op('SparseApplyMomentum', [v, v, a[0, 0], a, i[0, :2], a[0, 0]])"
    ),
    "SparseApplyRMSProp": (
        "g.create_op('SparseApplyRMSProp', [v, v, v] + [a[0, 0]] * 4 + [a, i[0, :2]])"
    ),
    "VariableV2": "g.create_op('VariableV2', [], {'dtype': tf.float32, 'shape': a.shape})",
    "ZerosLike": "tf.zeros_like(u)",
    "All": "tf.reduce_all(p)",
    "Any": "tf.reduce_any(p)",
    "ArgMax": "tf.argmax(a)",
    "ArgMin": "tf.argmin(a)",
    "ComplexAbs": "tf.abs(tf.cast(a, tf.complex64))",
    "Conj": "tf.conj(tf.cast(a, tf.complex64))",
    "Cumprod": "tf.cumprod(a)",
    "Cumsum": "tf.cumsum(a)",
    "DivNoNan": "tf.div_no_nan(a, a)",
    "IsFinite": "tf.is_finite(a)",
    "IsInf": "tf.is_inf(a)",
    "IsNan": "tf.is_nan(a)",
    "Max": "tf.reduce_max(a)",
    "Mean": "tf.reduce_mean(a)",
    "Min": "tf.reduce_min(a)",
    "ParallelConcat": "tf.parallel_stack([a, a])",
    "Prod": "tf.reduce_prod(a)",
    "StringToHashBucket": "tf.string_to_hash_bucket(['a'], 3)",
    "StringToHashBucketStrong": "tf.string_to_hash_bucket_strong(['a'], 3, [1, 2])",
    "QuantizeAndDequantizeV2": "tf.quantization.quantize_and_dequantize(a, -1.0, 1.0)",
    "QuantizeAndDequantizeV4": "tf.quantization.quantize_and_dequantize_v2(a, -1.0, 1.0)",
    "QuantizeAndDequantizeV4Grad": (
        "tf.gradients(tf.quantization.quantize_and_dequantize_v2(a, -1.0, 1.0), a)[0]"
    ),
    "Select": "tf.where(a > 0, a, a)",
    "SelectV2": "tf.where_v2(a > 0, a, 0.0)",
    "Sum": "tf.reduce_sum(a)",
    "Where": "tf.where(p)",
    "Switch": "tf.cond(p[0], lambda: a + 1.0, lambda: a)",
    "Assert": "tf.Assert(p[0], ['x'])",
    "CheckNumerics": "tf.check_numerics(a, 'm')",
    "CheckNumericsV2": "tf.raw_ops.CheckNumericsV2(tensor=a, message='m')",
    "PyFunc": "tf.py_func(abs, [a], tf.float32)",
    "PyFuncStateless": "tf.py_func(abs, [a], tf.float32, stateful=False)",
    "EagerPyFunc": "tf.py_function(abs, [a], tf.float32)",
    "IdentityN": "tf.identity_n([a, i])[0]",
    "SparseToDense": "tf.sparse.to_dense(s)",
    "DynamicStitch": "tf.dynamic_stitch([[0], [1]], [a[:1], a[1:]])",
    "ParallelDynamicStitch": (
        "tf.raw_ops.ParallelDynamicStitch(indices=[[0], [1]], data=[a[:1], a[1:]])"
    ),
    "MatrixDiagV3": "tf.raw_ops.MatrixDiagV3(diagonal=a, k=0, num_rows=-1, num_cols=-1, "
    "padding_value=0.0)",
    "MatrixDiagPartV3": "tf.raw_ops.MatrixDiagPartV3(input=m, k=0, padding_value=0.0)",
    "MatrixSetDiagV3": "tf.raw_ops.MatrixSetDiagV3(input=m, diagonal=m[:, 0], k=0)",
    "DenseToDenseSetOperation": "tf.sets.intersection(i, i).values",
    "DenseToSparseSetOperation": (
        "tf.sets.intersection(i, tf.SparseTensor([[0, 0]], i[0, :1], [2, 3])).values"
    ),
    "SparseToSparseSetOperation": (
        "tf.sets.union(*[tf.SparseTensor([[0, 0]], i[0, :1], [2, 3])] * 2).values"
    ),
    "SetSize": "tf.sets.size(tf.SparseTensor([[0, 0]], i[0, :1], [2, 3]))",
    "SparseTensorDenseMatMul": "tf.sparse_tensor_dense_matmul(s, b)",
    "SparseTensorDenseAdd": "tf.sparse_add(s, a)",
    "SparseDenseCwiseMul": "(s * a[0]).values",
    "SparseDenseCwiseDiv": "(s / a[0]).values",
    "SparseAdd": "tf.sparse_add(s, s).values",
    "SparseAddGrad": "tf.gradients(tf.sparse_add(s, s).values, a)[0]",
    "SparseConcat": "tf.sparse_concat(0, [s, s]).values",
    "SparseReduceSum": "tf.sparse_reduce_sum(s)",
    "SparseReduceSumSparse": "tf.sparse_reduce_sum_sparse(s, 1).values",
    "SparseReduceMax": "tf.sparse_reduce_max(s)",
    "SparseReduceMaxSparse": "tf.sparse_reduce_max_sparse(s, 1).values",
    "SparseSoftmax": "tf.sparse_softmax(s).values",
    "SparseDenseCwiseAdd": "tf.gradients(tf.sparse_softmax(s).values, a)[0]",
    "SparseSparseMaximum": "tf.sparse_maximum(s, s).values",
    "SparseSparseMinimum": "tf.sparse_minimum(s, s).values",
    "SparseSplit": "tf.sparse_split(sp_input=s, num_split=3, axis=1)[0].values",
    "SparseReorder": "tf.sparse_reorder(s).values",
    "SparseReshape": "tf.sparse_reshape(s, [-1]).indices",
    "SparseSlice": "tf.sparse_slice(s, [0, 0], [1, 1]).values",
    "SparseSliceGrad": "tf.gradients(tf.sparse_slice(s, [0, 0], [1, 1]).values, a)[0]",
    "SparseFillEmptyRows": "tf.sparse_fill_empty_rows(s, 0.0)[1]",
    "SparseFillEmptyRowsGrad": "tf.gradients(tf.sparse_fill_empty_rows(s, 0.0)[0].values, a)[0]",
    "SegmentSum": "tf.segment_sum(a, [0, 0])",
    "SparseSegmentSum": "tf.sparse_segment_sum(a, [0, 1], [0, 0])",
    "SparseSegmentSumWithNumSegments": "tf.sparse_segment_sum(a, [0, 1], [0, 0], num_segments=2)",
    "SparseSegmentSumGrad": "tf.gradients(tf.sparse_segment_sum(a, [0, 1], [0, 0]), a)[0]",
    "SparseSegmentSumGradV2": (
        "tf.gradients(tf.sparse_segment_sum(a, [0, 1], [0, 0], sparse_gradient=True), a)[0].values"
    ),
    "SparseSegmentMean": "tf.sparse_segment_mean(a, [0, 1], [0, 0])",
    "SparseSegmentMeanWithNumSegments": "tf.sparse_segment_mean(a, [0, 1], [0, 0], num_segments=2)",
    "SparseSegmentMeanGrad": "tf.gradients(tf.sparse_segment_mean(a, [0, 1], [0, 0]), a)[0]",
    "SparseSegmentMeanGradV2": (
        "tf.gradients(tf.sparse_segment_mean(a, [0, 1], [0, 0], sparse_gradient=True), a)[0].values"
    ),
    "SparseSegmentSqrtN": "tf.sparse_segment_sqrt_n(a, [0, 1], [0, 0])",
    "SparseSegmentSqrtNWithNumSegments": (
        "tf.sparse_segment_sqrt_n(a, [0, 1], [0, 0], num_segments=2)"
    ),
    "SparseSegmentSqrtNGrad": "tf.gradients(tf.sparse_segment_sqrt_n(a, [0, 1], [0, 0]), a)[0]",
    "SparseSegmentSqrtNGradV2": (
        "tf.gradients(tf.sparse_segment_sqrt_n(a, [1], [0], sparse_gradient=True), a)[0].values"
    ),
    "Enter": "tf.while_loop(lambda x: x < 2.0, lambda x: x + 1.0, [a[0, 0]])",
    "Exit": "tf.while_loop(lambda x: x < 2.0, lambda x: x + 1.0, [a[0, 0]])",
    "NextIteration": "tf.while_loop(lambda x: x < 2.0, lambda x: x + 1.0, [a[0, 0]])",
    "LoopCond": "tf.while_loop(lambda x: x < 2.0, lambda x: x + 1.0, [a[0, 0]])",
    "RefEnter": (
        "tf.while_loop(lambda x: x < 2.0, lambda x: [tf.assign(v, a)[0, 0] + x], [a[0, 0]])"
    ),
    "TensorArrayV3": "tf.TensorArray(tf.float32, 2).handle",
    "TensorArrayWriteV3": "tf.TensorArray(tf.float32, 2).write(0, a).flow",
    "TensorArrayReadV3": "tf.TensorArray(tf.float32, 2).read(0)",
    "TensorArrayGatherV3": "tf.TensorArray(tf.float32, 2).gather([0])",
    "TensorArrayScatterV3": "tf.TensorArray(tf.float32, 2).scatter([0, 1], a[:2]).flow",
    "TensorArrayConcatV3": "tf.TensorArray(tf.float32, 2).concat()",
    "TensorArraySplitV3": "tf.TensorArray(tf.float32, 2).split(a, [1, 1]).flow",
    "TensorArraySizeV3": "tf.TensorArray(tf.float32, 0, dynamic_size=True).size()",
    "TensorArrayCloseV3": "tf.TensorArray(tf.float32, 2).close()",
    "TensorArrayGradV3": (
        "tf.gradients(tf.TensorArray(tf.float32, 2).unstack(a[:2]).read(0), a)[0]"
    ),
    "StackV2": "tf.gradients(tf.while_loop(lambda x: x < 2.0, tf.sin, [a[0, 0]]), a)[0]",
    "StackPushV2": "tf.gradients(tf.while_loop(lambda x: x < 2.0, tf.sin, [a[0, 0]]), a)[0]",
    "StackPopV2": "tf.gradients(tf.while_loop(lambda x: x < 2.0, tf.sin, [a[0, 0]]), a)[0]",
    "Merge": "tf.cond(p[0], lambda: a + 1.0, lambda: a)",
    "RefSwitch": "tf.cond(p[0], lambda: tf.identity(v), lambda: a)",
    "Print": "tf.Print(a, [a])",
    "PrintV2": "tf.print(a)",
    "StringFormat": "tf.print(a)",
    "Multinomial": "tf.multinomial(a, 2)",
    "RandomShuffle": "tf.random_shuffle(a)",
    "BroadcastGradientArgs": "tf.gradients(u * u, u)[0]",
    "ReciprocalGrad": "tf.gradients(tf.reciprocal(a), a)[0]",
    "RsqrtGrad": "tf.gradients(tf.rsqrt(a), a)[0]",
    "SigmoidGrad": "tf.gradients(tf.sigmoid(a), a)[0]",
    "SqrtGrad": "tf.gradients(tf.sqrt(a), a)[0]",
    "TanhGrad": "tf.gradients(tf.tanh(a), a)[0]",
    # Gradient ops of the tf.nn ops (ops/conv_ops, depthwise_ops, pooling_ops, activation_ops,
    # nn_ops): built by tf.gradients, or by the functions TF1 has for them.
    "AvgPoolGrad": "tf.gradients(tf.nn.avg_pool(x, 2, 2, 'SAME'), x)[0]",
    "BiasAddGrad": "g.create_op('BiasAddGrad', [a], {'data_format': 'NHWC'})",
    "Conv2DBackpropFilter": (
        "tf.nn.conv2d_backprop_filter(x, [3, 3, 2, 4], tf.nn.conv2d(x, w, 1, 'SAME'), 1, 'SAME')"
    ),
    "DepthwiseConv2dNativeBackpropFilter": (
        "tf.nn.depthwise_conv2d_native_backprop_filter(x, [3, 3, 2, 2], "
        "tf.nn.conv2d(x, w, 1, 'SAME'), 1, 'SAME')"
    ),
    "DepthwiseConv2dNativeBackpropInput": (
        "tf.nn.depthwise_conv2d_native_backprop_input([1, 5, 5, 2], w[..., :2], "
        "tf.nn.conv2d(x, w, 1, 'SAME'), 1, 'SAME')"
    ),
    "EluGrad": "tf.gradients(tf.nn.elu(a), a)[0]",
    "LeakyReluGrad": "tf.gradients(tf.nn.leaky_relu(a), a)[0]",
    "MaxPoolGrad": "tf.gradients(tf.nn.max_pool(x, 2, 2, 'SAME'), x)[0]",
    "MaxPoolGradGrad": (
        "g.create_op('MaxPoolGradGrad', [x, tf.nn.max_pool(x, 2, 2, 'SAME'), x], "
        "{'ksize': [1, 2, 2, 1], 'strides': [1, 2, 2, 1], 'padding': 'SAME'})"
    ),
    "Relu6Grad": "tf.gradients(tf.nn.relu6(a), a)[0]",
    "ReluGrad": "tf.gradients(tf.nn.relu(a), a)[0]",
    "SeluGrad": "tf.gradients(tf.nn.selu(a), a)[0]",
    "SoftsignGrad": "tf.gradients(tf.nn.softsign(a), a)[0]",
    # Queues (ops/data_flow) and the epoch counter of tf.train's input producers.
    "FIFOQueueV2": "tf.FIFOQueue(2, tf.float32).queue_ref",
    "RandomShuffleQueueV2": "tf.RandomShuffleQueue(3, 1, tf.float32).queue_ref",
    "PaddingFIFOQueueV2": "tf.PaddingFIFOQueue(2, tf.float32, [[None]]).queue_ref",
    "QueueEnqueueV2": "tf.FIFOQueue(2, tf.float32).enqueue(a)",
    "QueueEnqueueManyV2": "tf.FIFOQueue(2, tf.float32).enqueue_many(a)",
    "QueueDequeueV2": "tf.FIFOQueue(2, tf.float32).dequeue()",
    "QueueDequeueManyV2": "tf.FIFOQueue(2, tf.float32, [[3]]).dequeue_many(2)",
    "QueueDequeueUpToV2": "tf.FIFOQueue(2, tf.float32, [[3]]).dequeue_up_to(2)",
    "QueueCloseV2": "tf.FIFOQueue(2, tf.float32).close()",
    "QueueSizeV2": "tf.FIFOQueue(2, tf.float32).size()",
    "QueueIsClosedV2": "tf.FIFOQueue(2, tf.float32).is_closed()",
    "PriorityQueueV2": "tf.PriorityQueue(2, tf.float32, [[]]).queue_ref",
    # Readers (train/reader_ops.py).
    "TFRecordReaderV2": "tf.TFRecordReader().reader_ref",
    "TextLineReaderV2": "tf.TextLineReader().reader_ref",
    "WholeFileReaderV2": "tf.WholeFileReader().reader_ref",
    "FixedLengthRecordReaderV2": "tf.FixedLengthRecordReader(4).reader_ref",
    "IdentityReaderV2": "tf.IdentityReader().reader_ref",
    "ReaderReadV2": "tf.IdentityReader().read(tf.FIFOQueue(2, tf.string))[0]",
    "ReaderReadUpToV2": "tf.IdentityReader().read_up_to(tf.FIFOQueue(2, tf.string), 2)[0]",
    "ReaderNumRecordsProducedV2": "tf.IdentityReader().num_records_produced()",
    "ReaderNumWorkUnitsCompletedV2": "tf.IdentityReader().num_work_units_completed()",
    "ReaderSerializeStateV2": "tf.IdentityReader().serialize_state()",
    "ReaderRestoreStateV2": "tf.IdentityReader().restore_state('')",
    "ReaderResetV2": "tf.IdentityReader().reset()",
    "MatchingFiles": "tf.io.matching_files('*.png')",
    "Timestamp": "tf.timestamp()",
    "SerializeManySparse": "tf.serialize_many_sparse(s)",
    "DeserializeManySparse": (
        "tf.deserialize_many_sparse(tf.serialize_many_sparse(s), tf.float32).values"
    ),
    # Accumulators (ops/data_flow/accumulator_ops.py).
    "ResourceConditionalAccumulator": "tf.ConditionalAccumulator(tf.float32).accumulator_ref",
    "SparseConditionalAccumulator": "tf.SparseConditionalAccumulator(tf.float32).accumulator_ref",
    "ResourceAccumulatorApplyGradient": "tf.ConditionalAccumulator(tf.float32).apply_grad(a)",
    "ResourceAccumulatorTakeGradient": "tf.ConditionalAccumulator(tf.float32).take_grad(1)",
    "ResourceAccumulatorNumAccumulated": "tf.ConditionalAccumulator(tf.float32).num_accumulated()",
    "ResourceAccumulatorSetGlobalStep": "tf.ConditionalAccumulator(tf.float32).set_global_step(1)",
    "SparseAccumulatorApplyGradient": (
        "tf.SparseConditionalAccumulator(tf.float32).apply_grad([0], a[:1])"
    ),
    "SparseAccumulatorTakeGradient": "tf.SparseConditionalAccumulator(tf.float32).take_grad(1)[0]",
    "AccumulatorNumAccumulated": "tf.SparseConditionalAccumulator(tf.float32).num_accumulated()",
    "AccumulatorSetGlobalStep": "tf.SparseConditionalAccumulator(tf.float32).set_global_step(1)",
    "CountUpTo": "tf.count_up_to(tf.Variable(0), 3)",
    # Lookup tables (ops/data_flow/lookup_ops.py, built by scopeflow/lookup/).
    "HashTableV2": _TABLE + ".resource_handle",
    "LookupTableImportV2": _TABLE + ".initializer",
    "InitializeTableFromTextFileV2": "tf.contrib.lookup.index_table_from_file('v.txt').initializer",
    "LookupTableFindV2": _TABLE + ".lookup(tf.constant(['a']))",
    "LookupTableSizeV2": _TABLE + ".size()",
    "LookupTableExportV2": _TABLE + ".export()[0]",
    "MutableHashTableV2": _MUTABLE_TABLE + ", 0).resource_handle",
    "MutableHashTableOfTensorsV2": _MUTABLE_TABLE + ", [0]).resource_handle",
    "LookupTableInsertV2": _MUTABLE_TABLE + ", 0).insert(['a'], [1])",
    # tf.CriticalSection (ops/control/critical_section.py).
    "MutexV2": "tf.CriticalSection()._handle",
    "MutexLock": "tf.CriticalSection().execute(lambda: a * 2.0)",
    "ConsumeMutexLock": "tf.CriticalSection().execute(lambda: a * 2.0)",
    # Summary writers (summary/writer_ops.py, built by tf.contrib.summary).
    "SummaryWriter": "tf.contrib.summary.create_file_writer('l')._resource",
    "CreateSummaryFileWriter": "tf.contrib.summary.create_file_writer('l').init()",
    "FlushSummaryWriter": "tf.contrib.summary.create_file_writer('l').flush()",
    "CloseSummaryWriter": "tf.contrib.summary.create_file_writer('l').close()",
    "WriteScalarSummary": f"g.create_op('WriteScalarSummary', {_SUMMARY_WRITE} + [a[0, 0]], {{}})",
    "WriteHistogramSummary": f"g.create_op('WriteHistogramSummary', {_SUMMARY_WRITE} + [a], {{}})",
    "WriteImageSummary": (
        f"g.create_op('WriteImageSummary', {_SUMMARY_WRITE} + [x[..., :1], "
        "tf.constant([255, 0, 0, 255], tf.uint8)], {'max_images': 1})"
    ),
    "WriteAudioSummary": (
        f"g.create_op('WriteAudioSummary', {_SUMMARY_WRITE} + [a, tf.constant(8000.0)], "
        "{'max_outputs': 1})"
    ),
    "WriteSummary": (
        "g.create_op('WriteSummary', [tf.contrib.summary.create_file_writer('l')._resource, "
        "tf.constant(1, tf.int64), a, tf.constant('t'), tf.constant('')], {})"
    ),
    "Bucketize": "g.create_op('Bucketize', [a], {'boundaries': [0.0]})",
    "SparseCross": (
        "tf.feature_column.input_layer({'x': tf.constant([['p']]), 'y': tf.constant([['q']])}, "
        "[tf.feature_column.indicator_column(tf.feature_column.crossed_column(['x', 'y'], 3))])"
    ),
    "SparseCrossV2": "tf.sparse.cross([tf.constant([['a']]), tf.constant([['b']])]).values",
    "DenseCountSparseOutput": "tf.sparse.bincount(i).values",
    "SparseCountSparseOutput": (
        "tf.sparse.bincount(tf.SparseTensor([[0, 0]], [1], [1, 2]), axis=-1).values"
    ),
    "RaggedCountSparseOutput": "tf.sparse.bincount(tf.ragged.constant([[1], []]), axis=-1).values",
    "SparseMatMul": "tf.sparse_matmul(a, b)",
    "UnsortedSegmentJoin": "tf.strings.unsorted_segment_join(['a', 'b'], [0, 0], 1)",
    # Special functions (ops/math/special.py) and the gamma/Poisson samplers (ops/random).
    "Lgamma": "tf.lgamma(a)",
    "Digamma": "tf.digamma(a)",
    "Erf": "tf.erf(a)",
    "Erfc": "tf.erfc(a)",
    "Erfinv": "tf.math.erfinv(a)",
    "Ndtri": "tf.math.ndtri(a)",
    "BesselI0e": "tf.math.bessel_i0e(a)",
    "BesselI1e": "tf.math.bessel_i1e(a)",
    "BesselI0": "tf.math.bessel_i0(a)",
    "BesselI1": "tf.math.bessel_i1(a)",
    "Igamma": "tf.igamma(a, a)",
    "Igammac": "tf.igammac(a, a)",
    "IgammaGradA": "g.create_op('IgammaGradA', [a, a]).outputs[0]",
    "Betainc": "tf.betainc(a, a, a)",
    "Polygamma": "tf.polygamma(a, a)",
    "Zeta": "tf.zeta(a, a)",
    "Xlogy": "tf.math.xlogy(a, a)",
    "Xlog1py": "tf.math.xlog1py(a, a)",
    "Xdivy": "tf.math.xdivy(a, a)",
    "RandomGamma": "g.create_op('RandomGamma', [tf.constant([2]), a], {'seed': 1, 'seed2': 2})",
    "RandomGammaGrad": "g.create_op('RandomGammaGrad', [a, a]).outputs[0]",
    "RandomPoissonV2": "tf.random_poisson(a, [2])",
    "Angle": "tf.angle(tf.complex(a, a))",
    "Complex": "tf.complex(a, a)",
    "FFT": "tf.fft(tf.complex(a, a))",
    "FFT2D": "tf.fft2d(tf.complex(a, a))",
    "FFT3D": "tf.fft3d(tf.complex(m, m))",
    "IFFT": "tf.ifft(tf.complex(a, a))",
    "IFFT2D": "tf.ifft2d(tf.complex(a, a))",
    "IFFT3D": "tf.ifft3d(tf.complex(m, m))",
    "IRFFT": "tf.signal.irfft(tf.complex(a, a))",
    "IRFFT2D": "tf.signal.irfft2d(tf.complex(a, a))",
    "IRFFT3D": "tf.signal.irfft3d(tf.complex(m, m))",
    "Imag": "tf.imag(tf.complex(a, a))",
    "RFFT": "tf.signal.rfft(a)",
    "RFFT2D": "tf.signal.rfft2d(a)",
    "RFFT3D": "tf.signal.rfft3d(m)",
    "Real": "tf.real(tf.complex(a, a))",
    "Roll": "tf.roll(a, 1, 0)",
    "LinSpace": "tf.linspace(0.0, 1.0, 3)",
    "LowerBound": "tf.searchsorted(a, a)",
    "UpperBound": "tf.searchsorted(a, a, side='right')",
    "HistogramFixedWidth": "tf.histogram_fixed_width(a, [0.0, 1.0])",
    "Bitcast": "tf.bitcast(a, tf.int32)",
    # TF 1.x's op types (scopeflow/ops/legacy/); those TF removed through g.create_op
    "Add": "tf.raw_ops.Add(x=a, y=a)",
    "BatchMatMul": "tf.raw_ops.BatchMatMul(x=m, y=m)",
    "BatchNormWithGlobalNormalization": (
        "g.create_op('BatchNormWithGlobalNormalization', [x] + [a[0, :2]] * 4, "
        "{'variance_epsilon': 0.1, 'scale_after_normalization': True})"
    ),
    "BatchNormWithGlobalNormalizationGrad": (
        "g.create_op('BatchNormWithGlobalNormalizationGrad', [x] + [a[0, :2]] * 3 + [x], "
        "{'variance_epsilon': 0.1, 'scale_after_normalization': True})"
    ),
    "BatchToSpace": (
        "tf.raw_ops.BatchToSpace(input=tf.zeros([4, 1, 1, 2]), crops=[[0, 0]] * 2, block_size=2)"
    ),
    "BiasAddV1": "tf.raw_ops.BiasAddV1(value=a, bias=a[0])",
    "ClipByValue": "tf.raw_ops.ClipByValue(t=a, clip_value_min=0.0, clip_value_max=1.0)",
    "Concat": "tf.raw_ops.Concat(concat_dim=0, values=[a, a])",
    "Div": "tf.raw_ops.Div(x=a, y=a)",
    "FusedBatchNorm": "tf.raw_ops.FusedBatchNorm(x=x, scale=a[0, :2], offset=a[0, :2], mean=[], "
    "variance=[])[0]",
    "FusedBatchNormGrad": "tf.gradients(tf.raw_ops.FusedBatchNorm(x=x, scale=a[0, :2], "
    "offset=a[0, :2], mean=[], variance=[])[0], x)[0]",
    "FusedBatchNormV2": "tf.raw_ops.FusedBatchNormV2(x=x, scale=a[0, :2], offset=a[0, :2], "
    "mean=[], variance=[])[0]",
    "FusedBatchNormGradV2": "tf.gradients(tf.raw_ops.FusedBatchNormV2(x=x, scale=a[0, :2], "
    "offset=a[0, :2], mean=[], variance=[])[0], x)[0]",
    "Gather": "tf.raw_ops.Gather(params=a, indices=[1, 0])",
    "InTopK": "tf.raw_ops.InTopK(predictions=a, targets=[0, 1], k=1)",
    "Inv": "tf.raw_ops.Inv(x=a)",
    "InvGrad": "tf.raw_ops.InvGrad(y=a, dy=a)",
    "MaxPoolV2": "tf.raw_ops.MaxPoolV2(input=x, ksize=[1, 2, 2, 1], strides=[1] * 4, "
    "padding='SAME')",
    "MaxPoolGradV2": "tf.gradients(tf.raw_ops.MaxPoolV2(input=x, ksize=[1, 2, 2, 1], "
    "strides=[1] * 4, padding='SAME'), x)[0]",
    "MaxPoolGradGradV2": "tf.raw_ops.MaxPoolGradGradV2(orig_input=x, orig_output=x, grad=x, "
    "ksize=[1] * 4, strides=[1] * 4, padding='VALID')",
    "Mod": "tf.raw_ops.Mod(x=a, y=a)",
    "NonMaxSuppression": "tf.raw_ops.NonMaxSuppression(boxes=b, scores=b[:, 0], max_output_size=2)",
    "NonMaxSuppressionV2": "tf.raw_ops.NonMaxSuppressionV2(boxes=b, scores=b[:, 0], "
    "max_output_size=2, iou_threshold=0.5)",
    "OnesLike": "tf.raw_ops.OnesLike(x=a)",
    "PlaceholderV2": "g.create_op('PlaceholderV2', [], {'dtype': tf.float32, 'shape': a.shape})",
    "RefIdentity": "tf.raw_ops.RefIdentity(input=v)",
    "Reverse": "tf.raw_ops.Reverse(tensor=a, dims=[True, False])",
    "Snapshot": "tf.raw_ops.Snapshot(input=a)",
    "SpaceToBatch": "tf.raw_ops.SpaceToBatch(input=x, paddings=[[1, 0], [1, 0]], block_size=2)",
    "TopK": "g.create_op('TopK', [a], {'k': 1, 'sorted': True})",
    "Variable": "g.create_op('Variable', [], {'dtype': tf.float32, 'shape': a.shape})",
    "LSTMBlockCell": f"{_LSTM_CELL}.h",
    "LSTMBlockCellGrad": f"tf.gradients({_LSTM_CELL}.h, a)[0]",
    "BlockLSTM": f"{_BLOCK_LSTM.format(op='BlockLSTM')}.h",
    "BlockLSTMGrad": f"tf.gradients({_BLOCK_LSTM.format(op='BlockLSTM')}.h, a)[0]",
    "BlockLSTMV2": f"{_BLOCK_LSTM.format(op='BlockLSTMV2')}.h",
    "BlockLSTMGradV2": f"tf.gradients({_BLOCK_LSTM.format(op='BlockLSTMV2')}.h, a)[0]",
    "GRUBlockCell": f"{_GRU_CELL}.h",
    "GRUBlockCellGrad": f"tf.gradients({_GRU_CELL}.h, a)[0]",
    "StridedSliceAssign": (
        "tf.raw_ops.StridedSliceAssign(ref=v, begin=[0], end=[1], strides=[1], value=a[:1])"
    ),
    "XlaClusterOutput": "tf.xla.experimental.compile(lambda x: x, [a])[0].op.inputs[0]",
    "CrossReplicaSum": "tf.tpu.cross_replica_sum(a)",
    "MutableDenseHashTableV2": _DENSE_TABLE + ".resource_handle",
    "LookupTableRemoveV2": _DENSE_TABLE + ".erase(tf.constant([1], tf.int64))",
    "TPUReplicatedInput": _TPU_REWRITE + "input0')",
    "TPUReplicatedOutput": _TPU_REWRITE + "output0')",
    "TPUReplicateMetadata": _TPU_REWRITE + "TPUReplicateMetadata')",
    "TPUCompilationResult": _TPU_REWRITE + "TPUCompilationResult')",
}
# Resource variables (a VarHandleOp's handle r) and the optimizers' Resource* twins.
_RV = "tf.get_variable('r', [2, 3], use_resource=True)"
BUILDERS.update(
    {
        "VarHandleOp": _RV + ".handle",
        "ReadVariableOp": _RV + ".value()",
        "AssignVariableOp": _RV + ".assign(a, read_value=False)",
        "AssignAddVariableOp": _RV + ".assign_add(a, read_value=False)",
        "AssignSubVariableOp": _RV + ".assign_sub(a, read_value=False)",
        "VarIsInitializedOp": f"tf.is_variable_initialized({_RV})",
        "VariableShape": f"g.create_op('VariableShape', [{_RV}.handle])",
        "ResourceGather": f"tf.gather({_RV}, [1, 0])",
        **{
            f"ResourceScatter{k}": f"tf.scatter_{k.lower()}({_RV}, [0], a[:1]).op"
            for k in ("Add", "Sub", "Mul", "Div", "Max", "Min", "Update")
        },
        **{
            f"ResourceScatterNd{k}": f"tf.scatter_nd_{k.lower()}({_RV}, [[0]], a[:1]).op"
            for k in ("Add", "Sub", "Update")
        },
        "ResourceCountUpTo": "tf.count_up_to(tf.Variable(0, use_resource=True), 3)",
        "ResourceStridedSliceAssign": _RV + "[:1].assign(a[:1]).op",
    }
)


def _twin_builder(op_type: str) -> str:
    """A ``Resource*`` optimizer op on the handle ``r``, its other inputs as its twin's."""
    names, n_handles, scalars = SIGNATURES[op_type]
    args = ["r"] * n_handles
    for name in names[n_handles:]:
        if name in scalars:
            args.append("a[0, 0]")
        elif name == "indices":
            args.append("i[0, :2]")
        elif name == "global_step":
            args.append("tf.constant(1, tf.int64)")
        else:
            args.append("a")
    return f"(lambda r: g.create_op('{op_type}', [{', '.join(args)}]))({_RV}.handle)"


BUILDERS.update({twin: _twin_builder(twin) for twin in TWINS})
BUILDERS.update({op_type: _twin_builder(op_type) for op_type in RESOURCE_ONLY})


def test_every_registered_op_type_has_a_builder():
    assert sorted(BUILDERS) == registry.registered_op_types()


def _build(expr: str) -> tuple[list[tf.Operation], tf.Operation]:
    """The ops that ``expr`` (a BUILDERS entry) adds to a fresh graph, and the op it returns."""
    g = tf.Graph()
    with g.as_default():
        env = {
            "tf": tf,
            "g": g,
            "a": tf.placeholder(tf.float32, [2, 3]),
            "b": tf.placeholder(tf.float32, [3, 4]),
            "m": tf.placeholder(tf.float32, [5, 3, 3]),
            "i": tf.placeholder(tf.int32, [2, 3]),
            "p": tf.placeholder(tf.bool, [2]),
            "u": tf.placeholder(tf.float32, [None, 3]),
            "x": tf.placeholder(tf.float32, [1, 5, 5, 2]),
            "w": tf.placeholder(tf.float32, [3, 3, 2, 4]),
        }
        env["s"] = tf.SparseTensor([[0, 0], [1, 2]], env["a"][0, :2], [2, 3])
        attrs = {"dtype": tf.float32, "shape": tf.TensorShape([2, 3])}
        env["v"] = g.create_op("VariableV2", [], attrs, name="v").outputs[0]
        before = len(g.get_operations())
        result = eval(expr, env)
    added = g.get_operations()[before:]
    return added, result if isinstance(result, tf.Operation) else result.op


@pytest.mark.parametrize(("op_type", "expr"), sorted(BUILDERS.items()))
def test_builder_adds_an_op_of_its_type(op_type, expr):
    added, op = _build(expr)
    assert op_type in {op.type for op in added}
    assert op in added


@pytest.mark.parametrize(("op_type", "expr"), sorted(BUILDERS.items()))
def test_reference_facts_match_the_ops_built(op_type, expr):
    # An op outputs references exactly when it is a variable or forwards one, and the plan
    # can follow every forwarded reference back to its VariableV2.
    ops = [op for op in _build(expr)[0] if op.type == op_type]
    op_def = registry.get_op_def(op_type)
    for op in ops:
        outputs_refs = any(t.dtype._is_ref_dtype for t in op.outputs)
        handle = op.type == "VarHandleOp"  # a variable whose output is a resource handle
        assert outputs_refs == ((op_def.is_variable and not handle) or op_def.ref_output)
        if op_def.ref_output:
            assert op.inputs[0].dtype._is_ref_dtype
            assert all(variable_of(t).type == "VariableV2" for t in op.outputs)


def _types_with(fact: str) -> set[str]:
    return {t for t in registry.registered_op_types() if getattr(registry.get_op_def(t), fact)}


def test_op_facts_name_the_op_types_tf1_gives_them():
    assert _types_with("control_flow") == {"Switch", "RefSwitch", "Merge"}
    assert _types_with("merges_dead") == {"Merge", "StackPushV2"}
    assert _types_with("is_variable") == {"VariableV2", "Variable", "VarHandleOp"}
    assert _types_with("is_placeholder") == {"Placeholder", "PlaceholderV2"}
    assert _types_with("host_only") == {
        *("Print", "PrintV2", "StringFormat", "RestoreV2", "Assert"),
        *("GenerateVocabRemapping", "LoadAndRemapMatrix", "DecodeWav", "EncodeWav"),
        *("DecodeCompressed", "DecodeJSONExample"),
        *("PyFunc", "PyFuncStateless", "EagerPyFunc"),
        *("ScalarSummary", "HistogramSummary", "ImageSummary", "AudioSummaryV2"),
        *("TensorSummaryV2", "MergeSummary"),
        *("TensorSliceDataset", "TensorDataset", "RangeDataset", "ZipDataset"),
        *("ConcatenateDataset", "MapDataset", "ParallelMapDatasetV2", "FilterDataset"),
        *("FlatMapDataset", "InterleaveDataset", "BatchDatasetV2", "PaddedBatchDatasetV2"),
        *("ShuffleDataset", "RepeatDataset", "TakeDataset", "SkipDataset", "PrefetchDataset"),
        *("CacheDataset", "IteratorV2", "OneShotIterator", "MakeIterator", "IteratorGetNext"),
        *("OptionsDataset", "DatasetCardinality"),
        *("IteratorToStringHandle", "IteratorFromStringHandleV2"),
        *("ShardDataset", "UnbatchDataset", "TakeWhileDataset", "ScanDataset"),
        *("ReduceDataset", "UniqueDataset", "MapAndBatchDataset", "ShuffleAndRepeatDataset"),
        *("LegacyParallelInterleaveDatasetV2", "IgnoreErrorsDataset", "RandomDataset"),
        *("DatasetToSingleElement", "DirectedInterleaveDataset", "GroupByWindowDataset"),
        "DatasetToTFRecord",
        "CSVDatasetV2",
        *("OptionalFromValue", "OptionalNone", "OptionalHasValue", "OptionalGetValue"),
        "IteratorGetNextAsOptional",
        "WindowDataset",
        *("ListDataset", "SqlDataset", "ExperimentalGroupByReducerDataset"),
        *("DenseToSparseBatchDataset", "AssertCardinalityDataset", "ParseExampleDatasetV2"),
        "InitializeTableFromDataset",
        "SparseTensorSliceDataset",
        "RebatchDatasetV2",
        *("SaveDataset", "LoadDataset", "SnapshotDatasetV2"),
        *("RaggedTensorToVariant", "RaggedTensorFromVariant"),
        *("ParseExampleV2", "DecodeRaw", "DecodeCSV", "StringSplit", "StringSplitV2"),
        *("StringJoin", "ReduceJoin", "StringLength", "Substr", "StaticRegexReplace"),
        *("RegexReplace", "StringToNumber", "AsString", "StringLower", "StringUpper"),
        *("StringStrip", "SerializeTensor", "ParseTensor", "ParseSequenceExampleV2"),
        *("RegexFullMatch", "StaticRegexFullMatch", "EncodeBase64", "DecodeBase64"),
        *("StringToHashBucketFast", "SerializeSparse", "DeserializeSparse"),
        *("StringToHashBucket", "StringToHashBucketStrong", "Fingerprint"),
        "SparseCross",
        *("SparseCrossV2", "DenseCountSparseOutput", "SparseCountSparseOutput"),
        "RaggedCountSparseOutput",
        "UnsortedSegmentJoin",
        *("ReadFile", "WriteFile", "DecodePng", "EncodePng", "DecodeJpeg"),
        *("EncodeJpeg", "DecodeImage"),
        *("ExtractJpegShape", "DecodeAndCropJpeg", "EncodeJpegVariableQuality"),
        *("DecodeBmp", "DecodeGif", "DecodeWebP"),
        *("MatchingFiles", "Timestamp", "SerializeManySparse", "DeserializeManySparse"),
    }
    assert {"Assign", "AssignAdd", "AssignSub", "RefSwitch", "ApplyAdam"} <= _types_with(
        "ref_output"
    )


def test_op_facts_are_consistent_for_every_registered_type():
    for op_type in registry.registered_op_types():
        op_def = registry.get_op_def(op_type)
        assert not op_def.ref_output or 0 in op_def.ref_inputs, op_type
        assert not op_def.is_variable or op_def.stateful, op_type
        assert all(isinstance(i, int) and i >= 0 for i in op_def.ref_inputs), op_type


def test_register_op_rejects_an_unknown_fact():
    with pytest.raises(TypeError, match="routes_dead"):
        registry.register_op("NoSuchTestOp", lambda inputs, attrs: [], routes_dead=True)
    assert "NoSuchTestOp" not in registry.registered_op_types()


def test_lookup_of_an_unknown_type_names_it():
    with pytest.raises(LookupError, match="no op registered for op type 'NoSuchOp'"):
        registry.get_op_def("NoSuchOp")
    with pytest.raises(LookupError, match="'NoSuchOp'"):
        tf.Graph().create_op("NoSuchOp", [])


def test_registering_a_type_twice_raises():
    with pytest.raises(ValueError, match="op type 'Const' is already registered"):
        registry.register_op("Const", lambda inputs, attrs: [])


def test_op_defs_record_type_gradient_marker_and_statefulness():
    const = registry.get_op_def("Const")
    assert (const.type, const.grad, const.stateful) == ("Const", registry.NOT_DIFFERENTIABLE, False)
    assert registry.get_op_def("RandomUniform").stateful
    assert repr(registry.NOT_DIFFERENTIABLE) == "NOT_DIFFERENTIABLE"
    assert tf.NOT_DIFFERENTIABLE is registry.NOT_DIFFERENTIABLE
