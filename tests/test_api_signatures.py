"""Parameter names, in order, of public functions and classes whose signatures were made
TF's (``tensorflow.compat.v1`` 2.21, tf_keras): TF1 code passes them by keyword or by
position."""

import inspect

import numpy as np
import pytest

import scopeflow as tf

_RED = ["reduction", "name"]
SIGNATURES = {
    "keras.losses.BinaryCrossentropy": ["from_logits", "label_smoothing", "axis", *_RED],
    "keras.losses.CategoricalCrossentropy": ["from_logits", "label_smoothing", "axis", *_RED],
    "keras.losses.SparseCategoricalCrossentropy": ["from_logits", "ignore_class", *_RED],
    "keras.losses.BinaryFocalCrossentropy": [
        "apply_class_balancing",
        "alpha",
        "gamma",
        "from_logits",
        "label_smoothing",
        "axis",
        *_RED,
    ],
    "keras.losses.CategoricalFocalCrossentropy": [
        "alpha",
        "gamma",
        "from_logits",
        "label_smoothing",
        "axis",
        *_RED,
    ],
    "keras.losses.CosineSimilarity": ["axis", *_RED],
    "keras.losses.Huber": ["delta", *_RED],
    "keras.losses.MeanSquaredError": _RED,
    "keras.losses.Loss": _RED,
    "keras.losses.binary_crossentropy": [
        "y_true",
        "y_pred",
        "from_logits",
        "label_smoothing",
        "axis",
    ],
    "keras.losses.categorical_crossentropy": [
        "y_true",
        "y_pred",
        "from_logits",
        "label_smoothing",
        "axis",
    ],
    "keras.losses.sparse_categorical_crossentropy": [
        "y_true",
        "y_pred",
        "from_logits",
        "axis",
        "ignore_class",
    ],
    "igamma": ["a", "x", "name"],
    "igammac": ["a", "x", "name"],
    "math.igamma": ["a", "x", "name"],
    "polygamma": ["a", "x", "name"],
    "math.polygamma": ["a", "x", "name"],
    "zeta": ["x", "q", "name"],
    "math.zeta": ["x", "q", "name"],
    "confusion_matrix": ["labels", "predictions", "num_classes", "dtype", "name", "weights"],
    "math.confusion_matrix": [
        "labels",
        "predictions",
        "num_classes",
        "dtype",
        "name",
        "weights",
    ],
    "nn.avg_pool2d": ["value", "ksize", "strides", "padding", "data_format", "name", "input"],
    "device": ["device_name_or_function"],
    "gfile.Copy": ["oldpath", "newpath", "overwrite"],
    "gfile.DeleteRecursively": ["dirname"],
    "gfile.Exists": ["filename"],
    "gfile.Glob": ["filename"],
    "gfile.IsDirectory": ["dirname"],
    "gfile.ListDirectory": ["dirname"],
    "gfile.MakeDirs": ["dirname"],
    "gfile.MkDir": ["dirname"],
    "gfile.Remove": ["filename"],
    "gfile.Rename": ["oldname", "newname", "overwrite"],
    "gfile.Stat": ["filename"],
    "keras.layers.InputSpec": [
        "dtype",
        "shape",
        "ndim",
        "max_ndim",
        "min_ndim",
        "axes",
        "allow_last_axis_squeeze",
        "name",
        "optional",
    ],
    "data.experimental.from_variant": ["variant", "structure"],
    "data.experimental.pad_to_cardinality": ["cardinality", "mask_key"],
    "data.experimental.TensorStructure": ["dtype", "shape"],
    "keras.backend.get_session": ["op_input_list"],
    "keras.callbacks.TensorBoard": [
        "log_dir",
        "histogram_freq",
        "batch_size",
        "write_graph",
        "write_grads",
        "write_images",
        "embeddings_freq",
        "embeddings_layer_names",
        "embeddings_metadata",
        "embeddings_data",
        "update_freq",
        "profile_batch",
    ],
    "keras.metrics.BinaryAccuracy": ["name", "dtype", "threshold"],
    "keras.metrics.Accuracy": ["name", "dtype"],
    "keras.metrics.BinaryCrossentropy": ["name", "dtype", "from_logits", "label_smoothing"],
    "keras.metrics.CategoricalCrossentropy": [
        "name",
        "dtype",
        "from_logits",
        "label_smoothing",
        "axis",
    ],
    "keras.metrics.SparseCategoricalCrossentropy": [
        "name",
        "dtype",
        "from_logits",
        "ignore_class",
        "axis",
    ],
    "keras.metrics.CosineSimilarity": ["name", "dtype", "axis"],
    "train.NewCheckpointReader": ["filepattern"],
    "is_symbolic_tensor": ["tensor"],
    "data.TextLineDataset": ["filenames", "compression_type", "buffer_size", "num_parallel_reads"],
    "matrix_diag": [
        "diagonal",
        "name",
        "k",
        "num_rows",
        "num_cols",
        "padding_value",
        "align",
    ],
    "linalg.diag_part": ["input", "name", "k", "padding_value", "align"],
    "matrix_set_diag": ["input", "diagonal", "name", "k", "align"],
    "data.Dataset.with_options": ["options", "name"],
    "get_local_variable": [
        "name",
        "shape",
        "dtype",
        "initializer",
        "regularizer",
        "trainable",
        "collections",
        "caching_device",
        "partitioner",
        "validate_shape",
        "use_resource",
        "custom_getter",
        "constraint",
        "synchronization",
        "aggregation",
    ],
    "keras.layers.LSTM": [
        "units",
        "activation",
        "recurrent_activation",
        "use_bias",
        "kernel_initializer",
        "recurrent_initializer",
        "bias_initializer",
        "unit_forget_bias",
        "kernel_regularizer",
        "recurrent_regularizer",
        "bias_regularizer",
        "activity_regularizer",
        "kernel_constraint",
        "recurrent_constraint",
        "bias_constraint",
        "dropout",
        "recurrent_dropout",
        "return_sequences",
        "return_state",
        "go_backwards",
        "stateful",
        "unroll",
        "time_major",
        "kwargs",
    ],
    "keras.layers.GRU": [
        "units",
        "activation",
        "recurrent_activation",
        "use_bias",
        "kernel_initializer",
        "recurrent_initializer",
        "bias_initializer",
        "kernel_regularizer",
        "recurrent_regularizer",
        "bias_regularizer",
        "activity_regularizer",
        "kernel_constraint",
        "recurrent_constraint",
        "bias_constraint",
        "dropout",
        "recurrent_dropout",
        "return_sequences",
        "return_state",
        "go_backwards",
        "stateful",
        "unroll",
        "reset_after",
        "time_major",
        "kwargs",
    ],
    "keras.layers.SimpleRNN": [
        "units",
        "activation",
        "use_bias",
        "kernel_initializer",
        "recurrent_initializer",
        "bias_initializer",
        "kernel_regularizer",
        "recurrent_regularizer",
        "bias_regularizer",
        "activity_regularizer",
        "kernel_constraint",
        "recurrent_constraint",
        "bias_constraint",
        "dropout",
        "recurrent_dropout",
        "return_sequences",
        "return_state",
        "go_backwards",
        "stateful",
        "unroll",
        "time_major",
        "kwargs",
    ],
    "keras.layers.LSTMCell": [
        "units",
        "activation",
        "recurrent_activation",
        "use_bias",
        "kernel_initializer",
        "recurrent_initializer",
        "bias_initializer",
        "unit_forget_bias",
        "kernel_regularizer",
        "recurrent_regularizer",
        "bias_regularizer",
        "kernel_constraint",
        "recurrent_constraint",
        "bias_constraint",
        "dropout",
        "recurrent_dropout",
        "implementation",
        "kwargs",
    ],
    "keras.layers.GRUCell": [
        "units",
        "activation",
        "recurrent_activation",
        "use_bias",
        "kernel_initializer",
        "recurrent_initializer",
        "bias_initializer",
        "kernel_regularizer",
        "recurrent_regularizer",
        "bias_regularizer",
        "kernel_constraint",
        "recurrent_constraint",
        "bias_constraint",
        "dropout",
        "recurrent_dropout",
        "reset_after",
        "implementation",
        "kwargs",
    ],
    "keras.layers.SimpleRNNCell": [
        "units",
        "activation",
        "use_bias",
        "kernel_initializer",
        "recurrent_initializer",
        "bias_initializer",
        "kernel_regularizer",
        "recurrent_regularizer",
        "bias_regularizer",
        "kernel_constraint",
        "recurrent_constraint",
        "bias_constraint",
        "dropout",
        "recurrent_dropout",
        "kwargs",
    ],
    "keras.layers.CuDNNLSTM": [
        "units",
        "kernel_initializer",
        "recurrent_initializer",
        "bias_initializer",
        "unit_forget_bias",
        "kernel_regularizer",
        "recurrent_regularizer",
        "bias_regularizer",
        "activity_regularizer",
        "kernel_constraint",
        "recurrent_constraint",
        "bias_constraint",
        "return_sequences",
        "return_state",
        "go_backwards",
        "stateful",
        "kwargs",
    ],
}


