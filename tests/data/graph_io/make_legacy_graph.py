"""Writes legacy_ops.pb (a GraphDef of op types TF 1.x graphs hold: Add, Div, Mod, Concat,
Gather, TopK, BiasAddV1, FusedBatchNorm, MaxPoolV2, BatchNormWithGlobalNormalization,
Variable, RefIdentity...) and legacy_ops_values.json (its outputs and gradients as TensorFlow
computes them), and legacy_variable.pb (a Variable updated through RefIdentity; its
values after each of two updates in the same JSON file), and legacy_rnn.pb (tf.contrib.rnn's
fused LSTM and GRU cells, sequences and their gradients). Run with a Python that has TensorFlow 2.x:

    python tests/data/graph_io/make_legacy_graph.py

The op types TF no longer builds (TopK, PlaceholderV2, BatchNormWithGlobalNormalization are
deprecated at GraphDef versions 7, 23 and 9) are written by rewriting the nodes of their
successors, and the GraphDef says producer version 6, as a graph of TF 0.x/1.x would.
"""

import json
import os

import numpy as np

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import tensorflow.compat.v1 as tf  # noqa: E402

tf.disable_v2_behavior()
HERE = os.path.dirname(os.path.abspath(__file__))
R = tf.raw_ops
FEED = {
    "x:0": np.linspace(-2.0, 2.5, 32, dtype=np.float32).reshape(1, 4, 4, 2),
    "m:0": np.array([[3.0, -1.0, 2.5], [0.5, 4.0, -2.0]], np.float32),
    "boxes:0": np.array(
        [[0, 0, 1, 1], [0, 0.1, 1, 1.1], [0, 2, 1, 3], [0, 2.2, 1, 3.2]], np.float32
    ),
}
GRADS = ["x:0", "m:0", "scale:0", "gamma:0"]


