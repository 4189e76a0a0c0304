"""``tf.Variable``: the ops it builds, its names, collections, dtype, updates and operators.

Expected names and op types were read from TensorFlow 1 (``tensorflow.compat.v1``, graph mode).
"""

import re
import types

import numpy as np
import pytest

import scopeflow as tf


@pytest.fixture(autouse=True)
def graph():
    g = tf.Graph()
    with g.as_default():
        yield g


def _ops(graph):
    return [(op.name, op.type) for op in graph.get_operations()]


def _names(items):
    return [x.name for x in items]


# -- the ops of one variable ----------------------------------------------------------------


def test_initial_value_tensor_builds_variable_assign_and_read(graph):
    v = tf.Variable(tf.zeros([2, 3]), name="v")
    assert _ops(graph) == [
        ("zeros", "Const"),
        ("v", "VariableV2"),
        ("v/Assign", "Assign"),
        ("v/read", "Identity"),
    ]
    assert v.name == "v:0"
    assert v.op.name == "v"
    assert v.initial_value.name == "zeros:0"
    assert v.initializer.name == "v/Assign"
    assert [t.name for t in v.initializer.inputs] == ["v:0", "zeros:0"]
    assert v.initializer.get_attr("use_locking") is True
    assert v.initializer.get_attr("validate_shape") is True
    assert v.value().name == "v/read:0"
    assert v.op.get_attr("shape").as_list() == [2, 3]
    assert v.op.get_attr("dtype") == tf.float32
    assert v.graph is graph


@pytest.mark.parametrize(
    "value, dtype, shape, stored",
    [
        (1.0, "float32", [], [1.0]),
        (1, "int32", [], [1]),
        ([1, 2, 3], "int32", [3], [1, 2, 3]),
        ([[1.0, 2.0]], "float32", [1, 2], [1.0, 2.0]),
        (np.float64(1.5), "float64", [], [1.5]),
        (np.ones([2, 2], np.float32), "float32", [2, 2], [1.0] * 4),
        (np.arange(3), "int64", [3], [0, 1, 2]),
        (True, "bool", [], [True]),
    ],
)
def test_python_and_numpy_initial_values_become_initial_value_const(
    graph, value, dtype, shape, stored
):
    v = tf.Variable(value)
    assert _ops(graph) == [
        ("Variable/initial_value", "Const"),
        ("Variable", "VariableV2"),
        ("Variable/Assign", "Assign"),
        ("Variable/read", "Identity"),
    ]
    assert v.dtype.name == dtype + "_ref"
    assert v.shape.as_list() == shape
    const = graph.get_operation_by_name("Variable/initial_value")
    assert const.get_attr("value").reshape(-1).tolist() == stored


def test_callable_initial_value_is_built_under_initializer(graph):
    d = tf.Variable(lambda: tf.zeros([4]), name="d")
    cb = tf.Variable(lambda: 3.0, name="cb")
    cb2 = tf.Variable(lambda: 3.0, name="cb2", dtype=tf.float64)
    assert _ops(graph)[:4] == [
        ("d/Initializer/zeros", "Const"),
        ("d", "VariableV2"),
        ("d/Assign", "Assign"),
        ("d/read", "Identity"),
    ]
    assert d.initial_value.name == "d/Initializer/zeros:0"
    assert cb.initial_value.name == "cb/Initializer/initial_value:0"
    assert cb.dtype == tf.float32_ref
    assert cb2.initial_value.name == "cb2/Initializer/initial_value:0"
    assert cb2.dtype == tf.float64_ref


def test_explicit_dtype_converts_python_values(graph):
    v = tf.Variable([1, 2], dtype=tf.float32)
    assert v.dtype == tf.float32_ref
    assert graph.get_operation_by_name("Variable/initial_value").get_attr("value").dtype == (
        np.float32
    )


# -- names ----------------------------------------------------------------------------------