def _resolve(path: str):
    obj = tf
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


@pytest.mark.parametrize("path", sorted(SIGNATURES))
def test_parameter_names_are_tfs(path):
    names = [p for p in inspect.signature(_resolve(path)).parameters if p != "self"]
    assert names == SIGNATURES[path]


def test_special_functions_by_tfs_keywords(graph):
    ops = [
        tf.igamma(a=2.0, x=1.5),
        tf.math.igammac(a=2.0, x=1.5),
        tf.polygamma(a=1.0, x=2.0),
        tf.zeta(x=2.0, q=1.0),
    ]
    assert [t.name for t in ops] == ["Igamma:0", "Igammac:0", "Polygamma:0", "Zeta:0"]
    with tf.Session(graph=graph) as sess:
        values = sess.run(ops)
    np.testing.assert_allclose(values, [0.44217455, 0.55782545, 0.6449341, 1.644934], rtol=1e-5)
    with pytest.raises(TypeError, match=r"igamma\(\) missing 1 required positional argument: 'x'"):
        tf.igamma(2.0)


def test_confusion_matrix_takes_dtype_and_name_before_weights(graph):
    cm = tf.confusion_matrix([0, 1, 1], [0, 1, 0], 2, tf.float32, "cm", [1.0, 2.0, 3.0])
    assert (cm.name, cm.dtype) == ("cm/ScatterNd:0", tf.float32)
    with tf.Session(graph=graph) as sess:
        assert sess.run(cm).tolist() == [[1.0, 0.0], [3.0, 2.0]]


