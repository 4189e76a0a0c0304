"""Tests for scopeflow/ops/state/resource.py and resource_training.py: the kernels and shape
functions of the resource variable ops and of the optimizers' ``Resource*`` twins (whose
values must be their reference ops', checked against TF in test_training.py); the names TF
gives them are tested in tests/variables/test_resource_variables.py."""

from __future__ import annotations

import threading

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.ops.state.resource_training import TWINS
from scopeflow.ops.state.training import SIGNATURES
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case

V = np.float32([[1, 2, 3], [4, 5, 6]])
X = np.float32([[0.5, -1, 2], [0, 1, -3]])
ROWS = np.float32([[1, 1, 1], [2, 2, 2], [0.5, 0.5, 0.5]])


def _rv(value=V, name="r"):
    return tf.Variable(value, name=name, use_resource=True)


def _after(variable, op):
    """A read of ``variable`` that runs after ``op``."""
    with tf.control_dependencies([op]):
        return variable.value()


def _scattered(ufunc):
    def reference(rows):
        out = V.copy()
        ufunc.at(out, [0, 1, 0], rows)
        return out

    return reference


def _updated(rows):
    out = V.copy()
    out[[0, 1, 0]] = rows
    return out


# fmt: off
CASES = [
    Case("read", "ReadVariableOp", lambda: _rv().value(), (), V, modes=("full",)),
    Case("assign", "ReadVariableOp", lambda x: _rv().assign(x).value(), (X,), lambda x: x),
    Case("assign-add", "ReadVariableOp", lambda x: _rv().assign_add(x).value(), (X,),
         lambda x: V + x),
    Case("assign-sub", "ReadVariableOp", lambda x: _rv().assign_sub(x).value(), (X,),
         lambda x: V - x),
    Case("is-initialized", "VarIsInitializedOp", lambda: tf.is_variable_initialized(_rv()), (),
         np.bool_(True), modes=("full",)),
    Case("variable-shape", "VariableShape",
         lambda: tf.get_default_graph().create_op("VariableShape", [_rv().handle]).outputs[0],
         (), np.int32([2, 3]), modes=("full",)),
    Case("gather", "ResourceGather", lambda i: tf.gather(_rv(), i), (np.int32([[1, 0], [1, 1]]),),
         lambda i: V[i]),
    Case("gather-out-of-range", "ResourceGather", lambda i: tf.gather(_rv(), i),
         (np.int32([0, 2]),), Raises(tf.errors.InvalidArgumentError, "indices[1] = 2 is not in")),
    Case("scatter-add", "ReadVariableOp", lambda u: tf.scatter_add(_rv(), [0, 1, 0], u).value(),
         (ROWS,), _scattered(np.add)),
    Case("scatter-sub", "ReadVariableOp", lambda u: tf.scatter_sub(_rv(), [0, 1, 0], u).value(),
         (ROWS,), _scattered(np.subtract)),
    Case("scatter-mul", "ReadVariableOp", lambda u: tf.scatter_mul(_rv(), [0, 1, 0], u).value(),
         (ROWS,), _scattered(np.multiply)),
    Case("scatter-div", "ReadVariableOp", lambda u: tf.scatter_div(_rv(), [0, 1, 0], u).value(),
         (ROWS,), _scattered(np.divide)),
    Case("scatter-max", "ReadVariableOp", lambda u: tf.scatter_max(_rv(), [0, 1, 0], u).value(),
         (ROWS,), _scattered(np.maximum)),
    Case("scatter-min", "ReadVariableOp", lambda u: tf.scatter_min(_rv(), [0, 1, 0], u).value(),
         (ROWS,), _scattered(np.minimum)),
    Case("scatter-nd-add", "ReadVariableOp",
         lambda u: tf.scatter_nd_add(_rv(), [[0, 1], [1, 2], [0, 1]], u).value(),
         (np.float32([1, 2, 4]),), lambda u: V + np.float32([[0, 5, 0], [0, 0, 2]])),
    Case("scatter-nd-sub", "ReadVariableOp",
         lambda u: tf.scatter_nd_sub(_rv(), [[1]], u).value(), (np.float32([[1, 1, 1]]),),
         lambda u: V - np.float32([[0, 0, 0], [1, 1, 1]])),
    Case("scatter-nd-update", "ReadVariableOp",
         lambda u: tf.scatter_nd_update(_rv(), [[1, 0]], u).value(), (np.float32([9]),),
         np.float32([[1, 2, 3], [9, 5, 6]])),
    Case("count-up-to", "ResourceCountUpTo",
         lambda: tf.count_up_to(tf.Variable(np.int64(3), use_resource=True), 5), (),
         np.int64(3), modes=("full",)),
    Case("count-up-to-limit", "ResourceCountUpTo",
         lambda: tf.count_up_to(tf.Variable(5, use_resource=True), 5), (),
         Raises(tf.errors.OutOfRangeError, "Reached limit of 5"), modes=("full",)),
    Case("slice-assign", "ReadVariableOp", lambda x: _rv()[:, 1:].assign(x).value(),
         (X[:, :2],), lambda x: np.concatenate([V[:, :1], x], axis=1)),
    Case("scatter-update", "ReadVariableOp",
         lambda u: tf.scatter_update(_rv(), [0, 1, 0], u).value(), (ROWS,), _updated),
]
# fmt: on


