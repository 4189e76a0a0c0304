"""What tests/keras/test_layers2.py asks TensorFlow (tools/tf_reference.py, TF_USE_LEGACY_KERAS=1:
tf.keras is tf_keras, TF1.15's Keras in compat.v1 graph mode): names, shapes and values of the
recurrent cells, RNN, Bidirectional, TimeDistributed, the other layers of this slice and
keras.constraints (strings), their checkpoints, and their errors."""

NAMES = [
    "(lambda x: (lambda y: str([[w.name for w in tf.keras.Model(x, y).weights], "
    "y.shape.as_list()]))(tf.keras.layers.RNN(tf.keras.layers.LSTMCell(3))(x)))(tf.keras.Input((5, "
    "2)))",
    "(lambda x: (lambda c: (lambda y: str([[w.name for w in c.weights], y.shape.as_list(), "
    "tf.nest.flatten(c.state_size)]))(tf.keras.layers.RNN(c, "
    "return_sequences=True)(x)))(tf.keras.layers.StackedRNNCells([tf.keras.layers.LSTMCell(3), "
    "tf.keras.layers.GRUCell(2)])))(tf.keras.Input((5, 2)))",
    "(lambda x: (lambda ys: str([[w.name for w in tf.keras.Model(x, ys).weights], [y.shape.as_list() "
    "for y in ys]]))(tf.keras.layers.RNN(tf.keras.layers.SimpleRNNCell(3), "
    "return_state=True)(x)))(tf.keras.Input((5, 2)))",
    "(lambda x: (lambda ys: str([[w.name for w in tf.keras.Model(x, ys).weights], [y.shape.as_list() "
    "for y in tf.nest.flatten(ys)], [len(y) if isinstance(y, (list, tuple)) else 0 for y in "
    "ys]]))(tf.keras.layers.RNN([tf.keras.layers.SimpleRNNCell(3), tf.keras.layers.LSTMCell(4)], "
    "return_state=True, return_sequences=True)(x)))(tf.keras.Input((None, 2)))",
    "(lambda c: (lambda out: str([[w.name for w in c.weights], out[0].shape.as_list(), "
    "len(out[1])]))(c(tf.zeros([4, 2]), [tf.zeros([4, 3]), tf.zeros([4, "
    "3])])))(tf.keras.layers.LSTMCell(3))",
    "(lambda c: (lambda out: str([[w.name for w in c.weights], out[0].shape.as_list(), "
    "len(out[1])]))(c(tf.zeros([4, 2]), [tf.zeros([4, 3])])))(tf.keras.layers.GRUCell(3))",
    "(lambda x: (lambda y: str([[w.name for w in tf.keras.Model(x, y).weights], y.shape.as_list(), "
    "[l.name for l in tf.keras.Model(x, "
    "y).layers]]))(tf.keras.layers.Bidirectional(tf.keras.layers.LSTM(3))(x)))(tf.keras.Input((5, "
    "2)))",
    "(lambda x: str([tf.keras.layers.Bidirectional(tf.keras.layers.GRU(3, return_sequences=True), "
    "merge_mode=m)(x).shape.as_list() for m in ['sum', 'mul', 'ave', 'concat']] + [[t.shape.as_list() "
    "for t in tf.keras.layers.Bidirectional(tf.keras.layers.SimpleRNN(2), "
    "merge_mode=None)(x)]]))(tf.keras.Input((5, 2)))",
    "(lambda x: str([t.shape.as_list() for t in tf.keras.layers.Bidirectional(tf.keras.layers.LSTM(3, "
    "return_state=True))(x)]))(tf.keras.Input((5, 2)))",
    "(lambda x: (lambda y: str([[w.name for w in tf.keras.Model(x, y).weights], y.name, "
    "y.shape.as_list()]))(tf.keras.layers.TimeDistributed(tf.keras.layers.Dense(4))(x)))(tf.keras.Input((5, "
    "2)))",
    "(lambda x: (lambda y: "
    "str([y.shape.as_list()]))(tf.keras.layers.TimeDistributed(tf.keras.layers.Dense(4))(x)))(tf.keras.Input((None, "
    "2)))",
    "(lambda x: (lambda y: str([[w.name for w in tf.keras.Model(x, y).weights], "
    "y.shape.as_list()]))(tf.keras.layers.TimeDistributed(tf.keras.layers.Conv2D(2, "
    "3))(x)))(tf.keras.Input((4, 6, 6, 1)))",
    "(lambda m: str([[w.name for w in m.weights], [l.name for l in m.layers], "
    "m.outputs[0].shape.as_list(), "
    "m.count_params()]))(tf.keras.Sequential([tf.keras.layers.Embedding(10, 4, input_length=5), "
    "tf.keras.layers.Bidirectional(tf.keras.layers.LSTM(3, return_sequences=True)), "
    "tf.keras.layers.TimeDistributed(tf.keras.layers.Dense(2)), tf.keras.layers.GRU(2)]))",
    "(lambda x: str([tf.keras.layers.LeakyReLU()(x).name, tf.keras.layers.ELU()(x).name, "
    "tf.keras.layers.ELU(0.5)(x).name, tf.keras.layers.ReLU()(x).name, "
    "tf.keras.layers.ReLU(max_value=6.0)(x).name, tf.keras.layers.ReLU(negative_slope=0.1)(x).name, "
    "tf.keras.layers.Softmax()(x).name, "
    "tf.keras.layers.ThresholdedReLU()(x).name]))(tf.keras.Input((3,)))",
    "(lambda x: (lambda p, q: (p(x), q(x), str([[w.name for w in p.weights + q.weights], "
    "[w.shape.as_list() for w in p.weights + q.weights]]))[-1])(tf.keras.layers.PReLU(), "
    "tf.keras.layers.PReLU(shared_axes=[1, 2])))(tf.keras.Input((4, 5, 3)))",
    "(lambda x: (lambda n, n2: (n(x), n2(x), str([[w.name for w in n.weights + n2.weights], "
    "[w.shape.as_list() for w in n.weights + n2.weights], "
    "n(x).shape.as_list()]))[-1])(tf.keras.layers.LayerNormalization(), "
    "tf.keras.layers.LayerNormalization(axis=[1, 2], center=False)))(tf.keras.Input((4, 3)))",
    "(lambda x, v: str([l(x).shape.as_list() for l in [tf.keras.layers.ZeroPadding1D(), "
    "tf.keras.layers.ZeroPadding1D((2, 0)), tf.keras.layers.Cropping1D(), "
    "tf.keras.layers.Cropping1D((0, 2)), tf.keras.layers.UpSampling1D(3), tf.keras.layers.Permute((2, "
    "1))]] + [l(v).shape.as_list() for l in [tf.keras.layers.ZeroPadding2D(), "
    "tf.keras.layers.ZeroPadding2D(((1, 0), (2, 3))), tf.keras.layers.Cropping2D(((1, 0), (0, 2))), "
    "tf.keras.layers.Cropping2D(1), tf.keras.layers.UpSampling2D((2, 3)), "
    "tf.keras.layers.UpSampling2D(interpolation='bilinear'), tf.keras.layers.Permute((3, 1, 2)), "
    "tf.keras.layers.SpatialDropout2D(0.5)]] + "
    "[tf.keras.layers.RepeatVector(4)(tf.keras.Input((3,))).shape.as_list()]))(tf.keras.Input((6, "
    "3)), tf.keras.Input((5, 6, 2)))",
    "(lambda x: (lambda d: (lambda y: str([[w.name for w in d.weights], [w.shape.as_list() for w in "
    "d.weights], y.shape.as_list()]))(d(x)))(tf.keras.layers.DepthwiseConv2D(3, depth_multiplier=2, "
    "padding='same', activation='relu')))(tf.keras.Input((8, 8, 3)))",
    "(lambda q, v: (lambda a, b: str([a([q, v]).shape.as_list(), b([q, v, v]).shape.as_list(), "
    "[w.name for w in a.weights + b.weights], [w.shape.as_list() for w in "
    "b.weights]]))(tf.keras.layers.Attention(use_scale=True), "
    "tf.keras.layers.AdditiveAttention()))(tf.keras.Input((3, 4)), tf.keras.Input((5, 4)))",
    "(lambda a, b: str([tf.keras.layers.Dot(axes=1)([a, a]).shape.as_list(), tf.keras.layers.dot([b, "
    "b], axes=(2, 2)).shape.as_list(), tf.keras.layers.Dot(axes=-1, normalize=True)([b, "
    "b]).shape.as_list(), tf.keras.layers.dot([b, a], axes=(1, "
    "1)).shape.as_list()]))(tf.keras.Input((3,)), tf.keras.Input((3, 4)))",
    "(lambda x: str([l(x).shape.as_list() for l in [tf.keras.layers.GaussianNoise(0.1), "
    "tf.keras.layers.GaussianDropout(0.2), tf.keras.layers.AlphaDropout(0.2), "
    "tf.keras.layers.SpatialDropout1D(0.3)]]))(tf.keras.Input((4, 3)))",
]

