"""The TF 1.x tutorials mnist_with_summaries.py and mnist_deep.py, run unchanged (sized
down to 8x8 images). mnist_with_summaries: name-scoped input/input_reshape with an image
summary, variable_summaries (mean, stddev, max, min, histogram) under 'summaries', nn_layer
with weights/biases/Wx_plus_b scopes and activation histograms, a dropout keep_prob scalar,
sparse_softmax_cross_entropy under cross_entropy/total, Adam under 'train', accuracy,
merge_all, train and test FileWriters, a FULL_TRACE run with add_run_metadata. mnist_deep:
deepnn() with reshape/conv1/pool1/conv2/pool2/fc1/dropout/fc2 scopes, conv2d and
max_pool_2x2 helpers, Adam, 'step %d, training accuracy %g' prints, the graph written.
Printed lines, names, event tags and the logged test accuracies and losses were printed by
the same scripts under TensorFlow 2.21 (``tensorflow.compat.v1``, v2 behaviour disabled)."""

import contextlib
import io
import os

import scopeflow as tf
from tests.programs.compare import close
from tests.programs.ex_mnist import read_data_sets
from tests.programs.test_ex_regression_examples import tokens


class FLAGS:
    max_steps = 20
    learning_rate = 0.01
    dropout = 0.9


def mnist_with_summaries(tf, log_dir):
    mnist = read_data_sets(one_hot=False)
    sess = tf.InteractiveSession()
    tf.set_random_seed(11)
    with tf.name_scope("input"):
        x = tf.placeholder(tf.float32, [None, 64], name="x-input")
        y_ = tf.placeholder(tf.int64, [None], name="y-input")
    with tf.name_scope("input_reshape"):
        image_shaped_input = tf.reshape(x, [-1, 8, 8, 1])
        tf.summary.image("input", image_shaped_input, 10)

    def weight_variable(shape):
        initial = tf.truncated_normal(shape, stddev=0.1)
        return tf.Variable(initial)

    def bias_variable(shape):
        initial = tf.constant(0.1, shape=shape)
        return tf.Variable(initial)

    def variable_summaries(var):
        with tf.name_scope("summaries"):
            mean = tf.reduce_mean(var)
            tf.summary.scalar("mean", mean)
            with tf.name_scope("stddev"):
                stddev = tf.sqrt(tf.reduce_mean(tf.square(var - mean)))
            tf.summary.scalar("stddev", stddev)
            tf.summary.scalar("max", tf.reduce_max(var))
            tf.summary.scalar("min", tf.reduce_min(var))
            tf.summary.histogram("histogram", var)

    def nn_layer(input_tensor, input_dim, output_dim, layer_name, act=tf.nn.relu):
        with tf.name_scope(layer_name):
            with tf.name_scope("weights"):
                weights = weight_variable([input_dim, output_dim])
                variable_summaries(weights)
            with tf.name_scope("biases"):
                biases = bias_variable([output_dim])
                variable_summaries(biases)
            with tf.name_scope("Wx_plus_b"):
                preactivate = tf.matmul(input_tensor, weights) + biases
                tf.summary.histogram("pre_activations", preactivate)
            activations = act(preactivate, name="activation")
            tf.summary.histogram("activations", activations)
            return activations

    hidden1 = nn_layer(x, 64, 32, "layer1")
    with tf.name_scope("dropout"):
        keep_prob = tf.placeholder(tf.float32)
        tf.summary.scalar("dropout_keep_probability", keep_prob)
        dropped = tf.nn.dropout(hidden1, keep_prob)
    y = nn_layer(dropped, 32, 10, "layer2", act=tf.identity)
    with tf.name_scope("cross_entropy"):
        with tf.name_scope("total"):
            cross_entropy = tf.losses.sparse_softmax_cross_entropy(labels=y_, logits=y)
    tf.summary.scalar("cross_entropy", cross_entropy)
    with tf.name_scope("train"):
        train_step = tf.train.AdamOptimizer(FLAGS.learning_rate).minimize(cross_entropy)
    with tf.name_scope("accuracy"):
        with tf.name_scope("correct_prediction"):
            correct_prediction = tf.equal(tf.argmax(y, 1), y_)
        with tf.name_scope("accuracy"):
            accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32))
    tf.summary.scalar("accuracy", accuracy)
    merged = tf.summary.merge_all()
    train_writer = tf.summary.FileWriter(log_dir + "/train", sess.graph)
    test_writer = tf.summary.FileWriter(log_dir + "/test")
    tf.global_variables_initializer().run()

    def feed_dict(train):
        if train:
            xs, ys = mnist.train.next_batch(40)
            k = FLAGS.dropout
        else:
            xs, ys = mnist.test.images, mnist.test.labels
            k = 1.0
        return {x: xs, y_: ys, keep_prob: k}

    for i in range(FLAGS.max_steps):
        if i % 10 == 0:
            summary, acc = sess.run([merged, accuracy], feed_dict=feed_dict(False))
            test_writer.add_summary(summary, i)
            print(f"Accuracy at step {i}: {acc}")
        else:
            if i % 10 == 9:
                run_options = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)
                run_metadata = tf.RunMetadata()
                summary, _ = sess.run(
                    [merged, train_step],
                    feed_dict=feed_dict(True),
                    options=run_options,
                    run_metadata=run_metadata,
                )
                train_writer.add_run_metadata(run_metadata, f"step{i:03d}")
                train_writer.add_summary(summary, i)
                print("Adding run metadata for", i)
            else:
                summary, _ = sess.run([merged, train_step], feed_dict=feed_dict(True))
                train_writer.add_summary(summary, i)
    train_writer.close()
    test_writer.close()
    sess.close()
    return [
        image_shaped_input.name,
        hidden1.name,
        dropped.name,
        y.name,
        cross_entropy.name,
        train_step.name,
        accuracy.name,
        merged.name,
        [v.name for v in tf.global_variables()],
    ]


