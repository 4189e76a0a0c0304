"""A Kalman filter written with tf.scan, its noise parameters fitted by maximum likelihood as
TF1 time-series code did: a constant-velocity state-space model, predict and update steps
with tf.matmul, tf.matrix_inverse and tf.linalg.cholesky / cholesky_solve, the innovation
log-likelihood with tf.linalg.logdet, gradients through the scan into log-variance
variables, Adam; then a Rauch-Tung-Striebel smoother as a reversed tf.scan, and
tf.linalg.LinearOperatorFullMatrix solving the same system.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    rng = np.random.RandomState(34)
    steps = 15
    truth = np.cumsum(0.5 + 0.2 * rng.randn(steps)).astype(np.float32)
    obs_v = (truth + 0.4 * rng.randn(steps)).astype(np.float32)[:, None]
    g = tf.Graph()
    with g.as_default():
        obs = tf.placeholder(tf.float32, [steps, 1], name="obs")
        log_q = tf.get_variable("log_q", initializer=tf.constant(-1.0))
        log_r = tf.get_variable("log_r", initializer=tf.constant(0.0))
        F = tf.constant([[1.0, 1.0], [0.0, 1.0]], name="F")
        H = tf.constant([[1.0, 0.0]], name="H")
        Q = tf.exp(log_q) * tf.constant([[0.25, 0.5], [0.5, 1.0]])
        R = tf.reshape(tf.exp(log_r), [1, 1])

        def step(carry, y):
            m, P, _ = carry
            m_pred = tf.matmul(F, m)
            P_pred = tf.matmul(tf.matmul(F, P), F, transpose_b=True) + Q
            S = tf.matmul(tf.matmul(H, P_pred), H, transpose_b=True) + R
            K = tf.matmul(tf.matmul(P_pred, H, transpose_b=True), tf.matrix_inverse(S))
            innov = y[:, None] - tf.matmul(H, m_pred)
            m_new = m_pred + tf.matmul(K, innov)
            P_new = tf.matmul(tf.eye(2) - tf.matmul(K, H), P_pred)
            chol = tf.linalg.cholesky(S)
            white = tf.linalg.cholesky_solve(chol, innov)
            ll = -0.5 * (
                tf.linalg.logdet(S)
                + tf.reduce_sum(innov * white)
                + np.log(2 * np.pi).astype(np.float32)
            )
            return m_new, P_new, ll

        init = (tf.constant([[0.0], [0.5]]), tf.eye(2) * 10.0, tf.constant(0.0))
        with tf.name_scope("filter"):
            means, covs, lls = tf.scan(step, obs, initializer=init)
        loglik = tf.reduce_sum(lls, name="loglik")
        train = tf.train.AdamOptimizer(0.1).minimize(-loglik)

        with tf.name_scope("smoother"):

            def smooth(carry, elems):
                ms, Ps = carry
                m, P = elems
                P_pred = tf.matmul(tf.matmul(F, P), F, transpose_b=True) + Q
                G = tf.matmul(tf.matmul(P, F, transpose_b=True), tf.matrix_inverse(P_pred))
                m_s = m + tf.matmul(G, ms - tf.matmul(F, m))
                P_s = P + tf.matmul(tf.matmul(G, Ps - P_pred), G, transpose_b=True)
                return m_s, P_s

            sm, _ = tf.scan(
                smooth, (means[:-1], covs[:-1]), initializer=(means[-1], covs[-1]), reverse=True
            )
        op = tf.linalg.LinearOperatorFullMatrix(
            covs[-1], is_self_adjoint=True, is_positive_definite=True
        )
        solved = op.solve(tf.ones([2, 1]))
        direct = tf.matrix_solve(covs[-1], tf.ones([2, 1]))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            trace = []
            for _ in range(10):
                lv, _ = sess.run([loglik, train], {obs: obs_v})
                trace.append(float(lv))
            qv, rv = sess.run([tf.exp(log_q), tf.exp(log_r)])
            mv, smv, sv, dv = sess.run([means, sm, solved, direct], {obs: obs_v})
    return {
        "names": [means.name, covs.name, lls.name, loglik.name, sm.name, solved.name],
        "shapes": [means.shape.as_list(), covs.shape.as_list(), sm.shape.as_list()],
        "trace": trace,
        "q_r": [float(qv), float(rv)],
        "filtered": mv[:, 0, 0].tolist(),
        "smoothed": smv[:, 0, 0].tolist(),
        "operator_solve": sv.ravel().tolist(),
        "direct_solve": dv.ravel().tolist(),
    }


EXPECTED = {
    "names": [
        "filter/scan/TensorArrayStack/TensorArrayGatherV3:0",
        "filter/scan/TensorArrayStack_1/TensorArrayGatherV3:0",
        "filter/scan/TensorArrayStack_2/TensorArrayGatherV3:0",
        "loglik:0",
        "smoother/scan/TensorArrayStack/TensorArrayGatherV3:0",
        "LinearOperatorFullMatrix/solve/cholesky_solve/MatrixTriangularSolve_1:0",
    ],
    "shapes": [[15, 2, 1], [15, 2, 2], [14, 2, 1]],
    "trace": [
        -25.196243286132812,
        -24.679346084594727,
        -24.178810119628906,
        -23.69646453857422,
        -23.23432159423828,
        -22.794540405273438,
        -22.379444122314453,
        -21.991453170776367,
        -21.633071899414062,
        -21.306777954101562,
    ],
    "q_r": [0.13635094463825226, 0.3759544789791107],
    "filtered": [
        1.2605509757995605,
        0.18522143363952637,
        1.0964288711547852,
        1.0299522876739502,
        1.5826265811920166,
        2.094212532043457,
        2.30763840675354,
        3.149770975112915,
        4.257964134216309,
        4.732298851013184,
        5.68117094039917,
        5.729397773742676,
        5.977100372314453,
        6.640418529510498,
        6.687778949737549,
    ],
    "smoothed": [
        0.7608075141906738,
        0.8344024419784546,
        0.998600423336029,
        1.2653652429580688,
        1.6364978551864624,
        2.1128251552581787,
        2.7029457092285156,
        3.400233268737793,
        4.116213798522949,
        4.757472515106201,
        5.28554630279541,
        5.707256317138672,
        6.074302673339844,
        6.404709339141846,
    ],
    "operator_solve": [1.9396198987960815, 3.929622173309326],
    "direct_solve": [1.9396198987960815, 3.9296224117279053],
}


def test_kalman_filter_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