VALUES = [
    "str(np.round(tf.keras.Sequential([tf.keras.layers.Bidirectional(tf.keras.layers.LSTM(2, "
    "return_sequences=True, kernel_initializer=tf.keras.initializers.Constant(0.1), "
    "recurrent_initializer=tf.keras.initializers.Constant(-0.2)), merge_mode='ave', input_shape=(3, "
    "2)), tf.keras.layers.TimeDistributed(tf.keras.layers.Dense(1, "
    "kernel_initializer='ones'))]).predict(np.arange(12.0).reshape(2, 3, 2) / 10.0).astype(float), "
    "5).tolist())",
    "str(np.round(tf.keras.Sequential([tf.keras.layers.RNN([tf.keras.layers.SimpleRNNCell(2, "
    "kernel_initializer=tf.keras.initializers.Constant(0.3), "
    "recurrent_initializer=tf.keras.initializers.Constant(0.1)), tf.keras.layers.GRUCell(2, "
    "kernel_initializer=tf.keras.initializers.Constant(-0.2), "
    "recurrent_initializer=tf.keras.initializers.Constant(0.4))], input_shape=(4, "
    "3))]).predict(np.arange(24.0).reshape(2, 4, 3) / 20.0).astype(float), 5).tolist())",
    "str(np.round(tf.keras.Sequential([tf.keras.layers.Bidirectional(tf.keras.layers.GRU(2, "
    "kernel_initializer=tf.keras.initializers.Constant(0.2), "
    "recurrent_initializer=tf.keras.initializers.Constant(0.3)), input_shape=(3, "
    "2))]).predict(np.arange(12.0).reshape(2, 3, 2) / 10.0).astype(float), 5).tolist())",
    "(lambda m: (m.compile('sgd', 'mse'), str(np.round(m.fit(np.arange(24.0).reshape(2, 3, 4) / 10.0, "
    "np.ones((2, 3, 2)), epochs=3, verbose=0, shuffle=False).history['loss'], "
    "5).tolist()))[1])(tf.keras.Sequential([tf.keras.layers.TimeDistributed(tf.keras.layers.Dense(2, "
    "kernel_initializer=tf.keras.initializers.Constant(0.1)), input_shape=(3, 4)), "
    "tf.keras.layers.Bidirectional(tf.keras.layers.SimpleRNN(1, return_sequences=True, "
    "kernel_initializer=tf.keras.initializers.Constant(0.2), "
    "recurrent_initializer=tf.keras.initializers.Constant(0.5)))]))",
    "str(np.round(tf.keras.backend.eval(tf.keras.constraints.MaxNorm(1.5)(tf.constant([[3.0, 0.5], "
    "[4.0, 0.0]]))).astype(float), 5).tolist() + "
    "np.round(tf.keras.backend.eval(tf.keras.constraints.UnitNorm(axis=1)(tf.constant([[3.0, 4.0], "
    "[1.0, 0.0]]))).astype(float), 5).tolist() + "
    "np.round(tf.keras.backend.eval(tf.keras.constraints.NonNeg()(tf.constant([[-3.0, "
    "4.0]]))).astype(float), 5).tolist() + "
    "np.round(tf.keras.backend.eval(tf.keras.constraints.MinMaxNorm(1.0, 2.0, "
    "rate=0.5)(tf.constant([[3.0, 0.5], [4.0, 0.1]]))).astype(float), 5).tolist())",
    "str([type(tf.keras.constraints.get('max_norm')).__name__, tf.keras.constraints.get(None), "
    "type(tf.keras.constraints.get({'class_name': 'UnitNorm', 'config': {'axis': 1}})).__name__, "
    "tf.keras.constraints.serialize(tf.keras.constraints.MaxNorm(3))])",
    "str(np.round(tf.keras.Sequential([tf.keras.layers.InputLayer((4,))] + "
    "[tf.keras.layers.LeakyReLU(0.2)]).predict(np.array([[-2.0, -0.5, 0.5, 2.0]])).astype(float), "
    "4).tolist())",
    "str(np.round(tf.keras.Sequential([tf.keras.layers.InputLayer((4,))] + "
    "[tf.keras.layers.ELU(0.5)]).predict(np.array([[-2.0, -0.5, 0.5, 2.0]])).astype(float), "
    "4).tolist())",
    "str(np.round(tf.keras.Sequential([tf.keras.layers.InputLayer((4,))] + "
    "[tf.keras.layers.ReLU(max_value=1.0, negative_slope=0.1, "
    "threshold=0.2)]).predict(np.array([[-2.0, -0.5, 0.5, 2.0]])).astype(float), 4).tolist())",
    "str(np.round(tf.keras.Sequential([tf.keras.layers.InputLayer((4,))] + "
    "[tf.keras.layers.ReLU(6.0)]).predict(np.array([[-2.0, -0.5, 0.5, 2.0]]) * 4).astype(float), "
    "4).tolist())",
    "str(np.round(tf.keras.Sequential([tf.keras.layers.InputLayer((4,))] + "
    "[tf.keras.layers.Softmax()]).predict(np.array([[-2.0, -0.5, 0.5, 2.0]])).astype(float), "
    "4).tolist())",
    "str(np.round(tf.keras.Sequential([tf.keras.layers.InputLayer((4,))] + "
    "[tf.keras.layers.ThresholdedReLU(0.5)]).predict(np.array([[-2.0, -0.5, 0.5, "
    "2.0]])).astype(float), 4).tolist())",
    "str(np.round(tf.keras.Sequential([tf.keras.layers.InputLayer((4,))] + "
    "[tf.keras.layers.PReLU(alpha_initializer=tf.keras.initializers.Constant(0.25))]).predict(np.array([[-2.0, "
    "-0.5, 0.5, 2.0]])).astype(float), 4).tolist())",
    "str(np.round(tf.keras.Sequential([tf.keras.layers.InputLayer((4, 3))] + "
    "[tf.keras.layers.LayerNormalization(gamma_initializer=tf.keras.initializers.Constant(2.0), "
    "beta_initializer='ones')]).predict(np.arange(12.0).reshape(1, 4, 3) / 10.0 - 0.4).astype(float), "
    "4).tolist())",
    "str(np.round(tf.keras.Sequential([tf.keras.layers.InputLayer((4, 3))] + "
    "[tf.keras.layers.LayerNormalization(axis=[1, 2], "
    "epsilon=0.1)]).predict(np.arange(12.0).reshape(1, 4, 3) / 10.0 - 0.4).astype(float), "
    "4).tolist())",
    "str(np.round(tf.keras.Sequential([tf.keras.layers.InputLayer((4, 3))] + "
    "[tf.keras.layers.ZeroPadding1D((1, 2)), tf.keras.layers.Cropping1D((2, 1)), "
    "tf.keras.layers.UpSampling1D(2)]).predict(np.arange(12.0).reshape(1, 4, 3) / 10.0 - "
    "0.4).astype(float), 4).tolist())",
    "str(np.round(tf.keras.Sequential([tf.keras.layers.InputLayer((4, 3))] + "
    "[tf.keras.layers.Permute((2, 1)), tf.keras.layers.Reshape((3, 4, 1)), "
    "tf.keras.layers.ZeroPadding2D(((1, 0), (0, 1))), tf.keras.layers.Cropping2D(((0, 1), (1, 0))), "
    "tf.keras.layers.UpSampling2D((1, 2))]).predict(np.arange(12.0).reshape(1, 4, 3) / 10.0 - "
    "0.4).astype(float), 4).tolist())",
    "str(np.round(tf.keras.Sequential([tf.keras.layers.InputLayer((4, 3))] + "
    "[tf.keras.layers.Reshape((2, 2, 3)), "
    "tf.keras.layers.UpSampling2D(interpolation='bilinear')]).predict(np.arange(12.0).reshape(1, 4, "
    "3) / 10.0 - 0.4).astype(float), 4).tolist())",
    "str(np.round(tf.keras.Sequential([tf.keras.layers.InputLayer((4, 3))] + "
    "[tf.keras.layers.Reshape((2, 2, 3)), tf.keras.layers.DepthwiseConv2D(2, depth_multiplier=2, "
    "padding='same', depthwise_initializer=tf.keras.initializers.Constant(0.5), "
    "bias_initializer='ones')]).predict(np.arange(12.0).reshape(1, 4, 3) / 10.0 - 0.4).astype(float), "
    "4).tolist())",
    "str(np.round(tf.keras.Sequential([tf.keras.layers.InputLayer((4, 3))] + "
    "[tf.keras.layers.GaussianNoise(1.0), tf.keras.layers.GaussianDropout(0.5), "
    "tf.keras.layers.AlphaDropout(0.5), "
    "tf.keras.layers.SpatialDropout1D(0.5)]).predict(np.arange(12.0).reshape(1, 4, 3) / 10.0 - "
    "0.4).astype(float), 4).tolist())",
    "str(np.round(tf.keras.Sequential([tf.keras.layers.InputLayer((4, 3))] + "
    "[tf.keras.layers.Flatten(), tf.keras.layers.RepeatVector(2)]).predict(np.arange(12.0).reshape(1, "
    "4, 3) / 10.0 - 0.4).astype(float), 4).tolist())",
    "(lambda q, v: str(np.round(tf.keras.Model([q, v], [tf.keras.layers.Attention()([q, v]), "
    "tf.keras.layers.Attention(causal=True)([q, v, q]), "
    "tf.keras.layers.AdditiveAttention(use_scale=False)([q, v]), tf.keras.layers.Dot(axes=2)([q, v]), "
    "tf.keras.layers.Dot(axes=(1, 1), normalize=True)([q, v])]).predict([np.arange(12.0).reshape(1, "
    "4, 3) / 10.0, np.arange(12.0).reshape(1, 4, 3)[:, ::-1] / 5.0 - "
    "1.0]).__iter__().__next__().astype(float), 4).tolist()))(tf.keras.Input((4, 3)), "
    "tf.keras.Input((4, 3)))",
    "(lambda q, v: str([np.round(o.astype(float), 4).tolist() for o in tf.keras.Model([q, v], "
    "[tf.keras.layers.Attention(causal=True)([q, v, q]), "
    "tf.keras.layers.AdditiveAttention(use_scale=False)([q, v]), tf.keras.layers.Dot(axes=2)([q, v]), "
    "tf.keras.layers.Dot(axes=(1, 1), normalize=True)([q, v])]).predict([np.arange(12.0).reshape(1, "
    "4, 3) / 10.0, np.arange(12.0).reshape(1, 4, 3)[:, ::-1] / 5.0 - 1.0])]))(tf.keras.Input((4, 3)), "
    "tf.keras.Input((4, 3)))",
]

