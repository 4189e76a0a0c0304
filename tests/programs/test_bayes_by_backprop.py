"""Bayes by backprop for regression as TF1 programs wrote it: a mean and a softplus-transformed
scale variable per weight, weights drawn by the reparameterization trick from seeded
tf.random_normal, the KL divergence to a Normal prior from tf.distributions.kl_divergence,
a Normal likelihood's log_prob, the negative ELBO minimized with Adam, the KL collected in a
custom collection; predictive mean and spread from several stochastic forward passes, and
MC dropout with a seeded tf.nn.dropout kept on at test time through placeholder_with_default.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    rng = np.random.RandomState(20)
    xs = np.linspace(-1, 1, 24, dtype=np.float32)[:, None]
    ys = (np.sin(3 * xs) + 0.1 * rng.randn(24, 1)).astype(np.float32)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(43)
        x = tf.placeholder(tf.float32, [None, 1], name="x")
        y = tf.placeholder(tf.float32, [None, 1], name="y")
        prior = tf.distributions.Normal(0.0, 1.0)

        def bayes_dense(inp, n_out, name):
            n_in = inp.shape[-1].value
            with tf.variable_scope(name):
                mu = tf.get_variable(
                    "w_mu", [n_in, n_out], initializer=tf.random_normal_initializer(0.0, 0.1)
                )
                rho = tf.get_variable(
                    "w_rho", [n_in, n_out], initializer=tf.constant_initializer(-3.0)
                )
                b = tf.get_variable("b", [n_out], initializer=tf.zeros_initializer())
                sigma = tf.nn.softplus(rho)
                eps = tf.random_normal([n_in, n_out], seed=7)
                w = mu + sigma * eps
                post = tf.distributions.Normal(mu, sigma)
                kl = tf.reduce_sum(tf.distributions.kl_divergence(post, prior), name="kl")
                tf.add_to_collection("kl_terms", kl)
                return tf.matmul(inp, w) + b

        h = tf.nn.relu(bayes_dense(x, 16, "bayes1"))
        pred = bayes_dense(h, 1, "bayes2")
        lik = tf.distributions.Normal(pred, 0.1)
        nll = -tf.reduce_sum(lik.log_prob(y))
        kl = tf.add_n(tf.get_collection("kl_terms"), name="kl_total")
        elbo_loss = tf.add(nll, kl / 24.0, name="neg_elbo")
        train = tf.train.AdamOptimizer(0.03).minimize(elbo_loss)

        keep = tf.placeholder_with_default(1.0, [], name="keep_prob")
        with tf.variable_scope("mc"):
            d = tf.layers.dense(x, 16, tf.nn.relu, name="fc")
            d = tf.nn.dropout(d, keep_prob=keep, seed=3)
            mc_out = tf.layers.dense(d, 1, name="out")
        mc_loss = tf.losses.mean_squared_error(y, mc_out)
        mc_train = tf.train.GradientDescentOptimizer(0.1).minimize(mc_loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            trace = []
            for _ in range(15):
                out = sess.run(
                    [nll, kl, elbo_loss, train, mc_loss, mc_train], {x: xs, y: ys, keep: 0.8}
                )
                trace.append([float(out[0]), float(out[1]), float(out[4])])
            probe = np.array([[0.0], [0.5]], np.float32)
            draws = np.stack([sess.run(pred, {x: probe}) for _ in range(8)])
            mc = np.stack([sess.run(mc_out, {x: probe, keep: 0.5}) for _ in range(8)])
            det = sess.run(mc_out, {x: probe})
    return {
        "vars": [[v.name, v.shape.as_list()] for v in g.get_collection("trainable_variables")],
        "kl_terms": [t.name for t in g.get_collection("kl_terms")],
        "names": [pred.name, nll.name, kl.name, elbo_loss.name, d.name, mc_out.name],
        "trace": trace,
        "bayes_mean": draws.mean(0).ravel().tolist(),
        "bayes_std": draws.std(0).ravel().tolist(),
        "mc_mean": mc.mean(0).ravel().tolist(),
        "deterministic": det.ravel().tolist(),
    }


EXPECTED = {
    "vars": [
        ["bayes1/w_mu:0", [1, 16]],
        ["bayes1/w_rho:0", [1, 16]],
        ["bayes1/b:0", [16]],
        ["bayes2/w_mu:0", [16, 1]],
        ["bayes2/w_rho:0", [16, 1]],
        ["bayes2/b:0", [1]],
        ["mc/fc/kernel:0", [1, 16]],
        ["mc/fc/bias:0", [16]],
        ["mc/out/kernel:0", [16, 1]],
        ["mc/out/bias:0", [1]],
    ],
    "kl_terms": ["bayes1/kl:0", "bayes2/kl:0"],
    "names": [
        "bayes2/add_1:0",
        "Neg:0",
        "kl_total:0",
        "neg_elbo:0",
        "mc/dropout/SelectV2:0",
        "mc/out/BiasAdd:0",
    ],
    "trace": [
        [577.7540893554688, 80.97968292236328, 0.40099969506263733],
        [524.287353515625, 80.78092956542969, 0.3034909665584564],
        [460.6518859863281, 80.51496887207031, 0.259537935256958],
        [405.1797790527344, 80.15396881103516, 0.26245495676994324],
        [363.1322937011719, 79.8360595703125, 0.23929594457149506],
        [279.88861083984375, 79.62672424316406, 0.2180175930261612],
        [288.138916015625, 79.41921997070312, 0.1760760396718979],
        [211.1837158203125, 79.3050308227539, 0.2045017033815384],
        [196.6958465576172, 79.23075866699219, 0.1733204871416092],
        [174.34622192382812, 79.21147155761719, 0.20392930507659912],
        [181.35794067382812, 79.21253967285156, 0.19299614429473877],
        [216.67514038085938, 79.2279052734375, 0.19161009788513184],
        [276.83978271484375, 79.25032806396484, 0.13913939893245697],
        [210.2586212158203, 79.29508972167969, 0.22683976590633392],
        [203.82806396484375, 79.3141098022461, 0.15070872008800507],
    ],
    "bayes_mean": [0.10876940190792084, 0.8203456401824951],
    "bayes_std": [0.0421174019575119, 0.07803777605295181],
    "mc_mean": [-0.08496873080730438, 0.491555392742157],
    "deterministic": [-0.040562912821769714, 0.5128546357154846],
}


def test_bayes_by_backprop_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