def test_default_names_count_up_and_explicit_names_are_uniquified():
    names = [
        tf.Variable(1.0).name,
        tf.Variable(1.0).name,
        tf.Variable(1.0, name="c").name,
        tf.Variable(1.0, name="c").name,
        tf.Variable(1.0).name,
    ]
    assert names == ["Variable:0", "Variable_1:0", "c:0", "c_1:0", "Variable_2:0"]


def test_name_comes_from_name_scope_and_variable_scope():
    with tf.name_scope("ns"):
        a = tf.Variable(tf.zeros([2]))
        b = tf.Variable(tf.zeros([2]), name="v")
    with tf.variable_scope("vs"):
        c = tf.Variable(tf.zeros([2]))
    with tf.variable_scope("vs"):
        d = tf.Variable(tf.zeros([2]))
    assert [a.name, b.name, c.name, d.name] == [
        "ns/Variable:0",
        "ns/v:0",
        "vs/Variable:0",
        "vs_1/Variable:0",
    ]
    assert c.initial_value.name == "vs/zeros:0"


def test_variable_is_built_in_the_graph_of_its_initial_value():
    other = tf.Graph()
    with other.as_default():
        z = tf.zeros([2])
    v = tf.Variable(z, name="v")
    assert v.graph is other
    assert v.graph is not tf.get_default_graph()
    # TF adds it to the *default* graph's collections; scopeflow keeps it with its ops.
    assert other.get_collection(tf.GraphKeys.GLOBAL_VARIABLES) == [v]
    assert tf.global_variables() == []


# -- collections and trainability -----------------------------------------------------------


def test_trainable_and_collections():
    a = tf.Variable(1.0, name="a")
    b = tf.Variable(1.0, name="b", trainable=False)
    c = tf.Variable(1.0, name="c", collections=["mine"])
    d = tf.Variable(1.0, name="d", collections=("t1", "t2"), trainable=False)
    e = tf.Variable(1.0, name="e", collections={tf.GraphKeys.LOCAL_VARIABLES})
    assert tf.global_variables() == [a, b]
    assert tf.trainable_variables() == [a, c, e]
    assert tf.get_collection("mine") == [c]
    assert tf.get_collection("t1") == tf.get_collection("t2") == [d]
    assert tf.local_variables() == [e]
    assert [a.trainable, b.trainable, c.trainable] == [True, False, True]


# -- dtype, shape, repr ---------------------------------------------------------------------


def test_dtype_is_a_ref_type_and_shape_is_static():
    v = tf.Variable(tf.zeros([2, 3]), name="v")
    assert v.dtype == tf.float32_ref
    assert v.dtype.name == "float32_ref"
    assert v.dtype.base_dtype == tf.float32
    assert v.value().dtype == tf.float32
    assert v.shape.as_list() == [2, 3]
    assert v.get_shape().as_list() == [2, 3]
    assert repr(v) == "<tf.Variable 'v:0' shape=(2, 3) dtype=float32_ref>"
    assert str(v.value()) == 'Tensor("v/read:0", shape=(2, 3), dtype=float32)'


def test_validate_shape_false_allows_an_unknown_shape(graph):
    x = tf.placeholder(tf.float32, [None])
    w = tf.Variable(x, validate_shape=False, name="w")
    assert w.shape.ndims is None
    assert w.initializer.get_attr("validate_shape") is False


def test_variables_hash_and_compare_by_identity():
    a = tf.Variable(1.0)
    b = tf.Variable(1.0)
    assert a == a and a != b
    assert len({a, b, a}) == 2


# -- reading --------------------------------------------------------------------------------


def test_conversion_to_tensor_reads_the_snapshot():
    v = tf.Variable(tf.zeros([2]), name="v")
    assert tf.convert_to_tensor(v).name == "v/read:0"
    assert tf.convert_to_tensor(v) is v.value()
    assert tf.identity(v).op.inputs[0].name == "v/read:0"
    assert v.read_value().name == "read:0"
    assert v.read_value().op.inputs[0].name == "v:0"
    with pytest.raises(ValueError, match="requested dtype int32 for Tensor with dtype float32"):
        tf.convert_to_tensor(v, dtype=tf.int32)