CHECKPOINTS = [
    "' | '.join((lambda m, path: (m.save_weights(path), str([name for name, _ in "
    "tf.train.list_variables(path)]), str(tf.train.load_variable(path, "
    "'_CHECKPOINTABLE_OBJECT_GRAPH')))[-2:])(tf.keras.Sequential([tf.keras.layers.Bidirectional(tf.keras.layers.LSTM(2, "
    "return_sequences=True), input_shape=(3, 2)), "
    "tf.keras.layers.TimeDistributed(tf.keras.layers.Dense(1))]), __import__('tempfile').mkdtemp() + "
    "'/w'))",
    "' | '.join((lambda m, path: (m.save_weights(path), str([name for name, _ in "
    "tf.train.list_variables(path)]), str(tf.train.load_variable(path, "
    "'_CHECKPOINTABLE_OBJECT_GRAPH')))[-2:])(tf.keras.Sequential([tf.keras.layers.RNN(tf.keras.layers.GRUCell(2), "
    "input_shape=(3, 2))]), __import__('tempfile').mkdtemp() + '/w'))",
]

MASKS = [
    "str(np.round(tf.keras.Sequential([tf.keras.layers.Embedding(6, 2, mask_zero=True, "
    "input_length=4, embeddings_initializer=tf.keras.initializers.Constant(np.arange(12.0).reshape(6, "
    "2) / 10.0)), tf.keras.layers.LSTM(3, return_sequences=True, "
    "kernel_initializer=tf.keras.initializers.Constant(0.1), "
    "recurrent_initializer=tf.keras.initializers.Constant(-0.2)), tf.keras.layers.LSTM(2, "
    "kernel_initializer=tf.keras.initializers.Constant(0.3), "
    "recurrent_initializer=tf.keras.initializers.Constant(0.2))]).predict(np.array([[0, 0, 3, 1], [2, "
    "5, 0, 4], [1, 2, 3, 4]])).astype(float), 5).tolist())",
    "str(np.round(tf.keras.Sequential([tf.keras.layers.Masking(0.0, input_shape=(4, 2)), "
    "tf.keras.layers.GRU(2, return_sequences=True, "
    "kernel_initializer=tf.keras.initializers.Constant(0.2), "
    "recurrent_initializer=tf.keras.initializers.Constant(0.3)), "
    "tf.keras.layers.TimeDistributed(tf.keras.layers.Dense(1, "
    "kernel_initializer='ones'))]).predict(np.array([[[0.0, 0.0], [1.0, 2.0], [0.0, 0.0], [3.0, "
    "1.0]], [[1.0, 1.0], [0.5, 0.0], [0.2, 0.1], [0.0, 0.0]]])).astype(float), 5).tolist())",
    "str(np.round(tf.keras.Sequential([tf.keras.layers.Embedding(6, 2, mask_zero=True, "
    "input_length=4, embeddings_initializer=tf.keras.initializers.Constant(np.arange(12.0).reshape(6, "
    "2) / 10.0)), tf.keras.layers.Bidirectional(tf.keras.layers.SimpleRNN(2, "
    "kernel_initializer=tf.keras.initializers.Constant(0.4), "
    "recurrent_initializer=tf.keras.initializers.Constant(0.1), "
    "go_backwards=False))]).predict(np.array([[0, 0, 3, 1], [2, 5, 0, 4], [1, 2, 3, "
    "4]])).astype(float), 5).tolist())",
    "str(np.round(tf.keras.Sequential([tf.keras.layers.Embedding(6, 2, mask_zero=True, "
    "input_length=4, embeddings_initializer=tf.keras.initializers.Constant(np.arange(12.0).reshape(6, "
    "2) / 10.0)), tf.keras.layers.SimpleRNN(2, go_backwards=True, "
    "kernel_initializer=tf.keras.initializers.Constant(0.4), "
    "recurrent_initializer=tf.keras.initializers.Constant(0.1))]).predict(np.array([[0, 0, 3, 1], [2, "
    "5, 0, 4], [1, 2, 3, 4]])).astype(float), 5).tolist())",
    "(lambda m: (m.compile('sgd', 'mse'), str(np.round(m.fit(np.array([[0, 0, 3, 1], [2, 5, 0, 4], "
    "[1, 2, 3, 4]]), np.arange(24.0).reshape(3, 4, 2) / 24.0, epochs=2, verbose=0, "
    "shuffle=False).history['loss'] + [m.evaluate(np.array([[0, 0, 3, 1], [2, 5, 0, 4], [1, 2, 3, "
    "4]]), np.ones((3, 4, 2)), verbose=0)], "
    "5).tolist()))[1])(tf.keras.Sequential([tf.keras.layers.Embedding(6, 2, mask_zero=True, "
    "input_length=4, embeddings_initializer=tf.keras.initializers.Constant(np.arange(12.0).reshape(6, "
    "2) / 10.0)), tf.keras.layers.LSTM(3, return_sequences=True, "
    "kernel_initializer=tf.keras.initializers.Constant(0.1), "
    "recurrent_initializer=tf.keras.initializers.Constant(-0.2)), "
    "tf.keras.layers.TimeDistributed(tf.keras.layers.Dense(2, kernel_initializer='ones'))]))",
    "(lambda x: (lambda e: (lambda h: str([e._keras_mask.name, e._keras_mask.shape.as_list(), "
    "h._keras_mask.name, getattr(tf.keras.layers.LSTM(2)(h), '_keras_mask', None), "
    "tf.keras.layers.Dense(3)(h)._keras_mask.name, "
    "tf.keras.layers.Masking()(h)._keras_mask.shape.as_list()]))(tf.keras.layers.LSTM(3, "
    "return_sequences=True)(e)))(tf.keras.layers.Embedding(10, 4, "
    "mask_zero=True)(x)))(tf.keras.Input((5,)))",
]

