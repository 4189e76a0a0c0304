"""A Keras optimizer written on tf_keras's OptimizerV2 subclass API (_set_hyper, _create_slots
with add_slot and an initializer, _prepare_local, _fallback_apply_state,
_resource_apply_dense/_sparse, _resource_scatter_add, _serialize_hyperparameter), the weight
constraints apply_gradients projects after each update, and lr decay and schedules in the
built-in optimizers' graphs: values, names and op types from TF 2.21 (TF_USE_LEGACY_KERAS=1)."""

import collections

import numpy as np
import pytest

import scopeflow as tf

K = tf.keras.optimizers


class MomentumW(tf.keras.optimizers.Optimizer):
    """Momentum with decoupled weight decay, as users write Keras optimizers."""

    def __init__(self, learning_rate=0.01, momentum=0.9, weight_decay=0.01, name="MomentumW",
                 **kwargs):  # fmt: skip
        super().__init__(name, **kwargs)
        self._set_hyper("learning_rate", kwargs.get("lr", learning_rate))
        self._set_hyper("decay", self._initial_decay)
        self._set_hyper("momentum", momentum)
        self._set_hyper("weight_decay", weight_decay)

    def _create_slots(self, var_list):
        for var in var_list:
            self.add_slot(var, "velocity")
        for var in var_list:
            self.add_slot(var, "scale", initializer="ones")

    def _prepare_local(self, var_device, var_dtype, apply_state):
        super()._prepare_local(var_device, var_dtype, apply_state)
        apply_state[(var_device, var_dtype)].update(
            momentum=tf.identity(self._get_hyper("momentum", var_dtype)),
            weight_decay=tf.identity(self._get_hyper("weight_decay", var_dtype)),
        )

    def _coefficients(self, var, apply_state):
        key = (var.device, var.dtype.base_dtype)
        return (apply_state or {}).get(key) or self._fallback_apply_state(*key)

    def _resource_apply_dense(self, grad, var, apply_state=None):
        c = self._coefficients(var, apply_state)
        v = self.get_slot(var, "velocity")
        v_t = v.assign(c["momentum"] * v - c["lr_t"] * grad, use_locking=self._use_locking)
        decayed = var * (1.0 - c["lr_t"] * c["weight_decay"])
        return var.assign(decayed + v_t, use_locking=self._use_locking).op

    def _resource_apply_sparse(self, grad, var, indices, apply_state=None):
        c = self._coefficients(var, apply_state)
        v = self.get_slot(var, "velocity")
        v_t = tf.compat.v1.assign(v, v * c["momentum"], use_locking=self._use_locking)
        with tf.control_dependencies([v_t]):
            v_t = self._resource_scatter_add(v, indices, -c["lr_t"] * grad)
        rows = tf.gather(v_t, indices) - c["weight_decay"] * c["lr_t"] * tf.gather(var, indices)
        return self._resource_scatter_add(var, indices, rows)

    def get_config(self):
        config = super().get_config()
        for name in ("learning_rate", "momentum", "weight_decay"):
            config[name] = self._serialize_hyperparameter(name)
        return config