def test_variable_ops_ignore_control_dependencies(graph):
    trigger = tf.no_op(name="trigger")
    with tf.control_dependencies([trigger]):
        u = tf.Variable(1.0, name="u")
        w = tf.get_variable("w", [2])
        x = u + 1.0
        y = tf.identity(w)
    for op in graph.get_operations():
        if op.name.startswith(("u", "w")):
            assert op.control_inputs == [], op.name
    # Ops that read the variables do wait for the trigger, as in TF.
    assert graph.get_operation_by_name("add/y").control_inputs == [trigger]
    assert x.op.control_inputs == []
    assert y.op.control_inputs == [trigger]


# -- updates --------------------------------------------------------------------------------


def test_assign_ops_are_named_as_tf(graph):
    v = tf.Variable(tf.zeros([2]), name="v")
    start = len(graph.get_operations())
    a = v.assign([1.0, 2.0])
    b = v.assign_add([1.0, 1.0])
    c = v.assign_sub([1.0, 1.0])
    d = v.assign(tf.ones([2]), name="set")
    e = v.assign_add(tf.ones([2]), read_value=False)
    assert _ops(graph)[start:] == [
        ("Assign/value", "Const"),
        ("Assign", "Assign"),
        ("AssignAdd/value", "Const"),
        ("AssignAdd", "AssignAdd"),
        ("AssignSub/value", "Const"),
        ("AssignSub", "AssignSub"),
        ("ones", "Const"),
        ("set", "Assign"),
        ("ones_1", "Const"),
        ("AssignAdd_1", "AssignAdd"),
    ]
    assert [a.name, b.name, c.name, d.name] == ["Assign:0", "AssignAdd:0", "AssignSub:0", "set:0"]
    assert a.dtype == tf.float32_ref
    assert a.shape.as_list() == [2]
    assert isinstance(e, tf.Operation) and e.name == "AssignAdd_1"
    assert a.op.get_attr("use_locking") is False
    assert v.assign([0.0, 0.0], use_locking=True).op.get_attr("use_locking") is True


def test_assign_in_a_scope_takes_the_current_name_scope():
    v = tf.Variable(tf.zeros([2]), name="v")
    with tf.variable_scope("s"):
        w = tf.get_variable("w", [2])
        assert w.assign(v).name == "s/Assign:0"


def test_assign_errors():
    v = tf.Variable(tf.zeros([2, 3]), name="v")
    with pytest.raises(ValueError, match="Shapes must be equal rank, but are 2 and 1"):
        v.assign(tf.zeros([3]))
    with pytest.raises(  # TF 2.21's text
        ValueError,
        match=re.escape(
            "Dimension 0 in both shapes must be equal, but are 2 and 3. Shapes are [2,3] and [3,2]."
        ),
    ):
        v.assign(tf.zeros([3, 2]))
    with pytest.raises(
        TypeError,
        match="Input 'value' of 'AssignAdd' Op has type int32 that does not match type "
        "float32 of argument 'ref'",
    ):
        v.assign_add(tf.zeros([2, 3], tf.int32))
    with pytest.raises(TypeError, match="Expected float32, but got"):
        v.assign_sub("x")
    # The failed calls left nothing behind: the next assign gets the first name.
    assert v.assign(tf.zeros([2, 3])).name == "Assign:0"


# -- operators ------------------------------------------------------------------------------


