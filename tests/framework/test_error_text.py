"""Run-time error messages carry TF's own text: shapes as ``[2,3]``, dtypes by TF's kernel
names (``float``, ``double``, ``half``). Every expected text below is the message TF 2.21
(``tensorflow.compat.v1`` in graph mode) gave for the same program."""

from __future__ import annotations

import re

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.framework.error_text import kernel_type_name, shape_str


def test_shape_str_spells_shapes_as_tf_kernels():
    assert shape_str((2, 3)) == "[2,3]"
    assert shape_str(tf.TensorShape([None, 3])) == "[?,3]"
    assert shape_str(()) == "[]"


def test_kernel_type_name_uses_tf_names_for_floats():
    assert [kernel_type_name(t) for t in (tf.float32, tf.float64, tf.float16)] == [
        "float",
        "double",
        "half",
    ]
    assert kernel_type_name(np.dtype("int64")) == "int64"


def _holder(name):
    return tf.placeholder(tf.float32, None, name=name)


# fmt: off
RUN_TIME = [
    # (id, build from placeholders a and b, a fed, b fed, TF 2.21's message)
    ("add", lambda a, b: a + b, np.ones((2, 3)), np.ones((3, 2)),
     "Incompatible shapes: [2,3] vs. [3,2]"),
    ("sub-rank-3", lambda a, b: a - b, np.ones((2, 1, 4)), np.ones((3, 5)),
     "Incompatible shapes: [2,1,4] vs. [3,5]"),
    ("maximum", tf.maximum, np.ones(4), np.ones(3), "Incompatible shapes: [4] vs. [3]"),
    ("broadcast_to", lambda a, b: tf.broadcast_to(a, [2, 2]), np.ones(3), 0,
     "Incompatible shapes: [3] vs. [2,2]"),
    ("batch-matmul", tf.matmul, np.ones((2, 3)), np.ones((2, 3)),
     "Matrix size-incompatible: In[0]: [2,3], In[1]: [2,3] 0 0"),
    ("batch-matmul-adjoint", lambda a, b: tf.matmul(a, b, adjoint_b=True), np.ones((4, 2, 3)),
     np.ones((4, 2, 2)), "Matrix size-incompatible: In[0]: [4,2,3], In[1]: [4,2,2] 0 1"),
    ("batch-matmul-batch", tf.matmul, np.ones((4, 2, 3)), np.ones((3, 3, 2)),
     "In[0] and In[1] must have compatible batch dimensions: [4,2,3] vs. [3,3,2]"),
    ("batch-matmul-vector", tf.matmul, np.ones(2), np.ones((2, 3)),
     "In[0] ndims must be >= 2: 1"),
    ("sum-axis", lambda a, b: tf.reduce_sum(a, 3), np.ones((2, 2)), 0,
     "Invalid reduction dimension (3 for input with 2 dimension(s)"),
    ("mean-negative-axis", lambda a, b: tf.reduce_mean(a, -3), np.ones((2, 2)), 0,
     "Invalid reduction dimension (-3 for input with 2 dimension(s)"),
    ("concat", lambda a, b: tf.concat([a, b], 0), np.ones((2, 3)), np.ones((2, 2)),
     "ConcatOp : Dimension 1 in both shapes must be equal: shape[0] = [2,3] vs. shape[1] = "
     "[2,2]"),
    ("gather_nd", lambda a, b: tf.gather_nd(a, [[0, 5]]), np.ones((2, 2)), 0,
     "indices[0] = [0, 5] does not index into param shape [2,2], node name: GatherNd"),
    ("scatter_nd", lambda a, b: tf.scatter_nd([[0, 5]], a, [4, 3]), np.ones(1), 0,
     "indices[0] = [0, 5] does not index into shape [4,3]"),
    ("xent", lambda a, b: tf.nn.softmax_cross_entropy_with_logits_v2(labels=a, logits=b),
     np.ones((2, 3)), np.ones((2, 2)),
     "logits and labels must be broadcastable: logits_size=[2,2] labels_size=[2,3]"),
    ("conv2d-depth", lambda a, b: tf.nn.conv2d(a, b, 1, "VALID"), np.ones((1, 4, 4, 3)),
     np.ones((2, 2, 2, 5)), "input depth must be evenly divisible by filter depth: 3 vs 2"),
    ("conv2d-groups", lambda a, b: tf.nn.conv2d(a, b, 1, "VALID"), np.ones((1, 8, 8, 4)),
     np.ones((1, 1, 2, 3)), "output depth must be evenly divisible by number of groups: 3 vs 2"),
    ("unstack", lambda a, b: tf.unstack(a, num=3)[0], np.ones((2, 3, 4)), 0,
     "Input shape axis 0 must equal 3, got shape [2,3,4]"),
    ("bias_add", tf.nn.bias_add, np.ones((2, 3)), np.ones(2),
     "Must provide as many biases as the last dimension of the input tensor: [2] vs. [2,3]"),
    ("add_n", lambda a, b: tf.add_n([a, b]), np.ones((2, 3)), np.ones(2),
     "Inputs to operation AddN of type AddN must have the same size and shape.  Input 0: "
     "[2,3] != input 1: [2]"),
    ("segment_sum", lambda a, b: tf.math.unsorted_segment_sum(a, tf.cast(b, tf.int32), 3),
     np.ones((2, 3, 4)), np.zeros(3),
     "data.shape = [2,3,4] does not start with segment_ids.shape = [3]"),
    ("pad", lambda a, b: tf.pad(a, tf.cast(b, tf.int32)), np.ones((2, 2)), np.ones((1, 2)),
     "The first dimension of paddings must be the rank of inputs[1,2] [2,2]"),
    ("fill", lambda a, b: tf.fill(tf.cast(b, tf.int32), 1.0), 0, np.ones((1, 1)),
     "dims must represent a vector, got shape [1,1]"),
]
# fmt: on


