"""tf.contrib.opt.NadamOptimizer on a small recommender, as TF1 Kaggle-era code used it: user
and item embedding tables (the item table and a dense weight resource variables) whose
gradients are IndexedSlices with repeated rows, a global bias, Nadam's slots and beta powers,
dense (ApplyAdam / ResourceApplyAdam with use_nesterov) and sparse (decayed moments, a
look-ahead step on the gathered rows) updates over four steps.

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
        opt = tf.contrib.opt.NadamOptimizer(0.1)
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
            "powers": [float(p) for p in powers],
        }


EXPECTED = {
    "vars": [
        ["users:0", [5, 3]],
        ["items:0", [4, 3]],
        ["global_bias:0", []],
        ["w:0", [3, 1]],
        ["global_step:0", []],
        ["beta1_power:0", []],
        ["beta2_power:0", []],
        ["users/Adam:0", [5, 3]],
        ["users/Adam_1:0", [5, 3]],
        ["items/Adam:0", [4, 3]],
        ["items/Adam_1:0", [4, 3]],
        ["global_bias/Adam:0", []],
        ["global_bias/Adam_1:0", []],
        ["w/Adam:0", [3, 1]],
        ["w/Adam_1:0", [3, 1]],
    ],
    "slots": ["m", "v"],
    "names": ["Adam", "Mean:0"],
    "losses": [3.933020830154419, 2.0865604877471924, 1.3526673316955566, 0.7784251570701599],
    "untouched_rows": True,
    "users": [
        [0.496153861284256, -0.4849351942539215, -0.42348331212997437],
        [0.7691766023635864, -0.2294149100780487, -0.9038395881652832],
        [-0.6870746612548828, 0.206429123878479, 0.32832950353622437],
    ],
    "items": [
        [0.6631691455841064, 0.5094088912010193, -0.11698788404464722],
        [0.05322417616844177, -0.6965527534484863, -0.3859825134277344],
        [0.6220879554748535, 0.21511173248291016, 0.0022506117820739746],
        [-1.3617695569992065, -0.031429313123226166, 1.1289188861846924],
    ],
    "w": [0.8302819728851318, -0.5015589594841003, -0.38128963112831116],
    "bias": 2.106203317642212,
    "m_users": [
        [-0.1437803953886032, 0.21450275182724, 0.1374206244945526],
        [0.0, 0.0, 0.0],
        [-0.12243179976940155, -0.18100567162036896, 0.16159209609031677],
        [0.0, 0.0, 0.0],
        [0.2181575894355774, -0.05167064815759659, -0.12423848360776901],
    ],
    "powers": [0.59048992395401, 0.9950100779533386],
}


def test_nadam_recommender_matches_tensorflow():
    close(program(tf), EXPECTED)
