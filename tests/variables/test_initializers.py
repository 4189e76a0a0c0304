"""Initializers: the graph ops each one builds under ``<var>/Initializer/``, the constants it
puts there, its configuration and its argument checks.

Op names, op types and constant values (float32, bit for bit) were read from TensorFlow 1
(``tensorflow.compat.v1``, graph mode, ``op.get_attr("value")`` + ``tf.make_ndarray``).
"""

import numpy as np
import pytest

import scopeflow as tf


@pytest.fixture(autouse=True)
def graph():
    g = tf.Graph()
    with g.as_default():
        yield g


def _initializer_ops(graph, var: str):
    prefix = var + "/Initializer/"
    return [
        (op.name[len(prefix) :], op.type)
        for op in graph.get_operations()
        if op.name.startswith(prefix)
    ]


def _const(graph, name: str):
    return graph.get_operation_by_name(name).get_attr("value")


RANDOM_UNIFORM_OPS = [
    ("random_uniform/shape", "Const"),
    ("random_uniform/min", "Const"),
    ("random_uniform/max", "Const"),
    ("random_uniform/RandomUniform", "RandomUniform"),
    ("random_uniform/sub", "Sub"),
    ("random_uniform/mul", "Mul"),
    ("random_uniform", "AddV2"),
]


def _scaled_ops(kind: str, sampler: str):
    return [
        (f"{kind}/shape", "Const"),
        (f"{kind}/mean", "Const"),
        (f"{kind}/stddev", "Const"),
        (f"{kind}/{sampler}", sampler),
        (f"{kind}/mul", "Mul"),
        (kind, "AddV2"),
    ]


RANDOM_NORMAL_OPS = _scaled_ops("random_normal", "RandomStandardNormal")
TRUNCATED_NORMAL_OPS = _scaled_ops("truncated_normal", "TruncatedNormal")

ORTHOGONAL_OPS = [
    *RANDOM_NORMAL_OPS,
    ("Qr", "Qr"),
    ("DiagPart", "DiagPart"),
    ("Sign", "Sign"),
    ("mul", "Mul"),
    ("matrix_transpose/transpose/perm", "Const"),
    ("matrix_transpose/transpose", "Transpose"),
    ("Reshape/shape", "Const"),
    ("Reshape", "Reshape"),
    ("mul_1/x", "Const"),
    ("mul_1", "Mul"),
]


@pytest.mark.parametrize(
    "make, ops",
    [
        (lambda: tf.zeros_initializer(), [("zeros", "Const")]),
        (lambda: tf.ones_initializer(), [("ones", "Const")]),
        (lambda: tf.constant_initializer(0.5), [("Const", "Const")]),
        (lambda: tf.constant_initializer([1.0, 2, 3, 4, 5, 6]), [("Const", "Const")]),
        (lambda: tf.random_normal_initializer(1.0, 2.0), RANDOM_NORMAL_OPS),
        (lambda: tf.truncated_normal_initializer(stddev=0.1), TRUNCATED_NORMAL_OPS),
        (lambda: tf.random_uniform_initializer(-0.5, 0.5), RANDOM_UNIFORM_OPS),
        (lambda: tf.glorot_uniform_initializer(), RANDOM_UNIFORM_OPS),
        (lambda: tf.glorot_normal_initializer(), TRUNCATED_NORMAL_OPS),
        (lambda: tf.variance_scaling_initializer(), TRUNCATED_NORMAL_OPS),
        (lambda: tf.variance_scaling_initializer(distribution="normal"), TRUNCATED_NORMAL_OPS),
        (
            lambda: tf.variance_scaling_initializer(distribution="untruncated_normal"),
            RANDOM_NORMAL_OPS,
        ),
        (lambda: tf.variance_scaling_initializer(distribution="uniform"), RANDOM_UNIFORM_OPS),
        (lambda: tf.initializers.zeros(), [("zeros", "Const")]),
        (lambda: tf.initializers.ones(), [("ones", "Const")]),
        (lambda: tf.initializers.constant(3.0), [("Const", "Const")]),
        (lambda: tf.initializers.random_normal(), RANDOM_NORMAL_OPS),
        (lambda: tf.initializers.truncated_normal(), TRUNCATED_NORMAL_OPS),
        (lambda: tf.initializers.random_uniform(), RANDOM_UNIFORM_OPS),
        (lambda: tf.initializers.glorot_uniform(), RANDOM_UNIFORM_OPS),
        (lambda: tf.initializers.glorot_normal(), TRUNCATED_NORMAL_OPS),
        (lambda: tf.initializers.he_normal(), TRUNCATED_NORMAL_OPS),
        (lambda: tf.initializers.he_uniform(), RANDOM_UNIFORM_OPS),
        (lambda: tf.initializers.lecun_normal(), TRUNCATED_NORMAL_OPS),
        (lambda: tf.initializers.lecun_uniform(), RANDOM_UNIFORM_OPS),
        (lambda: tf.initializers.variance_scaling(), TRUNCATED_NORMAL_OPS),
    ],
)
def test_initializer_ops_are_named_as_tf(graph, make, ops):
    v = tf.get_variable("v", [2, 3], initializer=make())
    assert _initializer_ops(graph, "v") == ops
    assert v.initial_value.op.name == "v/Initializer/" + ops[-1][0]
    assert [op.name for op in graph.get_operations()][-3:] == ["v", "v/Assign", "v/read"]