@pytest.mark.parametrize(
    ("build", "a", "b", "message"), [c[1:] for c in RUN_TIME], ids=[c[0] for c in RUN_TIME]
)
def test_kernel_errors_carry_tf_text(run, build, a, b, message):
    x, y = _holder("a"), _holder("b")
    out = build(x, y)
    with pytest.raises(tf.errors.InvalidArgumentError, match=re.escape(message)):
        run(out, {x: a, y: b})


def test_integer_division_by_zero_is_tf_text_alone(run):
    out = tf.floordiv(tf.constant(1), tf.constant(0))
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        run(out)
    assert info.value.message.startswith("Integer division by zero\n")


@pytest.mark.parametrize(
    ("dtype", "shape", "words"),
    [
        (tf.float32, [2], "with dtype float and shape [2] ("),
        (tf.float64, [None, 3], "with dtype double and shape [?,3] ("),
        (tf.float16, [3], "with dtype half and shape [3] ("),
        (tf.int64, [], "with dtype int64 ("),  # TF names no shape for a scalar...
        (tf.int32, None, "with dtype int32 ("),  # ...nor for an unknown one
    ],
)
def test_unfed_placeholder_names_tf_dtype_and_shape(run, dtype, shape, words):
    x = tf.placeholder(dtype, shape, name="x")
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        run(tf.identity(x))
    assert f"You must feed a value for placeholder tensor 'x' {words}" in info.value.message


def test_assign_shapes_as_tf(run):
    v = tf.Variable(tf.zeros([2, 3]))
    assign = tf.assign(v, _holder("a"))
    run(v.initializer)
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=re.escape(
            "Assign requires shapes of both tensors to match. lhs shape= [2,3] rhs shape= [3,2]"
        ),
    ):
        run(assign, {"a:0": np.ones((3, 2))})


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: tf.assign(tf.Variable(tf.zeros([2, 3])), tf.zeros([2, 4])),
            "Dimension 1 in both shapes must be equal, but are 3 and 4. Shapes are [2,3] and "
            "[2,4]. The variable's shape",
        ),
        (
            lambda: tf.assign_add(tf.Variable(tf.zeros([2, 3])), tf.zeros([3, 2])),
            "Dimension 0 in both shapes must be equal, but are 2 and 3. Shapes are [2,3] and "
            "[3,2]. for '{{node AssignAdd}}",
        ),
        (  # a vector condition is merged first, as TF does
            lambda: tf.where(tf.ones([2], tf.bool), tf.ones([3]), tf.ones([3])),
            "Dimension 0 in both shapes must be equal, but are 2 and 3. Shapes are [2] and [3].",
        ),
    ],
    ids=["assign", "assign_add", "select"],
)
def test_build_time_shape_errors_as_tf(graph, build, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        build()


def test_assign_add_of_another_shape_as_tf(run):
    v = tf.Variable(tf.zeros([2, 3]))
    update = tf.assign_add(v, _holder("a"))
    run(v.initializer)
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        run(update, {"a:0": np.ones((3, 2))})
    assert info.value.message.startswith("Parameters and update must be the same size (")


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: tf.decode_raw(tf.constant(["abc"]), tf.float32),
            "Input to DecodeRaw has length 3 that is not a multiple of 4, the size of float",
        ),
        (
            lambda: tf.decode_raw(tf.constant(["abc"]), tf.float64),
            "Input to DecodeRaw has length 3 that is not a multiple of 8, the size of double",
        ),
        (
            lambda: tf.decode_raw(tf.constant(["abc"]), tf.float16),
            "Input to DecodeRaw has length 3 that is not a multiple of 2, the size of half",
        ),
        (lambda: tf.cast(tf.constant(["1"]), tf.float32), "Cast string to float is not supported"),
        (
            lambda: tf.get_variable("rv", [2], use_resource=True).read_value(),
            "Could not find variable rv. This could mean that the variable has been deleted. In "
            "TF1, it can also mean the variable is uninitialized.",
        ),
    ],
    ids=[
        "decode_raw-float",
        "decode_raw-double",
        "decode_raw-half",
        "cast",
        "resource-uninitialized",
    ],
)
def test_kernel_dtype_names_and_texts_as_tf(run, build, message):
    with pytest.raises(tf.errors.OpError, match=re.escape(message)):
        run(build())


