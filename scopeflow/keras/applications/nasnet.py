"""``tf.keras.applications.nasnet``: NASNetMobile and NASNetLarge (Zoph et al., 2018: cells
found by architecture search) as Keras builds them (``stem_conv1``, the ``normal_A_block_*``
and ``reduction_A_block_*`` cells in their name scopes, ``predictions``), and their
preprocessing (``[-1, 1]``).

>>> import numpy as np, scopeflow as tf
>>> tf.keras.applications.nasnet.preprocess_input(np.array([0.0])).tolist()
[-1.0]
"""

from __future__ import annotations

from scopeflow.framework.graph_api import name_scope
from scopeflow.keras import backend, layers
from scopeflow.keras.applications import imagenet_utils

preprocess_input = imagenet_utils.preprocessor("tf")
decode_predictions = imagenet_utils.decode_predictions


def _bn(name: str | None = None):
    return layers.BatchNormalization(axis=-1, momentum=0.9997, epsilon=1e-3, name=name)


def _conv1x1(filters, name, strides=(1, 1)):
    return layers.Conv2D(
        filters, (1, 1), strides=strides, padding="same", use_bias=False, name=name,
        kernel_initializer="he_normal",
    )  # fmt: skip


def NASNet(  # noqa: N802 - Keras's name
    input_shape=None,
    penultimate_filters=4032,
    num_blocks=6,
    stem_block_filters=96,
    skip_reduction=True,
    filter_multiplier=2,
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    pooling=None,
    classes=1000,
    default_size=None,
    classifier_activation="softmax",
):
    """A NASNet-A network: a stem, then ``num_blocks`` normal cells between reduction cells,
    three times, with ``penultimate_filters`` filters in the last (a multiple of
    ``24 * filter_multiplier ** 2``); other arguments as ``VGG16``'s."""
    size = 331 if default_size is None else default_size
    input_shape, img_input = imagenet_utils.checked_image_input(
        weights, include_top, classes, input_shape, size, 32, input_tensor
    )
    if penultimate_filters % (24 * (filter_multiplier**2)) != 0:
        raise ValueError(
            "For NASNet-A models, the `penultimate_filters` must be a multiple of 24 * "
            f"(`filter_multiplier` ** 2). Current value: {penultimate_filters}"
        )
    filters = penultimate_filters // 24
    x = layers.Conv2D(
        stem_block_filters, (3, 3), strides=(2, 2), padding="valid", use_bias=False,
        name="stem_conv1", kernel_initializer="he_normal",
    )(img_input)  # fmt: skip
    x = _bn("stem_bn1")(x)
    p = None
    x, p = _reduction_a_cell(x, p, filters // (filter_multiplier**2), block_id="stem_1")
    x, p = _reduction_a_cell(x, p, filters // filter_multiplier, block_id="stem_2")
    for stage in range(3):
        if stage:
            block_id = f"reduce_{stage * num_blocks}"
            x, p0 = _reduction_a_cell(x, p, filters * filter_multiplier**stage, block_id)
            p = p if skip_reduction else p0
        for i in range(num_blocks):
            block_id = str(i if stage == 0 else stage * num_blocks + i + 1)
            x, p = _normal_a_cell(x, p, filters * filter_multiplier**stage, block_id)
    x = layers.Activation("relu")(x)
    x = imagenet_utils.top(
        x, include_top, pooling, classes, classifier_activation, weights, pool_name=None
    )
    return imagenet_utils.model(input_tensor, img_input, x, "NASNet", weights)


def _nasnet(name: str, **arguments):
    def build(
        input_shape=None,
        include_top=True,
        weights="imagenet",
        input_tensor=None,
        pooling=None,
        classes=1000,
        classifier_activation="softmax",
    ):
        return NASNet(
            input_shape, include_top=include_top, weights=weights, input_tensor=input_tensor,
            pooling=pooling, classes=classes, classifier_activation=classifier_activation,
            **arguments,
        )  # fmt: skip

    build.__name__ = build.__qualname__ = name
    build.__doc__ = f"{name} (default input {arguments['default_size']}); as ``NASNet``."
    return build


NASNetMobile = _nasnet(
    "NASNetMobile", penultimate_filters=1056, num_blocks=4, stem_block_filters=32,
    skip_reduction=False, filter_multiplier=2, default_size=224,
)  # fmt: skip
NASNetLarge = _nasnet(
    "NASNetLarge", penultimate_filters=4032, num_blocks=6, stem_block_filters=96,
    skip_reduction=True, filter_multiplier=2, default_size=331,
)  # fmt: skip


def _separable_conv_block(ip, filters, kernel_size=(3, 3), strides=(1, 1), block_id=None):
    with name_scope(f"separable_conv_block_{block_id}"):
        x = layers.Activation("relu")(ip)
        if strides == (2, 2):
            x = layers.ZeroPadding2D(
                padding=imagenet_utils.correct_pad(x, kernel_size),
                name=f"separable_conv_1_pad_{block_id}",
            )(x)
            conv_pad = "valid"
        else:
            conv_pad = "same"
        x = layers.SeparableConv2D(
            filters, kernel_size, strides=strides, name=f"separable_conv_1_{block_id}",
            padding=conv_pad, use_bias=False, kernel_initializer="he_normal",
        )(x)  # fmt: skip
        x = _bn(f"separable_conv_1_bn_{block_id}")(x)
        x = layers.Activation("relu")(x)
        x = layers.SeparableConv2D(
            filters, kernel_size, name=f"separable_conv_2_{block_id}", padding="same",
            use_bias=False, kernel_initializer="he_normal",
        )(x)  # fmt: skip
        x = _bn(f"separable_conv_2_bn_{block_id}")(x)
    return x


def _adjust_block(p, ip, filters, block_id=None):
    """``p``, the previous cell's output, matched to ``ip``'s size and ``filters``."""
    ip_shape = backend.int_shape(ip)
    p_shape = None if p is None else backend.int_shape(p)
    with name_scope("adjust_block"):
        if p is None:
            p = ip
        elif p_shape[-2] != ip_shape[-2]:
            with name_scope(f"adjust_reduction_block_{block_id}"):
                p = layers.Activation("relu", name=f"adjust_relu_1_{block_id}")(p)
                p1 = layers.AveragePooling2D(
                    (1, 1), strides=(2, 2), padding="valid", name=f"adjust_avg_pool_1_{block_id}"
                )(p)
                p1 = _conv1x1(filters // 2, f"adjust_conv_1_{block_id}")(p1)
                p2 = layers.ZeroPadding2D(padding=((0, 1), (0, 1)))(p)
                p2 = layers.Cropping2D(cropping=((1, 0), (1, 0)))(p2)
                p2 = layers.AveragePooling2D(
                    (1, 1), strides=(2, 2), padding="valid", name=f"adjust_avg_pool_2_{block_id}"
                )(p2)
                p2 = _conv1x1(filters // 2, f"adjust_conv_2_{block_id}")(p2)
                p = layers.concatenate([p1, p2], axis=-1)
                p = _bn(f"adjust_bn_{block_id}")(p)
        elif p_shape[-1] != filters:
            with name_scope(f"adjust_projection_block_{block_id}"):
                p = layers.Activation("relu")(p)
                p = _conv1x1(filters, f"adjust_conv_projection_{block_id}")(p)
                p = _bn(f"adjust_bn_{block_id}")(p)
    return p


def _avg3(name, strides=(1, 1), padding="same"):
    return layers.AveragePooling2D((3, 3), strides=strides, padding=padding, name=name)


def _normal_a_cell(ip, p, filters, block_id=None):
    """A normal cell: its output keeps ``ip``'s size; also returns ``ip``."""
    with name_scope(f"normal_A_block_{block_id}"):
        p = _adjust_block(p, ip, filters, block_id)
        h = layers.Activation("relu")(ip)
        h = _conv1x1(filters, f"normal_conv_1_{block_id}")(h)
        h = _bn(f"normal_bn_1_{block_id}")(h)
        with name_scope("block_1"):
            x1_1 = _separable_conv_block(
                h, filters, kernel_size=(5, 5), block_id=f"normal_left1_{block_id}"
            )
            x1_2 = _separable_conv_block(p, filters, block_id=f"normal_right1_{block_id}")
            x1 = layers.add([x1_1, x1_2], name=f"normal_add_1_{block_id}")
        with name_scope("block_2"):
            x2_1 = _separable_conv_block(p, filters, (5, 5), block_id=f"normal_left2_{block_id}")
            x2_2 = _separable_conv_block(p, filters, (3, 3), block_id=f"normal_right2_{block_id}")
            x2 = layers.add([x2_1, x2_2], name=f"normal_add_2_{block_id}")
        with name_scope("block_3"):
            x3 = _avg3(f"normal_left3_{block_id}")(h)
            x3 = layers.add([x3, p], name=f"normal_add_3_{block_id}")
        with name_scope("block_4"):
            x4_1 = _avg3(f"normal_left4_{block_id}")(p)
            x4_2 = _avg3(f"normal_right4_{block_id}")(p)
            x4 = layers.add([x4_1, x4_2], name=f"normal_add_4_{block_id}")
        with name_scope("block_5"):
            x5 = _separable_conv_block(h, filters, block_id=f"normal_left5_{block_id}")
            x5 = layers.add([x5, h], name=f"normal_add_5_{block_id}")
        x = layers.concatenate([p, x1, x2, x3, x4, x5], axis=-1, name=f"normal_concat_{block_id}")
    return x, ip


def _reduction_a_cell(ip, p, filters, block_id=None):
    """A reduction cell: its output halves ``ip``'s size; also returns ``ip``."""
    with name_scope(f"reduction_A_block_{block_id}"):
        p = _adjust_block(p, ip, filters, block_id)
        h = layers.Activation("relu")(ip)
        h = _conv1x1(filters, f"reduction_conv_1_{block_id}")(h)
        h = _bn(f"reduction_bn_1_{block_id}")(h)
        h3 = layers.ZeroPadding2D(
            padding=imagenet_utils.correct_pad(h, 3), name=f"reduction_pad_1_{block_id}"
        )(h)
        two = (2, 2)
        with name_scope("block_1"):
            x1_1 = _separable_conv_block(
                h, filters, (5, 5), strides=two, block_id=f"reduction_left1_{block_id}"
            )
            x1_2 = _separable_conv_block(
                p, filters, (7, 7), strides=two, block_id=f"reduction_right1_{block_id}"
            )
            x1 = layers.add([x1_1, x1_2], name=f"reduction_add_1_{block_id}")
        with name_scope("block_2"):
            x2_1 = layers.MaxPooling2D(
                (3, 3), strides=two, padding="valid", name=f"reduction_left2_{block_id}"
            )(h3)
            x2_2 = _separable_conv_block(
                p, filters, (7, 7), strides=two, block_id=f"reduction_right2_{block_id}"
            )
            x2 = layers.add([x2_1, x2_2], name=f"reduction_add_2_{block_id}")
        with name_scope("block_3"):
            x3_1 = _avg3(f"reduction_left3_{block_id}", two, "valid")(h3)
            x3_2 = _separable_conv_block(
                p, filters, (5, 5), strides=two, block_id=f"reduction_right3_{block_id}"
            )
            x3 = layers.add([x3_1, x3_2], name=f"reduction_add3_{block_id}")
        with name_scope("block_4"):
            x4 = _avg3(f"reduction_left4_{block_id}")(x1)
            x4 = layers.add([x2, x4])
        with name_scope("block_5"):
            x5_1 = _separable_conv_block(
                x1, filters, (3, 3), block_id=f"reduction_left4_{block_id}"
            )
            x5_2 = layers.MaxPooling2D(
                (3, 3), strides=two, padding="valid", name=f"reduction_right5_{block_id}"
            )(h3)
            x5 = layers.add([x5_1, x5_2], name=f"reduction_add4_{block_id}")
        x = layers.concatenate([x2, x3, x4, x5], axis=-1, name=f"reduction_concat_{block_id}")
    return x, ip


__all__ = ["NASNetLarge", "NASNetMobile", "decode_predictions", "preprocess_input"]
