"""Knowledge distillation as TF1 programs did it across two graphs: a teacher trained and saved,
then loaded into a ``teacher/`` scope of a new graph by a Saver whose var_list maps the
checkpoint's names to the renamed variables; a smaller student trained on the teacher's
temperature-softened probabilities (softmax_cross_entropy_with_logits_v2 on soft labels,
scaled by T squared) plus the hard-label loss; only the student's variables in var_list; the
student saved by its own Saver and its checkpoint listed.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import os

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    rng = np.random.RandomState(12)
    xs = rng.randn(32, 5).astype(np.float32)
    ys = (xs[:, 0] + xs[:, 1] * xs[:, 2] > 0).astype(np.int32) + (xs[:, 3] > 1).astype(np.int32)

    def mlp(x, sizes, scope):
        with tf.variable_scope(scope):
            for i, n in enumerate(sizes[:-1]):
                x = tf.layers.dense(x, n, tf.nn.relu, name=f"h{i}")
            return tf.layers.dense(x, sizes[-1], name="logits")

    teacher_ckpt = os.path.join(workdir, "teacher", "model.ckpt")
    g1 = tf.Graph()
    with g1.as_default():
        tf.set_random_seed(1)
        x = tf.placeholder(tf.float32, [None, 5])
        y = tf.placeholder(tf.int32, [None])
        logits = mlp(x, [16, 16, 3], "net")
        loss = tf.losses.sparse_softmax_cross_entropy(y, logits)
        train = tf.train.AdamOptimizer(0.02).minimize(loss)
        saver = tf.train.Saver(tf.trainable_variables())
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(30):
                t_loss, _ = sess.run([loss, train], {x: xs, y: ys})
            saver.save(sess, teacher_ckpt)
    teacher_keys = [n for n, _ in tf.train.list_variables(teacher_ckpt)]

    g2 = tf.Graph()
    with g2.as_default():
        tf.set_random_seed(2)
        x = tf.placeholder(tf.float32, [None, 5], name="x")
        y = tf.placeholder(tf.int32, [None], name="y")
        temp = 4.0
        t_logits = tf.stop_gradient(mlp(x, [16, 16, 3], "teacher/net"))
        s_logits = mlp(x, [8, 3], "student")
        teacher_vars = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope="teacher")
        mapping = {v.op.name[len("teacher/") :]: v for v in teacher_vars}
        loader = tf.train.Saver(var_list=mapping)
        with tf.name_scope("distill"):
            soft = tf.nn.softmax(t_logits / temp, name="soft_targets")
            kd = (
                tf.reduce_mean(
                    tf.nn.softmax_cross_entropy_with_logits_v2(labels=soft, logits=s_logits / temp)
                )
                * temp**2
            )
            hard = tf.losses.sparse_softmax_cross_entropy(y, s_logits)
            total = tf.add(0.7 * kd, 0.3 * hard, name="total")
        student_vars = tf.trainable_variables("student")
        train = tf.train.GradientDescentOptimizer(0.3).minimize(total, var_list=student_vars)
        agree = tf.reduce_mean(
            tf.to_float(tf.equal(tf.argmax(s_logits, 1), tf.argmax(t_logits, 1)))
        )
        student_saver = tf.train.Saver(student_vars, max_to_keep=2)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            loader.restore(sess, teacher_ckpt)
            t_eval = sess.run(tf.losses.sparse_softmax_cross_entropy(y, t_logits), {x: xs, y: ys})
            trace = []
            for i in range(20):
                out = sess.run([kd, hard, total, agree, train], {x: xs, y: ys})
                trace.append([float(v) for v in out[:4]])
                if i % 10 == 9:
                    student_saver.save(sess, os.path.join(workdir, "student"), global_step=i)
            probs = sess.run(soft, {x: xs[:2]})
        latest = tf.train.latest_checkpoint(workdir)
        kept = [os.path.basename(p) for p in student_saver.last_checkpoints]
    return {
        "teacher_keys": teacher_keys,
        "teacher_loss": float(t_loss),
        "teacher_restored_loss": float(t_eval),
        "mapping": sorted([k, v.name] for k, v in mapping.items()),
        "vars": [[v.name, v.shape.as_list()] for v in g2.get_collection("variables")],
        "names": [
            t_logits.name,
            s_logits.name,
            soft.name,
            kd.name,
            hard.name,
            total.name,
            train.name,
        ],
        "trace": trace,
        "probs": probs.tolist(),
        "latest": os.path.basename(latest),
        "kept": kept,
        "student_keys": [n for n, _ in tf.train.list_variables(latest)],
    }


EXPECTED = {
    "teacher_keys": [
        "net/h0/bias",
        "net/h0/kernel",
        "net/h1/bias",
        "net/h1/kernel",
        "net/logits/bias",
        "net/logits/kernel",
    ],
    "teacher_loss": 0.025124438107013702,
    "teacher_restored_loss": 0.019885417073965073,
    "mapping": [
        ["net/h0/bias", "teacher/net/h0/bias:0"],
        ["net/h0/kernel", "teacher/net/h0/kernel:0"],
        ["net/h1/bias", "teacher/net/h1/bias:0"],
        ["net/h1/kernel", "teacher/net/h1/kernel:0"],
        ["net/logits/bias", "teacher/net/logits/bias:0"],
        ["net/logits/kernel", "teacher/net/logits/kernel:0"],
    ],
    "vars": [
        ["teacher/net/h0/kernel:0", [5, 16]],
        ["teacher/net/h0/bias:0", [16]],
        ["teacher/net/h1/kernel:0", [16, 16]],
        ["teacher/net/h1/bias:0", [16]],
        ["teacher/net/logits/kernel:0", [16, 3]],
        ["teacher/net/logits/bias:0", [3]],
        ["student/h0/kernel:0", [5, 8]],
        ["student/h0/bias:0", [8]],
        ["student/logits/kernel:0", [8, 3]],
        ["student/logits/bias:0", [3]],
    ],
    "names": [
        "StopGradient:0",
        "student/logits/BiasAdd:0",
        "distill/soft_targets:0",
        "distill/mul:0",
        "distill/sparse_softmax_cross_entropy_loss/value:0",
        "distill/total:0",
        "GradientDescent",
    ],
    "trace": [
        [18.505964279174805, 1.66025972366333, 13.452253341674805, 0.40625],
        [17.20380401611328, 1.1991934776306152, 12.402420997619629, 0.40625],
        [16.59939193725586, 1.021116852760315, 11.925909996032715, 0.59375],
        [16.130094528198242, 0.9113461971282959, 11.564470291137695, 0.625],
        [15.722053527832031, 0.8326186537742615, 11.25522232055664, 0.75],
        [15.355134963989258, 0.775124192237854, 10.981131553649902, 0.6875],
        [15.000728607177734, 0.7335644364356995, 10.720579147338867, 0.6875],
        [14.651386260986328, 0.707321286201477, 10.46816635131836, 0.6875],
        [14.37341594696045, 0.6989848613739014, 10.271086692810059, 0.71875],
        [14.157482147216797, 0.6965245008468628, 10.119194984436035, 0.75],
        [13.973451614379883, 0.6887031197547913, 9.98802661895752, 0.75],
        [13.823009490966797, 0.6791706681251526, 9.879858016967773, 0.78125],
        [13.691322326660156, 0.6703423261642456, 9.785027503967285, 0.78125],
        [13.577943801879883, 0.652627170085907, 9.700348854064941, 0.78125],
        [13.47739028930664, 0.6401056051254272, 9.626204490661621, 0.78125],
        [13.386493682861328, 0.623618483543396, 9.55763053894043, 0.8125],
        [13.304710388183594, 0.6059044003486633, 9.495068550109863, 0.8125],
        [13.225870132446289, 0.5845280885696411, 9.433467864990234, 0.8125],
        [13.149470329284668, 0.5664035677909851, 9.374549865722656, 0.84375],
        [13.07659912109375, 0.5490601062774658, 9.318336486816406, 0.84375],
    ],
    "probs": [
        [0.2041957527399063, 0.7435381412506104, 0.052266065031290054],
        [0.8700949549674988, 0.06854826956987381, 0.06135675311088562],
    ],
    "latest": "student-19",
    "kept": ["student-9", "student-19"],
    "student_keys": [
        "student/h0/bias",
        "student/h0/kernel",
        "student/logits/bias",
        "student/logits/kernel",
    ],
}


def test_distillation_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
