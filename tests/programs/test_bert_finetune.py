"""BERT-style fine-tuning as Google's bert/run_classifier.py and optimization.py write it: an
encoder layer built from reshape/transpose/matmul attention with an additive mask, gelu from
tf.tanh/tf.pow, tf.contrib.layers.layer_norm; a "pre-trained" checkpoint restored into the
fine-tuning graph by tf.train.init_from_checkpoint with an assignment map built from
tf.train.list_variables; a one_hot/log_softmax loss; a linear warmup over
tf.train.polynomial_decay built from the global step; tf.clip_by_global_norm; and
AdamWeightDecayOptimizer, a tf.train.Optimizer subclass that overrides apply_gradients, makes its
own ``<param>/adam_m`` and ``/adam_v`` slots with tf.get_variable and leaves LayerNorm and bias
out of the weight decay by regex.

One change from BERT: the step increment runs after the update (BERT groups the two unordered,
so reads of the step race with the increment, in TF as anywhere).

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled; tf_slim's layer_norm as tf.contrib's).
"""

import collections
import math
import re

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    def gelu(x):
        cdf = 0.5 * (1.0 + tf.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * tf.pow(x, 3))))
        return x * cdf

    def layer_norm(x, name):
        return tf.contrib.layers.layer_norm(
            inputs=x, begin_norm_axis=-1, begin_params_axis=-1, scope=name
        )

    def init():
        return tf.truncated_normal_initializer(stddev=0.02)

    def encoder(ids, mask, vocab, hidden, heads, seq):
        with tf.variable_scope("bert"):
            with tf.variable_scope("embeddings"):
                table = tf.get_variable("word_embeddings", [vocab, hidden], initializer=init())
                x = tf.gather(table, tf.reshape(ids, [-1]))
                x = tf.reshape(x, [-1, seq, hidden])
                pos = tf.get_variable("position_embeddings", [seq, hidden], initializer=init())
                x += tf.expand_dims(pos, 0)
                x = layer_norm(x, "LayerNorm")
            with tf.variable_scope("encoder/layer_0"):
                flat = tf.reshape(x, [-1, hidden])
                size = hidden // heads
                with tf.variable_scope("attention/self"):

                    def proj(name):
                        t = tf.layers.dense(flat, hidden, name=name, kernel_initializer=init())
                        t = tf.reshape(t, [-1, seq, heads, size])
                        return tf.transpose(t, [0, 2, 1, 3])

                    q, k, v = proj("query"), proj("key"), proj("value")
                    scores = tf.matmul(q, k, transpose_b=True)
                    scores = tf.multiply(scores, 1.0 / math.sqrt(float(size)))
                    adder = (1.0 - tf.cast(mask[:, None, None, :], tf.float32)) * -10000.0
                    probs = tf.nn.softmax(scores + adder)
                    ctx = tf.transpose(tf.matmul(probs, v), [0, 2, 1, 3])
                    ctx = tf.reshape(ctx, [-1, hidden])
                with tf.variable_scope("attention/output"):
                    a = tf.layers.dense(ctx, hidden, kernel_initializer=init())
                    a = layer_norm(a + flat, "LayerNorm")
                with tf.variable_scope("intermediate"):
                    i = tf.layers.dense(a, 2 * hidden, activation=gelu, kernel_initializer=init())
                with tf.variable_scope("output"):
                    o = tf.layers.dense(i, hidden, kernel_initializer=init())
                    o = layer_norm(o + a, "LayerNorm")
                out = tf.reshape(o, [-1, seq, hidden])
            with tf.variable_scope("pooler"):
                first = tf.squeeze(out[:, 0:1, :], axis=1)
                pooled = tf.layers.dense(
                    first, hidden, activation=tf.tanh, kernel_initializer=init()
                )
        return out, pooled

    class AdamWeightDecayOptimizer(tf.train.Optimizer):
        def __init__(
            self,
            learning_rate,
            weight_decay_rate=0.0,
            beta_1=0.9,
            beta_2=0.999,
            epsilon=1e-6,
            exclude_from_weight_decay=None,
            name="AdamWeightDecayOptimizer",
        ):
            super().__init__(False, name)
            self.learning_rate = learning_rate
            self.weight_decay_rate = weight_decay_rate
            self.beta_1 = beta_1
            self.beta_2 = beta_2
            self.epsilon = epsilon
            self.exclude_from_weight_decay = exclude_from_weight_decay

        def apply_gradients(self, grads_and_vars, global_step=None, name=None):
            assignments = []
            for grad, param in grads_and_vars:
                if grad is None or param is None:
                    continue
                param_name = self._get_variable_name(param.name)
                m = tf.get_variable(
                    name=param_name + "/adam_m",
                    shape=param.shape.as_list(),
                    dtype=tf.float32,
                    trainable=False,
                    initializer=tf.zeros_initializer(),
                )
                v = tf.get_variable(
                    name=param_name + "/adam_v",
                    shape=param.shape.as_list(),
                    dtype=tf.float32,
                    trainable=False,
                    initializer=tf.zeros_initializer(),
                )
                next_m = tf.multiply(self.beta_1, m) + tf.multiply(1.0 - self.beta_1, grad)
                next_v = tf.multiply(self.beta_2, v) + tf.multiply(
                    1.0 - self.beta_2, tf.square(grad)
                )
                update = next_m / (tf.sqrt(next_v) + self.epsilon)
                if self._do_use_weight_decay(param_name):
                    update += self.weight_decay_rate * param
                next_param = param - self.learning_rate * update
                assignments.extend([param.assign(next_param), m.assign(next_m), v.assign(next_v)])
            return tf.group(*assignments, name=name)

        def _do_use_weight_decay(self, param_name):
            if not self.weight_decay_rate:
                return False
            if self.exclude_from_weight_decay:
                for r in self.exclude_from_weight_decay:
                    if re.search(r, param_name) is not None:
                        return False
            return True

        def _get_variable_name(self, param_name):
            m = re.match("^(.*):\\d+$", param_name)
            if m is not None:
                param_name = m.group(1)
            return param_name

    vocab, hidden, heads, seq, batch, labels_n = 11, 8, 2, 4, 3, 3
    ckpt = workdir + "/pretrained.ckpt"
    # 1. a "pre-trained" checkpoint
    g0 = tf.Graph()
    with g0.as_default():
        tf.set_random_seed(7)
        ids = tf.placeholder(tf.int32, [None, seq])
        mask = tf.placeholder(tf.int32, [None, seq])
        encoder(ids, mask, vocab, hidden, heads, seq)
        with tf.variable_scope("cls/predictions"):
            tf.get_variable("output_bias", [vocab], initializer=tf.zeros_initializer())
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            saver.save(sess, ckpt)
    listed = [[n, s] for n, s in tf.train.list_variables(ckpt)]

    # 2. fine-tuning
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(11)
        ids = tf.placeholder(tf.int32, [None, seq], name="input_ids")
        mask = tf.placeholder(tf.int32, [None, seq], name="input_mask")
        y = tf.placeholder(tf.int32, [None], name="label_ids")
        _, pooled = encoder(ids, mask, vocab, hidden, heads, seq)
        output_weights = tf.get_variable(
            "output_weights",
            [labels_n, hidden],
            initializer=tf.truncated_normal_initializer(stddev=0.02),
        )
        output_bias = tf.get_variable("output_bias", [labels_n], initializer=tf.zeros_initializer())
        with tf.variable_scope("loss"):
            pooled = tf.nn.dropout(pooled, keep_prob=0.9)
            logits = tf.matmul(pooled, output_weights, transpose_b=True)
            logits = tf.nn.bias_add(logits, output_bias)
            log_probs = tf.nn.log_softmax(logits, axis=-1)
            one_hot = tf.one_hot(y, depth=labels_n, dtype=tf.float32)
            per_example = -tf.reduce_sum(one_hot * log_probs, axis=-1)
            loss = tf.reduce_mean(per_example)

        tvars = tf.trainable_variables()
        name_to_variable = collections.OrderedDict()
        for var in tvars:
            name = re.match("^(.*):\\d+$", var.name).group(1)
            name_to_variable[name] = var
        assignment_map = collections.OrderedDict()
        initialized = []
        for name, _ in tf.train.list_variables(ckpt):
            if name not in name_to_variable:
                continue
            assignment_map[name] = name
            initialized.append(name)
        tf.train.init_from_checkpoint(ckpt, assignment_map)

        init_lr, num_train_steps, num_warmup_steps = 0.01, 6, 2
        global_step = tf.train.get_or_create_global_step()
        learning_rate = tf.constant(value=init_lr, shape=[], dtype=tf.float32)
        learning_rate = tf.train.polynomial_decay(
            learning_rate,
            global_step,
            num_train_steps,
            end_learning_rate=0.0,
            power=1.0,
            cycle=False,
        )
        global_steps_int = tf.cast(global_step, tf.int32)
        warmup_steps_int = tf.constant(num_warmup_steps, dtype=tf.int32)
        global_steps_float = tf.cast(global_steps_int, tf.float32)
        warmup_steps_float = tf.cast(warmup_steps_int, tf.float32)
        warmup_percent_done = global_steps_float / warmup_steps_float
        warmup_learning_rate = init_lr * warmup_percent_done
        is_warmup = tf.cast(global_steps_int < warmup_steps_int, tf.float32)
        learning_rate = (1.0 - is_warmup) * learning_rate + is_warmup * warmup_learning_rate
        optimizer = AdamWeightDecayOptimizer(
            learning_rate=learning_rate,
            weight_decay_rate=0.01,
            exclude_from_weight_decay=["LayerNorm", "layer_norm", "bias"],
        )
        grads = tf.gradients(loss, tvars)
        (grads, _) = tf.clip_by_global_norm(grads, clip_norm=1.0)
        train_op = optimizer.apply_gradients(
            zip(grads, tvars, strict=True), global_step=global_step
        )
        new_global_step = global_step + 1
        # (BERT groups the step increment beside the update, unordered: reads of the step
        # then race with it; here it runs after the update)
        with tf.control_dependencies([train_op]):
            train_op = tf.group(train_op, [global_step.assign(new_global_step)])

        rng = np.random.RandomState(3)
        feeds = []
        for _ in range(4):
            feeds.append(
                {
                    ids: rng.randint(0, vocab, (batch, seq)),
                    mask: np.array([[1, 1, 1, 1], [1, 1, 1, 0], [1, 1, 0, 0]]),
                    y: rng.randint(0, labels_n, batch),
                }
            )
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            emb0 = sess.run(tvars[0])
            losses, lrs = [], []
            for f in feeds:
                lr = sess.run(learning_rate)
                value, _ = sess.run([loss, train_op], f)
                losses.append(float(value))
                lrs.append(float(lr))
            emb1, ln_beta, m_out = sess.run(
                [
                    tvars[0],
                    g.get_tensor_by_name("bert/embeddings/LayerNorm/beta:0"),
                    g.get_tensor_by_name("output_weights/adam_m:0"),
                ]
            )
        return {
            "listed": listed,
            "vars": [[v.name, v.shape.as_list(), v in tvars] for v in tf.global_variables()],
            "initialized": initialized,
            "names": [
                pooled.name,
                logits.name,
                log_probs.name,
                loss.name,
                learning_rate.name,
                train_op.name,
                grads[0].name,
                scores_name(g),
            ],
            "emb0": [round(float(x), 7) for x in emb0[0, :4]],
            "emb1": [float(x) for x in emb1[0, :4]],
            "ln_beta": [float(x) for x in ln_beta[:4]],
            "m_out": [float(x) for x in m_out[0, :4]],
            "losses": losses,
            "lrs": lrs,
        }


