"""A matrix-factorisation recommender over partitioned variables (fixed_size_partitioner and
min_max_variable_partitioner under variable scopes), embedding_lookup with div and mod
partition strategies, Ftrl, a sharded Saver, and import_meta_graph with an import_scope.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import os

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    rng = np.random.RandomState(44)
    users = rng.randint(0, 10, 12).astype(np.int64)
    items = rng.randint(0, 14, 12).astype(np.int64)
    ratings = rng.rand(12).astype(np.float32) * 5
    path = os.path.join(str(workdir), "rec.ckpt")
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(5)
        u = tf.placeholder(tf.int64, [None], name="user")
        i = tf.placeholder(tf.int64, [None], name="item")
        r = tf.placeholder(tf.float32, [None], name="rating")
        with tf.variable_scope("embeddings", partitioner=tf.fixed_size_partitioner(3)):
            ue = tf.get_variable(
                "users", [10, 4], initializer=tf.truncated_normal_initializer(stddev=0.1)
            )
            ie = tf.get_variable("items", [14, 4])
        with tf.variable_scope(
            "bias", partitioner=tf.min_max_variable_partitioner(max_partitions=2, min_slice_size=8)
        ):
            ib = tf.get_variable("item_bias", [14], initializer=tf.zeros_initializer())
        uv = tf.nn.embedding_lookup(ue, u, partition_strategy="div", name="user_vec")
        iv = tf.nn.embedding_lookup(ie, i, partition_strategy="mod", name="item_vec")
        bv = tf.nn.embedding_lookup(ib, i, partition_strategy="div")
        pred = tf.reduce_sum(uv * iv, 1) + bv + 2.5
        loss = tf.losses.mean_squared_error(r, pred) + 1e-3 * tf.nn.l2_loss(uv)
        train = tf.train.FtrlOptimizer(0.3, l2_regularization_strength=0.01).minimize(loss)
        saver = tf.train.Saver(sharded=True, max_to_keep=1)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            losses = []
            for _ in range(4):
                _, lv = sess.run([train, loss], {u: users, i: items, r: ratings})
                losses.append(float(lv))
            saved = saver.save(sess, path)
            ref = sess.run(pred, {u: users[:4], i: items[:4]})
            full = sess.run(ue.as_tensor())
        parts = [
            [v.name, v.shape.as_list(), v._save_slice_info.full_name, v._save_slice_info.var_offset]
            for v in g.get_collection("variables")
            if v._save_slice_info is not None
        ]
        reader = tf.train.NewCheckpointReader(saved)
        ckpt = sorted([k, v] for k, v in reader.get_variable_to_shape_map().items())
    g2 = tf.Graph()
    with g2.as_default():
        restorer = tf.train.import_meta_graph(saved + ".meta", import_scope="served")
        with tf.Session() as sess:
            restorer.restore(sess, saved)
            got = sess.run(
                "served/" + pred.name, {"served/user:0": users[:4], "served/item:0": items[:4]}
            )
    return {
        "parts": parts,
        "ckpt": ckpt,
        "saved": os.path.basename(saved),
        "names": [uv.name, iv.name, bv.name, pred.name, loss.name, train.name],
        "losses": losses,
        "ref": [float(v) for v in ref],
        "same": bool(np.allclose(ref, got)),
        "full": [round(float(v), 5) for v in full[:3].ravel()],
    }


EXPECTED = {
    "parts": [
        ["embeddings/users/part_0:0", [4, 4], "embeddings/users", [0, 0]],
        ["embeddings/users/part_1:0", [3, 4], "embeddings/users", [4, 0]],
        ["embeddings/users/part_2:0", [3, 4], "embeddings/users", [7, 0]],
        ["embeddings/items/part_0:0", [5, 4], "embeddings/items", [0, 0]],
        ["embeddings/items/part_1:0", [5, 4], "embeddings/items", [5, 0]],
        ["embeddings/items/part_2:0", [4, 4], "embeddings/items", [10, 0]],
        ["bias/item_bias/part_0:0", [7], "bias/item_bias", [0]],
        ["bias/item_bias/part_1:0", [7], "bias/item_bias", [7]],
        ["embeddings/users/part_0/Ftrl:0", [4, 4], "embeddings/users/Ftrl", [0, 0]],
        ["embeddings/users/part_0/Ftrl_1:0", [4, 4], "embeddings/users/Ftrl_1", [0, 0]],
        ["embeddings/users/part_1/Ftrl:0", [3, 4], "embeddings/users/Ftrl", [4, 0]],
        ["embeddings/users/part_1/Ftrl_1:0", [3, 4], "embeddings/users/Ftrl_1", [4, 0]],
        ["embeddings/users/part_2/Ftrl:0", [3, 4], "embeddings/users/Ftrl", [7, 0]],
        ["embeddings/users/part_2/Ftrl_1:0", [3, 4], "embeddings/users/Ftrl_1", [7, 0]],
        ["embeddings/items/part_0/Ftrl:0", [5, 4], "embeddings/items/Ftrl", [0, 0]],
        ["embeddings/items/part_0/Ftrl_1:0", [5, 4], "embeddings/items/Ftrl_1", [0, 0]],
        ["embeddings/items/part_1/Ftrl:0", [5, 4], "embeddings/items/Ftrl", [5, 0]],
        ["embeddings/items/part_1/Ftrl_1:0", [5, 4], "embeddings/items/Ftrl_1", [5, 0]],
        ["embeddings/items/part_2/Ftrl:0", [4, 4], "embeddings/items/Ftrl", [10, 0]],
        ["embeddings/items/part_2/Ftrl_1:0", [4, 4], "embeddings/items/Ftrl_1", [10, 0]],
        ["bias/item_bias/part_0/Ftrl:0", [7], "bias/item_bias/Ftrl", [0]],
        ["bias/item_bias/part_0/Ftrl_1:0", [7], "bias/item_bias/Ftrl_1", [0]],
        ["bias/item_bias/part_1/Ftrl:0", [7], "bias/item_bias/Ftrl", [7]],
        ["bias/item_bias/part_1/Ftrl_1:0", [7], "bias/item_bias/Ftrl_1", [7]],
    ],
    "ckpt": [
        ["bias/item_bias", [14]],
        ["bias/item_bias/Ftrl", [14]],
        ["bias/item_bias/Ftrl_1", [14]],
        ["embeddings/items", [14, 4]],
        ["embeddings/items/Ftrl", [14, 4]],
        ["embeddings/items/Ftrl_1", [14, 4]],
        ["embeddings/users", [10, 4]],
        ["embeddings/users/Ftrl", [10, 4]],
        ["embeddings/users/Ftrl_1", [10, 4]],
    ],
    "saved": "rec.ckpt",
    "names": [
        "user_vec/Reshape_1:0",
        "item_vec/Reshape_1:0",
        "embedding_lookup/Reshape_1:0",
        "add_1:0",
        "add_2:0",
        "Ftrl",
    ],
    "losses": [2.2212231159210205, 1.7603437900543213, 1.4042237997055054, 1.145678162574768],
    "ref": [1.9875950813293457, 2.997873306274414, 1.9946203231811523, 2.0070340633392334],
    "same": True,
    "full": [
        -0.27282,
        -0.19131,
        -0.14483,
        -0.17815,
        0.02676,
        -0.00685,
        -0.03671,
        -0.04725,
        -0.02951,
        -0.02107,
        -0.11214,
        0.17119,
    ],
}


def test_partitioned_recommender_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
