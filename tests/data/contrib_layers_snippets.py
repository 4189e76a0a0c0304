"""Snippets of ``tf.contrib.layers`` / slim model code, run by scopeflow's tests and by
``make_contrib_layers_names.py`` against tf_slim; ``record`` writes down their names.
Each source runs with ``tf``, ``slim`` and ``np`` bound and sets ``result`` to a list of
output tensors."""

import textwrap

import numpy as np

SNIPPETS = {
    "fully_connected": """
        x = tf.placeholder(tf.float32, [None, 4], name="x")
        x3 = tf.placeholder(tf.float32, [None, 2, 4], name="x3")
        a = slim.fully_connected(x, 3)
        b = slim.fully_connected(x, 5, activation_fn=None, scope="fc")
        c = slim.fully_connected(x, 5, activation_fn=tf.nn.tanh, scope="fc", reuse=True)
        d = slim.fully_connected(x3, 3, biases_initializer=None)
        e = slim.fully_connected(x, 2, normalizer_fn=slim.batch_norm,
                                 normalizer_params={"scale": True})
        with tf.variable_scope("net"):
            f = slim.fully_connected(x, 2, variables_collections=["mine"],
                                     outputs_collections="outs")
        result = [a, b, c, d, e, f]
        extra = [v.name for v in tf.get_collection("mine")]
        extra += [t.name for t in tf.get_collection("outs")]
    """,
    "conv_pool": """
        img = tf.placeholder(tf.float32, [None, 9, 9, 3], name="img")
        a = slim.conv2d(img, 4, [3, 3])
        b = slim.conv2d(a, 6, 3, stride=2, padding="VALID", scope="c2")
        c = slim.conv2d(img, 2, [3, 3], rate=2, activation_fn=None)
        p = slim.max_pool2d(a, [2, 2])
        q = slim.avg_pool2d(a, 3, stride=1, padding="SAME", scope="avg")
        t = slim.conv2d_transpose(b, 5, [3, 3], stride=2)
        u = slim.conv2d_transpose(b, 5, 3, stride=2, padding="VALID", scope="up")
        f = slim.flatten(p)
        g = slim.flatten(b, scope="flat")
        n = slim.conv2d(img, 4, [1, 1], normalizer_fn=slim.batch_norm)
        result = [a, b, c, p, q, t, u, f, g, n]
    """,
    "batch_norm": """
        img = tf.placeholder(tf.float32, [None, 4, 4, 3], name="img")
        x = tf.placeholder(tf.float32, [None, 3], name="x")
        x3 = tf.placeholder(tf.float32, [None, 2, 3], name="x3")
        training = tf.placeholder(tf.bool, [], name="training")
        result = [
            slim.batch_norm(img),
            slim.batch_norm(img, scale=True, updates_collections=None),
            slim.batch_norm(img, fused=False, scope="bn_unfused"),
            slim.batch_norm(x, decay=0.9, scale=True),
            slim.batch_norm(x3, center=False, scale=True),
            slim.batch_norm(img, is_training=False, scope="inference"),
            slim.batch_norm(img, is_training=training, scope="switch"),
            slim.batch_norm(x, is_training=training, updates_collections=None, fused=False),
            slim.batch_norm(img, zero_debias_moving_mean=True, scope="debias"),
        ]
    """,
    "norms_and_misc": """
        img = tf.placeholder(tf.float32, [None, 4, 4, 3], name="img")
        ids = tf.placeholder(tf.int32, [None, 5], name="ids")
        result = [
            slim.layer_norm(img),
            slim.layer_norm(img, begin_norm_axis=-1, center=False, scope="ln"),
            slim.bias_add(img),
            slim.bias_add(img, activation_fn=tf.nn.relu, scope="b"),
            slim.one_hot_encoding(ids, 7),
            slim.dropout(img, 0.8, is_training=False),
        ]
    """,
    "separable_conv2d": """
        img = tf.placeholder(tf.float32, [None, 8, 8, 3], name="img")
        result = [
            slim.separable_conv2d(img, 5, [3, 3], depth_multiplier=2),
            slim.separable_conv2d(img, None, 3, depth_multiplier=1, scope="dw"),
            slim.separable_conv2d(img, 4, 3, 1, stride=2, normalizer_fn=slim.batch_norm,
                                  weights_regularizer=slim.l2_regularizer(0.1)),
            slim.separable_conv2d(img, None, 3, 2, padding="VALID", activation_fn=None,
                                  weights_regularizer=slim.l2_regularizer(0.1)),
        ]
        extra = [l.name for l in tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)]
    """,
    "optimize_loss": """
        x = tf.placeholder(tf.float32, [None, 3], name="x")
        y = slim.fully_connected(x, 1, normalizer_fn=slim.batch_norm, scope="fc")
        loss = tf.reduce_mean(tf.square(y))
        step = tf.train.get_or_create_global_step()
        train = slim.optimize_loss(
            loss, step, 0.1, "Adam", clip_gradients=1.0,
            summaries=["loss", "learning_rate", "gradients", "gradient_norm",
                       "global_gradient_norm"],
            learning_rate_decay_fn=lambda lr, s: tf.train.exponential_decay(lr, s, 10, 0.5))
        plain = slim.optimize_loss(loss, step, 0.5, "SGD", name="plain")
        result = [train, plain]
        extra = [s.name for s in tf.get_collection(tf.GraphKeys.SUMMARIES)]
    """,
    "repeat_stack_arg_scope": """
        img = tf.placeholder(tf.float32, [None, 8, 8, 3], name="img")
        with slim.arg_scope([slim.conv2d, slim.fully_connected], activation_fn=tf.nn.elu,
                            weights_regularizer=slim.l2_regularizer(0.1)):
            with slim.arg_scope([slim.conv2d], padding="VALID"):
                a = slim.repeat(img, 2, slim.conv2d, 4, [3, 3], scope="conv1")
                b = slim.repeat(a, 2, slim.conv2d, 4, [1, 1])
            c = slim.stack(b, slim.conv2d, [(2, [1, 1]), (3, [1, 1])], scope="convs")
            d = slim.stack(slim.flatten(c), slim.fully_connected, [8, 4])
        result = [a, b, c, d]
        extra = [l.name for l in tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)]
    """,
}


def record(tf, slim, source: str) -> dict:
    """The names ``source`` builds in the current default graph."""
    scope = {"tf": tf, "slim": slim, "np": np}
    exec(textwrap.dedent(source), scope)  # noqa: S102 - the snippets above
    model = {id(v) for v in tf.model_variables()}
    trainable = {id(v) for v in tf.trainable_variables()}
    return {
        "variables": [
            [v.name, v.shape.as_list(), id(v) in model, id(v) in trainable]
            for v in tf.global_variables()
        ],
        "update_ops": [u.name for u in tf.get_collection(tf.GraphKeys.UPDATE_OPS)],
        "outputs": [[t.name, t.shape.as_list()] for t in scope["result"]],
        "extra": scope.get("extra", []),
    }
