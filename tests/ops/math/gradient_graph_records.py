"""TF 2.21's gradient graphs (``tf.compat.v1.gradients``, graph mode) of the reductions and
of broadcasting binary ops, recorded from the reference TensorFlow by hand: per case, the
placeholder shapes, the expression, every op ``tf.gradients`` added (one line each: name,
type, inputs, then the control inputs after ``^``; ``~`` stands for ``gradients/``, output 0
goes without ``:0``) and, for the reductions, the gradient's values (flattened) for the
input ``arange % 5 + 1``."""

from __future__ import annotations

REDUCTIONS = {
    "sum-known-all": (
        [2, 3, 4],
        "tf.reduce_sum(x)",
        """
~Shape Const
~grad_ys_0/Const Const
~grad_ys_0 Fill ~Shape ~grad_ys_0/Const
~Sum_grad/Reshape/shape Const
~Sum_grad/Reshape Reshape ~grad_ys_0 ~Sum_grad/Reshape/shape
~Sum_grad/Const Const
~Sum_grad/Tile Tile ~Sum_grad/Reshape ~Sum_grad/Const
""",
        ("1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1"),
    ),
    "sum-known-axis": (
        [2, 3, 4],
        "tf.reduce_sum(x, 1)",
        """
~Shape Const
~grad_ys_0/Const Const
~grad_ys_0 Fill ~Shape ~grad_ys_0/Const
~Sum_grad/Maximum/x Const
~Sum_grad/Maximum/y Const
~Sum_grad/Maximum Maximum ~Sum_grad/Maximum/x ~Sum_grad/Maximum/y
~Sum_grad/floordiv/x Const
~Sum_grad/floordiv FloorDiv ~Sum_grad/floordiv/x ~Sum_grad/Maximum
~Sum_grad/Reshape/shape Const
~Sum_grad/Reshape Reshape ~grad_ys_0 ~Sum_grad/Reshape/shape
~Sum_grad/Tile/multiples Const
~Sum_grad/Tile Tile ~Sum_grad/Reshape ~Sum_grad/Tile/multiples
""",
        ("1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1"),
    ),
    "sum-known-axis-twice": (
        [2, 3, 4],
        "tf.reduce_sum(tf.reduce_sum(x, 1, keepdims=True) * x, 1)",
        """
~Shape Const
~grad_ys_0/Const Const
~grad_ys_0 Fill ~Shape ~grad_ys_0/Const
~Sum_1_grad/Maximum/x Const
~Sum_1_grad/Maximum/y Const
~Sum_1_grad/Maximum Maximum ~Sum_1_grad/Maximum/x ~Sum_1_grad/Maximum/y
~Sum_1_grad/floordiv/x Const
~Sum_1_grad/floordiv FloorDiv ~Sum_1_grad/floordiv/x ~Sum_1_grad/Maximum
~Sum_1_grad/Reshape/shape Const
~Sum_1_grad/Reshape Reshape ~grad_ys_0 ~Sum_1_grad/Reshape/shape
~Sum_1_grad/Tile/multiples Const
~Sum_1_grad/Tile Tile ~Sum_1_grad/Reshape ~Sum_1_grad/Tile/multiples
~mul_grad/Mul Mul ~Sum_1_grad/Tile x
~mul_grad/Mul_1 Mul Sum ~Sum_1_grad/Tile
~mul_grad/Shape Const
~mul_grad/Shape_1 Const
~mul_grad/Sum/reduction_indices Const
~mul_grad/Sum Sum ~mul_grad/Mul ~mul_grad/Sum/reduction_indices
~mul_grad/Reshape Reshape ~mul_grad/Sum ~mul_grad/Shape
~Sum_grad/Reshape/shape Const
~Sum_grad/Reshape Reshape ~mul_grad/Reshape ~Sum_grad/Reshape/shape
~Sum_grad/Tile/multiples Const
~Sum_grad/Tile Tile ~Sum_grad/Reshape ~Sum_grad/Tile/multiples
~AddN AddN ~mul_grad/Mul_1 ~Sum_grad/Tile
""",
        ("20 16 12 18 20 16 12 18 20 16 12 18 12 18 24 20 12 18 24 20 12 18 24 20"),
    ),
    "sum-partial-axis": (
        [None, 3, 4],
        "tf.reduce_sum(x, -1)",
        """
~Shape Shape Sum
~grad_ys_0/Const Const
~grad_ys_0 Fill ~Shape ~grad_ys_0/Const
~Sum_grad/Shape Shape x
~Sum_grad/Size Const
~Sum_grad/add AddV2 Sum/reduction_indices ~Sum_grad/Size
~Sum_grad/mod FloorMod ~Sum_grad/add ~Sum_grad/Size
~Sum_grad/Shape_1 Const
~Sum_grad/range/start Const
~Sum_grad/range/delta Const
~Sum_grad/range Range ~Sum_grad/range/start ~Sum_grad/Size ~Sum_grad/range/delta
~Sum_grad/ones/Const Const
~Sum_grad/ones Fill ~Sum_grad/Shape_1 ~Sum_grad/ones/Const
~Sum_grad/DynamicStitch DynamicStitch ~Sum_grad/range ~Sum_grad/mod ~Sum_grad/Shape
    ~Sum_grad/ones
~Sum_grad/Reshape Reshape ~grad_ys_0 ~Sum_grad/DynamicStitch
~Sum_grad/BroadcastTo BroadcastTo ~Sum_grad/Reshape ~Sum_grad/Shape
""",
        ("1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1"),
    ),
    "sum-partial-axis-keepdims": (
        [None, 3, 4],
        "tf.reduce_sum(x, [0, 2], keepdims=True)",
        """
~Shape Const
~grad_ys_0/Const Const
~grad_ys_0 Fill ~Shape ~grad_ys_0/Const
~Sum_grad/Shape Shape x
~Sum_grad/BroadcastTo BroadcastTo ~grad_ys_0 ~Sum_grad/Shape
""",
        ("1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1"),
    ),
    "sum-partial-all": (
        [None, 3, 4],
        "tf.reduce_sum(x)",
        """
~Shape Const
~grad_ys_0/Const Const
~grad_ys_0 Fill ~Shape ~grad_ys_0/Const
~Sum_grad/Reshape/shape Const
~Sum_grad/Reshape Reshape ~grad_ys_0 ~Sum_grad/Reshape/shape
~Sum_grad/Shape Shape x
~Sum_grad/Tile Tile ~Sum_grad/Reshape ~Sum_grad/Shape
""",
        ("1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1"),
    ),
    "sum-unknown-rank": (
        None,
        "tf.reduce_sum(x)",
        """
~Shape Const
~grad_ys_0/Const Const
~grad_ys_0 Fill ~Shape ~grad_ys_0/Const
~Sum_grad/Shape Shape x
~Sum_grad/Size Size ~Sum_grad/Shape
~Sum_grad/add AddV2 range ~Sum_grad/Size
~Sum_grad/mod FloorMod ~Sum_grad/add ~Sum_grad/Size
~Sum_grad/Shape_1 Shape ~Sum_grad/mod
~Sum_grad/range/start Const
~Sum_grad/range/delta Const
~Sum_grad/range Range ~Sum_grad/range/start ~Sum_grad/Size ~Sum_grad/range/delta
~Sum_grad/ones/Const Const
~Sum_grad/ones Fill ~Sum_grad/Shape_1 ~Sum_grad/ones/Const
~Sum_grad/DynamicStitch DynamicStitch ~Sum_grad/range ~Sum_grad/mod ~Sum_grad/Shape
    ~Sum_grad/ones
~Sum_grad/Reshape Reshape ~grad_ys_0 ~Sum_grad/DynamicStitch
~Sum_grad/BroadcastTo BroadcastTo ~Sum_grad/Reshape ~Sum_grad/Shape
""",
        ("1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1"),
    ),
    "sum-scalar": (
        [],
        "tf.reduce_sum(x)",
        """
~Shape Const
~grad_ys_0/Const Const
~grad_ys_0 Fill ~Shape ~grad_ys_0/Const
~Sum_grad/Reshape/shape Const
~Sum_grad/Reshape/shape_1 Const
~Sum_grad/Reshape Reshape ~grad_ys_0 ~Sum_grad/Reshape/shape_1
~Sum_grad/Const Const
~Sum_grad/Tile Tile ~Sum_grad/Reshape ~Sum_grad/Const
""",
        ("1"),
    ),
    "sum-tensor-axis": (
        [2, 3, 4],
        "tf.reduce_sum(x, tf.placeholder(tf.int32, [None], name='axis'))",
        """
~Shape Shape Sum
~grad_ys_0/Const Const
~grad_ys_0 Fill ~Shape ~grad_ys_0/Const
~Sum_grad/Shape Const
~Sum_grad/Size Const
~Sum_grad/add AddV2 axis ~Sum_grad/Size
~Sum_grad/mod FloorMod ~Sum_grad/add ~Sum_grad/Size
~Sum_grad/Shape_1 Shape ~Sum_grad/mod
~Sum_grad/range/start Const
~Sum_grad/range/delta Const
~Sum_grad/range Range ~Sum_grad/range/start ~Sum_grad/Size ~Sum_grad/range/delta
~Sum_grad/ones/Const Const
~Sum_grad/ones Fill ~Sum_grad/Shape_1 ~Sum_grad/ones/Const
~Sum_grad/DynamicStitch DynamicStitch ~Sum_grad/range ~Sum_grad/mod ~Sum_grad/Shape
    ~Sum_grad/ones
~Sum_grad/Reshape Reshape ~grad_ys_0 ~Sum_grad/DynamicStitch
~Sum_grad/BroadcastTo BroadcastTo ~Sum_grad/Reshape ~Sum_grad/Shape
""",
        None,
    ),
    "mean-known-axis": (
        [2, 3, 4],
        "tf.reduce_mean(x, 1)",
        """
~Shape Const
~grad_ys_0/Const Const
~grad_ys_0 Fill ~Shape ~grad_ys_0/Const
~Mean_grad/Maximum/x Const
~Mean_grad/Maximum/y Const
~Mean_grad/Maximum Maximum ~Mean_grad/Maximum/x ~Mean_grad/Maximum/y
~Mean_grad/floordiv/x Const
~Mean_grad/floordiv FloorDiv ~Mean_grad/floordiv/x ~Mean_grad/Maximum
~Mean_grad/Reshape/shape Const
~Mean_grad/Reshape Reshape ~grad_ys_0 ~Mean_grad/Reshape/shape
~Mean_grad/Tile/multiples Const
~Mean_grad/Tile Tile ~Mean_grad/Reshape ~Mean_grad/Tile/multiples
~Mean_grad/Const Const
~Mean_grad/truediv RealDiv ~Mean_grad/Tile ~Mean_grad/Const
""",
        (
            "0.3333333 0.3333333 0.3333333 0.3333333 0.3333333 0.3333333 0.3333333 0.3333333 "
            "0.3333333 0.3333333 0.3333333 0.3333333 0.3333333 0.3333333 0.3333333 0.3333333 "
            "0.3333333 0.3333333 0.3333333 0.3333333 0.3333333 0.3333333 0.3333333 0.3333333"
        ),
    ),
    "mean-known-all": (
        [2, 3, 4],
        "tf.reduce_mean(x)",
        """
~Shape Const
~grad_ys_0/Const Const
~grad_ys_0 Fill ~Shape ~grad_ys_0/Const
~Mean_grad/Reshape/shape Const
~Mean_grad/Reshape Reshape ~grad_ys_0 ~Mean_grad/Reshape/shape
~Mean_grad/Const Const
~Mean_grad/Tile Tile ~Mean_grad/Reshape ~Mean_grad/Const
~Mean_grad/Const_1 Const
~Mean_grad/truediv RealDiv ~Mean_grad/Tile ~Mean_grad/Const_1
""",
        (
            "0.04166667 0.04166667 0.04166667 0.04166667 0.04166667 0.04166667 0.04166667 "
            "0.04166667 0.04166667 0.04166667 0.04166667 0.04166667 0.04166667 0.04166667 "
            "0.04166667 0.04166667 0.04166667 0.04166667 0.04166667 0.04166667 0.04166667 "
            "0.04166667 0.04166667 0.04166667"
        ),
    ),
    "mean-partial-axis": (
        [None, 3, 4],
        "tf.reduce_mean(x, 1)",
        """
~Shape Shape Mean
~grad_ys_0/Const Const
~grad_ys_0 Fill ~Shape ~grad_ys_0/Const
~Mean_grad/Shape Shape x
~Mean_grad/Size Const
~Mean_grad/add AddV2 Mean/reduction_indices ~Mean_grad/Size
~Mean_grad/mod FloorMod ~Mean_grad/add ~Mean_grad/Size
~Mean_grad/Shape_1 Const
~Mean_grad/range/start Const
~Mean_grad/range/delta Const
~Mean_grad/range Range ~Mean_grad/range/start ~Mean_grad/Size ~Mean_grad/range/delta
~Mean_grad/ones/Const Const
~Mean_grad/ones Fill ~Mean_grad/Shape_1 ~Mean_grad/ones/Const
~Mean_grad/DynamicStitch DynamicStitch ~Mean_grad/range ~Mean_grad/mod ~Mean_grad/Shape
    ~Mean_grad/ones
~Mean_grad/Reshape Reshape ~grad_ys_0 ~Mean_grad/DynamicStitch
~Mean_grad/BroadcastTo BroadcastTo ~Mean_grad/Reshape ~Mean_grad/Shape
~Mean_grad/Shape_2 Shape x
~Mean_grad/Size_1 Const
~Mean_grad/add_1 AddV2 Mean/reduction_indices ~Mean_grad/Size_1
~Mean_grad/mod_1 FloorMod ~Mean_grad/add_1 ~Mean_grad/Size_1
~Mean_grad/GatherV2/axis Const
~Mean_grad/GatherV2 GatherV2 ~Mean_grad/Shape_2 ~Mean_grad/mod_1 ~Mean_grad/GatherV2/axis
~Mean_grad/Rank Const
~Mean_grad/range_1/start Const
~Mean_grad/range_1/delta Const
~Mean_grad/range_1 Range ~Mean_grad/range_1/start ~Mean_grad/Rank ~Mean_grad/range_1/delta
~Mean_grad/Prod Prod ~Mean_grad/GatherV2 ~Mean_grad/range_1
~Mean_grad/Cast Cast ~Mean_grad/Prod
~Mean_grad/truediv RealDiv ~Mean_grad/BroadcastTo ~Mean_grad/Cast
""",
        (
            "0.3333333 0.3333333 0.3333333 0.3333333 0.3333333 0.3333333 0.3333333 0.3333333 "
            "0.3333333 0.3333333 0.3333333 0.3333333 0.3333333 0.3333333 0.3333333 0.3333333 "
            "0.3333333 0.3333333 0.3333333 0.3333333 0.3333333 0.3333333 0.3333333 0.3333333"
        ),
    ),
    "mean-partial-all": (
        [None, 3, 4],
        "tf.reduce_mean(x)",
        """
~Shape Const
~grad_ys_0/Const Const
~grad_ys_0 Fill ~Shape ~grad_ys_0/Const
~Mean_grad/Reshape/shape Const
~Mean_grad/Reshape Reshape ~grad_ys_0 ~Mean_grad/Reshape/shape
~Mean_grad/Shape Shape x
~Mean_grad/Tile Tile ~Mean_grad/Reshape ~Mean_grad/Shape
~Mean_grad/Shape_1 Shape x
~Mean_grad/Size Const
~Mean_grad/add AddV2 Const ~Mean_grad/Size
~Mean_grad/mod FloorMod ~Mean_grad/add ~Mean_grad/Size
~Mean_grad/GatherV2/axis Const
~Mean_grad/GatherV2 GatherV2 ~Mean_grad/Shape_1 ~Mean_grad/mod ~Mean_grad/GatherV2/axis
~Mean_grad/Const Const
~Mean_grad/Prod Prod ~Mean_grad/GatherV2 ~Mean_grad/Const
~Mean_grad/Cast Cast ~Mean_grad/Prod
~Mean_grad/truediv RealDiv ~Mean_grad/Tile ~Mean_grad/Cast
""",
        (
            "0.04166667 0.04166667 0.04166667 0.04166667 0.04166667 0.04166667 0.04166667 "
            "0.04166667 0.04166667 0.04166667 0.04166667 0.04166667 0.04166667 0.04166667 "
            "0.04166667 0.04166667 0.04166667 0.04166667 0.04166667 0.04166667 0.04166667 "
            "0.04166667 0.04166667 0.04166667"
        ),
    ),
    "mean-scalar": (
        [],
        "tf.reduce_mean(x)",
        """
~Shape Const
~grad_ys_0/Const Const
~grad_ys_0 Fill ~Shape ~grad_ys_0/Const
~Mean_grad/Reshape/shape Const
~Mean_grad/Reshape/shape_1 Const
~Mean_grad/Reshape Reshape ~grad_ys_0 ~Mean_grad/Reshape/shape_1
~Mean_grad/Const Const
~Mean_grad/Tile Tile ~Mean_grad/Reshape ~Mean_grad/Const
~Mean_grad/Const_1 Const
~Mean_grad/truediv RealDiv ~Mean_grad/Tile ~Mean_grad/Const_1
""",
        ("1"),
    ),
    "max-known-axis": (
        [2, 3, 4],
        "tf.reduce_max(x, 1)",
        """
~Shape Const
~grad_ys_0/Const Const
~grad_ys_0 Fill ~Shape ~grad_ys_0/Const
~Max_grad/Shape Const
~Max_grad/Reshape/shape Const
~Max_grad/Reshape Reshape Max ~Max_grad/Reshape/shape
~Max_grad/Reshape_1/shape Const
~Max_grad/Reshape_1 Reshape ~grad_ys_0 ~Max_grad/Reshape_1/shape
~Max_grad/Equal Equal ~Max_grad/Reshape x
~Max_grad/Cast Cast ~Max_grad/Equal
~Max_grad/Sum Sum ~Max_grad/Cast Max/reduction_indices
~Max_grad/Reshape_2/shape Const
~Max_grad/Reshape_2 Reshape ~Max_grad/Sum ~Max_grad/Reshape_2/shape
~Max_grad/truediv RealDiv ~Max_grad/Cast ~Max_grad/Reshape_2
~Max_grad/mul Mul ~Max_grad/truediv ~Max_grad/Reshape_1
""",
        ("0 0 1 1 1 0 0 0 0 1 0 0 1 1 1 0 0 0 0 1 0 0 0 0"),
    ),
    "min-known-keepdims": (
        [2, 3, 4],
        "tf.reduce_min(x, 1, keepdims=True)",
        """
~Shape Const
~grad_ys_0/Const Const
~grad_ys_0 Fill ~Shape ~grad_ys_0/Const
~Min_grad/Shape Const
~Min_grad/Shape_1 Const
~Min_grad/Equal Equal Min x
~Min_grad/Cast Cast ~Min_grad/Equal
~Min_grad/Sum Sum ~Min_grad/Cast Min/reduction_indices
~Min_grad/Reshape Reshape ~Min_grad/Sum ~Min_grad/Shape_1
~Min_grad/truediv RealDiv ~Min_grad/Cast ~Min_grad/Reshape
~Min_grad/mul Mul ~Min_grad/truediv ~grad_ys_0
""",
        ("1 0 0 0 0 1 0 0 0 0 1 1 0 0 0 1 0 0 0 0 1 1 1 0"),
    ),
    "max-partial-axis": (
        [None, 3, 4],
        "tf.reduce_max(x, [0, 2])",
        """
~Shape Const
~grad_ys_0/Const Const
~grad_ys_0 Fill ~Shape ~grad_ys_0/Const
~Max_grad/Shape Shape x
~Max_grad/Size Const
~Max_grad/add AddV2 Max/reduction_indices ~Max_grad/Size
~Max_grad/mod FloorMod ~Max_grad/add ~Max_grad/Size
~Max_grad/Shape_1 Const
~Max_grad/range/start Const
~Max_grad/range/delta Const
~Max_grad/range Range ~Max_grad/range/start ~Max_grad/Size ~Max_grad/range/delta
~Max_grad/ones/Const Const
~Max_grad/ones Fill ~Max_grad/Shape_1 ~Max_grad/ones/Const
~Max_grad/DynamicStitch DynamicStitch ~Max_grad/range ~Max_grad/mod ~Max_grad/Shape
    ~Max_grad/ones
~Max_grad/Reshape Reshape Max ~Max_grad/DynamicStitch
~Max_grad/Reshape_1 Reshape ~grad_ys_0 ~Max_grad/DynamicStitch
~Max_grad/Equal Equal ~Max_grad/Reshape x
~Max_grad/Cast Cast ~Max_grad/Equal
~Max_grad/Sum Sum ~Max_grad/Cast Max/reduction_indices
~Max_grad/Reshape_2 Reshape ~Max_grad/Sum ~Max_grad/DynamicStitch
~Max_grad/truediv RealDiv ~Max_grad/Cast ~Max_grad/Reshape_2
~Max_grad/mul Mul ~Max_grad/truediv ~Max_grad/Reshape_1
""",
        ("0 0 0 0 0.5 0 0 0 0 1 0 0 0 0 1 0 0 0 0 0.5 0 0 0 0"),
    ),
    "prod-known-axis": (
        [2, 3, 4],
        "tf.reduce_prod(x, 1)",
        """
~Shape Const
~grad_ys_0/Const Const
~grad_ys_0 Fill ~Shape ~grad_ys_0/Const
~Prod_grad/Shape Const
~Prod_grad/Reshape/shape Const
~Prod_grad/Reshape Reshape Prod/reduction_indices ~Prod_grad/Reshape/shape
~Prod_grad/Reshape_1/shape Const
~Prod_grad/Reshape_1 Reshape ~grad_ys_0 ~Prod_grad/Reshape_1/shape
~Prod_grad/BroadcastTo BroadcastTo ~Prod_grad/Reshape_1 ~Prod_grad/Shape
~Prod_grad/Rank Const
~Prod_grad/add AddV2 ~Prod_grad/Reshape ~Prod_grad/Rank
~Prod_grad/mod FloorMod ~Prod_grad/add ~Prod_grad/Rank
~Prod_grad/range/start Const
~Prod_grad/range/delta Const
~Prod_grad/range Range ~Prod_grad/range/start ~Prod_grad/Rank ~Prod_grad/range/delta
~Prod_grad/ListDiff ListDiff ~Prod_grad/range ~Prod_grad/mod
~Prod_grad/concat/axis Const
~Prod_grad/concat ConcatV2 ~Prod_grad/mod ~Prod_grad/ListDiff ~Prod_grad/concat/axis
~Prod_grad/GatherV2/axis Const
~Prod_grad/GatherV2 GatherV2 ~Prod_grad/Shape ~Prod_grad/mod ~Prod_grad/GatherV2/axis
~Prod_grad/Const Const
~Prod_grad/Prod Prod ~Prod_grad/GatherV2 ~Prod_grad/Const
~Prod_grad/GatherV2_1/axis Const
~Prod_grad/GatherV2_1 GatherV2 ~Prod_grad/Shape ~Prod_grad/ListDiff
    ~Prod_grad/GatherV2_1/axis
~Prod_grad/Const_1 Const
~Prod_grad/Prod_1 Prod ~Prod_grad/GatherV2_1 ~Prod_grad/Const_1
~Prod_grad/transpose Transpose x ~Prod_grad/concat
~Prod_grad/Shape_1 Const
~Prod_grad/Reshape_2/shape Pack ~Prod_grad/Prod ~Prod_grad/Prod_1
~Prod_grad/Reshape_2 Reshape ~Prod_grad/transpose ~Prod_grad/Reshape_2/shape
~Prod_grad/Cumprod/axis Const
~Prod_grad/Cumprod Cumprod ~Prod_grad/Reshape_2 ~Prod_grad/Cumprod/axis
~Prod_grad/Cumprod_1/axis Const
~Prod_grad/Cumprod_1 Cumprod ~Prod_grad/Reshape_2 ~Prod_grad/Cumprod_1/axis
~Prod_grad/mul Mul ~Prod_grad/Cumprod ~Prod_grad/Cumprod_1
~Prod_grad/Reshape_3 Reshape ~Prod_grad/mul ~Prod_grad/Shape_1
~Prod_grad/InvertPermutation InvertPermutation ~Prod_grad/concat
~Prod_grad/transpose_1 Transpose ~Prod_grad/Reshape_3 ~Prod_grad/InvertPermutation
~Prod_grad/mul_1 Mul ~Prod_grad/BroadcastTo ~Prod_grad/transpose_1
~Prod_grad/Reshape_4 Reshape ~Prod_grad/mul_1 ~Prod_grad/Shape
""",
        ("20 5 2 6 4 10 3 8 5 2 6 12 2 6 12 20 3 8 15 4 6 12 20 5"),
    ),
    "prod-partial-all": (
        [None, 3, 4],
        "tf.reduce_prod(x, keepdims=True)",
        """
~Shape Const
~grad_ys_0/Const Const
~grad_ys_0 Fill ~Shape ~grad_ys_0/Const
~Prod_grad/Shape Shape x
~Prod_grad/Reshape/shape Const
~Prod_grad/Reshape Reshape Const ~Prod_grad/Reshape/shape
~Prod_grad/BroadcastTo BroadcastTo ~grad_ys_0 ~Prod_grad/Shape
~Prod_grad/Rank Const
~Prod_grad/add AddV2 ~Prod_grad/Reshape ~Prod_grad/Rank
~Prod_grad/mod FloorMod ~Prod_grad/add ~Prod_grad/Rank
~Prod_grad/range/start Const
~Prod_grad/range/delta Const
~Prod_grad/range Range ~Prod_grad/range/start ~Prod_grad/Rank ~Prod_grad/range/delta
~Prod_grad/ListDiff ListDiff ~Prod_grad/range ~Prod_grad/mod
~Prod_grad/concat/axis Const
~Prod_grad/concat ConcatV2 ~Prod_grad/mod ~Prod_grad/ListDiff ~Prod_grad/concat/axis
~Prod_grad/GatherV2/axis Const
~Prod_grad/GatherV2 GatherV2 ~Prod_grad/Shape ~Prod_grad/mod ~Prod_grad/GatherV2/axis
~Prod_grad/Const Const
~Prod_grad/Prod Prod ~Prod_grad/GatherV2 ~Prod_grad/Const
~Prod_grad/GatherV2_1/axis Const
~Prod_grad/GatherV2_1 GatherV2 ~Prod_grad/Shape ~Prod_grad/ListDiff
    ~Prod_grad/GatherV2_1/axis
~Prod_grad/Const_1 Const
~Prod_grad/Prod_1 Prod ~Prod_grad/GatherV2_1 ~Prod_grad/Const_1
~Prod_grad/transpose Transpose x ~Prod_grad/concat
~Prod_grad/Shape_1 Shape ~Prod_grad/transpose
~Prod_grad/Reshape_1/shape Pack ~Prod_grad/Prod ~Prod_grad/Prod_1
~Prod_grad/Reshape_1 Reshape ~Prod_grad/transpose ~Prod_grad/Reshape_1/shape
~Prod_grad/Cumprod/axis Const
~Prod_grad/Cumprod Cumprod ~Prod_grad/Reshape_1 ~Prod_grad/Cumprod/axis
~Prod_grad/Cumprod_1/axis Const
~Prod_grad/Cumprod_1 Cumprod ~Prod_grad/Reshape_1 ~Prod_grad/Cumprod_1/axis
~Prod_grad/mul Mul ~Prod_grad/Cumprod ~Prod_grad/Cumprod_1
~Prod_grad/Reshape_2 Reshape ~Prod_grad/mul ~Prod_grad/Shape_1
~Prod_grad/InvertPermutation InvertPermutation ~Prod_grad/concat
~Prod_grad/transpose_1 Transpose ~Prod_grad/Reshape_2 ~Prod_grad/InvertPermutation
~Prod_grad/mul_1 Mul ~Prod_grad/BroadcastTo ~Prod_grad/transpose_1
~Prod_grad/Reshape_3 Reshape ~Prod_grad/mul_1 ~Prod_grad/Shape
""",
        (
            "4.97664e+09 2.48832e+09 1.65888e+09 1.24416e+09 9.95328e+08 4.97664e+09 "
            "2.48832e+09 1.65888e+09 1.24416e+09 9.95328e+08 4.97664e+09 2.48832e+09 "
            "1.65888e+09 1.24416e+09 9.95328e+08 4.97664e+09 2.48832e+09 1.65888e+09 "
            "1.24416e+09 9.95328e+08 4.97664e+09 2.48832e+09 1.65888e+09 1.24416e+09"
        ),
    ),
}