def test_avg_pool2d_is_tf1s_avg_pool(graph):
    x = np.arange(16, dtype=np.float32).reshape(1, 4, 4, 1)
    pool = tf.nn.avg_pool2d(value=x, ksize=2, strides=2, padding="VALID")
    assert tf.nn.avg_pool2d is tf.nn.avg_pool and pool.name == "AvgPool:0"
    with tf.Session(graph=graph) as sess:
        assert sess.run(pool).ravel().tolist() == [2.5, 4.5, 10.5, 12.5]


def test_device_and_gfile_by_tf1s_keywords(graph, tmp_path):
    with tf.device(device_name_or_function="/cpu:0"):
        assert tf.constant(1.0).device == "/device:CPU:0"
    path = str(tmp_path / "a")
    with tf.gfile.GFile(path, "w") as f:
        f.write("xy")
    tf.gfile.Copy(oldpath=path, newpath=path + "b")
    tf.gfile.Rename(oldname=path + "b", newname=path + "c")
    assert sorted(tf.gfile.ListDirectory(dirname=str(tmp_path))) == ["a", "ac"]
    assert tf.gfile.Stat(filename=path + "c").length == 2
    tf.gfile.Remove(filename=path)
    assert not tf.gfile.Exists(filename=path)
    tf.gfile.MakeDirs(dirname=str(tmp_path / "d" / "e"))
    assert tf.gfile.IsDirectory(dirname=str(tmp_path / "d"))
    tf.gfile.DeleteRecursively(dirname=str(tmp_path / "d"))
    assert tf.gfile.Glob(filename=str(tmp_path / "*")) == [path + "c"]