def events(tf, folder, racy=False):
    """An events folder: the steps written, the first step's tags and value kinds, each
    scalar's values by step, the run metadata tags. With ``racy`` the variable summaries'
    values are left out: written by the runs that also train, TF reads each variable before
    or after its Adam update as its threads happen to run (scopeflow reads all before); the
    values of the test runs, which train nothing, are compared."""
    steps, first, scalars, metadata = [], [], {}, []
    for name in sorted(os.listdir(folder)):
        for event in tf.train.summary_iterator(os.path.join(folder, name)):
            if event.HasField("tagged_run_metadata"):
                metadata.append(event.tagged_run_metadata.tag)
            if not event.summary.value:
                continue
            steps.append(event.step)
            for v in event.summary.value:
                kind = v.WhichOneof("value")
                if len(steps) == 1:
                    first.append([v.tag, kind])
                if kind == "simple_value" and not (racy and "/summaries/" in v.tag):
                    scalars.setdefault(v.tag, []).append(v.simple_value)
    return {"steps": steps, "first": first, "scalars": scalars, "run_metadata": metadata}


def mnist_deep(tf, log_dir):
    mnist = read_data_sets(one_hot=False)

    def deepnn(x):
        with tf.name_scope("reshape"):
            x_image = tf.reshape(x, [-1, 8, 8, 1])
        with tf.name_scope("conv1"):
            W_conv1 = weight_variable([5, 5, 1, 4])
            b_conv1 = bias_variable([4])
            h_conv1 = tf.nn.relu(conv2d(x_image, W_conv1) + b_conv1)
        with tf.name_scope("pool1"):
            h_pool1 = max_pool_2x2(h_conv1)
        with tf.name_scope("conv2"):
            W_conv2 = weight_variable([5, 5, 4, 8])
            b_conv2 = bias_variable([8])
            h_conv2 = tf.nn.relu(conv2d(h_pool1, W_conv2) + b_conv2)
        with tf.name_scope("pool2"):
            h_pool2 = max_pool_2x2(h_conv2)
        with tf.name_scope("fc1"):
            W_fc1 = weight_variable([2 * 2 * 8, 32])
            b_fc1 = bias_variable([32])
            h_pool2_flat = tf.reshape(h_pool2, [-1, 2 * 2 * 8])
            h_fc1 = tf.nn.relu(tf.matmul(h_pool2_flat, W_fc1) + b_fc1)
        with tf.name_scope("dropout"):
            keep_prob = tf.placeholder(tf.float32)
            h_fc1_drop = tf.nn.dropout(h_fc1, keep_prob)
        with tf.name_scope("fc2"):
            W_fc2 = weight_variable([32, 10])
            b_fc2 = bias_variable([10])
            y_conv = tf.matmul(h_fc1_drop, W_fc2) + b_fc2
        return y_conv, keep_prob

    def conv2d(x, W):
        return tf.nn.conv2d(x, W, strides=[1, 1, 1, 1], padding="SAME")

    def max_pool_2x2(x):
        return tf.nn.max_pool(x, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")

    def weight_variable(shape):
        initial = tf.truncated_normal(shape, stddev=0.1)
        return tf.Variable(initial)

    def bias_variable(shape):
        initial = tf.constant(0.1, shape=shape)
        return tf.Variable(initial)

    tf.set_random_seed(12)
    x = tf.placeholder(tf.float32, [None, 64])
    y_ = tf.placeholder(tf.int64, [None])
    y_conv, keep_prob = deepnn(x)
    with tf.name_scope("loss"):
        cross_entropy = tf.losses.sparse_softmax_cross_entropy(labels=y_, logits=y_conv)
    cross_entropy = tf.reduce_mean(cross_entropy)
    with tf.name_scope("adam_optimizer"):
        train_step = tf.train.AdamOptimizer(1e-2).minimize(cross_entropy)
    with tf.name_scope("accuracy"):
        correct_prediction = tf.equal(tf.argmax(y_conv, 1), y_)
        correct_prediction = tf.cast(correct_prediction, tf.float32)
    accuracy = tf.reduce_mean(correct_prediction)
    graph_location = log_dir
    print(f"Saving graph to: {os.path.basename(graph_location)}")
    train_writer = tf.summary.FileWriter(graph_location)
    train_writer.add_graph(tf.get_default_graph())
    train_writer.close()
    losses = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for i in range(12):
            batch = mnist.train.next_batch(40)
            if i % 4 == 0:
                train_accuracy = accuracy.eval(
                    feed_dict={x: batch[0], y_: batch[1], keep_prob: 1.0}
                )
                print(f"step {i}, training accuracy {train_accuracy:g}")
            _, loss = sess.run(
                [train_step, cross_entropy], feed_dict={x: batch[0], y_: batch[1], keep_prob: 0.5}
            )
            losses.append(float(loss))
        test_feed = {x: mnist.test.images, y_: mnist.test.labels, keep_prob: 1.0}
        print(f"test accuracy {accuracy.eval(feed_dict=test_feed):g}")
    return {
        "names": [y_conv.name, cross_entropy.name, train_step.name, accuracy.name],
        "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
        "losses": losses,
    }


def program(tf, workdir):
    out = {}
    printed = io.StringIO()
    with tf.Graph().as_default(), contextlib.redirect_stdout(printed):
        out["summaries_names"] = mnist_with_summaries(tf, str(workdir))
    out["summaries_printed"] = tokens(printed.getvalue())
    out["train_events"] = events(tf, os.path.join(workdir, "train"), racy=True)
    out["test_events"] = events(tf, os.path.join(workdir, "test"))
    printed = io.StringIO()
    with tf.Graph().as_default(), contextlib.redirect_stdout(printed):
        out["deep"] = mnist_deep(tf, os.path.join(workdir, "deep"))
    out["deep_printed"] = tokens(printed.getvalue())
    return out


EXPECTED = {
    "summaries_names": [
        "input_reshape/Reshape:0",
        "layer1/activation:0",
        "dropout/dropout/SelectV2:0",
        "layer2/activation:0",
        "cross_entropy/total/sparse_softmax_cross_entropy_loss/value:0",
        "train/Adam",
        "accuracy/accuracy/Mean:0",
        "Merge/MergeSummary:0",
        [
            "layer1/weights/Variable:0",
            "layer1/biases/Variable:0",
            "layer2/weights/Variable:0",
            "layer2/biases/Variable:0",
            "train/beta1_power:0",
            "train/beta2_power:0",
            "layer1/weights/Variable/Adam:0",
            "layer1/weights/Variable/Adam_1:0",
            "layer1/biases/Variable/Adam:0",
            "layer1/biases/Variable/Adam_1:0",
            "layer2/weights/Variable/Adam:0",
            "layer2/weights/Variable/Adam_1:0",
            "layer2/biases/Variable/Adam:0",
            "layer2/biases/Variable/Adam_1:0",
        ],
    ],
    "summaries_printed": [
        ["Accuracy", "at", "step", "0:", 0.13333334028720856],
        ["Adding", "run", "metadata", "for", 9.0],
        ["Accuracy", "at", "step", "10:", 0.18333333730697632],
        ["Adding", "run", "metadata", "for", 19.0],
    ],
    "train_events": {
        "steps": [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19],
        "first": [
            ["input_reshape/input/image/0", "image"],
            ["input_reshape/input/image/1", "image"],
            ["input_reshape/input/image/2", "image"],
            ["input_reshape/input/image/3", "image"],
            ["input_reshape/input/image/4", "image"],
            ["input_reshape/input/image/5", "image"],
            ["input_reshape/input/image/6", "image"],
            ["input_reshape/input/image/7", "image"],
            ["input_reshape/input/image/8", "image"],
            ["input_reshape/input/image/9", "image"],
            ["layer1/weights/summaries/mean_1", "simple_value"],
            ["layer1/weights/summaries/stddev_1", "simple_value"],
            ["layer1/weights/summaries/max_1", "simple_value"],
            ["layer1/weights/summaries/min_1", "simple_value"],
            ["layer1/weights/summaries/histogram", "histo"],
            ["layer1/biases/summaries/mean_1", "simple_value"],
            ["layer1/biases/summaries/stddev_1", "simple_value"],
            ["layer1/biases/summaries/max_1", "simple_value"],
            ["layer1/biases/summaries/min_1", "simple_value"],
            ["layer1/biases/summaries/histogram", "histo"],
            ["layer1/Wx_plus_b/pre_activations", "histo"],
            ["layer1/activations", "histo"],
            ["dropout/dropout_keep_probability", "simple_value"],
            ["layer2/weights/summaries/mean_1", "simple_value"],
            ["layer2/weights/summaries/stddev_1", "simple_value"],
            ["layer2/weights/summaries/max_1", "simple_value"],
            ["layer2/weights/summaries/min_1", "simple_value"],
            ["layer2/weights/summaries/histogram", "histo"],
            ["layer2/biases/summaries/mean_1", "simple_value"],
            ["layer2/biases/summaries/stddev_1", "simple_value"],
            ["layer2/biases/summaries/max_1", "simple_value"],
            ["layer2/biases/summaries/min_1", "simple_value"],
            ["layer2/biases/summaries/histogram", "histo"],
            ["layer2/Wx_plus_b/pre_activations", "histo"],
            ["layer2/activations", "histo"],
            ["cross_entropy_1", "simple_value"],
            ["accuracy_1", "simple_value"],
        ],
        "scalars": {
            "dropout/dropout_keep_probability": [
                0.8999999761581421,
                0.8999999761581421,
                0.8999999761581421,
                0.8999999761581421,
                0.8999999761581421,
                0.8999999761581421,
                0.8999999761581421,
                0.8999999761581421,
                0.8999999761581421,
                0.8999999761581421,
                0.8999999761581421,
                0.8999999761581421,
                0.8999999761581421,
                0.8999999761581421,
                0.8999999761581421,
                0.8999999761581421,
                0.8999999761581421,
                0.8999999761581421,
            ],
            "cross_entropy_1": [
                2.3262338638305664,
                2.394063711166382,
                2.3362252712249756,
                2.2682418823242188,
                2.328465461730957,
                2.2786991596221924,
                2.2565276622772217,
                2.227749824523926,
                2.203103542327881,
                2.2254340648651123,
                2.232032299041748,
                2.190089702606201,
                2.192260980606079,
                2.1413326263427734,
                2.1186740398406982,
                2.159111738204956,
                2.211360454559326,
                2.1248984336853027,
            ],
            "accuracy_1": [
                0.10000000149011612,
                0.05000000074505806,
                0.10000000149011612,
                0.17499999701976776,
                0.10000000149011612,
                0.20000000298023224,
                0.17499999701976776,
                0.15000000596046448,
                0.25,
                0.125,
                0.17499999701976776,
                0.2750000059604645,
                0.17499999701976776,
                0.30000001192092896,
                0.30000001192092896,
                0.25,
                0.20000000298023224,
                0.30000001192092896,
            ],
        },
        "run_metadata": ["step009", "step019"],
    },
    "test_events": {
        "steps": [0, 10],
        "first": [
            ["input_reshape/input/image/0", "image"],
            ["input_reshape/input/image/1", "image"],
            ["input_reshape/input/image/2", "image"],
            ["input_reshape/input/image/3", "image"],
            ["input_reshape/input/image/4", "image"],
            ["input_reshape/input/image/5", "image"],
            ["input_reshape/input/image/6", "image"],
            ["input_reshape/input/image/7", "image"],
            ["input_reshape/input/image/8", "image"],
            ["input_reshape/input/image/9", "image"],
            ["layer1/weights/summaries/mean_1", "simple_value"],
            ["layer1/weights/summaries/stddev_1", "simple_value"],
            ["layer1/weights/summaries/max_1", "simple_value"],
            ["layer1/weights/summaries/min_1", "simple_value"],
            ["layer1/weights/summaries/histogram", "histo"],
            ["layer1/biases/summaries/mean_1", "simple_value"],
            ["layer1/biases/summaries/stddev_1", "simple_value"],
            ["layer1/biases/summaries/max_1", "simple_value"],
            ["layer1/biases/summaries/min_1", "simple_value"],
            ["layer1/biases/summaries/histogram", "histo"],
            ["layer1/Wx_plus_b/pre_activations", "histo"],
            ["layer1/activations", "histo"],
            ["dropout/dropout_keep_probability", "simple_value"],
            ["layer2/weights/summaries/mean_1", "simple_value"],
            ["layer2/weights/summaries/stddev_1", "simple_value"],
            ["layer2/weights/summaries/max_1", "simple_value"],
            ["layer2/weights/summaries/min_1", "simple_value"],
            ["layer2/weights/summaries/histogram", "histo"],
            ["layer2/biases/summaries/mean_1", "simple_value"],
            ["layer2/biases/summaries/stddev_1", "simple_value"],
            ["layer2/biases/summaries/max_1", "simple_value"],
            ["layer2/biases/summaries/min_1", "simple_value"],
            ["layer2/biases/summaries/histogram", "histo"],
            ["layer2/Wx_plus_b/pre_activations", "histo"],
            ["layer2/activations", "histo"],
            ["cross_entropy_1", "simple_value"],
            ["accuracy_1", "simple_value"],
        ],
        "scalars": {
            "layer1/weights/summaries/mean_1": [0.0010661615524441004, -0.005786450579762459],
            "layer1/weights/summaries/stddev_1": [0.08904974162578583, 0.09432796388864517],
            "layer1/weights/summaries/max_1": [0.19801506400108337, 0.2380821406841278],
            "layer1/weights/summaries/min_1": [-0.19722087681293488, -0.2469279170036316],
            "layer1/biases/summaries/mean_1": [0.10000000149011612, 0.09289224445819855],
            "layer1/biases/summaries/stddev_1": [0.0, 0.029121458530426025],
            "layer1/biases/summaries/max_1": [0.10000000149011612, 0.15547405183315277],
            "layer1/biases/summaries/min_1": [0.10000000149011612, 0.04520037770271301],
            "dropout/dropout_keep_probability": [1.0, 1.0],
            "layer2/weights/summaries/mean_1": [-0.0032579824328422546, -0.010804464109241962],
            "layer2/weights/summaries/stddev_1": [0.08390778303146362, 0.09000121057033539],
            "layer2/weights/summaries/max_1": [0.19672457873821259, 0.22534020245075226],
            "layer2/weights/summaries/min_1": [-0.17405743896961212, -0.23501648008823395],
            "layer2/biases/summaries/mean_1": [0.10000000149011612, 0.09201773256063461],
            "layer2/biases/summaries/stddev_1": [0.0, 0.025127744302153587],
            "layer2/biases/summaries/max_1": [0.10000000149011612, 0.12002250552177429],
            "layer2/biases/summaries/min_1": [0.10000000149011612, 0.041853733360767365],
            "cross_entropy_1": [2.315201997756958, 2.234920024871826],
            "accuracy_1": [0.13333334028720856, 0.18333333730697632],
        },
        "run_metadata": [],
    },
    "deep": {
        "names": ["fc2/add:0", "Mean:0", "adam_optimizer/Adam", "Mean_1:0"],
        "vars": [
            ["conv1/Variable:0", [5, 5, 1, 4]],
            ["conv1/Variable_1:0", [4]],
            ["conv2/Variable:0", [5, 5, 4, 8]],
            ["conv2/Variable_1:0", [8]],
            ["fc1/Variable:0", [32, 32]],
            ["fc1/Variable_1:0", [32]],
            ["fc2/Variable:0", [32, 10]],
            ["fc2/Variable_1:0", [10]],
            ["adam_optimizer/beta1_power:0", []],
            ["adam_optimizer/beta2_power:0", []],
            ["conv1/Variable/Adam:0", [5, 5, 1, 4]],
            ["conv1/Variable/Adam_1:0", [5, 5, 1, 4]],
            ["conv1/Variable_1/Adam:0", [4]],
            ["conv1/Variable_1/Adam_1:0", [4]],
            ["conv2/Variable/Adam:0", [5, 5, 4, 8]],
            ["conv2/Variable/Adam_1:0", [5, 5, 4, 8]],
            ["conv2/Variable_1/Adam:0", [8]],
            ["conv2/Variable_1/Adam_1:0", [8]],
            ["fc1/Variable/Adam:0", [32, 32]],
            ["fc1/Variable/Adam_1:0", [32, 32]],
            ["fc1/Variable_1/Adam:0", [32]],
            ["fc1/Variable_1/Adam_1:0", [32]],
            ["fc2/Variable/Adam:0", [32, 10]],
            ["fc2/Variable/Adam_1:0", [32, 10]],
            ["fc2/Variable_1/Adam:0", [10]],
            ["fc2/Variable_1/Adam_1:0", [10]],
        ],
        "losses": [
            2.294189691543579,
            2.333329439163208,
            2.308623790740967,
            2.2916500568389893,
            2.3080952167510986,
            2.2728066444396973,
            2.3311305046081543,
            2.310181140899658,
            2.2911922931671143,
            2.2862730026245117,
            2.344571590423584,
            2.278237819671631,
        ],
    },
    "deep_printed": [
        ["Saving", "graph", "to:", "deep"],
        ["step", 0.0, "training", "accuracy", 0.075],
        ["step", 4.0, "training", "accuracy", 0.1],
        ["step", 8.0, "training", "accuracy", 0.2],
        ["test", "accuracy", 0.166667],
    ],
}


def test_mnist_summaries_and_deep_match_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
