"""Tests for the optimizers on resource variables (train/optimizer.py's resource hooks,
ops/state/resource_training.py): TF 2.21's update ops and values, checked against TensorFlow
(graph mode after ``tf.disable_v2_behavior()``); the expected values were taken from it."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

# Three steps on w (dense gradient) and e (an embedding's IndexedSlices), TF 2.21's results.
_OPTIMIZERS = {
    "sgd": (
        lambda: tf.train.GradientDescentOptimizer(0.1),
        [[0.81475, 1.6294999], [3.18525, 4.3705], [4.907375, 5.81475]],
        [[0.10800001, -0.21600002], [2.0, 1.5], [0.05119999, 0.10239999]],
        ["ResourceApplyGradientDescent", "Neg", "Mul", "ResourceScatterAdd", "NoOp"],
    ),
    "momentum": (
        lambda: tf.train.MomentumOptimizer(0.1, 0.9),
        [[0.63474995, 1.2694999], [3.3652499, 4.7304997], [4.8173747, 5.63475]],
        [[-0.26999998, 0.53999996], [2.0, 1.5], [0.0062, 0.0124]],
        ["ResourceApplyMomentum", "Unique", "Shape", "StridedSlice", "UnsortedSegmentSum"]
        + ["ResourceSparseApplyMomentum", "NoOp"],
    ),
    "adam": (
        lambda: tf.train.AdamOptimizer(0.1),
        [[0.73281986, 1.7073959], [3.26718, 4.292604], [4.7328196, 5.707396]],
        [[0.20487225, -0.7015873], [2.0, 1.5], [-0.07443742, -0.06718004]],
        None,
    ),
    "adagrad": (
        lambda: tf.train.AdagradOptimizer(0.1),
        [[0.8336938, 1.7981907], [3.166306, 4.201809], [4.851013, 5.803779]],
        [[0.29262856, -0.78092223], [2.0, 1.5], [0.01086008, 0.05173388]],
        ["ResourceApplyAdagrad", "Unique", "Shape", "StridedSlice", "UnsortedSegmentSum"]
        + ["ResourceSparseApplyAdagrad", "NoOp"],
    ),
    "rmsprop": (
        lambda: tf.train.RMSPropOptimizer(0.1),
        [[0.8115473, 1.655375], [3.1884527, 4.3446255], [4.901416, 5.799234]],
        [[0.13719273, -0.45231035], [2.0, 1.5], [0.04714947, 0.09516439]],
        ["ResourceApplyRMSProp", "Unique", "Shape", "StridedSlice", "UnsortedSegmentSum"]
        + ["ResourceSparseApplyRMSProp", "NoOp"],
    ),
}


@pytest.mark.parametrize("key", sorted(_OPTIMIZERS))
def test_optimizers_build_tfs_resource_updates_and_match_its_numbers(key):
    make, want_w, want_e, want_types = _OPTIMIZERS[key]
    g = tf.Graph()
    with g.as_default():
        w = tf.get_variable(
            "w", initializer=tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]), use_resource=True
        )
        e = tf.get_variable(
            "e", initializer=tf.constant([[0.5, -1.0], [2.0, 1.5], [0.1, 0.2]]), use_resource=True
        )
        x = tf.constant([[1.0, -1.0, 0.5]])
        emb = tf.nn.embedding_lookup(e, [0, 2, 0])
        loss = tf.reduce_sum(tf.matmul(x, w) ** 2) + tf.reduce_sum(emb * emb)
        opt = make()
        grads = opt.compute_gradients(loss)
        start = len(g.get_operations())
        train = opt.apply_gradients(grads)
    types = [op.type for op in g.get_operations()[start:] if op.type != "Const"]
    slots = [t for t in types if t in ("VarHandleOp", "VarIsInitializedOp")]
    assert all(s._is_resource for s in opt.variables())
    if want_types is not None:
        assert [t for t in types if t not in slots and t not in ("AssignVariableOp",)][
            -len(want_types) :
        ] == want_types
    with tf.Session(graph=g) as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(train)
        np.testing.assert_allclose(sess.run(w), want_w, rtol=1e-6)
        np.testing.assert_allclose(sess.run(e), want_e, rtol=1e-6, atol=1e-7)


def test_custom_optimizers_use_the_resource_hooks_as_tf():
    class OnlyRef(tf.train.Optimizer):
        def __init__(self):
            super().__init__(False, "OnlyRef")

        def _apply_dense(self, grad, var):
            return var.assign_sub(grad).op

    class WithResource(OnlyRef):
        def _resource_apply_dense(self, grad, handle):
            return handle.assign_sub(grad * 2.0, read_value=False)

    with tf.Graph().as_default():
        v = tf.Variable([1.0, 2.0], use_resource=True, name="v")
        loss = tf.reduce_sum(v)
        with pytest.raises(NotImplementedError, match="_resource_apply_dense"):
            OnlyRef().minimize(loss)
        train = WithResource().minimize(loss)
        with tf.Session() as sess:
            sess.run(v.initializer)
            sess.run(train)
            np.testing.assert_array_equal(sess.run(v), [-1.0, 0.0])


# TF 2.21's ops of AdamOptimizer.apply_gradients on resource variables w (dense) and e (an
# embedding's IndexedSlices), after the slots, constants left out.
_ADAM_OPS = [
    "Adam/update_w/ResourceApplyAdam/ReadVariableOp",
    "Adam/update_w/ResourceApplyAdam/ReadVariableOp_1",
    "Adam/update_w/ResourceApplyAdam",
    "Adam/update_e/Unique",
    "Adam/update_e/Shape",
    "Adam/update_e/strided_slice",
    "Adam/update_e/UnsortedSegmentSum",
    "Adam/update_e/ReadVariableOp",
    "Adam/update_e/sub",
    "Adam/update_e/Sqrt",
    "Adam/update_e/mul",
    "Adam/update_e/ReadVariableOp_1",
    "Adam/update_e/sub_1",
    "Adam/update_e/truediv",
    "Adam/update_e/sub_2",
    "Adam/update_e/mul_1",
    "Adam/update_e/ReadVariableOp_2",
    "Adam/update_e/mul_2",
    "Adam/update_e/AssignVariableOp",
    "Adam/update_e/ReadVariableOp_3",
    "Adam/update_e/ResourceScatterAdd",
    "Adam/update_e/ReadVariableOp_4",
    "Adam/update_e/mul_3",
    "Adam/update_e/sub_3",
    "Adam/update_e/mul_4",
    "Adam/update_e/ReadVariableOp_5",
    "Adam/update_e/mul_5",
    "Adam/update_e/AssignVariableOp_1",
    "Adam/update_e/ReadVariableOp_6",
    "Adam/update_e/ResourceScatterAdd_1",
    "Adam/update_e/ReadVariableOp_7",
    "Adam/update_e/Sqrt_1",
    "Adam/update_e/mul_6",
    "Adam/update_e/add",
    "Adam/update_e/truediv_1",
    "Adam/update_e/AssignSubVariableOp",
    "Adam/update_e/ReadVariableOp_8",
    "Adam/update_e/group_deps",
    "Adam/ReadVariableOp",
    "Adam/mul",
    "Adam/AssignVariableOp",
    "Adam/ReadVariableOp_1",
    "Adam/ReadVariableOp_2",
    "Adam/mul_1",
    "Adam/AssignVariableOp_1",
    "Adam/ReadVariableOp_3",
    "Adam",
]


def test_adam_on_resource_variables_builds_tfs_graph():
    g = tf.Graph()
    with g.as_default():
        w = tf.get_variable("w", initializer=tf.ones([3, 2]), use_resource=True)
        e = tf.get_variable("e", initializer=tf.ones([3, 2]), use_resource=True)
        emb = tf.nn.embedding_lookup(e, [0, 2, 0])
        loss = tf.reduce_sum(tf.matmul(tf.ones([1, 3]), w) ** 2) + tf.reduce_sum(emb * emb)
        tf.train.AdamOptimizer(0.1).minimize(loss)
    ops = g.get_operations()
    names = [op.name for op in ops if op.name.startswith("Adam") and op.type != "Const"]
    assert names == _ADAM_OPS


# More optimizers on the same variables: TF 2.21's update op types (after the slots)
# and values after three steps.
_MORE_OPTIMIZERS = {
    "adadelta": (
        lambda: tf.train.AdadeltaOptimizer(1.0),
        [
            "ResourceApplyAdadelta",
            "Unique",
            "Shape",
            "StridedSlice",
            "UnsortedSegmentSum",
            "ResourceSparseApplyAdadelta",
            "NoOp",
        ],
        [
            [0.9986447691917419, 1.9986439943313599],
            [3.0013554096221924, 4.00135612487793],
            [4.998644828796387, 5.99864387512207],
        ],
        [
            [0.49864375591278076, -0.9986434578895569],
            [2.0, 1.5],
            [0.09864644706249237, 0.19864477217197418],
        ],
    ),
    "ftrl": (
        lambda: tf.train.FtrlOptimizer(0.1),
        [
            "Maximum",
            "Mul",
            "RealDiv",
            "AddV2",
            "ResourceApplyFtrl",
            "Unique",
            "Shape",
            "StridedSlice",
            "UnsortedSegmentSum",
            "ResourceSparseApplyFtrl",
            "NoOp",
        ],
        [
            [0.7091630697250366, 1.5610915422439575],
            [2.084791421890259, 3.501865863800049],
            [2.3420250415802, 4.068733215332031],
        ],
        [
            [0.22841297090053558, -0.7076641321182251],
            [2.0, 1.5],
            [-0.008650403469800949, -0.0009165647206827998],
        ],
    ),
    "ftrl2": (
        lambda: tf.train.FtrlOptimizer(0.1, l2_shrinkage_regularization_strength=0.1),
        [
            "Maximum",
            "Mul",
            "RealDiv",
            "AddV2",
            "ResourceApplyFtrlV2",
            "Unique",
            "Shape",
            "StridedSlice",
            "UnsortedSegmentSum",
            "ResourceSparseApplyFtrlV2",
            "NoOp",
        ],
        [
            [0.6806540489196777, 1.5190472602844238],
            [1.9668946266174316, 3.387159585952759],
            [2.077944040298462, 3.8132853507995605],
        ],
        [
            [0.22013697028160095, -0.6975482702255249],
            [2.0, 1.5],
            [-0.00795258954167366, -0.003342570038512349],
        ],
    ),
    "padagrad": (
        lambda: tf.train.ProximalAdagradOptimizer(0.1, l1_regularization_strength=0.01),
        [
            "ResourceApplyProximalAdagrad",
            "Unique",
            "Shape",
            "StridedSlice",
            "UnsortedSegmentSum",
            "ResourceSparseApplyProximalAdagrad",
            "NoOp",
        ],
        [
            [0.8313714861869812, 1.797006607055664],
            [3.163376569747925, 4.200499057769775],
            [4.846567153930664, 5.801413536071777],
        ],
        [
            [0.29152390360832214, -0.7803546786308289],
            [2.0, 1.5],
            [0.00629772013053298, 0.04778623953461647],
        ],
    ),
    "pgd": (
        lambda: tf.train.ProximalGradientDescentOptimizer(0.1, l2_regularization_strength=0.01),
        [
            "ResourceApplyProximalGradientDescent",
            "Unique",
            "Shape",
            "StridedSlice",
            "UnsortedSegmentSum",
            "ResourceSparseApplyProximalGradientDescent",
            "NoOp",
        ],
        [
            [0.8123104572296143, 1.624620795249939],
            [3.1757125854492188, 4.3574137687683105],
            [4.89268159866333, 5.797340393066406],
        ],
        [
            [0.10767663270235062, -0.21535326540470123],
            [2.0, 1.5],
            [0.0510466992855072, 0.1020934134721756],
        ],
    ),
    "crms": (
        lambda: tf.train.RMSPropOptimizer(0.1, centered=True, momentum=0.5),
        [
            "ResourceApplyCenteredRMSProp",
            "Unique",
            "Shape",
            "StridedSlice",
            "UnsortedSegmentSum",
            "ResourceSparseApplyCenteredRMSProp",
            "NoOp",
        ],
        [
            [0.7315962314605713, 1.4996092319488525],
            [3.2684035301208496, 4.500390529632568],
            [4.860625267028809, 5.71504020690918],
        ],
        [
            [-0.029488250613212585, -0.1646849513053894],
            [2.0, 1.5],
            [0.0250460896641016, 0.05100664868950844],
        ],
    ),
    "nmom": (
        lambda: tf.train.MomentumOptimizer(0.1, 0.9, use_nesterov=True),
        [
            "ResourceApplyMomentum",
            "Unique",
            "Shape",
            "StridedSlice",
            "UnsortedSegmentSum",
            "ResourceSparseApplyMomentum",
            "NoOp",
        ],
        [
            [0.6820653080940247, 1.3641307353973389],
            [3.31793475151062, 4.63586950302124],
            [4.841032981872559, 5.682065010070801],
        ],
        [
            [-0.21664796769618988, 0.43329593539237976],
            [2.0, 1.5],
            [-0.010835199616849422, -0.0216703899204731],
        ],
    ),
    "adagradda": (
        lambda: tf.train.AdagradDAOptimizer(0.1, tf.train.get_or_create_global_step()),
        [
            "Identity",
            "AddV2",
            "Identity",
            "ResourceApplyAdagradDA",
            "Unique",
            "Shape",
            "StridedSlice",
            "UnsortedSegmentSum",
            "Identity",
            "ResourceSparseApplyAdagradDA",
            "NoOp",
        ],
        [
            [-0.0261467806994915, -0.05437662824988365],
            [0.0261467806994915, 0.05437662824988365],
            [-0.023680729791522026, -0.05263892933726311],
        ],
        [
            [-0.06200890988111496, 0.08013754338026047],
            [2.0, 1.5],
            [-0.01154095958918333, -0.028078919276595116],
        ],
    ),
}


@pytest.mark.parametrize("key", sorted(_MORE_OPTIMIZERS))
def test_more_optimizers_on_resource_variables_as_tf(key):
    make, want_types, want_w, want_e = _MORE_OPTIMIZERS[key]
    g = tf.Graph()
    with g.as_default():
        w = tf.get_variable(
            "w", initializer=tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]), use_resource=True
        )
        e = tf.get_variable(
            "e", initializer=tf.constant([[0.5, -1.0], [2.0, 1.5], [0.1, 0.2]]), use_resource=True
        )
        emb = tf.nn.embedding_lookup(e, [0, 2, 0])
        loss = tf.reduce_sum(tf.matmul(tf.constant([[1.0, -1.0, 0.5]]), w) ** 2)
        loss += tf.reduce_sum(emb * emb)
        opt = make()
        grads = opt.compute_gradients(loss)
        start = len(g.get_operations())
        train = opt.apply_gradients(grads)
    added = g.get_operations()[start:]
    types = [op.type for op in added if not op.name.startswith(("w/", "e/")) and op.type != "Const"]
    assert types == want_types
    with tf.Session(graph=g) as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(train)
        np.testing.assert_allclose(sess.run(w), want_w, rtol=1e-6, atol=1e-7)
        np.testing.assert_allclose(sess.run(e), want_e, rtol=1e-6, atol=1e-7)


def test_resource_global_step_and_metrics_with_resource_variables_enabled():
    try:
        tf.enable_resource_variables()
        with tf.Graph().as_default():
            step = tf.train.get_or_create_global_step()
            w = tf.get_variable("w", initializer=tf.constant([1.0, 2.0]))
            opt = tf.train.GradientDescentOptimizer(0.1)
            train = opt.minimize(tf.reduce_sum(w * w), global_step=step)
            _, accuracy = tf.metrics.accuracy([1, 0, 1], [1, 1, 1])
            assert (train.name, train.type) == ("GradientDescent", "AssignAddVariableOp")
            assert [t.name for t in train.inputs] == ["global_step:0", "GradientDescent/Const:0"]
            assert all(v._is_resource for v in tf.local_variables() + tf.global_variables())
            with tf.train.MonitoredTrainingSession() as sess:
                for _ in range(3):
                    sess.run(train)
                got_step, got_w, got_accuracy = sess.run([step, w, accuracy])
    finally:
        tf.disable_resource_variables()
    assert got_step == 3
    np.testing.assert_allclose(got_w, [0.51199996, 1.0239999], rtol=1e-6)
    np.testing.assert_allclose(got_accuracy, 0.6666667, rtol=1e-6)


def test_dynamic_rnn_and_sparse_embeddings_train_on_resource_variables_as_tf():
    # Reads of the LSTM's variables inside the while loop and their gradients through it.
    try:
        tf.enable_resource_variables()
        with tf.Graph().as_default():
            x = tf.constant(np.arange(24, dtype=np.float32).reshape(2, 4, 3) / 10.0)
            cell = tf.nn.rnn_cell.LSTMCell(5, initializer=tf.constant_initializer(0.1))
            out, _ = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
            ids = tf.SparseTensor(
                [[0, 0], [0, 1], [1, 0]], tf.constant([0, 3, 2], tf.int64), [2, 2]
            )
            table = np.arange(12, dtype=np.float32).reshape(4, 3) / 10.0
            emb = tf.get_variable("emb", initializer=tf.constant(table))
            pooled = tf.nn.embedding_lookup_sparse(emb, ids, None, combiner="mean")
            loss = tf.reduce_sum(out**2) + tf.reduce_sum(pooled**2)
            train = tf.train.AdamOptimizer(0.05).minimize(loss)
            assert all(v._is_resource for v in tf.global_variables())
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                for _ in range(3):
                    got, _ = sess.run([loss, train])
                sums = [np.sum(v) for v in sess.run(tf.trainable_variables())]
    finally:
        tf.disable_resource_variables()
    np.testing.assert_allclose(got, 1.7919092178344727, rtol=1e-6)
    np.testing.assert_allclose(
        sums, [-3.121119260787964, -2.453425884246826, 5.255857467651367], rtol=1e-6
    )


def test_an_estimator_trains_with_resource_variables_enabled(tmp_path):
    # Its global step read (TF's cond on is_variable_initialized) works on a resource step.
    x = np.arange(16, dtype=np.float32).reshape(8, 2) / 10.0

    def model_fn(features, labels, mode):
        w = tf.get_variable("w", initializer=tf.constant([[0.1], [-0.2]]))
        logits = tf.squeeze(tf.matmul(features["x"], w), 1)
        loss = tf.losses.sigmoid_cross_entropy(labels, logits)
        opt = tf.train.MomentumOptimizer(0.5, 0.9)
        train = opt.minimize(loss, global_step=tf.train.get_global_step())
        return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train)

    try:
        tf.enable_resource_variables()
        config = tf.estimator.RunConfig(tf_random_seed=1, log_step_count_steps=1000)
        estimator = tf.estimator.Estimator(model_fn, model_dir=str(tmp_path), config=config)
        inputs = tf.estimator.inputs.numpy_input_fn(
            {"x": x}, np.array([0, 1] * 4), batch_size=8, num_epochs=None, shuffle=False
        )
        estimator.train(inputs, steps=3)
    finally:
        tf.disable_resource_variables()
    assert estimator.get_variable_value("global_step") == 3
    # TF 2.21's values for these three steps (the same graph run without an Estimator)
    np.testing.assert_allclose(
        estimator.get_variable_value("w").ravel(), [0.26858169, -0.02822706], rtol=2e-6
    )


# Keras optimizers on resource variables (a dense and a gathered one): TF 2.21's values
# after three steps (rounded to 6 decimals).
_KERAS = {
    "sgdm": (lambda: tf.keras.optimizers.SGD(0.1, momentum=0.9), [0.062, 0.124, -0.54, 2.0, 0.186]),
    "rms": (
        lambda: tf.keras.optimizers.RMSprop(0.1),
        [0.369181, 1.308718, 0.369181, 2.0, 2.291766],
    ),
    "adagrad": (
        lambda: tf.keras.optimizers.Adagrad(0.1),
        [0.782299, 1.776297, 0.780922, 2.0, 2.774572],
    ),
    "adadelta": (
        lambda: tf.keras.optimizers.Adadelta(1.0),
        [0.995712, 1.995711, 0.995712, 2.0, 2.99571],
    ),
    "adamax": (lambda: tf.keras.optimizers.Adamax(0.1), [0.7155, 1.707648, 0.7155, 2.0, 2.70501]),
    "nadam": (
        lambda: tf.keras.optimizers.Nadam(0.1),
        [0.752729, 1.747509, 0.752729, 2.0, 2.745876],
    ),
}


@pytest.mark.parametrize("key", sorted(_KERAS))
def test_keras_optimizers_on_resource_variables_as_tf(key):
    make, want = _KERAS[key]
    with tf.Graph().as_default():
        v = tf.Variable([1.0, 2.0], use_resource=True, name="v")
        e = tf.Variable([[1.0], [2.0], [3.0]], use_resource=True, name="e")
        loss = tf.reduce_sum(v * v) + tf.reduce_sum(tf.gather(e, [0, 2, 0]) ** 2)
        opt = make()
        train = opt.apply_gradients(zip(tf.gradients(loss, [v, e]), [v, e], strict=True))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(3):
                sess.run(train)
            got = [*sess.run(v.value()), *sess.run(e.value()).ravel()]
    np.testing.assert_allclose(got, want, atol=1.5e-6)
