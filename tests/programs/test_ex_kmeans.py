"""TensorFlow-Examples' kmeans.py (tf.contrib.factorization.KMeans), run unchanged on the small
MNIST stand-in: cosine distance, mini-batch training over the full training set, cluster_idx[0],
the average distance per step, clusters labelled by counting the training labels, then test
accuracy through tf.nn.embedding_lookup. TF 2.21 has no tf.contrib, so the printed numbers
are checked against a NumPy re-implementation of TF 1.15's KMeans rules (cosine scores
1 - cos, learning rate 1 / count, counts starting at 1) started from the 25 rows TF 2.21's
random_uniform([25], 0, 240, seed=0, dtype=int64) draws (printed in the reference venv)."""

import contextlib
import io

import numpy as np

import scopeflow as tf
from scopeflow.cli import main
from tests.programs.ex_mnist import read_data_sets
from tests.programs.test_ex_regression_examples import tokens

TF_INIT_ROWS = [49, 238, 49, 135, 129, 41, 37, 37, 117, 91, 79, 110, 155, 104, 165, 165, 26,
                193, 207, 198, 59, 227, 80, 221, 152]  # fmt: skip


def kmeans_script(tf, KMeans):
    mnist = read_data_sets(one_hot=True)
    full_data_x = mnist.train.images
    num_steps = 8
    k = 25
    num_classes = 10
    num_features = 64
    X = tf.placeholder(tf.float32, shape=[None, num_features])
    Y = tf.placeholder(tf.float32, shape=[None, num_classes])
    kmeans = KMeans(inputs=X, num_clusters=k, distance_metric="cosine", use_mini_batch=True)
    training_graph = kmeans.training_graph()
    (all_scores, cluster_idx, scores, cluster_centers_initialized, init_op, train_op) = (
        training_graph
    )
    cluster_idx = cluster_idx[0]
    avg_distance = tf.reduce_mean(scores)
    init_vars = tf.global_variables_initializer()
    sess = tf.Session()
    sess.run(init_vars, feed_dict={X: full_data_x})
    sess.run(init_op, feed_dict={X: full_data_x})
    for i in range(1, num_steps + 1):
        _, d, idx = sess.run([train_op, avg_distance, cluster_idx], feed_dict={X: full_data_x})
        if i % 2 == 0 or i == 1:
            print("Step %i, Avg Distance: %f" % (i, d))  # noqa: UP031 (the script's line)
    counts = np.zeros(shape=(k, num_classes))
    for i in range(len(idx)):
        counts[idx[i]] += mnist.train.labels[i]
    labels_map = [np.argmax(c) for c in counts]
    labels_map = tf.convert_to_tensor(labels_map)
    cluster_label = tf.nn.embedding_lookup(labels_map, cluster_idx)
    correct_prediction = tf.equal(cluster_label, tf.cast(tf.argmax(Y, 1), tf.int32))
    accuracy_op = tf.reduce_mean(tf.cast(correct_prediction, tf.float32))
    test_x, test_y = mnist.test.images, mnist.test.labels
    print("Test Accuracy:", sess.run(accuracy_op, feed_dict={X: test_x, Y: test_y}))
    names = [v.op.name for v in tf.global_variables()]
    sess.close()
    return names, [all_scores[0].name, cluster_idx.dtype.name, avg_distance.name]


def numpy_reference():
    """TF 1.15's mini-batch cosine k-means on the same data, printed as the script prints."""
    mnist = read_data_sets(one_hot=True)
    x = mnist.train.images.astype(np.float64)
    xn = x / np.linalg.norm(x, axis=1, keepdims=True)
    centers = xn[TF_INIT_ROWS].copy()
    counts = np.ones(25)
    lines = []
    for step in range(1, 9):
        cn = centers / np.linalg.norm(centers, axis=1, keepdims=True)
        dist = 1 - xn @ cn.T
        idx = np.argmin(dist, 1)
        if step % 2 == 0 or step == 1:
            lines.append(f"Step {step}, Avg Distance: {np.maximum(dist.min(1), 0).mean():f}")
        for j in np.unique(idx):
            m = (idx == j).sum()
            centers[j] += (xn[idx == j].sum(0) - m * centers[j]) / (counts[j] + m)
            counts[j] += m
    votes = np.zeros((25, 10))
    np.add.at(votes, idx, mnist.train.labels)
    labels_map = votes.argmax(1)
    t = mnist.test.images.astype(np.float64)
    tn = t / np.linalg.norm(t, axis=1, keepdims=True)
    cn = centers / np.linalg.norm(centers, axis=1, keepdims=True)
    pred = labels_map[np.argmin(1 - tn @ cn.T, 1)]
    acc = np.float32((pred == mnist.test.labels.argmax(1)).mean())
    lines.append(f"Test Accuracy: {acc}")
    return tokens("\n".join(lines) + "\n")


def test_kmeans_example_matches_tf_1_15s_rules():
    printed = io.StringIO()
    with tf.Graph().as_default(), contextlib.redirect_stdout(printed):
        names, tensors = kmeans_script(tf, tf.contrib.factorization.KMeans)
    assert names == ["clusters", "initialized", "Variable"]
    assert tensors[1:] == ["int64", "Mean:0"]
    got, want = tokens(printed.getvalue()), numpy_reference()
    assert len(got) == len(want) == 6
    for g, w in zip(got, want, strict=True):
        assert g[:-1] == w[:-1]
        np.testing.assert_allclose(g[-1], w[-1], rtol=1e-4, atol=1e-5)


def test_kmeans_import_path_runs_under_scopeflow_run(tmp_path, capsys):
    script = tmp_path / "kmeans.py"
    script.write_text(
        "import numpy as np\n"
        "import tensorflow as tf\n"
        "from tensorflow.contrib.factorization import KMeans\n"
        "X = tf.placeholder(tf.float32, shape=[None, 2])\n"
        "kmeans = KMeans(inputs=X, num_clusters=2, use_mini_batch=True)\n"
        "(_, cluster_idx, scores, initialized, init_op, train_op) = kmeans.training_graph()\n"
        "data = np.array([[0, 0], [0, 1], [5, 5], [5, 6]], np.float32)\n"
        "with tf.Session() as sess:\n"
        "    sess.run(tf.global_variables_initializer(), feed_dict={X: data})\n"
        "    sess.run(init_op, feed_dict={X: data})\n"
        "    print(sess.run(initialized))\n"
    )
    assert main(["run", str(script)]) == 0
    assert capsys.readouterr().out == "True\n"
