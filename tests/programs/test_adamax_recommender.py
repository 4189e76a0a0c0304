"""tf.contrib.opt.AdaMaxOptimizer on a small recommender: user and item embedding tables (the
item table and a dense weight resource variables) whose gradients are IndexedSlices with
repeated rows, a global bias, AdaMax's slots and its single beta1_power, dense (ApplyAdaMax /
ResourceApplyAdaMax) and sparse (only the gathered rows of m, v and the variable) updates
over four steps.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled) running TF 1.15's tf.contrib.opt Python
code (from the 1.15 wheel).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    rng = np.random.RandomState(616)
    users = np.array([0, 2, 2, 4], np.int32)
    items = np.array([1, 1, 3, 0], np.int32)
    ratings = rng.rand(4).astype(np.float32) * 5
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(617)
        u = tf.placeholder(tf.int32, [None], name="user")
        i = tf.placeholder(tf.int32, [None], name="item")
        r = tf.placeholder(tf.float32, [None], name="rating")
        user_table = tf.get_variable("users", [5, 3])
        item_table = tf.get_variable("items", [4, 3], use_resource=True)
        bias = tf.get_variable("global_bias", [], initializer=tf.constant_initializer(2.5))
        w = tf.get_variable("w", [3, 1], use_resource=True)
        ue, ie = tf.nn.embedding_lookup(user_table, u), tf.nn.embedding_lookup(item_table, i)
        pred = tf.reduce_sum(ue * ie, 1) + tf.squeeze(tf.matmul(ue, w), 1) + bias
        loss = tf.reduce_mean(tf.square(pred - r))
        opt = tf.contrib.opt.AdaMaxOptimizer(0.1)
        step = tf.train.get_or_create_global_step()
        train = opt.minimize(loss, global_step=step)
        feed = {u: users, i: items, r: ratings}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            before = sess.run(user_table)
            losses = [float(sess.run([loss, train], feed)[0]) for _ in range(4)]
            after, items_v, w_v, b_v = sess.run([user_table, item_table, w, bias])
            m_users = sess.run(opt.get_slot(user_table, "m"))
            powers = sess.run(opt._get_beta_accumulators())
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
            "slots": opt.get_slot_names(),
            "names": [train.name, loss.name],
            "losses": losses,
            "untouched_rows": bool(np.array_equal(before[[1, 3]], after[[1, 3]])),
            "users": after[[0, 2, 4]].tolist(),
            "items": items_v.tolist(),
            "w": w_v[:, 0].tolist(),
            "bias": float(b_v),
            "m_users": m_users.tolist(),
            "powers": float(powers),
        }


EXPECTED = {
    "vars": [
        ["users:0", [5, 3]],
        ["items:0", [4, 3]],
        ["global_bias:0", []],
        ["w:0", [3, 1]],
        ["global_step:0", []],
        ["beta1_power:0", []],
        ["users/AdaMax:0", [5, 3]],
        ["users/AdaMax_1:0", [5, 3]],
        ["items/AdaMax:0", [4, 3]],
        ["items/AdaMax_1:0", [4, 3]],
        ["global_bias/AdaMax:0", []],
        ["global_bias/AdaMax_1:0", []],
        ["w/AdaMax:0", [3, 1]],
        ["w/AdaMax_1:0", [3, 1]],
    ],
    "slots": ["m", "v"],
    "names": ["AdaMax", "Mean:0"],
    "losses": [3.933020830154419, 2.6084959506988525, 1.9410955905914307, 1.4666439294815063],
    "untouched_rows": True,
    "users": [
        [0.31243282556533813, -0.29953888058662415, -0.24221685528755188],
        [0.6491062045097351, -0.32270547747612, -0.7834255695343018],
        [-0.510129451751709, 0.09071085602045059, 0.17448779940605164],
    ],
    "items": [
        [0.45383161306381226, 0.48006194829940796, -0.0531238354742527],
        [-0.07012070715427399, -0.588617742061615, -0.25045982003211975],
        [0.6220879554748535, 0.21511173248291016, 0.0022506117820739746],
        [-1.1829859018325806, -0.18989382684230804, 0.9487918615341187],
    ],
    "w": [0.8547949194908142, -0.5682359933853149, -0.46255069971084595],
    "bias": 2.210026264190674,
    "m_users": [
        [-0.1745368093252182, 0.2567374110221863, 0.16873028874397278],
        [0.0, 0.0, 0.0],
        [-0.06580063700675964, -0.3365066945552826, 0.1148177906870842],
        [0.0, 0.0, 0.0],
        [0.27150288224220276, -0.08172884583473206, -0.17144009470939636],
    ],
    "powers": 0.59048992395401,
}


def test_adamax_recommender_matches_tensorflow():
    close(program(tf), EXPECTED)
