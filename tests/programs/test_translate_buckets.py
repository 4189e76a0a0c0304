"""The TF1 "translate" tutorial's Seq2SeqModel: per-step int placeholders (encoder0..,
decoder0.., weight0..) with targets the decoder inputs shifted by one, a two-layer
MultiRNNCell of GRUCells, tf.contrib.legacy_seq2seq.embedding_attention_seq2seq inside
model_with_buckets (variables shared across buckets by reuse), an output projection (proj_w
transposed, proj_b) applied by a softmax_loss_function, one clipped SGD update per bucket on a
learning-rate variable with its decay op; steps on both buckets, a checkpoint, then a decoding
model (feed_previous=True) in a fresh graph restoring it, outputs projected and argmax'd; and
a model without projection (OutputProjectionWrapper, two attention heads,
initial_state_attention) trained one step.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled) running TF 1.15's
tf.contrib.legacy_seq2seq Python code (from the 1.15 wheel).
"""

import os

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    src_vocab, tgt_vocab, size, emb, batch = 9, 8, 6, 5, 2
    buckets = [(3, 3), (5, 4)]
    go = 1
    rng = np.random.RandomState(404)

    def build(tf, forward_only, projection=True, heads=1, initial_attention=False):
        lr = tf.Variable(0.5, trainable=False, dtype=tf.float32, name="learning_rate")
        lr_decay = lr.assign(lr * 0.99)
        step = tf.Variable(0, trainable=False, name="global_step")
        output_projection, softmax_loss_function = None, None
        if projection:
            w_t = tf.get_variable("proj_w", [tgt_vocab, size], dtype=tf.float32)
            w = tf.transpose(w_t)
            b = tf.get_variable("proj_b", [tgt_vocab], dtype=tf.float32)
            output_projection = (w, b)

            def full_loss(labels, logits):
                projected = tf.matmul(logits, w) + b
                return tf.nn.sparse_softmax_cross_entropy_with_logits(
                    labels=labels, logits=projected
                )

            softmax_loss_function = full_loss

        def seq2seq_f(encoder_inputs, decoder_inputs, do_decode):
            # a new cell per bucket: deep-copying a built cell fails in TF 1.x
            cell = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.GRUCell(size) for _ in range(2)])
            return tf.contrib.legacy_seq2seq.embedding_attention_seq2seq(
                encoder_inputs,
                decoder_inputs,
                cell,
                num_encoder_symbols=src_vocab,
                num_decoder_symbols=tgt_vocab,
                embedding_size=emb,
                num_heads=heads,
                output_projection=output_projection,
                feed_previous=do_decode,
                dtype=tf.float32,
                initial_state_attention=initial_attention,
            )

        encoder_inputs = [
            tf.placeholder(tf.int32, [None], name=f"encoder{i}") for i in range(buckets[-1][0])
        ]
        decoder_inputs = [
            tf.placeholder(tf.int32, [None], name=f"decoder{i}") for i in range(buckets[-1][1] + 1)
        ]
        target_weights = [
            tf.placeholder(tf.float32, [None], name=f"weight{i}") for i in range(buckets[-1][1] + 1)
        ]
        targets = decoder_inputs[1:]
        outputs, losses = tf.contrib.legacy_seq2seq.model_with_buckets(
            encoder_inputs,
            decoder_inputs,
            targets,
            target_weights,
            buckets,
            lambda x, y: seq2seq_f(x, y, forward_only),
            softmax_loss_function=softmax_loss_function,
        )
        if forward_only and projection:
            outputs = [
                [tf.matmul(o, output_projection[0]) + output_projection[1] for o in bo]
                for bo in outputs
            ]
        m = {
            "enc": encoder_inputs,
            "dec": decoder_inputs,
            "w": target_weights,
            "outputs": outputs,
            "losses": losses,
            "lr_decay": lr_decay,
            "step": step,
        }
        if not forward_only:
            params = tf.trainable_variables()
            opt = tf.train.GradientDescentOptimizer(lr)
            m["norms"], m["updates"] = [], []
            for b in range(len(buckets)):
                gradients = tf.gradients(losses[b], params)
                clipped, norm = tf.clip_by_global_norm(gradients, 5.0)
                m["norms"].append(norm)
                m["updates"].append(
                    opt.apply_gradients(zip(clipped, params, strict=True), global_step=step)
                )
        return m

    def feed_for(m, bucket_id, data):
        enc_size, dec_size = buckets[bucket_id]
        feed = {}
        enc, dec = data
        for i in range(enc_size):
            feed[m["enc"][i]] = enc[:, i]
        for i in range(dec_size):
            feed[m["dec"][i]] = dec[:, i]
            weight = np.ones(batch, np.float32)
            if i == dec_size - 1:
                weight[:] = 0.0
            else:
                weight[dec[:, i + 1] == 0] = 0.0
            feed[m["w"][i]] = weight
        feed[m["dec"][dec_size]] = np.zeros(batch, np.int32)
        return feed

    def batch_for(bucket_id):
        enc_size, dec_size = buckets[bucket_id]
        enc = rng.randint(3, src_vocab, size=(batch, enc_size)).astype(np.int32)
        enc[0, -1] = 0
        dec = rng.randint(3, tgt_vocab, size=(batch, dec_size)).astype(np.int32)
        dec[:, 0] = go
        dec[1, -1] = 0
        return enc[:, ::-1].copy(), dec

    data = [batch_for(0), batch_for(1), batch_for(1)]
    result = {}
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(405)
        m = build(tf, forward_only=False)
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            runs = []
            for bucket_id, d in zip([0, 1, 1], data, strict=True):
                feed = feed_for(m, bucket_id, d)
                _, norm, loss = sess.run(
                    [m["updates"][bucket_id], m["norms"][bucket_id], m["losses"][bucket_id]], feed
                )
                runs.append([float(norm), float(loss)])
            sess.run(m["lr_decay"])
            path = saver.save(sess, os.path.join(workdir, "translate.ckpt"), global_step=m["step"])
        result["vars"] = [[v.name, v.shape.as_list()] for v in tf.global_variables()]
        result["names"] = [
            m["losses"][0].name,
            m["losses"][1].name,
            m["outputs"][1][2].name,
            m["updates"][1].name,
            m["norms"][0].name,
        ]
        result["runs"] = runs
    g2 = tf.Graph()
    with g2.as_default():
        m = build(tf, forward_only=True)
        with tf.Session() as sess:
            tf.train.Saver().restore(sess, path)
            feed = feed_for(m, 1, data[1])
            outs, loss = sess.run([m["outputs"][1], m["losses"][1]], feed)
        result["decode_loss"] = float(loss)
        result["decoded"] = [o.argmax(1).tolist() for o in outs]
        result["decode_names"] = [m["outputs"][1][0].name, m["losses"][1].name]
        result["decode_logits"] = outs[1].tolist()
    g3 = tf.Graph()
    with g3.as_default():
        tf.set_random_seed(406)
        m = build(tf, forward_only=False, projection=False, heads=2, initial_attention=True)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            feed = feed_for(m, 0, data[0])
            _, loss = sess.run([m["updates"][0], m["losses"][0]], feed)
            loss2, out = sess.run([m["losses"][0], m["outputs"][0][1]], feed)
        result["heads_vars"] = [[v.name, v.shape.as_list()] for v in tf.trainable_variables()]
        result["heads_losses"] = [float(loss), float(loss2)]
        result["heads_output"] = out.tolist()
    return result