# fmt: off
CUSTOM = {  # emb after three steps, the update ops under MomentumW/MomentumW/ (TF 2.21's)
    "sparse": ([0.47955, 0.599438, 0.8985, 1.04825, 1.60198, 1.802228, 2.007353, 2.208088, 3.0,
                3.25, 3.5, 3.75],
               ["update_emb/AssignVariableOp AssignVariableOp",
                "update_emb/ResourceScatterAdd ResourceScatterAdd",
                "update_emb/Gather ResourceGather",
                "update_emb/ResourceScatterAdd_1 ResourceScatterAdd",
                "AssignAddVariableOp AssignAddVariableOp"]),
    "dense": ([-4.06033, -4.374594, -2.969108, -3.217028, -1.877886, -2.059463, -0.786663,
               -0.901898, 0.304559, 0.255667, 1.395782, 1.413232],
              ["update_emb/AssignVariableOp AssignVariableOp",
               "update_emb/AssignVariableOp_1 AssignVariableOp",
               "AssignAddVariableOp AssignAddVariableOp"]),
}
DECAYED = {  # emb after three steps and the op types apply_gradients adds (TF 2.21's)
    "adam_decay-sparse": (
        [0.762803, 1.012544, 1.289098, 1.539098, 1.876837, 2.126837, 2.441926, 2.691926, 3.0,
         3.25, 3.5, 3.75],
        "AddV2:3 AssignAddVariableOp:1 AssignSubVariableOp:1 AssignVariableOp:9 Cast:2 Const:19 "
        "Identity:3 Mul:8 NoOp:2 Pow:2 ReadVariableOp:19 RealDiv:3 ResourceScatterAdd:2 Shape:1 "
        "Sqrt:2 StridedSlice:1 Sub:4 Unique:1 UnsortedSegmentSum:1 VarHandleOp:7 "
        "VarIsInitializedOp:7"),
    "sgd_decay-dense": (
        [-2.411587, -2.541622, -1.573363, -1.665455, -0.73514, -0.789286, 0.103084, 0.086881,
         0.941308, 0.963049, 1.779532, 1.839217],
        "AddV2:1 AssignAddVariableOp:1 AssignVariableOp:5 Cast:1 Const:8 Identity:3 IdentityN:1 "
        "Mul:1 NoOp:1 ReadVariableOp:8 RealDiv:1 ResourceApplyKerasMomentum:1 VarHandleOp:5 "
        "VarIsInitializedOp:5"),
    "rmsprop_sched-sparse": (
        [0.58812, 0.832788, 1.183772, 1.433772, 1.776393, 2.026393, 2.341886, 2.591886, 3.0, 3.25,
         3.5, 3.75],
        "AddV2:1 AssignAddVariableOp:1 AssignVariableOp:6 Cast:2 Const:15 GatherV2:1 Identity:3 "
        "Mul:5 Neg:1 NoOp:2 Pow:1 ReadVariableOp:12 RealDiv:2 ResourceScatterAdd:2 Shape:1 "
        "Sqrt:1 StridedSlice:1 Sub:1 Unique:1 UnsortedSegmentSum:1 VarHandleOp:5 "
        "VarIsInitializedOp:5"),
    "adagrad_decay-dense": (
        [0.866637, 1.116509, 1.354651, 1.604504, 1.842678, 2.092532, 2.331767, 2.581643, 2.822835,
         3.072747, 3.316312, 3.566264],
        "AddV2:1 AssignAddVariableOp:1 AssignVariableOp:4 Cast:1 Const:9 Identity:2 IdentityN:1 "
        "Mul:1 Neg:1 NoOp:1 ReadVariableOp:6 RealDiv:1 ResourceApplyAdagradV2:1 VarHandleOp:4 "
        "VarIsInitializedOp:4"),
}
# fmt: on
BUILT_IN = {
    "adam_decay": lambda: K.Adam(0.1, decay=0.05),
    "sgd_decay": lambda: K.SGD(0.1, momentum=0.5, decay=0.05),
    "rmsprop_sched": lambda: K.RMSprop(K.schedules.ExponentialDecay(0.1, 2, 0.5)),
    "adagrad_decay": lambda: K.Adagrad(0.1, decay=0.05),
}


