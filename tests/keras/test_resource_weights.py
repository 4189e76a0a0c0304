"""tf.keras's variables are resource variables in TF1 graph mode, as TF 2.21's tf_keras makes
them (reference venv, TF_USE_LEGACY_KERAS=1): layer weights (Embedding reads by
ResourceGather), optimizer iterations and hyperparameters, metric totals and
``K.backend.variable``; a fused batch norm's reads inside its learning-phase cond give the
untaken branch zeros shaped by ``VariableShape``."""

from __future__ import annotations

import collections

import numpy as np

import scopeflow as tf

K = tf.keras
L = K.layers


def test_embedding_dense_batch_norm_fit_graph_uses_resource_variables(graph):
    tf.set_random_seed(1)
    inp = K.Input((3,), dtype="int32")
    flat = L.Flatten()(L.Embedding(10, 4)(inp))
    hidden = L.BatchNormalization()(L.Dense(5)(flat))
    out = L.Dense(1)(hidden)
    model = K.Model(inp, out)
    model.compile(optimizer=K.optimizers.Adam(0.01), loss="mse", metrics=["mae"])
    x = np.random.RandomState(0).randint(0, 10, (16, 3)).astype(np.int32)
    y = np.random.RandomState(1).rand(16, 1).astype(np.float32)
    history = model.fit(x, y, epochs=2, batch_size=8, verbose=0, shuffle=False).history
    # TF 2.21 (tf_keras)
    np.testing.assert_allclose(history["loss"], [1.357028841972351, 0.4422644376754761], 1e-6)
    np.testing.assert_allclose(
        history["mean_absolute_error"], [1.0571057796478271, 0.5972636938095093], 1e-6
    )
    types = collections.Counter(op.type for op in graph.get_operations())
    assert types["VarHandleOp"] == 30 and types["VarIsInitializedOp"] == 60
    assert types["ResourceGather"] == 1 and types["GatherV2"] == 3
    assert types["VariableV2"] == 0 and types["Assign"] == 0
    assert {type(v).__name__ for v in tf.global_variables()} == {"ResourceVariable"}
    names = [v.name for v in tf.global_variables()]
    assert names[:2] == ["embedding/embeddings:0", "dense/kernel:0"]
    assert names[9:14] == [
        "training/Adam/iter:0",
        "training/Adam/beta_1:0",
        "training/Adam/beta_2:0",
        "training/Adam/decay:0",
        "training/Adam/learning_rate:0",
    ]
    assert [u.name for u in model.updates] == [
        "batch_normalization/cond_2/Merge",
        "batch_normalization/cond_3/Merge",
    ]
    reads = [
        op.name
        for op in graph.get_operations()
        if op.name.startswith("metrics/") and op.type == "ReadVariableOp"
    ]
    assert reads == [  # the metric's result reads its variables inside div_no_nan, as TF's
        "metrics/mean_absolute_error/ReadVariableOp",
        "metrics/mean_absolute_error/ReadVariableOp_1",
        "metrics/mean_absolute_error/div_no_nan/ReadVariableOp",
        "metrics/mean_absolute_error/div_no_nan/ReadVariableOp_1",
    ]


def test_backend_variable_and_metric_totals_are_resource_variables(graph):
    v = K.backend.variable(1.0, name="kv")
    mean = K.metrics.Mean()
    assert (type(v).__name__, v.op.type) == ("ResourceVariable", "VarHandleOp")
    assert (type(mean.total).__name__, mean.total.op.type) == ("ResourceVariable", "VarHandleOp")


def test_fused_batch_norm_gradient_gives_the_untaken_branch_variable_shaped_zeros(graph):
    x = tf.placeholder(tf.float32, [None, 1, 1, 2])
    bn = L.BatchNormalization(name="bn")
    y = bn(x)
    loss = tf.reduce_sum(y * tf.constant([[[[1.0, 2.0]]]]))
    before = len(graph.get_operations())
    grads = tf.gradients(loss, [bn.gamma, bn.beta])
    made = [(op.name, op.type) for op in graph.get_operations()[before:]]
    top = [entry for entry in made if entry[0].count("/") == 1 and "zeros_like" not in entry[0]]
    assert top == [  # TF 2.21
        ("gradients/Shape", "Const"),
        ("gradients/grad_ys_0", "Fill"),
        *[
            (f"gradients/{name}{suffix}", op_type)
            for suffix in ("", "_1", "_2", "_3")
            for name, op_type in (
                ("Switch", "Switch"),
                ("Identity", "Identity"),
                ("VariableShape", "VariableShape"),
                ("zeros", "Fill"),
            )
        ],
        ("gradients/AddN", "AddN"),
        ("gradients/AddN_1", "AddN"),
    ]
    assert grads[0].shape.as_list() == [2]
    xs = np.array([[1.0, 2.0], [3.0, 5.0], [0.0, -1.0]], np.float32).reshape(3, 1, 1, 2)
    phase = K.backend.learning_phase()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        training = sess.run(grads, {x: xs, phase: 1})
        inference = sess.run(grads, {x: xs, phase: 0})
    np.testing.assert_allclose(training[0], [-9.554936e-08, 0.0], atol=1e-6)
    np.testing.assert_allclose(training[1], [3.0, 6.0])
    np.testing.assert_allclose(inference[0], [3.9980016, 11.994005], rtol=1e-6)
    np.testing.assert_allclose(inference[1], [3.0, 6.0])


def test_optimizer_and_metric_variables_initializers_are_named_as_tf(graph):
    model = K.Sequential([L.Dense(2, input_shape=(3,))])
    model.compile(optimizer=K.optimizers.Ftrl(), loss="mse", metrics=["mae"])
    model.fit(np.ones((4, 3)), np.ones((4, 2)), verbose=0)
    made = [op.name for op in graph.get_operations() if "/Initializer/" in op.name]
    prefix = "training/Ftrl/"
    assert sorted(n[len(prefix) :] for n in made if n.startswith(prefix + "dense/bias")) == [
        "dense/bias/accumulator/Initializer/Const",  # TF 2.21 (tf_keras)
        "dense/bias/linear/Initializer/zeros",
    ]
    assert prefix + "iter/Initializer/zeros" in made
    assert prefix + "beta/Initializer/initial_value" in made
    assert {"total/Initializer/zeros", "count/Initializer/zeros"} <= set(made)


def test_custom_metric_weights_take_their_initializer(graph):
    class Custom(K.metrics.Metric):
        def __init__(self):
            super().__init__(name="custom")
            self.w = self.add_weight("w", shape=(2,), initializer="ones")
            self.c = self.add_weight("c", shape=(2,), initializer=K.initializers.Constant(3.0))

        def update_state(self, *args):
            pass

        def result(self):
            return self.w

    metric = Custom()
    made = [op.name for op in graph.get_operations() if "Initializer/" in op.name]
    assert made == ["w/Initializer/ones", "c/Initializer/Const"]  # TF 2.21 (tf_keras)
    with tf.Session() as sess:
        sess.run([metric.w.initializer, metric.c.initializer])
        np.testing.assert_array_equal(sess.run([metric.w, metric.c]), [[1.0, 1.0], [3.0, 3.0]])