EXPECTED = {
    "vars": [
        ["learning_rate:0", []],
        ["global_step:0", []],
        ["proj_w:0", [8, 6]],
        ["proj_b:0", [8]],
        ["embedding_attention_seq2seq/rnn/embedding_wrapper/embedding:0", [9, 5]],
        [
            "embedding_attention_seq2seq/rnn/embedding_wrapper/multi_rnn_cell/cell_0/gru_cell/gates/kernel:0",
            [11, 12],
        ],
        [
            "embedding_attention_seq2seq/rnn/embedding_wrapper/multi_rnn_cell/cell_0/gru_cell/gates/bias:0",
            [12],
        ],
        [
            "embedding_attention_seq2seq/rnn/embedding_wrapper/multi_rnn_cell/cell_0/gru_cell/candidate/kernel:0",
            [11, 6],
        ],
        [
            "embedding_attention_seq2seq/rnn/embedding_wrapper/multi_rnn_cell/cell_0/gru_cell/candidate/bias:0",
            [6],
        ],
        [
            "embedding_attention_seq2seq/rnn/embedding_wrapper/multi_rnn_cell/cell_1/gru_cell/gates/kernel:0",
            [12, 12],
        ],
        [
            "embedding_attention_seq2seq/rnn/embedding_wrapper/multi_rnn_cell/cell_1/gru_cell/gates/bias:0",
            [12],
        ],
        [
            "embedding_attention_seq2seq/rnn/embedding_wrapper/multi_rnn_cell/cell_1/gru_cell/candidate/kernel:0",
            [12, 6],
        ],
        [
            "embedding_attention_seq2seq/rnn/embedding_wrapper/multi_rnn_cell/cell_1/gru_cell/candidate/bias:0",
            [6],
        ],
        ["embedding_attention_seq2seq/embedding_attention_decoder/embedding:0", [8, 5]],
        [
            "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/AttnW_0:0",
            [1, 1, 6, 6],
        ],
        [
            "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/AttnV_0:0",
            [6],
        ],
        [
            "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/kernel:0",
            [11, 5],
        ],
        ["embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/bias:0", [5]],
        [
            "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/multi_rnn_cell/cell_0/gru_cell/gates/kernel:0",
            [11, 12],
        ],
        [
            "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/multi_rnn_cell/cell_0/gru_cell/gates/bias:0",
            [12],
        ],
        [
            "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/multi_rnn_cell/cell_0/gru_cell/candidate/kernel:0",
            [11, 6],
        ],
        [
            "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/multi_rnn_cell/cell_0/gru_cell/candidate/bias:0",
            [6],
        ],
        [
            "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/multi_rnn_cell/cell_1/gru_cell/gates/kernel:0",
            [12, 12],
        ],
        [
            "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/multi_rnn_cell/cell_1/gru_cell/gates/bias:0",
            [12],
        ],
        [
            "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/multi_rnn_cell/cell_1/gru_cell/candidate/kernel:0",
            [12, 6],
        ],
        [
            "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/multi_rnn_cell/cell_1/gru_cell/candidate/bias:0",
            [6],
        ],
        [
            "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/Attention_0/kernel:0",
            [12, 6],
        ],
        [
            "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/Attention_0/bias:0",
            [6],
        ],
        [
            "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/AttnOutputProjection/kernel:0",
            [12, 6],
        ],
        [
            "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/AttnOutputProjection/bias:0",
            [6],
        ],
    ],
    "names": [
        "model_with_buckets/sequence_loss/truediv:0",
        "model_with_buckets/sequence_loss_1/truediv:0",
        "model_with_buckets/embedding_attention_seq2seq_1/embedding_attention_decoder/attention_decoder/AttnOutputProjection_2/BiasAdd:0",
        "GradientDescent_1",
        "global_norm/global_norm:0",
    ],
    "runs": [
        [0.7335445284843445, 1.8016042709350586],
        [0.6480648517608643, 1.9733655452728271],
        [0.4914771318435669, 1.899379849433899],
    ],
    "decode_loss": 1.737208604812622,
    "decoded": [[5, 5], [5, 5], [5, 5], [5, 5]],
    "decode_names": ["add_3:0", "model_with_buckets/sequence_loss_1/truediv:0"],
    "decode_logits": [
        [
            -0.38471874594688416,
            -0.3780355155467987,
            -0.8995461463928223,
            -0.3170786201953888,
            0.7953433990478516,
            1.0511199235916138,
            0.4370577335357666,
            0.2111750841140747,
        ],
        [
            -0.3113064169883728,
            -0.38413912057876587,
            -0.6827559471130371,
            -0.1155778244137764,
            0.6642579436302185,
            0.8800266981124878,
            0.5015489459037781,
            0.08862149715423584,
        ],
    ],
    "heads_vars": [
        ["embedding_attention_seq2seq/rnn/embedding_wrapper/embedding:0", [9, 5]],
        [
            "embedding_attention_seq2seq/rnn/embedding_wrapper/multi_rnn_cell/cell_0/gru_cell/gates/kernel:0",
            [11, 12],
        ],
        [
            "embedding_attention_seq2seq/rnn/embedding_wrapper/multi_rnn_cell/cell_0/gru_cell/gates/bias:0",
            [12],
        ],
        [
            "embedding_attention_seq2seq/rnn/embedding_wrapper/multi_rnn_cell/cell_0/gru_cell/candidate/kernel:0",
            [11, 6],
        ],
        [
            "embedding_attention_seq2seq/rnn/embedding_wrapper/multi_rnn_cell/cell_0/gru_cell/candidate/bias:0",
            [6],
        ],
        [
            "embedding_attention_seq2seq/rnn/embedding_wrapper/multi_rnn_cell/cell_1/gru_cell/gates/kernel:0",
            [12, 12],
        ],
        [
            "embedding_attention_seq2seq/rnn/embedding_wrapper/multi_rnn_cell/cell_1/gru_cell/gates/bias:0",
            [12],
        ],
        [
            "embedding_attention_seq2seq/rnn/embedding_wrapper/multi_rnn_cell/cell_1/gru_cell/candidate/kernel:0",
            [12, 6],
        ],
        [
            "embedding_attention_seq2seq/rnn/embedding_wrapper/multi_rnn_cell/cell_1/gru_cell/candidate/bias:0",
            [6],
        ],
        ["embedding_attention_seq2seq/embedding_attention_decoder/embedding:0", [8, 5]],
        [
            "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/AttnW_0:0",
            [1, 1, 6, 6],
        ],
        [
            "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/AttnV_0:0",
            [6],
        ],
        [
            "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/AttnW_1:0",
            [1, 1, 6, 6],
        ],
        [
            "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/AttnV_1:0",
            [6],
        ],
        [
            "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/Attention_0/kernel:0",
            [12, 6],
        ],
        [
            "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/Attention_0/bias:0",
            [6],
        ],
        [
            "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/Attention_1/kernel:0",
            [12, 6],
        ],
        [
            "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/Attention_1/bias:0",
            [6],
        ],
        [
            "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/kernel:0",
            [17, 5],
        ],
        ["embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/bias:0", [5]],
        [
            "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/output_projection_wrapper/multi_rnn_cell/cell_0/gru_cell/gates/kernel:0",
            [11, 12],
        ],
        [
            "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/output_projection_wrapper/multi_rnn_cell/cell_0/gru_cell/gates/bias:0",
            [12],
        ],
        [
            "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/output_projection_wrapper/multi_rnn_cell/cell_0/gru_cell/candidate/kernel:0",
            [11, 6],
        ],
        [
            "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/output_projection_wrapper/multi_rnn_cell/cell_0/gru_cell/candidate/bias:0",
            [6],
        ],
        [
            "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/output_projection_wrapper/multi_rnn_cell/cell_1/gru_cell/gates/kernel:0",
            [12, 12],
        ],
        [
            "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/output_projection_wrapper/multi_rnn_cell/cell_1/gru_cell/gates/bias:0",
            [12],
        ],
        [
            "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/output_projection_wrapper/multi_rnn_cell/cell_1/gru_cell/candidate/kernel:0",
            [12, 6],
        ],
        [
            "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/output_projection_wrapper/multi_rnn_cell/cell_1/gru_cell/candidate/bias:0",
            [6],
        ],
        [
            "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/output_projection_wrapper/kernel:0",
            [6, 8],
        ],
        [
            "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/output_projection_wrapper/bias:0",
            [8],
        ],
        [
            "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/AttnOutputProjection/kernel:0",
            [20, 8],
        ],
        [
            "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/AttnOutputProjection/bias:0",
            [8],
        ],
    ],
    "heads_losses": [2.079149007797241, 1.9018235206604004],
    "heads_output": [
        [
            0.040963008999824524,
            -0.0064331963658332825,
            -0.13520774245262146,
            -0.006678234785795212,
            0.3452349901199341,
            0.165519118309021,
            -0.11586391925811768,
            0.08206018805503845,
        ],
        [
            0.029940523207187653,
            -0.029250189661979675,
            -0.15766289830207825,
            -0.04623738303780556,
            0.32115456461906433,
            0.10628405958414078,
            -0.10978564620018005,
            0.05415575951337814,
        ],
    ],
}


def test_translate_buckets_matches_tensorflow(tmp_path):
    close(program(tf, str(tmp_path)), EXPECTED)
