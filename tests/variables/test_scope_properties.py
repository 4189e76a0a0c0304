"""Property tests: nested variable scopes name variables like directories, and re-entering a
scope by name or with reuse never changes a variable's name."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import scopeflow as tf

_segment = st.sampled_from(["a", "b", "layer", "x_1", "conv.2"])
_paths = st.lists(st.lists(_segment, min_size=1, max_size=4), min_size=1, max_size=6)


def _open(path):
    scopes = [tf.variable_scope(name) for name in path]
    for s in scopes:
        s.__enter__()
    return scopes


def _close(scopes):
    for s in reversed(scopes):
        s.__exit__(None, None, None)


@settings(max_examples=60, deadline=None)
@given(_paths)
def test_variable_names_follow_the_scope_path(paths):
    with tf.Graph().as_default() as graph:
        made = {}
        for path in paths:
            scopes = _open(path)
            scope = tf.get_variable_scope()
            scope.reuse_variables() if "/".join(path) in made else None
            v = tf.get_variable("v", [1])
            op = tf.identity(v)
            _close(scopes)
            key = "/".join(path)
            assert v.name == key + "/v:0"
            assert made.setdefault(key, v) is v
            # Ops live in a name scope that starts with the same path segments, each
            # possibly uniquified with a _N suffix.
            parts = op.op.name.split("/")[:-1]
            assert len(parts) == len(path)
            for seg, name in zip(parts, path, strict=True):
                assert seg == name or (
                    seg.startswith(name + "_") and seg[len(name) + 1 :].isdigit()
                )
        names = [op.name.lower() for op in graph.get_operations()]
        assert len(names) == len(set(names))
        assert len(tf.global_variables()) == len(made)


@settings(max_examples=40, deadline=None)
@given(st.lists(_segment, min_size=1, max_size=5), st.integers(min_value=1, max_value=4))
def test_reuse_flag_is_inherited_and_restored(path, reuse_depth):
    reuse_depth = min(reuse_depth, len(path))
    with tf.Graph().as_default():
        flags = []
        scopes = []
        for depth, name in enumerate(path, start=1):
            s = tf.variable_scope(name, reuse=True if depth == reuse_depth else None)
            s.__enter__()
            scopes.append(s)
            flags.append(tf.get_variable_scope().reuse)
        _close(scopes)
        assert flags == [depth >= reuse_depth for depth in range(1, len(path) + 1)]
        assert tf.get_variable_scope().reuse is False
        assert tf.get_variable_scope().name == ""


def test_names_differing_only_in_case_collide_as_in_tf1():
    # TF1 reserves op names case-insensitively, so the second variable op is "v_1" even
    # though its store key differs: TF 2.21 gives exactly these names.
    with tf.Graph().as_default():
        with tf.variable_scope("layer"), tf.variable_scope("layer"):
            a = tf.get_variable("v", [1])
        with tf.variable_scope("layer"), tf.variable_scope("Layer"):
            b = tf.get_variable("v", [1])
    assert (a.name, b.name) == ("layer/layer/v:0", "layer/Layer/v_1:0")
