"""An image-captioning model in the style of im2txt (Show and Tell): image features projected by
tf.contrib.layers.fully_connected, word embeddings on the CPU, the LSTM called once on the image
embedding inside its scope (then reuse_variables) to make the initial state, dynamic_rnn over the
caption with lengths from the input mask, a masked batch loss added with tf.losses.add_loss and
read back by get_total_loss, SGD with clipping, a checkpoint; then an inference graph of the same
variables that concatenates the initial state, feeds it back through a ``state_feed``
placeholder split into (c, h), and decodes greedily step by step from NumPy.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled; tf.contrib.layers was tf_slim's).
"""

import os

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    rng = np.random.RandomState(8)
    batch, feat_dim, embed, units, vocab, steps = 3, 6, 5, 4, 9, 4
    features = rng.randn(batch, feat_dim).astype(np.float32)
    input_seqs = rng.randint(2, vocab, size=(batch, steps)).astype(np.int64)
    target_seqs = np.roll(input_seqs, -1, axis=1)
    mask = np.array([[1, 1, 1, 1], [1, 1, 0, 0], [1, 1, 1, 0]], np.int32)
    prefix = os.path.join(workdir, "model.ckpt")

    def build(tf, mode):
        initializer = tf.random_uniform_initializer(minval=-0.08, maxval=0.08, seed=3)
        images = tf.placeholder(tf.float32, [None, feat_dim], name="image_feed")
        if mode == "inference":
            input_feed = tf.placeholder(tf.int64, [None], name="input_feed")
            seqs = tf.expand_dims(input_feed, 1)
        else:
            seqs = tf.placeholder(tf.int64, [batch, steps], name="input_seqs")
        with tf.variable_scope("image_embedding") as scope:
            image_embeddings = tf.contrib.layers.fully_connected(
                images,
                embed,
                activation_fn=None,
                weights_initializer=initializer,
                biases_initializer=None,
                scope=scope,
            )
        with tf.variable_scope("seq_embedding"), tf.device("/cpu:0"):
            embedding_map = tf.get_variable("map", [vocab, embed], initializer=initializer)
            seq_embeddings = tf.nn.embedding_lookup(embedding_map, seqs)
        cell = tf.nn.rnn_cell.BasicLSTMCell(units, state_is_tuple=True)
        out = {"images": images, "seqs": seqs}
        with tf.variable_scope("lstm", initializer=initializer) as lstm_scope:
            zero_state = cell.zero_state(tf.shape(image_embeddings)[0], tf.float32)
            _, initial_state = cell(image_embeddings, zero_state)
            lstm_scope.reuse_variables()
            if mode == "inference":
                out["initial_state"] = tf.concat(axis=1, values=initial_state, name="initial_state")
                state_feed = tf.placeholder(
                    tf.float32, [None, sum(cell.state_size)], name="state_feed"
                )
                state_tuple = tf.split(value=state_feed, num_or_size_splits=2, axis=1)
                outputs, state_tuple = cell(tf.squeeze(seq_embeddings, axis=[1]), state_tuple)
                out["state"] = tf.concat(axis=1, values=state_tuple, name="state")
                out["state_feed"] = state_feed
            else:
                input_mask = tf.placeholder(tf.int32, [batch, steps], name="input_mask")
                out["mask"] = input_mask
                lengths = tf.reduce_sum(input_mask, 1)
                outputs, _ = tf.nn.dynamic_rnn(
                    cell,
                    seq_embeddings,
                    sequence_length=lengths,
                    initial_state=initial_state,
                    dtype=tf.float32,
                    scope=lstm_scope,
                )
        outputs = tf.reshape(outputs, [-1, cell.output_size])
        with tf.variable_scope("logits") as logits_scope:
            logits = tf.contrib.layers.fully_connected(
                outputs,
                vocab,
                activation_fn=None,
                weights_initializer=initializer,
                scope=logits_scope,
            )
        if mode == "inference":
            out["softmax"] = tf.nn.softmax(logits, name="softmax")
            return out
        targets_ph = tf.placeholder(tf.int64, [batch, steps], name="target_seqs")
        out["targets"] = targets_ph
        targets = tf.reshape(targets_ph, [-1])
        weights = tf.to_float(tf.reshape(out["mask"], [-1]))
        losses = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=targets, logits=logits)
        batch_loss = tf.div(
            tf.reduce_sum(tf.multiply(losses, weights)), tf.reduce_sum(weights), name="batch_loss"
        )
        tf.losses.add_loss(batch_loss)
        out["total_loss"] = tf.losses.get_total_loss()
        out["batch_loss"] = batch_loss
        return out

    result = {}
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(12)
        m = build(tf, "train")
        step = tf.train.get_or_create_global_step()
        opt = tf.train.GradientDescentOptimizer(2.0)
        tvars = tf.trainable_variables()
        grads, _ = tf.clip_by_global_norm(tf.gradients(m["total_loss"], tvars), 5.0)
        train_op = opt.apply_gradients(zip(grads, tvars, strict=True), global_step=step)
        saver = tf.train.Saver()
        feed = {
            m["images"]: features,
            m["seqs"]: input_seqs,
            m["targets"]: target_seqs,
            m["mask"]: mask,
        }
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            losses = [float(sess.run([m["total_loss"], train_op], feed)[0]) for _ in range(4)]
            saver.save(sess, prefix, global_step=step)
        result["train_vars"] = [[v.name, v.shape.as_list()] for v in tf.global_variables()]
        result["losses"] = losses
        result["train_names"] = [
            m["total_loss"].name,
            m["batch_loss"].name,
            [t.name for t in tf.losses.get_losses()],
        ]
    g2 = tf.Graph()
    with g2.as_default():
        m = build(tf, "inference")
        restorer = tf.train.Saver()
        with tf.Session() as sess:
            restorer.restore(sess, tf.train.latest_checkpoint(workdir))
            state = sess.run(m["initial_state"], {m["images"]: features})
            words = np.ones(batch, np.int64)
            caption, probs = [], []
            for _ in range(3):
                softmax, state = sess.run(
                    [m["softmax"], m["state"]],
                    {m["seqs"].op.inputs[0]: words, m["state_feed"]: state},
                )
                words = softmax.argmax(axis=1)
                caption.append(words.tolist())
                probs.append(softmax.max(axis=1).tolist())
        result["infer_vars"] = [v.name for v in tf.global_variables()]
        result["infer_names"] = [m["initial_state"].name, m["state"].name, m["softmax"].name]
        result["caption"] = caption
        result["probs"] = probs
        result["final_state"] = state[0].tolist()
    return result


