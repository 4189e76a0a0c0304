"""A GRU dynamic_rnn plus a hand-written tf.while_loop with a TensorArray and a tf.cond switched by
placeholder_with_default, frozen with convert_variables_to_constants, pruned with
extract_sub_graph and re-imported with import_graph_def. (remove_training_nodes is not checked:
scopeflow's GraphDefs have no colocation attributes, so it splices an Identity that TF keeps.)

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    rng = np.random.RandomState(3)
    xs = rng.rand(2, 4, 3).astype(np.float32)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(2)
        x = tf.placeholder(tf.float32, [None, 4, 3], name="seq")
        cell = tf.nn.rnn_cell.GRUCell(5, name="gru")
        outs, last = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
        w = tf.get_variable("proj", [5, 2])
        n = tf.shape(x)[1]
        ta = tf.TensorArray(tf.float32, size=n)

        def body(i, acc, ta):
            step = tf.matmul(outs[:, i], w)
            return i + 1, acc + tf.reduce_sum(step), ta.write(i, tf.nn.sigmoid(step))

        _, total, ta = tf.while_loop(lambda i, *_: i < n, body, [0, 0.0, ta])
        scores = tf.identity(tf.transpose(ta.stack(), [1, 0, 2]), name="scores")
        flag = tf.placeholder_with_default(True, [], name="flag")
        final = tf.cond(flag, lambda: scores * 2.0, lambda: scores - 1.0)
        final = tf.identity(final, name="final")
        total = tf.identity(total, name="total")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            ref, tref = sess.run([final, total], {x: xs})
            gd = tf.graph_util.convert_variables_to_constants(
                sess, g.as_graph_def(), ["final", "total"]
            )
    sub = tf.graph_util.extract_sub_graph(gd, ["total"])
    g2 = tf.Graph()
    with g2.as_default():
        tf.import_graph_def(gd, name="")
        with tf.Session() as sess:
            got, tgot = sess.run(["final:0", "total:0"], {"seq:0": xs})
            got_f = sess.run("final:0", {"seq:0": xs, "flag:0": False})
    g3 = tf.Graph()
    with g3.as_default():
        (t3,) = tf.import_graph_def(sub, return_elements=["total:0"], name="sub")
        with tf.Session() as sess:
            t3v = sess.run(t3, {"sub/seq:0": xs})
    return {
        "names": [outs.name, last.name, scores.name, final.name, total.name],
        "const": sorted(
            n.name for n in gd.node if n.op == "Const" and "gru" in n.name or n.name == "proj"
        ),
        "n_nodes": [len(gd.node), len(sub.node)],
        "ops": sorted({n.op for n in gd.node}),
        "ref": [round(float(v), 5) for v in ref.ravel()[:8]],
        "total": float(tref),
        "same": bool(np.allclose(ref, got)) and bool(np.isclose(tref, tgot)),
        "flag_false": [round(float(v), 5) for v in got_f.ravel()[:4]],
        "sub_total": float(t3v),
    }


EXPECTED = {
    "names": ["rnn/transpose_1:0", "rnn/while/Exit_3:0", "scores:0", "final:0", "total:0"],
    "const": [
        "proj",
        "rnn/gru/candidate/bias",
        "rnn/gru/candidate/kernel",
        "rnn/gru/gates/bias",
        "rnn/gru/gates/kernel",
        "rnn/while/gru/concat/axis",
        "rnn/while/gru/concat_1/axis",
        "rnn/while/gru/split/split_dim",
        "rnn/while/gru/sub/x",
    ],
    "n_nodes": [191, 160],
    "ops": [
        "AddV2",
        "BiasAdd",
        "ConcatV2",
        "Const",
        "Enter",
        "Exit",
        "ExpandDims",
        "Fill",
        "Identity",
        "Less",
        "LogicalAnd",
        "LoopCond",
        "MatMul",
        "Maximum",
        "Merge",
        "Minimum",
        "Mul",
        "NextIteration",
        "Pack",
        "Placeholder",
        "PlaceholderWithDefault",
        "Range",
        "Shape",
        "Sigmoid",
        "Split",
        "StridedSlice",
        "Sub",
        "Sum",
        "Switch",
        "Tanh",
        "TensorArrayGatherV3",
        "TensorArrayReadV3",
        "TensorArrayScatterV3",
        "TensorArrayV3",
        "TensorArrayWriteV3",
        "Transpose",
    ],
    "ref": [0.99443, 1.03452, 0.96132, 1.04147, 0.96716, 1.0358, 0.99754, 1.057],
    "total": 1.1346701383590698,
    "same": True,
    "flag_false": [-0.50279, -0.48274, -0.51934, -0.47926],
    "sub_total": 1.1346702575683594,
}


def test_freeze_loop_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
