"""DeepDream as the TF1 notebook wrote it: a trained network frozen to a GraphDef
(convert_variables_to_constants, serialized and parsed back), imported with
``tf.import_graph_def(graph_def, {'input': preprocessed})`` under an input placeholder of unknown
shape, a layer channel's mean as the objective, tf.gradients w.r.t. the input, the gradient
computed over tiles of a rolled image, a Laplacian-pyramid normalisation built from conv2d and
conv2d_transpose with a dynamic output shape (wrapped in placeholders by a ``tffunc``
decorator), and octaves resized by resize_bilinear.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    rng = np.random.RandomState(77)
    g0 = tf.Graph()
    with g0.as_default():
        tf.set_random_seed(78)
        x = tf.placeholder(tf.float32, [None, None, None, 3], name="input")
        h = tf.layers.conv2d(x, 4, 3, padding="same", activation=tf.nn.relu, name="conv1")
        h = tf.layers.max_pooling2d(h, 2, 2, name="pool1")
        h = tf.layers.conv2d(h, 5, 3, padding="same", activation=tf.nn.relu, name="mixed3a")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            frozen = tf.graph_util.convert_variables_to_constants(
                sess, g0.as_graph_def(), ["mixed3a/Relu"]
            )
    graph_def = tf.GraphDef()
    graph_def.ParseFromString(frozen.SerializeToString())

    graph = tf.Graph()
    sess = tf.InteractiveSession(graph=graph)
    t_input = tf.placeholder(np.float32, name="input")
    imagenet_mean = 117.0
    t_preprocessed = tf.expand_dims(t_input - imagenet_mean, 0)
    tf.import_graph_def(graph_def, {"input": t_preprocessed})
    layers = [
        op.name for op in graph.get_operations() if op.type == "Conv2D" and "import/" in op.name
    ]

    def T(layer):
        return graph.get_tensor_by_name(f"import/{layer}:0")

    def tffunc(*argtypes):
        placeholders = list(map(tf.placeholder, argtypes))

        def wrap(f):
            out = f(*placeholders)

            def wrapper(*args, **kw):
                return out.eval(
                    dict(zip(placeholders, args, strict=True)), session=kw.get("session")
                )

            return wrapper

        return wrap

    def resize(img, size):
        img = tf.expand_dims(img, 0)
        return tf.image.resize_bilinear(img, size)[0, :, :, :]

    resize = tffunc(np.float32, np.int32)(resize)

    k = np.float32([1, 4, 6, 4, 1])
    k = np.outer(k, k)
    k5x5 = k[:, :, None, None] / k.sum() * np.eye(3, dtype=np.float32)

    def lap_split(img):
        with tf.name_scope("split"):
            lo = tf.nn.conv2d(img, k5x5, [1, 2, 2, 1], "SAME")
            lo2 = tf.nn.conv2d_transpose(lo, k5x5 * 4, tf.shape(img), [1, 2, 2, 1])
            hi = img - lo2
        return lo, hi

    def lap_split_n(img, n):
        levels = []
        for _ in range(n):
            img, hi = lap_split(img)
            levels.append(hi)
        levels.append(img)
        return levels[::-1]

    def lap_merge(levels):
        img = levels[0]
        for hi in levels[1:]:
            with tf.name_scope("merge"):
                img = tf.nn.conv2d_transpose(img, k5x5 * 4, tf.shape(hi), [1, 2, 2, 1]) + hi
        return img

    def normalize_std(img, eps=1e-10):
        with tf.name_scope("normalize"):
            std = tf.sqrt(tf.reduce_mean(tf.square(img)))
            return img / tf.maximum(std, eps)

    def lap_normalize(img, scale_n=2):
        img = tf.expand_dims(img, 0)
        tlevels = lap_split_n(img, scale_n)
        tlevels = list(map(normalize_std, tlevels))
        out = lap_merge(tlevels)
        return out[0, :, :, :]

    lap_norm_func = tffunc(np.float32)(lap_normalize)

    def calc_grad_tiled(img, t_grad, shift, tile_size=6):
        sz = tile_size
        h, w = img.shape[:2]
        sx, sy = shift
        img_shift = np.roll(np.roll(img, sx, 1), sy, 0)
        grad = np.zeros_like(img)
        for y in range(0, max(h - sz // 2, sz), sz):
            for x in range(0, max(w - sz // 2, sz), sz):
                sub = img_shift[y : y + sz, x : x + sz]
                g = sess.run(t_grad, {t_input: sub})
                grad[y : y + sz, x : x + sz] = g
        return np.roll(np.roll(grad, -sx, 1), -sy, 0)

    t_obj = T("mixed3a/Relu")[:, :, :, 2]
    t_score = tf.reduce_mean(t_obj)
    t_grad = tf.gradients(t_score, t_input)[0]
    img0 = (rng.rand(10, 12, 3) * 40 + 100).astype(np.float32)
    octave_n, octave_scale, step = 2, 1.4, 1.5
    img = img0.copy()
    octaves = []
    for _ in range(octave_n - 1):
        hw = img.shape[:2]
        lo = resize(img, np.int32(np.float32(hw) / octave_scale))
        hi = img - resize(lo, hw)
        img = lo
        octaves.append(hi)
    shapes, scores = [], []
    shifts = [(1, 2), (3, 0), (0, 4), (2, 1)]
    for octave in range(octave_n):
        if octave > 0:
            hi = octaves[-octave]
            img = resize(img, hi.shape[:2]) + hi
        shapes.append(list(img.shape))
        for i in range(2):
            g = calc_grad_tiled(img, t_grad, shifts[2 * octave + i])
            g = lap_norm_func(g)
            img += g * step
            scores.append(float(sess.run(t_score, {t_input: img})))
    normalized = lap_norm_func(np.linspace(-1, 1, 10 * 12 * 3, dtype=np.float32).reshape(10, 12, 3))
    sess.close()
    return {
        "frozen_nodes": sorted(n.name for n in frozen.node),
        "layers": layers,
        "names": [t_preprocessed.name, t_score.name, t_grad.name],
        "grad_shape": t_grad.shape.as_list() if t_grad.shape.ndims is not None else None,
        "shapes": shapes,
        "scores": scores,
        "pixels": img[0, :4].tolist(),
        "lap_normalized": normalized[4, :3].tolist(),
    }


EXPECTED = {
    "frozen_nodes": [
        "conv1/BiasAdd",
        "conv1/Conv2D",
        "conv1/Relu",
        "conv1/bias",
        "conv1/bias/read",
        "conv1/kernel",
        "conv1/kernel/read",
        "input",
        "mixed3a/BiasAdd",
        "mixed3a/Conv2D",
        "mixed3a/Relu",
        "mixed3a/bias",
        "mixed3a/bias/read",
        "mixed3a/kernel",
        "mixed3a/kernel/read",
        "pool1/MaxPool",
    ],
    "layers": ["import/conv1/Conv2D", "import/mixed3a/Conv2D"],
    "names": ["ExpandDims:0", "Mean:0", "gradients/sub_grad/Reshape:0"],
    "grad_shape": None,
    "shapes": [[7, 8, 3], [10, 12, 3]],
    "scores": [2.247337579727173, 2.1261775493621826, 3.55491042137146, 3.7696025371551514],
    "pixels": [
        [139.5249786376953, 120.7577896118164, 136.18246459960938],
        [102.29769897460938, 96.38282012939453, 133.8865203857422],
        [107.4352035522461, 115.57999420166016, 108.1009292602539],
        [117.39832305908203, 114.919677734375, 129.0833282470703],
    ],
    "lap_normalized": [
        [-0.7009859681129456, -0.6805494427680969, -0.6601129770278931],
        [-0.6448125839233398, -0.6236299276351929, -0.6024472117424011],
        [-0.5926374197006226, -0.5706522464752197, -0.5486670732498169],
    ],
}


def test_deep_dream_matches_tensorflow():
    close(program(tf), EXPECTED)