def build():
    x = tf.placeholder(tf.float32, [1, 4, 4, 2], name="x")
    m = tf.placeholder(tf.float32, [2, 3], name="m")  # becomes PlaceholderV2
    boxes = tf.placeholder(tf.float32, [4, 4], name="boxes")
    scale = tf.constant([1.5, 0.5], name="scale")
    gamma = tf.constant([2.0, 0.75], name="gamma")
    out = {}
    out["add"] = R.Add(x=m, y=tf.constant(1.0), name="add")
    out["add_str"] = R.Add(x=tf.constant(["a", "bc"]), y=tf.constant("d"), name="add_str")
    out["div"] = R.Div(x=m, y=tf.constant(3.0), name="div")
    out["div_int"] = R.Div(x=tf.constant([-7, 7, 9]), y=tf.constant([2, -2, 4]), name="div_int")
    out["mod"] = R.Mod(x=m, y=tf.constant(1.5), name="mod")
    out["mod_int"] = R.Mod(x=tf.constant([-7, 7, 9]), y=tf.constant([3, -3, 4]), name="mod_int")
    out["inv"] = R.Inv(x=m, name="inv")
    out["inv_grad"] = R.InvGrad(y=m, dy=out["inv"], name="inv_grad")
    out["ones_like"] = R.OnesLike(x=m, name="ones_like")
    out["clip"] = R.ClipByValue(
        t=m, clip_value_min=tf.constant(0.0), clip_value_max=tf.constant(2.75), name="clip"
    )
    out["batch_matmul"] = R.BatchMatMul(
        x=tf.stack([m, m * 2]), y=tf.stack([m, -m]), adj_y=True, name="batch_matmul"
    )
    out["concat"] = R.Concat(concat_dim=tf.constant(0), values=[m, m * 3.0], name="concat")
    out["gather"] = R.Gather(params=m, indices=tf.constant([1, 0, 1]), name="gather")
    out["reverse"] = R.Reverse(tensor=m, dims=tf.constant([True, True]), name="reverse")
    out["snapshot"] = R.Snapshot(input=m, name="snapshot")
    out["bias_add_v1"] = R.BiasAddV1(value=m, bias=tf.constant([1.0, 2.0, 3.0]), name="bias")
    out["top_k"], out["top_k_indices"] = tf.nn.top_k(m, 2, name="top_k")  # becomes TopK
    out["in_top_k"] = R.InTopK(predictions=m, targets=tf.constant([0, 1]), k=1, name="in_top_k")
    fbn = R.FusedBatchNorm(
        x=x,
        scale=scale,
        offset=tf.constant([0.25, -1.0]),
        mean=tf.constant([], tf.float32),
        variance=tf.constant([], tf.float32),
        epsilon=0.001,
        is_training=True,
        name="fbn",
    )
    out["fused_batch_norm"], out["fbn_mean"], out["fbn_variance"] = fbn[0], fbn[1], fbn[2]
    fbn2 = R.FusedBatchNormV2(
        x=x,
        scale=scale,
        offset=tf.constant([0.0, 1.0]),
        mean=tf.constant([0.5, -0.5]),
        variance=tf.constant([2.0, 0.5]),
        epsilon=0.01,
        is_training=False,
        name="fbn2",
    )
    out["fused_batch_norm_v2"] = fbn2[0]
    out["max_pool_v2"] = R.MaxPoolV2(
        input=x,
        ksize=tf.constant([1, 2, 2, 1]),
        strides=tf.constant([1, 1, 2, 1]),
        padding="SAME",
        name="max_pool_v2",
    )
    bn = tf.nn.batch_normalization(
        x,
        tf.constant([0.1, -0.2]),
        tf.constant([1.5, 0.25]),
        tf.constant([0.3, 0.4]),
        gamma,
        0.001,
        name="bngn",
    )
    out["global_norm"] = tf.identity(bn, name="global_norm")  # its input becomes BNGN
    out["nms"] = R.NonMaxSuppression(
        boxes=boxes,
        scores=tf.constant([0.9, 0.8, 0.7, 0.95]),
        max_output_size=tf.constant(3),
        iou_threshold=0.5,
        name="nms",
    )
    out["nms_v2"] = R.NonMaxSuppressionV2(
        boxes=boxes,
        scores=tf.constant([0.9, 0.8, 0.7, 0.95]),
        max_output_size=tf.constant(4),
        iou_threshold=tf.constant(0.3),
        name="nms_v2",
    )
    s2b = R.SpaceToBatch(input=x, paddings=tf.constant([[0, 0], [1, 1]]), block_size=2, name="s2b")
    out["space_to_batch"] = s2b
    out["batch_to_space"] = R.BatchToSpace(
        input=s2b * 2.0, crops=tf.constant([[0, 0], [1, 1]]), block_size=2, name="b2s"
    )
    loss = tf.add_n(
        [
            tf.reduce_sum(out[k] * (i + 1.0))
            for i, k in enumerate(
                [
                    "add",
                    "div",
                    "inv",
                    "clip",
                    "batch_matmul",
                    "concat",
                    "gather",
                    "reverse",
                    "bias_add_v1",
                    "fused_batch_norm",
                    "fused_batch_norm_v2",
                    "max_pool_v2",
                    "global_norm",
                    "space_to_batch",
                    "batch_to_space",
                ]
            )
        ],
        name="loss",
    )
    out["loss"] = loss
    return out


def rewrite(graph_def):
    """The deprecated op types, from their successors' nodes; producer version 6."""
    nodes = {n.name: n for n in graph_def.node}
    top_k = nodes["top_k"]
    k_node = nodes[top_k.input[1]]
    top_k.op = "TopK"
    top_k.attr["k"].i = int(tf.make_ndarray(k_node.attr["value"].tensor))
    del top_k.input[1]
    for attr in ("Tk", "index_type"):
        del top_k.attr[attr]
    m = nodes["m"]
    m.op = "PlaceholderV2"
    bngn = nodes["global_norm"].input[0]
    # tf.nn.batch_normalization's ops, replaced by one BatchNormWithGlobalNormalization node.
    scope = bngn.rsplit("/", 1)[0]
    del graph_def.node[:]
    kept = [n for n in nodes.values() if not n.name.startswith(scope + "/")]
    graph_def.node.extend(kept)
    node = graph_def.node.add()
    node.name = scope + "/global"
    node.op = "BatchNormWithGlobalNormalization"
    consts = {}
    for name, value in [("mean", [0.1, -0.2]), ("variance", [1.5, 0.25]), ("beta", [0.3, 0.4])]:
        c = graph_def.node.add()
        c.CopyFrom(tf.constant(np.array(value, np.float32), name=scope + "/" + name).op.node_def)
        consts[name] = c.name
    node.input.extend(["x", consts["mean"], consts["variance"], consts["beta"], "gamma"])
    node.attr["T"].type = tf.float32.as_datatype_enum
    node.attr["variance_epsilon"].f = 0.001
    node.attr["scale_after_normalization"].b = True
    nodes = {n.name: n for n in graph_def.node}
    nodes["global_norm"].input[0] = node.name
    graph_def.versions.producer = 6
    return graph_def


