"""The Inception networks of TF 1.15's slim as tables: each network is a list of phases
(default arguments for its layers, then named end points), an end point is one layer or a
mixed block of parallel branches concatenated on the channel axis. ``build`` walks a table
the way TF's hand-written ``inception_v*_base`` functions do, scope for scope. Their common
ends live here too: the 1x1 logits convolution, v2's and v3's pooled ``Logits`` block and
the arg scope of all three."""

from __future__ import annotations

from scopeflow.contrib.arg_scope import arg_scope
from scopeflow.contrib.layers import (
    avg_pool2d,
    conv2d,
    dropout,
    fully_connected,
    l2_regularizer,
    max_pool2d,
    separable_conv2d,
    variance_scaling_initializer,
)
from scopeflow.ops.array.join import concat
from scopeflow.ops.array.shape import squeeze
from scopeflow.ops.nn.activation import relu
from scopeflow.variables.initializers import truncated_normal_initializer
from scopeflow.variables.variable_scope import variable_scope


def conv(scope: str, depth: int, kernel, stride: int = 1, padding=None, stddev=None, **extra):
    """A conv2d layer; ``stddev`` gives it a truncated-normal initializer of its own."""
    return ("conv", scope, depth, kernel, stride, padding, stddev, extra)


def separable(scope: str, depth: int, kernel, stride: int = 1, stddev=None, **extra):
    """A separable_conv2d layer (``extra`` may hold callables of the depth function)."""
    return ("separable", scope, depth, kernel, stride, None, stddev, extra)


def max_pool(scope: str, kernel, stride: int = 1, padding=None):
    return ("max", scope, None, kernel, stride, padding, None, {})


def avg_pool(scope: str, kernel, stride: int = 1, padding=None):
    return ("avg", scope, None, kernel, stride, padding, None, {})


def fork(*layers):
    """Layers applied side by side to one input, their outputs concatenated."""
    return ("fork", None, None, layers, None, None, None, {})


def _pair(kernel):
    return [kernel, kernel] if isinstance(kernel, int) else list(kernel)


def _layer(net, spec, depth):
    kind, scope, width, kernel, stride, padding, stddev, extra = spec
    if kind == "fork":
        return concat([_layer(net, part, depth) for part in kernel], 3)
    kwargs = {"stride": stride, "scope": scope}
    if padding is not None:
        kwargs["padding"] = padding
    if kind == "max":
        return max_pool2d(net, _pair(kernel), **kwargs)
    if kind == "avg":
        return avg_pool2d(net, _pair(kernel), **kwargs)
    if stddev is not None:
        kwargs["weights_initializer"] = truncated_normal_initializer(0.0, stddev)
    kwargs.update({k: v(depth) if callable(v) else v for k, v in extra.items()})
    make = conv2d if kind == "conv" else separable_conv2d
    return make(net, depth(width), _pair(kernel), **kwargs)


def build(net, phases, final_endpoint: str, depth):
    """Runs ``phases`` (pairs of layer defaults and ``(end_point, layer or branches)``
    lists) on ``net`` until ``final_endpoint``; returns ``(net, end_points)``.

    Raises:
        ValueError: ``final_endpoint`` is not one of the end points.
    """
    end_points = {}
    for defaults, plan in phases:
        with arg_scope(defaults.get("ops", [conv2d, max_pool2d, avg_pool2d]), **defaults["args"]):
            for end_point, item in plan:
                if isinstance(item, list):
                    with variable_scope(end_point):
                        outputs = []
                        for index, branch in enumerate(item):
                            with variable_scope(f"Branch_{index}"):
                                out = net
                                for spec in branch:
                                    out = _layer(out, spec, depth)
                            outputs.append(out)
                        net = concat(outputs, 3)
                else:
                    net = _layer(net, item[:1] + (end_point,) + item[2:], depth)
                end_points[end_point] = net
                if end_point == final_endpoint:
                    return net, end_points
    raise ValueError(f"Unknown final endpoint {final_endpoint}")


def depth_function(depth_multiplier: float, min_depth: int):
    """``d -> max(int(d * depth_multiplier), min_depth)``.

    Raises:
        ValueError: ``depth_multiplier`` is not positive.
    """
    if depth_multiplier <= 0:
        raise ValueError("depth_multiplier is not greater than zero.")
    return lambda d: max(int(d * depth_multiplier), min_depth)


def reduced_kernel(net, kernel):
    """``kernel`` shrunk to the spatial size of ``net`` when that size is known."""
    shape = net.get_shape().as_list()
    if shape[1] is None or shape[2] is None:
        return list(kernel)
    return [min(shape[1], kernel[0]), min(shape[2], kernel[1])]


def batch_norm_params(decay, epsilon, updates_collections, var_collection, fused=None):
    """The batch-norm arguments of the Inception arg scopes: moving statistics filed in
    ``var_collection``."""
    params = {
        "decay": decay,
        "epsilon": epsilon,
        "updates_collections": updates_collections,
        "variables_collections": {
            "beta": None,
            "gamma": None,
            "moving_mean": [var_collection],
            "moving_variance": [var_collection],
        },
    }
    if fused is not None:
        params["fused"] = fused
    return params


def logits_conv(net, num_classes, scope: str, spatial_squeeze, **extra):
    """A 1x1 convolution to ``num_classes`` without normalizer or activation, squeezed to
    ``[batch, num_classes]`` (``SpatialSqueeze``) when ``spatial_squeeze``."""
    net = conv2d(
        net, num_classes, [1, 1], activation_fn=None, normalizer_fn=None, scope=scope, **extra
    )
    if spatial_squeeze:
        net = squeeze(net, [1, 2], name="SpatialSqueeze")
    return net


def pooled_logits(net, end_points, kernel, num_classes, keep_prob, spatial_squeeze, pre_logits):
    """Inception v2's and v3's ``Logits`` scope: a VALID average pool of ``kernel`` (shrunk
    to the input), dropout (``PreLogits`` in ``end_points`` when ``pre_logits``) and
    ``logits_conv``; returns the logits."""
    with variable_scope("Logits"):
        kernel = reduced_kernel(net, kernel)
        net = avg_pool2d(net, kernel, padding="VALID", scope="AvgPool_1a_{}x{}".format(*kernel))
        net = dropout(net, keep_prob=keep_prob, scope="Dropout_1b")
        if pre_logits:
            end_points["PreLogits"] = net
        return logits_conv(net, num_classes, "Conv2d_1c_1x1", spatial_squeeze)


def inception_arg_scope(weight_decay, normalizer_fn, normalizer_params):
    """The Inceptions' arg scope: an L2 regularizer for conv2d and fully_connected; He
    initialization, ReLU and ``normalizer_fn`` for conv2d."""
    with arg_scope([conv2d, fully_connected], weights_regularizer=l2_regularizer(weight_decay)):
        with arg_scope(
            [conv2d],
            weights_initializer=variance_scaling_initializer(),
            activation_fn=relu,
            normalizer_fn=normalizer_fn,
            normalizer_params=normalizer_params,
        ) as scope:
            return scope
