"""What tests/keras/test_backend.py asks TensorFlow (tools/tf_reference.py, TF_USE_LEGACY_KERAS=1:
tf.keras is tf_keras, TF1.15's Keras in compat.v1 graph mode): the ops, names, dtypes and shapes
of tf.keras.backend's functions (BUILDS), their values run in Keras's session (VALUES: strings)
and their errors (ERRORS)."""

SETUP = {
    "b": ("bool", [2, 3]),
    "b1": ("bool", [None]),
    "bias": ("float32", [4]),
    "dk": ("float32", [3, 3, 3, 2]),
    "i": ("int32", [None]),
    "i2": ("int32", [2]),
    "img": ("float32", [2, 8, 8, 3]),
    "k1": ("float32", [3, 4, 2]),
    "k2": ("float32", [3, 3, 3, 2]),
    "k3": ("int32", [None, 3]),
    "m": ("float32", [2, 3]),
    "m4": ("float32", [None, 4]),
    "pk": ("float32", [1, 1, 6, 4]),
    "s": ("bool", []),
    "tk": ("float32", [3, 3, 5, 3]),
    "v": ("float32", [3, 5]),
    "w": ("float32", [4, 5]),
    "w3": ("float32", [2, 4, 5]),
    "x": ("float32", [None, 3, 4]),
}

