"""A2C (advantage actor-critic, in OpenAI baselines' TF1 shape): a shared trunk with policy and
value heads, tf.distributions.Categorical over the policy logits (log_prob, entropy, probs,
seeded sample), the advantage behind tf.stop_gradient, baselines' hand-written categorical
entropy beside the distribution's, clip_by_global_norm and RMSProp(decay=0.99, epsilon=1e-5)
on discounted returns bootstrapped from the value head.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(21)
        obs_dim, n_actions, n_steps = 4, 3, 5
        gamma, ent_coef, vf_coef = 0.9, 0.01, 0.5

        obs = tf.placeholder(tf.float32, [None, obs_dim], name="obs")
        actions = tf.placeholder(tf.int32, [None], name="actions")
        returns = tf.placeholder(tf.float32, [None], name="returns")
        with tf.variable_scope("model"):
            h = tf.layers.dense(obs, 16, activation=tf.nn.relu, name="fc")
            logits = tf.layers.dense(h, n_actions, name="pi")
            value = tf.squeeze(tf.layers.dense(h, 1, name="vf"), axis=1)
        dist = tf.distributions.Categorical(logits=logits)
        sampled = dist.sample(seed=4)
        greedy = tf.argmax(logits, axis=1, output_type=tf.int32)
        neglogp = -dist.log_prob(actions)
        advantage = tf.stop_gradient(returns - value)
        pg_loss = tf.reduce_mean(neglogp * advantage)
        vf_loss = tf.reduce_mean(tf.squared_difference(value, returns))
        entropy = tf.reduce_mean(dist.entropy())
        # the same entropy by hand, as baselines' cat_entropy writes it
        a0 = logits - tf.reduce_max(logits, 1, keepdims=True)
        ea0 = tf.exp(a0)
        z0 = tf.reduce_sum(ea0, 1, keepdims=True)
        p0 = ea0 / z0
        manual_entropy = tf.reduce_mean(tf.reduce_sum(p0 * (tf.log(z0) - a0), 1))
        loss = pg_loss - ent_coef * entropy + vf_coef * vf_loss
        params = tf.trainable_variables("model")
        grads = tf.gradients(loss, params)
        grads, grad_norm = tf.clip_by_global_norm(grads, 0.5)
        trainer = tf.train.RMSPropOptimizer(learning_rate=7e-3, decay=0.99, epsilon=1e-5)
        train = trainer.apply_gradients(list(zip(grads, params, strict=True)))

        rng = np.random.RandomState(8)
        w_env = rng.normal(size=(obs_dim, n_actions)).astype(np.float32)

        def discount(rewards, last_value):
            out, running = [], last_value
            for r in rewards[::-1]:
                running = r + gamma * running
                out.append(running)
            return np.array(out[::-1], np.float32)

        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            stats = []
            for _ in range(3):
                ob = rng.normal(size=(n_steps, obs_dim)).astype(np.float32)
                act = sess.run(greedy, {obs: ob})
                rew = (ob @ w_env)[np.arange(n_steps), act]
                last = sess.run(value, {obs: ob[-1:]})[0]
                ret = discount(rew, float(last))
                feed = {obs: ob, actions: act, returns: ret}
                out = sess.run([pg_loss, vf_loss, entropy, manual_entropy, grad_norm], feed)
                sess.run(train, feed)
                stats.append([float(x) for x in out] + [int(a) for a in act])
            probs = sess.run(dist.probs, {obs: ob[:2]})
            draws = sess.run(sampled, {obs: np.tile(ob[:1], (6, 1))})
            ms = sess.run(g.get_tensor_by_name("model/pi/kernel/RMSProp:0"))
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
            "names": [
                neglogp.name,
                advantage.name,
                entropy.name,
                loss.name,
                grad_norm.name,
                train.name,
                sampled.name,
                dist.probs.name,
            ],
            "stats": stats,
            "probs": [[float(x) for x in row] for row in probs],
            "draws": draws.tolist(),
            "rms": [float(x) for x in np.ravel(ms)[:4]],
        }


EXPECTED = {
    "vars": [
        ["model/fc/kernel:0", [4, 16]],
        ["model/fc/bias:0", [16]],
        ["model/pi/kernel:0", [16, 3]],
        ["model/pi/bias:0", [3]],
        ["model/vf/kernel:0", [16, 1]],
        ["model/vf/bias:0", [1]],
        ["model/fc/kernel/RMSProp:0", [4, 16]],
        ["model/fc/kernel/RMSProp_1:0", [4, 16]],
        ["model/fc/bias/RMSProp:0", [16]],
        ["model/fc/bias/RMSProp_1:0", [16]],
        ["model/pi/kernel/RMSProp:0", [16, 3]],
        ["model/pi/kernel/RMSProp_1:0", [16, 3]],
        ["model/pi/bias/RMSProp:0", [3]],
        ["model/pi/bias/RMSProp_1:0", [3]],
        ["model/vf/kernel/RMSProp:0", [16, 1]],
        ["model/vf/kernel/RMSProp_1:0", [16, 1]],
        ["model/vf/bias/RMSProp:0", [1]],
        ["model/vf/bias/RMSProp_1:0", [1]],
    ],
    "names": [
        "Neg:0",
        "StopGradient:0",
        "Mean_2:0",
        "add:0",
        "global_norm/global_norm:0",
        "RMSProp",
        "Categorical/sample/Reshape_1:0",
        "Categorical/probs:0",
    ],
    "stats": [
        [
            5.187438011169434,
            43.83304214477539,
            1.0481942892074585,
            1.0481942892074585,
            12.769329071044922,
            0,
            0,
            0,
            0,
            1,
        ],
        [
            -3.2780518531799316,
            27.027761459350586,
            0.9398770332336426,
            0.9398771524429321,
            12.725542068481445,
            0,
            0,
            0,
            1,
            0,
        ],
        [
            0.27314695715904236,
            15.458816528320312,
            0.9988914728164673,
            0.9988915324211121,
            7.610019683837891,
            1,
            0,
            1,
            0,
            0,
        ],
    ],
    "probs": [
        [0.2832076847553253, 0.42379871010780334, 0.2929936349391937],
        [0.4772445261478424, 0.22537051141262054, 0.29738494753837585],
    ],
    "draws": [1, 0, 2, 2, 1, 2],
    "rms": [0.9703043699264526, 0.9703224897384644, 0.9703161716461182, 0.9703119397163391],
}


def test_a2c_categorical_matches_tensorflow():
    close(program(tf), EXPECTED)
