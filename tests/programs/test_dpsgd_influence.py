"""Per-example gradients as privacy and influence-function code computed them in TF1 graphs: a
logistic regression whose per-example gradients come from tf.vectorized_map and from
tf.map_fn (with fn_output_signature), each clipped to an L2 norm, summed with seeded Gaussian
noise and averaged for DP-SGD steps; then Hessian-vector products by the Pearlmutter trick
(tf.gradients with grad_ys), a conjugate-gradient solve of H x = g in a tf.while_loop, and the
influence of each training example on a test loss; tf.gradients with stop_gradients and
unconnected_gradients='zero', and tf.foldr summing the per-example losses (whose second
derivative TF refuses).

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    rng = np.random.RandomState(28)
    n, d = 12, 4
    xs = rng.randn(n, d).astype(np.float32)
    ys = (xs @ np.array([1.0, -2.0, 0.5, 0.0], np.float32) > 0).astype(np.float32)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(67)
        x = tf.placeholder(tf.float32, [None, d], name="x")
        y = tf.placeholder(tf.float32, [None], name="y")
        w = tf.get_variable("w", [d], initializer=tf.zeros_initializer())
        b = tf.get_variable("b", [], initializer=tf.zeros_initializer())

        def example_loss(xi, yi, w_, b_):
            logit = tf.reduce_sum(xi * w_) + b_
            return tf.nn.sigmoid_cross_entropy_with_logits(labels=yi, logits=logit)

        def example_grads(args):
            xi, yi = args
            lv = example_loss(xi, yi, w, b)
            gw, gb = tf.gradients(lv, [w, b])
            return gw, gb

        vm_w, vm_b = tf.vectorized_map(example_grads, (x, y))
        mf_w, mf_b = tf.map_fn(example_grads, (x, y), fn_output_signature=(tf.float32, tf.float32))
        with tf.name_scope("dp"):
            flat = tf.concat([vm_w, vm_b[:, None]], axis=1)
            norms = tf.norm(flat, axis=1, keepdims=True)
            clipped = flat / tf.maximum(1.0, norms / 0.5)
            noisy = tf.reduce_sum(clipped, 0) + tf.random_normal([d + 1], stddev=0.3, seed=11)
            mean_grad = noisy / tf.cast(tf.shape(x)[0], tf.float32)
        train = tf.train.GradientDescentOptimizer(0.5).apply_gradients(
            [(mean_grad[:d], w), (mean_grad[d], b)]
        )
        losses = tf.map_fn(lambda a: example_loss(a[0], a[1], w, b), (x, y), dtype=tf.float32)
        total = tf.foldr(lambda acc, v: acc + v, losses, initializer=0.0)
        folded_loss = total / tf.cast(tf.shape(x)[0], tf.float32) + 0.05 * tf.nn.l2_loss(w)
        # second derivatives cannot go through while loops (TF raises): the direct form
        logits = tf.linalg.matvec(x, w) + b
        loss = tf.reduce_mean(
            tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=logits)
        ) + 0.05 * tf.nn.l2_loss(w)

        params = tf.concat([w, [b]], 0)
        (gw_all, gb_all) = tf.gradients(loss, [w, b])
        grad_vec = tf.concat([gw_all, [gb_all]], 0)
        v = tf.placeholder(tf.float32, [d + 1], name="v")
        hv_w, hv_b = tf.gradients([gw_all, gb_all], [w, b], grad_ys=[v[:d], v[d]])
        hvp = tf.concat([hv_w, [hv_b]], 0, name="hvp")

        with tf.name_scope("cg"):
            rows = []
            for i in range(d + 1):
                hw, hb = tf.gradients(grad_vec[i], [w, b])
                rows.append(tf.concat([hw, [hb]], 0))
            hess = tf.stack(rows, name="hessian")
            rhs = tf.placeholder(tf.float32, [d + 1], name="rhs")

            def cg_body(k, xk, r, p, rs):
                hp = tf.linalg.matvec(hess, p)
                alpha = rs / tf.reduce_sum(p * hp)
                xk = xk + alpha * p
                r = r - alpha * hp
                rs_new = tf.reduce_sum(r * r)
                return k + 1, xk, r, r + (rs_new / rs) * p, rs_new

            zero = tf.zeros([d + 1])
            _, solution, _, _, _ = tf.while_loop(
                lambda k, *_: k < d + 1,
                cg_body,
                (tf.constant(0), zero, rhs, rhs, tf.reduce_sum(rhs * rhs)),
            )
        stopped = tf.gradients(loss, [w, b], stop_gradients=[logits], unconnected_gradients="zero")
        unconnected = tf.gradients(tf.reduce_sum(w), [w, b], unconnected_gradients="zero")
        feed = {x: xs, y: ys}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            trace = []
            for _ in range(6):
                lv, fv = sess.run([loss, folded_loss], feed)
                sess.run(train, feed)
                trace.append([float(lv), float(fv)])
            vw, mw = sess.run([vm_w, mf_w], feed)
            xt, yt = xs[:1], ys[:1]
            g_test = sess.run(grad_vec, {x: xt, y: yt})
            ihvp = sess.run(solution, {**feed, rhs: g_test})
            check = sess.run(hvp, {**feed, v: ihvp})
            per = np.stack(
                [sess.run(grad_vec, {x: xs[i : i + 1], y: ys[i : i + 1]}) for i in range(n)]
            )
            influence = -(per @ ihvp)
            sv, uv = sess.run([stopped, unconnected], feed)
    with tf.Graph().as_default():  # a failed attempt leaves TF's graph unusable: a fresh one
        u = tf.get_variable("u", [3])
        summed = tf.foldr(lambda acc, t: acc + t * t, u * u, initializer=0.0)
        try:
            tf.gradients(tf.gradients(summed, u)[0], u)
            second_order = "built"
        except TypeError as e:
            second_order = str(e)
    return {
        # vm_w's name is left out: TF's pfor names its vectorized ops (loop_body/.../pfor/...),
        # scopeflow's vectorized_map is a map_fn loop (same values)
        "names": [
            mf_w.name,
            mean_grad.name,
            total.name,
            hvp.name,
            hess.name,
            solution.name,
            params.name,
        ],
        "shapes": [vm_w.shape.as_list(), mf_b.shape.as_list(), hvp.shape.as_list()],
        "second_order": second_order,
        "trace": trace,
        "same_per_example": bool(np.allclose(vw, mw, atol=1e-6)),
        "per_example_row": vw[0].tolist(),
        "ihvp": ihvp.tolist(),
        "hvp_of_ihvp": check.tolist(),
        "g_test": g_test.tolist(),
        "influence": influence.tolist(),
        "stopped": [sv[0].tolist(), float(sv[1])],
        "unconnected": [uv[0].tolist(), float(uv[1])],
    }


EXPECTED = {
    "names": [
        "map/TensorArrayStack/TensorArrayGatherV3:0",
        "dp/truediv_2:0",
        "foldr/while/Exit_2:0",
        "hvp:0",
        "cg/hessian:0",
        "cg/while/Exit_1:0",
        "concat:0",
    ],
    "shapes": [[None, 4], [None], [5]],
    "second_order": "Second-order gradient for while loops not supported.",
    "trace": [
        [0.6931471824645996, 0.6931471824645996],
        [0.6570515632629395, 0.6570516228675842],
        [0.6214814782142639, 0.6214814782142639],
        [0.5866198539733887, 0.5866197943687439],
        [0.5602796077728271, 0.5602795481681824],
        [0.5360966324806213, 0.5360966324806213],
    ],
    "same_per_example": True,
    "per_example_row": [
        0.11749353259801865,
        0.4393829107284546,
        -0.0695696473121643,
        -0.2547750473022461,
    ],
    "ihvp": [
        0.7921826243400574,
        1.135450005531311,
        0.34278789162635803,
        -0.9323450922966003,
        1.073936939239502,
    ],
    "hvp_of_ihvp": [
        0.1177598088979721,
        0.40987443923950195,
        -0.06801177561283112,
        -0.25652649998664856,
        0.263242244720459,
    ],
    "g_test": [
        0.1177598312497139,
        0.40987443923950195,
        -0.0680117979645729,
        -0.25652652978897095,
        0.263242244720459,
    ],
    "influence": [
        -1.0572423934936523,
        -0.8753882646560669,
        0.9651358127593994,
        -0.6824882626533508,
        0.19536010921001434,
        -0.011174160055816174,
        -0.6431255340576172,
        0.2755124568939209,
        -0.5136459469795227,
        -0.1295650601387024,
        -0.830150306224823,
        0.5340225696563721,
    ],
    "stopped": [
        [
            0.00026629885542206466,
            -0.02950846590101719,
            0.0015578527236357331,
            -0.0017514955252408981,
        ],
        0.0,
    ],
    "unconnected": [[1.0, 1.0, 1.0, 1.0], 0.0],
}


def test_dpsgd_influence_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
