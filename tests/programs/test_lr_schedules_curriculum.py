"""A training script that picks its schedule and curriculum in the graph, as TF1 experiment
code did: the learning-rate decays of tf.train (cosine_decay_restarts, linear_cosine_decay,
noisy_linear_cosine_decay under the graph seed, inverse_time_decay, natural_exp_decay,
polynomial_decay with cycle=True) chosen by tf.switch_case on a fed schedule id, a curriculum
difficulty from tf.case with exclusive predicates, tf.train.AdamOptimizer and an FTRL
optimizer with l2_shrinkage on two halves of the model, and the global step driving it all.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    rng = np.random.RandomState(36)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(83)
        step = tf.train.get_or_create_global_step()
        # the variables first: an unseeded initializer's op seed is the graph's op count, and
        # switch_case builds fewer ops in TF (one StatelessCase) than scopeflow's cond chain
        x = tf.placeholder(tf.float32, [None, 3], name="x")
        y = tf.placeholder(tf.float32, [None], name="y")
        with tf.variable_scope("dense_part"):
            w1 = tf.get_variable("w", [3, 1])
        with tf.variable_scope("linear_part"):
            w2 = tf.get_variable("w", [3, 1], initializer=tf.zeros_initializer())
        which = tf.placeholder(tf.int32, [], name="schedule")
        base = 0.1
        # the noisy decay's unseeded random op is made before switch_case for the same reason
        noisy = tf.train.noisy_linear_cosine_decay(base, step, 10)
        schedules = {
            0: lambda: tf.train.cosine_decay_restarts(base, step, 4, t_mul=2.0, m_mul=0.5),
            1: lambda: tf.train.linear_cosine_decay(base, step, 10, num_periods=1.0),
            2: lambda: noisy,
            3: lambda: tf.train.inverse_time_decay(base, step, 2, 0.5, staircase=True),
            4: lambda: tf.train.natural_exp_decay(base, step, 3, 0.3),
            5: lambda: tf.train.polynomial_decay(base, step, 4, 0.01, power=2.0, cycle=True),
        }
        lr = tf.switch_case(which, schedules, name="lr")
        difficulty = tf.case(
            [
                (tf.less(step, 3), lambda: tf.constant(0.5)),
                (tf.logical_and(step >= 3, step < 6), lambda: tf.constant(1.0)),
            ],
            default=lambda: tf.constant(2.0),
            exclusive=True,
            name="difficulty",
        )
        pred = tf.squeeze(tf.matmul(x, w1) + tf.matmul(x * difficulty, w2), 1)
        loss = tf.reduce_mean(tf.square(pred - y))
        adam = tf.train.AdamOptimizer(lr).minimize(loss, var_list=[w1])
        ftrl = tf.train.FtrlOptimizer(
            0.5, l1_regularization_strength=0.01, l2_shrinkage_regularization_strength=0.1
        ).minimize(loss, var_list=[w2], global_step=step)
        train = tf.group(adam, ftrl, name="train")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            table = []
            for k in range(6):
                row = []
                for s in [0, 1, 3, 4, 5, 7, 9, 12]:
                    sess.run(tf.assign(step, s))
                    row.append(float(sess.run(lr, {which: k})))
                table.append(row)
            sess.run(tf.assign(step, 0))
            trace = []
            for i in range(8):
                xb = rng.randn(8, 3).astype(np.float32)
                yb = (xb @ np.array([1.0, -1.0, 0.5]) + 0.1).astype(np.float32)
                lv, d, lr_v, _ = sess.run(
                    [loss, difficulty, lr, train], {x: xb, y: yb, which: i % 6}
                )
                trace.append([float(lv), float(d), float(lr_v)])
            wv = sess.run([w1, w2])
    return {
        "vars": [[v.name, v.shape.as_list()] for v in g.get_collection("variables")],
        # lr's name is left out: TF's is lr/indexed_case/Identity (a StatelessCase op),
        # scopeflow's lr/cond/Merge (a chain of tf.cond, documented in ops/control/case.py)
        "names": [difficulty.name, loss.name, train.name],
        "schedules": table,
        "trace": trace,
        "weights": [wv[0].ravel().tolist(), wv[1].ravel().tolist()],
    }


EXPECTED = {
    "vars": [
        ["global_step:0", []],
        ["dense_part/w:0", [3, 1]],
        ["linear_part/w:0", [3, 1]],
        ["beta1_power:0", []],
        ["beta2_power:0", []],
        ["dense_part/w/Adam:0", [3, 1]],
        ["dense_part/w/Adam_1:0", [3, 1]],
        ["linear_part/w/Ftrl:0", [3, 1]],
        ["linear_part/w/Ftrl_1:0", [3, 1]],
    ],
    "names": ["difficulty/cond/Merge:0", "Mean:0", "train"],
    "schedules": [
        [
            0.10000000149011612,
            0.08535534143447876,
            0.014644661918282509,
            0.05000000074505806,
            0.04809698835015297,
            0.03456708416342735,
            0.015432911925017834,
            0.02500000037252903,
        ],
        [
            0.10010000318288803,
            0.08150576800107956,
            0.024284403771162033,
            0.005829488392919302,
            0.00010000000474974513,
            0.010464745573699474,
            0.009145086631178856,
            0.00010000000474974513,
        ],
        [
            0.003185440320521593,
            0.1994144469499588,
            -0.03081021085381508,
            0.01682809740304947,
            -0.018998419865965843,
            0.008331558667123318,
            0.001745537854731083,
            0.00010000000474974513,
        ],
        [
            0.10000000149011612,
            0.10000000149011612,
            0.06666667014360428,
            0.05000000074505806,
            0.05000000074505806,
            0.03999999910593033,
            0.03333333507180214,
            0.02500000037252903,
        ],
        [
            0.10000000149011612,
            0.09048374742269516,
            0.07408182322978973,
            0.06703200191259384,
            0.06065306067466736,
            0.04965852573513985,
            0.04065696522593498,
            0.03011941909790039,
        ],
        [
            0.10000000149011612,
            0.06062500178813934,
            0.015625,
            0.009999999776482582,
            0.02265625074505806,
            0.011406250298023224,
            0.015625,
            0.009999999776482582,
        ],
    ],
    "trace": [
        [6.769791603088379, 0.5, 0.10000000149011612],
        [2.7971110343933105, 0.5, 0.08150576800107956],
        [0.9136459827423096, 0.5, 0.1167195662856102],
        [0.4428465962409973, 1.0, 0.06666667014360428],
        [0.3289916515350342, 1.0, 0.06703200191259384],
        [0.1682184934616089, 1.0, 0.02265625074505806],
        [2.8277454376220703, 2.0, 0.04267767071723938],
        [0.17899557948112488, 2.0, 0.010464745573699474],
    ],
    "weights": [
        [-0.2839615046977997, -0.4792005121707916, -0.3534524738788605],
        [0.6956110596656799, -0.278160959482193, 0.45902904868125916],
    ],
}


def test_lr_schedules_curriculum_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
