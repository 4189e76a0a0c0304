"""A sparsely-gated mixture of experts (Shazeer et al.'s noisy top-k gating, in TF1 ops): noisy
gate logits with a softplus noise scale and a seeded normal, tf.nn.top_k, gates scattered back
with tf.scatter_nd, examples dispatched to experts with tf.where/tf.dynamic_partition, expert
outputs put back with tf.dynamic_stitch and combined with tf.unsorted_segment_sum, a load
(tf.bincount) and importance balance loss, tf.sort/tf.argsort/tf.cumsum/tf.batch_gather, Adam.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(51)
        n_experts, k, dim, batch = 4, 2, 5, 6
        x = tf.placeholder(tf.float32, [batch, dim], name="x")
        target = tf.placeholder(tf.float32, [batch, 2], name="target")
        w_gate = tf.get_variable("w_gate", [dim, n_experts])
        w_noise = tf.get_variable("w_noise", [dim, n_experts])
        clean = tf.matmul(x, w_gate)
        noise_std = tf.nn.softplus(tf.matmul(x, w_noise)) + 1e-2
        logits = clean + tf.random_normal(tf.shape(clean), seed=7) * noise_std
        top_logits, top_idx = tf.nn.top_k(logits, k=k)
        top_gates = tf.nn.softmax(top_logits)
        rows = tf.tile(tf.range(batch)[:, None], [1, k])
        gates = tf.scatter_nd(tf.stack([rows, top_idx], -1), top_gates, [batch, n_experts])
        # dispatch: each example to its experts with tf.dynamic_partition
        where = tf.cast(tf.where(gates > 0), tf.int32)
        ex_batch, ex_id = where[:, 0], where[:, 1]
        inputs = tf.dynamic_partition(tf.gather(x, ex_batch), ex_id, n_experts)
        gate_vals = tf.gather_nd(gates, where)
        parts = tf.dynamic_partition(tf.range(tf.shape(where)[0]), ex_id, n_experts)
        outs = []
        for e in range(n_experts):
            with tf.variable_scope(f"expert_{e}"):
                h = tf.layers.dense(inputs[e], 6, activation=tf.nn.relu, name="h")
                outs.append(tf.layers.dense(h, 2, name="out"))
        stitched = tf.dynamic_stitch(parts, outs)
        combined = tf.unsorted_segment_sum(stitched * gate_vals[:, None], ex_batch, batch)
        importance = tf.reduce_sum(gates, 0)
        load = tf.bincount(ex_id, minlength=n_experts, dtype=tf.float32)
        mean, var = tf.nn.moments(importance, [0])
        cv2 = var / (tf.square(mean) + 1e-10)
        loss = tf.losses.mean_squared_error(target, combined) + 0.1 * cv2
        sorted_imp = tf.sort(importance, direction="DESCENDING")
        order = tf.argsort(importance)
        running = tf.cumsum(load, exclusive=True)
        picked = tf.batch_gather(top_gates, tf.zeros([batch, 1], tf.int32))
        train = tf.train.AdamOptimizer(0.02).minimize(loss)
        rng = np.random.RandomState(9)
        xs = rng.normal(size=(batch, dim)).astype(np.float32)
        ts = rng.normal(size=(batch, 2)).astype(np.float32)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            first = sess.run(
                {
                    "gates": gates,
                    "load": load,
                    "combined": combined,
                    "sorted": sorted_imp,
                    "order": order,
                    "running": running,
                    "picked": picked,
                    "top_idx": top_idx,
                },
                {x: xs, target: ts},
            )
            hist = []
            for _ in range(4):
                _, v = sess.run([train, loss], {x: xs, target: ts})
                hist.append(float(v))
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
            "names": [
                top_idx.name,
                gates.name,
                inputs[0].name,
                stitched.name,
                combined.name,
                load.name,
                sorted_imp.name,
                order.name,
                running.name,
                picked.name,
            ],
            "grad_types": sorted(
                {
                    op.type
                    for op in g.get_operations()
                    if op.name.startswith("gradients/")
                    and op.type.startswith(("Dynamic", "Unsorted", "Scatter", "Gather", "TopK"))
                }
            ),
            "first": {
                k: np.asarray(v).round(6).tolist()
                if np.asarray(v).dtype.kind == "f"
                else np.asarray(v).tolist()
                for k, v in first.items()
            },
            "hist": hist,
        }


EXPECTED = {
    "vars": [
        ["w_gate:0", [5, 4]],
        ["w_noise:0", [5, 4]],
        ["expert_0/h/kernel:0", [5, 6]],
        ["expert_0/h/bias:0", [6]],
        ["expert_0/out/kernel:0", [6, 2]],
        ["expert_0/out/bias:0", [2]],
        ["expert_1/h/kernel:0", [5, 6]],
        ["expert_1/h/bias:0", [6]],
        ["expert_1/out/kernel:0", [6, 2]],
        ["expert_1/out/bias:0", [2]],
        ["expert_2/h/kernel:0", [5, 6]],
        ["expert_2/h/bias:0", [6]],
        ["expert_2/out/kernel:0", [6, 2]],
        ["expert_2/out/bias:0", [2]],
        ["expert_3/h/kernel:0", [5, 6]],
        ["expert_3/h/bias:0", [6]],
        ["expert_3/out/kernel:0", [6, 2]],
        ["expert_3/out/bias:0", [2]],
        ["beta1_power:0", []],
        ["beta2_power:0", []],
        ["w_gate/Adam:0", [5, 4]],
        ["w_gate/Adam_1:0", [5, 4]],
        ["w_noise/Adam:0", [5, 4]],
        ["w_noise/Adam_1:0", [5, 4]],
        ["expert_0/h/kernel/Adam:0", [5, 6]],
        ["expert_0/h/kernel/Adam_1:0", [5, 6]],
        ["expert_0/h/bias/Adam:0", [6]],
        ["expert_0/h/bias/Adam_1:0", [6]],
        ["expert_0/out/kernel/Adam:0", [6, 2]],
        ["expert_0/out/kernel/Adam_1:0", [6, 2]],
        ["expert_0/out/bias/Adam:0", [2]],
        ["expert_0/out/bias/Adam_1:0", [2]],
        ["expert_1/h/kernel/Adam:0", [5, 6]],
        ["expert_1/h/kernel/Adam_1:0", [5, 6]],
        ["expert_1/h/bias/Adam:0", [6]],
        ["expert_1/h/bias/Adam_1:0", [6]],
        ["expert_1/out/kernel/Adam:0", [6, 2]],
        ["expert_1/out/kernel/Adam_1:0", [6, 2]],
        ["expert_1/out/bias/Adam:0", [2]],
        ["expert_1/out/bias/Adam_1:0", [2]],
        ["expert_2/h/kernel/Adam:0", [5, 6]],
        ["expert_2/h/kernel/Adam_1:0", [5, 6]],
        ["expert_2/h/bias/Adam:0", [6]],
        ["expert_2/h/bias/Adam_1:0", [6]],
        ["expert_2/out/kernel/Adam:0", [6, 2]],
        ["expert_2/out/kernel/Adam_1:0", [6, 2]],
        ["expert_2/out/bias/Adam:0", [2]],
        ["expert_2/out/bias/Adam_1:0", [2]],
        ["expert_3/h/kernel/Adam:0", [5, 6]],
        ["expert_3/h/kernel/Adam_1:0", [5, 6]],
        ["expert_3/h/bias/Adam:0", [6]],
        ["expert_3/h/bias/Adam_1:0", [6]],
        ["expert_3/out/kernel/Adam:0", [6, 2]],
        ["expert_3/out/kernel/Adam_1:0", [6, 2]],
        ["expert_3/out/bias/Adam:0", [2]],
        ["expert_3/out/bias/Adam_1:0", [2]],
    ],
    "names": [
        "TopKV2:1",
        "ScatterNd:0",
        "DynamicPartition:0",
        "DynamicStitch:0",
        "UnsortedSegmentSum:0",
        "bincount/DenseBincount:0",
        "sort/TopKV2:0",
        "argsort/TopKV2:1",
        "Cumsum:0",
        "BatchGather/Reshape_3:0",
    ],
    "grad_types": ["GatherNd", "GatherV2", "ScatterNd"],
    "first": {
        "gates": [
            [0.0, 0.0, 0.7374609708786011, 0.26253899931907654],
            [0.0, 0.0, 0.7077019810676575, 0.29229798913002014],
            [0.7072219848632812, 0.0, 0.29277798533439636, 0.0],
            [0.5483890175819397, 0.0, 0.0, 0.4516110122203827],
            [0.6719809770584106, 0.0, 0.32801899313926697, 0.0],
            [0.0, 0.7703419923782349, 0.22965799272060394, 0.0],
        ],
        "load": [3.0, 1.0, 5.0, 3.0],
        "combined": [
            [0.014220000244677067, -0.3697260022163391],
            [0.31000301241874695, -0.3636130094528198],
            [0.288675993680954, 0.5298870205879211],
            [-0.28487300872802734, -0.055025000125169754],
            [0.29746899008750916, -0.3038240075111389],
            [0.20878799259662628, 0.3242569863796234],
        ],
        "sorted": [2.2956180572509766, 1.9275929927825928, 1.0064469575881958, 0.7703419923782349],
        "order": [1, 3, 0, 2],
        "running": [0.0, 3.0, 4.0, 9.0],
        "picked": [
            [0.7374609708786011],
            [0.7077019810676575],
            [0.7072219848632812],
            [0.5483890175819397],
            [0.6719809770584106],
            [0.7703419923782349],
        ],
        "top_idx": [[2, 3], [2, 3], [0, 2], [0, 3], [0, 2], [1, 2]],
    },
    "hist": [2.2674365043640137, 1.8696261644363403, 1.7966618537902832, 1.6494513750076294],
}


def test_mixture_of_experts_matches_tensorflow():
    close(program(tf), EXPECTED)
