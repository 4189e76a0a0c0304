"""The TF 1.x low-level API guide's snippets, run unchanged: Importing Data (one-shot,
initializable, reinitializable and feedable iterators, a map adding seeded random noise,
output_types/output_shapes of nested and named structures, consuming until
OutOfRangeError, padded_batch, a seeded shuffle/repeat/batch training loop), Variables
(get_variable with initializers and dtypes, local and non-trainable variables, custom
collections, devices, report_uninitialized_variables, assign_add with read_value under a
control dependency, variable_scope reuse in conv_relu) and Graphs and Sessions (name
uniquing and scopes, two graphs with their own sessions, dict and tuple fetches). What the
snippets print and return was printed by them under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled)."""

import contextlib
import io

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def datasets_guide(tf):
    out = {}
    dataset1 = tf.data.Dataset.from_tensor_slices(tf.random_uniform([4, 10]))
    print(dataset1.output_types)
    print(dataset1.output_shapes)
    dataset2 = tf.data.Dataset.from_tensor_slices(
        (tf.random_uniform([4]), tf.random_uniform([4, 100], maxval=100, dtype=tf.int32))
    )
    print(dataset2.output_types)
    print(dataset2.output_shapes)
    dataset3 = tf.data.Dataset.zip((dataset1, dataset2))
    print(dataset3.output_types)
    print(dataset3.output_shapes)
    dataset = tf.data.Dataset.from_tensor_slices(
        {"a": tf.random_uniform([4]), "b": tf.random_uniform([4, 100], maxval=100, dtype=tf.int32)}
    )
    print(sorted(dataset.output_types.items()))
    print(sorted(dataset.output_shapes.items()))

    sess = tf.Session()
    dataset = tf.data.Dataset.range(100)
    iterator = dataset.make_one_shot_iterator()
    next_element = iterator.get_next()
    for i in range(100):
        value = sess.run(next_element)
        assert i == value
    out["one_shot"] = [next_element.name, next_element.dtype.name]

    max_value = tf.placeholder(tf.int64, shape=[])
    dataset = tf.data.Dataset.range(max_value)
    iterator = dataset.make_initializable_iterator()
    next_element = iterator.get_next()
    sess.run(iterator.initializer, feed_dict={max_value: 10})
    for i in range(10):
        value = sess.run(next_element)
        assert i == value
    sess.run(iterator.initializer, feed_dict={max_value: 100})
    for i in range(100):
        value = sess.run(next_element)
        assert i == value
    out["initializable"] = [iterator.initializer.name, next_element.name]

    training_dataset = tf.data.Dataset.range(100).map(
        lambda x: x + tf.random_uniform([], -10, 10, tf.int64, seed=4)
    )
    validation_dataset = tf.data.Dataset.range(50)
    iterator = tf.data.Iterator.from_structure(
        training_dataset.output_types, training_dataset.output_shapes
    )
    next_element = iterator.get_next()
    training_init_op = iterator.make_initializer(training_dataset)
    validation_init_op = iterator.make_initializer(validation_dataset)
    noisy = []
    for _ in range(2):
        sess.run(training_init_op)
        noisy.append([int(sess.run(next_element)) for _ in range(100)][:8])
        sess.run(validation_init_op)
        val = [int(sess.run(next_element)) for _ in range(50)]
    out["reinitializable"] = [noisy, val[-3:], next_element.name, training_init_op.name]

    handle = tf.placeholder(tf.string, shape=[])
    training_dataset = tf.data.Dataset.range(100).map(lambda x: x * 2).repeat()
    validation_dataset = tf.data.Dataset.range(50)
    iterator = tf.data.Iterator.from_string_handle(
        handle, training_dataset.output_types, training_dataset.output_shapes
    )
    next_element = iterator.get_next()
    training_iterator = training_dataset.make_one_shot_iterator()
    validation_iterator = validation_dataset.make_initializable_iterator()
    training_handle = sess.run(training_iterator.string_handle())
    validation_handle = sess.run(validation_iterator.string_handle())
    feedable = []
    for _ in range(2):
        for _ in range(3):
            feedable.append(int(sess.run(next_element, feed_dict={handle: training_handle})))
        sess.run(validation_iterator.initializer)
        for _ in range(2):
            feedable.append(int(sess.run(next_element, feed_dict={handle: validation_handle})))
    out["feedable"] = feedable

    dataset = tf.data.Dataset.range(5)
    iterator = dataset.make_initializable_iterator()
    next_element = iterator.get_next()
    result = tf.add(next_element, next_element)
    sess.run(iterator.initializer)
    consumed = []
    while True:
        try:
            consumed.append(int(sess.run(result)))
        except tf.errors.OutOfRangeError:
            print("End of dataset")
            break
    out["consumed"] = consumed

    dataset = tf.data.Dataset.range(100)
    dataset = dataset.map(lambda x: tf.fill([tf.cast(x, tf.int32)], x))
    dataset = dataset.padded_batch(4, padded_shapes=(None,))
    iterator = dataset.make_one_shot_iterator()
    next_element = iterator.get_next()
    out["padded"] = [sess.run(next_element).tolist(), sess.run(next_element).tolist()]
    out["padded_shape"] = next_element.shape.as_list()

    features = np.arange(40, dtype=np.float32).reshape(20, 2)
    dataset = tf.data.Dataset.from_tensor_slices(features)
    dataset = dataset.shuffle(buffer_size=10, seed=3)
    dataset = dataset.repeat(2)
    dataset = dataset.batch(6)
    iterator = dataset.make_one_shot_iterator()
    next_example = iterator.get_next()
    firsts = []
    while True:
        try:
            firsts.append(sess.run(next_example)[:, 0].tolist())
        except tf.errors.OutOfRangeError:
            break
    out["shuffled"] = firsts
    sess.close()
    return out