def test_pad_to_cardinality_names_its_mask(graph):
    ds = tf.data.Dataset.from_tensor_slices({"a": [1, 2]})
    ds = ds.apply(tf.data.experimental.pad_to_cardinality(4, mask_key="m"))
    it = tf.data.make_one_shot_iterator(ds).get_next()
    with tf.Session(graph=graph) as sess:
        got = [sess.run(it) for _ in range(4)]
    assert [(int(e["a"]), bool(e["m"])) for e in got] == [
        (1, True),
        (2, True),
        (0, False),
        (0, False),
    ]


def test_tensor_structure_takes_the_dtype_first():
    spec = tf.data.experimental.TensorStructure(tf.float32, [2])
    assert repr(spec) == "TensorSpec(shape=(2,), dtype=tf.float32, name=None)"


def test_from_variant_by_keyword(graph):
    ds = tf.data.Dataset.range(3)
    again = tf.data.experimental.from_variant(
        tf.data.experimental.to_variant(ds), structure=tf.TensorSpec([], tf.int64)
    )
    it = tf.data.make_one_shot_iterator(again).get_next()
    with tf.Session(graph=graph) as sess:
        assert [sess.run(it) for _ in range(3)] == [0, 1, 2]


def test_keras_session_of_the_inputs_graph():
    other = tf.Graph()
    with other.as_default():
        c = tf.constant(1.0)
    session = tf.keras.backend.get_session([c])
    assert session.graph is other and tf.keras.backend.get_session(op_input_list=[c]) is session
    session.close()


def test_tensorboard_keeps_embedding_arguments_and_refuses_unknown_ones(tmp_path):
    board = tf.keras.callbacks.TensorBoard(str(tmp_path), embeddings_layer_names=["a"])
    assert (board.embeddings_layer_names, board.embeddings_metadata) == (["a"], None)
    with pytest.raises(TypeError, match=r"TensorBoard.__init__\(\) got an unexpected keyword"):
        tf.keras.callbacks.TensorBoard(str(tmp_path), foo=1)


def test_keras_metric_arguments_by_position_and_configs():
    M = tf.keras.metrics
    assert M.BinaryAccuracy("acc", None, 0.7).get_config() == {
        "name": "acc",
        "dtype": "float32",
        "threshold": 0.7,
    }
    assert M.SparseCategoricalCrossentropy().get_config() == {
        "name": "sparse_categorical_crossentropy",
        "dtype": "float32",
        "from_logits": False,
        "ignore_class": None,
        "axis": -1,
    }
    assert M.CategoricalCrossentropy().get_config()["axis"] == -1
    with pytest.raises(TypeError, match="BinaryAccuracy.__init__\\(\\) got an unexpected keyword"):
        M.BinaryAccuracy(foo=1)


def test_with_options_by_keyword(graph):
    opts = tf.data.Options()
    opts.experimental_deterministic = False
    ds = tf.data.Dataset.range(3).with_options(options=opts)
    assert ds.options().experimental_deterministic is False


def test_local_variables_take_synchronization_and_aggregation(graph):
    v = tf.get_local_variable(
        "v",
        [2],
        synchronization=tf.VariableSynchronization.ON_READ,
        aggregation=tf.VariableAggregation.MEAN,
    )
    assert (v.synchronization, v.aggregation) == (
        tf.VariableSynchronization.ON_READ,
        tf.VariableAggregation.MEAN,
    )
    assert [x.name for x in tf.local_variables()] == ["v:0"] and not tf.trainable_variables()
