"""Writes this folder's TensorFlow-made files (run with a Python that has TensorFlow 2.x):

- forward_graph.pbtxt: TF's GraphDef of graphs.build_forward, the NodeDefs scopeflow's export
  is compared with;
- forward_values.json: its outputs for graphs.FEED/IMAGE;
- trainable.meta + trainable-ckpt.{index,data-00000-of-00001}: a MetaGraphDef and checkpoint
  of graphs.build_trainable after two training steps, with values.json's expected outputs;
- frozen.pb: build_forward frozen with convert_variables_to_constants.

    python tests/data/graph_io/make_graph_io_data.py
"""

import json
import os
import sys

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import tensorflow.compat.v1 as tf  # noqa: E402

tf.disable_v2_behavior()
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import graphs  # noqa: E402


def main():
    values = {}
    g = tf.Graph()
    with g.as_default():
        outs = graphs.build_forward(tf)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            got = sess.run(outs, graphs.feeds(g))
            values["forward"] = {k: v.tolist() for k, v in got.items()}
            names = [t.op.name for t in outs.values()]
            frozen = tf.graph_util.convert_variables_to_constants(sess, g.as_graph_def(), names)
    tf.train.write_graph(g, HERE, "forward_graph.pbtxt", as_text=True)
    tf.train.write_graph(frozen, HERE, "frozen.pb", as_text=False)
    values["frozen_outputs"] = [n + ":0" for n in names]

    g = tf.Graph()
    with g.as_default():
        outs = graphs.build_trainable(tf)
        saver = tf.train.Saver()
        x = g.get_tensor_by_name("x:0")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(2):
                sess.run(tf.get_collection("train_op")[0], {x: graphs.FEED})
            saver.save(sess, os.path.join(HERE, "trainable-ckpt"), write_state=False,
                       write_meta_graph=False)
            saver.export_meta_graph(os.path.join(HERE, "trainable.meta"))
            got = sess.run(outs, {x: graphs.FEED})
            values["trainable"] = {k: v.tolist() for k, v in got.items()}
            values["trainable_step"] = int(sess.run(tf.train.get_global_step()))
    with open(os.path.join(HERE, "values.json"), "w") as f:
        json.dump(values, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