def variable_graph():
    """A graph of TF 1.0's reference variables: ``Variable``, read through ``RefIdentity``."""
    v = R.Variable(shape=[3], dtype=tf.float32, name="v")
    tf.assign(v, [1.0, 2.0, 3.0], name="init")
    ref = R.RefIdentity(input=v, name="ref")
    tf.assign_add(ref, [0.5, -1.0, 2.0], name="step")
    tf.identity(R.Mul(x=ref, y=tf.constant(2.0)), name="doubled")


def rnn_graph():
    """tf.contrib.rnn's fused cells: LSTMBlockCell, BlockLSTM(V2), GRUBlockCell and the
    gradient ops (TF 2 registers no gradient for the two cells: their Grad ops are fetched)."""
    rng = np.random.RandomState(0)

    def const(name, *shape):
        return tf.constant(rng.uniform(-1, 1, shape).astype(np.float32), name=name)

    steps, batch, size, cells = 3, 2, 3, 2
    x = const("x", steps, batch, size)
    cs0, h0 = const("cs0", batch, cells), const("h0", batch, cells)
    w, b = const("w", size + cells, 4 * cells), const("b", 4 * cells)
    wci, wcf, wco = const("wci", cells), const("wcf", cells), const("wco", cells)
    out = {}
    cell = R.LSTMBlockCell(
        x=x[0],
        cs_prev=cs0,
        h_prev=h0,
        w=w,
        wci=wci,
        wcf=wcf,
        wco=wco,
        b=b,
        forget_bias=0.5,
        cell_clip=0.8,
        use_peephole=True,
        name="lstm_cell",
    )
    out.update({"cell_" + k: getattr(cell, k) for k in ("i", "cs", "f", "o", "ci", "co", "h")})
    cell_grad = R.LSTMBlockCellGrad(
        x=x[0],
        cs_prev=cs0,
        h_prev=h0,
        w=w,
        wci=wci,
        wcf=wcf,
        wco=wco,
        b=b,
        i=cell.i,
        cs=cell.cs,
        f=cell.f,
        o=cell.o,
        ci=cell.ci,
        co=cell.co,
        cs_grad=cs0 * 2.0,
        h_grad=h0 - 1.0,
        use_peephole=True,
        name="lstm_cell_grad",
    )
    out.update({"cell_grad_" + k: getattr(cell_grad, k) for k in cell_grad._fields})
    grads_of = [x, cs0, h0, w, wci, wcf, wco, b]
    for name, op, attrs in (
        ("block", R.BlockLSTM, {"forget_bias": 0.25, "cell_clip": 0.0}),
        ("block_v2", R.BlockLSTMV2, {"cell_clip": 0.9}),
    ):
        seq = op(
            seq_len_max=tf.constant(2, tf.int64),
            x=x,
            cs_prev=cs0,
            h_prev=h0,
            w=w,
            wci=wci,
            wcf=wcf,
            wco=wco,
            b=b,
            use_peephole=name == "block",
            name=name,
            **attrs,
        )
        out.update({f"{name}_{k}": getattr(seq, k) for k in ("i", "cs", "f", "o", "ci", "co", "h")})
        loss = tf.reduce_sum(seq.h * seq.h) + tf.reduce_sum(seq.cs * 0.5)
        for g, t in zip(tf.gradients(loss, grads_of), grads_of, strict=True):
            out[f"{name}_grad_{t.op.name}"] = g
    # TF's gradient of BlockLSTMV2 runs BlockLSTMGrad (V1, icfo), as above; its own
    # BlockLSTMGradV2 (ifco), fed the same loss's gradients:
    grad_v2 = R.BlockLSTMGradV2(
        seq_len_max=tf.constant(2, tf.int64),
        x=x,
        cs_prev=cs0,
        h_prev=h0,
        w=w,
        wci=wci,
        wcf=wcf,
        wco=wco,
        b=b,
        i=seq.i,
        cs=seq.cs,
        f=seq.f,
        o=seq.o,
        ci=seq.ci,
        co=seq.co,
        h=seq.h,
        cs_grad=tf.ones_like(seq.cs) * 0.5,
        h_grad=2.0 * seq.h,
        use_peephole=False,
        name="block_grad_v2",
    )
    out.update({"block_grad_v2_" + k: getattr(grad_v2, k) for k in grad_v2._fields})
    w_ru, w_c = const("w_ru", size + cells, 2 * cells), const("w_c", size + cells, cells)
    b_ru, b_c = const("b_ru", 2 * cells), const("b_c", cells)
    gru = R.GRUBlockCell(x=x[0], h_prev=h0, w_ru=w_ru, w_c=w_c, b_ru=b_ru, b_c=b_c, name="gru")
    out.update({"gru_" + k: getattr(gru, k) for k in gru._fields})
    gru_grad = R.GRUBlockCellGrad(
        x=x[0],
        h_prev=h0,
        w_ru=w_ru,
        w_c=w_c,
        b_ru=b_ru,
        b_c=b_c,
        r=gru.r,
        u=gru.u,
        c=gru.c,
        d_h=h0 * 3.0,
        name="gru_grad",
    )
    out.update({"gru_grad_" + k: getattr(gru_grad, k) for k in gru_grad._fields})
    return out