def scores_name(g):
    return sorted(
        op.name
        for op in g.get_operations()
        if op.name.startswith("bert/encoder/layer_0/attention/self/")
        and op.type in ("Softmax", "BatchMatMulV2", "Mul")
    )


EXPECTED = {
    "listed": [
        ["bert/embeddings/LayerNorm/beta", [8]],
        ["bert/embeddings/LayerNorm/gamma", [8]],
        ["bert/embeddings/position_embeddings", [4, 8]],
        ["bert/embeddings/word_embeddings", [11, 8]],
        ["bert/encoder/layer_0/attention/output/LayerNorm/beta", [8]],
        ["bert/encoder/layer_0/attention/output/LayerNorm/gamma", [8]],
        ["bert/encoder/layer_0/attention/output/dense/bias", [8]],
        ["bert/encoder/layer_0/attention/output/dense/kernel", [8, 8]],
        ["bert/encoder/layer_0/attention/self/key/bias", [8]],
        ["bert/encoder/layer_0/attention/self/key/kernel", [8, 8]],
        ["bert/encoder/layer_0/attention/self/query/bias", [8]],
        ["bert/encoder/layer_0/attention/self/query/kernel", [8, 8]],
        ["bert/encoder/layer_0/attention/self/value/bias", [8]],
        ["bert/encoder/layer_0/attention/self/value/kernel", [8, 8]],
        ["bert/encoder/layer_0/intermediate/dense/bias", [16]],
        ["bert/encoder/layer_0/intermediate/dense/kernel", [8, 16]],
        ["bert/encoder/layer_0/output/LayerNorm/beta", [8]],
        ["bert/encoder/layer_0/output/LayerNorm/gamma", [8]],
        ["bert/encoder/layer_0/output/dense/bias", [8]],
        ["bert/encoder/layer_0/output/dense/kernel", [16, 8]],
        ["bert/pooler/dense/bias", [8]],
        ["bert/pooler/dense/kernel", [8, 8]],
        ["cls/predictions/output_bias", [11]],
    ],
    "vars": [
        ["bert/embeddings/word_embeddings:0", [11, 8], True],
        ["bert/embeddings/position_embeddings:0", [4, 8], True],
        ["bert/embeddings/LayerNorm/beta:0", [8], True],
        ["bert/embeddings/LayerNorm/gamma:0", [8], True],
        ["bert/encoder/layer_0/attention/self/query/kernel:0", [8, 8], True],
        ["bert/encoder/layer_0/attention/self/query/bias:0", [8], True],
        ["bert/encoder/layer_0/attention/self/key/kernel:0", [8, 8], True],
        ["bert/encoder/layer_0/attention/self/key/bias:0", [8], True],
        ["bert/encoder/layer_0/attention/self/value/kernel:0", [8, 8], True],
        ["bert/encoder/layer_0/attention/self/value/bias:0", [8], True],
        ["bert/encoder/layer_0/attention/output/dense/kernel:0", [8, 8], True],
        ["bert/encoder/layer_0/attention/output/dense/bias:0", [8], True],
        ["bert/encoder/layer_0/attention/output/LayerNorm/beta:0", [8], True],
        ["bert/encoder/layer_0/attention/output/LayerNorm/gamma:0", [8], True],
        ["bert/encoder/layer_0/intermediate/dense/kernel:0", [8, 16], True],
        ["bert/encoder/layer_0/intermediate/dense/bias:0", [16], True],
        ["bert/encoder/layer_0/output/dense/kernel:0", [16, 8], True],
        ["bert/encoder/layer_0/output/dense/bias:0", [8], True],
        ["bert/encoder/layer_0/output/LayerNorm/beta:0", [8], True],
        ["bert/encoder/layer_0/output/LayerNorm/gamma:0", [8], True],
        ["bert/pooler/dense/kernel:0", [8, 8], True],
        ["bert/pooler/dense/bias:0", [8], True],
        ["output_weights:0", [3, 8], True],
        ["output_bias:0", [3], True],
        ["global_step:0", [], False],
        ["bert/embeddings/word_embeddings/adam_m:0", [11, 8], False],
        ["bert/embeddings/word_embeddings/adam_v:0", [11, 8], False],
        ["bert/embeddings/position_embeddings/adam_m:0", [4, 8], False],
        ["bert/embeddings/position_embeddings/adam_v:0", [4, 8], False],
        ["bert/embeddings/LayerNorm/beta/adam_m:0", [8], False],
        ["bert/embeddings/LayerNorm/beta/adam_v:0", [8], False],
        ["bert/embeddings/LayerNorm/gamma/adam_m:0", [8], False],
        ["bert/embeddings/LayerNorm/gamma/adam_v:0", [8], False],
        ["bert/encoder/layer_0/attention/self/query/kernel/adam_m:0", [8, 8], False],
        ["bert/encoder/layer_0/attention/self/query/kernel/adam_v:0", [8, 8], False],
        ["bert/encoder/layer_0/attention/self/query/bias/adam_m:0", [8], False],
        ["bert/encoder/layer_0/attention/self/query/bias/adam_v:0", [8], False],
        ["bert/encoder/layer_0/attention/self/key/kernel/adam_m:0", [8, 8], False],
        ["bert/encoder/layer_0/attention/self/key/kernel/adam_v:0", [8, 8], False],
        ["bert/encoder/layer_0/attention/self/key/bias/adam_m:0", [8], False],
        ["bert/encoder/layer_0/attention/self/key/bias/adam_v:0", [8], False],
        ["bert/encoder/layer_0/attention/self/value/kernel/adam_m:0", [8, 8], False],
        ["bert/encoder/layer_0/attention/self/value/kernel/adam_v:0", [8, 8], False],
        ["bert/encoder/layer_0/attention/self/value/bias/adam_m:0", [8], False],
        ["bert/encoder/layer_0/attention/self/value/bias/adam_v:0", [8], False],
        ["bert/encoder/layer_0/attention/output/dense/kernel/adam_m:0", [8, 8], False],
        ["bert/encoder/layer_0/attention/output/dense/kernel/adam_v:0", [8, 8], False],
        ["bert/encoder/layer_0/attention/output/dense/bias/adam_m:0", [8], False],
        ["bert/encoder/layer_0/attention/output/dense/bias/adam_v:0", [8], False],
        ["bert/encoder/layer_0/attention/output/LayerNorm/beta/adam_m:0", [8], False],
        ["bert/encoder/layer_0/attention/output/LayerNorm/beta/adam_v:0", [8], False],
        ["bert/encoder/layer_0/attention/output/LayerNorm/gamma/adam_m:0", [8], False],
        ["bert/encoder/layer_0/attention/output/LayerNorm/gamma/adam_v:0", [8], False],
        ["bert/encoder/layer_0/intermediate/dense/kernel/adam_m:0", [8, 16], False],
        ["bert/encoder/layer_0/intermediate/dense/kernel/adam_v:0", [8, 16], False],
        ["bert/encoder/layer_0/intermediate/dense/bias/adam_m:0", [16], False],
        ["bert/encoder/layer_0/intermediate/dense/bias/adam_v:0", [16], False],
        ["bert/encoder/layer_0/output/dense/kernel/adam_m:0", [16, 8], False],
        ["bert/encoder/layer_0/output/dense/kernel/adam_v:0", [16, 8], False],
        ["bert/encoder/layer_0/output/dense/bias/adam_m:0", [8], False],
        ["bert/encoder/layer_0/output/dense/bias/adam_v:0", [8], False],
        ["bert/encoder/layer_0/output/LayerNorm/beta/adam_m:0", [8], False],
        ["bert/encoder/layer_0/output/LayerNorm/beta/adam_v:0", [8], False],
        ["bert/encoder/layer_0/output/LayerNorm/gamma/adam_m:0", [8], False],
        ["bert/encoder/layer_0/output/LayerNorm/gamma/adam_v:0", [8], False],
        ["bert/pooler/dense/kernel/adam_m:0", [8, 8], False],
        ["bert/pooler/dense/kernel/adam_v:0", [8, 8], False],
        ["bert/pooler/dense/bias/adam_m:0", [8], False],
        ["bert/pooler/dense/bias/adam_v:0", [8], False],
        ["output_weights/adam_m:0", [3, 8], False],
        ["output_weights/adam_v:0", [3, 8], False],
        ["output_bias/adam_m:0", [3], False],
        ["output_bias/adam_v:0", [3], False],
    ],
    "initialized": [
        "bert/embeddings/LayerNorm/beta",
        "bert/embeddings/LayerNorm/gamma",
        "bert/embeddings/position_embeddings",
        "bert/embeddings/word_embeddings",
        "bert/encoder/layer_0/attention/output/LayerNorm/beta",
        "bert/encoder/layer_0/attention/output/LayerNorm/gamma",
        "bert/encoder/layer_0/attention/output/dense/bias",
        "bert/encoder/layer_0/attention/output/dense/kernel",
        "bert/encoder/layer_0/attention/self/key/bias",
        "bert/encoder/layer_0/attention/self/key/kernel",
        "bert/encoder/layer_0/attention/self/query/bias",
        "bert/encoder/layer_0/attention/self/query/kernel",
        "bert/encoder/layer_0/attention/self/value/bias",
        "bert/encoder/layer_0/attention/self/value/kernel",
        "bert/encoder/layer_0/intermediate/dense/bias",
        "bert/encoder/layer_0/intermediate/dense/kernel",
        "bert/encoder/layer_0/output/LayerNorm/beta",
        "bert/encoder/layer_0/output/LayerNorm/gamma",
        "bert/encoder/layer_0/output/dense/bias",
        "bert/encoder/layer_0/output/dense/kernel",
        "bert/pooler/dense/bias",
        "bert/pooler/dense/kernel",
    ],
    "names": [
        "loss/dropout/SelectV2:0",
        "loss/BiasAdd:0",
        "loss/LogSoftmax:0",
        "loss/Mean:0",
        "add:0",
        "group_deps_1",
        "clip_by_global_norm/clip_by_global_norm/_0:0",
        [
            "bert/encoder/layer_0/attention/self/MatMul",
            "bert/encoder/layer_0/attention/self/MatMul_1",
            "bert/encoder/layer_0/attention/self/Mul",
            "bert/encoder/layer_0/attention/self/Softmax",
            "bert/encoder/layer_0/attention/self/key/kernel/Initializer/truncated_normal/mul",
            "bert/encoder/layer_0/attention/self/mul_1",
            "bert/encoder/layer_0/attention/self/query/kernel/Initializer/truncated_normal/mul",
            "bert/encoder/layer_0/attention/self/value/kernel/Initializer/truncated_normal/mul",
        ],
    ],
    "emb0": [0.0070738, 0.0132718, -0.01955, 0.0155272],
    "emb1": [
        -0.045521337538957596,
        -0.03963341563940048,
        -0.051237720996141434,
        0.06603796780109406,
    ],
    "ln_beta": [
        -0.07232140749692917,
        0.033135849982500076,
        0.014939816668629646,
        -0.027205295860767365,
    ],
    "m_out": [
        0.0002989658387377858,
        0.00045447610318660736,
        -0.000902483006939292,
        -0.004869649652391672,
    ],
    "losses": [1.0963671207427979, 1.0989543199539185, 1.1015886068344116, 1.116969108581543],
    "lrs": [0.0, 0.004999999888241291, 0.006666665896773338, 0.004999999888241291],
}


def test_bert_finetune_matches_tensorflow(tmp_path):
    close(program(tf, str(tmp_path)), EXPECTED)