def _twin_inputs(op_type: str, make_var):
    """The inputs of ``op_type`` (a ``Resource*`` op or its reference twin): variables made by
    ``make_var(value, name)`` holding positive values, hyper-parameters of 0.5 (lr_power
    -0.5, global_step 1), a gradient and, for the sparse ones, the rows [1, 0]."""
    names, n_vars, scalars = SIGNATURES[op_type]
    variables = [make_var(V * (k + 1) / 4, f"v{k}") for k in range(n_vars)]
    sparse = "indices" in names
    args = []
    for name in names[n_vars:]:
        if name in scalars:
            args.append(tf.constant(-0.5 if name == "lr_power" else 0.5))
        elif name == "indices":
            args.append(tf.constant([1, 0]))
        elif name == "global_step":
            args.append(tf.constant(1, tf.int64))
        else:
            args.append(tf.constant(X[::-1] if sparse else X))
    return variables, args


def _twin_result(op_type: str, resource: bool) -> list[np.ndarray]:
    """The values of the variables after one ``op_type`` update (resource: the Resource*
    op on resource variables; else its twin on reference variables)."""
    with tf.Graph().as_default():
        if resource:
            variables, args = _twin_inputs(op_type, lambda v, n: _rv(v, n))
            refs = [v.handle for v in variables]
        else:
            variables, args = _twin_inputs(TWINS[op_type], lambda v, n: tf.Variable(v, name=n))
            refs = [v._ref() for v in variables]
        op = tf.get_default_graph().create_op(
            op_type if resource else TWINS[op_type], refs + args, {"use_locking": False}
        )
        with tf.control_dependencies([op]):
            reads = [tf.identity(v.value()) if resource else v.read_value() for v in variables]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            return sess.run(reads)


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


TWIN_CASES = [
    Case(
        twin.lower(),
        "ReadVariableOp",
        lambda twin=twin: _twin_reads(twin),
        (),
        lambda twin=twin: _twin_result(twin, resource=False),
        tolerance=1e-6,
        modes=("full",),
    )
    for twin in sorted(TWINS)
]


def _twin_reads(op_type: str):
    variables, args = _twin_inputs(op_type, lambda v, n: _rv(v, n))
    op = tf.get_default_graph().create_op(op_type, [v.handle for v in variables] + args, {})
    return [_after(v, op) for v in variables]


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(TWIN_CASES))
def test_resource_twins_update_as_their_reference_ops(run, case, mode):
    check_case(run, case, mode)