UTILS = [
    "str([tf.keras.preprocessing.sequence.pad_sequences([[1, 2, 3], [4, 5], [6]]).tolist(), "
    "tf.keras.preprocessing.sequence.pad_sequences([[1, 2, 3], [4, 5], [6]], maxlen=2).tolist(), "
    "tf.keras.preprocessing.sequence.pad_sequences([[1, 2, 3], [4, 5], [6]], maxlen=2, "
    "padding='post', truncating='post').tolist(), tf.keras.preprocessing.sequence.pad_sequences([[1, "
    "2], []], maxlen=3, value=-1).tolist(), tf.keras.preprocessing.sequence.pad_sequences([[0.5, "
    "1.5]], maxlen=3, dtype='float32').tolist(), tf.keras.preprocessing.sequence.pad_sequences([[[1, "
    "2], [3, 4]], [[5, 6]]]).tolist(), "
    "str(tf.keras.preprocessing.sequence.pad_sequences([[1]]).dtype), "
    "tf.keras.utils.pad_sequences([[7, 8]], maxlen=3).tolist()])",
    "str([np.round(tf.keras.backend.eval(r(tf.constant([[1.0, -2.0], [0.5, 3.0]]))).astype(float), "
    "5).tolist() for r in [tf.keras.regularizers.L1(0.1), tf.keras.regularizers.L2(0.2), "
    "tf.keras.regularizers.L1L2(0.1, 0.2), tf.keras.regularizers.l1(), tf.keras.regularizers.l2(0.5), "
    "tf.keras.regularizers.get('l1_l2')]] + "
    "[tf.keras.regularizers.serialize(tf.keras.regularizers.L2(0.3)), "
    "type(tf.keras.regularizers.deserialize({'class_name': 'L1', 'config': {'l1': 0.2}})).__name__])",
    "(lambda s: (s.__enter__(), (lambda y: str([y.shape.as_list(), "
    "type(tf.keras.losses.get('my_loss')).__name__]))(tf.keras.layers.Dense(2, "
    "activation='double_it')(tf.keras.Input((3,)))), s.__exit__(None, None, None))[1] + "
    "str(['double_it' in tf.keras.utils.get_custom_objects(), 'my_loss' in "
    "tf.keras.utils.get_custom_objects()]))(tf.keras.utils.custom_object_scope({'double_it': lambda "
    "x: 2 * x, 'my_loss': lambda a, b: a - b}))",
    "(lambda buf, m, ends: (lambda cm, s: (cm.__enter__(), m.compile(tf.keras.optimizers.SGD(0.5), "
    "'sparse_categorical_crossentropy', metrics=['accuracy']), m.fit(s, epochs=2, verbose=2, "
    "shuffle=False), cm.__exit__(None, None, None), __import__('re').sub(r'\\d+(us|ms|s)(/step)?', "
    "'T', buf.getvalue()) + str(np.round([m.history.history[k] for k in sorted(m.history.history)], "
    "5).tolist()) + str(np.round(m.evaluate(s, verbose=0), 5).tolist()) + str(np.round(m.predict(s), "
    "5).tolist()) + str(len(ends)))[-1])(__import__('contextlib').redirect_stdout(buf), "
    "type('Batches', (tf.keras.utils.Sequence,), {'__len__': lambda self: 3, '__getitem__': lambda "
    "self, i: (np.arange(40.0).reshape(10, 4)[i * 4:(i + 1) * 4] / 40.0, (np.arange(10) % 2)[i * 4:(i "
    "+ 1) * 4]), 'on_epoch_end': lambda self: ends.append(1)})()))(__import__('io').StringIO(), "
    "tf.keras.Sequential([tf.keras.layers.Dense(2, activation='softmax', input_shape=(4,), "
    "kernel_initializer=tf.keras.initializers.Constant(np.array([[0.5, -0.5]] * 4)))]), [])",
    "(lambda m, ends: (lambda s: (m.compile('sgd', 'sparse_categorical_crossentropy'), "
    "str(np.round(m.fit(s, epochs=2, steps_per_epoch=2, verbose=0, shuffle=False, validation_data=s, "
    "validation_steps=1).history['val_loss'], 5).tolist()))[1])(type('Batches', "
    "(tf.keras.utils.Sequence,), {'__len__': lambda self: 3, '__getitem__': lambda self, i: "
    "(np.arange(40.0).reshape(10, 4)[i * 4:(i + 1) * 4] / 40.0, (np.arange(10) % 2)[i * 4:(i + 1) * "
    "4]), 'on_epoch_end': lambda self: "
    "ends.append(1)})()))(tf.keras.Sequential([tf.keras.layers.Dense(2, activation='softmax', "
    "input_shape=(4,), kernel_initializer=tf.keras.initializers.Constant(np.array([[0.5, -0.5]] * "
    "4)))]), [])",
]

