"""A DDPG agent whose target networks are exponential moving averages of the online ones: the
actor and critic built in variable scopes, ExponentialMovingAverage(decay=1 - tau).apply on
each scope's trainable variables, the target networks rebuilt with reuse=True and a custom
getter returning ``ema.average(var)``, the critic's step run under the EMA update's control
dependency, each optimizer limited to its scope's variables, and the actor's output fed a
replayed action directly (a fed intermediate tensor), as the well-known TF1 tutorials wrote it.
The target networks are built inside that control dependency: built outside it (as the
tutorial does), TF's reads of the averages race the update within one run (TF 2.21 gave a
loss between the values before and after the update), so no single answer is TF's.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    s_dim, a_dim, a_bound, tau, gamma = 3, 2, 2.0, 0.1, 0.9
    rng = np.random.RandomState(5)
    memory = rng.randn(6, s_dim * 2 + a_dim + 1).astype(np.float32)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(8)
        S = tf.placeholder(tf.float32, [None, s_dim], "s")
        S_ = tf.placeholder(tf.float32, [None, s_dim], "s_")
        R = tf.placeholder(tf.float32, [None, 1], "r")

        def build_a(s, reuse=None, custom_getter=None):
            trainable = reuse is None
            with tf.variable_scope("Actor", reuse=reuse, custom_getter=custom_getter):
                net = tf.layers.dense(s, 8, activation=tf.nn.relu, name="l1", trainable=trainable)
                a = tf.layers.dense(
                    net, a_dim, activation=tf.nn.tanh, name="a", trainable=trainable
                )
                return tf.multiply(a, a_bound, name="scaled_a")

        def build_c(s, a, reuse=None, custom_getter=None):
            trainable = reuse is None
            with tf.variable_scope("Critic", reuse=reuse, custom_getter=custom_getter):
                w1_s = tf.get_variable("w1_s", [s_dim, 8], trainable=trainable)
                w1_a = tf.get_variable("w1_a", [a_dim, 8], trainable=trainable)
                b1 = tf.get_variable("b1", [1, 8], trainable=trainable)
                net = tf.nn.relu(tf.matmul(s, w1_s) + tf.matmul(a, w1_a) + b1)
                return tf.layers.dense(net, 1, trainable=trainable)

        a = build_a(S)
        q = build_c(S, a)
        a_params = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope="Actor")
        c_params = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope="Critic")
        ema = tf.train.ExponentialMovingAverage(decay=1 - tau)

        def ema_getter(getter, name, *args, **kwargs):
            return ema.average(getter(name, *args, **kwargs))

        target_update = [ema.apply(a_params), ema.apply(c_params)]
        a_loss = -tf.reduce_mean(q)
        atrain = tf.train.AdamOptimizer(0.01).minimize(a_loss, var_list=a_params)
        with tf.control_dependencies(target_update):
            a_ = build_a(S_, reuse=True, custom_getter=ema_getter)
            q_ = build_c(S_, a_, reuse=True, custom_getter=ema_getter)
            q_target = R + gamma * q_
            td_error = tf.losses.mean_squared_error(labels=q_target, predictions=q)
            ctrain = tf.train.AdamOptimizer(0.02).minimize(td_error, var_list=c_params)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            a_losses, td_errors = [], []
            for i in range(4):
                batch = memory[np.array([i, (i + 2) % 6, (i + 4) % 6])]
                bs = batch[:, :s_dim]
                ba = batch[:, s_dim : s_dim + a_dim]
                br = batch[:, -s_dim - 1 : -s_dim]
                bs_ = batch[:, -s_dim:]
                al, _ = sess.run([a_loss, atrain], {S: bs})
                td, _ = sess.run([td_error, ctrain], {S: bs, a: ba, R: br, S_: bs_})
                a_losses.append(float(al))
                td_errors.append(float(td))
            act = sess.run(a, {S: memory[:2, :s_dim]})
            target_act = sess.run(a_, {S_: memory[:2, :s_dim]})
            shadow = sess.run(ema.average(c_params[0]))
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
            "trainable": [v.name for v in tf.trainable_variables()],
            "averages": [ema.average_name(v) for v in a_params],
            "names": [a.name, a_.name, q_.name, td_error.name, atrain.name, ctrain.name],
            "target_inputs": sorted(t.name for t in a_.op.inputs),
            "a_losses": a_losses,
            "td_errors": td_errors,
            "action": act.tolist(),
            "target_action": target_act.tolist(),
            "shadow_row": shadow[0].tolist(),
        }


EXPECTED = {
    "vars": [
        ["Actor/l1/kernel:0", [3, 8]],
        ["Actor/l1/bias:0", [8]],
        ["Actor/a/kernel:0", [8, 2]],
        ["Actor/a/bias:0", [2]],
        ["Critic/w1_s:0", [3, 8]],
        ["Critic/w1_a:0", [2, 8]],
        ["Critic/b1:0", [1, 8]],
        ["Critic/dense/kernel:0", [8, 1]],
        ["Critic/dense/bias:0", [1]],
        ["Actor/l1/kernel/ExponentialMovingAverage:0", [3, 8]],
        ["Actor/l1/bias/ExponentialMovingAverage:0", [8]],
        ["Actor/a/kernel/ExponentialMovingAverage:0", [8, 2]],
        ["Actor/a/bias/ExponentialMovingAverage:0", [2]],
        ["Critic/w1_s/ExponentialMovingAverage:0", [3, 8]],
        ["Critic/w1_a/ExponentialMovingAverage:0", [2, 8]],
        ["Critic/b1/ExponentialMovingAverage:0", [1, 8]],
        ["Critic/dense/kernel/ExponentialMovingAverage:0", [8, 1]],
        ["Critic/dense/bias/ExponentialMovingAverage:0", [1]],
        ["beta1_power:0", []],
        ["beta2_power:0", []],
        ["Actor/l1/kernel/Adam:0", [3, 8]],
        ["Actor/l1/kernel/Adam_1:0", [3, 8]],
        ["Actor/l1/bias/Adam:0", [8]],
        ["Actor/l1/bias/Adam_1:0", [8]],
        ["Actor/a/kernel/Adam:0", [8, 2]],
        ["Actor/a/kernel/Adam_1:0", [8, 2]],
        ["Actor/a/bias/Adam:0", [2]],
        ["Actor/a/bias/Adam_1:0", [2]],
        ["beta1_power_1:0", []],
        ["beta2_power_1:0", []],
        ["Critic/w1_s/Adam:0", [3, 8]],
        ["Critic/w1_s/Adam_1:0", [3, 8]],
        ["Critic/w1_a/Adam:0", [2, 8]],
        ["Critic/w1_a/Adam_1:0", [2, 8]],
        ["Critic/b1/Adam:0", [1, 8]],
        ["Critic/b1/Adam_1:0", [1, 8]],
        ["Critic/dense/kernel/Adam:0", [8, 1]],
        ["Critic/dense/kernel/Adam_1:0", [8, 1]],
        ["Critic/dense/bias/Adam:0", [1]],
        ["Critic/dense/bias/Adam_1:0", [1]],
    ],
    "trainable": [
        "Actor/l1/kernel:0",
        "Actor/l1/bias:0",
        "Actor/a/kernel:0",
        "Actor/a/bias:0",
        "Critic/w1_s:0",
        "Critic/w1_a:0",
        "Critic/b1:0",
        "Critic/dense/kernel:0",
        "Critic/dense/bias:0",
    ],
    "averages": [
        "Actor/l1/kernel/ExponentialMovingAverage",
        "Actor/l1/bias/ExponentialMovingAverage",
        "Actor/a/kernel/ExponentialMovingAverage",
        "Actor/a/bias/ExponentialMovingAverage",
    ],
    "names": [
        "Actor/scaled_a:0",
        "Actor_1/scaled_a:0",
        "Critic_1/dense/BiasAdd:0",
        "mean_squared_error/value:0",
        "Adam",
        "Adam_1",
    ],
    "target_inputs": ["Actor_1/a/Tanh:0", "Actor_1/scaled_a/y:0"],
    "a_losses": [
        -0.6622306704521179,
        -0.1827116757631302,
        -1.0448384284973145,
        -0.4621948301792145,
    ],
    "td_errors": [1.0074950456619263, 0.1666494905948639, 0.7044031620025635, 0.13963623344898224],
    "action": [
        [-0.22370761632919312, 1.9905802011489868],
        [-1.1778868436813354, 0.9460487961769104],
    ],
    "target_action": [
        [0.2475794404745102, 1.987019419670105],
        [-1.0212461948394775, 0.7405313849449158],
    ],
    "shadow_row": [
        -0.37222975492477417,
        -0.4214717447757721,
        -0.3923528790473938,
        -0.19751231372356415,
        0.48749619722366333,
        -0.17672280967235565,
        -0.359578400850296,
        0.4596077799797058,
    ],
}


def test_ddpg_ema_target_matches_tensorflow():
    close(program(tf), EXPECTED)
