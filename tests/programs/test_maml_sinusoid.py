"""MAML (Finn et al.'s model-agnostic meta-learning, in its TF1 code's shape) on sinusoid tasks: a
functional model whose weights travel as a dict, two inner SGD steps built with tf.gradients
inside the tf.map_fn body over tasks, the outer loss through the adapted weights (second order,
differentiated back through the map_fn loop), a pre-training Adam on the first losses and a
meta Adam on clipped gradients of the last.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(9)
        dim_in, hidden, dim_out, tasks, k = 1, 6, 1, 3, 5
        inner_lr, num_inner = 0.05, 2

        def construct_weights():
            weights = {}
            with tf.variable_scope("model"):
                weights["w1"] = tf.Variable(
                    tf.truncated_normal([dim_in, hidden], stddev=0.5), name="w1"
                )
                weights["b1"] = tf.Variable(tf.zeros([hidden]), name="b1")
                weights["w2"] = tf.Variable(
                    tf.truncated_normal([hidden, dim_out], stddev=0.5), name="w2"
                )
                weights["b2"] = tf.Variable(tf.zeros([dim_out]), name="b2")
            return weights

        def forward(inp, weights):
            h = tf.nn.relu(tf.matmul(inp, weights["w1"]) + weights["b1"])
            h = tf.nn.tanh(h)
            return tf.matmul(h, weights["w2"]) + weights["b2"]

        def loss_func(pred, label):
            return tf.reduce_mean(tf.square(pred - label))

        inputa = tf.placeholder(tf.float32, [tasks, k, dim_in], name="inputa")
        labela = tf.placeholder(tf.float32, [tasks, k, dim_out], name="labela")
        inputb = tf.placeholder(tf.float32, [tasks, k, dim_in], name="inputb")
        labelb = tf.placeholder(tf.float32, [tasks, k, dim_out], name="labelb")
        weights = construct_weights()

        def task_metalearn(inp):
            ia, ib, la, lb = inp
            task_outputbs, task_lossesb = [], []
            out_a = forward(ia, weights)
            task_lossa = loss_func(out_a, la)
            grads = tf.gradients(task_lossa, list(weights.values()))
            gradients = dict(zip(weights.keys(), grads, strict=True))
            fast = dict(
                zip(
                    weights.keys(),
                    [weights[key] - inner_lr * gradients[key] for key in weights.keys()],
                    strict=True,
                )
            )
            out = forward(ib, fast)
            task_outputbs.append(out)
            task_lossesb.append(loss_func(out, lb))
            for _ in range(num_inner - 1):
                loss = loss_func(forward(ia, fast), la)
                grads = tf.gradients(loss, list(fast.values()))
                gradients = dict(zip(fast.keys(), grads, strict=True))
                fast = dict(
                    zip(
                        fast.keys(),
                        [fast[key] - inner_lr * gradients[key] for key in fast.keys()],
                        strict=True,
                    )
                )
                out = forward(ib, fast)
                task_outputbs.append(out)
                task_lossesb.append(loss_func(out, lb))
            return [out_a, task_outputbs, task_lossa, task_lossesb]

        out_dtype = [tf.float32, [tf.float32] * num_inner, tf.float32, [tf.float32] * num_inner]
        result = tf.map_fn(
            task_metalearn,
            elems=(inputa, inputb, labela, labelb),
            dtype=out_dtype,
            parallel_iterations=tasks,
        )
        outputas, outputbs, lossesa, lossesb = result
        total_loss1 = tf.reduce_sum(lossesa) / tf.to_float(tasks)
        total_losses2 = [tf.reduce_sum(lossesb[j]) / tf.to_float(tasks) for j in range(num_inner)]
        pretrain_op = tf.train.AdamOptimizer(0.01).minimize(total_loss1)
        optimizer = tf.train.AdamOptimizer(0.01)
        gvs = optimizer.compute_gradients(total_losses2[num_inner - 1])
        gvs = [(tf.clip_by_value(grad, -10, 10), var) for grad, var in gvs]
        metatrain_op = optimizer.apply_gradients(gvs)

        rng = np.random.RandomState(0)

        def batch():
            amp = rng.uniform(0.5, 2.0, [tasks, 1, 1])
            phase = rng.uniform(0, np.pi, [tasks, 1, 1])
            x = rng.uniform(-3, 3, [tasks, 2 * k, 1])
            y = amp * np.sin(x - phase)
            return {
                inputa: x[:, :k].astype(np.float32),
                labela: y[:, :k].astype(np.float32),
                inputb: x[:, k:].astype(np.float32),
                labelb: y[:, k:].astype(np.float32),
            }

        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            f0 = batch()
            meta_grads = sess.run([gr for gr, _ in gvs], f0)
            pre = []
            for _ in range(2):
                _, a = sess.run([pretrain_op, total_loss1], batch())
                pre.append(float(a))
            history = []
            for _ in range(3):
                _, a, b = sess.run([metatrain_op, total_loss1, total_losses2], batch())
                history.append([float(a)] + [float(x) for x in b])
            ob = sess.run(outputbs[1], f0)
            w2 = sess.run(weights["w2"])
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
            "shapes": [
                outputas.shape.as_list(),
                [o.shape.as_list() for o in outputbs],
                lossesa.shape.as_list(),
            ],
            "names": [
                outputas.name,
                lossesb[1].name,
                total_loss1.name,
                total_losses2[1].name,
                metatrain_op.name,
                [gr.name for gr, _ in gvs],
            ],
            "meta_grads": [[float(x) for x in np.ravel(m)[:3]] for m in meta_grads],
            "pretrain": pre,
            "history": history,
            "outputb": [float(x) for x in np.ravel(ob)[:6]],
            "w2": [float(x) for x in np.ravel(w2)],
        }


EXPECTED = {
    "vars": [
        ["model/w1:0", [1, 6]],
        ["model/b1:0", [6]],
        ["model/w2:0", [6, 1]],
        ["model/b2:0", [1]],
        ["beta1_power:0", []],
        ["beta2_power:0", []],
        ["model/w1/Adam:0", [1, 6]],
        ["model/w1/Adam_1:0", [1, 6]],
        ["model/b1/Adam:0", [6]],
        ["model/b1/Adam_1:0", [6]],
        ["model/w2/Adam:0", [6, 1]],
        ["model/w2/Adam_1:0", [6, 1]],
        ["model/b2/Adam:0", [1]],
        ["model/b2/Adam_1:0", [1]],
        ["beta1_power_1:0", []],
        ["beta2_power_1:0", []],
        ["model/w1/Adam_2:0", [1, 6]],
        ["model/w1/Adam_3:0", [1, 6]],
        ["model/b1/Adam_2:0", [6]],
        ["model/b1/Adam_3:0", [6]],
        ["model/w2/Adam_2:0", [6, 1]],
        ["model/w2/Adam_3:0", [6, 1]],
        ["model/b2/Adam_2:0", [1]],
        ["model/b2/Adam_3:0", [1]],
    ],
    "shapes": [[3, 5, 1], [[3, 5, 1], [3, 5, 1]], [3]],
    "names": [
        "map/TensorArrayStack/TensorArrayGatherV3:0",
        "map/TensorArrayStack_5/TensorArrayGatherV3:0",
        "truediv:0",
        "truediv_2:0",
        "Adam_1",
        ["clip_by_value:0", "clip_by_value_1:0", "clip_by_value_2:0", "clip_by_value_3:0"],
    ],
    "meta_grads": [
        [-0.024558864533901215, -0.005727586802095175, 0.012029420584440231],
        [0.015085790306329727, 0.05503294989466667, 0.17429164052009583],
        [-0.17774027585983276, -0.3742583990097046, 0.00566592812538147],
        [0.599744975566864],
    ],
    "pretrain": [0.9293415546417236, 1.7458844184875488],
    "history": [
        [0.8526062369346619, 1.0597182512283325, 1.0193614959716797],
        [0.9988113641738892, 0.7608429193496704, 0.7413009405136108],
        [0.7574158906936646, 0.5509437322616577, 0.523949146270752],
    ],
    "outputb": [
        -0.05534615367650986,
        -0.031085465103387833,
        0.17700818181037903,
        0.17172223329544067,
        0.17042887210845947,
        0.38851138949394226,
    ],
    "w2": [
        0.006127897650003433,
        0.09543853998184204,
        0.26637953519821167,
        -0.15094740688800812,
        0.22871297597885132,
        0.3422478139400482,
    ],
}


def test_maml_sinusoid_matches_tensorflow():
    close(program(tf), EXPECTED)