def main():
    with tf.Graph().as_default() as g:
        rnn = rnn_graph()
        with open(os.path.join(HERE, "legacy_rnn.pb"), "wb") as f:
            f.write(g.as_graph_def().SerializeToString())
        with tf.Session() as sess:
            rnn_values = sess.run(rnn)

    with tf.Graph().as_default() as g:
        variable_graph()
        with open(os.path.join(HERE, "legacy_variable.pb"), "wb") as f:
            f.write(g.as_graph_def().SerializeToString())
        with tf.Session() as sess:
            sess.run("init")
            steps = [[sess.run("step:0"), sess.run("doubled:0")] for _ in range(2)]
    variable_values = [[a.tolist() for a in s] for s in steps]
    with tf.Graph().as_default() as g:
        out = build()
        feed = {g.get_tensor_by_name(k): v for k, v in FEED.items()}
        with tf.Session() as sess:
            top_k = sess.run({k: out[k] for k in ("top_k", "top_k_indices")}, feed)
        graph_def = rewrite(g.as_graph_def())
    data = graph_def.SerializeToString()
    with open(os.path.join(HERE, "legacy_ops.pb"), "wb") as f:
        f.write(data)
    with tf.Graph().as_default() as g:
        gd = tf.GraphDef()
        gd.ParseFromString(data)
        ops = sorted({n.op for n in gd.node})
        # TF places every node of a graph: one without a kernel (TopK) stops the whole run.
        kept = [n for n in gd.node if n.op != "TopK"]
        del gd.node[:]
        gd.node.extend(kept)
        tf.import_graph_def(gd, name="")
        names = {k: v.name for k, v in out.items()}
        names["global_norm"] = "global_norm:0"
        fetch = {k: g.get_tensor_by_name(v) for k, v in names.items() if k not in top_k}
        loss = g.get_tensor_by_name("loss:0")
        grads = tf.gradients(loss, [g.get_tensor_by_name(n) for n in GRADS])
        feed = {g.get_tensor_by_name(k): v for k, v in FEED.items()}
        with tf.Session() as sess:
            values, grad_values = sess.run([fetch, grads], feed)
        values.update(top_k)
    record = {
        "ops": ops,
        "outputs": names,
        "values": {
            k: v.tolist()
            if not isinstance(v, np.ndarray) or v.dtype.kind != "O"
            else [s.decode() for s in v.ravel()]
            for k, v in values.items()
        },
        "grads": {n: v.tolist() for n, v in zip(GRADS, grad_values, strict=True)},
        "feed": {k: v.tolist() for k, v in FEED.items()},
        "variable_steps": variable_values,
        "rnn_outputs": {k: t.name for k, t in rnn.items()},
        "rnn_values": {k: v.tolist() for k, v in rnn_values.items()},
    }
    with open(os.path.join(HERE, "legacy_ops_values.json"), "w") as f:
        json.dump(record, f, indent=None, sort_keys=True)
        f.write("\n")
    print(ops)


if __name__ == "__main__":
    main()
