"""tf.GradientTape in graph mode; expected values from TF 2.21 (compat.v1, graph mode; its
variables made with use_resource=True, since TF's tape fails on reference variables)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf


def _run(*fetches, init=False):
    with tf.Session() as sess:
        if init:
            sess.run(tf.global_variables_initializer())
        return sess.run(list(fetches))


def test_gradient_flows_only_through_recorded_ops(graph):
    x = tf.constant([1.0, 2.0], name="x")
    v = tf.get_variable("v", initializer=3.0)
    pre = x * 2.0  # made before the tape: a constant to it
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        vr = tf.identity(v)
        tape.watch(vr)
        y = tf.reduce_sum(x * x * vr, name="y")
        z = pre * vr
        w = tf.stop_gradient(x) * x
    gx, gv = tape.gradient(y, [x, vr])
    assert gx.name == "AddN:0" and gx.shape.as_list() == [2]
    assert tape.gradient(z, pre) is None
    gz = tape.gradient(z, [x, vr])
    assert gz[0] is None
    zero = tape.gradient(z, x, unconnected_gradients=tf.UnconnectedGradients.ZERO)
    og = tape.gradient(y, x, output_gradients=tf.constant(2.0))
    values = _run(gx, gv, gz[1], tape.gradient(w, x), og, zero, init=True)
    expected = [[6.0, 12.0], 5.0, 6.0, [1.0, 2.0], [12.0, 24.0], [0.0, 0.0]]
    for got, want in zip(values, expected, strict=True):
        np.testing.assert_allclose(got, want)


def test_non_persistent_tape_gives_one_set_of_gradients(graph):
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        q = x * x
    tape.gradient(q, x)
    with pytest.raises(RuntimeError, match="non-persistent GradientTape can only be used"):
        tape.gradient(q, x)
    with tf.GradientTape() as inside:
        inside.watch(x)
        q = x * x
        g = inside.gradient(q, x)  # stops recording, as TF
    np.testing.assert_allclose(_run(g)[0], [2.0, 4.0])


def test_stop_recording_reset_and_variables(graph):
    x = tf.constant([1.0, 2.0])
    u = tf.get_variable("u", initializer=[1.0, 2.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        q = x * x
        with tape.stop_recording():
            q2 = q * 3.0
        q3 = q2 * x
    g4 = tape.gradient(q3, x)
    with tape:
        tape.reset()
        tape.watch(x)
        q5 = tf.sin(x)
    g5 = tape.gradient(q5, x)
    assert tape.gradient(q3, x) is None
    with tf.GradientTape(persistent=True) as t6:
        q6 = u * u * x
        q7 = tf.reduce_sum(q6)
    assert [v.name for v in t6.watched_variables()] == ["u:0"]
    j = t6.jacobian(q6, u)
    assert j.shape.as_list() == [2, 2]
    with tf.GradientTape(watch_accessed_variables=False) as t7:
        q8 = u * 2.0
    assert t7.watched_variables() == ()
    assert t7.gradient(q8, u) is None
    got = _run(g4, g5, t6.gradient(q7, u), j, init=True)
    expected = [[3.0, 12.0], [0.5403023, -0.41614684], [2.0, 8.0], [[2.0, 0.0], [0.0, 8.0]]]
    for a, b in zip(got, expected, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6)


def test_jacobians_nests_and_higher_order(graph):
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]], name="x")
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x * x
        s = tf.reduce_sum(y, axis=1)
    bj = tape.batch_jacobian(y, x)
    j = tape.jacobian(s, x)
    assert bj.shape.as_list() == [2, 2, 2] and j.shape.as_list() == [2, 2, 2]
    assert tape.jacobian(y, [x])[0].shape.as_list() == [2, 2, 2, 2]
    assert tape.jacobian(y, tf.constant(1.0)) is None
    zero = tape.jacobian(y, tf.constant(1.0), unconnected_gradients="zero")
    assert zero.shape.as_list() == [2, 2]
    nested = tape.gradient({"a": y, "b": s}, {"k": x})
    with pytest.raises(ValueError, match=r"Shape \(2,\) must have rank at least 2"):
        tape.batch_jacobian(s, x)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            sq = x * x
        d = inner.gradient(sq, x)
    dd = outer.gradient(d, x)
    got = _run(bj, j, nested["k"], d, dd)
    np.testing.assert_allclose(got[0], [[[3, 0], [0, 12]], [[27, 0], [0, 48]]])
    np.testing.assert_allclose(got[1], [[[3, 12], [0, 0]], [[0, 0], [27, 48]]])
    np.testing.assert_allclose(got[2], [[6, 24], [54, 96]])
    np.testing.assert_allclose(got[3], [[2, 4], [6, 8]])
    np.testing.assert_allclose(got[4], [[2, 2], [2, 2]])


def test_errors_and_non_float_values(graph):
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        yi = tf.cast(x, tf.int32) * 2
        with pytest.raises(ValueError, match="Passed in object 3.0 of type 'float'"):
            tape.watch(3.0)
    assert tape.gradient(yi, x) is None  # an integer target
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    assert tape.gradient(y, tf.constant(2)) is None  # an integer source
    for call in (tape.reset, lambda: tape.stop_recording().__enter__()):
        with pytest.raises(ValueError, match="Tape is not recording"):
            call()
    with tf.GradientTape() as active, pytest.raises(ValueError, match="still recording"):
        active.__enter__()


def test_persistent_gradient_inside_its_context_is_recorded(graph, caplog):
    x = tf.constant(3.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x * x
        dy = tape.gradient(y, x)  # recorded: a second-order gradient follows
    d2y = tape.gradient(dy, x)
    assert "persistent tape inside its context" in caplog.text
    assert _run(dy, d2y) == [27.0, 18.0]