BINARY = {
    "maximum-known-same": (
        ([2, 3], [2, 3], "float32"),
        "tf.maximum(a, b)",
        """
~Shape Const
~grad_ys_0/Const Const
~grad_ys_0 Fill ~Shape ~grad_ys_0/Const
~Maximum_grad/zeros_like Const
~Maximum_grad/GreaterEqual GreaterEqual a b
~Maximum_grad/SelectV2 SelectV2 ~Maximum_grad/GreaterEqual ~grad_ys_0
    ~Maximum_grad/zeros_like
~Maximum_grad/SelectV2_1 SelectV2 ~Maximum_grad/GreaterEqual ~Maximum_grad/zeros_like
    ~grad_ys_0
~Maximum_grad/Shape Const
~Maximum_grad/Shape_1 Const
""",
    ),
    "realdiv-scalars": (
        ([], [], "float32"),
        "a / b",
        """
~Shape Const
~grad_ys_0/Const Const
~grad_ys_0 Fill ~Shape ~grad_ys_0/Const
~truediv_grad/RealDiv RealDiv ~grad_ys_0 b
~truediv_grad/Neg Neg a
~truediv_grad/RealDiv_1 RealDiv ~truediv_grad/Neg b
~truediv_grad/RealDiv_2 RealDiv ~truediv_grad/RealDiv_1 b
~truediv_grad/mul Mul ~grad_ys_0 ~truediv_grad/RealDiv_2
~truediv_grad/Shape Const
~truediv_grad/Shape_1 Const
""",
    ),
    "mul-float64-known-same": (
        ([2, 3], [2, 3], "float64"),
        "a * b",
        """
~Shape Const
~grad_ys_0/Const Const
~grad_ys_0 Fill ~Shape ~grad_ys_0/Const
~mul_grad/Mul Mul ~grad_ys_0 b
~mul_grad/Mul_1 Mul a ~grad_ys_0
~mul_grad/Shape Const
~mul_grad/Shape_1 Const
""",
    ),
    "add-known-same": (
        ([2, 3], [2, 3], "float64"),
        "a + b",
        """
~Shape Const
~grad_ys_0/Const Const
~grad_ys_0 Fill ~Shape ~grad_ys_0/Const
""",
    ),
    "pow-partial-vec": (
        ([None, 3], [3], "float32"),
        "tf.pow(a, b)",
        """
~Shape Shape Pow
~grad_ys_0/Const Const
~grad_ys_0 Fill ~Shape ~grad_ys_0/Const
~Pow_grad/mul Mul ~grad_ys_0 b
~Pow_grad/sub/y Const
~Pow_grad/sub Sub b ~Pow_grad/sub/y
~Pow_grad/Pow Pow a ~Pow_grad/sub
~Pow_grad/mul_1 Mul ~Pow_grad/mul ~Pow_grad/Pow
~Pow_grad/Greater/y Const
~Pow_grad/Greater Greater a ~Pow_grad/Greater/y
~Pow_grad/ones_like/Shape Shape a
~Pow_grad/ones_like/Const Const
~Pow_grad/ones_like Fill ~Pow_grad/ones_like/Shape ~Pow_grad/ones_like/Const
~Pow_grad/Select Select ~Pow_grad/Greater a ~Pow_grad/ones_like
~Pow_grad/Log Log ~Pow_grad/Select
~Pow_grad/zeros_like ZerosLike a
~Pow_grad/Select_1 Select ~Pow_grad/Greater ~Pow_grad/Log ~Pow_grad/zeros_like
~Pow_grad/mul_2 Mul ~grad_ys_0 Pow
~Pow_grad/mul_3 Mul ~Pow_grad/mul_2 ~Pow_grad/Select_1
~Pow_grad/Shape Shape a
~Pow_grad/Shape_1 Const
~Pow_grad/Sum/reduction_indices Const
~Pow_grad/Sum Sum ~Pow_grad/mul_3 ~Pow_grad/Sum/reduction_indices
~Pow_grad/Reshape Reshape ~Pow_grad/Sum ~Pow_grad/Shape_1
""",
    ),
    "xdivy-float64-known-vec": (
        ([2, 3], [3], "float64"),
        "tf.math.xdivy(a, b)",
        """
~Shape Const
~grad_ys_0/Const Const
~grad_ys_0 Fill ~Shape ~grad_ys_0/Const
~xdivy/Xdivy_grad/Shape Const
~xdivy/Xdivy_grad/Shape_1 Const
~xdivy/Xdivy_grad/BroadcastGradientArgs BroadcastGradientArgs ~xdivy/Xdivy_grad/Shape
    ~xdivy/Xdivy_grad/Shape_1
~xdivy/Xdivy_grad/Cast/x Const ^~grad_ys_0
~xdivy/Xdivy_grad/Cast Cast ~xdivy/Xdivy_grad/Cast/x
~xdivy/Xdivy_grad/NotEqual NotEqual a ~xdivy/Xdivy_grad/Cast
~xdivy/Xdivy_grad/Cast_1 Cast ~xdivy/Xdivy_grad/NotEqual
~xdivy/Xdivy_grad/Xdivy Xdivy ~xdivy/Xdivy_grad/Cast_1 b
~xdivy/Xdivy_grad/Neg Neg a ^~grad_ys_0
~xdivy/Xdivy_grad/pow/y Const ^~grad_ys_0
~xdivy/Xdivy_grad/pow Pow b ~xdivy/Xdivy_grad/pow/y
~xdivy/Xdivy_grad/Xdivy_1 Xdivy ~xdivy/Xdivy_grad/Neg ~xdivy/Xdivy_grad/pow
~xdivy/Xdivy_grad/mul Mul ~xdivy/Xdivy_grad/Xdivy ~grad_ys_0
~xdivy/Xdivy_grad/Sum Sum ~xdivy/Xdivy_grad/mul ~xdivy/Xdivy_grad/BroadcastGradientArgs
~xdivy/Xdivy_grad/Reshape Reshape ~xdivy/Xdivy_grad/Sum ~xdivy/Xdivy_grad/Shape
~xdivy/Xdivy_grad/mul_1 Mul ~xdivy/Xdivy_grad/Xdivy_1 ~grad_ys_0
~xdivy/Xdivy_grad/Sum_1 Sum ~xdivy/Xdivy_grad/mul_1
    ~xdivy/Xdivy_grad/BroadcastGradientArgs:1
~xdivy/Xdivy_grad/Reshape_1 Reshape ~xdivy/Xdivy_grad/Sum_1 ~xdivy/Xdivy_grad/Shape_1
""",
    ),
    "xlogy-partial-same": (
        ([None, 3], [None, 3], "float32"),
        "tf.math.xlogy(a, b)",
        """
~Shape Shape Xlogy
~grad_ys_0/Const Const
~grad_ys_0 Fill ~Shape ~grad_ys_0/Const
~Xlogy_grad/Shape Shape a
~Xlogy_grad/Shape_1 Shape b
~Xlogy_grad/BroadcastGradientArgs BroadcastGradientArgs ~Xlogy_grad/Shape
    ~Xlogy_grad/Shape_1
~Xlogy_grad/Cast/x Const ^~grad_ys_0
~Xlogy_grad/NotEqual NotEqual a ~Xlogy_grad/Cast/x
~Xlogy_grad/Cast_1 Cast ~Xlogy_grad/NotEqual
~Xlogy_grad/Xlogy Xlogy ~Xlogy_grad/Cast_1 b
~Xlogy_grad/Xdivy Xdivy a b ^~grad_ys_0
~Xlogy_grad/mul Mul ~Xlogy_grad/Xlogy ~grad_ys_0
~Xlogy_grad/Sum Sum ~Xlogy_grad/mul ~Xlogy_grad/BroadcastGradientArgs
~Xlogy_grad/Reshape Reshape ~Xlogy_grad/Sum ~Xlogy_grad/Shape
~Xlogy_grad/mul_1 Mul ~Xlogy_grad/Xdivy ~grad_ys_0
~Xlogy_grad/Sum_1 Sum ~Xlogy_grad/mul_1 ~Xlogy_grad/BroadcastGradientArgs:1
~Xlogy_grad/Reshape_1 Reshape ~Xlogy_grad/Sum_1 ~Xlogy_grad/Shape_1
""",
    ),
    "where-known-vec": (
        ([2, 3], [3], "float32"),
        "tf.where_v2(a > 1.0, a, b)",
        """
~Shape Const
~grad_ys_0/Const Const
~grad_ys_0 Fill ~Shape ~grad_ys_0/Const
~SelectV2_grad/zeros Const
~SelectV2_grad/SelectV2 SelectV2 Greater ~grad_ys_0 ~SelectV2_grad/zeros
~SelectV2_grad/SelectV2_1 SelectV2 Greater ~SelectV2_grad/zeros ~grad_ys_0
~SelectV2_grad/Shape Const
~SelectV2_grad/Shape_1 Const
~SelectV2_grad/Shape_2 Const
~SelectV2_grad/Shape_3 Const
~SelectV2_grad/Sum/reduction_indices Const
~SelectV2_grad/Sum Sum ~SelectV2_grad/SelectV2_1 ~SelectV2_grad/Sum/reduction_indices
~SelectV2_grad/Reshape Reshape ~SelectV2_grad/Sum ~SelectV2_grad/Shape_2
""",
    ),
    "where-unknown": (
        (None, None, "float32"),
        "tf.where_v2(a > 1.0, a, b)",
        """
~Shape Shape SelectV2
~grad_ys_0/Const Const
~grad_ys_0 Fill ~Shape ~grad_ys_0/Const
~SelectV2_grad/zeros Const
~SelectV2_grad/SelectV2 SelectV2 Greater ~grad_ys_0 ~SelectV2_grad/zeros
~SelectV2_grad/SelectV2_1 SelectV2 Greater ~SelectV2_grad/zeros ~grad_ys_0
~SelectV2_grad/Shape Shape a
~SelectV2_grad/Shape_1 Shape SelectV2
~SelectV2_grad/BroadcastGradientArgs BroadcastGradientArgs ~SelectV2_grad/Shape
    ~SelectV2_grad/Shape_1
~SelectV2_grad/Sum Sum ~SelectV2_grad/SelectV2 ~SelectV2_grad/BroadcastGradientArgs
~SelectV2_grad/Reshape Reshape ~SelectV2_grad/Sum ~SelectV2_grad/Shape
~SelectV2_grad/Shape_2 Shape b
~SelectV2_grad/Shape_3 Shape SelectV2
~SelectV2_grad/BroadcastGradientArgs_1 BroadcastGradientArgs ~SelectV2_grad/Shape_2
    ~SelectV2_grad/Shape_3
~SelectV2_grad/Sum_1 Sum ~SelectV2_grad/SelectV2_1 ~SelectV2_grad/BroadcastGradientArgs_1
~SelectV2_grad/Reshape_1 Reshape ~SelectV2_grad/Sum_1 ~SelectV2_grad/Shape_2
""",
    ),
    "squared-difference-known-vec": (
        ([2, 3], [3], "float32"),
        "tf.squared_difference(a, b)",
        """
~Shape Const
~grad_ys_0/Const Const
~grad_ys_0 Fill ~Shape ~grad_ys_0/Const
~SquaredDifference_grad/scalar Const ^~grad_ys_0
~SquaredDifference_grad/Mul Mul ~SquaredDifference_grad/scalar ~grad_ys_0
~SquaredDifference_grad/sub Sub a b ^~grad_ys_0
~SquaredDifference_grad/mul_1 Mul ~SquaredDifference_grad/Mul ~SquaredDifference_grad/sub
~SquaredDifference_grad/Neg Neg ~SquaredDifference_grad/mul_1
~SquaredDifference_grad/Shape Const
~SquaredDifference_grad/Shape_1 Const
~SquaredDifference_grad/Sum/reduction_indices Const
~SquaredDifference_grad/Sum Sum ~SquaredDifference_grad/Neg
    ~SquaredDifference_grad/Sum/reduction_indices
~SquaredDifference_grad/Reshape Reshape ~SquaredDifference_grad/Sum
    ~SquaredDifference_grad/Shape_1
""",
    ),
    "atan2-known-same": (
        ([2, 3], [2, 3], "float32"),
        "tf.atan2(a, b)",
        """
~Shape Const
~grad_ys_0/Const Const
~grad_ys_0 Fill ~Shape ~grad_ys_0/Const
~Atan2_grad/Square Square a ^~grad_ys_0
~Atan2_grad/Square_1 Square b ^~grad_ys_0
~Atan2_grad/add AddV2 ~Atan2_grad/Square ~Atan2_grad/Square_1
~Atan2_grad/truediv RealDiv ~grad_ys_0 ~Atan2_grad/add
~Atan2_grad/mul Mul b ~Atan2_grad/truediv
~Atan2_grad/Neg Neg a ^~grad_ys_0
~Atan2_grad/mul_1 Mul ~Atan2_grad/Neg ~Atan2_grad/truediv
~Atan2_grad/Shape Const ^~grad_ys_0
~Atan2_grad/Shape_1 Const ^~grad_ys_0
""",
    ),
}
