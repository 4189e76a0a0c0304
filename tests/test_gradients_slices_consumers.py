"""An IndexedSlices gradient (a gather's) reaching an op whose gradient needs it dense: made
dense where the gradient's ops use it, inside each op's scope under its argument's name
(``ReluGrad/gradients``, ``TanhGrad/dy``, ``mul/x``, ``transpose/x``, ``SelectV2/t``,
``CheckNumerics/tensor``, ``MatMul/a``, ``StridedSliceGrad/dy``), as TF
2.21 builds it; the op lists and values below are TF 2.21's."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

_SLICE = ["strided_slice/stack", "strided_slice/stack_1", "strided_slice/stack_2"]
_BOUNDS = ("shape", "begin", "end", "strides")


def _dense(scope: str, arg: str) -> list[tuple[str, str]]:
    """The ops TF makes to densify the gradient as ``arg`` of the op at ``scope``."""
    consts = [(f"{scope}/{name}", "Const") for name in _SLICE]
    return [
        *consts,
        (f"{scope}/strided_slice", "StridedSlice"),
        (f"{scope}/{arg}", "UnsortedSegmentSum"),
    ]


_CASES = {
    "relu": (
        tf.nn.relu,
        [*_dense("Relu_grad/ReluGrad", "gradients"), ("Relu_grad/ReluGrad", "ReluGrad")],
    ),
    "tanh": (tf.tanh, [*_dense("Tanh_grad/TanhGrad", "dy"), ("Tanh_grad/TanhGrad", "TanhGrad")]),
    "exp": (tf.exp, [*_dense("Exp_grad/mul", "x"), ("Exp_grad/mul", "Mul")]),
    "softplus": (
        tf.nn.softplus,
        [
            ("Softplus_grad/Sigmoid", "Sigmoid"),
            *_dense("Softplus_grad/mul", "x"),
            ("Softplus_grad/mul", "Mul"),
        ],
    ),
    "transpose": (
        lambda a: tf.transpose(tf.transpose(a)),
        [
            ("transpose_1_grad/InvertPermutation", "InvertPermutation"),
            *_dense("transpose_1_grad/transpose", "x"),
            ("transpose_1_grad/transpose", "Transpose"),
            ("transpose_grad/InvertPermutation", "InvertPermutation"),
            ("transpose_grad/transpose", "Transpose"),
        ],
    ),
    "minimum": (
        lambda a: tf.minimum(a, 0.5),
        [
            ("Minimum_grad/zeros_like", "Const"),  # zeros of the slices' shape: not made dense
            ("Minimum_grad/LessEqual", "LessEqual"),
            *_dense("Minimum_grad/SelectV2", "t"),  # dense once for each SelectV2, as TF
            ("Minimum_grad/SelectV2", "SelectV2"),
            *_dense("Minimum_grad/SelectV2_1", "e"),
            ("Minimum_grad/SelectV2_1", "SelectV2"),
            ("Minimum_grad/Shape", "Const"),
            ("Minimum_grad/Shape_1", "Const"),
            ("Minimum_grad/Sum/reduction_indices", "Const"),
            ("Minimum_grad/Sum", "Sum"),
            ("Minimum_grad/Reshape", "Reshape"),
        ],
    ),
    "sign": (tf.sign, [("Sign_grad/zeros_like", "Const")]),  # never made dense
    "matmul": (
        lambda a: tf.matmul(a, tf.ones([3, 3])),
        [
            *_dense("MatMul_grad/MatMul", "a"),
            ("MatMul_grad/MatMul", "MatMul"),
            *_dense("MatMul_grad/MatMul_1", "b"),
            ("MatMul_grad/MatMul_1", "MatMul"),
        ],
    ),
    "strided_slice": (
        lambda a: a[:, 1:],
        [
            ("strided_slice_grad/Shape", "Const"),
            *((f"strided_slice_grad/StridedSliceGrad/{n}", "Const") for n in _BOUNDS),
            *_dense("strided_slice_grad/StridedSliceGrad", "dy"),
            ("strided_slice_grad/StridedSliceGrad", "StridedSliceGrad"),
        ],
    ),
    "reduce_sum": (
        lambda a: tf.reduce_sum(a, 1, keepdims=True),
        [
            ("Sum_grad/Maximum/x", "Const"),
            ("Sum_grad/Maximum/y", "Const"),
            ("Sum_grad/Maximum", "Maximum"),
            ("Sum_grad/floordiv/x", "Const"),
            ("Sum_grad/floordiv", "FloorDiv"),
            *_dense("Sum_grad/Reshape", "tensor"),
            ("Sum_grad/Reshape/shape", "Const"),
            ("Sum_grad/Reshape", "Reshape"),
            ("Sum_grad/Tile/multiples", "Const"),
            ("Sum_grad/Tile", "Tile"),
        ],
    ),
    "bias_add": (  # the slices passed on to the input as they are (an IndexedSlices)
        lambda a: tf.nn.bias_add(a, tf.constant([0.1, 0.2, 0.3])),
        [
            *_dense("BiasAdd_grad/BiasAddGrad", "out_backprop"),
            ("BiasAdd_grad/BiasAddGrad", "BiasAddGrad"),
        ],
    ),
    "softmax": (
        tf.nn.softmax,
        [
            *_dense("Softmax_grad/mul", "x"),
            ("Softmax_grad/mul", "Mul"),
            ("Softmax_grad/Sum/reduction_indices", "Const"),
            ("Softmax_grad/Sum", "Sum"),
            *_dense("Softmax_grad/sub", "x"),
            ("Softmax_grad/sub", "Sub"),
            ("Softmax_grad/mul_1", "Mul"),
        ],
    ),
    "reverse": (
        lambda a: tf.reverse(a, [0]),
        [*_dense("ReverseV2_grad/ReverseV2", "tensor"), ("ReverseV2_grad/ReverseV2", "ReverseV2")],
    ),
    "stack": (
        lambda a: tf.stack([a, a], axis=1),
        [
            *_dense("stack_grad/unstack", "value"),
            ("stack_grad/unstack", "Unpack"),
            ("AddN", "AddN"),
        ],
    ),
    "mirror_pad": (
        lambda a: tf.pad(a, [[0, 0], [1, 1]], mode="REFLECT"),
        [
            *_dense("MirrorPad_grad/MirrorPadGrad", "input"),
            ("MirrorPad_grad/MirrorPadGrad", "MirrorPadGrad"),
        ],
    ),
    "dynamic_partition": (
        lambda a: tf.dynamic_partition(a, [0, 1, 0, 1, 0], 2)[0],
        [
            ("zeros_like", "ZerosLike"),  # the unused partition's, in the gradients' scope
            ("DynamicPartition_grad/Shape", "Const"),
            ("DynamicPartition_grad/Const", "Const"),
            ("DynamicPartition_grad/Prod", "Prod"),
            ("DynamicPartition_grad/range/start", "Const"),
            ("DynamicPartition_grad/range/delta", "Const"),
            ("DynamicPartition_grad/range", "Range"),
            ("DynamicPartition_grad/Reshape", "Reshape"),
            ("DynamicPartition_grad/DynamicPartition", "DynamicPartition"),
            *_dense("DynamicPartition_grad/ParallelDynamicStitch", "data_0"),
            ("DynamicPartition_grad/ParallelDynamicStitch", "ParallelDynamicStitch"),
            ("DynamicPartition_grad/Shape_1", "Const"),
            ("DynamicPartition_grad/Reshape_1", "Reshape"),
        ],
    ),
    "unsorted_segment_sum": (
        lambda a: tf.math.unsorted_segment_sum(a, [0, 0, 1, 2, 3], 4),
        [
            ("UnsortedSegmentSum_grad/zeros_like", "Const"),
            ("UnsortedSegmentSum_grad/Maximum", "Maximum"),
            *_dense("UnsortedSegmentSum_grad/GatherV2", "params"),
            ("UnsortedSegmentSum_grad/GatherV2/axis", "Const"),
            ("UnsortedSegmentSum_grad/GatherV2", "GatherV2"),
            *(
                (f"UnsortedSegmentSum_grad/{n}", t)
                for n, t in (
                    ("GreaterEqual/y", "Const"),
                    ("GreaterEqual", "GreaterEqual"),
                    ("Shape", "Const"),
                    ("Rank", "Const"),
                    ("Rank_1", "Const"),
                    ("sub", "Sub"),
                    ("ones/packed", "Pack"),
                    ("ones/Const", "Const"),
                    ("ones", "Fill"),
                    ("concat/axis", "Const"),
                    ("concat", "ConcatV2"),
                    ("Reshape", "Reshape"),
                    ("ones_like/Shape/shape_as_tensor", "Const"),
                    ("ones_like/Const", "Const"),
                    ("ones_like", "Fill"),
                    ("and", "LogicalAnd"),
                    ("zeros_like_1", "Const"),
                    ("SelectV2", "SelectV2"),
                )
            ),
        ],
    ),
    "tile": (  # the rows wrap onto the input's (mod), no dense tiled gradient, as TF
        lambda a: tf.tile(a, [2, 3]),
        [
            (f"Tile_grad/{n}", t)
            for n, t in (
                ("Shape", "Const"),
                ("stack", "Pack"),
                ("transpose/perm", "Const"),
                ("transpose", "Transpose"),
                ("Reshape/shape", "Const"),
                ("Reshape", "Reshape"),
                ("Size", "Const"),
                ("range/start", "Const"),
                ("range/delta", "Const"),
                ("range", "Range"),
                *((f"strided_slice/{c}", "Const") for c in ("stack", "stack_1", "stack_2")),
                ("strided_slice", "StridedSlice"),
                ("mod", "FloorMod"),
                ("UnsortedSegmentSum", "UnsortedSegmentSum"),
                *((f"strided_slice_1/{c}", "Const") for c in ("stack", "stack_1", "stack_2")),
                ("strided_slice_1", "StridedSlice"),
                ("concat/values_0", "Const"),
                ("concat/axis", "Const"),
                ("concat", "ConcatV2"),
                ("Reshape_1", "Reshape"),
                ("Sum", "Sum"),
            )
        ],
    ),
    "reverse_sequence": (
        lambda a: tf.reverse_sequence(a, [1, 2, 3, 1, 2], 1, 0),
        [
            *_dense("ReverseSequence_grad/ReverseSequence", "input"),
            ("ReverseSequence_grad/ReverseSequence", "ReverseSequence"),
        ],
    ),
    "scatter_nd": (
        lambda a: tf.scatter_nd([[0], [2]], a[:2], [5, 3]),
        [
            *_dense("ScatterNd_grad/GatherNd", "params"),
            ("ScatterNd_grad/GatherNd", "GatherNd"),
            ("strided_slice_grad/Shape", "Const"),
            *((f"strided_slice_grad/StridedSliceGrad/{n}", "Const") for n in _BOUNDS),
            ("strided_slice_grad/StridedSliceGrad", "StridedSliceGrad"),
        ],
    ),
    "cumprod": (  # the product recomputed from the input, as TF's gradient does
        tf.cumprod,
        [
            ("Cumprod_grad/Cumprod", "Cumprod"),
            *_dense("Cumprod_grad/mul", "y"),
            ("Cumprod_grad/mul", "Mul"),
            ("Cumprod_grad/Cumsum", "Cumsum"),
            ("Cumprod_grad/div_no_nan", "DivNoNan"),
        ],
    ),
    "einsum": (
        lambda a: tf.einsum("ij,jk->ik", a, tf.ones([3, 3])),
        [
            ("einsum/Einsum_grad/Shape", "Const"),
            ("einsum/Einsum_grad/Shape_1", "Const"),
            *_dense("einsum/Einsum_grad/Einsum", "inputs_0"),
            ("einsum/Einsum_grad/Einsum", "Einsum"),
            *_dense("einsum/Einsum_grad/Einsum_1", "inputs_0"),
            ("einsum/Einsum_grad/Einsum_1", "Einsum"),
        ],
    ),
    "squared_difference": (  # TF's scalar_mul keeps the slices: their values doubled
        lambda a: tf.squared_difference(a, 1.0),
        [
            ("SquaredDifference_grad/scalar", "Const"),
            ("SquaredDifference_grad/Mul", "Mul"),
            ("SquaredDifference_grad/sub", "Sub"),
            *_dense("SquaredDifference_grad/mul_1", "x"),
            ("SquaredDifference_grad/mul_1", "Mul"),
            ("SquaredDifference_grad/Neg", "Neg"),
            ("SquaredDifference_grad/Shape", "Const"),
            ("SquaredDifference_grad/Shape_1", "Const"),
            ("SquaredDifference_grad/Sum/reduction_indices", "Const"),
            ("SquaredDifference_grad/Sum", "Sum"),
            ("SquaredDifference_grad/Reshape", "Reshape"),
        ],
    ),
    "real": (  # the imaginary zero made first, then the slices as Complex's real part
        lambda a: tf.real(tf.complex(a, a)),
        [
            ("Real_grad/Const", "Const"),
            *_dense("Real_grad", "real"),
            ("Real_grad/Complex", "Complex"),
            ("Complex_grad/Real", "Real"),
            ("Complex_grad/Imag", "Imag"),
            ("Complex_grad/Shape", "Const"),
            ("Complex_grad/Shape_1", "Const"),
            ("AddN", "AddN"),
        ],
    ),
    "lgamma": (
        tf.lgamma,
        [
            ("Lgamma_grad/Digamma", "Digamma"),
            *_dense("Lgamma_grad/mul", "x"),
            ("Lgamma_grad/mul", "Mul"),
        ],
    ),
    "check_numerics": (
        lambda a: tf.debugging.check_numerics(a, "m"),
        [
            *_dense("CheckNumerics_grad/CheckNumerics", "tensor"),
            ("CheckNumerics_grad/CheckNumerics", "CheckNumerics"),
        ],
    ),
    "band_part": (
        lambda a: tf.matrix_band_part(a, 0, -1),
        [
            *_dense("MatrixBandPart_grad/MatrixBandPart", "input"),
            ("MatrixBandPart_grad/MatrixBandPart", "MatrixBandPart"),
        ],
    ),
    "where": (
        lambda a: tf.where(a > 0.5, a, a * 2.0),
        [
            ("Select_grad/zeros_like", "Const"),
            *_dense("Select_grad/Select", "t"),
            ("Select_grad/Select", "Select"),
            *_dense("Select_grad/Select_1", "e"),
            ("Select_grad/Select_1", "Select"),
            ("mul_grad/Mul", "Mul"),
            ("mul_grad/Mul_1", "Mul"),
            ("mul_grad/Shape", "Const"),
            ("mul_grad/Shape_1", "Const"),
            ("mul_grad/Sum/reduction_indices", "Const"),
            ("mul_grad/Sum", "Sum"),
            ("mul_grad/Reshape", "Reshape"),
            ("AddN", "AddN"),
        ],
    ),
}
# Gradients that wait for the incoming one (TF's control_dependencies([grad])): these ops
# wait for the op making the slices' values.
_WAITING = {
    "tanh": {f"Tanh_grad/TanhGrad/{c}" for c in _SLICE},
    "exp": {f"Exp_grad/mul/{c}" for c in _SLICE},
    "squared_difference": {
        "SquaredDifference_grad/scalar",
        "SquaredDifference_grad/sub",
        *(f"SquaredDifference_grad/mul_1/{c}" for c in _SLICE),
    },
    "lgamma": {"Lgamma_grad/Digamma", *(f"Lgamma_grad/mul/{c}" for c in _SLICE)},
}
_E = np.arange(15, dtype=np.float32).reshape(5, 3) / 10 + 0.1
_WANT = {  # TF 2.21's gradients for _E
    "relu": [
        [-0.5, -0.357143, -0.214286],
        [0] * 3,
        [0.285714, 0.571429, 0.857143],
        [0] * 3,
        [0] * 3,
    ],
    "tanh": [
        [-0.495033, -0.34323, -0.196101],
        [0] * 3,
        [0.181354, 0.31946, 0.417358],
        [0] * 3,
        [0] * 3,
    ],
    "exp": [
        [-0.552586, -0.436215, -0.289255],
        [0] * 3,
        [0.575358, 1.271738, 2.108232],
        [0] * 3,
        [0] * 3,
    ],
    "minimum": [[-0.5, -0.357143, -0.214286], [0] * 3, [0] * 3, [0] * 3, [0] * 3],
    "where": [
        [-1.0, -0.714286, -0.428571],
        [0] * 3,
        [0.285714, 0.571429, 0.857143],
        [0] * 3,
        [0] * 3,
    ],
    "lgamma": [
        [5.211878, 1.888943, 0.750541],
        [0] * 3,
        [-0.348578, -0.551433, -0.64708],
        [0] * 3,
        [0] * 3,
    ],
    "matmul": [[-1.071428] * 3, [0] * 3, [1.714286] * 3, [0] * 3, [0] * 3],
    "strided_slice": [[0, -0.5, -0.357143], [0] * 3, [0, -0.142857, 0.142857], [0] * 3, [0] * 3],
    "reduce_sum": [[-0.5] * 3, [0] * 3, [-0.571429] * 3, [0] * 3, [0] * 3],
    "softmax": [[-0.045802, -0.003159, 0.048961], [0] * 3, [-0.091605, -0.006318, 0.097922]]
    + [[0] * 3] * 2,
    "tile": [[-0.214286, 0.214286, 0.642857], [0] * 3, [11.142857, 12.0, 12.857143], [0] * 3]
    + [[0] * 3],
    "einsum": [[-1.071428] * 3, [0] * 3, [1.714286] * 3, [0] * 3, [0] * 3],
    "band_part": [[-0.5, -0.357143, -0.214286], [0] * 3, [0, 0, 0.857143], [0] * 3, [0] * 3],
}


@pytest.mark.parametrize("case", sorted(_CASES))
def test_slices_made_dense_where_used(case):
    fn, want = _CASES[case]
    with tf.Graph().as_default() as graph:
        emb = tf.placeholder(tf.float32, [5, 3], name="emb")
        y = tf.gather(fn(emb), tf.constant([0, 2, 2]))
        dims = y.shape.as_list()
        weights = np.arange(np.prod(dims), dtype=np.float32).reshape(dims) / 7 - 0.5
        loss = tf.reduce_sum(y * tf.constant(weights))
        (grad,) = tf.gradients(loss, emb)
        ops = graph.get_operations()
        start = [op.name for op in ops].index("gradients/GatherV2_grad/Reshape_1") + 1
        made = ops[start:]
        assert [(op.name, op.type) for op in made] == [(f"gradients/{n}", t) for n, t in want]
        for op in made:
            waits = op.name[len("gradients/") :] in _WAITING.get(case, ())
            expected = ["gradients/GatherV2_grad/Reshape"] if waits else []
            assert [c.name for c in op.control_inputs] == expected, op.name
        assert isinstance(grad, tf.IndexedSlices) == (case == "bias_add")
        if case in _WANT:
            with tf.Session() as sess:
                got = sess.run(grad, {emb: _E})
            np.testing.assert_allclose(got, _WANT[case], rtol=1e-5, atol=1e-6)
