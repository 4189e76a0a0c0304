"""Tests for scopeflow/variables/resource_variable.py and the resource ops: names, op types,
values and optimizer results as TF 2.21 builds and computes them (graph mode after
``tf.disable_v2_behavior()``); the expected values were taken from TensorFlow."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf


def _ops(g, start=0):
    return [(op.name, op.type) for op in g.get_operations()[start:]]


def test_get_variable_builds_tfs_resource_ops():
    g = tf.Graph()
    with g.as_default():
        v = tf.get_variable("v", [2, 3], initializer=tf.ones_initializer(), use_resource=True)
    assert _ops(g) == [
        ("v/Initializer/ones", "Const"),
        ("v", "VarHandleOp"),
        ("v/IsInitialized/VarIsInitializedOp", "VarIsInitializedOp"),
        ("v/Assign", "AssignVariableOp"),
        ("v/Read/ReadVariableOp", "ReadVariableOp"),
    ]
    assert (v.name, v.op.type, v.dtype, v.shape.as_list()) == (
        "v:0",
        "VarHandleOp",
        tf.float32,
        [2, 3],
    )
    assert v.handle.dtype == tf.resource
    assert v.initializer.name == "v/Assign"
    assert v._as_graph_element().name == "v/Read/ReadVariableOp:0"
    assert g.get_operation_by_name("v").colocation_groups() == [b"loc:@v"]
    assert g.get_operation_by_name("v/Assign").colocation_groups() == [b"loc:@v/Assign"]
    assert g.get_operation_by_name("v").get_attr("shared_name") == b"v"
    assert g.get_operation_by_name("v/Assign").get_attr("validate_shape") is False
    with g.as_default():
        assert v.value().name == "ReadVariableOp:0"
        assert v.read_value().name == "Identity:0"
        assert g.get_operation_by_name("Identity").inputs[0].name == "Read/ReadVariableOp:0"


def test_variable_from_a_value_and_a_function_names_its_initializer_as_tf():
    g = tf.Graph()
    with g.as_default():
        x = tf.Variable([1.0, 2.0], use_resource=True, name="x")
        y = tf.Variable(lambda: tf.zeros([3]), use_resource=True, name="y")
    assert x.initial_value.name == "x/Initializer/initial_value:0"
    assert y.initial_value.name == "y/Initializer/zeros:0"
    assert g.get_operation_by_name("x/Initializer/initial_value").colocation_groups() == [b"loc:@x"]


def test_updates_reads_and_their_values():
    g = tf.Graph()
    with g.as_default():
        v = tf.get_variable("v", [2, 3], initializer=tf.ones_initializer(), use_resource=True)
        start = len(g.get_operations())
        a = v.assign(tf.zeros([2, 3]))
        b = v.assign_add(tf.ones([2, 3]), read_value=False)
        c = v.assign_sub(tf.ones([2, 3]), name="sub")
        s = v.sparse_read([0])
        gathered = tf.gather(v, [1])
        x = v + 1.0
        sa = v.scatter_add(tf.IndexedSlices(tf.ones([1, 3]), tf.constant([0])))
        su = tf.scatter_update(v, [0], tf.ones([1, 3]))
    assert (a.name, a.op.type, b.name, c.name) == (
        "AssignVariableOp",
        "AssignVariableOp",
        "AssignAddVariableOp",
        "sub",
    )
    assert (s.name, gathered.name, x.name) == ("Gather:0", "Gather_1:0", "add:0")
    assert (sa.op.type, su.name) == ("ResourceScatterAdd", "ResourceScatterUpdate")
    names = dict(_ops(g, start))
    for read, update in (("ReadVariableOp", "AssignVariableOp"), ("ReadVariableOp_1", "sub")):
        assert names[read] == "ReadVariableOp"
        assert [op.name for op in g.get_operation_by_name(read).control_inputs] == [update]
    assert names["Gather"] == names["Gather_1"] == "ResourceGather"
    assert names["ResourceScatterUpdate/indices"] == "Const"
    with tf.Session(graph=g) as sess:
        sess.run(v.initializer)
        np.testing.assert_array_equal(sess.run(a), np.zeros([2, 3]))
        np.testing.assert_array_equal(sess.run(c), -np.ones([2, 3]))
        np.testing.assert_array_equal(sess.run(sa), [[0, 0, 0], [-1, -1, -1]])
        sess.run(b)
        got = sess.run([x, s, gathered])
        np.testing.assert_array_equal(got[0], [[2, 2, 2], [1, 1, 1]])
        np.testing.assert_array_equal(got[1], [[1, 1, 1]])
        np.testing.assert_array_equal(sess.run(su), [[1, 1, 1], [0, 0, 0]])


def test_reads_under_control_dependencies_see_the_write_and_reads_are_snapshots():
    with tf.Graph().as_default():
        v = tf.Variable([1.0, 2.0], use_resource=True, name="v")
        before = v.value()
        with tf.control_dependencies([before]):
            assign = v.assign([5.0, 6.0], read_value=False)
        with tf.control_dependencies([assign]):
            after = v.read_value()
        with tf.Session() as sess:
            sess.run(v.initializer)
            got_before, got_after = sess.run([before, after])
    np.testing.assert_array_equal(got_before, [1.0, 2.0])
    np.testing.assert_array_equal(got_after, [5.0, 6.0])


def test_use_resource_is_chosen_as_tf1_chooses_it():
    with tf.Graph().as_default():
        with tf.variable_scope("s", use_resource=True):
            z = tf.get_variable("z", [2])
            with tf.variable_scope("t"):
                z2 = tf.get_variable("z2", [2])
                zz = tf.Variable(1.0, name="zz")
        plain = tf.get_variable("p", [1])
    assert [v._is_resource for v in (z, z2, zz, plain)] == [True, True, True, False]
    assert tf.resource_variables_enabled() is False
    try:
        tf.enable_resource_variables()
        assert tf.resource_variables_enabled() is True
        with tf.Graph().as_default():
            made = [
                tf.get_variable("a", [1]),
                tf.Variable(1.0),
                tf.get_variable("b", [1], use_resource=False),
                tf.Variable(1.0, use_resource=False),
            ]
        assert [v.op.type for v in made] == ["VarHandleOp", "VarHandleOp"] + ["VariableV2"] * 2
    finally:
        tf.disable_resource_variables()
    with tf.Graph().as_default():
        assert tf.get_variable("a", [1]).op.type == "VariableV2"


def test_gradients_through_reads_and_gathers():
    g = tf.Graph()
    with g.as_default():
        x = tf.Variable([1.0, 2.0], use_resource=True, name="x")
        y = tf.Variable(lambda: tf.zeros([3]), use_resource=True, name="y")
        loss = tf.reduce_sum(x * x) + tf.reduce_sum(tf.nn.embedding_lookup(y, [0, 2, 0]))
        gx, gy = tf.gradients(loss, [x, y])
    assert gx.name == "gradients/AddN:0"
    assert isinstance(gy, tf.IndexedSlices)
    assert gy.values.name == "gradients/embedding_lookup_grad/Reshape:0"
    assert gy.indices.name == "gradients/embedding_lookup_grad/Reshape_1:0"
    assert g.get_operation_by_name("embedding_lookup").type == "ResourceGather"
    assert g.get_operation_by_name("mul/ReadVariableOp").type == "ReadVariableOp"
    with tf.Session(graph=g) as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(gx), [2.0, 4.0])
        np.testing.assert_array_equal(sess.run(tf.convert_to_tensor(gy)), [2.0, 0.0, 1.0])


def test_saver_mixes_resource_and_reference_variables(tmp_path):
    prefix = str(tmp_path / "model")
    with tf.Graph().as_default():
        v = tf.get_variable(
            "v", initializer=tf.constant([[1.5, -2.0], [0.25, 4.0]]), use_resource=True
        )
        w = tf.get_variable("w", initializer=tf.constant([7.0, 8.0]))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            tf.train.Saver().save(sess, prefix, write_meta_graph=False)
    assert sorted(tf.train.list_variables(prefix)) == [("v", [2, 2]), ("w", [2])]
    with tf.Graph().as_default():
        v = tf.get_variable("v", [2, 2])
        w = tf.get_variable("w", [2], use_resource=True)
        with tf.Session() as sess:
            tf.train.Saver().restore(sess, prefix)
            got_v, got_w = sess.run([v, w])
    np.testing.assert_array_equal(got_v, [[1.5, -2.0], [0.25, 4.0]])
    np.testing.assert_array_equal(got_w, [7.0, 8.0])


def test_initialization_checks_and_errors():
    with tf.Graph().as_default():
        v = tf.get_variable("v", [2], use_resource=True)
        report = tf.report_uninitialized_variables()
        initialized = tf.is_variable_initialized(v)
        assert initialized.op.type == "VarIsInitializedOp"
        with pytest.raises(NotImplementedError, match="read_value"):
            v.initialized_value()
        with pytest.raises(ValueError, match="Shape mismatch"):
            v.assign([1.0, 2.0, 3.0])
        with tf.Session() as sess:
            assert sess.run(report).tolist() == [b"v"]
            assert not sess.run(initialized)
            with pytest.raises(tf.errors.FailedPreconditionError):
                sess.run(v.value())
            sess.run(v.initializer)
            assert sess.run(report).tolist() == []


def test_meta_graph_round_trip_and_tfs_save_nodes(tmp_path):
    prefix = str(tmp_path / "m")
    with tf.Graph().as_default():
        a = tf.get_variable("a", initializer=tf.constant([1.0, 2.0]), use_resource=True)
        tf.get_variable("b", initializer=tf.constant([3.0]))
        tf.get_variable("c", initializer=tf.constant(3), use_resource=True)
        train = tf.train.GradientDescentOptimizer(0.25).minimize(tf.reduce_sum(a * a))
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(train)
            saver.save(sess, prefix)
        exported = saver.export_meta_graph()
    with tf.Graph().as_default() as g:
        restorer = tf.train.import_meta_graph(prefix + ".meta")
        kinds = [(type(v).__name__, v.name) for v in tf.global_variables()]
        assert kinds == [
            ("ResourceVariable", "a:0"),
            ("Variable", "b:0"),
            ("ResourceVariable", "c:0"),
        ]
        with tf.Session() as sess:
            restorer.restore(sess, prefix)
            np.testing.assert_array_equal(sess.run("a/Read/ReadVariableOp:0"), [0.5, 1.0])
            sess.run(g.get_collection(tf.GraphKeys.TRAIN_OP)[0])
            np.testing.assert_array_equal(sess.run(tf.global_variables()[0]), [0.25, 0.5])
    save = {n.name: n for n in exported.graph_def.node if n.name.startswith("save/")}
    assert list(save["save/SaveV2"].input[3:]) == [
        "a/Read/ReadVariableOp",
        "b",
        "c/Read/ReadVariableOp",
    ]
    assert (save["save/Identity_1"].input[0], save["save/AssignVariableOp_1"].input[:]) == (
        "save/RestoreV2:2",
        ["c", "save/Identity_1"],
    )
    assert (save["save/AssignVariableOp"].op, save["save/Assign"].input[:]) == (
        "AssignVariableOp",
        ["b", "save/RestoreV2:1"],
    )
    variable_defs = exported.collection_def["variables"].bytes_list.value
    assert len(variable_defs) == 3


def test_tf_layers_in_a_resource_scope_make_and_update_resource_variables():
    g = tf.Graph()
    with g.as_default():
        x = tf.constant([[1.0, 2.0, 3.0]])
        with tf.variable_scope("s", use_resource=True):
            y = tf.layers.dense(x, 2, kernel_initializer=tf.ones_initializer(), name="d")
            z = tf.layers.batch_normalization(y, training=True)
        updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
        train = tf.train.GradientDescentOptimizer(0.1).minimize(tf.reduce_sum(z * z))
        assert all(v._is_resource for v in tf.global_variables())
        assert [u.name for u in updates] == [
            "s/batch_normalization/AssignMovingAvg/AssignSubVariableOp",
            "s/batch_normalization/AssignMovingAvg_1/AssignSubVariableOp",
        ]
        assert g.get_operation_by_name("s/d/MatMul/ReadVariableOp").type == "ReadVariableOp"
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(2):
                sess.run([train, *updates])
            mean, variance = sess.run(tf.global_variables()[-2:])
    np.testing.assert_allclose(mean, [0.1194, 0.1194], rtol=1e-6)
    np.testing.assert_allclose(variance, [0.98010004, 0.98010004], rtol=1e-6)


def test_scatter_nd_batch_scatter_and_count_up_to_as_tf():
    g = tf.Graph()
    with g.as_default():
        v = tf.Variable([[1.0, 2.0], [3.0, 4.0]], use_resource=True, name="v")
        c = tf.Variable(0, use_resource=True, name="c")
        start = len(g.get_operations())
        a = v.scatter_nd_add([[0, 1]], [10.0])
        b = tf.scatter_nd_update(v, [[1]], [[7.0, 8.0]])
        s = v.scatter_nd_sub([[1, 0]], [1.0], name="nds")
        bu = v.batch_scatter_update(tf.IndexedSlices([[5.0], [6.0]], [[0], [1]]))
        k, k2 = c.count_up_to(2), tf.count_up_to(c, 2)
    ops = [(op.name, op.type) for op in g.get_operations()[start:] if op.type != "Const"]
    assert ops[:6] == [
        ("ResourceScatterNdAdd", "ResourceScatterNdAdd"),
        ("ReadVariableOp", "ReadVariableOp"),
        ("ResourceScatterNdUpdate", "ResourceScatterNdUpdate"),
        ("ReadVariableOp_1", "ReadVariableOp"),
        ("nds", "ResourceScatterNdSub"),
        ("ReadVariableOp_2", "ReadVariableOp"),
    ]
    assert ops[-5:] == [
        ("ResourceScatterNdUpdate_1", "ResourceScatterNdUpdate"),
        ("ReadVariableOp_3", "ReadVariableOp"),
        ("ReadVariableOp_4", "ReadVariableOp"),
        ("ResourceCountUpTo", "ResourceCountUpTo"),
        ("ResourceCountUpTo_1", "ResourceCountUpTo"),
    ]
    assert (k.name, k2.name) == ("ResourceCountUpTo:0", "ResourceCountUpTo_1:0")
    with tf.Session(graph=g) as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(a).tolist() == [[1.0, 12.0], [3.0, 4.0]]
        assert sess.run(b).tolist() == [[1.0, 12.0], [7.0, 8.0]]
        assert sess.run(s).tolist() == [[1.0, 12.0], [6.0, 8.0]]
        assert sess.run(bu).tolist() == [[5.0, 12.0], [6.0, 6.0]]
        assert (sess.run(k), sess.run(k2)) == (0, 1)
        with pytest.raises(tf.errors.OutOfRangeError, match="Reached limit of 2"):
            sess.run(k)


def test_sliced_assignment_as_tf():
    g = tf.Graph()
    with g.as_default():
        v = tf.Variable([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], use_resource=True, name="v")
        start = len(g.get_operations())
        a = v[1:3].assign([[7.0, 8.0], [9.0, 10.0]])
        b = v[0, 1].assign(0.5, name="one")
    ops = [(op.name, op.type) for op in g.get_operations()[start:] if op.type != "Const"]
    assert ops == [
        ("ReadVariableOp", "ReadVariableOp"),
        ("strided_slice", "StridedSlice"),
        ("strided_slice/_assign", "ResourceStridedSliceAssign"),
        ("ReadVariableOp_1", "ReadVariableOp"),
        ("ReadVariableOp_2", "ReadVariableOp"),
        ("strided_slice_1", "StridedSlice"),
        ("one", "ResourceStridedSliceAssign"),
        ("ReadVariableOp_3", "ReadVariableOp"),
    ]
    assert g.get_operation_by_name("one").inputs[4].name == "Const_1:0"
    with tf.Session(graph=g) as sess:
        sess.run(v.initializer)
        assert sess.run(a).tolist() == [[1.0, 2.0], [7.0, 8.0], [9.0, 10.0]]
        assert sess.run(b).tolist() == [[1.0, 0.5], [7.0, 8.0], [9.0, 10.0]]


def test_resource_variables_in_cond_and_while_loop_as_tf():
    g = tf.Graph()
    with g.as_default():
        v = tf.Variable([1.0, 2.0], use_resource=True, name="v")
        p = tf.placeholder(tf.bool, [])
        c = tf.cond(p, lambda: v.assign_add([1.0, 1.0]).read_value(), lambda: v.read_value())

        def body(i, acc):
            return i + 1, acc + v.value() * tf.cast(i, tf.float32)

        _, out = tf.while_loop(lambda i, a: i < 3, body, [tf.constant(0), tf.zeros([2])])

        def adding(i):
            with tf.control_dependencies([v.assign_add([0.5, 0.5], read_value=False)]):
                return i + 1

        loop = tf.while_loop(lambda i: i < 4, adding, [tf.constant(0)])
        (grad,) = tf.gradients(tf.reduce_sum(out), v)
    assert g.get_operation_by_name("cond/Read_1/ReadVariableOp").inputs[0].op.type == "Switch"
    with tf.Session(graph=g) as sess:
        sess.run(v.initializer)
        assert sess.run(c, {p: True}).tolist() == [2.0, 3.0]
        assert sess.run(c, {p: False}).tolist() == [2.0, 3.0]
        assert sess.run(out).tolist() == [6.0, 9.0]
        assert sess.run(grad).tolist() == [3.0, 3.0]
        assert sess.run(loop) == 4
        assert sess.run(v.value()).tolist() == [4.0, 5.0]


def _save_nodes(sharded: bool, extra: int = 0) -> dict:
    with tf.Graph().as_default():
        tf.get_variable("a", initializer=tf.constant([1.0, 2.0]), use_resource=True)
        tf.get_variable("b", initializer=tf.constant([3.0]))
        tf.get_variable("c", initializer=tf.constant(3), use_resource=True)
        for i in range(extra):
            tf.get_variable(f"z{i}", [1])
        graph_def = tf.train.Saver(sharded=sharded).export_meta_graph().graph_def
    return {n.name: (n.op, list(n.input)) for n in graph_def.node if n.name.startswith("save/")}


def test_sharded_savers_restore_resource_variables_as_tf():
    nodes = _save_nodes(sharded=True)
    assert nodes["save/SaveV2"][1][3:] == ["a/Read/ReadVariableOp", "b", "c/Read/ReadVariableOp"]
    assert nodes["save/Identity_1"] == ("Identity", ["save/RestoreV2"])
    assert nodes["save/AssignVariableOp"] == ("AssignVariableOp", ["a", "save/Identity_1"])
    assert nodes["save/Assign"] == ("Assign", ["b", "save/RestoreV2:1"])
    assert nodes["save/Identity_2"] == ("Identity", ["save/RestoreV2:2"])
    assert nodes["save/AssignVariableOp_1"] == ("AssignVariableOp", ["c", "save/Identity_2"])
    assert nodes["save/restore_shard"] == (
        "NoOp",
        ["^save/Assign", "^save/AssignVariableOp", "^save/AssignVariableOp_1"],
    )


def test_restore_all_lists_its_assignments_sorted_as_tf():
    restore_all = _save_nodes(sharded=False, extra=11)["save/restore_all"][1]
    assert restore_all[:5] == [
        "^save/Assign",
        "^save/AssignVariableOp",
        "^save/AssignVariableOp_1",
        "^save/Assign_1",
        "^save/Assign_10",
    ]
    assert restore_all[-1] == "^save/Assign_9"


def test_exponential_moving_average_of_a_resource_variable_as_tf():
    g = tf.Graph()
    with g.as_default():
        v = tf.get_variable("v", initializer=tf.constant([1.0, 2.0]), use_resource=True)
        ema = tf.train.ExponentialMovingAverage(0.9)
        start = len(g.get_operations())
        update = ema.apply([v])
        ops = [(op.name, op.type) for op in g.get_operations()[start:] if op.type != "Const"]
        assign = v.assign([3.0, 4.0])
        assert sorted(ema.variables_to_restore()) == ["v/ExponentialMovingAverage"]
    assert ops[:2] == [("VarIsInitializedOp", "VarIsInitializedOp"), ("cond/Switch", "Switch")]
    assert ("v/ExponentialMovingAverage", "VarHandleOp") in ops
    assert ops[-3:] == [
        ("ExponentialMovingAverage/AssignMovingAvg/AssignSubVariableOp", "AssignSubVariableOp"),
        ("ExponentialMovingAverage/AssignMovingAvg/ReadVariableOp_1", "ReadVariableOp"),
        ("ExponentialMovingAverage", "NoOp"),
    ]
    with tf.Session(graph=g) as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(assign)
        sess.run(update)
        sess.run(update)
        np.testing.assert_allclose(sess.run(ema.average(v)), [1.38, 2.38], rtol=1e-6)


def test_jax_executor_reads_and_updates_resource_variables():
    pytest.importorskip("jax")
    with tf.Graph().as_default():
        v = tf.Variable([[1.0, 2.0], [3.0, 4.0]], use_resource=True, name="v")
        read = v + 1.0
        rows = tf.gather(v, [1])
        update = tf.scatter_update(v, [0], [[5.0, 6.0]])
        wrong = tf.get_default_graph().create_op("ReadVariableOp", [v.handle], {"dtype": tf.int32})
        with tf.Session(executor="jax") as sess:
            sess.run(v.initializer)
            assert sess.run(read).tolist() == [[2.0, 3.0], [4.0, 5.0]]  # a segment that reads
            assert sess.run(rows).tolist() == [[3.0, 4.0]]
            assert sess.run(update).tolist() == [[5.0, 6.0], [3.0, 4.0]]
            assert sess.run(read).tolist() == [[6.0, 7.0], [4.0, 5.0]]
            with pytest.raises(tf.errors.InvalidArgumentError, match="wrong dtype"):
                sess.run(wrong.outputs[0])


def test_init_from_checkpoint_initializes_a_resource_variable_as_tf(tmp_path):
    prefix = str(tmp_path / "ckpt")
    with tf.Graph().as_default():
        tf.get_variable("v", initializer=tf.constant([[1.5, -2.0], [0.25, 4.0]]))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            tf.train.Saver().save(sess, prefix, write_meta_graph=False)
    g = tf.Graph()
    with g.as_default():
        v = tf.get_variable("v", [2, 2], use_resource=True)
        start = len(g.get_operations())
        tf.train.init_from_checkpoint(prefix, {"v": "v"})
        ops = [(op.name, op.type) for op in g.get_operations()[start:] if op.type != "Const"]
        assert ops == [
            ("checkpoint_initializer", "RestoreV2"),
            ("Identity", "Identity"),
            ("AssignVariableOp", "AssignVariableOp"),
        ]
        assert v.initializer.name == "AssignVariableOp"
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            np.testing.assert_array_equal(sess.run(v.value()), [[1.5, -2.0], [0.25, 4.0]])


def test_a_resource_variable_from_another_variable_guards_its_initial_value_as_tf():
    g = tf.Graph()
    with g.as_default():
        a = tf.Variable([1.0, 2.0], name="a")
        doubled = a * 2
        start = len(g.get_operations())
        b = tf.Variable(doubled, use_resource=True, name="b")
    ops = [(op.name, op.type) for op in g.get_operations()[start:]]
    assert ops == [
        ("b", "VarHandleOp"),
        ("b/IsInitialized/VarIsInitializedOp", "VarIsInitializedOp"),
        ("b/Assign/IsVariableInitialized", "IsVariableInitialized"),
        ("b/Assign/cond/Switch", "Switch"),
        ("b/Assign/cond/switch_t", "Identity"),
        ("b/Assign/cond/switch_f", "Identity"),
        ("b/Assign/cond/pred_id", "Identity"),
        ("b/Assign/cond/read", "Identity"),
        ("b/Assign/cond/read/Switch", "RefSwitch"),
        ("b/Assign/cond/Switch_1", "Switch"),
        ("b/Assign/cond/Merge", "Merge"),
        ("a/read_b", "Identity"),
        ("mul_b", "Mul"),
        ("b/Assign", "AssignVariableOp"),
        ("b/Read/ReadVariableOp", "ReadVariableOp"),
    ]
    with tf.Session(graph=g) as sess:
        sess.run(b.initializer)  # before a's: from a's initial value
        np.testing.assert_array_equal(sess.run(b.value()), [2.0, 4.0])


def test_validate_shape_false_and_caching_device_as_tf():
    g = tf.Graph()
    with g.as_default():
        v = tf.Variable([1.0, 2.0], validate_shape=False, use_resource=True, name="v")
        w = tf.Variable([1.0, 2.0], use_resource=True, name="w", caching_device="/cpu:0")
        assert (v.shape.as_list(), v.op.get_attr("shape").as_list()) == ([2], [2])
        assert v.assign([3.0, 4.0]).op.get_attr("validate_shape") is False
        assert w.assign([3.0, 4.0]).op.get_attr("validate_shape") is True
        with pytest.raises(ValueError, match="Shape mismatch"):
            v.assign([1.0, 2.0, 3.0])
        cached = w.value()
        assert (cached.name, cached.device) == ("w/Read/Identity:0", "/device:CPU:0")
        assert w._as_graph_element().name == "w/Read/ReadVariableOp:0"
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            assert sess.run(cached).tolist() == [1.0, 2.0]


def test_ops_read_a_resource_variable_where_tf_reads_it():
    g = tf.Graph()
    with g.as_default():
        v = tf.Variable([[1.0, 2.0]], use_resource=True, name="v")
        start = len(g.get_operations())
        tf.identity(v)
        tf.matmul(v, v, transpose_b=True)
        tf.reduce_sum(v)
        tf.concat([v, v], 0)
        tf.cast(v, tf.float64)
        _ = v * 2.0
        _ = 2.0 * v
        tf.add_n([v, v])
    reads = [op.name for op in g.get_operations()[start:] if op.type == "ReadVariableOp"]
    assert reads == [
        "Identity/ReadVariableOp",
        "MatMul/ReadVariableOp",
        "MatMul/ReadVariableOp_1",
        "Sum/ReadVariableOp",
        "concat/ReadVariableOp",
        "concat/ReadVariableOp_1",
        "Cast/ReadVariableOp",
        "ReadVariableOp",
        "ReadVariableOp_1",
        "ReadVariableOp_2",
        "ReadVariableOp_3",
    ]