BUILDS = [
    "tf.keras.backend.mean(x, axis=1)",
    "tf.keras.backend.mean(b)",
    "tf.keras.backend.sum(x, axis=[1, 2], keepdims=True)",
    "tf.keras.backend.max(m, 0)",
    "tf.keras.backend.min(m, axis=-1, keepdims=True)",
    "tf.keras.backend.prod(m)",
    "tf.keras.backend.var(m, axis=1)",
    "tf.keras.backend.std(m)",
    "tf.keras.backend.any(m)",
    "tf.keras.backend.all(b, axis=0)",
    "tf.keras.backend.argmax(m)",
    "tf.keras.backend.argmin(m, axis=0)",
    "tf.keras.backend.cumsum(m, axis=1)",
    "tf.keras.backend.cumprod(m)",
    "tf.keras.backend.square(m)",
    "tf.keras.backend.abs(m)",
    "tf.keras.backend.sqrt(m)",
    "tf.keras.backend.exp(m)",
    "tf.keras.backend.log(m)",
    "tf.keras.backend.round(m)",
    "tf.keras.backend.sign(m)",
    "tf.keras.backend.pow(m, 2)",
    "tf.keras.backend.clip(m, 0.0, 1.0)",
    "tf.keras.backend.clip(m, 2, 1)",
    "tf.keras.backend.equal(m, m)",
    "tf.keras.backend.not_equal(m, 0.0)",
    "tf.keras.backend.greater(m, 1.0)",
    "tf.keras.backend.greater_equal(m, m)",
    "tf.keras.backend.less(m, m)",
    "tf.keras.backend.less_equal(m, 0.5)",
    "tf.keras.backend.maximum(m, 0.0)",
    "tf.keras.backend.minimum(m, m)",
    "tf.keras.backend.sin(m)",
    "tf.keras.backend.cos(m)",
    "tf.keras.backend.dot(m, v)",
    "tf.keras.backend.dot(x, w)",
    "tf.keras.backend.dot(x, w3)",
    "tf.keras.backend.batch_dot(x, x, axes=[2, 2])",
    "tf.keras.backend.batch_dot(m, m, axes=1)",
    "tf.keras.backend.batch_dot(x, m4)",
    "tf.keras.backend.batch_dot(x, x, axes=1)",
    "tf.keras.backend.transpose(m)",
    "tf.keras.backend.gather(v, i)",
    "tf.keras.backend.concatenate([x, x])",
    "tf.keras.backend.concatenate([m, m], axis=0)",
    "tf.keras.backend.reshape(x, (-1, 12))",
    "tf.keras.backend.permute_dimensions(x, (0, 2, 1))",
    "tf.keras.backend.repeat_elements(m, 2, axis=1)",
    "tf.keras.backend.repeat_elements(x, 3, axis=0)",
    "tf.keras.backend.repeat(m, 3)",
    "tf.keras.backend.arange(5)",
    "tf.keras.backend.arange(1, 7, 2, dtype='float32')",
    "tf.keras.backend.tile(m, [2, 1])",
    "tf.keras.backend.tile(i, 3)",
    "tf.keras.backend.flatten(m)",
    "tf.keras.backend.batch_flatten(x)",
    "tf.keras.backend.expand_dims(m)",
    "tf.keras.backend.expand_dims(m, 0)",
    "tf.keras.backend.squeeze(tf.keras.backend.expand_dims(m, 1), 1)",
    "tf.keras.backend.temporal_padding(x)",
    "tf.keras.backend.temporal_padding(x, (2, 0))",
    "tf.keras.backend.spatial_2d_padding(img)",
    "tf.keras.backend.spatial_2d_padding(img, ((0, 1), (2, 3)))",
    "tf.keras.backend.stack([m, m])",
    "tf.keras.backend.stack([m, m], axis=-1)",
    "tf.keras.backend.one_hot(i, 4)",
    "tf.keras.backend.reverse(m, 1)",
    "tf.keras.backend.reverse(x, [1, 2])",
    "tf.keras.backend.zeros_like(m)",
    "tf.keras.backend.ones_like(m)",
    "tf.keras.backend.stop_gradient(m)",
    "tf.keras.backend.cast(m, 'int32')",
    "tf.keras.backend.shape(x)",
    "tf.keras.backend.constant(1.5)",
    "tf.keras.backend.constant([[1, 2]], dtype='int32', name='c')",
    "tf.keras.backend.relu(m)",
    "tf.keras.backend.relu(m, alpha=0.1)",
    "tf.keras.backend.relu(m, max_value=6)",
    "tf.keras.backend.relu(m, max_value=2.0)",
    "tf.keras.backend.relu(m, alpha=0.1, max_value=2.0)",
    "tf.keras.backend.relu(m, threshold=0.5)",
    "tf.keras.backend.elu(m)",
    "tf.keras.backend.elu(m, 0.5)",
    "tf.keras.backend.softmax(m)",
    "tf.keras.backend.softmax(x, axis=1)",
    "tf.keras.backend.softplus(m)",
    "tf.keras.backend.softsign(m)",
    "tf.keras.backend.sigmoid(m)",
    "tf.keras.backend.hard_sigmoid(m)",
    "tf.keras.backend.tanh(m)",
    "tf.keras.backend.categorical_crossentropy(m, tf.nn.softmax(m))",
    "tf.keras.backend.categorical_crossentropy(m, m)",
    "tf.keras.backend.categorical_crossentropy(m, m, from_logits=True)",
    "tf.keras.backend.sparse_categorical_crossentropy(i2, m)",
    "tf.keras.backend.sparse_categorical_crossentropy(i2, tf.nn.softmax(m))",
    "tf.keras.backend.sparse_categorical_crossentropy(i2, m, from_logits=True)",
    "tf.keras.backend.sparse_categorical_crossentropy(k3, x)",
    "tf.keras.backend.binary_crossentropy(m, m)",
    "tf.keras.backend.binary_crossentropy(m, tf.sigmoid(m))",
    "tf.keras.backend.binary_crossentropy(m, m, from_logits=True)",
    "tf.keras.backend.l2_normalize(m, axis=-1)",
    "tf.keras.backend.in_top_k(m, i2, 2)",
    "tf.keras.backend.bias_add(x, bias)",
    "tf.keras.backend.conv1d(x, k1)",
    "tf.keras.backend.conv1d(x, k1, padding='same', strides=2)",
    "tf.keras.backend.conv1d(x, k1, padding='causal')",
    "tf.keras.backend.conv2d(img, k2)",
    "tf.keras.backend.conv2d(img, k2, strides=(2, 2), padding='same')",
    "tf.keras.backend.pool2d(img, (2, 2))",
    "tf.keras.backend.pool2d(img, (2, 2), strides=(2, 2), pool_mode='avg', padding='same')",
    "tf.keras.backend.depthwise_conv2d(img, dk)",
    "tf.keras.backend.separable_conv2d(img, dk, pk)",
    "tf.keras.backend.conv2d_transpose(img, tk, (2, 16, 16, 5), strides=(2, 2), padding='same')",
    "tf.keras.backend.conv2d_transpose(img, tk, (None, 10, 10, 5))",
    "tf.keras.backend.resize_images(img, 2, 3, 'channels_last')",
    "tf.keras.backend.switch(s, m, m * 2)",
    "tf.keras.backend.switch(b, m, m * 2)",
    "tf.keras.backend.switch(b1, x, x * 2)",
    "tf.keras.backend.in_train_phase(m, m * 2)",
    "tf.keras.backend.in_train_phase(m, m * 2, training=1)",
    "tf.keras.backend.in_test_phase(m, m * 2, training=0)",
    "tf.keras.backend.gradients(tf.keras.backend.sum(m * m), [m])",
    "tf.keras.backend.batch_normalization(x, bias, bias, bias, bias)",
    "tf.keras.backend.normalize_batch_in_training(x, bias, bias, [0, 1])",
    "tf.keras.backend.print_tensor(m, 'm: ')",
    "tf.keras.backend.random_normal((2, 3), seed=1)",
    "tf.keras.backend.random_uniform((2, 3), seed=2)",
    "tf.keras.backend.truncated_normal((2, 3), seed=3)",
    "tf.keras.backend.map_fn(lambda t: t * 2.0, m)",
    "tf.keras.backend.foldl(lambda a, t: a + t, m)",
    "tf.keras.backend.foldr(lambda a, t: a + t, m)",
    "tf.keras.backend.dropout(m, 0.5, seed=1)",
    "tf.keras.backend.moving_average_update(tf.Variable([0.0, 1.0]), m[0, :2], 0.9)",
    "tf.keras.backend.learning_phase()",
    "tf.keras.backend.placeholder((None, 3), name='p')",
    "tf.keras.backend.placeholder(ndim=2, dtype='int32')",
]

