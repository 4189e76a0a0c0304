"""A siamese network (two towers sharing variables by reuse, l2_normalize, tf.norm, a contrastive
loss, a kernel regularizer) with capsule-style dynamic routing (einsum predictions, squash,
agreement updates, capsule lengths), trained with Adagrad.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    rng = np.random.RandomState(6)
    a = rng.rand(6, 10).astype(np.float32)
    b = rng.rand(6, 10).astype(np.float32)
    same = np.array([1, 0, 1, 0, 0, 1], np.float32)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(17)
        left = tf.placeholder(tf.float32, [None, 10], name="left")
        right = tf.placeholder(tf.float32, [None, 10], name="right")
        y = tf.placeholder(tf.float32, [None], name="same")

        def tower(x, reuse):
            with tf.variable_scope("siamese", reuse=reuse):
                h = tf.layers.dense(
                    x,
                    12,
                    activation=tf.nn.tanh,
                    name="fc1",
                    kernel_regularizer=lambda w: tf.multiply(1e-3, tf.nn.l2_loss(w), name="l2"),
                )
                return tf.nn.l2_normalize(tf.layers.dense(h, 4, name="embed"), axis=1)

        ea = tower(left, False)
        eb = tower(right, True)
        d = tf.norm(ea - eb, axis=1, name="distance")
        d_ord1 = tf.norm(ea - eb, ord=1, axis=-1)
        margin = 0.5
        contrastive = tf.reduce_mean(
            y * tf.square(d) + (1 - y) * tf.square(tf.maximum(margin - d, 0))
        )
        reg = tf.losses.get_regularization_loss()
        total = contrastive + reg
        # capsule-style routing bits: einsum predictions, squash, agreement
        W = tf.get_variable("caps_W", [4, 3, 2, 5])  # in_caps, out_caps, in_dim... uses ea pairs
        u = tf.reshape(tf.concat([ea, eb], 1), [-1, 4, 2])
        u_hat = tf.einsum("bid,iodk->biok", u, W)
        logits_b = tf.zeros([tf.shape(u)[0], 4, 3])
        for _ in range(2):
            c = tf.nn.softmax(logits_b, axis=2)
            s = tf.einsum("bio,biok->bok", c, u_hat)
            sq = tf.reduce_sum(tf.square(s), -1, keepdims=True)
            v = sq / (1 + sq) * s / tf.sqrt(sq + 1e-9)
            logits_b = logits_b + tf.einsum("biok,bok->bio", u_hat, v)
        lengths = tf.norm(v, axis=-1)
        caps_loss = tf.reduce_mean(tf.square(tf.nn.relu(0.9 - lengths)))
        loss = total + 0.1 * caps_loss
        train = tf.train.AdagradOptimizer(0.3).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            losses = []
            for _ in range(5):
                _, lv, cv, rv = sess.run(
                    [train, loss, contrastive, reg], {left: a, right: b, y: same}
                )
                losses.append([float(lv), float(cv), float(rv)])
            dv, d1, lv = sess.run([d, d_ord1, lengths], {left: a, right: b})
    return {
        "vars": [[v.name, v.shape.as_list()] for v in g.get_collection("variables")],
        "reg": [t.name for t in g.get_collection("regularization_losses")],
        "names": [
            ea.name,
            eb.name,
            d.name,
            d_ord1.name,
            contrastive.name,
            reg.name,
            u_hat.name,
            s.name,
            lengths.name,
        ],
        "losses": losses,
        "d": [float(x) for x in dv],
        "d1": [float(x) for x in d1],
        "len": [round(float(x), 5) for x in lv.ravel()],
    }


EXPECTED = {
    "vars": [
        ["siamese/fc1/kernel:0", [10, 12]],
        ["siamese/fc1/bias:0", [12]],
        ["siamese/embed/kernel:0", [12, 4]],
        ["siamese/embed/bias:0", [4]],
        ["caps_W:0", [4, 3, 2, 5]],
        ["siamese/fc1/kernel/Adagrad:0", [10, 12]],
        ["siamese/fc1/bias/Adagrad:0", [12]],
        ["siamese/embed/kernel/Adagrad:0", [12, 4]],
        ["siamese/embed/bias/Adagrad:0", [4]],
        ["caps_W/Adagrad:0", [4, 3, 2, 5]],
    ],
    "reg": ["siamese/fc1/kernel/Regularizer/l2:0"],
    "names": [
        "siamese/l2_normalize:0",
        "siamese_1/l2_normalize:0",
        "distance/Squeeze:0",
        "norm/Squeeze:0",
        "Mean:0",
        "total_regularization_loss:0",
        "einsum/Einsum:0",
        "einsum_3/Einsum:0",
        "norm_1/Squeeze:0",
    ],
    "losses": [
        [0.24897858500480652, 0.16684813797473907, 0.005572513211518526],
        [0.15661047399044037, 0.07482994347810745, 0.005659103859215975],
        [0.14080676436424255, 0.0593278743326664, 0.00565324816852808],
        [0.12594804167747498, 0.04477904736995697, 0.005646379664540291],
        [0.11354883015155792, 0.032689064741134644, 0.005637969821691513],
    ],
    "d": [
        0.14672411978244781,
        0.448086142539978,
        0.08470921963453293,
        0.1949615627527237,
        0.42451244592666626,
        0.11381172388792038,
    ],
    "d1": [
        0.23010461032390594,
        0.7918840646743774,
        0.14050035178661346,
        0.2823101878166199,
        0.8141065835952759,
        0.18956829607486725,
    ],
    "len": [
        0.0459,
        0.03362,
        0.01699,
        0.05535,
        0.04086,
        0.01859,
        0.05941,
        0.03751,
        0.02139,
        0.05196,
        0.03216,
        0.01741,
        0.04113,
        0.03553,
        0.0156,
        0.04608,
        0.03384,
        0.01746,
    ],
}


def test_siamese_capsule_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
