"""A BiLSTM-CRF named-entity tagger on tf.contrib.crf, as the popular TF1 NER repositories built
it: word embeddings and a character-free BiLSTM by bidirectional_dynamic_rnn with lengths,
dropout through a placeholder, a projection to tag scores reshaped to [batch, steps, tags],
crf_log_likelihood creating the ``transitions`` matrix, gradient clipping by value into Adam;
then decoding both in the graph (crf_decode) and in NumPy (viterbi_decode on the fetched
scores and transitions), a length-1 sentence and a padded one among the batch, and
crf_sequence_score/crf_log_norm of the gold tags.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled) running TF 1.15's tf.contrib.crf Python
code (from the 1.15 wheel).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    rng = np.random.RandomState(321)
    batch, steps, vocab, emb, hidden, tags = 3, 5, 15, 6, 5, 4
    words = rng.randint(1, vocab, size=(batch, steps)).astype(np.int32)
    lengths = np.array([5, 1, 3], np.int32)
    labels = rng.randint(0, tags, size=(batch, steps)).astype(np.int32)
    words[np.arange(steps)[None, :] >= lengths[:, None]] = 0
    labels[np.arange(steps)[None, :] >= lengths[:, None]] = 0
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(322)
        word_ids = tf.placeholder(tf.int32, [None, None], name="word_ids")
        sequence_lengths = tf.placeholder(tf.int32, [None], name="sequence_lengths")
        tag_ids = tf.placeholder(tf.int32, [None, None], name="labels")
        dropout = tf.placeholder_with_default(1.0, [], name="dropout")
        with tf.variable_scope("words"):
            _word_embeddings = tf.get_variable("_word_embeddings", [vocab, emb], tf.float32)
            word_embeddings = tf.nn.embedding_lookup(_word_embeddings, word_ids)
        word_embeddings = tf.nn.dropout(word_embeddings, dropout)
        with tf.variable_scope("bi-lstm"):
            cell_fw = tf.nn.rnn_cell.LSTMCell(hidden)
            cell_bw = tf.nn.rnn_cell.LSTMCell(hidden)
            (output_fw, output_bw), _ = tf.nn.bidirectional_dynamic_rnn(
                cell_fw,
                cell_bw,
                word_embeddings,
                sequence_length=sequence_lengths,
                dtype=tf.float32,
            )
            output = tf.concat([output_fw, output_bw], axis=-1)
            output = tf.nn.dropout(output, dropout)
        with tf.variable_scope("proj"):
            W = tf.get_variable("W", [2 * hidden, tags], tf.float32)
            b = tf.get_variable("b", [tags], tf.float32, initializer=tf.zeros_initializer())
            nsteps = tf.shape(output)[1]
            pred = tf.matmul(tf.reshape(output, [-1, 2 * hidden]), W) + b
            logits = tf.reshape(pred, [-1, nsteps, tags])
        log_likelihood, trans_params = tf.contrib.crf.crf_log_likelihood(
            logits, tag_ids, sequence_lengths
        )
        loss = tf.reduce_mean(-log_likelihood)
        opt = tf.train.AdamOptimizer(0.05)
        grads_and_vars = opt.compute_gradients(loss)
        clipped = [(tf.clip_by_value(gr, -1.0, 1.0), v) for gr, v in grads_and_vars]
        train_op = opt.apply_gradients(clipped)
        decode_tags, best_score = tf.contrib.crf.crf_decode(logits, trans_params, sequence_lengths)
        seq_score = tf.contrib.crf.crf_sequence_score(
            logits, tag_ids, sequence_lengths, trans_params
        )
        log_norm = tf.contrib.crf.crf_log_norm(logits, sequence_lengths, trans_params)
        feed = {word_ids: words, sequence_lengths: lengths, tag_ids: labels, dropout: 0.8}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            losses = []
            for _ in range(3):
                lv, _ = sess.run([loss, train_op], {**feed, dropout: 1.0})
                losses.append(float(lv))
            eval_feed = {word_ids: words, sequence_lengths: lengths, tag_ids: labels}
            scores, trans, tags_graph, best, ss, ln = sess.run(
                [logits, trans_params, decode_tags, best_score, seq_score, log_norm], eval_feed
            )
        viterbi = []
        for score, n in zip(scores, lengths, strict=True):
            seq, vscore = tf.contrib.crf.viterbi_decode(score[:n], trans)
            viterbi.append([list(map(int, seq)), float(vscore)])
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
            "names": [
                log_likelihood.name,
                trans_params.name,
                loss.name,
                decode_tags.name,
                best_score.name,
                seq_score.name,
                log_norm.name,
            ],
            "losses": losses,
            "transitions": trans.tolist(),
            "crf_decode": [row[:n].tolist() for row, n in zip(tags_graph, lengths, strict=True)],
            "best_score": best.tolist(),
            "viterbi": viterbi,
            "sequence_score": ss.tolist(),
            "log_norm": ln.tolist(),
        }


EXPECTED = {
    "vars": [
        ["words/_word_embeddings:0", [15, 6]],
        ["bi-lstm/bidirectional_rnn/fw/lstm_cell/kernel:0", [11, 20]],
        ["bi-lstm/bidirectional_rnn/fw/lstm_cell/bias:0", [20]],
        ["bi-lstm/bidirectional_rnn/bw/lstm_cell/kernel:0", [11, 20]],
        ["bi-lstm/bidirectional_rnn/bw/lstm_cell/bias:0", [20]],
        ["proj/W:0", [10, 4]],
        ["proj/b:0", [4]],
        ["transitions:0", [4, 4]],
        ["beta1_power:0", []],
        ["beta2_power:0", []],
        ["words/_word_embeddings/Adam:0", [15, 6]],
        ["words/_word_embeddings/Adam_1:0", [15, 6]],
        ["bi-lstm/bidirectional_rnn/fw/lstm_cell/kernel/Adam:0", [11, 20]],
        ["bi-lstm/bidirectional_rnn/fw/lstm_cell/kernel/Adam_1:0", [11, 20]],
        ["bi-lstm/bidirectional_rnn/fw/lstm_cell/bias/Adam:0", [20]],
        ["bi-lstm/bidirectional_rnn/fw/lstm_cell/bias/Adam_1:0", [20]],
        ["bi-lstm/bidirectional_rnn/bw/lstm_cell/kernel/Adam:0", [11, 20]],
        ["bi-lstm/bidirectional_rnn/bw/lstm_cell/kernel/Adam_1:0", [11, 20]],
        ["bi-lstm/bidirectional_rnn/bw/lstm_cell/bias/Adam:0", [20]],
        ["bi-lstm/bidirectional_rnn/bw/lstm_cell/bias/Adam_1:0", [20]],
        ["proj/W/Adam:0", [10, 4]],
        ["proj/W/Adam_1:0", [10, 4]],
        ["proj/b/Adam:0", [4]],
        ["proj/b/Adam_1:0", [4]],
        ["transitions/Adam:0", [4, 4]],
        ["transitions/Adam_1:0", [4, 4]],
    ],
    "names": [
        "sub_1:0",
        "transitions:0",
        "Mean:0",
        "cond_2/Merge:0",
        "cond_2/Merge_1:0",
        "cond_3/Merge:0",
        "cond_4/Merge:0",
    ],
    "losses": [4.10046911239624, 3.685796022415161, 3.3278558254241943],
    "transitions": [
        [0.038058482110500336, 0.06195877864956856, 0.4183180630207062, 0.4920845925807953],
        [0.7135480642318726, -0.4219589829444885, -0.22804220020771027, 0.7856457233428955],
        [0.33244219422340393, 0.28244662284851074, -0.4101707935333252, -0.2875211834907532],
        [-0.7123302817344666, -0.39413824677467346, -0.1960047036409378, -0.8424625992774963],
    ],
    "crf_decode": [[1, 3, 2, 1, 3], [1], [2, 1, 3]],
    "best_score": [2.678086757659912, 0.3486492335796356, 1.6694049835205078],
    "viterbi": [
        [[1, 3, 2, 1, 3], 2.678086757659912],
        [[1], 0.3486492335796356],
        [[2, 1, 3], 1.6694049835205078],
    ],
    "sequence_score": [1.8382779359817505, 0.3486492335796356, 1.6694049835205078],
    "log_norm": [7.105411529541016, 1.407460331916809, 4.273542404174805],
}


def test_bilstm_crf_contrib_matches_tensorflow():
    close(program(tf), EXPECTED)