VALUES = [
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.backend.batch_dot(tf.keras.backend.constant(np.arange(24.0).reshape(2, "
    "3, 4) / 10.0), tf.keras.backend.constant(np.arange(16.0).reshape(2, 4, 2) / 10.0 - 0.5))), "
    "dtype=float), 4).tolist())",
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.backend.batch_dot(tf.keras.backend.constant(np.arange(24.0).reshape(2, "
    "3, 4) / 10.0), tf.keras.backend.constant(np.arange(24.0).reshape(2, 3, 4) / 10.0), axes=[2, "
    "2])), dtype=float), 4).tolist())",
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.backend.batch_dot(tf.keras.backend.constant(np.array([[0.5, "
    "-1.5, 2.0], [3.0, 0.25, -0.75]])), tf.keras.backend.constant(np.array([[0.5, -1.5, 2.0], [3.0, "
    "0.25, -0.75]])), axes=1)), dtype=float), 4).tolist())",
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.backend.batch_dot(tf.keras.backend.constant(np.arange(24.0).reshape(2, "
    "3, 4) / 10.0), tf.keras.backend.constant(np.array([[0.5, -1.5, 2.0], [3.0, 0.25, -0.75]])), "
    "axes=[1, 1])), dtype=float), 4).tolist())",
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.backend.dot(tf.keras.backend.constant(np.arange(24.0).reshape(2, "
    "3, 4) / 10.0), tf.keras.backend.constant(np.ones((4, 2))))), dtype=float), 4).tolist())",
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.backend.dot(tf.keras.backend.constant(np.arange(24.0).reshape(2, "
    "3, 4) / 10.0), tf.keras.backend.constant(np.arange(24.0).reshape(3, 4, 2)))), dtype=float), "
    "4).tolist())",
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.backend.repeat_elements(tf.keras.backend.constant(np.array([[0.5, "
    "-1.5, 2.0], [3.0, 0.25, -0.75]])), 2, axis=0)), dtype=float), 4).tolist())",
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.backend.repeat(tf.keras.backend.constant(np.array([[0.5, "
    "-1.5, 2.0], [3.0, 0.25, -0.75]])), 2)), dtype=float), 4).tolist())",
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.backend.relu(tf.keras.backend.constant(np.array([[0.5, "
    "-1.5, 2.0], [3.0, 0.25, -0.75]])), alpha=0.1, max_value=2.0)), dtype=float), 4).tolist())",
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.backend.relu(tf.keras.backend.constant(np.array([[0.5, "
    "-1.5, 2.0], [3.0, 0.25, -0.75]])), threshold=0.5)), dtype=float), 4).tolist())",
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.backend.relu(tf.keras.backend.constant(np.array([[0.5, "
    "-1.5, 2.0], [3.0, 0.25, -0.75]])), alpha=0.2)), dtype=float), 4).tolist())",
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.backend.elu(tf.keras.backend.constant(np.array([[0.5, "
    "-1.5, 2.0], [3.0, 0.25, -0.75]])), 0.5)), dtype=float), 4).tolist())",
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.backend.hard_sigmoid(tf.keras.backend.constant(np.array([[0.5, "
    "-1.5, 2.0], [3.0, 0.25, -0.75]])) * 3)), dtype=float), 4).tolist())",
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.backend.categorical_crossentropy(tf.keras.backend.constant(np.array([[0.2, "
    "0.3, 0.5], [0.7, 0.1, 0.2]])), tf.keras.backend.constant(np.array([[0.2, 0.3, 0.5], [0.7, 0.1, "
    "0.2]])))), dtype=float), 4).tolist())",
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.backend.categorical_crossentropy(tf.keras.backend.constant(np.array([[0.2, "
    "0.3, 0.5], [0.7, 0.1, 0.2]])), tf.keras.backend.constant(np.array([[0.5, -1.5, 2.0], [3.0, 0.25, "
    "-0.75]])), from_logits=True)), dtype=float), 4).tolist())",
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.backend.sparse_categorical_crossentropy(tf.keras.backend.constant([2, "
    "0]), tf.keras.backend.constant(np.array([[0.2, 0.3, 0.5], [0.7, 0.1, 0.2]])))), dtype=float), "
    "4).tolist())",
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.backend.sparse_categorical_crossentropy(tf.keras.backend.constant([[0, "
    "1, 2], [2, 2, 1]]), tf.keras.backend.constant(np.arange(24.0).reshape(2, 3, 4) / 10.0)[:, :, "
    ":3], from_logits=True)), dtype=float), 4).tolist())",
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.backend.binary_crossentropy(tf.keras.backend.constant(np.array([[0.2, "
    "0.3, 0.5], [0.7, 0.1, 0.2]])), tf.keras.backend.constant(np.array([[0.2, 0.3, 0.5], [0.7, 0.1, "
    "0.2]])))), dtype=float), 4).tolist())",
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.backend.binary_crossentropy(tf.keras.backend.constant(np.array([[0.2, "
    "0.3, 0.5], [0.7, 0.1, 0.2]])), tf.keras.backend.constant(np.array([[0.5, -1.5, 2.0], [3.0, 0.25, "
    "-0.75]])), from_logits=True)), dtype=float), 4).tolist())",
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.backend.std(tf.keras.backend.constant(np.array([[0.5, "
    "-1.5, 2.0], [3.0, 0.25, -0.75]])), axis=0)), dtype=float), 4).tolist())",
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.backend.var(tf.keras.backend.constant(np.array([[0.5, "
    "-1.5, 2.0], [3.0, 0.25, -0.75]])))), dtype=float), 4).tolist())",
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.backend.sqrt(tf.keras.backend.constant(np.array([[0.5, "
    "-1.5, 2.0], [3.0, 0.25, -0.75]])))), dtype=float), 4).tolist())",
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.backend.clip(tf.keras.backend.constant(np.array([[0.5, "
    "-1.5, 2.0], [3.0, 0.25, -0.75]])), -1.0, None)), dtype=float), 4).tolist())",
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.backend.switch(tf.keras.backend.constant([[True], "
    "[False]]), tf.keras.backend.constant(np.array([[0.5, -1.5, 2.0], [3.0, 0.25, -0.75]])), "
    "-tf.keras.backend.constant(np.array([[0.5, -1.5, 2.0], [3.0, 0.25, -0.75]])))), dtype=float), "
    "4).tolist())",
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.backend.switch(tf.keras.backend.constant(False), "
    "tf.keras.backend.constant(np.array([[0.5, -1.5, 2.0], [3.0, 0.25, -0.75]])), "
    "-tf.keras.backend.constant(np.array([[0.5, -1.5, 2.0], [3.0, 0.25, -0.75]])))), dtype=float), "
    "4).tolist())",
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.backend.l2_normalize(tf.keras.backend.constant(np.array([[0.5, "
    "-1.5, 2.0], [3.0, 0.25, -0.75]])), axis=1)), dtype=float), 4).tolist())",
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.backend.normalize_batch_in_training(tf.keras.backend.constant(np.array([[0.5, "
    "-1.5, 2.0], [3.0, 0.25, -0.75]])), tf.keras.backend.constant([1.0, 2.0, 3.0]), "
    "tf.keras.backend.constant([0.0, 0.5, 1.0]), [0])[0]), dtype=float), 4).tolist())",
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.backend.normalize_batch_in_training(tf.keras.backend.constant(np.arange(24.0).reshape(2, "
    "3, 4) / 10.0), None, None, [0, 2])[0]), dtype=float), 4).tolist())",
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.backend.batch_normalization(tf.keras.backend.constant(np.array([[0.5, "
    "-1.5, 2.0], [3.0, 0.25, -0.75]])), tf.keras.backend.constant([1.0, 0.0, 1.0]), "
    "tf.keras.backend.constant([1.0, 2.0, 4.0]), tf.keras.backend.constant([0.0, 0.5, 1.0]), "
    "tf.keras.backend.constant([1.0, 2.0, 3.0]))), dtype=float), 4).tolist())",
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.backend.resize_images(tf.keras.backend.reshape(tf.keras.backend.constant(np.array([[0.5, "
    "-1.5, 2.0], [3.0, 0.25, -0.75]])), (1, 2, 3, 1)), 2, 2, 'channels_last')), dtype=float), "
    "4).tolist())",
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.backend.conv1d(tf.keras.backend.constant(np.arange(24.0).reshape(2, "
    "3, 4) / 10.0), tf.keras.backend.constant(np.arange(24.0).reshape(3, 4, 2) / 10.0), "
    "padding='causal')), dtype=float), 4).tolist())",
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.backend.pool2d(tf.keras.backend.reshape(tf.keras.backend.constant(np.arange(24.0).reshape(2, "
    "3, 4) / 10.0), (2, 3, 4, 1)), (2, 2), padding='same', pool_mode='avg')), dtype=float), "
    "4).tolist())",
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.backend.batch_flatten(tf.keras.backend.constant(np.arange(24.0).reshape(2, "
    "3, 4) / 10.0))), dtype=float), 4).tolist())",
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.backend.one_hot(tf.keras.backend.constant([1, "
    "0, 3], dtype='int32'), 4)), dtype=float), 4).tolist())",
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.backend.in_train_phase(tf.keras.backend.constant(np.array([[0.5, "
    "-1.5, 2.0], [3.0, 0.25, -0.75]])), -tf.keras.backend.constant(np.array([[0.5, -1.5, 2.0], [3.0, "
    "0.25, -0.75]])), training=tf.keras.backend.constant(True))), dtype=float), 4).tolist())",
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.backend.gradients(tf.keras.backend.sum(tf.keras.backend.square(tf.keras.backend.constant(np.array([[0.5, "
    "-1.5, 2.0], [3.0, 0.25, -0.75]])))), [tf.keras.backend.constant(np.array([[0.5, -1.5, 2.0], "
    "[3.0, 0.25, -0.75]]))])[0]), dtype=float), 4).tolist())",
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.backend.temporal_padding(tf.keras.backend.constant(np.arange(24.0).reshape(2, "
    "3, 4) / 10.0), (1, 2))), dtype=float), 4).tolist())",
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.backend.cumprod(tf.keras.backend.constant(np.array([[0.5, "
    "-1.5, 2.0], [3.0, 0.25, -0.75]])), axis=1)), dtype=float), 4).tolist())",
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.backend.arange(2, 11, 3)), dtype=float), "
    "4).tolist())",
    "str([tf.keras.backend.int_shape(tf.keras.backend.zeros((2, 3))), tf.keras.backend.zeros((2, "
    "3)).name, tf.keras.backend.ones((2, 0)).name, tf.keras.backend.eye(3).name, "
    "tf.keras.backend.eye(2, name='e').name, tf.keras.backend.variable(np.zeros(2)).name, "
    "tf.keras.backend.variable([[1, 2]], dtype='int32', name='vi').dtype.base_dtype.name, "
    "tf.keras.backend.dtype(tf.keras.backend.ones((1,))), "
    "tf.keras.backend.ndim(tf.keras.backend.zeros((2, 3, 4))), "
    "tf.keras.backend.count_params(tf.keras.backend.zeros((2, 3)))])",
    "str(np.round(tf.keras.backend.eval(tf.keras.backend.eye(3)) + "
    "tf.keras.backend.eval(tf.keras.backend.ones((3, 3))) * 2, 5).tolist())",
    "(lambda v: (tf.keras.backend.get_session().run(tf.keras.backend.update_add(v, [1.0, 2.0])), "
    "tf.keras.backend.get_session().run(tf.keras.backend.update_sub(v, [0.5, 0.5])), "
    "str(tf.keras.backend.get_value(v).tolist()) + "
    "str(tf.keras.backend.get_value(tf.keras.backend.update(v, [7.0, "
    "8.0])).tolist()))[-1])(tf.keras.backend.variable([0.0, 0.0]))",
    "(lambda x: (lambda f: str([f([np.ones((2, 3))]), "
    "tf.keras.backend.int_shape(x)]))(tf.keras.backend.function([x], [tf.keras.backend.sum(x, "
    "axis=1), tf.keras.backend.mean(x)])))(tf.keras.backend.placeholder(shape=(None, 3)))",
    "(lambda x, v: (lambda f: str([[a.tolist() for a in f([np.ones((2, 2))])], [f([np.ones((2, "
    "2))])[0].tolist()], tf.keras.backend.get_value(v).tolist()]))(tf.keras.backend.function([x], [x "
    "* 2.0], updates=[tf.keras.backend.update_add(v, "
    "1.0)])))(tf.keras.backend.placeholder(shape=(None, 2)), tf.keras.backend.variable(0.0))",
    "(lambda x: (lambda f: str([f([np.ones((1, 2)), 1])[0].tolist(), f([np.ones((1, 2)), "
    "0])[0].tolist()]))(tf.keras.backend.function([x, tf.keras.backend.learning_phase()], "
    "[tf.keras.backend.in_train_phase(x * 2.0, x)])))(tf.keras.backend.placeholder(shape=(None, 2)))",
    "(lambda v: (tf.keras.backend.set_value(v, np.array([[1.0, 2.0]])), "
    "tf.keras.backend.batch_set_value([(v, np.array([[3.0, 4.0]]))]), "
    "str([tf.keras.backend.get_value(v).tolist(), [a.tolist() for a in "
    "tf.keras.backend.batch_get_value([v, v * 2])]]))[-1])(tf.keras.backend.variable(np.zeros((1, "
    "2))))",
    "(lambda v: str([tf.keras.backend.is_keras_tensor(tf.keras.Input((2,))), "
    "tf.keras.backend.is_keras_tensor(tf.keras.backend.constant(1.0)), "
    "tf.keras.backend.is_sparse(tf.keras.backend.constant(1.0))]))(tf.keras.backend.variable(np.zeros(2)))",
]

ERRORS = [
    ("tf.keras.backend.batch_dot(i, i)", "Cannot do batch_dot on inputs with rank < 2"),
    ("tf.keras.backend.batch_dot(m, x, axes=[1, 2])", "x.shape[1] != y.shape[2] (3 != 4)"),
    ("tf.keras.backend.batch_dot(x, x, axes=0)", "Cannot perform batch_dot over axis 0"),
    (
        "tf.keras.backend.batch_dot(x, x, axes=[[1], [2]])",
        "Multiple target dimensions are not supported",
    ),
    (
        "tf.keras.backend.batch_dot(m, v)",
        "Cannot do batch_dot on inputs with different batch sizes",
    ),
    (
        "tf.keras.backend.switch(x, m, m)",
        "Rank of `condition` should be less than or equal to rank",
    ),
    ("tf.keras.backend.pool2d(img, (2,))", "`pool_size` must be a tuple of 2 integers."),
    ("tf.keras.backend.pool2d(img, (2, 2), pool_mode='min')", "Invalid pooling mode: min"),
    (
        "tf.keras.backend.bias_add(x, k1)",
        "Unexpected bias dimensions 3, expect to be 1 or 2 dimensions",
    ),
    ("tf.keras.backend.resize_images(img, 2, 2, 'nhwc')", "Invalid `data_format` argument: nhwc"),
    ("tf.keras.backend.set_floatx('int32')", "Unknown `floatx` value: int32"),
    ("tf.keras.backend.set_learning_phase(2)", "Expected learning phase to be 0 or 1."),
    ("tf.keras.backend.function([m], [m], updates={1})", "should be a list or tuple"),
]
