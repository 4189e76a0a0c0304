"""Subclassed ``tf.keras.Model`` (layers made in ``__init__``, composed in ``call``) and
``Layer`` subclasses holding layers, in graph mode. Every name, shape, error and number below
was printed by TF 2.21 (tf_keras, ``TF_USE_LEGACY_KERAS=1``, ``tf.disable_v2_behavior()``)."""

import numpy as np
import pytest

import scopeflow as tf

k = tf.keras


class Block(k.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight("w", shape=(int(input_shape[-1]), self.units), initializer="ones")
        self.b = self.add_weight("b", shape=(self.units,), initializer="zeros")
        super().build(input_shape)

    def call(self, x):
        self.add_loss(0.01 * tf.reduce_sum(self.w))
        return tf.matmul(x, self.w) + self.b


class Composite(k.Model):
    """Layers in an attribute, a list and a dict."""

    def __init__(self):
        super().__init__()
        self.d1 = k.layers.Dense(
            4,
            activation="relu",
            kernel_initializer=k.initializers.Constant(0.1),
            activity_regularizer="l2",
        )
        self.blocks = [Block(3), k.layers.Dense(3, kernel_initializer="ones")]
        self.heads = {"out": k.layers.Dense(2, kernel_initializer=k.initializers.Constant(0.2))}

    def call(self, inputs, training=None):
        h = self.d1(inputs)
        for block in self.blocks:
            h = block(h)
        return self.heads["out"](h)


def test_call_in_a_variable_scope_names_weights_and_losses_as_tf(graph):
    model = Composite()
    assert (model.name, model.built, model.inputs, model.weights) == (
        "composite",
        False,
        None,
        [],
    )
    assert [layer.name for layer in model.layers] == ["dense", "block", "dense_1", "dense_2"]
    x = tf.placeholder(tf.float32, [None, 5], name="x")
    with tf.variable_scope("outer"):
        y = model(x)
    assert y.name == "outer/composite/dense_2/BiasAdd:0"
    assert y.shape.as_list() == [None, 2]
    assert [w.name for w in model.weights] == [
        "outer/composite/dense/kernel:0",
        "outer/composite/dense/bias:0",
        "outer/composite/block/w:0",
        "outer/composite/block/b:0",
        "outer/composite/dense_1/kernel:0",
        "outer/composite/dense_1/bias:0",
        "outer/composite/dense_2/kernel:0",
        "outer/composite/dense_2/bias:0",
    ]
    assert [t.name for t in model.losses] == [
        "outer/composite/dense/ActivityRegularizer/truediv:0",
        "outer/composite/block/mul:0",
    ]
    assert model.inputs == [x] and model.outputs == [y]
    assert (model.input_names, model.output_names) == (["input_1"], ["output_1"])
    assert model.count_params() == 59
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        feed = {x: np.arange(10.0).reshape(2, 5)}
        np.testing.assert_allclose(sess.run(y, feed), [[7.2, 7.2], [25.2, 25.2]], rtol=1e-6)
        np.testing.assert_allclose(sess.run(model.losses, feed), [0.265, 0.12], rtol=1e-6)
    # a second call (outside the scope) shares the weights; the first call stays the inputs
    assert model(tf.placeholder(tf.float32, [None, 5])).name == "composite/dense_2/BiasAdd:0"
    assert len(model.weights) == 8 and model.inputs == [x]


def test_summary_prints_multiple_as_output_shapes(graph):
    model = Composite()
    with pytest.raises(ValueError, match="This model has not yet been built"):
        model.summary()
    with pytest.raises(ValueError, match="You tried to call `count_params` on composite"):
        model.count_params()
    model(tf.placeholder(tf.float32, [None, 5]))
    lines = []
    model.summary(print_fn=lines.append)
    assert lines == [
        'Model: "composite"',
        "_" * 65,
        " Layer (type)                Output Shape              Param #   ",
        "=" * 65,
        " dense (Dense)               multiple                  24        ",
        " " * 65,
        " block (Block)               multiple                  15        ",
        " " * 65,
        " dense_1 (Dense)             multiple                  12        ",
        " " * 65,
        " dense_2 (Dense)             multiple                  8         ",
        " " * 65,
        "=" * 65,
        "Total params: 59 (236.00 Byte)",
        "Trainable params: 59 (236.00 Byte)",
        "Non-trainable params: 0 (0.00 Byte)",
        "_" * 65,
    ]


class Nested(k.layers.Layer):
    """A layer holding layers (a dense layer and batch normalization) and a weight."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.inner = k.layers.Dense(units, kernel_initializer=k.initializers.Constant(0.3))
        self.bn = k.layers.BatchNormalization()

    def build(self, input_shape):
        shape = (int(input_shape[-1]), self.units)
        self.w = self.add_weight("w", shape=shape, initializer="ones", trainable=False)
        super().build(input_shape)

    def call(self, x, training=None):
        self.add_loss(0.01 * tf.reduce_sum(tf.square(x)))
        return self.bn(self.inner(x), training=training) + 0.1 * tf.matmul(x, self.w)


class Net(k.Model):
    def __init__(self, units=3):
        super().__init__()
        self.units = units
        self.d1 = k.layers.Dense(
            4,
            activation="tanh",
            kernel_initializer=k.initializers.Constant(0.1),
            activity_regularizer=k.regularizers.l2(0.01),
        )
        self.block = Nested(units)
        self.heads = {"out": k.layers.Dense(1, kernel_initializer=k.initializers.Constant(0.2))}
        self.drop = [k.layers.Dropout(0.0)]

    def call(self, inputs, training=None):
        h = self.block(self.d1(inputs), training=training)
        return self.heads["out"](self.drop[0](h, training=training))


def _data():
    rng = np.random.RandomState(0)
    return rng.randn(20, 3).astype("float32"), rng.randn(20, 1).astype("float32")


NET_WEIGHTS = [
    "net/dense/kernel:0",
    "net/dense/bias:0",
    "net/nested/dense_1/kernel:0",
    "net/nested/dense_1/bias:0",
    "net/nested/batch_normalization/gamma:0",
    "net/nested/batch_normalization/beta:0",
    "net/nested/w:0",
    "net/nested/batch_normalization/moving_mean:0",
    "net/nested/batch_normalization/moving_variance:0",
    "net/dense_2/kernel:0",
    "net/dense_2/bias:0",
]
NET_PREDICTIONS = [-0.18896248936653137, -0.13390421867370605, -0.26988154649734497]


def _fitted_net():
    x, y = _data()
    model = Net(5)
    model.compile(k.optimizers.SGD(0.1), "mse", metrics=["mae"])
    history = model.fit(x, y, epochs=3, batch_size=5, verbose=0, shuffle=False)
    return model, history


def test_fit_builds_the_model_on_first_fit_and_trains_as_tf(graph):
    model, history = _fitted_net()
    np.testing.assert_allclose(
        history.history["loss"],
        [0.9091240651905537, 0.47554008662700653, 0.47671695798635483],
        atol=1e-6,
    )
    np.testing.assert_allclose(
        history.history["mean_absolute_error"],
        [0.7894463539123535, 0.5980104804039001, 0.5665711760520935],
        atol=1e-6,
    )
    assert [t.name for t in model.inputs] == ["input_1:0"]
    assert model.inputs[0].shape.as_list() == [None, 3]
    assert [t.name for t in model.outputs] == ["net/dense_2/BiasAdd:0"]
    assert model.metrics_names == ["loss", "mean_absolute_error"]
    assert [w.name for w in model.weights] == NET_WEIGHTS
    assert [w.name for w in model.trainable_weights] == [
        n for n in NET_WEIGHTS if "/w:" not in n and "moving" not in n
    ]
    assert [w.name for w in model.block.weights] == [
        "net/nested/dense_1/kernel:0",
        "net/nested/dense_1/bias:0",
        "net/nested/batch_normalization/gamma:0",
        "net/nested/batch_normalization/beta:0",
        "net/nested/w:0",
        "net/nested/batch_normalization/moving_mean:0",
        "net/nested/batch_normalization/moving_variance:0",
    ]
    assert [t.name for t in model.losses] == [
        "net/dense/ActivityRegularizer/truediv:0",
        "net/nested/mul:0",
    ]
    assert len(model.updates) == 2
    x, y = _data()
    np.testing.assert_allclose(model.evaluate(x, y, verbose=0), [0.54894865, 0.60072196], 1e-6)
    np.testing.assert_allclose(model.predict(x[:3]).ravel(), NET_PREDICTIONS, atol=1e-6)


def test_save_weights_writes_tf_checkpoint_paths_by_attribute(graph, tmp_path):
    model, _ = _fitted_net()
    prefix = str(tmp_path / "ckpt" / "w")
    model.save_weights(prefix)
    reader = tf.train.NewCheckpointReader(prefix)
    assert sorted(reader.get_variable_to_shape_map()) == [
        "_CHECKPOINTABLE_OBJECT_GRAPH",
        "block/bn/beta/.ATTRIBUTES/VARIABLE_VALUE",
        "block/bn/gamma/.ATTRIBUTES/VARIABLE_VALUE",
        "block/bn/moving_mean/.ATTRIBUTES/VARIABLE_VALUE",
        "block/bn/moving_variance/.ATTRIBUTES/VARIABLE_VALUE",
        "block/inner/bias/.ATTRIBUTES/VARIABLE_VALUE",
        "block/inner/kernel/.ATTRIBUTES/VARIABLE_VALUE",
        "block/w/.ATTRIBUTES/VARIABLE_VALUE",
        "d1/bias/.ATTRIBUTES/VARIABLE_VALUE",
        "d1/kernel/.ATTRIBUTES/VARIABLE_VALUE",
        "heads/out/bias/.ATTRIBUTES/VARIABLE_VALUE",
        "heads/out/kernel/.ATTRIBUTES/VARIABLE_VALUE",
        "optimizer/decay/.ATTRIBUTES/VARIABLE_VALUE",
        "optimizer/iter/.ATTRIBUTES/VARIABLE_VALUE",
        "optimizer/learning_rate/.ATTRIBUTES/VARIABLE_VALUE",
        "optimizer/momentum/.ATTRIBUTES/VARIABLE_VALUE",
    ]
    model.save_weights(str(tmp_path / "w.h5"))
    x, _ = _data()
    for path in (prefix, str(tmp_path / "w.h5")):
        with tf.Graph().as_default():
            fresh = Net(5)
            fresh(tf.placeholder(tf.float32, [None, 3]))
            fresh.load_weights(path)
            np.testing.assert_allclose(fresh.predict(x[:3]).ravel(), NET_PREDICTIONS, atol=1e-6)


def test_h5_weights_hold_one_group_per_layer(graph, tmp_path):
    h5py = pytest.importorskip("h5py")
    model, _ = _fitted_net()
    model.save_weights(str(tmp_path / "w.h5"))
    with h5py.File(str(tmp_path / "w.h5"), "r") as f:
        assert [_text(n) for n in f.attrs["layer_names"]] == [
            "dense",
            "nested",
            "dense_2",
            "dropout",
        ]
        assert [_text(n) for n in f["nested"].attrs["weight_names"]] == NET_WEIGHTS[2:9]


def _text(name) -> str:
    return name.decode() if isinstance(name, bytes) else name


class Small(k.Model):
    def __init__(self):
        super().__init__(name="my_net")
        self.d = k.layers.Dense(2, kernel_initializer="ones")

    def call(self, x):
        return self.d(x)


def test_build_calls_the_model_outside_its_name_scope(graph):
    model = Small()
    model.build((None, 3))
    assert model.built and model.inputs is None
    assert [w.name for w in model.weights] == ["dense/kernel:0", "dense/bias:0"]
    assert graph.get_operations()[0].name == "Placeholder"
    with pytest.raises(ValueError, match="Input shape must be defined when calling `build"):
        Small().build(None)


def test_predict_on_a_model_never_called_makes_input_placeholders(graph):
    model = Small()
    np.testing.assert_allclose(model.predict(np.ones((2, 3))), [[3.0, 3.0], [3.0, 3.0]])
    assert model.inputs[0].name == "input_1:0"
    assert model.inputs[0].dtype == tf.float32  # float64 data: floatx
    assert model.outputs[0].name == "my_net/dense/BiasAdd:0"


def test_fit_before_compile_and_h5_save_raise_as_tf(graph, tmp_path):
    model = Small()
    with pytest.raises(RuntimeError, match="You must compile your model before training"):
        model.fit(np.ones((2, 3)), np.ones((2, 2)))
    with pytest.raises(NotImplementedError, match="requires the model to be a Functional"):
        model.save(str(tmp_path / "m.h5"))


def test_a_subclassed_model_is_one_layer_of_a_functional_model(graph):
    inp = k.Input((3,))
    inner = Small()
    out = inner(inp)
    model = k.Model(inp, out)
    assert out.name == "my_net/dense/BiasAdd:0"
    assert [layer.name for layer in model.layers] == ["input_1", "my_net"]
    assert [w.name for w in model.weights] == ["my_net/dense/kernel:0", "my_net/dense/bias:0"]
    lines = []
    model.summary(print_fn=lines.append)
    assert lines[6] == " my_net (Small)              (None, 2)                 8         "


class WithArguments(k.Model):
    def __init__(self, units, act=None, rate=0.5, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def call(self, x):
        return x


def test_get_config_is_the_constructors_plain_arguments(graph):
    def config(model):
        return list(model.get_config().items())

    base = [("trainable", True), ("dtype", None)]  # first, as **kwargs is taken
    assert config(WithArguments(3, "relu")) == [
        ("name", "with_arguments"),
        *base,
        ("units", 3),
        ("act", "relu"),
    ]
    assert config(WithArguments(act="relu", units=3, rate=0.1)) == [
        ("name", "with_arguments_1"),
        *base,
        ("act", "relu"),
        ("units", 3),
        ("rate", 0.1),
    ]
    assert config(WithArguments(3, rate=(1, 2))) == [
        ("name", "with_arguments_2"),
        *base,
        ("rate", (1, 2)),
        ("units", 3),
    ]
    assert config(WithArguments(3, name="foo")) == [("name", "foo"), *base, ("units", 3)]
    assert WithArguments(3, act=k.layers.Dense(2)).get_config() == {}
    assert WithArguments(np.ones(2)).get_config() == {}
    assert Small().get_config() == {}
    assert WithArguments.from_config({"units": 4}).units == 4

    class NoKwargs(k.Model):
        def __init__(self, units, act=None, **kw):
            super().__init__(**kw)

        def call(self, x):
            return x

    assert NoKwargs(3, "relu", name="n").get_config() == {"units": 3, "act": "relu"}

    class Custom(k.layers.Layer):
        def __init__(self, units, **kwargs):
            super().__init__(**kwargs)

        def call(self, x):
            return x

    with pytest.raises(NotImplementedError, match="must override `get_config`"):
        Custom(3).get_config()

    class Plain(k.layers.Layer):
        def call(self, x):
            return x

    assert Plain().get_config() == {"name": "plain", "trainable": True, "dtype": None}


def test_forgetting_super_init_raises_as_tf(graph):
    class Forgot(k.Model):
        def __init__(self):
            self.d = k.layers.Dense(1)
            super().__init__()

    with pytest.raises(RuntimeError, match="forgot to call `super"):
        Forgot()

    class ForgotLayer(k.layers.Layer):  # a layer may set its layers first
        def __init__(self):
            self.d = k.layers.Dense(1)
            super().__init__()

    assert ForgotLayer().d.name == "dense_1"


def test_dicts_of_layers_are_tracked_by_sorted_key_and_own_losses_come_first(graph):
    class Heads(k.Model):
        def __init__(self):
            super().__init__()
            self.d = {"z": k.layers.Dense(1), "a": k.layers.Dense(2)}

        def call(self, x):
            self.add_loss(tf.reduce_sum(x))
            return self.d["a"](x) + self.d["z"](x[:, :1])

    model = Heads()
    assert [layer.name for layer in model.layers] == ["dense_1", "dense"]
    model(tf.placeholder(tf.float32, [None, 2]))
    assert [w.name for w in model.weights] == [
        "heads/dense_1/kernel:0",
        "heads/dense_1/bias:0",
        "heads/dense/kernel:0",
        "heads/dense/bias:0",
    ]
    assert [t.name for t in model.losses] == ["heads/Sum:0"]


class Pair(k.Model):
    def __init__(self):
        super().__init__()
        self.d1 = k.layers.Dense(3, kernel_initializer=k.initializers.Constant(0.1))
        self.d2 = k.layers.Dense(1, kernel_initializer=k.initializers.Constant(0.2))

    def call(self, x, training=None):
        return self.d2(self.d1(x))


def _trained_pair(tmp_path):
    rng = np.random.RandomState(0)
    x, y = rng.randn(10, 4).astype("float32"), rng.randn(10, 1).astype("float32")
    model = Pair()
    model.compile(k.optimizers.Adam(0.1), "mse")
    model.fit(x, y, epochs=2, verbose=0)
    model.save_weights(str(tmp_path / "ckpt"))
    model.save_weights(str(tmp_path / "w.h5"))
    return x, y


PAIR_PREDICTIONS = [-0.41609001, -0.50521999]


def test_load_weights_before_the_model_is_built_restores_when_it_is(graph, tmp_path):
    x, y = _trained_pair(tmp_path)
    with tf.Graph().as_default():
        model = Pair()
        status = model.load_weights(str(tmp_path / "ckpt"))
        np.testing.assert_allclose(model.predict(x[:2]).ravel(), PAIR_PREDICTIONS, atol=1e-5)
        status.assert_existing_objects_matched().expect_partial()
        with pytest.raises(AssertionError, match=r"Unresolved object in checkpoint \(root\)"):
            status.assert_consumed()  # the optimizer's values: no optimizer here
    with tf.Graph().as_default():
        model = Pair()
        model.compile(k.optimizers.Adam(0.1), "mse")
        model.load_weights(str(tmp_path / "ckpt"))
        history = model.fit(x, y, epochs=2, verbose=0)  # Adam's slots and step restored too
        np.testing.assert_allclose(history.history["loss"], [1.11893, 0.99328], atol=1e-5)
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="HDF5 format into a subclassed Model which has not"):
            Pair().load_weights(str(tmp_path / "w.h5"))


def test_clone_model_and_nesting_in_sequential(graph):
    model = Pair()
    clone = k.models.clone_model(model)
    assert type(clone) is Pair and clone is not model
    seq = k.Sequential([k.layers.Dense(4, input_shape=(4,)), Pair()])
    assert [w.name for w in seq.weights] == [
        "dense_4/kernel:0",
        "dense_4/bias:0",
        "pair_2/dense_5/kernel:0",
        "pair_2/dense_5/bias:0",
        "pair_2/dense_6/kernel:0",
        "pair_2/dense_6/bias:0",
    ]
    lines = []
    seq.summary(print_fn=lines.append)
    assert lines[4:7] == [
        " dense_4 (Dense)             (None, 4)                 20        ",
        " " * 65,
        " pair_2 (Pair)               (None, 1)                 19        ",
    ]


def test_tf_layers_held_by_a_keras_model_are_tracked(graph):
    class WithTFLayers(k.Model):
        def __init__(self):
            super().__init__()
            self.d = tf.layers.Dense(2, kernel_initializer=tf.ones_initializer())
            self.e = k.layers.Dense(1, kernel_initializer="ones")

        def call(self, x):
            return self.e(self.d(x))

    model = WithTFLayers()
    y = model(tf.placeholder(tf.float32, [None, 3]))
    assert y.name == "with_tf_layers/dense_1/BiasAdd:0"
    assert [w.name for w in model.weights] == [
        "dense/kernel:0",  # tf.layers: its variable scope, not the model's name scope
        "dense/bias:0",
        "with_tf_layers/dense_1/kernel:0",
        "with_tf_layers/dense_1/bias:0",
    ]


def test_variables_set_as_attributes_are_weights(graph):
    class Scaled(k.layers.Layer):
        def build(self, input_shape):
            self.v = tf.Variable(2.0, name="v")
            self.u = tf.Variable(1.0, name="u", trainable=False)
            self.vs = [tf.Variable(3.0, name="w0")]

        def call(self, x):
            return x * self.v + self.u + self.vs[0]

    layer = Scaled()
    x = tf.placeholder(tf.float32, [None, 2])
    y = layer(x)
    assert [w.name for w in layer.trainable_weights] == ["scaled/v:0", "scaled/w0:0"]
    assert [w.name for w in layer.non_trainable_weights] == ["scaled/u:0"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(y, {x: [[1.0, 2.0]]}).tolist() == [[6.0, 8.0]]


def test_model_keyword_arguments(graph):
    with pytest.raises(TypeError, match="Keyword argument not understood"):
        WithArguments(1, foo=1)
    with pytest.raises(NotImplementedError):  # a model run eagerly (TF: when called)
        WithArguments(1, dynamic=True)(tf.placeholder(tf.float32, [None, 2]))


def test_a_sequential_without_input_shape_runs_as_a_subclassed_model(graph, tmp_path):
    rng = np.random.RandomState(0)
    x, y = rng.randn(8, 3).astype("float32"), rng.randn(8, 1).astype("float32")
    model = k.Sequential(
        [
            k.layers.Dense(2, kernel_initializer=k.initializers.Constant(0.1)),
            k.layers.BatchNormalization(),
            k.layers.Dense(1, kernel_initializer="ones"),
        ]
    )
    assert model.inputs is None
    model.compile(k.optimizers.SGD(0.1), "mse", metrics=["mae"])
    history = model.fit(x, y, verbose=0, epochs=2, batch_size=4, shuffle=False)
    np.testing.assert_allclose(history.history["loss"], [2.912279, 0.91037], atol=1e-5)
    np.testing.assert_allclose(
        history.history["mean_absolute_error"], [1.287895, 0.795079], atol=1e-5
    )
    assert [t.name for t in model.inputs] == ["input_1:0"]
    assert (model.input_names, model.output_names) == (["input_1"], ["output_1"])
    assert [w.name for w in model.weights][:2] == [
        "sequential/dense/kernel:0",
        "sequential/dense/bias:0",
    ]
    assert [u.name for u in model.updates] == [
        "sequential/batch_normalization/cond_2/Merge",
        "sequential/batch_normalization/cond_3/Merge",
    ]
    np.testing.assert_allclose(model.predict(x[:2]).ravel(), [0.902899, -2.56457], atol=1e-5)
    model.save_weights(str(tmp_path / "ckpt"))
    keys = sorted(tf.train.NewCheckpointReader(str(tmp_path / "ckpt")).get_variable_to_shape_map())
    assert keys[1:3] == [
        "layer_with_weights-0/bias/.ATTRIBUTES/VARIABLE_VALUE",
        "layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE",
    ]
    assert model.get_config()["layers"][0]["class_name"] == "Dense"  # no input layer
    model.save(str(tmp_path / "m.h5"))  # a Sequential saves as HDF5
    lines = []
    model.summary(print_fn=lines.append)
    assert lines[4] == " dense (Dense)               multiple                  8         "


def test_summary_shows_the_shapes_of_calls_on_keras_inputs(graph):
    model = Pair()
    model(k.Input((4,)))
    lines = []
    model.summary(print_fn=lines.append)
    assert lines[4] == " dense (Dense)               (None, 3)                 15        "


def test_sequential_build_is_a_subclassed_models(graph):
    model = k.Sequential([k.layers.Dense(2), k.layers.Dense(1)])
    model.build((None, 3))
    assert model.built and model.inputs is None
    assert [w.name for w in model.weights][::2] == ["dense/kernel:0", "dense_1/kernel:0"]
    assert graph.get_operations()[0].name == "Placeholder"
    model.compile("sgd", "mse")
    model.fit(np.ones((2, 3)), np.ones((2, 1)), verbose=0)
    assert [t.name for t in model.outputs] == ["sequential/dense_1/BiasAdd:0"]
    with pytest.raises(ValueError, match="You must provide an `input_shape` argument"):
        k.Sequential([k.layers.Dense(2)]).build()
