"""Metric learning with a batch-hard triplet loss, as face/re-identification models trained it
in TF1: an embedding network, l2-normalized embeddings, a pairwise distance matrix from
matmul and the diagonal, masks of same/different labels built with tf.equal, tf.logical_and
and tf.eye, the hardest positive and hardest negative per anchor (the negatives' masked
maximum trick), a softplus margin, MomentumOptimizer with Nesterov and an L2 weight decay
from the layers' regularizer functions, and recall@1 from tf.nn.top_k over the similarity matrix.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    rng = np.random.RandomState(2)
    n_cls, per, dim = 4, 4, 6
    protos = rng.randn(n_cls, dim).astype(np.float32) * 2.0
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(5)
        x = tf.placeholder(tf.float32, [None, dim], name="x")
        labels = tf.placeholder(tf.int32, [None], name="labels")

        def reg(w):
            return 1e-3 * tf.nn.l2_loss(w)

        with tf.variable_scope("embed"):
            h = tf.layers.dense(x, 16, tf.nn.relu, kernel_regularizer=reg, name="fc1")
            e = tf.layers.dense(h, 8, kernel_regularizer=reg, name="fc2")
            emb = tf.nn.l2_normalize(e, axis=1, name="emb")
        with tf.name_scope("pairwise"):
            dot = tf.matmul(emb, emb, transpose_b=True)
            sq = tf.diag_part(dot)
            d2 = tf.expand_dims(sq, 0) - 2.0 * dot + tf.expand_dims(sq, 1)
            d2 = tf.maximum(d2, 0.0)
            zero = tf.cast(tf.equal(d2, 0.0), tf.float32)
            dist = tf.sqrt(d2 + zero * 1e-16) * (1.0 - zero)
        with tf.name_scope("masks"):
            same = tf.equal(tf.expand_dims(labels, 0), tf.expand_dims(labels, 1))
            not_self = tf.logical_not(tf.cast(tf.eye(tf.shape(labels)[0]), tf.bool))
            pos_mask = tf.to_float(tf.logical_and(same, not_self))
            neg_mask = tf.to_float(tf.logical_not(same))
        with tf.name_scope("triplet"):
            hardest_pos = tf.reduce_max(pos_mask * dist, axis=1, keepdims=True)
            max_d = tf.reduce_max(dist, axis=1, keepdims=True)
            hardest_neg = tf.reduce_min(dist + max_d * (1.0 - neg_mask), axis=1, keepdims=True)
            tl = tf.nn.softplus(hardest_pos - hardest_neg + 0.2)
            trip = tf.reduce_mean(tl, name="loss")
            frac = tf.reduce_mean(tf.to_float(tf.greater(hardest_pos, hardest_neg)))
        reg_loss = tf.losses.get_regularization_loss()
        total = tf.add(trip, reg_loss, name="total")
        step = tf.train.get_or_create_global_step()
        opt = tf.train.MomentumOptimizer(0.1, 0.9, use_nesterov=True)
        train = opt.minimize(total, global_step=step)
        with tf.name_scope("recall"):
            sim = tf.matmul(emb, emb, transpose_b=True) - 2.0 * tf.eye(tf.shape(emb)[0])
            _, nn_idx = tf.nn.top_k(sim, k=1)
            nn_lab = tf.gather(labels, nn_idx[:, 0])
            recall = tf.reduce_mean(tf.to_float(tf.equal(nn_lab, labels)))
        lab = np.repeat(np.arange(n_cls), per).astype(np.int32)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            trace = []
            for _ in range(15):
                xb = protos[lab] + rng.randn(n_cls * per, dim).astype(np.float32)
                out = sess.run([trip, reg_loss, frac, recall, train], {x: xb, labels: lab})
                trace.append([float(v) for v in out[:4]])
            xb = protos[lab] + rng.randn(n_cls * per, dim).astype(np.float32) * 0.5
            dv, rv = sess.run([dist, recall], {x: xb, labels: lab})
    return {
        "vars": [[v.name, v.shape.as_list()] for v in g.get_collection("variables")],
        "reg": [t.name for t in g.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)],
        "names": [
            emb.name,
            dist.name,
            pos_mask.name,
            trip.name,
            reg_loss.name,
            total.name,
            train.name,
            nn_idx.name,
            recall.name,
        ],
        "trace": trace,
        "dist_row": dv[0].tolist(),
        "recall": float(rv),
    }


EXPECTED = {
    "vars": [
        ["embed/fc1/kernel:0", [6, 16]],
        ["embed/fc1/bias:0", [16]],
        ["embed/fc2/kernel:0", [16, 8]],
        ["embed/fc2/bias:0", [8]],
        ["global_step:0", []],
        ["embed/fc1/kernel/Momentum:0", [6, 16]],
        ["embed/fc1/bias/Momentum:0", [16]],
        ["embed/fc2/kernel/Momentum:0", [16, 8]],
        ["embed/fc2/bias/Momentum:0", [8]],
    ],
    "reg": ["embed/fc1/kernel/Regularizer/mul:0", "embed/fc2/kernel/Regularizer/mul:0"],
    "names": [
        "embed/emb:0",
        "pairwise/mul_2:0",
        "masks/ToFloat:0",
        "triplet/loss:0",
        "total_regularization_loss:0",
        "total:0",
        "Momentum",
        "recall/TopKV2:1",
        "recall/Mean:0",
    ],
    "trace": [
        [0.8584460616111755, 0.009023075923323631, 0.625, 0.875],
        [0.8073438405990601, 0.00902805756777525, 0.5625, 0.6875],
        [0.6246441602706909, 0.009036310017108917, 0.0625, 1.0],
        [0.8116545081138611, 0.009051641449332237, 0.5625, 0.8125],
        [0.8256268501281738, 0.009078757837414742, 0.625, 0.875],
        [0.721975564956665, 0.009118631482124329, 0.25, 1.0],
        [0.7741037607192993, 0.009173593483865261, 0.5, 0.9375],
        [0.6243085861206055, 0.009242305532097816, 0.125, 0.9375],
        [0.6566112041473389, 0.009320071898400784, 0.125, 1.0],
        [0.5541964769363403, 0.009410055354237556, 0.0, 1.0],
        [0.5827466249465942, 0.00950864888727665, 0.0625, 1.0],
        [0.55290687084198, 0.009609123691916466, 0.0, 1.0],
        [0.5673612356185913, 0.009714687243103981, 0.25, 1.0],
        [0.6196224093437195, 0.00982657354325056, 0.25, 1.0],
        [0.5730878710746765, 0.00993824377655983, 0.25, 0.9375],
    ],
    "dist_row": [
        0.0,
        0.0806577205657959,
        0.06262290477752686,
        0.06403981149196625,
        1.6964797973632812,
        1.699483871459961,
        1.688285231590271,
        1.6940767765045166,
        1.6765681505203247,
        1.6339713335037231,
        1.6581437587738037,
        1.636644721031189,
        1.7125600576400757,
        1.688926339149475,
        1.6758726835250854,
        1.6620360612869263,
    ],
    "recall": 1.0,
}


def test_triplet_embedding_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