ERRORS = [
    (
        "tf.keras.layers.Bidirectional(tf.keras.layers.LSTM(2), merge_mode='max')",
        "Invalid merge mode. Received: max",
    ),
    ("tf.keras.layers.RNN(tf.keras.layers.Dense(2))", "state_size"),
    (
        "tf.keras.layers.TimeDistributed(tf.keras.layers.Dense(2))(tf.keras.Input((3,)))",
        "`TimeDistributed` Layer should be passed an `input_shape ` with at least 3 dimensions",
    ),
    (
        "tf.keras.layers.TimeDistributed(3)",
        "Please initialize `TimeDistributed` layer with a `tf.keras.layers.Layer` instance",
    ),
    (
        "tf.keras.layers.ReLU(max_value=-1.0)",
        "max_value of a ReLU layer cannot be a negative value",
    ),
    (
        "tf.keras.layers.ThresholdedReLU(-1.0)",
        "The theta value of a Thresholded ReLU layer should be >=0",
    ),
    ("tf.keras.layers.Permute((1, 3))", "Invalid permutation argument `dims` for Permute Layer"),
    (
        "tf.keras.layers.Dot(axes=[1, 2, 3])",
        "Invalid format for argument `axes`: it should contain two elements. Received: axes=[1, 2, 3]",
    ),
    (
        "tf.keras.layers.LayerNormalization(axis=3)(tf.keras.Input((4, 3)))",
        "Invalid value for `axis` argument. Expected 0 <= axis < inputs.rank (with inputs.rank=3). "
        "Received: axis=(3,)",
    ),
    (
        "tf.keras.preprocessing.sequence.pad_sequences([[1, 2]], padding='middle')",
        'Padding type "middle" not understood',
    ),
    (
        "tf.keras.preprocessing.sequence.pad_sequences([[1, 2, 3]], maxlen=2, truncating='middle')",
        'Truncating type "middle" not understood',
    ),
    (
        "tf.keras.preprocessing.sequence.pad_sequences([1, 2])",
        "`sequences` must be a list of iterables. Found non-iterable: 1",
    ),
]
