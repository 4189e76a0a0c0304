"""A binary RBM trained by contrastive divergence as TF1 tutorials wrote it: hidden and visible
units sampled with ``relu(sign(p - random_uniform(shape(p))))``, k Gibbs steps in a
tf.while_loop (the sampling ops drawing afresh each iteration), the weight, visible and hidden
bias updates applied by assign_add from the positive and negative statistics, and a second
model trained by the free-energy difference with a stop_gradient on the chain's end; random
ops seeded by graph and op seeds.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    rng = np.random.RandomState(9)
    data = (rng.rand(5, 6) > 0.5).astype(np.float32)
    n_vis, n_hid, k, lr = 6, 4, 2, 0.1
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(31)
        v0 = tf.placeholder(tf.float32, [None, n_vis], name="visible")
        W = tf.Variable(tf.random_normal([n_vis, n_hid], stddev=0.1, seed=1), name="W")
        vb = tf.Variable(tf.zeros([n_vis]), name="vb")
        hb = tf.Variable(tf.zeros([n_hid]), name="hb")

        def sample(p):
            return tf.nn.relu(tf.sign(p - tf.random_uniform(tf.shape(p))))

        def prop_up(v):
            return tf.nn.sigmoid(tf.matmul(v, W) + hb)

        def prop_down(h):
            return tf.nn.sigmoid(tf.matmul(h, tf.transpose(W)) + vb)

        h0_prob = prop_up(v0)
        h0 = sample(h0_prob)

        def gibbs(i, vk, hk):
            vk = sample(prop_down(hk))
            hk = sample(prop_up(vk))
            return i + 1, vk, hk

        _, vk, hk = tf.while_loop(lambda i, vk, hk: i < k, gibbs, [tf.constant(0), v0, h0])
        hk_prob = prop_up(vk)
        batch = tf.cast(tf.shape(v0)[0], tf.float32)
        w_pos = tf.matmul(tf.transpose(v0), h0_prob)
        w_neg = tf.matmul(tf.transpose(vk), hk_prob)
        updates = [
            W.assign_add(lr * (w_pos - w_neg) / batch),
            vb.assign_add(lr * tf.reduce_mean(v0 - vk, 0)),
            hb.assign_add(lr * tf.reduce_mean(h0_prob - hk_prob, 0)),
        ]
        err = tf.reduce_mean(tf.square(v0 - vk))

        with tf.variable_scope("fe_rbm"):
            W2 = tf.get_variable(
                "W", [n_vis, n_hid], initializer=tf.random_normal_initializer(0.0, 0.1)
            )
            b2 = tf.get_variable("vbias", [n_vis], initializer=tf.zeros_initializer())
            c2 = tf.get_variable("hbias", [n_hid], initializer=tf.zeros_initializer())

        def free_energy(v):
            return -tf.matmul(v, tf.expand_dims(b2, 1))[:, 0] - tf.reduce_sum(
                tf.nn.softplus(tf.matmul(v, W2) + c2), 1
            )

        hs = sample(tf.nn.sigmoid(tf.matmul(v0, W2) + c2))
        vs = sample(tf.nn.sigmoid(tf.matmul(hs, tf.transpose(W2)) + b2))
        chain_end = tf.stop_gradient(vs)
        cost = tf.reduce_mean(free_energy(v0)) - tf.reduce_mean(free_energy(chain_end))
        fe_train = tf.train.GradientDescentOptimizer(0.05).minimize(cost)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            errs, costs = [], []
            for _ in range(3):
                e, _ = sess.run([err, updates], {v0: data})
                c, _ = sess.run([cost, fe_train], {v0: data})
                errs.append(float(e))
                costs.append(float(c))
            w, b, h = sess.run([W, vb, hb])
            w2 = sess.run(W2)
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
            "names": [vk.name, hk.name, err.name, cost.name, fe_train.name, updates[0].name],
            "errs": errs,
            "costs": costs,
            "W": w.tolist(),
            "vb": b.tolist(),
            "hb": h.tolist(),
            "W2_row": w2[0].tolist(),
        }


EXPECTED = {
    "vars": [
        ["W:0", [6, 4]],
        ["vb:0", [6]],
        ["hb:0", [4]],
        ["fe_rbm/W:0", [6, 4]],
        ["fe_rbm/vbias:0", [6]],
        ["fe_rbm/hbias:0", [4]],
    ],
    "names": [
        "while/Exit_1:0",
        "while/Exit_2:0",
        "Mean_2:0",
        "sub_9:0",
        "GradientDescent",
        "AssignAdd:0",
    ],
    "errs": [0.6333333253860474, 0.4333333373069763, 0.46666666865348816],
    "costs": [-0.054537057876586914, 0.07471990585327148, -0.03241872787475586],
    "W": [
        [-0.13040375709533691, 0.013552924618124962, 0.06194869056344032, 0.022856473922729492],
        [-0.0012444835156202316, 0.2580797076225281, -0.02255593053996563, 0.12108245491981506],
        [-0.01722216233611107, -0.012675661593675613, -0.044149018824100494, 0.08662131428718567],
        [-0.18054601550102234, -0.05322983115911484, 0.09781643748283386, -0.10957934707403183],
        [0.01060587540268898, 0.1437346339225769, 0.06598850339651108, 0.03651716932654381],
        [0.16218815743923187, -0.018544379621744156, -0.10810577869415283, 0.029804788529872894],
    ],
    "vb": [
        0.06000000238418579,
        0.06000000238418579,
        -0.06000000238418579,
        -0.020000001415610313,
        -0.04000000283122063,
        0.04000000283122063,
    ],
    "hb": [
        -0.0007228768081404269,
        0.0012739145895466208,
        -0.002507649827748537,
        -0.00023385474923998117,
    ],
    "W2_row": [
        0.04815904051065445,
        0.038238927721977234,
        -0.12135274708271027,
        -0.07925911247730255,
    ],
}


def test_rbm_contrastive_divergence_matches_tensorflow():
    close(program(tf), EXPECTED)
