"""AMSGrad as TF1 repositories wrote it on tf.train.Optimizer's private API: _create_slots with
_create_non_slot_variable (beta powers colocated with the first variable), _zeros_slot and
_get_or_make_slot_with_initializer; _prepare with _call_if_callable (a callable learning rate
from exponential_decay); _apply_dense with get_slot and assigns; _apply_sparse for the
embedding tables' IndexedSlices; _finish updating the powers under the updates' control
dependencies; get_slot_names and variables().

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    class AMSGrad(tf.train.Optimizer):
        """AMSGrad as TF1 repositories wrote it on the private Optimizer API."""

        def __init__(
            self,
            learning_rate=0.01,
            beta1=0.9,
            beta2=0.99,
            epsilon=1e-8,
            use_locking=False,
            name="AMSGrad",
        ):
            super().__init__(use_locking, name)
            self._lr, self._beta1, self._beta2, self._epsilon = (
                learning_rate,
                beta1,
                beta2,
                epsilon,
            )

        def _create_slots(self, var_list):
            first_var = min(var_list, key=lambda x: x.name)
            self._create_non_slot_variable(
                initial_value=self._beta1, name="beta1_power", colocate_with=first_var
            )
            self._create_non_slot_variable(
                initial_value=self._beta2, name="beta2_power", colocate_with=first_var
            )
            for v in var_list:
                self._zeros_slot(v, "m", self._name)
                self._zeros_slot(v, "v", self._name)
                self._get_or_make_slot_with_initializer(
                    v, tf.constant_initializer(0.0), v.shape, v.dtype.base_dtype, "vhat", self._name
                )

        def _prepare(self):
            lr = self._call_if_callable(self._lr)
            self._lr_t = tf.convert_to_tensor(lr, name="learning_rate")
            self._beta1_t = tf.convert_to_tensor(self._beta1, name="beta1")
            self._beta2_t = tf.convert_to_tensor(self._beta2, name="beta2")
            self._epsilon_t = tf.convert_to_tensor(self._epsilon, name="epsilon")

        def _powers(self, var):
            graph = var.graph
            return (
                self._get_non_slot_variable("beta1_power", graph=graph),
                self._get_non_slot_variable("beta2_power", graph=graph),
            )

        def _apply_dense(self, grad, var):
            dtype = var.dtype.base_dtype
            beta1_power, beta2_power = (tf.cast(p, dtype) for p in self._powers(var))
            lr_t = tf.cast(self._lr_t, dtype)
            beta1_t = tf.cast(self._beta1_t, dtype)
            beta2_t = tf.cast(self._beta2_t, dtype)
            epsilon_t = tf.cast(self._epsilon_t, dtype)
            lr = lr_t * tf.sqrt(1 - beta2_power) / (1 - beta1_power)
            m = self.get_slot(var, "m")
            m_t = tf.assign(m, beta1_t * m + (1 - beta1_t) * grad)
            v = self.get_slot(var, "v")
            v_t = tf.assign(v, beta2_t * v + (1 - beta2_t) * tf.square(grad))
            vhat = self.get_slot(var, "vhat")
            vhat_t = tf.assign(vhat, tf.maximum(v_t, vhat))
            var_update = tf.assign_sub(var, lr * m_t / (tf.sqrt(vhat_t) + epsilon_t))
            return tf.group(*[var_update, m_t, v_t, vhat_t])

        def _apply_sparse(self, grad, var):
            return self._apply_dense(tf.convert_to_tensor(grad), var)

        def _finish(self, update_ops, name_scope):
            with tf.control_dependencies(update_ops):
                beta1_power, beta2_power = self._powers(update_ops[0])
                with tf.colocate_with(beta1_power):
                    update_beta1 = beta1_power.assign(beta1_power * self._beta1_t)
                    update_beta2 = beta2_power.assign(beta2_power * self._beta2_t)
            return tf.group(*update_ops + [update_beta1, update_beta2], name=name_scope)

    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(17)
        ids = tf.placeholder(tf.int32, [None, 3], name="ids")
        y = tf.placeholder(tf.float32, [None, 1], name="y")
        with tf.variable_scope("ref_model"):
            table = tf.get_variable("embedding", [7, 4])
            x = tf.reduce_mean(tf.nn.embedding_lookup(table, ids), axis=1)
            pred = tf.layers.dense(x, 1, name="out")
        with tf.variable_scope("sparse_model"):
            rtable = tf.get_variable("embedding", [7, 4])
            rx = tf.reduce_mean(tf.nn.embedding_lookup(rtable, ids * 2 % 7), axis=1)
            rpred = tf.layers.dense(rx, 1, name="out")
        loss = tf.losses.mean_squared_error(y, pred)
        rloss = tf.losses.mean_squared_error(y, rpred)
        step = tf.train.get_or_create_global_step()
        lr = tf.train.exponential_decay(0.05, step, 2, 0.5)
        opt = AMSGrad(learning_rate=lambda: lr, beta2=0.9)
        train = opt.minimize(loss + rloss, global_step=step)
        rng = np.random.RandomState(6)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            hist = []
            for _ in range(4):
                f = {ids: rng.randint(0, 7, (5, 3)), y: rng.normal(size=(5, 1))}
                _, a, b = sess.run([train, loss, rloss], f)
                hist.append([float(a), float(b)])
            b1, vh, tab = sess.run(
                [
                    opt._get_non_slot_variable("beta1_power", graph=g),
                    opt.get_slot(rtable, "vhat"),
                    rtable,
                ]
            )
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
            "slot_names": opt.get_slot_names(),
            "opt_vars": [v.name for v in opt.variables()],
            "train": train.name,
            "types": sorted(
                {
                    op.type
                    for op in g.get_operations()
                    if op.name.startswith("AMSGrad/") or op.name == "AMSGrad"
                }
            ),
            "losses": hist,
            "beta1_power": float(b1),
            "vhat": [float(x) for x in np.ravel(vh)[:6]],
            "table": [float(x) for x in np.ravel(tab)[:6]],
        }


EXPECTED = {
    "vars": [
        ["ref_model/embedding:0", [7, 4]],
        ["ref_model/out/kernel:0", [4, 1]],
        ["ref_model/out/bias:0", [1]],
        ["sparse_model/embedding:0", [7, 4]],
        ["sparse_model/out/kernel:0", [4, 1]],
        ["sparse_model/out/bias:0", [1]],
        ["global_step:0", []],
        ["beta1_power:0", []],
        ["beta2_power:0", []],
        ["ref_model/embedding/AMSGrad:0", [7, 4]],
        ["ref_model/embedding/AMSGrad_1:0", [7, 4]],
        ["ref_model/embedding/AMSGrad_2:0", [7, 4]],
        ["ref_model/out/kernel/AMSGrad:0", [4, 1]],
        ["ref_model/out/kernel/AMSGrad_1:0", [4, 1]],
        ["ref_model/out/kernel/AMSGrad_2:0", [4, 1]],
        ["ref_model/out/bias/AMSGrad:0", [1]],
        ["ref_model/out/bias/AMSGrad_1:0", [1]],
        ["ref_model/out/bias/AMSGrad_2:0", [1]],
        ["sparse_model/embedding/AMSGrad:0", [7, 4]],
        ["sparse_model/embedding/AMSGrad_1:0", [7, 4]],
        ["sparse_model/embedding/AMSGrad_2:0", [7, 4]],
        ["sparse_model/out/kernel/AMSGrad:0", [4, 1]],
        ["sparse_model/out/kernel/AMSGrad_1:0", [4, 1]],
        ["sparse_model/out/kernel/AMSGrad_2:0", [4, 1]],
        ["sparse_model/out/bias/AMSGrad:0", [1]],
        ["sparse_model/out/bias/AMSGrad_1:0", [1]],
        ["sparse_model/out/bias/AMSGrad_2:0", [1]],
    ],
    "slot_names": ["m", "v", "vhat"],
    "opt_vars": [
        "beta1_power:0",
        "beta2_power:0",
        "ref_model/embedding/AMSGrad:0",
        "ref_model/embedding/AMSGrad_1:0",
        "ref_model/embedding/AMSGrad_2:0",
        "ref_model/out/bias/AMSGrad:0",
        "ref_model/out/bias/AMSGrad_1:0",
        "ref_model/out/bias/AMSGrad_2:0",
        "ref_model/out/kernel/AMSGrad:0",
        "ref_model/out/kernel/AMSGrad_1:0",
        "ref_model/out/kernel/AMSGrad_2:0",
        "sparse_model/embedding/AMSGrad:0",
        "sparse_model/embedding/AMSGrad_1:0",
        "sparse_model/embedding/AMSGrad_2:0",
        "sparse_model/out/bias/AMSGrad:0",
        "sparse_model/out/bias/AMSGrad_1:0",
        "sparse_model/out/bias/AMSGrad_2:0",
        "sparse_model/out/kernel/AMSGrad:0",
        "sparse_model/out/kernel/AMSGrad_1:0",
        "sparse_model/out/kernel/AMSGrad_2:0",
    ],
    "train": "AMSGrad",
    "types": [
        "AddV2",
        "Assign",
        "AssignAdd",
        "AssignSub",
        "Const",
        "Maximum",
        "Mul",
        "NoOp",
        "RealDiv",
        "Shape",
        "Sqrt",
        "Square",
        "StridedSlice",
        "Sub",
        "Unique",
        "UnsortedSegmentSum",
    ],
    "losses": [
        [2.5701961517333984, 3.4883017539978027],
        [0.5124597549438477, 1.0932003259658813],
        [0.13645610213279724, 0.457722008228302],
        [1.275468111038208, 0.7171249389648438],
    ],
    "beta1_power": 0.59048992395401,
    "vhat": [
        0.0003074616543017328,
        0.01357250940054655,
        0.009597934782505035,
        0.00013920609490014613,
        0.00016059940389823169,
        0.005725421942770481,
    ],
    "table": [
        0.8016857504844666,
        -0.5476149916648865,
        -0.8255741000175476,
        -0.583871603012085,
        0.3302435874938965,
        0.30911579728126526,
    ],
}


def test_custom_optimizer_amsgrad_matches_tensorflow():
    close(program(tf), EXPECTED)