def test_orthogonal_initializer_ops(graph):
    tf.get_variable("v", [2, 3], initializer=tf.orthogonal_initializer(gain=2.0))
    assert _initializer_ops(graph, "v") == ORTHOGONAL_OPS
    # A 2x3 matrix is sampled as 3x2 and transposed.
    assert _const(graph, "v/Initializer/random_normal/shape").tolist() == [3, 2]
    assert _const(graph, "v/Initializer/matrix_transpose/transpose/perm").tolist() == [1, 0]
    assert _const(graph, "v/Initializer/Reshape/shape").tolist() == [2, 3]
    assert _const(graph, "v/Initializer/mul_1/x") == np.float32(2.0)
    # A tall matrix needs no transpose.
    tf.get_variable("w", [4, 2], initializer=tf.orthogonal_initializer())
    tall = [op for op in ORTHOGONAL_OPS if not op[0].startswith("matrix_transpose")]
    assert _initializer_ops(graph, "w") == tall
    assert _const(graph, "w/Initializer/random_normal/shape").tolist() == [4, 2]


def test_identity_initializer_ops(graph):
    v = tf.get_variable("v", [2, 3], initializer=tf.initializers.identity(gain=3.0))
    # TF builds the identity with eye/ones + MatrixDiagV3 ops; the scaling is the same.
    assert _initializer_ops(graph, "v")[-2:] == [("mul/x", "Const"), ("mul", "Mul")]
    assert v.initial_value.name == "v/Initializer/mul:0"
    assert _const(graph, "v/Initializer/eye").tolist() == np.eye(2, 3).tolist()
    assert _const(graph, "v/Initializer/mul/x") == np.float32(3.0)


# -- the constants: bit-for-bit what TF puts in the graph --------------------------------------


def _f32(x: float):
    return np.float32(x)