def _train(make, sparse: bool):
    """emb = arange(12).reshape(6, 2) / 4 + 1 and the slots after three steps (the tests of
    test_optimizer_update_ops.py), the optimizer, the ops apply_gradients added, its config."""
    graph = tf.Graph()
    with graph.as_default():
        start = np.arange(12, dtype=np.float32).reshape(6, 2) / 4 + 1
        emb = tf.Variable(start, name="emb", use_resource=True)
        if sparse:
            ids = tf.placeholder(tf.int32, [None])
            loss = tf.reduce_sum(tf.square(tf.gather(emb, ids)))
            feeds = [{ids: batch} for batch in ([0, 1, 1], [2], [0, 3])]
        else:
            x = tf.placeholder(tf.float32, [None, 6])
            loss = tf.reduce_sum(tf.square(tf.matmul(x, emb) - 1.0))
            xs = np.linspace(-1, 1, 18, dtype=np.float32).reshape(3, 6)
            feeds = [{x: xs[i : i + 1]} for i in range(3)]
        optimizer = make()
        grads = tf.gradients(loss, [emb])
        first = len(graph.get_operations())
        train = optimizer.apply_gradients(zip(grads, [emb], strict=True))
        added = graph.get_operations()[first:]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for feed in feeds:
                sess.run(train, feed)
            values = sess.run([emb, *optimizer.weights[1:]])
            config = optimizer.get_config()  # the hyperparameters' values, read in sess
    return values, optimizer, added, config


@pytest.mark.parametrize("which", ["sparse", "dense"])
def test_a_subclass_trains_as_in_tf(which):
    (emb, velocity, scale), optimizer, ops, config = _train(
        lambda: MomentumW(0.1, decay=0.01), which == "sparse"
    )
    np.testing.assert_allclose(emb.ravel(), CUSTOM[which][0], rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(scale, np.ones([6, 2], np.float32))
    updates = [
        f"{op.name[len('MomentumW/MomentumW/') :]} {op.type}"
        for op in ops
        if op.type.startswith(("Resource", "Assign")) and not op.name.endswith("/Assign")
    ]
    assert updates == CUSTOM[which][1]
    assert [w.name for w in optimizer.weights] == [
        "MomentumW/iter:0", "MomentumW/emb/velocity:0", "MomentumW/emb/scale:0"
    ]  # fmt: skip
    assert config == pytest.approx(
        {"name": "MomentumW", "learning_rate": 0.1, "momentum": 0.9, "weight_decay": 0.01}
    )


@pytest.mark.parametrize("case", sorted(DECAYED))
def test_decay_and_schedules_build_tfs_graphs(case):
    name, which = case.split("-")
    (emb, *_), _, ops, _ = _train(BUILT_IN[name], which == "sparse")
    np.testing.assert_allclose(emb.ravel(), DECAYED[case][0], rtol=1e-5, atol=1e-6)
    types = collections.Counter(op.type for op in ops)
    assert " ".join(f"{t}:{n}" for t, n in sorted(types.items())) == DECAYED[case][1]


def test_constraints_project_the_weights_after_each_update():
    with tf.Graph().as_default():
        dense = tf.keras.layers.Dense(
            2,
            input_shape=(3,),
            kernel_initializer=tf.keras.initializers.Constant(0.3),
            kernel_constraint=tf.keras.constraints.MaxNorm(0.5),
            bias_constraint=tf.keras.constraints.NonNeg(),
        )
        model = tf.keras.Sequential([dense])
        model.compile(K.SGD(0.5), "mse")
        x, y = np.array([[1.0, 2.0, -1.0]]), np.array([[3.0, -2.0]])
        for _ in range(2):
            model.train_on_batch(x, y)
        kernel, bias = model.get_weights()
    # TF 2.21's (the unconstrained kernel would be [[-1.5, 2.25], [-3.3, 4.2], [2.1, -1.65]])
    want = [[0.216547, -0.192357], [0.413935, -0.40194], [-0.178229, 0.226811]]
    np.testing.assert_allclose(kernel, want, rtol=1e-5)
    np.testing.assert_allclose(bias, [1.493872, 0.0], rtol=1e-5)


def test_a_constraint_on_a_sparsely_updated_variable_is_refused(graph):
    emb = tf.Variable(np.ones([4, 2], np.float32), constraint=lambda w: w, use_resource=True)
    grad = tf.gradients(tf.reduce_sum(tf.gather(emb, [1, 2])), [emb])[0]
    with pytest.raises(RuntimeError, match="Cannot use a constraint function on a sparse"):
        K.SGD(0.1).apply_gradients([(grad, emb)])