def variables_guide(tf):
    my_variable = tf.get_variable("my_variable", [1, 2, 3])
    my_int_variable = tf.get_variable(
        "my_int_variable", [1, 2, 3], dtype=tf.int32, initializer=tf.zeros_initializer
    )
    other_variable = tf.get_variable(
        "other_variable", dtype=tf.int32, initializer=tf.constant([23, 42])
    )
    my_local = tf.get_variable("my_local", shape=(), collections=[tf.GraphKeys.LOCAL_VARIABLES])
    my_non_trainable = tf.get_variable("my_non_trainable", shape=(), trainable=False)
    tf.add_to_collection("my_collection_name", my_local)
    with tf.device("/device:GPU:1"):
        v_gpu = tf.get_variable("v", [1])
    with tf.Graph().as_default():  # placed on a cluster's jobs: built, never run here
        cluster_spec = {"ps": ["ps0:2222", "ps1:2222"], "worker": ["worker0:2222"]}
        with tf.device(tf.train.replica_device_setter(cluster=cluster_spec)):
            v_ps = tf.get_variable("v_ps", shape=[20, 20])
            w_ps = tf.get_variable("w_ps", shape=[20, 20])
    out = {
        "names": [
            my_variable.name,
            my_int_variable.dtype.name,
            other_variable.shape.as_list(),
            my_non_trainable.name,
        ],
        "local": [v.name for v in tf.local_variables()],
        "trainable": [v.name for v in tf.trainable_variables()],
        "global": [v.name for v in tf.global_variables()],
        "custom": [v.name for v in tf.get_collection("my_collection_name")],
        "devices": [v_gpu.device, v_ps.device, w_ps.device],
    }
    v = tf.get_variable("v2", shape=(), initializer=tf.zeros_initializer())
    assignment = v.assign_add(1)
    with tf.control_dependencies([assignment]):
        w = v.read_value()

    def conv_relu(input, kernel_shape, bias_shape):
        weights = tf.get_variable(
            "weights", kernel_shape, initializer=tf.random_normal_initializer(seed=1)
        )
        biases = tf.get_variable("biases", bias_shape, initializer=tf.constant_initializer(0.0))
        conv = tf.nn.conv2d(input, weights, strides=[1, 1, 1, 1], padding="SAME")
        return tf.nn.relu(conv + biases)

    def my_image_filter(input_images):
        with tf.variable_scope("conv1"):
            relu1 = conv_relu(input_images, [3, 3, 2, 3], [3])
        with tf.variable_scope("conv2"):
            return conv_relu(relu1, [3, 3, 3, 2], [2])

    input1 = tf.constant(np.linspace(-1, 1, 2 * 4 * 4 * 2).reshape(2, 4, 4, 2), tf.float32)
    with tf.variable_scope("model"):
        output1 = my_image_filter(input1)
    with tf.variable_scope("model", reuse=True):
        output2 = my_image_filter(input1 * 2.0)
    with tf.variable_scope("model") as scope:
        scope.reuse_variables()
        output3 = my_image_filter(input1)
    my_image_filter(input1)
    try:
        my_image_filter(input1)
    except ValueError as e:
        out["unshared"] = "already exists" in str(e) and "Did you mean to set reuse" in str(e)
    with tf.Session(config=tf.ConfigProto(allow_soft_placement=True)) as sess:
        out["uninitialized"] = [n.decode() for n in sess.run(tf.report_uninitialized_variables())]
        tf.global_variables_initializer().run()
        tf.local_variables_initializer().run()
        out["read_after"] = [float(sess.run(w)), float(sess.run(w)), float(v.eval())]
        o1, o2, o3 = sess.run([output1, output2, output3])
    out["conv"] = [
        output1.name,
        output2.name,
        output3.name,
        float(o1.sum()),
        float(o2.sum()),
        bool(np.array_equal(o1, o3)),
    ]
    return out


