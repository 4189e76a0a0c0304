"""``LayerNormalization`` as TF 2.21's tf_keras builds it in compat.v1 graph mode (reference
venv): on trailing axes with float32 and epsilon of at least 1.001e-5, TF's fused form (the
examples as one NCHW image's channels, ``FusedBatchNormV3``, then gamma and beta); otherwise
moments. Op names and trained numbers; ``SpatialDropout1D``/``2D`` as TF's Dropout with its
noise shape made in the training branch."""

from __future__ import annotations

import numpy as np

import scopeflow as tf

K = tf.keras
L = K.layers

FUSED_OPS = [
    ("ln/Shape", "Shape"),
    ("ln/strided_slice/stack", "Const"),
    ("ln/strided_slice/stack_1", "Const"),
    ("ln/strided_slice/stack_2", "Const"),
    ("ln/strided_slice", "StridedSlice"),
    ("ln/Const", "Const"),
    ("ln/Prod", "Prod"),
    ("ln/strided_slice_1/stack", "Const"),
    ("ln/strided_slice_1/stack_1", "Const"),
    ("ln/strided_slice_1/stack_2", "Const"),
    ("ln/strided_slice_1", "StridedSlice"),
    ("ln/Const_1", "Const"),
    ("ln/Prod_1", "Prod"),
    ("ln/Reshape/shape/0", "Const"),
    ("ln/Reshape/shape/3", "Const"),
    ("ln/Reshape/shape", "Pack"),
    ("ln/Reshape", "Reshape"),
    ("ln/ones/packed", "Pack"),
    ("ln/ones/Const", "Const"),
    ("ln/ones", "Fill"),
    ("ln/zeros/packed", "Pack"),
    ("ln/zeros/Const", "Const"),
    ("ln/zeros", "Fill"),
    ("ln/Const_2", "Const"),
    ("ln/Const_3", "Const"),
    ("ln/FusedBatchNormV3", "FusedBatchNormV3"),
    ("ln/Reshape_1", "Reshape"),
    ("ln/mul", "Mul"),
    ("ln/add", "AddV2"),
]


def test_fused_layer_normalization_ops_are_tfs(graph):
    x = K.Input((8,))
    layer = L.LayerNormalization(name="ln")
    layer.build(x.shape)
    before = len(graph.get_operations())
    layer(x)
    kinds = ("ReadVariableOp", "Identity")
    assert [
        (op.name, op.type) for op in graph.get_operations()[before:] if op.type not in kinds
    ] == (FUSED_OPS)
    L.LayerNormalization(epsilon=1e-6, name="small")(x)  # below fused_batch_norm's epsilon
    names = [op.name for op in graph.get_operations()]
    assert "small/moments/mean" in names and "small/FusedBatchNormV3" not in names


def test_layer_normalization_trains_as_tf(graph):
    x_in = K.Input((3, 4))
    h = L.LayerNormalization(name="a")(x_in)
    h = L.LayerNormalization(axis=[1, 2], name="b")(h)
    h = L.LayerNormalization(axis=1, name="c")(h)  # not trailing: moments
    model = K.Model(x_in, L.Dense(1)(L.Flatten()(h)))
    model.compile(K.optimizers.SGD(0.01), "mse")
    for k, w in enumerate(model.weights):
        shape = w.shape.as_list()
        value = np.sin(np.arange(np.prod(shape)) * 0.37 + k).reshape(shape) * 0.1 + 0.5
        K.backend.set_value(w, value)
    x = np.cos(np.arange(36) * 0.7).reshape(3, 3, 4).astype("f")
    y = np.array([[0.5], [-0.2], [0.1]], "f")
    history = model.fit(x, y, epochs=3, batch_size=3, verbose=0, shuffle=False)
    np.testing.assert_allclose(history.history["loss"], [10.02943, 4.53547, 2.34014], rtol=2e-6)
    np.testing.assert_allclose(model.predict(x)[:, 0], [1.10185, 1.26089, 1.27654], atol=1e-5)
    fused = {
        op.name.split("/")[0] for op in graph.get_operations() if op.type == "FusedBatchNormV3"
    }
    assert fused == {"a", "b"}


def test_spatial_dropout_graph_and_values_are_tfs(graph):
    tf.set_random_seed(7)
    steps, images = K.Input((4, 3)), K.Input((3, 3, 2))
    before = len(graph.get_operations())
    one = L.SpatialDropout1D(0.4, name="s1")(steps)
    made = [op.name for op in graph.get_operations()[before:] if op.type != "Identity"]
    assert made[2:8] == [  # the noise shape made in the training branch, as TF's
        "s1/cond/Switch",
        "s1/cond/Shape",
        "s1/cond/Shape/Switch",
        "s1/cond/strided_slice/stack",
        "s1/cond/strided_slice/stack_1",
        "s1/cond/strided_slice/stack_2",
    ]
    assert "s1/cond/dropout/random_uniform/shape" in made
    two = L.SpatialDropout2D(0.5, name="s2")(images)
    run = K.backend.function([steps, images, K.backend.learning_phase()], [one, two])
    a, b = run([np.ones((2, 4, 3), "f"), np.ones((2, 3, 3, 2), "f"), 1])
    np.testing.assert_allclose(a[:, 0], [[5 / 3, 0, 5 / 3], [5 / 3, 0, 0]], rtol=1e-6)
    np.testing.assert_allclose(b[:, 0, 0], [[0, 2], [0, 0]])
    assert L.SpatialDropout2D(0.3).get_config() == {
        "name": "spatial_dropout2d",
        "trainable": True,
        "dtype": None,
        "rate": 0.3,
        "noise_shape": None,
        "seed": None,
    }
