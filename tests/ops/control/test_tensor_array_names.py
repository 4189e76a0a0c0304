"""TensorArray read-out names as TF1 gives them (scopeflow/ops/control/tensor_array.py):
``stack(name=...)`` names its gather after the scope it opens, ``stack()`` keeps the default
``TensorArrayStack/TensorArrayGatherV3``. Expected names were printed by TF 2.21."""

import scopeflow as tf


def test_stack_names_its_gather_like_its_scope(graph):
    ta = tf.TensorArray(tf.float32, size=3, element_shape=[2]).write(0, [1.0, 2.0])
    names = [ta.stack().name, ta.stack(name="s").name, ta.gather([0], name="gg").name]
    with tf.name_scope("outer"):
        names += [ta.stack(name="trajectory").name, ta.stack().name]
    assert names == [
        "TensorArrayStack/TensorArrayGatherV3:0",
        "s/s:0",
        "gg:0",
        "outer/trajectory/trajectory:0",
        "outer/TensorArrayStack/TensorArrayGatherV3:0",
    ]
    with tf.Session() as sess:
        assert sess.run(ta.stack(name="s")).tolist() == [[1.0, 2.0], [0.0, 0.0], [0.0, 0.0]]
