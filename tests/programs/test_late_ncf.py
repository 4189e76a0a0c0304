"""Neural Collaborative Filtering (NeuMF: GMF and MLP towers) runs unchanged: a tf.data
pipeline from_tensor_slices of a feature dict with a seeded shuffle, batch and repeat read by
a one-shot iterator, per-tower user/item embedding tables under nested variable_scopes, an
elementwise GMF product beside tf.layers.dense MLP layers, a fused predict layer,
sigmoid_cross_entropy_with_logits under Adam, then every item scored for one user through
the towers rebuilt with reuse=True and ranked by tf.nn.top_k (hit-ratio style).

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled): trainable variable names and shapes,
the shuffled user batches, six losses, the top-3 scores and items, the global step and a
trained kernel row.
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    rng = np.random.RandomState(4242)
    n_users, n_items, n = 6, 8, 24
    users = rng.randint(0, n_users, n).astype(np.int32)
    items = rng.randint(0, n_items, n).astype(np.int32)
    labels = (rng.rand(n) > 0.5).astype(np.float32)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(77)
        ds = tf.data.Dataset.from_tensor_slices(
            {"user": users, "item": items, "label": labels})
        ds = ds.shuffle(24, seed=5).batch(8).repeat()
        it = ds.make_one_shot_iterator()
        feats = it.get_next()
        u, i, y = feats["user"], feats["item"], feats["label"]

        def towers(u, i, reuse):
            with tf.variable_scope("ncf", reuse=reuse):
                with tf.variable_scope("gmf"):
                    ue = tf.get_variable("user_emb", [n_users, 4],
                                         initializer=tf.random_normal_initializer(stddev=0.1))
                    ie = tf.get_variable("item_emb", [n_items, 4],
                                         initializer=tf.random_normal_initializer(stddev=0.1))
                    gmf = tf.nn.embedding_lookup(ue, u) * tf.nn.embedding_lookup(ie, i)
                with tf.variable_scope("mlp"):
                    mu = tf.get_variable("user_emb", [n_users, 6])
                    mi = tf.get_variable("item_emb", [n_items, 6])
                    h = tf.concat([tf.nn.embedding_lookup(mu, u),
                                   tf.nn.embedding_lookup(mi, i)], axis=1)
                    h = tf.layers.dense(h, 8, activation=tf.nn.relu, name="layer1")
                    h = tf.layers.dense(h, 4, activation=tf.nn.relu, name="layer2")
                logits = tf.layers.dense(tf.concat([gmf, h], 1), 1, name="predict")
                return tf.squeeze(logits, 1)

        logits = towers(u, i, False)
        loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=logits))
        step = tf.train.get_or_create_global_step()
        train = tf.train.AdamOptimizer(0.05).minimize(loss, global_step=step)
        # scoring every item for user 3, as NCF's hit-ratio evaluation does
        all_items = tf.range(n_items)
        scores = tf.sigmoid(towers(tf.fill([n_items], 3), all_items, True))
        top_v, top_i = tf.nn.top_k(scores, k=3)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            batches, losses = [], []
            for _ in range(6):
                b, lv, _ = sess.run([u, loss, train])
                batches.append(b.tolist())
                losses.append(float(lv))
            tv, ti, st = sess.run([top_v, top_i, step])
            l1 = sess.run(tf.trainable_variables()[4])
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.trainable_variables()],
            "names": [logits.name, loss.name, scores.name, train.name],
            "batches": batches,
            "losses": losses,
            "top_values": tv.tolist(),
            "top_items": ti.tolist(),
            "step": int(st),
            "layer1_row0": l1[0].tolist(),
        }


EXPECTED = {'vars': [['ncf/gmf/user_emb:0', [6, 4]],
          ['ncf/gmf/item_emb:0', [8, 4]],
          ['ncf/mlp/user_emb:0', [6, 6]],
          ['ncf/mlp/item_emb:0', [8, 6]],
          ['ncf/mlp/layer1/kernel:0', [12, 8]],
          ['ncf/mlp/layer1/bias:0', [8]],
          ['ncf/mlp/layer2/kernel:0', [8, 4]],
          ['ncf/mlp/layer2/bias:0', [4]],
          ['ncf/predict/kernel:0', [8, 1]],
          ['ncf/predict/bias:0', [1]]],
 'names': ['ncf/Squeeze:0', 'Mean:0', 'Sigmoid:0', 'Adam'],
 'batches': [[1, 3, 5, 0, 3, 5, 4, 0],
             [3, 5, 0, 0, 2, 2, 5, 2],
             [4, 4, 1, 1, 3, 3, 0, 5],
             [5, 1, 0, 0, 5, 3, 5, 4],
             [0, 3, 2, 1, 2, 4, 5, 4],
             [0, 0, 3, 1, 2, 3, 5, 3]],
 'losses': [0.7013819217681885,
            0.6666280627250671,
            0.6859034895896912,
            0.7177024483680725,
            0.5645614862442017,
            0.645598292350769],
 'top_values': [0.7006159424781799, 0.688569188117981, 0.671137273311615],
 'top_items': [4, 7, 1],
 'step': 6,
 'layer1_row0': [-0.3124660849571228,
                 0.23493079841136932,
                 0.07741689682006836,
                 0.021082108840346336,
                 -0.6722518801689148,
                 -0.26448678970336914,
                 0.39229434728622437,
                 -0.6765434741973877]}


def test_program_matches_tf():
    close(program(tf), EXPECTED)
