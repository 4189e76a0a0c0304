"""Conv2DTranspose (tf.layers and tf.keras) with dilation_rate: tf.nn.atrous_conv2d_transpose on
the layer's output-shape tensor, as tf_keras's backend builds it; op lists, shapes, values and
errors are TF 2.21's."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

_KERNEL = np.linspace(-1, 1, 3 * 2 * 4 * 3).reshape(3, 2, 4, 3)
_X = np.arange(180, dtype=np.float32).reshape(2, 5, 6, 3) / 50
# The ops TF 2.21 makes in conv2d_transpose/atrous_conv2d_transpose/ for a tensor output_shape
_ATROUS = (
    "strided_slice/stack Const;strided_slice/stack_1 Const;strided_slice/stack_2 Const;"
    "strided_slice StridedSlice;add/y Const;add AddV2;add_1/y Const;add_1 AddV2;"
    "strided_slice_1/stack Const;strided_slice_1/stack_1 Const;strided_slice_1/stack_2 Const;"
    "strided_slice_1 StridedSlice;add_2/y Const;add_2 AddV2;add_3/y Const;add_3 AddV2;"
    "mod/y Const;mod FloorMod;sub/x Const;sub Sub;mod_1/y Const;mod_1 FloorMod;mod_2/y Const;"
    "mod_2 FloorMod;sub_1/x Const;sub_1 Sub;mod_3/y Const;mod_3 FloorMod;"
    "SpaceToBatchND/block_shape Const;SpaceToBatchND/paddings/0/0 Const;"
    "SpaceToBatchND/paddings/0 Pack;SpaceToBatchND/paddings/1/0 Const;"
    "SpaceToBatchND/paddings/1 Pack;SpaceToBatchND/paddings Pack;SpaceToBatchND SpaceToBatchND;"
    "strided_slice_2/stack Const;strided_slice_2/stack_1 Const;strided_slice_2/stack_2 Const;"
    "strided_slice_2 StridedSlice;mul/x Const;mul Mul;add_4 AddV2;floordiv/y Const;"
    "floordiv FloorDiv;add_5 AddV2;floordiv_1/y Const;floordiv_1 FloorDiv;"
    "strided_slice_3/stack Const;strided_slice_3/stack_1 Const;strided_slice_3/stack_2 Const;"
    "strided_slice_3 StridedSlice;Conv2DBackpropInput/input_sizes Pack;"
    "Conv2DBackpropInput Conv2DBackpropInput;add_6/x Const;add_6 AddV2;add_7/x Const;"
    "add_7 AddV2;BatchToSpaceND/block_shape Const;BatchToSpaceND/crops/0/0 Const;"
    "BatchToSpaceND/crops/0 Pack;BatchToSpaceND/crops/1/0 Const;BatchToSpaceND/crops/1 Pack;"
    "BatchToSpaceND/crops Pack;BatchToSpaceND BatchToSpaceND"
)
# (padding, rate) -> TF 2.21's output shape, sum and output[0, :2, :2, 0]
_WANT = {
    ("same", 2): ((2, 5, 6, 4), -338.86197, [[-2.30113, -3.93155], [-3.67014, -5.93944]]),
    ("valid", 2): ((2, 9, 8, 4), 59.222595, [[0.04282, -0.13211], [-1.00676, -1.18169]]),
    ("same", 3): ((2, 5, 6, 4), -370.27603, [[-3.3507, -3.57887], [-4.71972, -4.94789]]),
    ("valid", 3): ((2, 11, 9, 4), 80.82254, [[0.04282, -0.13211], [-1.00676, -1.18169]]),
}


def _layer(api: str, padding: str, rate):
    cls = tf.keras.layers.Conv2DTranspose if api == "keras" else tf.layers.Conv2DTranspose
    return cls(
        4,
        (3, 2),
        padding=padding,
        dilation_rate=rate,
        kernel_initializer=tf.constant_initializer(_KERNEL),
        bias_initializer=tf.constant_initializer(0.1),
    )


@pytest.mark.parametrize("api", ["layers", "keras"])
@pytest.mark.parametrize(("padding", "rate"), sorted(_WANT))
def test_dilated_transpose_values(api, padding, rate):
    shape, total, corner = _WANT[padding, rate]
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [2, 5, 6, 3])
        y = _layer(api, padding, rate)(x)
        assert y.shape.as_list() == list(shape)
        assert y.op.inputs[0].op.name == "conv2d_transpose/atrous_conv2d_transpose/BatchToSpaceND"
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            got = sess.run(y, {x: _X})
    assert got.shape == shape
    np.testing.assert_allclose(got.sum(), total, rtol=1e-5)
    np.testing.assert_allclose(got[0, :2, :2, 0], corner, rtol=1e-4, atol=1e-5)


def test_keras_graph_is_tfs():
    with tf.Graph().as_default() as graph:
        _layer("keras", "valid", 2)(tf.placeholder(tf.float32, [2, 5, 6, 3]))
        prefix = "conv2d_transpose/atrous_conv2d_transpose/"
        made = [
            f"{op.name[len(prefix) :]} {op.type}"
            for op in graph.get_operations()
            if op.name.startswith(prefix) and op.type != "ReadVariableOp"
        ]
    assert ";".join(made) == _ATROUS


def test_unknown_image_size_and_gradient():
    # TF 2.21: batch, then the unknown height sliced from Shape, then height * 1 + 4
    with tf.Graph().as_default() as graph:
        x = tf.placeholder(tf.float32, [None, None, 6, 3])
        init = tf.constant_initializer(np.linspace(-1, 1, 3 * 3 * 4 * 3).reshape(3, 3, 4, 3))
        layer = tf.keras.layers.Conv2DTranspose(4, 3, dilation_rate=2, kernel_initializer=init)
        y = layer(x)
        assert y.shape.as_list() == [None, None, 10, 4]
        pack = graph.get_operation_by_name("conv2d_transpose/stack")
        assert [t.name for t in pack.inputs[:2]] == [
            "conv2d_transpose/strided_slice:0",
            "conv2d_transpose/add:0",
        ]
        (grad,) = tf.gradients(tf.reduce_sum(y * y), layer.kernel)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            value, kernel_grad = sess.run(
                [y, grad], {x: np.arange(180, dtype=np.float32).reshape(2, 5, 6, 3) / 50}
            )
    assert value.shape == (2, 9, 10, 4)
    np.testing.assert_allclose(value.sum(), 1.6148682, rtol=1e-4)
    np.testing.assert_allclose(kernel_grad.sum(), 70.79175, rtol=1e-4)
    np.testing.assert_allclose(kernel_grad[0, 0, :2, 0], [-2560.7798, -2267.0068], rtol=1e-5)


def test_dilation_errors_are_tfs():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [2, 5, 6, 3])
        layer = tf.keras.layers.Conv2DTranspose(
            4, 3, dilation_rate=(2, 3)
        )  # made: fails when called
        with pytest.raises(
            ValueError, match=r"to be equal to each other\. Received: dilation_rate"
        ):
            layer(x)
        with pytest.raises(ValueError, match=r"`strides > 1` not supported in conjunction with"):
            tf.layers.Conv2DTranspose(4, 3, strides=2, dilation_rate=2)