def test_operators_on_variables_are_named_as_tf(graph):
    v = tf.get_variable("v", [3], initializer=tf.zeros_initializer())
    m = tf.get_variable("m", [3, 3], initializer=tf.ones_initializer())
    outs = [
        v + 1.0, 1.0 + v, v - 1.0, 1.0 - v, v * 2.0, 2.0 * v, v / 2.0, 2.0 / v, -v, abs(v),
        v ** 2.0, v[0], v[1:], v > 0.0, v <= v, m @ m, v // 2.0, v % 2.0,
    ]  # fmt: skip
    assert [(t.name, t.op.type) for t in outs] == [
        ("add:0", "AddV2"),
        ("add_1:0", "AddV2"),
        ("sub:0", "Sub"),
        ("sub_1:0", "Sub"),
        ("mul:0", "Mul"),
        ("mul_1:0", "Mul"),
        ("truediv:0", "RealDiv"),
        ("truediv_1:0", "RealDiv"),
        ("Neg:0", "Neg"),
        ("Abs:0", "Abs"),
        ("pow:0", "Pow"),
        ("strided_slice:0", "StridedSlice"),
        ("strided_slice_1:0", "StridedSlice"),
        ("Greater:0", "Greater"),
        ("LessEqual:0", "LessEqual"),
        ("matmul:0", "MatMul"),
        ("floordiv:0", "FloorDiv"),
        ("mod:0", "FloorMod"),
    ]
    assert graph.get_operation_by_name("add/y").type == "Const"
    assert graph.get_operation_by_name("add_1/x").type == "Const"
    assert outs[0].op.inputs[0].name == "v/read:0"
    assert outs[11].shape.as_list() == []
    assert outs[15].shape.as_list() == [3, 3]


def test_operators_inside_a_variable_scope_take_its_name_scope():
    with tf.variable_scope("foo"):
        x = 1.0 + tf.get_variable("v", [1])
        y = tf.Variable(2.0, name="w") * 3.0
    assert x.op.name == "foo/add"
    assert y.op.name == "foo/mul"


def test_a_variable_is_true_as_a_python_bool_unlike_a_tensor():
    # as TF 2.21's RefVariable (bool(tf.Variable(0.0)) is True); its value is a Tensor
    v = tf.Variable(0.0)
    assert bool(v) is True
    with pytest.raises(TypeError, match="as a Python `bool` is not allowed"):
        bool(v.value())


# -- errors ---------------------------------------------------------------------------------


def test_errors(graph):
    with pytest.raises(ValueError, match="initial_value must be specified"):
        tf.Variable()
    with pytest.raises(ValueError, match="must be a list, tuple, or set. Got 'abc' of type str"):
        tf.Variable(1.0, collections="abc")
    with pytest.raises(TypeError, match="Expected int32, but got 1.0 of type 'float'"):
        tf.Variable(1.0, dtype=tf.int32)
    with pytest.raises(ValueError, match="requested dtype float32 for Tensor with dtype int32"):
        tf.Variable(tf.constant([1, 2]), dtype=tf.float32)
    with pytest.raises(ValueError, match=r"must have a fully defined shape, got \(\?,\)"):
        tf.Variable(tf.placeholder(tf.float32, [None]))
    with pytest.raises(ValueError, match="'bad name!' is not a valid root scope name"):
        tf.Variable(1.0, name="bad name!")
    with pytest.raises(
        ValueError,
        match=r"Initializer for variable Variable has shape \(\), but the variable was declared "
        r"with shape \(2,\)",
    ):
        tf.Variable(1.0, shape=[2])
    with pytest.raises(ValueError, match="mutually exclusive"):
        tf.Variable(1.0, variable_def=object())
    resource = types.SimpleNamespace(is_resource=True, variable_name="r:0")
    with pytest.raises(KeyError, match="The name 'r:0' refers to a Tensor which does not exist"):
        tf.Variable(variable_def=resource)  # a resource VariableDef: a ResourceVariable's ops


def test_a_failed_variable_leaves_the_graph_unchanged(graph):
    zeros = tf.zeros([3])
    before = _ops(graph)
    with pytest.raises(ValueError):
        tf.Variable(zeros, shape=[2])
    with pytest.raises(ValueError):
        tf.Variable(lambda: tf.zeros([3]), shape=[2], name="v")
    assert _ops(graph) == before
    assert graph.get_all_collection_keys() == []
    assert tf.Variable(zeros).name == "Variable:0"
    assert tf.Variable(lambda: tf.zeros([3]), name="v").initial_value.name == (
        "v/Initializer/zeros:0"
    )
