"""InputSpec with TF's arguments (dtype, shape, allow_last_axis_squeeze...), its repr,
config and checks, as TF 2.21's tf_keras."""

import pytest

import scopeflow as tf

IS = tf.keras.layers.InputSpec


class _Identity(tf.keras.layers.Layer):
    def __init__(self, spec):
        super().__init__(name="l")
        self.input_spec = spec

    def call(self, x):
        return x


def test_fields_repr_and_config():
    spec = IS(shape=(None, 3))
    assert (spec.ndim, spec.shape, spec.dtype, spec.axes) == (2, (None, 3), None, {})
    assert repr(spec) == "InputSpec(shape=(None, 3), ndim=2)"
    typed = IS(dtype="float32", ndim=2, axes={-1: 3})
    assert repr(typed) == "InputSpec(dtype=float32, ndim=2, axes={-1: 3})"
    assert typed.get_config() == {
        "dtype": "float32",
        "shape": None,
        "ndim": 2,
        "max_ndim": None,
        "min_ndim": None,
        "axes": {-1: 3},
    }
    assert repr(IS.from_config(typed.get_config())) == repr(typed)
    assert tf.layers.InputSpec is IS


def test_axes_past_the_rank():
    with pytest.raises(ValueError, match="Axis 3 is greater than the maximum allowed value: 1"):
        IS(ndim=2, axes={3: 1})


@pytest.mark.parametrize(
    ("spec", "shape", "dtype", "error"),
    [
        (IS(shape=(None, 3)), [None, 4], tf.float32, r"expected shape=\(None, 3\), found shape"),
        (IS(dtype="int32"), [2], tf.float32, "expected dtype=int32, found dtype=<dtype: 'float"),
        (IS(shape=(2, 3)), [None, 3], tf.float32, None),
        (IS(ndim=2, allow_last_axis_squeeze=True), [2, 3, 1], tf.float32, None),
        (IS(ndim=3, allow_last_axis_squeeze=True), [2, 3], tf.float32, None),
        (IS(shape=(2, 1), allow_last_axis_squeeze=True), [2], tf.float32, None),
    ],
)
def test_checks_on_call(graph, spec, shape, dtype, error):
    x = tf.placeholder(dtype, shape)
    if error is None:
        assert _Identity(spec)(x).shape.as_list() == shape
    else:
        with pytest.raises(ValueError, match='Input 0 of layer "l" is incompatible.*' + error):
            _Identity(spec)(x)