def test_resource_twins_take_handles_and_have_no_output(graph):
    r = _rv()
    op = graph.create_op(
        "ResourceApplyGradientDescent", [r.handle, tf.constant(0.5), tf.constant(X)], {}
    )
    assert (op.type, op.outputs) == ("ResourceApplyGradientDescent", [])
    with pytest.raises(TypeError, match="Input 'var' of 'ResourceApplyGradientDescent' Op"):
        graph.create_op("ResourceApplyGradientDescent", [tf.constant(X)] * 3, {})
    with pytest.raises(ValueError, match="Shapes must be equal rank"):
        graph.create_op(
            "ResourceApplyGradientDescent", [r.handle, tf.constant(0.5), tf.constant([1.0])], {}
        )


def test_read_shapes_and_errors(graph):
    r = _rv()
    read = graph.create_op("ReadVariableOp", [r.handle], {"dtype": tf.float32}).outputs[0]
    assert (read.dtype, read.shape.as_list()) == (tf.float32, [2, 3])
    with pytest.raises(TypeError, match="Input 'resource' of 'ReadVariableOp' Op"):
        graph.create_op("ReadVariableOp", [tf.constant(V)], {"dtype": tf.float32})
    with pytest.raises(TypeError, match="does not match type float32 of the variable"):
        graph.create_op("AssignVariableOp", [r.handle, tf.constant([1, 2])], {"dtype": tf.float32})
    wrong = graph.create_op("ReadVariableOp", [r.handle], {"dtype": tf.int32}).outputs[0]
    with tf.Session(graph=graph) as sess:
        sess.run(r.initializer)
        with pytest.raises(tf.errors.InvalidArgumentError, match="wrong dtype"):
            sess.run(wrong)


def test_a_failed_run_leaves_a_resource_variable_as_it_was(graph):
    r = _rv()
    bad = tf.placeholder(tf.int32, [2])
    step = tf.group(r.assign_add(X, read_value=False), tf.gather(r, bad))
    with tf.Session(graph=graph) as sess:
        sess.run(r.initializer)
        with pytest.raises(tf.errors.InvalidArgumentError):
            sess.run(step, {bad: [0, 5]})
        np.testing.assert_array_equal(sess.run(r.value()), V)
        sess.run(step, {bad: [0, 1]})
        np.testing.assert_array_equal(sess.run(r.value()), V + X)


def test_read_and_gather_gradients_are_tfs(graph):
    # TF's: a read passes its gradient to the handle; a gather gives IndexedSlices of the
    # rows it read (repeated rows add up when made dense).
    r = _rv()
    c = np.float32([[1, -2, 3], [0.5, 0, -1]])
    d = np.float32([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    y = tf.reduce_sum(c * r.value()) + tf.reduce_sum(d * tf.gather(r, [1, 0, 1]))
    dense, rows = tf.gradients(y, [r, r])[0], tf.gradients(tf.reduce_sum(tf.gather(r, [1])), r)[0]
    assert isinstance(rows, tf.IndexedSlices)
    with tf.Session(graph=graph) as sess:
        sess.run(r.initializer)
        got, got_rows = sess.run([dense, tf.convert_to_tensor(rows)])
    np.testing.assert_array_equal(got, c + np.float32([d[1], d[0] + d[2]]))
    np.testing.assert_array_equal(got_rows, [[0, 0, 0], [1, 1, 1]])


def test_updates_from_several_threads_all_count(graph):
    # As TF's in-place kernels: 8 threads x 100 runs of a row update and a whole update.
    r = _rv(np.zeros([2, 2], np.float32))
    step = [
        tf.scatter_add(r, [0], [[1.0, 1.0]]).op,
        r.assign_add([[0.0, 0.0], [1.0, 1.0]], read_value=False),
    ]
    with tf.Session(graph=graph) as sess:
        sess.run(r.initializer)

        def work():
            for _ in range(100):
                sess.run(step)

        threads = [threading.Thread(target=work) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        np.testing.assert_array_equal(sess.run(r.value()), [[800, 800], [800, 800]])
