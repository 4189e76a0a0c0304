"""A hierarchical attention network for document classification (Yang et al.) as TF1 code
built it: documents fed as [batch, sentences, words] ids with per-sentence lengths; words
embedded and encoded by a bidirectional_dynamic_rnn of GRUCells over [batch * sentences,
words], attention with a learned context vector (tf.tensordot, a sequence_mask'd softmax),
the sentence vectors reshaped back and encoded by a second bidirectional GRU with its own
attention; dropout through a keep-probability placeholder, gradients clipped by value,
Adam, and the attention weights fetched for inspection.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    rng = np.random.RandomState(21)
    batch, n_sent, n_word, vocab, emb, hidden, classes = 2, 3, 4, 12, 5, 4, 3
    docs = rng.randint(1, vocab, size=(batch, n_sent, n_word)).astype(np.int32)
    word_lens = np.array([[4, 2, 3], [1, 4, 0]], np.int32)
    sent_lens = np.array([3, 2], np.int32)
    docs[np.arange(n_word)[None, None, :] >= word_lens[..., None]] = 0
    labels = np.array([2, 0], np.int32)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(23)
        inputs = tf.placeholder(tf.int32, [None, n_sent, n_word], name="inputs")
        word_lengths = tf.placeholder(tf.int32, [None, n_sent], name="word_lengths")
        sentence_lengths = tf.placeholder(tf.int32, [None], name="sentence_lengths")
        y = tf.placeholder(tf.int32, [None], name="labels")
        keep_prob = tf.placeholder_with_default(1.0, [], name="keep_prob")

        def attention(outputs, lengths, size, scope):
            with tf.variable_scope(scope):
                context = tf.get_variable("context_vector", [size], tf.float32)
                projected = tf.layers.dense(outputs, size, activation=tf.tanh, name="projection")
                scores = tf.tensordot(projected, context, axes=1)
                mask = tf.sequence_mask(lengths, tf.shape(outputs)[1])
                scores = tf.where(mask, scores, tf.fill(tf.shape(scores), -1e9))
                alphas = tf.nn.softmax(scores, name="alphas")
                return tf.reduce_sum(outputs * tf.expand_dims(alphas, -1), axis=1), alphas

        with tf.variable_scope("embedding"):
            table = tf.get_variable("table", [vocab, emb])
            embedded = tf.nn.embedding_lookup(table, inputs)
        with tf.variable_scope("word_encoder"):
            flat = tf.reshape(embedded, [-1, n_word, emb])
            flat_lengths = tf.reshape(word_lengths, [-1])
            (fw, bw), _ = tf.nn.bidirectional_dynamic_rnn(
                tf.nn.rnn_cell.GRUCell(hidden),
                tf.nn.rnn_cell.GRUCell(hidden),
                flat,
                sequence_length=flat_lengths,
                dtype=tf.float32,
            )
            word_out = tf.concat([fw, bw], axis=2)
            sent_vec, word_alphas = attention(word_out, flat_lengths, 2 * hidden, "attention")
            sent_vec = tf.nn.dropout(sent_vec, keep_prob)
        with tf.variable_scope("sentence_encoder"):
            sents = tf.reshape(sent_vec, [-1, n_sent, 2 * hidden])
            (fw, bw), _ = tf.nn.bidirectional_dynamic_rnn(
                tf.nn.rnn_cell.GRUCell(hidden),
                tf.nn.rnn_cell.GRUCell(hidden),
                sents,
                sequence_length=sentence_lengths,
                dtype=tf.float32,
            )
            sent_out = tf.concat([fw, bw], axis=2)
            doc_vec, sent_alphas = attention(sent_out, sentence_lengths, 2 * hidden, "attention")
        logits = tf.layers.dense(doc_vec, classes, name="classifier")
        loss = tf.reduce_mean(
            tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)
        )
        step = tf.Variable(0, trainable=False, name="global_step")
        opt = tf.train.AdamOptimizer(0.02)
        grads_and_vars = opt.compute_gradients(loss)
        clipped = [(tf.clip_by_value(gr, -0.5, 0.5), v) for gr, v in grads_and_vars]
        train_op = opt.apply_gradients(clipped, global_step=step)
        feed = {inputs: docs, word_lengths: word_lens, sentence_lengths: sent_lens, y: labels}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            losses = []
            for _ in range(3):
                lv, _ = sess.run([loss, train_op], feed)
                losses.append(float(lv))
            wa, sa, lg = sess.run([word_alphas, sent_alphas, logits], feed)
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
            "names": [word_out.name, word_alphas.name, sent_alphas.name, loss.name, train_op.name],
            "n_grads": sum(1 for gr, _ in grads_and_vars if gr is not None),
            "losses": losses,
            "word_alphas": wa.tolist(),
            "sentence_alphas": sa.tolist(),
            "logits": lg.tolist(),
        }


EXPECTED = {
    "vars": [
        ["embedding/table:0", [12, 5]],
        ["word_encoder/bidirectional_rnn/fw/gru_cell/gates/kernel:0", [9, 8]],
        ["word_encoder/bidirectional_rnn/fw/gru_cell/gates/bias:0", [8]],
        ["word_encoder/bidirectional_rnn/fw/gru_cell/candidate/kernel:0", [9, 4]],
        ["word_encoder/bidirectional_rnn/fw/gru_cell/candidate/bias:0", [4]],
        ["word_encoder/bidirectional_rnn/bw/gru_cell/gates/kernel:0", [9, 8]],
        ["word_encoder/bidirectional_rnn/bw/gru_cell/gates/bias:0", [8]],
        ["word_encoder/bidirectional_rnn/bw/gru_cell/candidate/kernel:0", [9, 4]],
        ["word_encoder/bidirectional_rnn/bw/gru_cell/candidate/bias:0", [4]],
        ["word_encoder/attention/context_vector:0", [8]],
        ["word_encoder/attention/projection/kernel:0", [8, 8]],
        ["word_encoder/attention/projection/bias:0", [8]],
        ["sentence_encoder/bidirectional_rnn/fw/gru_cell/gates/kernel:0", [12, 8]],
        ["sentence_encoder/bidirectional_rnn/fw/gru_cell/gates/bias:0", [8]],
        ["sentence_encoder/bidirectional_rnn/fw/gru_cell/candidate/kernel:0", [12, 4]],
        ["sentence_encoder/bidirectional_rnn/fw/gru_cell/candidate/bias:0", [4]],
        ["sentence_encoder/bidirectional_rnn/bw/gru_cell/gates/kernel:0", [12, 8]],
        ["sentence_encoder/bidirectional_rnn/bw/gru_cell/gates/bias:0", [8]],
        ["sentence_encoder/bidirectional_rnn/bw/gru_cell/candidate/kernel:0", [12, 4]],
        ["sentence_encoder/bidirectional_rnn/bw/gru_cell/candidate/bias:0", [4]],
        ["sentence_encoder/attention/context_vector:0", [8]],
        ["sentence_encoder/attention/projection/kernel:0", [8, 8]],
        ["sentence_encoder/attention/projection/bias:0", [8]],
        ["classifier/kernel:0", [8, 3]],
        ["classifier/bias:0", [3]],
        ["global_step:0", []],
        ["beta1_power:0", []],
        ["beta2_power:0", []],
        ["embedding/table/Adam:0", [12, 5]],
        ["embedding/table/Adam_1:0", [12, 5]],
        ["word_encoder/bidirectional_rnn/fw/gru_cell/gates/kernel/Adam:0", [9, 8]],
        ["word_encoder/bidirectional_rnn/fw/gru_cell/gates/kernel/Adam_1:0", [9, 8]],
        ["word_encoder/bidirectional_rnn/fw/gru_cell/gates/bias/Adam:0", [8]],
        ["word_encoder/bidirectional_rnn/fw/gru_cell/gates/bias/Adam_1:0", [8]],
        ["word_encoder/bidirectional_rnn/fw/gru_cell/candidate/kernel/Adam:0", [9, 4]],
        ["word_encoder/bidirectional_rnn/fw/gru_cell/candidate/kernel/Adam_1:0", [9, 4]],
        ["word_encoder/bidirectional_rnn/fw/gru_cell/candidate/bias/Adam:0", [4]],
        ["word_encoder/bidirectional_rnn/fw/gru_cell/candidate/bias/Adam_1:0", [4]],
        ["word_encoder/bidirectional_rnn/bw/gru_cell/gates/kernel/Adam:0", [9, 8]],
        ["word_encoder/bidirectional_rnn/bw/gru_cell/gates/kernel/Adam_1:0", [9, 8]],
        ["word_encoder/bidirectional_rnn/bw/gru_cell/gates/bias/Adam:0", [8]],
        ["word_encoder/bidirectional_rnn/bw/gru_cell/gates/bias/Adam_1:0", [8]],
        ["word_encoder/bidirectional_rnn/bw/gru_cell/candidate/kernel/Adam:0", [9, 4]],
        ["word_encoder/bidirectional_rnn/bw/gru_cell/candidate/kernel/Adam_1:0", [9, 4]],
        ["word_encoder/bidirectional_rnn/bw/gru_cell/candidate/bias/Adam:0", [4]],
        ["word_encoder/bidirectional_rnn/bw/gru_cell/candidate/bias/Adam_1:0", [4]],
        ["word_encoder/attention/context_vector/Adam:0", [8]],
        ["word_encoder/attention/context_vector/Adam_1:0", [8]],
        ["word_encoder/attention/projection/kernel/Adam:0", [8, 8]],
        ["word_encoder/attention/projection/kernel/Adam_1:0", [8, 8]],
        ["word_encoder/attention/projection/bias/Adam:0", [8]],
        ["word_encoder/attention/projection/bias/Adam_1:0", [8]],
        ["sentence_encoder/bidirectional_rnn/fw/gru_cell/gates/kernel/Adam:0", [12, 8]],
        ["sentence_encoder/bidirectional_rnn/fw/gru_cell/gates/kernel/Adam_1:0", [12, 8]],
        ["sentence_encoder/bidirectional_rnn/fw/gru_cell/gates/bias/Adam:0", [8]],
        ["sentence_encoder/bidirectional_rnn/fw/gru_cell/gates/bias/Adam_1:0", [8]],
        ["sentence_encoder/bidirectional_rnn/fw/gru_cell/candidate/kernel/Adam:0", [12, 4]],
        ["sentence_encoder/bidirectional_rnn/fw/gru_cell/candidate/kernel/Adam_1:0", [12, 4]],
        ["sentence_encoder/bidirectional_rnn/fw/gru_cell/candidate/bias/Adam:0", [4]],
        ["sentence_encoder/bidirectional_rnn/fw/gru_cell/candidate/bias/Adam_1:0", [4]],
        ["sentence_encoder/bidirectional_rnn/bw/gru_cell/gates/kernel/Adam:0", [12, 8]],
        ["sentence_encoder/bidirectional_rnn/bw/gru_cell/gates/kernel/Adam_1:0", [12, 8]],
        ["sentence_encoder/bidirectional_rnn/bw/gru_cell/gates/bias/Adam:0", [8]],
        ["sentence_encoder/bidirectional_rnn/bw/gru_cell/gates/bias/Adam_1:0", [8]],
        ["sentence_encoder/bidirectional_rnn/bw/gru_cell/candidate/kernel/Adam:0", [12, 4]],
        ["sentence_encoder/bidirectional_rnn/bw/gru_cell/candidate/kernel/Adam_1:0", [12, 4]],
        ["sentence_encoder/bidirectional_rnn/bw/gru_cell/candidate/bias/Adam:0", [4]],
        ["sentence_encoder/bidirectional_rnn/bw/gru_cell/candidate/bias/Adam_1:0", [4]],
        ["sentence_encoder/attention/context_vector/Adam:0", [8]],
        ["sentence_encoder/attention/context_vector/Adam_1:0", [8]],
        ["sentence_encoder/attention/projection/kernel/Adam:0", [8, 8]],
        ["sentence_encoder/attention/projection/kernel/Adam_1:0", [8, 8]],
        ["sentence_encoder/attention/projection/bias/Adam:0", [8]],
        ["sentence_encoder/attention/projection/bias/Adam_1:0", [8]],
        ["classifier/kernel/Adam:0", [8, 3]],
        ["classifier/kernel/Adam_1:0", [8, 3]],
        ["classifier/bias/Adam:0", [3]],
        ["classifier/bias/Adam_1:0", [3]],
    ],
    "names": [
        "word_encoder/concat:0",
        "word_encoder/attention/alphas:0",
        "sentence_encoder/attention/alphas:0",
        "Mean:0",
        "Adam",
    ],
    "n_grads": 25,
    "losses": [1.0870068073272705, 1.0458189249038696, 1.004597783088684],
    "word_alphas": [
        [0.24011340737342834, 0.24885037541389465, 0.2550238370895386, 0.2560123801231384],
        [0.4984106719493866, 0.501589298248291, 0.0, 0.0],
        [0.34248924255371094, 0.3263477087020874, 0.33116310834884644, 0.0],
        [1.0, 0.0, 0.0, 0.0],
        [0.2497100979089737, 0.24805797636508942, 0.25091516971588135, 0.2513166666030884],
        [0.25, 0.25, 0.25, 0.25],
    ],
    "sentence_alphas": [
        [0.32492882013320923, 0.3346210718154907, 0.34045010805130005],
        [0.496589720249176, 0.5034103393554688, 0.0],
    ],
    "logits": [
        [0.14444154500961304, -0.25725439190864563, 0.19399037957191467],
        [0.15089267492294312, -0.23064176738262177, 0.10854189842939377],
    ],
}


def test_hierarchical_attention_matches_tensorflow():
    close(program(tf), EXPECTED)