@pytest.mark.parametrize(
    "make, shape, consts",
    [
        (
            lambda: tf.glorot_uniform_initializer(),
            [5, 5, 32, 32],
            {"random_uniform/min": -0.06123724207282066, "random_uniform/max": 0.06123724207282066},
        ),
        (
            lambda: None,  # get_variable's default for floats is glorot uniform
            [5, 5, 32, 32],
            {"random_uniform/min": -0.06123724207282066, "random_uniform/max": 0.06123724207282066},
        ),
        (
            lambda: tf.glorot_normal_initializer(),
            [5, 5, 32, 32],
            {"truncated_normal/mean": 0.0, "truncated_normal/stddev": 0.040193621069192886},
        ),
        (
            lambda: tf.variance_scaling_initializer(),
            [5, 5, 32, 64],
            {"truncated_normal/stddev": 0.040193621069192886},
        ),
        (
            lambda: tf.variance_scaling_initializer(2.0, "fan_out", "uniform"),
            [5, 5, 32, 64],
            {"random_uniform/min": -0.06123724207282066, "random_uniform/max": 0.06123724207282066},
        ),
        (
            lambda: tf.variance_scaling_initializer(0.5, "fan_avg", "untruncated_normal"),
            [3, 7],
            {"random_normal/mean": 0.0, "random_normal/stddev": 0.3162277638912201},
        ),
        (
            lambda: tf.variance_scaling_initializer(distribution="normal"),
            [10],
            {"truncated_normal/stddev": 0.3595026731491089},
        ),
        (
            lambda: tf.variance_scaling_initializer(distribution="uniform"),
            [],
            {"random_uniform/min": -1.7320507764816284, "random_uniform/max": 1.7320507764816284},
        ),
        (
            lambda: tf.initializers.he_normal(),
            [3, 3, 16, 8],
            {"truncated_normal/stddev": 0.1339787244796753},
        ),
        (
            lambda: tf.initializers.he_uniform(),
            [3, 3, 16, 8],
            {"random_uniform/max": 0.20412415266036987},
        ),
        (
            lambda: tf.initializers.lecun_normal(),
            [100, 10],
            {"truncated_normal/stddev": 0.11368472129106522},
        ),
        (
            lambda: tf.initializers.lecun_uniform(),
            [100, 10],
            {"random_uniform/min": -0.17320507764816284},
        ),
        (
            lambda: tf.random_normal_initializer(mean=1.0, stddev=2.0),
            [2, 3],
            {"random_normal/mean": 1.0, "random_normal/stddev": 2.0},
        ),
        (
            lambda: tf.truncated_normal_initializer(stddev=0.1),
            [2, 3],
            {"truncated_normal/mean": 0.0, "truncated_normal/stddev": 0.1},
        ),
        (
            lambda: tf.random_uniform_initializer(),
            [2, 3],
            {"random_uniform/min": 0.0, "random_uniform/max": 1.0},
        ),
    ],
)
def test_scale_constants_equal_tf(graph, make, shape, consts):
    tf.get_variable("v", shape, initializer=make())
    for name, expected in consts.items():
        value = _const(graph, "v/Initializer/" + name)
        assert value.dtype == np.float32
        assert value.shape == ()
        assert value == _f32(expected), name
    assert _const(graph, "v/Initializer/" + name.split("/")[0] + "/shape").tolist() == shape


def test_float64_variables_get_float64_constants(graph):
    tf.get_variable("v", [4, 6], dtype=tf.float64, initializer=tf.glorot_uniform_initializer())
    value = _const(graph, "v/Initializer/random_uniform/max")
    assert value.dtype == np.float64
    assert value == 0.7745966692414834


@pytest.mark.parametrize(
    "make, dtype, expected",
    [
        (lambda: tf.zeros_initializer(), tf.float32, [0.0] * 6),
        (lambda: tf.ones_initializer(), tf.int32, [1] * 6),
        (lambda: tf.constant_initializer(0.5), tf.float32, [0.5] * 6),
        (lambda: tf.constant_initializer([1, 2, 3, 4, 5, 6]), tf.int64, [1, 2, 3, 4, 5, 6]),
        (lambda: tf.constant_initializer([1.0, 2.0]), tf.float32, [1.0, 2.0] + [2.0] * 4),
        (lambda: tf.constant_initializer(np.arange(6.0)), tf.float64, [0.0, 1, 2, 3, 4, 5]),
        (lambda: tf.constant_initializer(True), tf.bool, [True] * 6),
    ],
)
def test_constant_values(graph, make, dtype, expected):
    v = tf.get_variable("v", [2, 3], dtype=dtype, initializer=make())
    value = v.initial_value.op.get_attr("value")
    assert value.shape == (2, 3)
    assert value.dtype == dtype.as_numpy_dtype
    assert value.reshape(-1).tolist() == expected


