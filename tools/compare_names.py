"""Compares the graphs scopeflow and TensorFlow build for scope-heavy snippets.

Each snippet is a source string run with ``tf`` and ``np`` bound, in a fresh graph. For each
one the script records ``[op.name, op.type]`` of every op, the names in the variable and
regularization collections, the values of small ``Const`` ops, the type of an exception the
snippet raises, and anything it stores in ``result``; then it prints where scopeflow and
TensorFlow differ.

    python tools/compare_names.py --tf-python /tmp/tfref/bin/python [snippet names...]

The TensorFlow side runs as a subprocess of the given interpreter (this same file, with
``--emit tensorflow``), so scopeflow never needs TensorFlow installed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import textwrap

# (name, source). Sources are dedented; they may set ``result`` to any JSON-able value.
SNIPPETS: list[tuple[str, str]] = [
    (
        "seed_tf_variable",
        """
        def my_image_filter(input_images):
            conv1_weights = tf.Variable(tf.random_normal([5, 5, 32, 32]), name="conv1_weights")
            conv1_biases = tf.Variable(tf.zeros([32]), name="conv1_biases")
            conv1 = tf.nn.conv2d(input_images, conv1_weights, strides=[1, 1, 1, 1],
                                 padding='SAME')
            relu1 = tf.nn.relu(conv1 + conv1_biases)
            conv2_weights = tf.Variable(tf.random_normal([5, 5, 32, 32]), name="conv2_weights")
            conv2_biases = tf.Variable(tf.zeros([32]), name="conv2_biases")
            conv2 = tf.nn.conv2d(relu1, conv2_weights, strides=[1, 1, 1, 1], padding='SAME')
            return tf.nn.relu(conv2 + conv2_biases)

        img1 = tf.placeholder(tf.float32, shape=(100, 32, 32, 32))
        result1 = my_image_filter(img1)
        result2 = my_image_filter(img1)
        result = [result1.name, result2.name]
        """,
    ),
    (
        "seed_variables_dict",
        """
        img1 = tf.placeholder(tf.float32, shape=(100, 32, 32, 32))
        variables_dict = {
            "conv1_weights": tf.Variable(tf.random_normal([5, 5, 32, 32]), name="conv1_weights"),
            "conv1_biases": tf.Variable(tf.zeros([32]), name="conv1_biases"),
            "conv2_weights": tf.Variable(tf.random_normal([5, 5, 32, 32]), name="conv2_weights"),
            "conv2_biases": tf.Variable(tf.zeros([32]), name="conv2_biases")}

        def my_image_filter(input_images, variables_dict):
            conv1 = tf.nn.conv2d(input_images, variables_dict["conv1_weights"],
                                 strides=[1, 1, 1, 1], padding='SAME')
            relu1 = tf.nn.relu(conv1 + variables_dict["conv1_biases"])
            conv2 = tf.nn.conv2d(relu1, variables_dict["conv2_weights"],
                                 strides=[1, 1, 1, 1], padding='SAME')
            return tf.nn.relu(conv2 + variables_dict['conv2_biases'])

        result1 = my_image_filter(img1, variables_dict)
        result2 = my_image_filter(img1, variables_dict)
        """,
    ),
    (
        "seed_conv_relu_shared",
        """
        def conv_relu(input, kernel_shape, bias_shape):
            weights = tf.get_variable("weights", kernel_shape,
                                      initializer=tf.random_normal_initializer())
            biases = tf.get_variable("biases", bias_shape,
                                     initializer=tf.constant_initializer(0.0))
            conv = tf.nn.conv2d(input, weights, strides=[1, 1, 1, 1], padding='SAME')
            return tf.nn.relu(conv + biases)

        def my_image_filter(input_images):
            with tf.variable_scope("conv1"):
                relu1 = conv_relu(input_images, [5, 5, 32, 32], [32])
            with tf.variable_scope("conv2"):
                return conv_relu(relu1, [5, 5, 32, 32], [32])

        img1 = tf.placeholder(tf.float32, shape=(100, 32, 32, 32))
        with tf.variable_scope("image_filters") as scope:
            result1 = my_image_filter(img1)
            scope.reuse_variables()
            result2 = my_image_filter(img1)
        result = [result1.name, result2.name]
        """,
    ),
    (
        "seed_conv_relu_twice_error",
        """
        def conv_relu(input, kernel_shape, bias_shape):
            weights = tf.get_variable("weights", kernel_shape,
                                      initializer=tf.random_normal_initializer())
            biases = tf.get_variable("biases", bias_shape,
                                     initializer=tf.constant_initializer(0.0))
            conv = tf.nn.conv2d(input, weights, strides=[1, 1, 1, 1], padding='SAME')
            return tf.nn.relu(conv + biases)

        def my_image_filter(input_images):
            with tf.variable_scope("conv1"):
                relu1 = conv_relu(input_images, [5, 5, 32, 32], [32])
            with tf.variable_scope("conv2"):
                return conv_relu(relu1, [5, 5, 32, 32], [32])

        img1 = tf.placeholder(tf.float32, shape=(100, 32, 32, 32))
        result1 = my_image_filter(img1)
        result2 = my_image_filter(img1)
        """,
    ),
    (
        "seed_foo_v_and_reuse",
        """
        with tf.variable_scope("foo"):
            v = tf.get_variable("v", [1])
        with tf.variable_scope("foo", reuse=True):
            v1 = tf.get_variable("v", [1])
        with tf.variable_scope("foo"):
            with tf.variable_scope("bar"):
                w = tf.get_variable("v", [1])
        with tf.variable_scope("foo"):
            tf.get_variable_scope().reuse_variables()
            v2 = tf.get_variable("v", [1])
        result = [v.name, v1 is v, w.name, v2 is v]
        """,
    ),
    (
        "seed_reuse_inheritance",
        """
        flags = []
        with tf.variable_scope("root"):
            flags.append(tf.get_variable_scope().reuse)
            with tf.variable_scope("foo"):
                flags.append(tf.get_variable_scope().reuse)
            with tf.variable_scope("foo", reuse=True):
                flags.append(tf.get_variable_scope().reuse)
                with tf.variable_scope("bar"):
                    flags.append(tf.get_variable_scope().reuse)
                    with tf.variable_scope("baz", reuse=False):
                        flags.append(tf.get_variable_scope().reuse)
            flags.append(tf.get_variable_scope().reuse)
        result = flags
        """,
    ),
    (
        "seed_name_scope_add",
        """
        with tf.variable_scope("foo"):
            x = 1.0 + tf.get_variable("v", [1])
        result = x.op.name
        """,
    ),
    (
        "nested_scopes_and_ops",
        """
        with tf.variable_scope("a"):
            with tf.variable_scope("b"):
                w = tf.get_variable("w", [2, 3])
                y = tf.matmul(tf.ones([4, 2]), w)
            with tf.variable_scope("b"):
                z = tf.identity(y)
            c = tf.constant(1.0)
        result = [y.name, z.name, c.name]
        """,
    ),
    (
        "reentry_by_name",
        """
        scopes = []
        for _ in range(3):
            with tf.variable_scope("foo", reuse=tf.AUTO_REUSE) as s:
                v = tf.get_variable("v", [1])
                t = v * 2.0
                scopes.append([s.name, s.original_name_scope, t.op.name, v.name])
        result = scopes
        """,
    ),
    (
        "reentry_by_object",
        """
        with tf.variable_scope("foo") as foo:
            a = tf.constant(1.0, name="a")
        with tf.variable_scope(foo):
            b = tf.constant(1.0, name="b")
            v = tf.get_variable("v", [1])
        with tf.variable_scope("bar"):
            with tf.variable_scope(foo) as again:
                c = tf.constant(1.0, name="c")
                w = tf.get_variable("w", [1])
                sub = tf.get_variable_scope().name
            with tf.variable_scope("inner"):
                d = tf.constant(1.0, name="d")
        result = [a.name, b.name, c.name, d.name, v.name, w.name, again.name,
                  again.original_name_scope, sub]
        """,
    ),
    (
        "reentry_by_object_nested",
        """
        with tf.variable_scope("outer") as outer:
            with tf.variable_scope("mid") as mid:
                pass
        with tf.variable_scope(mid):
            a = tf.get_variable("a", [1])
            with tf.variable_scope("deep"):
                b = tf.get_variable("b", [1])
                x = b + 1.0
        with tf.variable_scope(outer, reuse=True):
            with tf.variable_scope("mid"):
                a2 = tf.get_variable("a", [1])
                y = a2 + 1.0
        result = [a.name, b.name, x.op.name, a2 is a, y.op.name]
        """,
    ),
    (
        "default_name_counting",
        """
        names = []
        for _ in range(3):
            with tf.variable_scope(None, default_name="layer") as s:
                names.append(s.name)
                with tf.variable_scope(None, default_name="sub") as t:
                    names.append(t.name)
                with tf.variable_scope(None, default_name="sub") as t:
                    names.append(t.name)
        with tf.variable_scope("layer_1"):
            with tf.variable_scope(None, default_name="sub") as t:
                names.append(t.name)
        with tf.variable_scope("layer_1"):
            with tf.variable_scope(None, default_name="sub") as t:
                names.append(t.name)
        with tf.variable_scope(None, default_name="layer") as s:
            names.append(s.name)
        result = names
        """,
    ),
    (
        "default_name_and_reentry_by_object",
        """
        names = []
        with tf.variable_scope(None, default_name="d") as d:
            with tf.variable_scope(None, default_name="x") as s:
                names.append(s.name)
        for _ in range(2):
            with tf.variable_scope(d):
                with tf.variable_scope(None, default_name="x") as s:
                    names.append(s.name)
                with tf.variable_scope(None, default_name="x") as s:
                    names.append(s.name)
        with tf.variable_scope(None, default_name="d") as e:
            names.append(e.name)
            with tf.variable_scope(d) as d2:
                names.append(d2.original_name_scope)
                names.append(tf.constant(0.0).name)
                with tf.variable_scope(None, default_name="x") as s:
                    names.append(s.name)
        result = names
        """,
    ),
    (
        "default_name_with_values",
        """
        x = tf.placeholder(tf.float32, [2, 2], name="x")
        names = []
        with tf.variable_scope(None, "dense", [x]) as s:
            w = tf.get_variable("w", [2, 2])
            y = tf.matmul(x, w)
            names.append(s.name)
        with tf.variable_scope(None, "dense", [x]) as s:
            names.append(s.name)
            w2 = tf.get_variable("w", [2, 2])
        with tf.variable_scope("given", "dense", [x]) as s:
            names.append(s.name)
        result = names + [y.op.name, w2.name]
        """,
    ),
    (
        "name_scope_inside_variable_scope",
        """
        with tf.variable_scope("vs"):
            with tf.name_scope("ns"):
                v = tf.get_variable("v", [1])
                x = 1.0 + v
                w = tf.Variable(1.0, name="w")
        with tf.name_scope("outer_ns"):
            with tf.variable_scope("vs2"):
                u = tf.get_variable("u", [1])
                y = u * 3.0
        result = [v.name, x.op.name, w.name, u.name, y.op.name]
        """,
    ),
    (
        "operators_on_variables",
        """
        v = tf.get_variable("v", [3], initializer=tf.zeros_initializer())
        m = tf.get_variable("m", [3, 3], initializer=tf.ones_initializer())
        outs = [v + 1.0, 1.0 + v, v - 1.0, 1.0 - v, v * 2.0, 2.0 * v, v / 2.0, 2.0 / v,
                -v, abs(v), v ** 2.0, v[0], v[1:], v > 0.0, v <= v, m @ m, v // 2.0,
                v % 2.0, tf.convert_to_tensor(v)]
        result = [o.name for o in outs]
        """,
    ),
    (
        "tf_variable_forms",
        """
        a = tf.Variable(1.0)
        b = tf.Variable(np.zeros([2, 3], np.float32))
        c = tf.Variable(tf.ones([2]), name="c")
        d = tf.Variable(lambda: tf.zeros([4]), name="d")
        with tf.name_scope("scope"):
            e = tf.Variable([1, 2, 3], name="e", trainable=False)
            f = tf.Variable(2.0)
        g = tf.Variable(3.0, dtype=tf.float64, collections=["mine"])
        h = tf.Variable(1.0, name="c")
        result = [x.name for x in (a, b, c, d, e, f, g, h)] + [
            str(c.dtype), str(e.dtype), len(tf.get_collection("mine"))]
        """,
    ),
    (
        "assign_ops",
        """
        v = tf.Variable(tf.zeros([2]), name="v")
        ops = [v.assign([1.0, 2.0]), v.assign_add([1.0, 1.0]), v.assign_sub([1.0, 1.0]),
               v.assign(tf.ones([2]), name="set"), v.assign_add(tf.ones([2]), read_value=False)]
        with tf.variable_scope("s"):
            w = tf.get_variable("w", [2])
            ops.append(w.assign(v))
        result = [o.name for o in ops]
        """,
    ),
    (
        "initializers_graph_ops",
        """
        inits = {
            "zeros": tf.zeros_initializer(),
            "ones": tf.ones_initializer(),
            "constant": tf.constant_initializer(0.5),
            "constant_list": tf.constant_initializer([1.0, 2.0, 3.0, 4.0, 5.0, 6.0]),
            "random_normal": tf.random_normal_initializer(mean=1.0, stddev=2.0),
            "truncated_normal": tf.truncated_normal_initializer(stddev=0.1),
            "random_uniform": tf.random_uniform_initializer(-0.5, 0.5),
            "glorot_uniform": tf.glorot_uniform_initializer(),
            "glorot_normal": tf.glorot_normal_initializer(),
            "vs_default": tf.variance_scaling_initializer(),
            "vs_fan_out_uniform": tf.variance_scaling_initializer(
                scale=2.0, mode="fan_out", distribution="uniform"),
            "vs_untruncated": tf.variance_scaling_initializer(
                mode="fan_avg", distribution="untruncated_normal"),
        }
        for name, init in inits.items():
            tf.get_variable(name, [2, 3], initializer=init)
        """,
    ),
    (
        "initializer_orthogonal",
        """
        tf.get_variable("wide", [2, 3], initializer=tf.orthogonal_initializer(gain=2.0))
        tf.get_variable("tall", [4, 2], initializer=tf.initializers.orthogonal())
        """,
    ),
    (
        "initializer_identity",
        """
        tf.get_variable("eye", [3, 3], initializer=tf.initializers.identity(gain=2.0))
        """,
    ),
    (
        "initializers_module",
        """
        inits = {
            "zeros": tf.initializers.zeros(),
            "ones": tf.initializers.ones(),
            "constant": tf.initializers.constant(3.0),
            "random_normal": tf.initializers.random_normal(),
            "truncated_normal": tf.initializers.truncated_normal(),
            "random_uniform": tf.initializers.random_uniform(),
            "glorot_uniform": tf.initializers.glorot_uniform(),
            "glorot_normal": tf.initializers.glorot_normal(),
            "he_normal": tf.initializers.he_normal(),
            "he_uniform": tf.initializers.he_uniform(),
            "lecun_normal": tf.initializers.lecun_normal(),
            "lecun_uniform": tf.initializers.lecun_uniform(),
            "variance_scaling": tf.initializers.variance_scaling(scale=3.0, mode="fan_out"),
        }
        for name, init in inits.items():
            tf.get_variable(name, [3, 3], initializer=init)
        """,
    ),
    (
        "default_initializers_and_kernels",
        """
        k = tf.get_variable("kernel", [5, 5, 32, 32])
        b = tf.get_variable("bias", [32])
        s = tf.get_variable("scalar", [])
        i = tf.get_variable("count", [2], dtype=tf.int32)
        f = tf.get_variable("flag", [], dtype=tf.bool)
        d = tf.get_variable("double", [3], dtype=tf.float64)
        result = [str(x.dtype) for x in (k, b, s, i, f, d)]
        """,
    ),
    (
        "initializer_class_and_constants",
        """
        a = tf.get_variable("a", [2], initializer=tf.zeros_initializer)
        b = tf.get_variable("b", initializer=1.5)
        c = tf.get_variable("c", initializer=[1, 2, 3])
        d = tf.get_variable("d", initializer=np.ones([2, 2], np.float32))
        e = tf.get_variable("e", initializer=tf.constant([1.0, 2.0]))
        f = tf.get_variable("f", [2], dtype=tf.int64, initializer=tf.ones_initializer())
        result = [[x.name, str(x.dtype), x.shape.as_list()] for x in (a, b, c, d, e, f)]
        """,
    ),
    (
        "scope_defaults_inherited",
        """
        with tf.variable_scope("s", initializer=tf.ones_initializer(), dtype=tf.float64):
            a = tf.get_variable("a", [2])
            with tf.variable_scope("t"):
                b = tf.get_variable("b", [2])
                c = tf.get_variable("c", [2], initializer=tf.zeros_initializer())
            with tf.variable_scope("u", dtype=tf.float32):
                d = tf.get_variable("d", [2])
        result = [str(x.dtype) for x in (a, b, c, d)]
        """,
    ),
    (
        "regularizers",
        """
        def l2(w):
            return tf.multiply(0.01, tf.nn.l2_loss(w), name="l2")

        with tf.variable_scope("layer", regularizer=l2):
            w = tf.get_variable("w", [3, 3])
            with tf.variable_scope("inner"):
                u = tf.get_variable("u", [3])
        b = tf.get_variable("b", [3], regularizer=lambda t: tf.nn.l2_loss(t))
        n = tf.get_variable("n", [3], regularizer=lambda t: None)
        """,
    ),
    (
        "custom_getters",
        """
        log = []

        def outer(getter, name, *args, **kwargs):
            log.append("outer:" + name)
            return getter(name + "_o", *args, **kwargs)

        def inner(getter, name, *args, **kwargs):
            log.append("inner:" + name)
            return getter(name + "_i", *args, **kwargs)

        def own(getter, name, *args, **kwargs):
            log.append("own:" + name)
            return getter(name + "_own", *args, **kwargs)

        with tf.variable_scope("a", custom_getter=outer):
            v = tf.get_variable("v", [1])
            with tf.variable_scope("b", custom_getter=inner):
                w = tf.get_variable("w", [1])
                u = tf.get_variable("u", [1], custom_getter=own)
        result = [v.name, w.name, u.name, log]
        """,
    ),
    (
        "auto_reuse_and_flags",
        """
        def dense(x):
            with tf.variable_scope("dense", reuse=tf.AUTO_REUSE):
                w = tf.get_variable("w", [2, 2])
                return tf.matmul(x, w)

        x = tf.placeholder(tf.float32, [1, 2])
        y1 = dense(x)
        y2 = dense(x)
        with tf.variable_scope("top", reuse=tf.AUTO_REUSE):
            with tf.variable_scope("sub") as s:
                flag = s.reuse is tf.AUTO_REUSE
                z = tf.get_variable("z", [1])
                z2 = tf.get_variable("z", [1])
        result = [y1.op.name, y2.op.name, flag, z is z2, len(tf.global_variables())]
        """,
    ),
    (
        "auxiliary_name_scope_false",
        """
        with tf.variable_scope("outer") as outer:
            pass
        with tf.variable_scope("aux", auxiliary_name_scope=False) as s:
            a = tf.constant(1.0, name="a")
            v = tf.get_variable("v", [1])
        with tf.variable_scope(outer, auxiliary_name_scope=False):
            b = tf.constant(1.0, name="b")
        with tf.variable_scope(outer):
            c = tf.constant(1.0, name="c")
        with tf.variable_scope(outer, auxiliary_name_scope=False):
            with tf.name_scope(outer.original_name_scope):
                d = tf.constant(1.0, name="d")
        result = [a.name, v.name, s.original_name_scope, b.name, c.name, d.name]
        """,
    ),
    (
        "collections_and_local",
        """
        with tf.variable_scope("m"):
            a = tf.get_variable("a", [1])
            b = tf.get_variable("b", [1], trainable=False)
            c = tf.get_local_variable("c", [1])
            d = tf.get_variable("d", [1], collections=["custom"])
            e = tf.get_variable("e", [1], collections=[tf.GraphKeys.GLOBAL_VARIABLES, "x"])
            scope = tf.get_variable_scope()
        with tf.variable_scope("m2"):
            f = tf.get_variable("f", [1])
        result = {
            "global_m": [x.name for x in tf.global_variables("m")],
            "global_m/": [x.name for x in tf.global_variables("m/")],
            "trainable": [x.name for x in tf.trainable_variables()],
            "local": [x.name for x in tf.local_variables()],
            "custom": [x.name for x in tf.get_collection("custom")],
            "x": [x.name for x in tf.get_collection("x", "m")],
            "scope_global": [x.name for x in scope.global_variables()],
            "scope_trainable": [x.name for x in scope.trainable_variables()],
            "scope_local": [x.name for x in scope.local_variables()],
        }
        """,
    ),
    (
        "does_not_exist_error",
        """
        with tf.variable_scope("foo"):
            tf.get_variable("weights", [1])
        with tf.variable_scope("foo", reuse=True):
            tf.get_variable("weight", [1])
        """,
    ),
    (
        "shape_mismatch_error",
        """
        with tf.variable_scope("foo"):
            tf.get_variable("w", [1, 2])
        with tf.variable_scope("foo", reuse=True):
            tf.get_variable("w", [2, 1])
        """,
    ),
    (
        "control_dependencies_and_variables",
        """
        trigger = tf.no_op(name="trigger")
        with tf.control_dependencies([trigger]):
            u = tf.Variable(1.0, name="u")
            w = tf.get_variable("w", [2])
            x = u + 1.0
            y = tf.identity(w)
            z = w.assign([1.0, 2.0])
        """,
    ),
    (
        "initializers_without_arguments",
        """
        a = tf.get_variable("a", initializer=lambda: tf.zeros([3]))
        b = tf.get_variable("b", initializer=lambda: tf.ones([2], dtype=tf.int32))
        c = tf.Variable(lambda: tf.random_normal([2, 2]), name="c")
        result = [[x.name, str(x.dtype), x.shape.as_list()] for x in (a, b, c)]
        """,
    ),
    (
        "name_scope_reset_in_variable_scope",
        """
        with tf.name_scope("ns"):
            with tf.variable_scope("vs") as vs:
                a = tf.constant(1.0, name="a")
        with tf.variable_scope(vs):
            b = tf.constant(1.0, name="b")
        with tf.variable_scope("vs"):
            c = tf.constant(1.0, name="c")
        with tf.variable_scope("vs"):
            d = tf.constant(1.0, name="d")
        result = [a.name, b.name, c.name, d.name, vs.name, vs.original_name_scope]
        """,
    ),
    (
        "optimizer_slots_and_updates",
        """
        with tf.variable_scope("s"):
            w = tf.get_variable("w", [2], initializer=tf.constant_initializer([1.0, 2.0]))
        b = tf.Variable([3.0], name="b")
        step = tf.train.get_or_create_global_step()
        grads = [(tf.constant([2.0, -4.0], name="gw"), w), (tf.constant([1.0], name="gb"), b)]
        ops = []
        for opt in [
            tf.train.GradientDescentOptimizer(0.1),
            tf.train.MomentumOptimizer(0.1, 0.9, use_nesterov=True),
            tf.train.AdamOptimizer(0.1),
            tf.train.AdagradOptimizer(0.1),
            tf.train.RMSPropOptimizer(0.1),
            tf.train.RMSPropOptimizer(0.1, momentum=0.5, centered=True),
            tf.train.AdadeltaOptimizer(0.1),
        ]:
            ops.append(opt.apply_gradients(grads, global_step=step))
            ops.append(opt.apply_gradients(grads[:1]))
        result = {
            "ops": [op.name for op in ops],
            "train_op": [op.name for op in tf.get_collection(tf.GraphKeys.TRAIN_OP)],
            "global_step": [v.name for v in tf.get_collection(tf.GraphKeys.GLOBAL_STEP)],
        }
        """,
    ),
    (
        "optimizer_in_scopes",
        """
        w = tf.get_variable("w", [2], dtype=tf.float64)
        lr = tf.placeholder(tf.float32, [], name="lr")
        with tf.variable_scope("outer"), tf.name_scope("ns"):
            opt = tf.train.AdamOptimizer(lr)
            a = opt.apply_gradients([(tf.constant([1.0, 2.0], tf.float64), w)])
        opt2 = tf.train.MomentumOptimizer(lambda: 0.5, 0.9)
        b = opt2.apply_gradients([(tf.constant([1.0, 2.0], tf.float64), w)], name="foo")
        result = [a.name, b.name, [v.name for v in opt.variables()],
                  sorted(opt.get_slot(w, n).name for n in opt.get_slot_names())]
        """,
    ),
    (
        "learning_rate_schedules",
        """
        step = tf.train.get_or_create_global_step()
        lrs = [
            tf.train.exponential_decay(0.1, step, 100, 0.96),
            tf.train.exponential_decay(0.1, step, 100, 0.96, staircase=True),
            tf.train.polynomial_decay(0.1, step, 100, 0.01, power=2.0),
            tf.train.polynomial_decay(0.1, step, 100, 0.01, power=2.0, cycle=True),
            tf.train.cosine_decay(0.1, step, 100, alpha=0.1),
            tf.train.inverse_time_decay(0.1, step, 100, 0.5),
            tf.train.inverse_time_decay(0.1, step, 100, 0.5, staircase=True),
        ]
        result = [lr.name for lr in lrs]
        """,
    ),
    (
        "clipping",
        """
        a = tf.constant([3.0, 4.0], name="a")
        b = tf.constant([[1.0, 2.0], [2.0, 4.0]], name="b")
        clipped, norm = tf.clip_by_global_norm([a, None, b], 2.0)
        c = tf.clip_by_norm(b, 1.0, axes=[1])
        n = tf.global_norm([a, b])
        result = [[t.name for t in clipped if t is not None], norm.name, c.name, n.name]
        """,
    ),
    (
        "losses",
        """
        labels = tf.constant([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]], name="labels")
        logits = tf.constant([[0.2, 0.5, -1.0], [2.0, 0.1, 0.3]], name="logits")
        weights = tf.constant([[1.0], [0.0]], name="weights")
        R = tf.losses.Reduction
        losses = [
            tf.losses.mean_squared_error(labels, logits),
            tf.losses.mean_squared_error(labels, logits, weights=weights),
            tf.losses.mean_squared_error(labels, logits, reduction=R.NONE, loss_collection=None),
            tf.losses.mean_squared_error(labels, logits, reduction=R.SUM),
            tf.losses.mean_squared_error(labels, logits, weights, reduction=R.MEAN),
            tf.losses.mean_squared_error(labels, logits, weights, reduction=R.SUM_OVER_BATCH_SIZE),
            tf.losses.absolute_difference(labels, logits),
            tf.losses.huber_loss(labels, logits, delta=0.5),
            tf.losses.softmax_cross_entropy(labels, logits, label_smoothing=0.1),
            tf.losses.sparse_softmax_cross_entropy([[1], [0]], logits, weights=[[2.0], [1.0]]),
            tf.losses.sigmoid_cross_entropy(labels, logits, label_smoothing=0.2),
            tf.losses.log_loss(labels, tf.sigmoid(logits)),
        ]
        total = tf.losses.get_total_loss()
        with tf.Session() as sess:
            values = sess.run(losses + [total])
        result = {
            "names": [t.name for t in losses] + [total.name],
            "collection": [t.name for t in tf.losses.get_losses()],
            "values": [np.round(np.asarray(v, np.float64), 5).tolist() for v in values],
        }
        """,
    ),
    (
        "global_step",
        """
        with tf.variable_scope("vs"):
            step = tf.train.get_or_create_global_step()
        again = tf.train.get_or_create_global_step()
        result = [step.name, str(step.dtype), again is step, tf.train.get_global_step() is step,
                  [v.name for v in tf.global_variables()], tf.trainable_variables()]
        tf.train.create_global_step()
        """,
    ),
]


# TF ops that scopeflow deliberately does not build, by snippet (a regex on the op name): TF
# calls each regularizer once more outside any scope, only to see whether it returns None, and
# leaves those ops unused in the graph.
TF_STRAY_OPS = {"regularizers": r"(L2Loss|l2)(_\d+)?(/x)?$"}

# Differences that are known and not (yet) fixed, by snippet.
KNOWN_DIFFERENCES = {
    "losses": "scopeflow checks that weights broadcast while building, without TF's "
    "assert_broadcastable ops, and counts non-zero weights with fewer ops; the losses' names "
    "and values are the same",
    "initializer_identity": "scopeflow.ops lacks MatrixDiagV3 (linalg.eye): the identity is "
    "one Const 'eye' instead of TF's eye/ones + eye/diag ops",
}


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    return repr(value)


def const_value(op, tf, np):
    """The value of a small ``Const`` op as a list, else ``None``."""
    if hasattr(tf, "make_ndarray"):
        value = tf.make_ndarray(op.get_attr("value"))
    else:
        value = op.get_attr("value")
    value = np.asarray(value)
    if value.size > 16 or value.dtype.kind not in "biuf":
        return None
    if value.dtype.kind == "f":
        return [float(f"{x:.7g}") for x in value.reshape(-1).tolist()]
    return value.reshape(-1).tolist()


def dump(tf, source: str) -> dict:
    """Runs one snippet in a fresh graph and records what it built."""
    import numpy as np

    graph = tf.Graph()
    namespace = {"tf": tf, "np": np}
    error = None
    with graph.as_default():
        try:
            exec(textwrap.dedent(source), namespace)
        except Exception as e:  # the snippet's error is part of what we compare
            error = type(e).__name__
    ops = [[op.name, op.type] for op in graph.get_operations()]
    consts = {
        op.name: const_value(op, tf, np) for op in graph.get_operations() if op.type == "Const"
    }
    control = {
        op.name: [c.name for c in op.control_inputs]
        for op in graph.get_operations()
        if op.control_inputs
    }
    keys = ("variables", "trainable_variables", "local_variables", "regularization_losses")
    collections = {
        key: [getattr(x, "name", repr(x)) for x in graph.get_collection(key)] for key in keys
    }
    return {
        "ops": ops,
        "consts": {k: v for k, v in consts.items() if v is not None},
        "control_inputs": control,
        "collections": collections,
        "error": error,
        "result": _jsonable(namespace.get("result")),
    }


def dump_all(tf, names) -> dict:
    return {name: dump(tf, src) for name, src in SNIPPETS if not names or name in names}


def import_tensorflow():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")  # tf.layers, rnn_cell: tf_keras's
    import tensorflow.compat.v1 as tf

    tf.disable_v2_behavior()
    tf.logging.set_verbosity(tf.logging.ERROR)
    if not hasattr(tf, "contrib"):  # TF 1.15's tf.contrib.lookup re-exported lookup_ops
        import types

        from tensorflow.python.ops import lookup_ops

        tf.contrib = types.SimpleNamespace(lookup=lookup_ops)
    return tf


def emit_under(tf_python: str, script: str, args) -> object:
    """Runs ``script --emit tensorflow *args`` under ``tf_python`` (a Python with TensorFlow)
    and returns the JSON value it prints last: how the tools run TensorFlow's side."""
    proc = subprocess.run(
        [tf_python, os.path.abspath(script), "--emit", "tensorflow", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{tf_python} failed:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def tensorflow_dump(tf_python: str, names) -> dict:
    """Runs the snippets under ``tf_python`` (a Python with TensorFlow) and returns its dump."""
    return emit_under(tf_python, __file__, names)


def scopeflow_dump(names) -> dict:
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if root not in sys.path:
        sys.path.insert(0, root)
    import scopeflow

    return dump_all(scopeflow, names)


def _diff_lists(label: str, ours: list, theirs: list) -> list[str]:
    out = []
    ours_t = [tuple(x) if isinstance(x, list) else x for x in ours]
    theirs_t = [tuple(x) if isinstance(x, list) else x for x in theirs]
    if ours_t == theirs_t:
        return out
    missing = [x for x in theirs_t if x not in ours_t]
    extra = [x for x in ours_t if x not in theirs_t]
    if missing:
        out.append(f"{label}: only in TF: {missing}")
    if extra:
        out.append(f"{label}: only in scopeflow: {extra}")
    if not missing and not extra:
        out.append(f"{label}: same items, different order")
    return out


def differences(ours: dict, theirs: dict, stray_ops: str | None = None) -> list[str]:
    """Human-readable differences between two snippet dumps (empty when they agree);
    TF's ops whose names match ``stray_ops`` are ignored."""
    tf_ops = theirs["ops"]
    if stray_ops:
        tf_ops = [op for op in tf_ops if not re.match(stray_ops, op[0])]
    out = _diff_lists("ops", ours["ops"], tf_ops)
    if ours["control_inputs"] != theirs["control_inputs"]:
        out.append(
            f"control inputs: scopeflow {ours['control_inputs']}, TF {theirs['control_inputs']}"
        )
    for key in theirs["collections"]:
        out += _diff_lists(
            f"collection {key}", ours["collections"].get(key, []), theirs["collections"][key]
        )
    for name, value in theirs["consts"].items():
        mine = ours["consts"].get(name)
        if mine is not None and mine != value:
            out.append(f"const {name}: scopeflow {mine}, TF {value}")
    if ours["error"] != theirs["error"]:
        out.append(f"error: scopeflow {ours['error']}, TF {theirs['error']}")
    if ours["result"] != theirs["result"]:
        out.append(f"result: scopeflow {ours['result']}, TF {theirs['result']}")
    return out


def compare(tf_python: str, names=()) -> dict[str, list[str]]:
    """Differences per snippet between scopeflow and the TensorFlow under ``tf_python``."""
    theirs = tensorflow_dump(tf_python, names)
    ours = scopeflow_dump(names)
    return {name: differences(ours[name], theirs[name], TF_STRAY_OPS.get(name)) for name in theirs}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("snippets", nargs="*", help="snippet names (default: all)")
    parser.add_argument("--tf-python", help="a Python interpreter with TensorFlow installed")
    parser.add_argument("--emit", choices=["tensorflow", "scopeflow"], help=argparse.SUPPRESS)
    parser.add_argument("--list", action="store_true", help="list the snippet names")
    args = parser.parse_args(argv)
    if args.list:
        print("\n".join(name for name, _ in SNIPPETS))
        return 0
    if args.emit:
        tf = import_tensorflow() if args.emit == "tensorflow" else None
        dumped = dump_all(tf, args.snippets) if tf else scopeflow_dump(args.snippets)
        print(json.dumps(dumped))
        return 0
    if not args.tf_python:
        parser.error("--tf-python is required")
    unknown = set(args.snippets) - {name for name, _ in SNIPPETS}
    if unknown:
        parser.error(f"unknown snippets: {sorted(unknown)}")
    failed = 0
    for name, diffs in compare(args.tf_python, args.snippets).items():
        print(f"{'DIFF' if diffs else 'same'}  {name}")
        if diffs and name in KNOWN_DIFFERENCES:
            print(f"      (known: {KNOWN_DIFFERENCES[name]})")
        for line in diffs:
            print(f"      {line}")
        failed += bool(diffs)
    print(f"{failed} of {len(SNIPPETS if not args.snippets else args.snippets)} snippets differ")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
