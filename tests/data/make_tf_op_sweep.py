"""Writes tests/data/graph_io/tf_op_sweep.pb and tf_op_sweep.json for
tests/programs/test_tf_written_meta.py: a GraphDef TensorFlow 2.21 builds in graph mode with
about 95 ops programs use (image resizing and color, convolutions and pools, linear algebra,
special functions, segment and sparse ops, losses, strings, stateless random numbers), and the
values TF computes for each output.

Run with the reference TensorFlow: TF_USE_LEGACY_KERAS=1 /tmp/tfref/bin/python
tests/data/make_tf_op_sweep.py
"""

import json
import os

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "graph_io")
rng = np.random.RandomState(0)
img = rng.rand(1, 6, 6, 3).astype(np.float32)
m = (rng.rand(4, 4) + np.eye(4) * 4).astype(np.float32)
v = rng.rand(8).astype(np.float32)


def I():  # noqa: E743
    return tf.constant(img)


def M():
    return tf.constant(m)


def V():
    return tf.constant(v)


EXPRS = {
    "rb": lambda: tf.image.resize_images(I(), [4, 5]),
    "rn": lambda: tf.image.resize_images(
        I(), [9, 4], method=tf.image.ResizeMethod.NEAREST_NEIGHBOR
    ),
    "rc": lambda: tf.image.resize_images(I(), [4, 4], method=tf.image.ResizeMethod.BICUBIC),
    "ra": lambda: tf.image.resize_images(I(), [4, 4], method=tf.image.ResizeMethod.AREA),
    "rbh": lambda: tf.image.resize_bilinear(I(), [4, 5], half_pixel_centers=True),
    "hsv": lambda: tf.image.rgb_to_hsv(I()),
    "contrast": lambda: tf.image.adjust_contrast(I(), 1.5),
    "gamma": lambda: tf.image.adjust_gamma(I(), 2.0, 1.2),
    "sobel": lambda: tf.image.sobel_edges(I()),
    "patches": lambda: tf.extract_image_patches(
        I(), [1, 2, 2, 1], [1, 2, 2, 1], [1, 1, 1, 1], "VALID"
    ),
    "s2d": lambda: tf.space_to_depth(I(), 2),
    "lrn": lambda: tf.nn.local_response_normalization(I(), 2, 1.0, 0.5, 0.75),
    "topk": lambda: tf.nn.top_k(V(), 3).values,
    "segmax": lambda: tf.math.segment_max(V(), [0, 0, 1, 1, 1, 2, 2, 3]),
    "useg": lambda: tf.math.unsorted_segment_mean(V(), [3, 0, 1, 1, 0, 2, 2, 3], 4),
    "cumsum": lambda: tf.cumsum(V(), exclusive=True, reverse=True),
    "band": lambda: tf.matrix_band_part(M(), 1, 0),
    "svd": lambda: tf.svd(M(), compute_uv=False),
    "chol": lambda: tf.cholesky(tf.matmul(M(), M(), transpose_b=True)),
    "solve_ls": lambda: tf.matrix_solve_ls(M(), M()[:, :2], l2_regularizer=0.1),
    "lbeta": lambda: tf.lbeta(M()),
    "betainc": lambda: tf.betainc(M()[0] + 1, M()[1] + 1, V()[:4]),
    "igamma": lambda: tf.igamma(M()[0], V()[:4] * 3),
    "zeta": lambda: tf.zeta(M()[0] + 1.5, V()[:4] + 1),
    "polygamma": lambda: tf.polygamma(tf.constant([1.0, 2.0, 1.0, 3.0]), M()[0]),
    "i0e": lambda: tf.math.bessel_i0e(M()[0]),
    "erfinv": lambda: tf.math.erfinv(V() * 1.8 - 0.9),
    "ndtri": lambda: tf.math.ndtri(V() * 0.9 + 0.05),
    "logdet": lambda: tf.linalg.logdet(tf.matmul(M(), M(), transpose_b=True)),
    "expm": lambda: tf.linalg.expm(M() * 0.1),
    "unique_c": lambda: tf.unique_with_counts(tf.constant([3, 1, 3, 2, 1])).count,
    "bincount": lambda: tf.math.bincount(tf.constant([1, 1, 3, 0]), weights=V()[:4], minlength=5),
    "roll": lambda: tf.roll(V(), 3, 0),
    "rev_seq": lambda: tf.reverse_sequence(M(), [1, 2, 3, 4], 1, 0),
    "lin_space": lambda: tf.lin_space(0.0, 1.0, 5),
    "mirror": lambda: tf.pad(M(), [[1, 2], [2, 1]], "SYMMETRIC"),
    "hist": lambda: tf.histogram_fixed_width(V(), [0.0, 1.0], 5),
    "clip": lambda: tf.clip_by_average_norm(M(), 0.5),
    "sparse_sm": lambda: (
        tf.sparse_softmax(tf.SparseTensor([[0, 0], [0, 2], [1, 1]], V()[:3], [2, 3])).values
    ),
    "dil": lambda: tf.nn.dilation2d(
        I(), tf.ones([2, 2, 3]) * 0.1, [1, 1, 1, 1], [1, 1, 1, 1], "SAME"
    ),
    "conv3t": lambda: tf.nn.conv2d_transpose(
        I(), tf.ones([2, 2, 4, 3]) * 0.1, [1, 12, 12, 4], [1, 2, 2, 1]
    ),
    "atrous": lambda: tf.nn.atrous_conv2d(I(), tf.ones([2, 2, 3, 2]) * 0.1, 2, "SAME"),
    "sep": lambda: tf.nn.separable_conv2d(
        I(), tf.ones([2, 2, 3, 1]) * 0.2, tf.ones([1, 1, 3, 2]), [1, 1, 1, 1], "VALID"
    ),
    "avgpool3": lambda: tf.nn.avg_pool3d(
        tf.reshape(I(), [1, 2, 3, 6, 3]), [1, 1, 2, 2, 1], [1, 1, 1, 1, 1], "SAME"
    ),
    "maxpool_arg": lambda: tf.nn.max_pool_with_argmax(I(), [1, 2, 2, 1], [1, 2, 2, 1], "VALID")[1],
    "frac": lambda: tf.nn.fractional_max_pool(
        I(), [1.0, 1.5, 1.5, 1.0], deterministic=True, seed=1, seed2=2
    )[0],
    "sp_matmul": lambda: tf.sparse_tensor_dense_matmul(
        tf.SparseTensor([[0, 1], [2, 3]], [1.0, 2.0], [3, 4]), M()
    ),
    "sp_reduce_sp": lambda: (
        tf.sparse_reduce_sum_sparse(tf.SparseTensor([[0, 1], [2, 3]], [1.0, 2.0], [3, 4]), 1).values
    ),
    "sp_concat": lambda: (
        tf.sparse_concat(
            1, [tf.SparseTensor([[0, 1]], [1.0], [2, 2]), tf.SparseTensor([[1, 0]], [2.0], [2, 3])]
        ).indices
    ),
    "sp_slice": lambda: (
        tf.sparse_slice(
            tf.SparseTensor([[0, 1], [2, 3]], [1.0, 2.0], [3, 4]), [1, 1], [2, 3]
        ).indices
    ),
    "sp_reorder": lambda: (
        tf.sparse_reorder(tf.SparseTensor([[2, 3], [0, 1]], [2.0, 1.0], [3, 4])).values
    ),
    "sp_fill": lambda: (
        tf.sparse_fill_empty_rows(tf.SparseTensor([[0, 1], [2, 3]], [1.0, 2.0], [3, 4]), -1.0)[
            0
        ].values
    ),
    "xent2": lambda: tf.nn.softmax_cross_entropy_with_logits_v2(
        labels=tf.nn.softmax(M()), logits=M() * 2
    ),
    "wxent": lambda: tf.nn.weighted_cross_entropy_with_logits(
        targets=M() / 10, logits=M(), pos_weight=2.0
    ),
    "poisson": lambda: tf.nn.log_poisson_loss(M(), M() * 0.1, compute_full_loss=True),
    "moments": lambda: tf.nn.moments(I(), [0, 1, 2])[1],
    "fbn": lambda: tf.nn.fused_batch_norm(
        I(), tf.ones([3]), tf.zeros([3]), tf.ones([3]) * 0.5, tf.ones([3]), is_training=False
    )[0],
    "crelu": lambda: tf.nn.crelu(M() - 4),
    "selu": lambda: tf.nn.selu(M() - 4),
    "softsign": lambda: tf.nn.softsign(M() - 4),
    "conv1d": lambda: tf.nn.conv1d(tf.reshape(V(), [1, 8, 1]), tf.ones([3, 1, 2]), 1, "SAME"),
    "pool": lambda: tf.nn.pool(I(), [2, 2], "AVG", "SAME", strides=[2, 2]),
    "in_top_k": lambda: tf.nn.in_top_k(M(), [0, 1, 2, 3], 2),
    "nms": lambda: tf.image.non_max_suppression(
        tf.constant([[0, 0, 1, 1], [0, 0.1, 1, 1.1], [0, 2, 1, 3]], tf.float32), V()[:3], 2, 0.5
    ),
    "draw": lambda: tf.image.draw_bounding_boxes(I(), [[[0.1, 0.1, 0.6, 0.6]]]),
    "tv": lambda: tf.image.total_variation(I()),
    "psnr": lambda: tf.image.psnr(I(), I() * 0.9, 1.0),
    "ssim": lambda: tf.image.ssim(
        tf.image.resize_images(I(), [16, 16]),
        tf.image.resize_images(I(), [16, 16]) * 0.9,
        1.0,
        filter_size=3,
    ),
    "split": lambda: tf.strings.split(tf.constant(["a b", "c d e"])).values,
    "split_sep": lambda: tf.string_split(tf.constant(["a,b", "c"]), ",").indices,
    "to_number": lambda: tf.strings.to_number(tf.constant(["1.5", "2"])),
    "hash": lambda: tf.string_to_hash_bucket_fast(tf.constant(["a", "bc"]), 7),
    "hash_strong": lambda: tf.string_to_hash_bucket_strong(tf.constant(["a", "bc"]), 7, [1, 2]),
    "u_split": lambda: tf.strings.unicode_split(tf.constant(["h\u00e9"]), "UTF-8").flat_values,
    "bytes_split": lambda: tf.strings.bytes_split(tf.constant(["abc"])).flat_values,
    "stateless": lambda: tf.random.stateless_normal([3], seed=[1, 2]),
    "stateless_u": lambda: tf.random.stateless_uniform(
        [3], seed=[3, 4], minval=0, maxval=10, dtype=tf.int32
    ),
    "cast_sat": lambda: tf.saturate_cast(M() * 100, tf.int8),
    "bitcast": lambda: tf.bitcast(M(), tf.int32),
    "quant": lambda: tf.quantization.fake_quant_with_min_max_args(M(), -2.0, 6.0),
    "diag_part": lambda: tf.linalg.diag_part(M()),
    "set_diag": lambda: tf.linalg.set_diag(M(), V()[:4]),
    "tensordot": lambda: tf.tensordot(M(), M(), [[1], [0]]),
    "scatter_nd_add": lambda: tf.tensor_scatter_nd_add(M(), [[0, 0], [1, 1]], [1.0, 2.0]),
    "searchsorted": lambda: tf.searchsorted(
        tf.constant([[1.0, 2.0, 3.0]]), tf.constant([[2.5, 0.5]])
    ),
    "argsort": lambda: tf.argsort(V()),
    "sort": lambda: tf.sort(V(), direction="DESCENDING"),
    "where3": lambda: tf.where_v2(M() > 2, M(), 0.0),
    "broadcast_to": lambda: tf.broadcast_to(V()[:4], [2, 4]),
    "matrix_triangular": lambda: tf.matrix_triangular_solve(
        tf.matrix_band_part(M(), -1, 0), M()[:, :2]
    ),
    "norm": lambda: tf.norm(M(), ord=2, axis=[0, 1]),
    "l2norm": lambda: tf.math.l2_normalize(M(), 1),
    "reduce_lse": lambda: tf.reduce_logsumexp(M(), 1),
    "cumprod": lambda: tf.cumprod(V(), exclusive=True),
    "xlogy": lambda: tf.math.xlogy(M(), M() + 1),
    "ctc": lambda: tf.nn.ctc_loss(
        tf.SparseTensor([[0, 0], [0, 1]], [1, 2], [1, 2]),
        tf.reshape(tf.tile(V(), [3]), [6, 1, 4]),
        [6],
    ),
}


def _plain(value):
    value = np.asarray(value)
    if value.dtype == object:
        return {"bytes": [b.decode("latin-1") for b in value.ravel().tolist()]}
    return np.round(value.astype(np.float64), 6).tolist()


g = tf.Graph()
with g.as_default():
    names = {k: f().name for k, f in EXPRS.items()}
    with tf.Session() as sess:
        values = sess.run(names)
with open(os.path.join(OUT, "tf_op_sweep.pb"), "wb") as f:
    f.write(g.as_graph_def().SerializeToString())
with open(os.path.join(OUT, "tf_op_sweep.json"), "w") as f:
    json.dump({k: [names[k], _plain(values[k])] for k in EXPRS}, f)