def test_integer_random_uniform(graph):
    v = tf.get_variable("v", [3], dtype=tf.int32, initializer=tf.random_uniform_initializer(0, 10))
    assert v.initial_value.op.type == "RandomUniformInt"
    assert v.initial_value.op.name == "v/Initializer/random_uniform"
    assert _const(graph, "v/Initializer/random_uniform/max") == 10


def test_seeds_are_recorded_on_the_random_op(graph):
    tf.get_variable("v", [2], initializer=tf.random_normal_initializer(seed=7))
    op = graph.get_operation_by_name("v/Initializer/random_normal/RandomStandardNormal")
    assert (op.get_attr("seed"), op.get_attr("seed2")) == (87654321, 7)


# -- calling an initializer directly ---------------------------------------------------------


def test_direct_calls_build_ops_in_the_current_scope():
    assert tf.glorot_uniform_initializer()([5, 5, 32, 32]).name == "random_uniform:0"
    assert tf.ones_initializer()([2], dtype=tf.int32).dtype == tf.int32
    assert tf.constant_initializer([1.0, 2.0])([3]).name == "Const:0"
    assert tf.initializers.identity()([2, 3]).name == "mul:0"
    with tf.name_scope("s"):
        assert tf.zeros_initializer()([2]).name == "s/zeros:0"
    assert tf.variance_scaling_initializer()(tf.TensorShape([0, 3])).name == "truncated_normal:0"


# -- configuration ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "init, config",
    [
        (tf.zeros_initializer(), {"dtype": "float32"}),
        (tf.ones_initializer(dtype=tf.int32), {"dtype": "int32"}),
        (tf.constant_initializer(2.0), {"value": 2.0, "dtype": "float32"}),
        (
            tf.random_normal_initializer(),
            {"mean": 0.0, "stddev": 1.0, "seed": None, "dtype": "float32"},
        ),
        (
            tf.random_uniform_initializer(),
            {"minval": 0.0, "maxval": None, "seed": None, "dtype": "float32"},
        ),
        (
            tf.truncated_normal_initializer(seed=3),
            {"mean": 0.0, "stddev": 1.0, "seed": 3, "dtype": "float32"},
        ),
        (
            tf.variance_scaling_initializer(),
            {
                "scale": 1.0,
                "mode": "fan_in",
                "distribution": "truncated_normal",
                "seed": None,
                "dtype": "float32",
            },
        ),
        (tf.glorot_uniform_initializer(), {"seed": None, "dtype": "float32"}),
        (tf.glorot_normal_initializer(seed=1), {"seed": 1, "dtype": "float32"}),
        (tf.orthogonal_initializer(), {"gain": 1.0, "seed": None, "dtype": "float32"}),
        (
            tf.initializers.he_normal(),
            {
                "scale": 2.0,
                "mode": "fan_in",
                "distribution": "truncated_normal",
                "seed": None,
                "dtype": "float32",
            },
        ),
        (tf.initializers.identity(), {"gain": 1.0, "dtype": "float32"}),
    ],
)
def test_get_config_matches_tf_and_round_trips(init, config):
    assert init.get_config() == config
    again = type(init).from_config(init.get_config())
    assert again.get_config() == config


def test_class_names_and_aliases():
    assert tf.zeros_initializer is tf.initializers.zeros
    assert tf.glorot_uniform_initializer is tf.initializers.glorot_uniform
    assert type(tf.glorot_uniform_initializer()).__name__ == "GlorotUniform"
    assert type(tf.initializers.he_normal()).__name__ == "VarianceScaling"
    assert type(tf.initializers.lecun_uniform()).__name__ == "VarianceScaling"
    assert isinstance(tf.glorot_normal_initializer(), tf.initializers.variance_scaling)
    assert isinstance(tf.truncated_normal_initializer(), tf.initializers.Initializer)
    assert tf.variance_scaling_initializer(distribution="Uniform").distribution == "uniform"


