"""A DQN agent loop: online and target networks in two variable scopes, the target synced by
tf.assign ops grouped under a name scope, a Huber loss on gather_nd'd Q values, RMSProp with
clipped gradients, epsilon-greedy actions in NumPy and a replay buffer fed through placeholders.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    n_obs, n_act = 4, 3
    rng = np.random.RandomState(0)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(3)
        obs = tf.placeholder(tf.float32, [None, n_obs], name="obs")
        act = tf.placeholder(tf.int32, [None], name="action")
        rew = tf.placeholder(tf.float32, [None], name="reward")
        nxt = tf.placeholder(tf.float32, [None, n_obs], name="next_obs")
        done = tf.placeholder(tf.float32, [None], name="done")

        def qnet(x, scope):
            with tf.variable_scope(scope):
                h = tf.layers.dense(x, 16, tf.nn.relu, name="fc1")
                return tf.layers.dense(h, n_act, name="q")

        q = qnet(obs, "online")
        q_next = qnet(nxt, "target")
        online_vars = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope="online")
        target_vars = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope="target")
        with tf.name_scope("sync"):
            sync = tf.group(
                *[tf.assign(t, o) for o, t in zip(online_vars, target_vars, strict=True)]
            )
        y = rew + 0.9 * (1.0 - done) * tf.reduce_max(q_next, axis=1)
        y = tf.stop_gradient(y)
        idx = tf.stack([tf.range(tf.shape(act)[0]), act], axis=1)
        q_sa = tf.gather_nd(q, idx)
        q_sa2 = tf.reduce_sum(q * tf.one_hot(act, n_act), axis=1)
        loss = tf.losses.huber_loss(y, q_sa, delta=1.0)
        opt = tf.train.RMSPropOptimizer(0.01, decay=0.95, momentum=0.0, epsilon=0.01)
        step = tf.train.get_or_create_global_step()
        grads = opt.compute_gradients(loss, var_list=online_vars)
        clipped = [(tf.clip_by_norm(gr, 10.0), v) for gr, v in grads]
        train = opt.apply_gradients(clipped, global_step=step)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(sync)
            buf = []
            state = rng.rand(n_obs).astype(np.float32)
            losses = []
            eps = 1.0
            for t in range(24):
                if rng.rand() < eps:
                    a = rng.randint(n_act)
                else:
                    a = int(np.argmax(sess.run(q, {obs: state[None]})[0]))
                eps = max(0.1, eps * 0.9)
                s2 = np.clip(
                    state + 0.1 * (a - 1) + rng.randn(n_obs).astype(np.float32) * 0.05, 0, 1
                )
                r = float(s2.sum() > 2.0)
                d = float(t % 8 == 7)
                buf.append((state, a, r, s2.astype(np.float32), d))
                state = s2.astype(np.float32)
                if len(buf) >= 8:
                    ids = rng.choice(len(buf), 8, replace=False)
                    b = [buf[i] for i in ids]
                    feed = {
                        obs: np.stack([e[0] for e in b]),
                        act: [e[1] for e in b],
                        rew: [e[2] for e in b],
                        nxt: np.stack([e[3] for e in b]),
                        done: [e[4] for e in b],
                    }
                    _, lv, a1, a2 = sess.run([train, loss, q_sa, q_sa2], feed)
                    assert np.allclose(a1, a2)
                    losses.append(float(lv))
                if t % 10 == 9:
                    sess.run(sync)
            qv = sess.run(q, {obs: np.ones((1, n_obs), np.float32)})
            gs = sess.run(step)
    return {
        "vars": [[v.name, v.shape.as_list()] for v in g.get_collection("variables")],
        "names": [q.name, q_next.name, y.name, q_sa.name, loss.name, train.name, sync.name],
        "sync_ops": sorted(o.name for o in g.get_operations() if o.name.startswith("sync/")),
        "losses": losses,
        "q": [float(v) for v in qv[0]],
        "gs": int(gs),
    }


EXPECTED = {
    "vars": [
        ["online/fc1/kernel:0", [4, 16]],
        ["online/fc1/bias:0", [16]],
        ["online/q/kernel:0", [16, 3]],
        ["online/q/bias:0", [3]],
        ["target/fc1/kernel:0", [4, 16]],
        ["target/fc1/bias:0", [16]],
        ["target/q/kernel:0", [16, 3]],
        ["target/q/bias:0", [3]],
        ["global_step:0", []],
        ["online/fc1/kernel/RMSProp:0", [4, 16]],
        ["online/fc1/kernel/RMSProp_1:0", [4, 16]],
        ["online/fc1/bias/RMSProp:0", [16]],
        ["online/fc1/bias/RMSProp_1:0", [16]],
        ["online/q/kernel/RMSProp:0", [16, 3]],
        ["online/q/kernel/RMSProp_1:0", [16, 3]],
        ["online/q/bias/RMSProp:0", [3]],
        ["online/q/bias/RMSProp_1:0", [3]],
    ],
    "names": [
        "online/q/BiasAdd:0",
        "target/q/BiasAdd:0",
        "StopGradient:0",
        "GatherNd:0",
        "huber_loss/value:0",
        "RMSProp",
        "sync/group_deps",
    ],
    "sync_ops": [
        "sync/Assign",
        "sync/Assign_1",
        "sync/Assign_2",
        "sync/Assign_3",
        "sync/group_deps",
    ],
    "losses": [
        0.6099456548690796,
        0.5479857921600342,
        0.648940920829773,
        0.5087870955467224,
        0.6405564546585083,
        0.5269026756286621,
        0.5071732997894287,
        0.624620795249939,
        0.40973955392837524,
        0.3338926434516907,
        0.29068565368652344,
        0.17736926674842834,
        0.42466968297958374,
        0.6366302967071533,
        0.4784797430038452,
        0.3678581416606903,
        0.21735414862632751,
    ],
    "q": [-0.2349529266357422, 0.9524981379508972, -0.3447636663913727],
    "gs": 17,
}


def test_dqn_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