def graphs_guide(tf):
    out = {}
    c_0 = tf.constant(0, name="c")
    c_1 = tf.constant(2, name="c")
    with tf.name_scope("outer"):
        c_2 = tf.constant(2, name="c")
        with tf.name_scope("inner"):
            c_3 = tf.constant(3, name="c")
        c_4 = tf.constant(4, name="c")
        with tf.name_scope("inner"):
            c_5 = tf.constant(5, name="c")
    out["names"] = [t.op.name for t in (c_0, c_1, c_2, c_3, c_4, c_5)]
    x = tf.constant([[37.0, -23.0], [1.0, 4.0]])
    w = tf.Variable(tf.constant([[0.5], [-1.5]]))
    y = tf.matmul(x, w)
    output = tf.nn.softmax(y)
    init_op = w.initializer
    with tf.Session() as sess:
        sess.run(init_op)
        print(sess.run(output).tolist())
        y_val, output_val = sess.run([y, output])
        fetched = sess.run({"k1": y, "k2": [c_1, c_4]})
    out["fetched"] = [
        y_val.tolist(),
        output_val.tolist(),
        fetched["k1"].tolist(),
        [int(i) for i in fetched["k2"]],
    ]
    g_1 = tf.Graph()
    with g_1.as_default():
        c = tf.constant("Node in g_1")
        sess_1 = tf.Session()
    g_2 = tf.Graph()
    with g_2.as_default():
        d = tf.constant("Node in g_2")
    sess_2 = tf.Session(graph=g_2)
    assert c.graph is g_1
    assert sess_1.graph is g_1
    assert d.graph is g_2
    assert sess_2.graph is g_2
    out["two_graphs"] = [sess_1.run(c).decode(), sess_2.run(d).decode()]
    sess_1.close()
    sess_2.close()
    return out


def program(tf, workdir):
    out = {}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        with tf.Graph().as_default():
            tf.set_random_seed(8)
            out["datasets"] = datasets_guide(tf)
        with tf.Graph().as_default():
            out["variables"] = variables_guide(tf)
        with tf.Graph().as_default():
            out["graphs"] = graphs_guide(tf)
    out["printed"] = printed.getvalue().splitlines()
    return out


