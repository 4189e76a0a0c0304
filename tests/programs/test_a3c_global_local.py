"""A3C as the popular TF1 tutorials wrote it: a global network and two worker networks in their
own variable scopes, each worker's actor and critic variables found by
tf.get_collection(TRAINABLE_VARIABLES, scope=...), local gradients (tf.gradients of an
entropy-regularised policy loss and a TD loss) pushed by two named RMSProp optimizers
onto the *global* variables (apply_gradients of other variables' gradients), pull ops assigning
the global weights back, reduce_sum with the old keep_dims argument, and workers run by
threading.Thread under a tf.train.Coordinator (one after another, so the run is
deterministic) against a small NumPy environment.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import threading

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    n_s, n_a, entropy_beta, gamma = 3, 2, 0.01, 0.9
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(55)
        opt_a = tf.train.RMSPropOptimizer(0.01, name="RMSPropA")
        opt_c = tf.train.RMSPropOptimizer(0.02, name="RMSPropC")

        class ACNet:
            def __init__(self, scope, global_net=None):
                if global_net is None:
                    with tf.variable_scope(scope):
                        self.s = tf.placeholder(tf.float32, [None, n_s], "S")
                        self.a_params, self.c_params = self._build_net(scope)[-2:]
                    return
                with tf.variable_scope(scope):
                    self.s = tf.placeholder(tf.float32, [None, n_s], "S")
                    self.a_his = tf.placeholder(tf.int32, [None], "A")
                    self.v_target = tf.placeholder(tf.float32, [None, 1], "Vtarget")
                    self.a_prob, self.v, self.a_params, self.c_params = self._build_net(scope)
                    td = tf.subtract(self.v_target, self.v, name="TD_error")
                    with tf.name_scope("c_loss"):
                        self.c_loss = tf.reduce_mean(tf.square(td))
                    with tf.name_scope("a_loss"):
                        log_prob = tf.reduce_sum(
                            tf.log(self.a_prob + 1e-5)
                            * tf.one_hot(self.a_his, n_a, dtype=tf.float32),
                            axis=1,
                            keep_dims=True,
                        )
                        exp_v = log_prob * tf.stop_gradient(td)
                        entropy = -tf.reduce_sum(
                            self.a_prob * tf.log(self.a_prob + 1e-5), axis=1, keep_dims=True
                        )
                        self.exp_v = entropy_beta * entropy + exp_v
                        self.a_loss = tf.reduce_mean(-self.exp_v)
                    with tf.name_scope("local_grad"):
                        self.a_grads = tf.gradients(self.a_loss, self.a_params)
                        self.c_grads = tf.gradients(self.c_loss, self.c_params)
                with tf.name_scope("sync"):
                    with tf.name_scope("pull"):
                        self.pull_a = [
                            lp.assign(gp)
                            for lp, gp in zip(self.a_params, global_net.a_params, strict=True)
                        ]
                        self.pull_c = [
                            lp.assign(gp)
                            for lp, gp in zip(self.c_params, global_net.c_params, strict=True)
                        ]
                    with tf.name_scope("push"):
                        self.update_a = opt_a.apply_gradients(
                            zip(self.a_grads, global_net.a_params, strict=True)
                        )
                        self.update_c = opt_c.apply_gradients(
                            zip(self.c_grads, global_net.c_params, strict=True)
                        )

            def _build_net(self, scope):
                w_init = tf.random_normal_initializer(0.0, 0.1)
                with tf.variable_scope("actor"):
                    l_a = tf.layers.dense(
                        self.s, 8, tf.nn.relu6, kernel_initializer=w_init, name="la"
                    )
                    a_prob = tf.layers.dense(
                        l_a, n_a, tf.nn.softmax, kernel_initializer=w_init, name="ap"
                    )
                with tf.variable_scope("critic"):
                    l_c = tf.layers.dense(
                        self.s, 6, tf.nn.relu6, kernel_initializer=w_init, name="lc"
                    )
                    v = tf.layers.dense(l_c, 1, kernel_initializer=w_init, name="v")
                a_params = tf.get_collection(
                    tf.GraphKeys.TRAINABLE_VARIABLES, scope=scope + "/actor"
                )
                c_params = tf.get_collection(
                    tf.GraphKeys.TRAINABLE_VARIABLES, scope=scope + "/critic"
                )
                return a_prob, v, a_params, c_params

        global_ac = ACNet("Global_Net")
        workers = [ACNet(f"W_{i}", global_ac) for i in range(2)]
        sess = tf.Session()
        coord = tf.train.Coordinator()
        sess.run(tf.global_variables_initializer())
        log = {}

        def work(index, worker):
            rng = np.random.RandomState(100 + index)
            state = rng.rand(n_s).astype(np.float32)
            buffer_s, buffer_a, buffer_r = [], [], []
            losses = []
            for t in range(6):
                prob = sess.run(worker.a_prob, {worker.s: state[None, :]})
                action = int(rng.choice(n_a, p=prob.ravel() / prob.sum()))
                reward = float(state[action] - 0.5)
                state = np.roll(state, 1) * 0.9 + 0.1 * action
                buffer_s.append(state)
                buffer_a.append(action)
                buffer_r.append(reward)
                if (t + 1) % 3 == 0:
                    v_next = sess.run(worker.v, {worker.s: state[None, :]})[0, 0]
                    targets = []
                    for r in buffer_r[::-1]:
                        v_next = r + gamma * v_next
                        targets.append(v_next)
                    targets.reverse()
                    feed = {
                        worker.s: np.vstack(buffer_s),
                        worker.a_his: np.array(buffer_a),
                        worker.v_target: np.vstack(targets).astype(np.float32),
                    }
                    la, lc, _, _ = sess.run(
                        [worker.a_loss, worker.c_loss, worker.update_a, worker.update_c], feed
                    )
                    losses.append([float(la), float(lc)])
                    sess.run([worker.pull_a, worker.pull_c])
                    buffer_s, buffer_a, buffer_r = [], [], []
            log[index] = losses

        threads = []
        for i, worker in enumerate(workers):
            t = threading.Thread(target=work, args=(i, worker))
            t.start()
            t.join()
            threads.append(t)
        coord.join(threads)
        global_w = sess.run(global_ac.a_params[0])
        local_w = sess.run(workers[1].a_params[0])
        sess.close()
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
            "names": [
                workers[0].a_loss.name,
                workers[1].c_loss.name,
                workers[0].update_a.name,
                workers[1].update_c.name,
                workers[1].pull_a[0].name,
            ],
            "losses": [log[0], log[1]],
            "global_w": global_w[0].tolist(),
            "local_equals_global": bool(np.array_equal(global_w, local_w)),
        }


EXPECTED = {
    "vars": [
        ["Global_Net/actor/la/kernel:0", [3, 8]],
        ["Global_Net/actor/la/bias:0", [8]],
        ["Global_Net/actor/ap/kernel:0", [8, 2]],
        ["Global_Net/actor/ap/bias:0", [2]],
        ["Global_Net/critic/lc/kernel:0", [3, 6]],
        ["Global_Net/critic/lc/bias:0", [6]],
        ["Global_Net/critic/v/kernel:0", [6, 1]],
        ["Global_Net/critic/v/bias:0", [1]],
        ["W_0/actor/la/kernel:0", [3, 8]],
        ["W_0/actor/la/bias:0", [8]],
        ["W_0/actor/ap/kernel:0", [8, 2]],
        ["W_0/actor/ap/bias:0", [2]],
        ["W_0/critic/lc/kernel:0", [3, 6]],
        ["W_0/critic/lc/bias:0", [6]],
        ["W_0/critic/v/kernel:0", [6, 1]],
        ["W_0/critic/v/bias:0", [1]],
        ["Global_Net/actor/la/kernel/RMSPropA:0", [3, 8]],
        ["Global_Net/actor/la/kernel/RMSPropA_1:0", [3, 8]],
        ["Global_Net/actor/la/bias/RMSPropA:0", [8]],
        ["Global_Net/actor/la/bias/RMSPropA_1:0", [8]],
        ["Global_Net/actor/ap/kernel/RMSPropA:0", [8, 2]],
        ["Global_Net/actor/ap/kernel/RMSPropA_1:0", [8, 2]],
        ["Global_Net/actor/ap/bias/RMSPropA:0", [2]],
        ["Global_Net/actor/ap/bias/RMSPropA_1:0", [2]],
        ["Global_Net/critic/lc/kernel/RMSPropC:0", [3, 6]],
        ["Global_Net/critic/lc/kernel/RMSPropC_1:0", [3, 6]],
        ["Global_Net/critic/lc/bias/RMSPropC:0", [6]],
        ["Global_Net/critic/lc/bias/RMSPropC_1:0", [6]],
        ["Global_Net/critic/v/kernel/RMSPropC:0", [6, 1]],
        ["Global_Net/critic/v/kernel/RMSPropC_1:0", [6, 1]],
        ["Global_Net/critic/v/bias/RMSPropC:0", [1]],
        ["Global_Net/critic/v/bias/RMSPropC_1:0", [1]],
        ["W_1/actor/la/kernel:0", [3, 8]],
        ["W_1/actor/la/bias:0", [8]],
        ["W_1/actor/ap/kernel:0", [8, 2]],
        ["W_1/actor/ap/bias:0", [2]],
        ["W_1/critic/lc/kernel:0", [3, 6]],
        ["W_1/critic/lc/bias:0", [6]],
        ["W_1/critic/v/kernel:0", [6, 1]],
        ["W_1/critic/v/bias:0", [1]],
    ],
    "names": [
        "W_0/a_loss/Mean:0",
        "W_1/c_loss/Mean:0",
        "sync/push/RMSPropA",
        "sync_1/push/RMSPropC",
        "sync_1/pull/Assign:0",
    ],
    "losses": [
        [[-0.17889291048049927, 0.07045290619134903], [-0.09565720707178116, 0.023878442123532295]],
        [[-0.2588275372982025, 0.13295072317123413], [-0.13319307565689087, 0.03381793573498726]],
    ],
    "global_w": [
        0.1968892514705658,
        -0.21327991783618927,
        0.08168920874595642,
        0.004838849417865276,
        0.04646322876214981,
        0.054189279675483704,
        0.0330093689262867,
        0.01726659946143627,
    ],
    "local_equals_global": True,
}


def test_a3c_global_local_matches_tensorflow():
    close(program(tf), EXPECTED)