def test_dequeue_many_of_a_negative_count_as_tf(run):
    n = tf.placeholder(tf.int32, name="n")
    take = tf.FIFOQueue(2, [tf.float32]).dequeue_many(n)
    with pytest.raises(
        tf.errors.InvalidArgumentError, match="DequeueManyOp requested -1 < 0 elements"
    ):
        run(take, {n: -1})


@pytest.mark.parametrize(
    ("build", "a", "b", "message"),
    [
        (lambda a, b: a + b, np.ones((2, 3)), np.ones((3, 2)),
         "Incompatible shapes: [2,3] vs. [3,2]"),
        (tf.matmul, np.ones((2, 3)), np.ones((2, 3)),
         "Matrix size-incompatible: In[0]: [2,3], In[1]: [2,3] 0 0"),
        (lambda a, b: tf.reshape(a, [4]), np.ones((2, 3)), 0,
         "Input to reshape is a tensor with 6 values, but the requested shape has 4"),
        (lambda a, b: tf.reduce_sum(a, 3), np.ones((2, 2)), 0,
         "Invalid reduction dimension (3 for input with 2 dimension(s)"),
    ],
    ids=["add", "batch-matmul", "reshape", "sum-axis"],
)  # fmt: skip
def test_jax_executor_errors_carry_tf_text(graph, build, a, b, message):
    pytest.importorskip("jax")
    x, y = _holder("a"), _holder("b")
    out = build(x, y)
    with tf.Session(graph=graph, executor="jax") as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match=re.escape(message)):
            sess.run(out, {x: a, y: b})


def _apply(optimizer):
    v = tf.Variable(tf.zeros([2, 3]))
    return v, optimizer.apply_gradients([(_holder("g"), v)])


def _tensor_array(stacked: bool):
    ta = tf.TensorArray(tf.float32, 2, infer_shape=stacked)
    ta = ta.write(0, _holder("a")).write(1, _holder("b"))
    return ta.stack() if stacked else ta.concat()


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: _apply(tf.train.GradientDescentOptimizer(0.1))[1],
            "var and delta do not have the same shape[2,3] [3,2]",
        ),
        (
            lambda: _apply(tf.train.MomentumOptimizer(0.1, 0.9))[1],
            "var and grad do not have the same shape[2,3] [3,2]",
        ),
        (
            lambda: _tensor_array(True),
            "Could not write to TensorArray index 1 because the value shape is [3,2] which is "
            "incompatible with the TensorArray's inferred element shape: [2,3] (consider "
            "setting infer_shape=False).",
        ),
        (
            lambda: _tensor_array(False),
            "TensorArray has inconsistent shapes.  Index 0 has (excepting dimension 0) shape: "
            "[3] but index 1 has (excepting dimension 0) shape: [2]",
        ),
    ],
    ids=["gradient-descent", "momentum", "tensor-array-write", "tensor-array-concat"],
)
def test_training_and_tensor_array_shapes_as_tf(run, build, message):
    out = build()
    run(tf.global_variables_initializer())
    feed = {"g:0": np.ones((3, 2)), "a:0": np.ones((2, 3)), "b:0": np.ones((3, 2))}
    used = {k: v for k, v in feed.items() if k.split(":")[0] in _placeholders()}
    with pytest.raises(tf.errors.InvalidArgumentError, match=re.escape(message)):
        run(out, used)


def _placeholders():
    return {op.name for op in tf.get_default_graph().get_operations() if op.type == "Placeholder"}


def test_unknown_image_format_as_tf(run):
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=re.escape(
            "Unknown image file format. One of JPEG, JPEG XL, PNG, GIF, BMP, WebP required."
        ),
    ):
        run(tf.image.decode_png(tf.constant("notpng")))
