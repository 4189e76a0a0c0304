"""REINFORCE (policy gradient) runs unchanged: a tf.layers policy under a variable_scope, a
tf.distributions.Categorical over its logits sampled with an op seed, log_prob of the fed
actions weighted by discounted, normalised returns computed in NumPy between runs, an entropy
bonus, RMSProp updates over four episodes of a toy environment, then the policy's probs and
mode.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled): variable and RMSProp slot names, the
sample/log_prob/entropy/loss names and dtypes, each episode's seeded actions, loss and
entropy, and the final probs and mode.
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def discount(rewards, gamma):
    out, run = np.zeros_like(rewards), 0.0
    for t in reversed(range(len(rewards))):
        run = rewards[t] + gamma * run
        out[t] = run
    return out


def program(tf):
    rng = np.random.RandomState(31)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(3)
        obs = tf.placeholder(tf.float32, [None, 4], name="obs")
        acts = tf.placeholder(tf.int32, [None], name="actions")
        rets = tf.placeholder(tf.float32, [None], name="returns")
        with tf.variable_scope("policy"):
            h = tf.layers.dense(obs, 16, activation=tf.tanh, name="h")
            logits = tf.layers.dense(h, 3, name="logits")
        dist = tf.distributions.Categorical(logits=logits)
        sample = dist.sample(seed=9)
        logp = dist.log_prob(acts)
        ent = tf.reduce_mean(dist.entropy())
        loss = -tf.reduce_mean(logp * rets) - 0.01 * ent
        train = tf.train.RMSPropOptimizer(0.01).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            episodes = []
            for _ in range(4):
                states = rng.randn(6, 4).astype(np.float32)
                a = sess.run(sample, {obs: states})
                # a toy environment: action 1 pays when the first feature is positive
                r = np.where((a == 1) == (states[:, 0] > 0), 1.0, -0.5).astype(np.float32)
                ret = discount(r, 0.9)
                ret = (ret - ret.mean()) / (ret.std() + 1e-8)
                lv, ev, _ = sess.run([loss, ent, train], {obs: states, acts: a, rets: ret})
                episodes.append([a.tolist(), float(lv), float(ev)])
            probs = sess.run(dist.probs, {obs: np.ones([1, 4], np.float32)})
            mode = sess.run(dist.mode(), {obs: -np.ones([2, 4], np.float32)})
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
            "names": [sample.name, logp.name, ent.name, loss.name, train.name],
            "dtypes": [sample.dtype.name, logp.dtype.name],
            "episodes": episodes,
            "probs": probs.tolist(),
            "mode": mode.tolist(),
        }


EXPECTED = {'vars': [['policy/h/kernel:0', [4, 16]],
          ['policy/h/bias:0', [16]],
          ['policy/logits/kernel:0', [16, 3]],
          ['policy/logits/bias:0', [3]],
          ['policy/h/kernel/RMSProp:0', [4, 16]],
          ['policy/h/kernel/RMSProp_1:0', [4, 16]],
          ['policy/h/bias/RMSProp:0', [16]],
          ['policy/h/bias/RMSProp_1:0', [16]],
          ['policy/logits/kernel/RMSProp:0', [16, 3]],
          ['policy/logits/kernel/RMSProp_1:0', [16, 3]],
          ['policy/logits/bias/RMSProp:0', [3]],
          ['policy/logits/bias/RMSProp_1:0', [3]]],
 'names': ['Categorical/sample/Reshape_1:0',
           'Categorical/log_prob/Neg:0',
           'Mean:0',
           'sub:0',
           'RMSProp'],
 'dtypes': ['int32', 'float32'],
 'episodes': [[[1, 0, 1, 0, 2, 1], -0.04232502356171608, 1.0320549011230469],
              [[0, 0, 0, 2, 2, 2], 0.16818732023239136, 1.044775128364563],
              [[0, 2, 2, 0, 2, 1], 0.0503995344042778, 0.9815959930419922],
              [[2, 1, 1, 1, 1, 1], 0.3269261419773102, 0.9901463389396667]],
 'probs': [[0.3220421373844147, 0.36215007305145264, 0.3158077895641327]],
 'mode': [2, 2]}


def test_program_matches_tf():
    close(program(tf), EXPECTED)
