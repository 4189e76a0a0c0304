"""A multi-task model with one head per kind of target, as TF1 production models combined them:
a shared trunk; an imbalanced binary head with tf.nn.weighted_cross_entropy_with_logits; a count
head with tf.nn.log_poisson_loss; a margin head with tf.losses.hinge_loss; an embedding head
with tf.losses.cosine_distance; losses weighted into one total with tf.losses.get_total_loss;
Adam; and streaming evaluation with tf.metrics (sensitivity_at_specificity,
specificity_at_sensitivity, false_negatives_at_thresholds, mean_cosine_distance,
mean_relative_error, mean_tensor) over several batches, reset with the local variables.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    rng = np.random.RandomState(24)
    n, d = 32, 6
    xs = rng.randn(n, d).astype(np.float32)
    bin_y = (xs[:, 0] + 0.3 * rng.randn(n) > 1.0).astype(np.float32)[:, None]
    count_y = rng.poisson(np.exp(0.5 * xs[:, 1:2])).astype(np.float32)
    margin_y = (xs[:, 2:3] > 0).astype(np.float32)
    dir_y = xs[:, 3:6] / np.linalg.norm(xs[:, 3:6], axis=1, keepdims=True)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(59)
        x = tf.placeholder(tf.float32, [None, d], name="x")
        yb = tf.placeholder(tf.float32, [None, 1], name="binary")
        yc = tf.placeholder(tf.float32, [None, 1], name="count")
        ym = tf.placeholder(tf.float32, [None, 1], name="margin")
        yd = tf.placeholder(tf.float32, [None, 3], name="direction")
        trunk = tf.layers.dense(x, 16, tf.nn.relu, name="trunk")
        logit_b = tf.layers.dense(trunk, 1, name="binary_head")
        log_rate = tf.layers.dense(trunk, 1, name="count_head")
        score_m = tf.layers.dense(trunk, 1, name="margin_head")
        direction = tf.nn.l2_normalize(tf.layers.dense(trunk, 3, name="dir_head"), axis=1)
        with tf.name_scope("losses"):
            wce = tf.reduce_mean(
                tf.nn.weighted_cross_entropy_with_logits(labels=yb, logits=logit_b, pos_weight=4.0)
            )
            tf.losses.add_loss(wce)
            poisson = tf.reduce_mean(tf.nn.log_poisson_loss(yc, log_rate, compute_full_loss=True))
            tf.losses.add_loss(0.5 * poisson)
            hinge = tf.losses.hinge_loss(ym, score_m, weights=0.3)
            cos = tf.losses.cosine_distance(yd, direction, axis=1, weights=2.0)
            total = tf.losses.get_total_loss(add_regularization_losses=False, name="total")
        train = tf.train.AdamOptimizer(0.05).minimize(total)
        prob = tf.sigmoid(logit_b)
        with tf.name_scope("metrics"):
            sens, sens_up = tf.metrics.sensitivity_at_specificity(yb, prob, 0.8, num_thresholds=50)
            spec, spec_up = tf.metrics.specificity_at_sensitivity(yb, prob, 0.5, num_thresholds=50)
            fn, fn_up = tf.metrics.false_negatives_at_thresholds(yb, prob, [0.3, 0.5, 0.7])
            mcd, mcd_up = tf.metrics.mean_cosine_distance(yd, direction, dim=1)
            mre, mre_up = tf.metrics.mean_relative_error(
                yc + 1.0, tf.exp(log_rate) + 1.0, normalizer=yc + 1.0
            )
            mt, mt_up = tf.metrics.mean_tensor(tf.reduce_mean(direction, 0))
            updates = tf.group(sens_up, spec_up, fn_up, mcd_up, mre_up, mt_up)
        reset = tf.variables_initializer(tf.local_variables())

        def feed(ix):
            return {x: xs[ix], yb: bin_y[ix], yc: count_y[ix], ym: margin_y[ix], yd: dir_y[ix]}

        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            trace = []
            for _ in range(15):
                ix = rng.choice(n, 16, replace=False)
                out = sess.run([wce, poisson, hinge, cos, total, train], feed(ix))
                trace.append([float(v) for v in out[:5]])
            evals = []
            for _ in range(2):
                sess.run(reset)
                for ix in np.split(np.arange(n), 4):
                    sess.run(updates, feed(ix))
                vals = sess.run([sens, spec, fn, mcd, mre, mt])
                evals.append(
                    [
                        float(vals[0]),
                        float(vals[1]),
                        vals[2].tolist(),
                        float(vals[3]),
                        float(vals[4]),
                        vals[5].tolist(),
                    ]
                )
                sess.run(train, feed(np.arange(16)))
    return {
        "losses": [t.name for t in g.get_collection(tf.GraphKeys.LOSSES)],
        "local": [[v.name, v.shape.as_list()] for v in g.get_collection("local_variables")],
        "names": [
            wce.name,
            poisson.name,
            hinge.name,
            cos.name,
            total.name,
            sens.name,
            spec.name,
            fn.name,
            mcd.name,
            mre.name,
            mt.name,
        ],
        "trace": trace,
        "evals": evals,
    }


EXPECTED = {
    "losses": [
        "losses/Mean:0",
        "losses/mul:0",
        "losses/hinge_loss/value:0",
        "losses/cosine_distance_loss/value:0",
    ],
    "local": [
        ["metrics/sensitivity_at_specificity/true_positives:0", [50]],
        ["metrics/sensitivity_at_specificity/false_negatives:0", [50]],
        ["metrics/sensitivity_at_specificity/true_negatives:0", [50]],
        ["metrics/sensitivity_at_specificity/false_positives:0", [50]],
        ["metrics/specificity_at_sensitivity/true_positives:0", [50]],
        ["metrics/specificity_at_sensitivity/false_negatives:0", [50]],
        ["metrics/specificity_at_sensitivity/true_negatives:0", [50]],
        ["metrics/specificity_at_sensitivity/false_positives:0", [50]],
        ["metrics/false_negatives/false_negatives:0", [3]],
        ["metrics/mean_cosine_distance/total:0", []],
        ["metrics/mean_cosine_distance/count:0", []],
        ["metrics/mean_relative_error/total:0", []],
        ["metrics/mean_relative_error/count:0", []],
        ["metrics/mean_1/total_tensor:0", [3]],
        ["metrics/mean_1/count_tensor:0", [3]],
    ],
    "names": [
        "losses/Mean:0",
        "losses/Mean_1:0",
        "losses/hinge_loss/value:0",
        "losses/cosine_distance_loss/value:0",
        "losses/total:0",
        "metrics/sensitivity_at_specificity/value:0",
        "metrics/specificity_at_sensitivity/value:0",
        "metrics/false_negatives/Identity:0",
        "metrics/Sub:0",
        "metrics/mean_relative_error/value:0",
        "metrics/mean_1/value:0",
    ],
    "trace": [
        [
            0.7028743624687195,
            1.5892713069915771,
            0.3281574249267578,
            2.4380955696105957,
            4.263762950897217,
        ],
        [
            1.0281158685684204,
            1.1525685787200928,
            0.3349737524986267,
            1.8898695707321167,
            3.8292436599731445,
        ],
        [
            1.0062719583511353,
            1.501783847808838,
            0.27556660771369934,
            0.8376806378364563,
            2.870410919189453,
        ],
        [
            0.7949051856994629,
            1.0209219455718994,
            0.2570400834083557,
            0.7719749212265015,
            2.334381103515625,
        ],
        [
            0.3984200656414032,
            1.2258927822113037,
            0.1905357986688614,
            0.7623361349105835,
            1.9642384052276611,
        ],
        [
            0.5371351838111877,
            1.2769436836242676,
            0.1613955795764923,
            0.6226904392242432,
            1.9596929550170898,
        ],
        [
            0.624314546585083,
            1.17316472530365,
            0.1514715850353241,
            0.6546533107757568,
            2.017021894454956,
        ],
        [
            0.21636807918548584,
            1.3610725402832031,
            0.14432919025421143,
            0.5296329259872437,
            1.5708664655685425,
        ],
        [
            0.5674294233322144,
            1.1616005897521973,
            0.12236493080854416,
            0.19629664719104767,
            1.4668912887573242,
        ],
        [
            0.14531831443309784,
            1.274366855621338,
            0.13283517956733704,
            0.31067416071891785,
            1.226011037826538,
        ],
        [
            0.6438037157058716,
            1.071031928062439,
            0.0731874629855156,
            0.40215688943862915,
            1.6546640396118164,
        ],
        [
            0.13502421975135803,
            1.4051233530044556,
            0.05865105986595154,
            0.3128155469894409,
            1.209052562713623,
        ],
        [
            0.16611248254776,
            1.4096777439117432,
            0.08456629514694214,
            0.2678459882736206,
            1.2233636379241943,
        ],
        [
            0.5299978852272034,
            1.160395860671997,
            0.11689870059490204,
            0.2602720856666565,
            1.4873666763305664,
        ],
        [
            0.3400565981864929,
            1.1762042045593262,
            0.059992048889398575,
            0.23064538836479187,
            1.2187962532043457,
        ],
    ],
    "evals": [
        [
            1.0,
            1.0,
            [0.0, 0.0, 3.0],
            0.12731266021728516,
            0.37056002020835876,
            [0.058850765228271484, 0.277874618768692, 0.0996154248714447],
        ],
        [
            1.0,
            1.0,
            [0.0, 0.0, 2.0],
            0.12433803081512451,
            0.3771504759788513,
            [0.06352250277996063, 0.28508031368255615, 0.1109231561422348],
        ],
    ],
}


def test_multitask_heads_match_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
