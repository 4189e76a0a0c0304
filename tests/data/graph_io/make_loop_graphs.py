"""Writes loop_graphs/<name>.meta (TensorFlow's MetaGraphDef of each loop_graphs.py builder,
its train_op in the "train_op" collection) and loop_graph_values.json (each graph's outputs
after initialization, and after two training steps). Run with a Python that has TensorFlow
2.x and tf_keras (for rnn_cell):

    TF_USE_LEGACY_KERAS=1 python tests/data/graph_io/make_loop_graphs.py
"""

import json
import os
import sys

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import tensorflow.compat.v1 as tf  # noqa: E402

tf.disable_v2_behavior()
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import loop_graphs  # noqa: E402


def main():
    os.makedirs(os.path.join(HERE, "loop_graphs"), exist_ok=True)
    values = {}
    for name, build in loop_graphs.BUILDERS.items():
        g = tf.Graph()
        with g.as_default():
            outs, train_op = build(tf)
            tf.add_to_collection("train_op", train_op)
            tf.train.export_meta_graph(os.path.join(HERE, "loop_graphs", name + ".meta"))
            feed = {g.get_tensor_by_name(k): v for k, v in loop_graphs.FEEDS[name].items()}
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                first = sess.run(outs, feed)
                for _ in range(2):
                    sess.run(train_op, feed)
                trained = sess.run(outs, feed)
        values[name] = {
            "outputs": {k: t.name for k, t in outs.items()},
            "initial": {k: v.tolist() for k, v in first.items()},
            "trained": {k: v.tolist() for k, v in trained.items()},
        }
    with open(os.path.join(HERE, "loop_graph_values.json"), "w") as f:
        json.dump(values, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