EXPECTED = {
    "datasets": {
        "one_shot": ["IteratorGetNext:0", "int64"],
        "initializable": ["MakeIterator", "IteratorGetNext_1:0"],
        "reinitializable": [
            [[-5, -3, -3, 12, 1, 5, 15, 16], [-5, -3, -3, 12, 1, 5, 15, 16]],
            [47, 48, 49],
            "IteratorGetNext_2:0",
            "make_initializer",
        ],
        "feedable": [0, 2, 4, 0, 1, 6, 8, 10, 0, 1],
        "consumed": [0, 2, 4, 6, 8],
        "padded": [
            [[0, 0, 0], [1, 0, 0], [2, 2, 0], [3, 3, 3]],
            [
                [4, 4, 4, 4, 0, 0, 0],
                [5, 5, 5, 5, 5, 0, 0],
                [6, 6, 6, 6, 6, 6, 0],
                [7, 7, 7, 7, 7, 7, 7],
            ],
        ],
        "padded_shape": [None, None],
        "shuffled": [
            [0.0, 2.0, 14.0, 24.0, 12.0, 20.0],
            [10.0, 18.0, 28.0, 26.0, 4.0, 32.0],
            [34.0, 22.0, 6.0, 36.0, 8.0, 16.0],
            [30.0, 38.0, 4.0, 10.0, 8.0, 24.0],
            [26.0, 14.0, 0.0, 18.0, 28.0, 34.0],
            [38.0, 6.0, 2.0, 16.0, 30.0, 12.0],
            [20.0, 22.0, 32.0, 36.0],
        ],
    },
    "variables": {
        "names": ["my_variable:0", "int32_ref", [2], "my_non_trainable:0"],
        "local": ["my_local:0"],
        "trainable": [
            "my_variable:0",
            "my_int_variable:0",
            "other_variable:0",
            "my_local:0",
            "v:0",
        ],
        "global": [
            "my_variable:0",
            "my_int_variable:0",
            "other_variable:0",
            "my_non_trainable:0",
            "v:0",
        ],
        "custom": ["my_local:0"],
        "devices": ["/device:GPU:1", "/job:ps/task:0", "/job:ps/task:1"],
        "unshared": True,
        "uninitialized": [
            "my_variable",
            "my_int_variable",
            "other_variable",
            "my_non_trainable",
            "v",
            "v2",
            "model/conv1/weights",
            "model/conv1/biases",
            "model/conv2/weights",
            "model/conv2/biases",
            "conv1/weights",
            "conv1/biases",
            "conv2/weights",
            "conv2/biases",
            "my_local",
        ],
        "read_after": [1.0, 2.0, 2.0],
        "conv": [
            "model/conv2/Relu:0",
            "model_1/conv2/Relu:0",
            "model_2/conv2/Relu:0",
            116.59429931640625,
            233.1885986328125,
            True,
        ],
    },
    "graphs": {
        "names": ["c", "c_1", "outer/c", "outer/inner/c", "outer/c_1", "outer/inner_1/c"],
        "fetched": [[[53.0], [-5.5]], [[1.0], [1.0]], [[53.0], [-5.5]], [2, 4]],
        "two_graphs": ["Node in g_1", "Node in g_2"],
    },
    "printed": [
        "<dtype: 'float32'>",
        "(10,)",
        "(tf.float32, tf.int32)",
        "(TensorShape([]), TensorShape([Dimension(100)]))",
        "(tf.float32, (tf.float32, tf.int32))",
        "(TensorShape([Dimension(10)]), (TensorShape([]), TensorShape([Dimension(100)])))",
        "[('a', tf.float32), ('b', tf.int32)]",
        "[('a', TensorShape([])), ('b', TensorShape([Dimension(100)]))]",
        "End of dataset",
        "[[1.0], [1.0]]",
    ],
}


def test_lowlevel_guide_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