# -- argument checks -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make, error, pattern",
    [
        (
            lambda: tf.variance_scaling_initializer(scale=0.0),
            ValueError,
            "Argument `scale` must be a positive float, got 0.0",
        ),
        (
            lambda: tf.variance_scaling_initializer(scale=-1.0),
            ValueError,
            "`scale` must be a positive float, got -1.0",
        ),
        (
            lambda: tf.variance_scaling_initializer(mode="fan"),
            ValueError,
            "Argument `mode` should be one of \\('fan_in', 'fan_out', 'fan_avg'\\), got 'fan'",
        ),
        (
            lambda: tf.variance_scaling_initializer(distribution="cauchy"),
            ValueError,
            "Argument `distribution` should be one of .*got 'cauchy'",
        ),
        (
            lambda: tf.constant_initializer(object()),
            TypeError,
            "Invalid type for initial value: object",
        ),
        (
            lambda: tf.constant_initializer({"a": 1}),
            TypeError,
            "Invalid type for initial value: dict",
        ),
        (
            lambda: tf.random_normal_initializer(dtype=tf.int32),
            ValueError,
            "Argument `dtype` is expected to be floating point, got int32",
        ),
        (
            lambda: tf.truncated_normal_initializer(dtype=tf.int32),
            ValueError,
            "expected to be floating point, got int32",
        ),
        (
            lambda: tf.glorot_uniform_initializer(dtype=tf.int32),
            ValueError,
            "expected to be floating point, got int32",
        ),
        (
            lambda: tf.orthogonal_initializer(dtype=tf.int64),
            ValueError,
            "expected to be floating point, got int64",
        ),
        (
            lambda: tf.initializers.identity(dtype=tf.bool),
            ValueError,
            "expected to be floating point, got bool",
        ),
        (lambda: tf.zeros_initializer(dtype="nope"), TypeError, "Cannot convert value 'nope'"),
        (
            lambda: tf.orthogonal_initializer()([3]),
            ValueError,
            "must be at least two-dimensional, got shape \\[3\\]",
        ),
        (
            lambda: tf.initializers.identity()([2]),
            ValueError,
            "can only be used for 2D matrices, got shape \\[2\\]",
        ),
        (
            lambda: tf.random_normal_initializer()([2], dtype=tf.int32),
            ValueError,
            "expected to be floating point, got int32",
        ),
        (
            lambda: tf.constant_initializer([1.0, 2.0], verify_shape=True)([3]),
            TypeError,
            "Expected Tensor's shape: \\(3,\\), but got \\(2,\\)",
        ),
        (
            lambda: tf.constant_initializer([1.0, 2.0, 3.0])([2]),
            ValueError,
            "Too many elements provided. Takes at most 2, but got 3",
        ),
        (
            lambda: tf.constant_initializer(1.5)([2], dtype=tf.int32),
            TypeError,
            "Expected int32, but got 1.5 of type 'float'",
        ),
        (
            lambda: tf.random_uniform_initializer(dtype=tf.int32)([2]),
            ValueError,
            "Must specify maxval for integer dtype",
        ),
    ],
)
def test_argument_errors(make, error, pattern):
    with pytest.raises(error, match=pattern):
        make()


def test_lenient_arguments_accepted_as_tf():
    # Non-float dtypes are fine where TF allows them.
    assert tf.random_uniform_initializer(dtype=tf.int32).dtype == tf.int32
    assert tf.zeros_initializer(dtype=tf.string).dtype == tf.string
    assert tf.constant_initializer("abc").value == "abc"
    assert tf.variance_scaling_initializer(distribution="normal").distribution == "normal"
