"""Tensor.ref()/Variable.ref() references, Tensor.ndim, DType.is_numeric and
Graph.collections, as TF 2.21's tf.compat.v1 gives them."""

import pytest

import scopeflow as tf


def test_references_stand_for_their_object(graph):
    t = tf.constant([1.0, 2.0])
    v = tf.Variable([1.0])
    r = t.ref()
    assert r.deref() is t and r == t.ref() and t.experimental_ref() == r
    assert not (r != t.ref()) and r != v.ref()
    assert {r: 1, v.ref(): 2}[t.ref()] == 1 and v.ref().deref() is v
    assert repr(r) == "<Reference wrapping <tf.Tensor 'Const:0' shape=(2,) dtype=float32>>"
    assert repr(v.experimental_ref()) == (
        "<Reference wrapping <tf.Variable 'Variable:0' shape=(1,) dtype=float32_ref>>"
    )
    with pytest.raises(TypeError, match="Cannot compare wrapped object with unwrapped object"):
        _ = r == t


def test_resource_variables_have_references(graph):
    v = tf.Variable([1.0], use_resource=True)
    assert v.ref().deref() is v


def test_ndim_is_the_static_rank_or_minus_one(graph):
    assert tf.placeholder(tf.float32).ndim == -1
    assert tf.placeholder(tf.float32, [None, 3, None]).ndim == 3
    assert tf.constant(1.0).ndim == 0


@pytest.mark.parametrize(
    ("dtype", "numeric"),
    [
        (tf.float32, True),
        (tf.int32, True),
        (tf.bool, False),
        (tf.string, False),
        (tf.complex64, True),
        (tf.quint8, True),
        (tf.variant, False),
        (tf.resource, False),
        (tf.bfloat16, True),
    ],
)
def test_is_numeric(dtype, numeric):
    assert dtype.is_numeric is numeric


def test_graph_collections_in_order_made(graph):
    tf.add_to_collection("b", 1)
    tf.add_to_collection("a", 1)
    assert graph.collections == ["b", "a"] and graph.building_function is False


def test_switch_to_thread_local_keeps_each_threads_stacks():
    import threading

    graph = tf.Graph()
    graph.switch_to_thread_local()
    names = []

    def build():
        with graph.as_default():
            names.append(tf.constant(1.0, name="c").name)

    with graph.as_default(), tf.name_scope("outer"), tf.device("/cpu:0"):
        worker = threading.Thread(target=build)
        worker.start()
        worker.join()
    assert names == ["c:0"] and graph.get_operation_by_name("c").device == ""