EXPECTED = {
    "train_vars": [
        ["image_embedding/weights:0", [6, 5]],
        ["seq_embedding/map:0", [9, 5]],
        ["lstm/basic_lstm_cell/kernel:0", [9, 16]],
        ["lstm/basic_lstm_cell/bias:0", [16]],
        ["logits/weights:0", [4, 9]],
        ["logits/biases:0", [9]],
        ["global_step:0", []],
    ],
    "losses": [2.197296142578125, 1.978513479232788, 1.8512009382247925, 1.776923656463623],
    "train_names": ["total_loss:0", "batch_loss:0", ["batch_loss:0"]],
    "infer_vars": [
        "image_embedding/weights:0",
        "seq_embedding/map:0",
        "lstm/basic_lstm_cell/kernel:0",
        "lstm/basic_lstm_cell/bias:0",
        "logits/weights:0",
        "logits/biases:0",
    ],
    "infer_names": ["lstm/initial_state:0", "lstm/state:0", "softmax:0"],
    "caption": [[6, 6, 6], [6, 6, 6], [6, 6, 6]],
    "probs": [
        [0.2817603349685669, 0.28178679943084717, 0.28188371658325195],
        [0.28206920623779297, 0.2820887565612793, 0.2821596562862396],
        [0.28229084610939026, 0.2823052406311035, 0.28235697746276855],
    ],
    "final_state": [
        0.045527078211307526,
        -0.047440305352211,
        0.01794379949569702,
        0.08619076013565063,
        0.022819310426712036,
        -0.02365945652127266,
        0.00897937547415495,
        0.04334721714258194,
    ],
}


def test_im2txt_captioning_matches_tensorflow(tmp_path):
    close(program(tf, str(tmp_path)), EXPECTED)
