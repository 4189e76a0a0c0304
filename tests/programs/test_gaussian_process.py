"""Gaussian-process regression in float64: an RBF kernel from broadcast differences, cholesky,
cholesky_solve, the log determinant from matrix_diag_part, the negative log marginal
likelihood's gradients for the kernel's log-parameters and Adam on them, then the predictive
mean and variance through matrix_triangular_solve, and matrix_inverse, slogdet,
self_adjoint_eigvals, svd, qr and matrix_solve_ls of the kernel matrix.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    rng = np.random.RandomState(14)
    xs = np.sort(rng.uniform(-3, 3, (12, 1)), 0)
    ys = np.sin(xs[:, 0]) + 0.1 * rng.randn(12)
    xt = np.linspace(-3, 3, 5)[:, None]
    g = tf.Graph()
    with g.as_default():
        x = tf.constant(xs)
        y = tf.constant(ys[:, None])
        log_len = tf.get_variable("log_len", initializer=tf.constant(0.0, tf.float64))
        log_amp = tf.get_variable("log_amp", initializer=tf.constant(0.0, tf.float64))
        log_noise = tf.get_variable("log_noise", initializer=tf.constant(-1.0, tf.float64))

        def kernel(a, b):
            d = tf.reduce_sum(tf.square(a[:, None, :] - b[None, :, :]), -1)
            return tf.exp(2 * log_amp) * tf.exp(-0.5 * d / tf.exp(2 * log_len))

        k = kernel(x, x) + tf.exp(2 * log_noise) * tf.eye(12, dtype=tf.float64)
        chol = tf.cholesky(k)
        alpha = tf.cholesky_solve(chol, y)
        logdet = 2 * tf.reduce_sum(tf.log(tf.matrix_diag_part(chol)))
        nll = (
            0.5 * tf.squeeze(tf.matmul(y, alpha, transpose_a=True))
            + 0.5 * logdet
            + 6 * np.log(2 * np.pi)
        )
        opt = tf.train.AdamOptimizer(0.05)
        train = opt.minimize(nll)
        ks = kernel(tf.constant(xt), x)
        mean = tf.matmul(ks, alpha)
        v = tf.matrix_triangular_solve(chol, tf.transpose(ks), lower=True)
        var = tf.exp(2 * log_amp) - tf.reduce_sum(tf.square(v), 0)
        inv = tf.matrix_inverse(k)
        slogdet = tf.linalg.slogdet(k)
        eig = tf.self_adjoint_eigvals(k)
        s, u, vv = tf.svd(k)
        qr_q, qr_r = tf.qr(k[:4, :4])
        lstsq = tf.matrix_solve_ls(k[:, :3], y, l2_regularizer=0.01)
        grads = tf.gradients(nll, [log_len, log_amp, log_noise])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            first = sess.run([nll, grads, logdet])
            losses = [float(sess.run([train, nll])[1]) for _ in range(8)]
            m, vr, iv, sl, e, sv, r, ls = sess.run([mean, var, inv, slogdet, eig, s, qr_r, lstsq])
            params = sess.run([log_len, log_amp, log_noise])
        return {
            "names": [t.name for t in (chol, alpha, nll, mean, var, v, inv, eig, s, qr_q, lstsq)],
            "first": [float(first[0]), [float(gv) for gv in first[1]], float(first[2])],
            "losses": losses,
            "mean": [float(a) for a in m.ravel()],
            "var": [float(a) for a in vr.ravel()],
            "inv": [float(a) for a in iv[0, :4]],
            "slogdet": [float(a) for a in sl],
            "eig": [float(a) for a in e[-3:]],
            "svd": [float(a) for a in sv[:3]],
            "qr_r_diag": [float(abs(a)) for a in np.diag(r)],
            "lstsq": [float(a) for a in ls.ravel()],
            "params": [float(p) for p in params],
        }


EXPECTED = {
    "names": [
        "Cholesky:0",
        "cholesky_solve/MatrixTriangularSolve_1:0",
        "add_2:0",
        "MatMul_1:0",
        "sub_2:0",
        "triangular_solve/MatrixTriangularSolve:0",
        "MatrixInverse:0",
        "SelfAdjointEigV2:0",
        "Svd:0",
        "Qr:0",
        "matrix_solve_ls/cholesky_solve/MatrixTriangularSolve_1:0",
    ],
    "first": [
        7.072309674109831,
        [-2.570467497215338, 3.4442865428883604, 6.528592776745786],
        -9.937026129058328,
    ],
    "losses": [
        7.072309674109831,
        6.453241715539832,
        5.854245144250049,
        5.281732402752834,
        4.743651921758865,
        4.249449461390493,
        3.8092279933365565,
        3.430913192112418,
    ],
    "mean": [
        -0.2534747047285526,
        -0.9405035065459916,
        0.03878324953040544,
        0.8544083101115704,
        0.3770340772561558,
    ],
    "var": [
        0.05121785999908385,
        0.01904556596168322,
        0.01626348670662381,
        0.023435762668325755,
        0.059474242670944866,
    ],
    "inv": [3.1909575066436955, -2.7618240373333776, 0.055787308582574545, 0.21641057779249548],
    "slogdet": [1.0, -21.415534509665683],
    "eig": [0.6993515502651205, 1.7321529470761172, 3.1185427334955276],
    "svd": [3.1185427334955382, 1.7321529470761223, 0.6993515502651224],
    "qr_r_diag": [0.692947167372253, 0.43249502384446864, 0.11979818183199174, 0.08227237800213613],
    "lstsq": [0.8429831051758279, -4.735437650984006, 2.70587666420813],
    "params": [0.375384635439542, -0.37392499218969977, -1.4006764519134165],
}


def test_gaussian_process_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
