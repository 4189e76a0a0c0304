"""A seq2seq time-series forecaster runs unchanged: a two-layer MultiRNNCell of named GRUCells
encoding the history with tf.nn.dynamic_rnn under variable_scope("encoder"), an
autoregressive decoder unrolled in Python (a GRUCell started from the encoder's last state,
each step's tf.layers.dense projection fed back as the next input, scope.reuse_variables()
after the first step), tf.stack of the forecasts, squared_difference loss, Adam with
compute_gradients, clip_by_global_norm and apply_gradients.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled): the cells' variable names and shapes,
op names and the forecast's static shape, six losses with their global gradient norms, the
trained forecasts.
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    rng = np.random.RandomState(909)
    t = np.arange(14, dtype=np.float32)
    phase = rng.rand(4, 1).astype(np.float32) * 3
    series = np.sin(0.6 * t[None, :] + phase) + 0.05 * rng.randn(4, 14).astype(np.float32)
    enc_in, dec_target = series[:, :10, None], series[:, 10:, None]
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(12)
        x = tf.placeholder(tf.float32, [None, 10, 1], name="history")
        y = tf.placeholder(tf.float32, [None, 4, 1], name="future")
        cells = [tf.nn.rnn_cell.GRUCell(6, name=f"gru_{k}") for k in range(2)]
        stack = tf.nn.rnn_cell.MultiRNNCell(cells)
        with tf.variable_scope("encoder"):
            _, state = tf.nn.dynamic_rnn(stack, x, dtype=tf.float32)
        preds = []
        prev = x[:, -1, :]
        with tf.variable_scope("decoder") as scope:
            dec_cell = tf.nn.rnn_cell.GRUCell(6)
            dec_state = state[-1]
            for step in range(4):
                if step > 0:
                    scope.reuse_variables()
                out, dec_state = dec_cell(prev, dec_state)
                prev = tf.layers.dense(out, 1, name="projection")
                preds.append(prev)
        forecast = tf.stack(preds, axis=1)
        loss = tf.reduce_mean(tf.squared_difference(forecast, y))
        opt = tf.train.AdamOptimizer(0.02)
        grads, tvars = zip(*opt.compute_gradients(loss), strict=True)
        clipped, norm = tf.clip_by_global_norm(grads, 1.0)
        train = opt.apply_gradients(zip(clipped, tvars, strict=True))
        feed = {x: enc_in, y: dec_target}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            hist = []
            for _ in range(6):
                lv, nv, _ = sess.run([loss, norm, train], feed)
                hist.append([float(lv), float(nv)])
            f = sess.run(forecast, feed)
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.trainable_variables()],
            "names": [forecast.name, loss.name, norm.name, train.name],
            "shape": forecast.shape.as_list(),
            "history": hist,
            "forecast": f[:, :, 0].tolist(),
        }


EXPECTED = {'vars': [['encoder/rnn/multi_rnn_cell/cell_0/gru_0/gates/kernel:0', [7, 12]],
          ['encoder/rnn/multi_rnn_cell/cell_0/gru_0/gates/bias:0', [12]],
          ['encoder/rnn/multi_rnn_cell/cell_0/gru_0/candidate/kernel:0', [7, 6]],
          ['encoder/rnn/multi_rnn_cell/cell_0/gru_0/candidate/bias:0', [6]],
          ['encoder/rnn/multi_rnn_cell/cell_1/gru_1/gates/kernel:0', [12, 12]],
          ['encoder/rnn/multi_rnn_cell/cell_1/gru_1/gates/bias:0', [12]],
          ['encoder/rnn/multi_rnn_cell/cell_1/gru_1/candidate/kernel:0', [12, 6]],
          ['encoder/rnn/multi_rnn_cell/cell_1/gru_1/candidate/bias:0', [6]],
          ['decoder/gru_cell/gates/kernel:0', [7, 12]],
          ['decoder/gru_cell/gates/bias:0', [12]],
          ['decoder/gru_cell/candidate/kernel:0', [7, 6]],
          ['decoder/gru_cell/candidate/bias:0', [6]],
          ['decoder/projection/kernel:0', [6, 1]],
          ['decoder/projection/bias:0', [1]]],
 'names': ['stack:0', 'Mean:0', 'global_norm/global_norm:0', 'Adam'],
 'shape': [None, 4, 1],
 'history': [[0.693468451499939, 3.0356202125549316],
             [0.4807802736759186, 2.2242393493652344],
             [0.29966750741004944, 1.711450219154358],
             [0.15011608600616455, 0.9679151177406311],
             [0.09885935485363007, 0.2693946361541748],
             [0.16989557445049286, 1.3352527618408203]],
 'forecast': [[1.0532371997833252, 1.0970921516418457, 1.12372624874115, 1.142762303352356],
              [0.892278790473938, 0.9366505146026611, 0.9711467027664185, 1.0009889602661133],
              [0.9998184442520142, 1.0390214920043945, 1.0658624172210693, 1.087502121925354],
              [1.049424171447754, 1.0902119874954224, 1.1154314279556274, 1.1339988708496094]]}


def test_program_matches_tf():
    close(program(tf), EXPECTED)
