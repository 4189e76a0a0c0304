"""Listwise learning to rank as TF1 ranking code wrote it: padded lists of documents with a
per-query list size, a scoring network applied to [queries, docs, features], padding masked
with sequence_mask and a large negative score; a ListNet softmax cross-entropy against the
relevance distribution, a ListMLE loss over the relevance-sorted scores (tf.argsort,
batch gather, a reversed cumulative logsumexp through tf.cumsum(exclusive, reverse)),
AdagradDA as the optimizer; NDCG@3 computed in the graph from tf.nn.top_k, the discounts with
tf.log and the ideal order from tf.sort; and searchsorted bucketing of the scores.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    n_q, n_docs, n_feat = 4, 6, 5
    rng = np.random.RandomState(16)
    feats_v = rng.randn(n_q, n_docs, n_feat).astype(np.float32)
    w_true = rng.randn(n_feat).astype(np.float32)
    sizes_v = np.array([6, 4, 5, 3], np.int32)
    rel_v = np.clip(np.round(feats_v @ w_true + 1.0), 0, 3).astype(np.float32)
    for i, n in enumerate(sizes_v):
        rel_v[i, n:] = 0.0
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(37)
        feats = tf.placeholder(tf.float32, [None, None, n_feat], name="features")
        rel = tf.placeholder(tf.float32, [None, None], name="relevance")
        sizes = tf.placeholder(tf.int32, [None], name="list_size")
        h = tf.layers.dense(feats, 8, tf.nn.relu, name="score_hidden")
        scores = tf.squeeze(tf.layers.dense(h, 1, name="score"), axis=2)
        mask = tf.sequence_mask(sizes, tf.shape(scores)[1])
        masked = tf.where(mask, scores, tf.fill(tf.shape(scores), -1e4), name="masked_scores")
        with tf.name_scope("listnet"):
            target = tf.where(mask, rel, tf.fill(tf.shape(rel), -1e4))
            listnet = tf.reduce_mean(
                tf.nn.softmax_cross_entropy_with_logits_v2(
                    labels=tf.nn.softmax(target), logits=masked
                )
            )
        with tf.name_scope("listmle"):
            order = tf.argsort(rel + tf.to_float(mask) * 10.0, axis=1, direction="DESCENDING")
            s_sorted = tf.batch_gather(masked, order)
            m_sorted = tf.to_float(tf.batch_gather(mask, order))
            e = tf.exp(s_sorted - tf.reduce_max(s_sorted, axis=1, keepdims=True)) * m_sorted
            tail = tf.cumsum(e, axis=1, reverse=True) + 1e-10
            shift = tf.reduce_max(s_sorted, axis=1, keepdims=True)
            listmle = tf.reduce_mean(
                tf.reduce_sum((tf.log(tail) + shift - s_sorted) * m_sorted, axis=1)
            )
            excl = tf.cumsum(m_sorted, axis=1, exclusive=True, reverse=True)
        loss = tf.add(listnet, 0.5 * listmle, name="loss")
        step = tf.train.get_or_create_global_step()
        train = tf.train.AdagradDAOptimizer(0.3, global_step=step).minimize(loss, global_step=step)
        with tf.name_scope("ndcg"):
            k = 3
            _, top = tf.nn.top_k(masked, k)
            gains = tf.pow(2.0, tf.batch_gather(rel, top)) - 1.0
            disc = 1.0 / (tf.log(tf.range(k, dtype=tf.float32) + 2.0) / tf.log(2.0))
            dcg = tf.reduce_sum(gains * disc, axis=1)
            ideal = tf.sort(rel, axis=1, direction="DESCENDING")[:, :k]
            idcg = tf.reduce_sum((tf.pow(2.0, ideal) - 1.0) * disc, axis=1)
            ndcg = tf.reduce_mean(tf.div_no_nan(dcg, idcg))
        edges = tf.constant([[-1.0, 0.0, 1.0]])
        buckets = tf.searchsorted(tf.tile(edges, [tf.shape(scores)[0], 1]), scores, side="right")
        feed = {feats: feats_v, rel: rel_v, sizes: sizes_v}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            trace = []
            for _ in range(12):
                out = sess.run([listnet, listmle, ndcg, train], feed)
                trace.append([float(v) for v in out[:3]])
            ov, ex, bk, sv = sess.run([order, excl, buckets, masked], feed)
    return {
        "vars": [[v.name, v.shape.as_list()] for v in g.get_collection("variables")],
        "names": [
            scores.name,
            masked.name,
            listnet.name,
            order.name,
            s_sorted.name,
            listmle.name,
            loss.name,
            train.name,
            ndcg.name,
            buckets.name,
        ],
        "types": [order.op.type, s_sorted.op.type, tail.op.type, ideal.op.type, buckets.op.type],
        "trace": trace,
        "order": ov.tolist(),
        "exclusive": ex[1].tolist(),
        "buckets": bk.tolist(),
        "scores": sv[3].tolist(),
    }


EXPECTED = {
    "vars": [
        ["score_hidden/kernel:0", [5, 8]],
        ["score_hidden/bias:0", [8]],
        ["score/kernel:0", [8, 1]],
        ["score/bias:0", [1]],
        ["global_step:0", []],
        ["score_hidden/kernel/AdagradDA:0", [5, 8]],
        ["score_hidden/kernel/AdagradDA_1:0", [5, 8]],
        ["score_hidden/bias/AdagradDA:0", [8]],
        ["score_hidden/bias/AdagradDA_1:0", [8]],
        ["score/kernel/AdagradDA:0", [8, 1]],
        ["score/kernel/AdagradDA_1:0", [8, 1]],
        ["score/bias/AdagradDA:0", [1]],
        ["score/bias/AdagradDA_1:0", [1]],
    ],
    "names": [
        "Squeeze:0",
        "masked_scores:0",
        "listnet/Mean:0",
        "listmle/argsort/TopKV2:1",
        "listmle/BatchGather/Reshape_3:0",
        "listmle/Mean:0",
        "loss:0",
        "AdagradDA",
        "ndcg/Mean:0",
        "Reshape_2:0",
    ],
    "types": ["TopKV2", "Reshape", "AddV2", "StridedSlice", "Reshape"],
    "trace": [
        [1.3678877353668213, 5.256917476654053, 0.9575272798538208],
        [1.4461393356323242, 4.113006114959717, 0.872888445854187],
        [1.3579649925231934, 3.695446252822876, 1.0],
        [1.2560725212097168, 3.272480010986328, 1.0],
        [1.2435541152954102, 2.9584708213806152, 1.0],
        [1.2643475532531738, 2.772468090057373, 1.0],
        [1.2806434631347656, 2.6432087421417236, 1.0],
        [1.2890043258666992, 2.5266599655151367, 1.0],
        [1.2968482971191406, 2.4077677726745605, 1.0],
        [1.3094391822814941, 2.297349691390991, 1.0],
        [1.3193235397338867, 2.2148122787475586, 1.0],
        [1.3328585624694824, 2.1361536979675293, 1.0],
    ],
    "order": [[4, 0, 1, 2, 3, 5], [0, 2, 1, 3, 4, 5], [0, 1, 2, 3, 4, 5], [1, 0, 2, 3, 4, 5]],
    "exclusive": [3.0, 2.0, 1.0, 0.0, 0.0, 0.0],
    "buckets": [[3, 3, 3, 1, 3, 1], [3, 1, 3, 1, 2, 2], [3, 3, 2, 3, 2, 3], [3, 3, 2, 1, 2, 1]],
    "scores": [
        2.076594114303589,
        3.3702659606933594,
        0.9889190793037415,
        -10000.0,
        -10000.0,
        -10000.0,
    ],
}


def test_learning_to_rank_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
