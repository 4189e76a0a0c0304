"""Decoders built with ``tf.contrib.legacy_seq2seq``, run by scopeflow's tests and by
``make_legacy_seq2seq_names.py`` against TF 2.21, where ``seq2seq`` is a stand-in for
TF 1.15's ``legacy_seq2seq`` module (TF 2.21 has no tf.contrib: the script carries
TF 1.15's ``rnn_decoder`` and ``embedding_rnn_decoder``); ``record`` writes the names."""

import textwrap

SNIPPETS = {
    "rnn_decoder_loop_function": """
        cell = tf.nn.rnn_cell.BasicLSTMCell(4)
        steps = [tf.placeholder(tf.float32, [None, 4], name="x%d" % i) for i in range(3)]
        w = tf.get_variable("feedback_w", [4, 4])
        def loop(prev, i):
            return tf.nn.relu(tf.matmul(prev, w), name="fed_back_%d" % i)
        outputs, state = seq2seq.rnn_decoder(steps, cell.zero_state(2, tf.float32), cell,
                                             loop_function=loop)
        result = outputs + list(state)
    """,
    "embedding_rnn_decoder": """
        cell = tf.nn.rnn_cell.GRUCell(5)
        ids = [tf.placeholder(tf.int32, [None], name="id%d" % i) for i in range(3)]
        w = tf.get_variable("proj_w", [5, 7])
        b = tf.get_variable("proj_b", [7])
        outputs, state = seq2seq.embedding_rnn_decoder(
            ids, cell.zero_state(2, tf.float32), cell, 7, 3, output_projection=(w, b),
            feed_previous=True)
        with tf.variable_scope("plain"):
            more, _ = seq2seq.embedding_rnn_decoder(
                ids, cell.zero_state(2, tf.float32), tf.nn.rnn_cell.BasicRNNCell(5), 7, 3)
        result = outputs + [state] + more
    """,
}


def record(tf, seq2seq, source: str) -> dict:
    """The variables and outputs ``source`` builds in the current default graph."""
    scope = {"tf": tf, "seq2seq": seq2seq}
    exec(textwrap.dedent(source), scope)  # noqa: S102 - the snippets above
    return {
        "variables": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
        "outputs": [[t.name, t.shape.as_list()] for t in scope["result"]],
    }
