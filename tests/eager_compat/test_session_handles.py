"""tf.get_session_handle, get_session_tensor, delete_session_tensor and TensorHandle; op names,
handle strings, values and errors as TF 2.21 (compat.v1, graph mode) gives them."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

CPU = "/job:localhost/replica:0/task:0/device:CPU:0"


def test_handles_round_trip_as_tf(graph):
    c = tf.constant([1.0, 2.0], name="c")
    h = tf.get_session_handle(c * 2.0)
    h2 = tf.get_session_handle(c, name="hh")
    assert (h.name, h.dtype, h.shape.as_list()) == ("GetSessionHandle:0", tf.string, [])
    with tf.Session() as sess:
        hv = sess.run(h)
        assert type(hv).__name__ == "TensorHandle"
        assert hv.handle == str(hv) == f"GetSessionHandle;0;{CPU}"
        np.testing.assert_array_equal(hv.eval(), [2.0, 4.0])
        p, t = tf.get_session_tensor(hv.handle, tf.float32)
        assert (p.op.type, t.op.type, t.op.name, t.device) == (
            "Placeholder",
            "GetSessionTensor",
            "GetSessionTensor_1",
            CPU,
        )
        y = t + 1.0
        np.testing.assert_array_equal(sess.run(y, feed_dict={p: hv.handle}), [3.0, 5.0])
        np.testing.assert_array_equal(sess.run(y, feed_dict={p: hv}), [3.0, 5.0])
        r = sess.run([h, h2])
        assert [x.handle.split(";")[:2] for x in r] == [["GetSessionHandle", "1"], ["hh", "2"]]
        dp, d = tf.delete_session_tensor(hv.handle)
        assert (d.type, d.name) == ("DeleteSessionTensor", "DeleteSessionTensor")
        sess.run(d, feed_dict={dp: hv.handle})
        with pytest.raises(tf.errors.InvalidArgumentError, match="is not in the session store"):
            sess.run(y, feed_dict={p: hv.handle})
        with pytest.raises(tf.errors.InvalidArgumentError, match="Failed to delete a tensor"):
            sess.run(d, feed_dict={dp: hv.handle})
        r[0].delete()
        with pytest.raises(TypeError, match="may have already been deleted"):
            r[0].eval()
        assert sess.run(tf.get_session_handle(tf.constant("ab"))).eval() == b"ab"
    types = [op.type for op in graph.get_operations()]
    assert types.count("GetSessionTensor") == 3 and types.count("DeleteSessionTensor") == 2


def test_bad_arguments(graph):
    with pytest.raises(TypeError, match="`data` must be of type Tensor"):
        tf.get_session_handle([1.0])
    p, t = tf.get_session_tensor(f"a;0;{CPU}", tf.float32, name="gst")
    assert (p.name, t.name, t.shape.ndims) == ("Placeholder:0", "gst:0", None)
    with pytest.raises(ValueError):
        tf.get_session_tensor("bogus", tf.float32)
