"""An NMT model in the shape of the TF1 NMT tutorial, on tf.contrib.seq2seq: an LSTM encoder by
dynamic_rnn over source lengths; a decoder cell wrapped by AttentionWrapper over a scaled
LuongAttention with memory_sequence_length, its zero state cloned with the encoder state;
TrainingHelper + BasicDecoder + dynamic_decode(impute_finished=True) with a Dense output layer,
sequence_loss under a sequence_mask, clipped Adam; then, reusing the variables, greedy decoding
(GreedyEmbeddingHelper, maximum_iterations) and beam search (tile_batch of memory, lengths and
state, BeamSearchDecoder with a length penalty); and a second model's BahdanauAttention
(normalized, with alignment_history) trained one step.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled) running TF 1.15's tf.contrib.seq2seq
Python code (from the 1.15 wheel; its GatherTree kernel replaced by a NumPy py_func).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    rng = np.random.RandomState(123)
    batch, src_len, tgt_len, vocab, emb, units, beam = 3, 5, 4, 10, 6, 8, 3
    sos, eos = 1, 2
    src = rng.randint(3, vocab, size=(batch, src_len)).astype(np.int32)
    src_lengths = np.array([5, 3, 4], np.int32)
    tgt_out = rng.randint(3, vocab, size=(batch, tgt_len)).astype(np.int32)
    tgt_lengths = np.array([4, 2, 3], np.int32)
    for b, n in enumerate(tgt_lengths):
        tgt_out[b, n - 1] = eos
    tgt_in = np.concatenate([np.full((batch, 1), sos, np.int32), tgt_out[:, :-1]], axis=1)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(124)
        source = tf.placeholder(tf.int32, [None, None], name="source")
        source_len = tf.placeholder(tf.int32, [None], name="source_length")
        target_in = tf.placeholder(tf.int32, [None, None], name="target_input")
        target_out = tf.placeholder(tf.int32, [None, None], name="target_output")
        target_len = tf.placeholder(tf.int32, [None], name="target_length")
        batch_size = tf.size(source_len)
        with tf.variable_scope("embeddings"):
            embedding = tf.get_variable("embedding_share", [vocab, emb])
        with tf.variable_scope("encoder"):
            enc_cell = tf.nn.rnn_cell.LSTMCell(units)
            enc_out, enc_state = tf.nn.dynamic_rnn(
                enc_cell,
                tf.nn.embedding_lookup(embedding, source),
                sequence_length=source_len,
                dtype=tf.float32,
            )
        output_layer = tf.layers.Dense(vocab, use_bias=False, name="output_projection")

        def decoder_cell(memory, memory_len, state, size):
            mechanism = tf.contrib.seq2seq.LuongAttention(
                units, memory, memory_sequence_length=memory_len, scale=True
            )
            cell = tf.contrib.seq2seq.AttentionWrapper(
                tf.nn.rnn_cell.LSTMCell(units),
                mechanism,
                attention_layer_size=units,
                name="attention",
            )
            return cell, cell.zero_state(size, tf.float32).clone(cell_state=state)

        with tf.variable_scope("decoder") as decoder_scope:
            cell, init = decoder_cell(enc_out, source_len, enc_state, batch_size)
            helper = tf.contrib.seq2seq.TrainingHelper(
                tf.nn.embedding_lookup(embedding, target_in), target_len
            )
            decoder = tf.contrib.seq2seq.BasicDecoder(cell, helper, init)
            outputs, final_state, final_len = tf.contrib.seq2seq.dynamic_decode(
                decoder, impute_finished=True, scope=decoder_scope
            )
            logits = output_layer(outputs.rnn_output)
        mask = tf.sequence_mask(target_len, tf.reduce_max(target_len), dtype=tf.float32)
        loss = tf.contrib.seq2seq.sequence_loss(logits, target_out, mask)
        params = tf.trainable_variables()
        grads, gnorm = tf.clip_by_global_norm(tf.gradients(loss, params), 5.0)
        step = tf.train.get_or_create_global_step()
        train_op = tf.train.AdamOptimizer(0.05).apply_gradients(
            zip(grads, params, strict=True), global_step=step
        )

        with tf.variable_scope("decoder", reuse=True) as decoder_scope:
            cell, init = decoder_cell(enc_out, source_len, enc_state, batch_size)
            greedy = tf.contrib.seq2seq.GreedyEmbeddingHelper(
                embedding, tf.fill([batch_size], sos), eos
            )
            decoder = tf.contrib.seq2seq.BasicDecoder(cell, greedy, init, output_layer=output_layer)
            greedy_out, _, greedy_len = tf.contrib.seq2seq.dynamic_decode(
                decoder, maximum_iterations=5, scope=decoder_scope
            )
        with tf.variable_scope("decoder", reuse=True) as decoder_scope:
            memory = tf.contrib.seq2seq.tile_batch(enc_out, multiplier=beam)
            memory_len = tf.contrib.seq2seq.tile_batch(source_len, multiplier=beam)
            state = tf.contrib.seq2seq.tile_batch(enc_state, multiplier=beam)
            cell, init = decoder_cell(memory, memory_len, state, batch_size * beam)
            beam_decoder = tf.contrib.seq2seq.BeamSearchDecoder(
                cell,
                embedding,
                tf.fill([batch_size], sos),
                eos,
                init,
                beam,
                output_layer=output_layer,
                length_penalty_weight=0.6,
            )
            beam_out, beam_state, beam_len = tf.contrib.seq2seq.dynamic_decode(
                beam_decoder, maximum_iterations=5, scope=decoder_scope
            )

        with tf.variable_scope("bahdanau"):
            mech = tf.contrib.seq2seq.BahdanauAttention(
                units, enc_out, memory_sequence_length=source_len, normalize=True
            )
            bcell = tf.contrib.seq2seq.AttentionWrapper(
                tf.nn.rnn_cell.GRUCell(units),
                mech,
                attention_layer_size=units,
                alignment_history=True,
                output_attention=False,
            )
            bhelper = tf.contrib.seq2seq.TrainingHelper(
                tf.nn.embedding_lookup(embedding, target_in), target_len
            )
            bdec = tf.contrib.seq2seq.BasicDecoder(
                bcell,
                bhelper,
                bcell.zero_state(batch_size, tf.float32),
                output_layer=tf.layers.Dense(vocab, name="projection"),
            )
            bout, bstate, _ = tf.contrib.seq2seq.dynamic_decode(bdec)
            alignments = tf.transpose(bstate.alignment_history.stack(), [1, 0, 2])
            bloss = tf.contrib.seq2seq.sequence_loss(bout.rnn_output, target_out, mask)
            btrain = tf.train.GradientDescentOptimizer(0.5).minimize(
                bloss, var_list=tf.trainable_variables("bahdanau")
            )
        feed = {
            source: src,
            source_len: src_lengths,
            target_in: tgt_in,
            target_out: tgt_out,
            target_len: tgt_lengths,
        }
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            losses, norms = [], []
            for _ in range(4):
                lv, nv, _ = sess.run([loss, gnorm, train_op], feed)
                losses.append(float(lv))
                norms.append(float(nv))
            infer = {source: src, source_len: src_lengths}
            g_ids, g_len = sess.run([greedy_out.sample_id, greedy_len], infer)
            b_ids, b_scores, b_len = sess.run(
                [beam_out.predicted_ids, beam_out.beam_search_decoder_output.scores, beam_len],
                infer,
            )
            b_losses = [float(sess.run([bloss, btrain], feed)[0]) for _ in range(2)]
            align = sess.run(alignments, feed)
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
            "names": [
                outputs.rnn_output.name,
                outputs.sample_id.name,
                final_len.name,
                logits.name,
                loss.name,
                greedy_out.sample_id.name,
                beam_out.beam_search_decoder_output.scores.name,
                beam_len.name,
                alignments.name,
            ],
            "state_fields": list(final_state._fields),
            "static": [
                outputs.rnn_output.shape.as_list(),
                beam_out.predicted_ids.shape.as_list(),
                greedy_out.rnn_output.shape.as_list(),
            ],
            "losses": losses,
            "norms": norms,
            "greedy_ids": g_ids.tolist(),
            "greedy_len": g_len.tolist(),
            "beam_ids": b_ids.tolist(),
            "beam_scores": b_scores[:, :, 0].tolist(),
            "beam_len": b_len.tolist(),
            "bahdanau_losses": b_losses,
            "alignments": align[0].tolist(),
        }


EXPECTED = {
    "vars": [
        ["embeddings/embedding_share:0", [10, 6]],
        ["encoder/rnn/lstm_cell/kernel:0", [14, 32]],
        ["encoder/rnn/lstm_cell/bias:0", [32]],
        ["decoder/memory_layer/kernel:0", [8, 8]],
        ["decoder/attention/lstm_cell/kernel:0", [22, 32]],
        ["decoder/attention/lstm_cell/bias:0", [32]],
        ["decoder/attention/luong_attention/attention_g:0", []],
        ["decoder/attention/attention_layer/kernel:0", [16, 8]],
        ["decoder/output_projection/kernel:0", [8, 10]],
        ["global_step:0", []],
        ["beta1_power:0", []],
        ["beta2_power:0", []],
        ["embeddings/embedding_share/Adam:0", [10, 6]],
        ["embeddings/embedding_share/Adam_1:0", [10, 6]],
        ["encoder/rnn/lstm_cell/kernel/Adam:0", [14, 32]],
        ["encoder/rnn/lstm_cell/kernel/Adam_1:0", [14, 32]],
        ["encoder/rnn/lstm_cell/bias/Adam:0", [32]],
        ["encoder/rnn/lstm_cell/bias/Adam_1:0", [32]],
        ["decoder/memory_layer/kernel/Adam:0", [8, 8]],
        ["decoder/memory_layer/kernel/Adam_1:0", [8, 8]],
        ["decoder/attention/lstm_cell/kernel/Adam:0", [22, 32]],
        ["decoder/attention/lstm_cell/kernel/Adam_1:0", [22, 32]],
        ["decoder/attention/lstm_cell/bias/Adam:0", [32]],
        ["decoder/attention/lstm_cell/bias/Adam_1:0", [32]],
        ["decoder/attention/luong_attention/attention_g/Adam:0", []],
        ["decoder/attention/luong_attention/attention_g/Adam_1:0", []],
        ["decoder/attention/attention_layer/kernel/Adam:0", [16, 8]],
        ["decoder/attention/attention_layer/kernel/Adam_1:0", [16, 8]],
        ["decoder/output_projection/kernel/Adam:0", [8, 10]],
        ["decoder/output_projection/kernel/Adam_1:0", [8, 10]],
        ["bahdanau/memory_layer/kernel:0", [8, 8]],
        ["bahdanau/decoder/attention_wrapper/gru_cell/gates/kernel:0", [22, 16]],
        ["bahdanau/decoder/attention_wrapper/gru_cell/gates/bias:0", [16]],
        ["bahdanau/decoder/attention_wrapper/gru_cell/candidate/kernel:0", [22, 8]],
        ["bahdanau/decoder/attention_wrapper/gru_cell/candidate/bias:0", [8]],
        ["bahdanau/decoder/attention_wrapper/bahdanau_attention/query_layer/kernel:0", [8, 8]],
        ["bahdanau/decoder/attention_wrapper/bahdanau_attention/attention_v:0", [8]],
        ["bahdanau/decoder/attention_wrapper/bahdanau_attention/attention_g:0", []],
        ["bahdanau/decoder/attention_wrapper/bahdanau_attention/attention_b:0", [8]],
        ["bahdanau/decoder/attention_wrapper/attention_layer/kernel:0", [16, 8]],
        ["bahdanau/decoder/projection/kernel:0", [8, 10]],
        ["bahdanau/decoder/projection/bias:0", [10]],
    ],
    "names": [
        "decoder/decoder/transpose:0",
        "decoder/decoder/transpose_1:0",
        "decoder/decoder/while/Exit_11:0",
        "decoder/output_projection/Tensordot:0",
        "sequence_loss/div_no_nan:0",
        "decoder_1/decoder/transpose_1:0",
        "decoder_2/decoder/transpose_1:0",
        "decoder_2/decoder/while/Exit_16:0",
        "bahdanau/transpose:0",
    ],
    "state_fields": [
        "cell_state",
        "attention",
        "time",
        "alignments",
        "alignment_history",
        "attention_state",
    ],
    "static": [[None, None, 8], [None, None, 3], [None, None, 10]],
    "losses": [2.3349406719207764, 2.187702178955078, 1.9814965724945068, 1.6374123096466064],
    "norms": [0.2829478979110718, 0.2924226224422455, 0.44861024618148804, 0.5818114876747131],
    "greedy_ids": [[4, 4, 2], [9, 2, 2], [9, 2, 2]],
    "greedy_len": [3, 2, 2],
    "beam_ids": [
        [[4, 4, 4], [2, 4, 4], [2, 4, 4], [2, 2, 9], [2, 2, 2]],
        [[2, 9, 9], [2, 2, 9], [2, 2, 2], [2, 2, 2], [2, 2, 2]],
        [[2, 9, 9], [2, 2, 9], [2, 2, 2], [2, 2, 2], [2, 2, 2]],
    ],
    "beam_scores": [
        [
            -0.6327327489852905,
            -1.531096339225769,
            -2.0894360542297363,
            -2.0894360542297363,
            -2.0894360542297363,
        ],
        [
            -1.286543369293213,
            -1.663930058479309,
            -1.663930058479309,
            -1.663930058479309,
            -1.663930058479309,
        ],
        [
            -1.249704360961914,
            -1.4674136638641357,
            -1.4674136638641357,
            -1.4674136638641357,
            -1.4674136638641357,
        ],
    ],
    "beam_len": [[3, 4, 5], [2, 2, 3], [2, 0, 3]],
    "bahdanau_losses": [2.2679991722106934, 2.160386323928833],
    "alignments": [
        [
            0.21396447718143463,
            0.20469962060451508,
            0.19454702734947205,
            0.1948816329240799,
            0.19190727174282074,
        ],
        [
            0.21401938796043396,
            0.2047150433063507,
            0.19453491270542145,
            0.19484534859657288,
            0.1918853372335434,
        ],
        [
            0.21379859745502472,
            0.20472925901412964,
            0.1947326362133026,
            0.1948351413011551,
            0.19190435111522675,
        ],
        [
            0.2138088196516037,
            0.2047038972377777,
            0.19470274448394775,
            0.1948474943637848,
            0.19193707406520844,
        ],
    ],
}


def test_nmt_attention_beam_matches_tensorflow():
    close(program(tf), EXPECTED)
