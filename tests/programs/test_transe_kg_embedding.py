"""A TransE knowledge-graph embedding model as OpenKE-style TF1 code built it: entity and
relation tables initialised uniformly in +-6/sqrt(k),
relations l2-normalised once by an assign, entities renormalised before each batch, positive
and corrupted triples fed as index columns, L1 distances, a margin ranking loss
(tf.maximum(pos - neg + margin, 0)), SGD whose embedding gradients are IndexedSlices; then
link prediction: distances from (head, relation) to every entity, tf.nn.top_k and the rank of
the true tail by comparison counts.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    rng = np.random.RandomState(33)
    n_ent, n_rel, k, margin = 7, 3, 4, 1.0
    triples = np.array([[0, 1, 0], [1, 2, 1], [2, 3, 2], [3, 4, 0], [4, 5, 1], [5, 6, 2]])
    corrupt = triples.copy()
    corrupt[::2, 1] = rng.randint(0, n_ent, 3)
    corrupt[1::2, 0] = rng.randint(0, n_ent, 3)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(5)
        pos_h = tf.placeholder(tf.int32, [None], name="pos_h")
        pos_t = tf.placeholder(tf.int32, [None], name="pos_t")
        pos_r = tf.placeholder(tf.int32, [None], name="pos_r")
        neg_h = tf.placeholder(tf.int32, [None], name="neg_h")
        neg_t = tf.placeholder(tf.int32, [None], name="neg_t")
        neg_r = tf.placeholder(tf.int32, [None], name="neg_r")
        bound = 6.0 / np.sqrt(k)
        with tf.name_scope("embedding"):
            ent = tf.get_variable(
                "ent_embeddings",
                [n_ent, k],
                initializer=tf.random_uniform_initializer(-bound, bound),
            )
            rel = tf.get_variable(
                "rel_embeddings",
                [n_rel, k],
                initializer=tf.random_uniform_initializer(-bound, bound),
            )
        normalize_rel = tf.assign(rel, tf.nn.l2_normalize(rel, axis=1))
        normalize_ent = tf.assign(ent, tf.nn.l2_normalize(ent, axis=1))

        def distance(h, t, r):
            return tf.reduce_sum(
                tf.abs(
                    tf.nn.embedding_lookup(ent, h)
                    + tf.nn.embedding_lookup(rel, r)
                    - tf.nn.embedding_lookup(ent, t)
                ),
                1,
            )

        with tf.name_scope("output"):
            pos = distance(pos_h, pos_t, pos_r)
            neg = distance(neg_h, neg_t, neg_r)
            loss = tf.reduce_sum(tf.maximum(pos - neg + margin, 0), name="loss")
        opt = tf.train.GradientDescentOptimizer(0.05)
        grads_and_vars = opt.compute_gradients(loss)
        step = tf.train.create_global_step()
        train_op = opt.apply_gradients(grads_and_vars, global_step=step)
        with tf.name_scope("predict"):
            head = tf.placeholder(tf.int32, [], name="head")
            relation = tf.placeholder(tf.int32, [], name="relation")
            tail = tf.placeholder(tf.int32, [], name="tail")
            query = tf.nn.embedding_lookup(ent, head) + tf.nn.embedding_lookup(rel, relation)
            scores = tf.reduce_sum(tf.abs(query - ent), 1)
            _, best = tf.nn.top_k(-scores, k=3)
            rank = tf.reduce_sum(tf.cast(tf.less(scores, scores[tail]), tf.int32)) + 1
        feed = {
            pos_h: triples[:, 0],
            pos_t: triples[:, 1],
            pos_r: triples[:, 2],
            neg_h: corrupt[:, 0],
            neg_t: corrupt[:, 1],
            neg_r: corrupt[:, 2],
        }
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(normalize_rel)
            losses = []
            for _ in range(4):
                sess.run(normalize_ent)
                lv, _ = sess.run([loss, train_op], feed)
                losses.append(float(lv))
            ranks, tops = [], []
            for h, t, r in triples[:3]:
                rk, top = sess.run([rank, best], {head: h, relation: r, tail: t})
                ranks.append(int(rk))
                tops.append(top.tolist())
            ent_v = sess.run(ent)
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
            "grad_types": [type(gr).__name__ for gr, _ in grads_and_vars],
            "names": [loss.name, pos.name, train_op.name, scores.name, best.name, rank.name],
            "losses": losses,
            "ranks": ranks,
            "top3": tops,
            "entity_0": ent_v[0].tolist(),
        }


EXPECTED = {
    "vars": [["ent_embeddings:0", [7, 4]], ["rel_embeddings:0", [3, 4]], ["global_step:0", []]],
    "grad_types": ["IndexedSlices", "IndexedSlices"],
    "names": [
        "output/loss:0",
        "output/Sum:0",
        "GradientDescent",
        "predict/Sum:0",
        "predict/TopKV2:1",
        "predict/add_2:0",
    ],
    "losses": [7.669926166534424, 5.962595462799072, 4.1043853759765625, 2.9002866744995117],
    "ranks": [4, 1, 3],
    "top3": [[0, 3, 5], [2, 1, 4], [1, 2, 3]],
    "entity_0": [
        -0.8085702061653137,
        0.3337414562702179,
        0.4844081699848175,
        -0.013402249664068222,
    ],
}


def test_transe_kg_embedding_matches_tensorflow():
    close(program(tf), EXPECTED)
