"""Matrix factorization by alternating least squares in a TF1 graph: a ratings matrix with a
mask of observed entries, user and item factor variables, each half-step solving regularized
normal equations for every row at once with batched tf.matrix_solve_ls (l2_regularizer) on
masked Gram matrices built with tf.einsum, assigned with tf.assign; the RMSE on observed
entries each sweep, top-k recommendations of unseen items through tf.nn.top_k on a masked
score matrix, and tf.dynamic_partition / tf.dynamic_stitch splitting users by activity.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    rng = np.random.RandomState(38)
    n_users, n_items, k = 8, 6, 2
    truth = rng.rand(n_users, k) @ rng.rand(k, n_items) * 5.0
    mask_v = (rng.rand(n_users, n_items) < 0.6).astype(np.float32)
    ratings_v = (truth * mask_v).astype(np.float32)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(89)
        ratings = tf.constant(ratings_v, name="ratings")
        mask = tf.constant(mask_v, name="mask")
        users = tf.get_variable(
            "users", [n_users, k], initializer=tf.random_uniform_initializer(0.0, 1.0)
        )
        items = tf.get_variable(
            "items", [n_items, k], initializer=tf.random_uniform_initializer(0.0, 1.0)
        )
        lam = 1.0

        def solve(fixed, obs, m):
            # rows r: (F^T diag(m_r) F + lam I) x_r = F^T diag(m_r) obs_r
            gram = tf.einsum("rj,ja,jb->rab", m, fixed, fixed)
            rhs = tf.einsum("rj,rj,ja->ra", m, obs, fixed)[..., None]
            return tf.squeeze(tf.matrix_solve_ls(gram, rhs, l2_regularizer=lam), -1)

        with tf.name_scope("user_step"):
            user_update = tf.assign(users, solve(items, ratings, mask))
        with tf.name_scope("item_step"):
            item_update = tf.assign(items, solve(users, tf.transpose(ratings), tf.transpose(mask)))
        pred = tf.matmul(users, items, transpose_b=True, name="pred")
        rmse = tf.sqrt(
            tf.reduce_sum(tf.square((pred - ratings) * mask)) / tf.reduce_sum(mask), name="rmse"
        )
        unseen = tf.where(mask > 0, tf.fill(tf.shape(pred), -1e9), pred)
        top_scores, top_items = tf.nn.top_k(unseen, 2)
        activity = tf.cast(tf.reduce_sum(mask, 1) >= 4, tf.int32)
        parts = tf.dynamic_partition(tf.range(n_users), activity, 2)
        rows = tf.dynamic_partition(users, activity, 2)
        restitched = tf.dynamic_stitch(parts, rows)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            trace = [float(sess.run(rmse))]
            for _ in range(4):
                sess.run(user_update)
                sess.run(item_update)
                trace.append(float(sess.run(rmse)))
            ts, ti, pv, same = sess.run(
                [top_scores, top_items, parts, tf.reduce_all(tf.equal(restitched, users))]
            )
    return {
        "vars": [[v.name, v.shape.as_list()] for v in g.get_collection("variables")],
        "names": [
            user_update.name,
            item_update.name,
            pred.name,
            rmse.name,
            top_items.name,
            restitched.name,
        ],
        "types": [user_update.op.inputs[1].op.type, restitched.op.type],
        "rmse": trace,
        "top_items": ti.tolist(),
        "top_scores": np.round(ts, 4).tolist(),
        "partitions": [p.tolist() for p in pv],
        "restitched": bool(same),
    }


EXPECTED = {
    "vars": [["users:0", [8, 2]], ["items:0", [6, 2]]],
    "names": [
        "user_step/Assign:0",
        "item_step/Assign:0",
        "pred:0",
        "rmse:0",
        "TopKV2:1",
        "DynamicStitch:0",
    ],
    "types": ["Squeeze", "DynamicStitch"],
    "rmse": [
        3.255614757537842,
        0.6877715587615967,
        0.44373583793640137,
        0.40347790718078613,
        0.3671228289604187,
    ],
    "top_items": [[4, 3], [3, 0], [3, 0], [1, 0], [5, 0], [4, 5], [3, 5], [5, 0]],
    "top_scores": [
        [3.1185998916625977, 2.8459999561309814],
        [7.437300205230713, -1000000000.0],
        [5.549600124359131, -1000000000.0],
        [1.8252999782562256, -1000000000.0],
        [1.1087000370025635, -1000000000.0],
        [3.38100004196167, 2.287600040435791],
        [5.548399925231934, 4.114299774169922],
        [3.6493000984191895, 2.1737000942230225],
    ],
    "partitions": [[0, 5, 6], [1, 2, 3, 4, 7]],
    "restitched": True,
}


def test_als_recommender_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
