"""Proximal policy optimization with a Gaussian policy, as TF1 RL code (baselines-style) built
it: a shared-nothing actor and critic, a state-independent log-std variable,
tf.distributions.Normal for log-probabilities and entropy, the clipped surrogate objective
with the probability ratio from exp of log-probability differences, a clipped value loss,
an entropy bonus, Adam with clip_by_global_norm, GAE advantages in NumPy, several epochs of
shuffled minibatches per rollout; plus the approximate KL and clip fraction it logs.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    n_obs, n_act, horizon = 3, 2, 16
    rng = np.random.RandomState(6)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(9)
        obs = tf.placeholder(tf.float32, [None, n_obs], name="obs")
        act = tf.placeholder(tf.float32, [None, n_act], name="act")
        adv = tf.placeholder(tf.float32, [None], name="adv")
        ret = tf.placeholder(tf.float32, [None], name="ret")
        old_logp = tf.placeholder(tf.float32, [None], name="old_logp")
        old_v = tf.placeholder(tf.float32, [None], name="old_v")
        with tf.variable_scope("pi"):
            h = tf.layers.dense(obs, 16, tf.tanh, name="fc")
            mu = tf.layers.dense(h, n_act, name="mu")
            log_std = tf.get_variable("log_std", [n_act], initializer=tf.constant_initializer(-0.5))
        with tf.variable_scope("vf"):
            v = tf.squeeze(
                tf.layers.dense(tf.layers.dense(obs, 16, tf.tanh, name="fc"), 1, name="v"), axis=1
            )
        dist = tf.distributions.Normal(loc=mu, scale=tf.exp(log_std))
        logp = tf.reduce_sum(dist.log_prob(act), axis=1)
        entropy = tf.reduce_mean(tf.reduce_sum(dist.entropy(), axis=1))
        sample = dist.sample(seed=4)
        clip = 0.2
        with tf.name_scope("loss"):
            ratio = tf.exp(logp - old_logp)
            surr = tf.minimum(ratio * adv, tf.clip_by_value(ratio, 1 - clip, 1 + clip) * adv)
            pi_loss = -tf.reduce_mean(surr)
            v_clipped = old_v + tf.clip_by_value(v - old_v, -clip, clip)
            vf_loss = 0.5 * tf.reduce_mean(
                tf.maximum(tf.square(v - ret), tf.square(v_clipped - ret))
            )
            loss = pi_loss + 0.5 * vf_loss - 0.01 * entropy
            approx_kl = 0.5 * tf.reduce_mean(tf.square(logp - old_logp))
            clipfrac = tf.reduce_mean(tf.to_float(tf.greater(tf.abs(ratio - 1.0), clip)))
        params = tf.trainable_variables()
        grads, gnorm = tf.clip_by_global_norm(tf.gradients(loss, params), 0.5)
        train = tf.train.AdamOptimizer(3e-3, epsilon=1e-5).apply_gradients(
            zip(grads, params, strict=True)
        )
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            stats = []
            for _ in range(2):
                states = rng.randn(horizon, n_obs).astype(np.float32)
                acts = rng.randn(horizon, n_act).astype(np.float32) * 0.6
                lp, vals = sess.run([logp, v], {obs: states, act: acts})
                rewards = -np.square(acts - 0.3 * states[:, :n_act]).sum(1)
                gae, adv_v = 0.0, np.zeros(horizon, np.float32)
                for t in reversed(range(horizon)):
                    nxt = vals[t + 1] if t + 1 < horizon else 0.0
                    delta = rewards[t] + 0.99 * nxt - vals[t]
                    gae = delta + 0.99 * 0.95 * gae
                    adv_v[t] = gae
                rets = adv_v + vals
                adv_n = (adv_v - adv_v.mean()) / (adv_v.std() + 1e-8)
                for _ in range(3):
                    order = rng.permutation(horizon)
                    for mb in np.split(order, 2):
                        feed = {
                            obs: states[mb],
                            act: acts[mb],
                            adv: adv_n[mb],
                            ret: rets[mb],
                            old_logp: lp[mb],
                            old_v: vals[mb],
                        }
                        out = sess.run(
                            [pi_loss, vf_loss, entropy, approx_kl, clipfrac, gnorm, train], feed
                        )
                        stats.append([float(s) for s in out[:6]])
            ls = sess.run(log_std)
            mu_v = sess.run(mu, {obs: np.ones((1, n_obs), np.float32)})
            s_val = sess.run(sample, {obs: np.ones((3, n_obs), np.float32)})
    return {
        "vars": [[v_.name, v_.shape.as_list()] for v_ in g.get_collection("variables")],
        "names": [
            mu.name,
            v.name,
            logp.name,
            entropy.name,
            sample.name,
            ratio.name,
            pi_loss.name,
            vf_loss.name,
            loss.name,
            gnorm.name,
            train.name,
        ],
        "stats": stats,
        "log_std": ls.tolist(),
        "mu": mu_v[0].tolist(),
        "sample": s_val.tolist(),
    }


EXPECTED = {
    "vars": [
        ["pi/fc/kernel:0", [3, 16]],
        ["pi/fc/bias:0", [16]],
        ["pi/mu/kernel:0", [16, 2]],
        ["pi/mu/bias:0", [2]],
        ["pi/log_std:0", [2]],
        ["vf/fc/kernel:0", [3, 16]],
        ["vf/fc/bias:0", [16]],
        ["vf/v/kernel:0", [16, 1]],
        ["vf/v/bias:0", [1]],
        ["beta1_power:0", []],
        ["beta2_power:0", []],
        ["pi/fc/kernel/Adam:0", [3, 16]],
        ["pi/fc/kernel/Adam_1:0", [3, 16]],
        ["pi/fc/bias/Adam:0", [16]],
        ["pi/fc/bias/Adam_1:0", [16]],
        ["pi/mu/kernel/Adam:0", [16, 2]],
        ["pi/mu/kernel/Adam_1:0", [16, 2]],
        ["pi/mu/bias/Adam:0", [2]],
        ["pi/mu/bias/Adam_1:0", [2]],
        ["pi/log_std/Adam:0", [2]],
        ["pi/log_std/Adam_1:0", [2]],
        ["vf/fc/kernel/Adam:0", [3, 16]],
        ["vf/fc/kernel/Adam_1:0", [3, 16]],
        ["vf/fc/bias/Adam:0", [16]],
        ["vf/fc/bias/Adam_1:0", [16]],
        ["vf/v/kernel/Adam:0", [16, 1]],
        ["vf/v/kernel/Adam_1:0", [16, 1]],
        ["vf/v/bias/Adam:0", [1]],
        ["vf/v/bias/Adam_1:0", [1]],
    ],
    "names": [
        "pi/mu/BiasAdd:0",
        "vf/Squeeze:0",
        "Sum:0",
        "Mean:0",
        "Normal/sample/Reshape:0",
        "loss/Exp:0",
        "loss/Neg:0",
        "loss/mul_2:0",
        "loss/sub_4:0",
        "global_norm/global_norm:0",
        "Adam",
    ],
    "stats": [
        [0.10858496278524399, 28.085681915283203, 1.8378770351409912, 0.0, 0.0, 6.757822513580322],
        [
            -0.15022975206375122,
            22.011627197265625,
            1.8378846645355225,
            0.002497395733371377,
            0.0,
            8.061676025390625,
        ],
        [
            -0.16839416325092316,
            22.97698211669922,
            1.8382134437561035,
            0.01658041775226593,
            0.25,
            5.777929306030273,
        ],
        [
            0.10692854225635529,
            26.50971221923828,
            1.837669849395752,
            0.05718450993299484,
            0.5,
            5.91755485534668,
        ],
        [
            -0.40291351079940796,
            18.5985107421875,
            1.8370757102966309,
            0.05570337921380997,
            0.25,
            4.471253871917725,
        ],
        [
            0.33275800943374634,
            30.281116485595703,
            1.8354346752166748,
            0.0506562776863575,
            0.625,
            5.801241397857666,
        ],
        [0.008067533373832703, 28.877960205078125, 1.8340368270874023, 0.0, 0.0, 8.67778205871582],
        [
            0.02166721224784851,
            24.141963958740234,
            1.8311187028884888,
            0.002817573957145214,
            0.0,
            6.95712423324585,
        ],
        [
            0.20257478952407837,
            30.8264217376709,
            1.8284192085266113,
            0.008554409258067608,
            0.125,
            6.607734680175781,
        ],
        [
            -0.24152252078056335,
            21.752918243408203,
            1.825237512588501,
            0.011813432909548283,
            0.125,
            5.90638542175293,
        ],
        [
            0.08201591670513153,
            27.4262752532959,
            1.8222899436950684,
            0.03157522529363632,
            0.25,
            5.5438737869262695,
        ],
        [
            -0.1769883930683136,
            24.645111083984375,
            1.8195569515228271,
            0.01887664757668972,
            0.25,
            6.557797908782959,
        ],
    ],
    "log_std": [-0.5223782062530518, -0.4983258545398712],
    "mu": [-0.3121935725212097, -1.3726286888122559],
    "sample": [
        [-0.3489358127117157, 0.23734509944915771],
        [-1.3967883586883545, -1.2500563859939575],
        [-0.12234970927238464, -1.4837952852249146],
    ],
}


def test_ppo_gaussian_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
